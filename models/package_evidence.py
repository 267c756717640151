"""Evidence in audit packages: the rows in content.json, the files as `evidence/<sha256>`.

Writing streams each kept file into the zip (stored, not deflated: PDFs and images are
compressed already), refusing a file that no longer hashes as recorded. Reading checks
every row (the same name, size and content checks as attaching, models/evidence_checks.py)
and every file against its declared SHA-256 before anything is merged; merging copies the
files in, each checked again, before the one transaction that writes the rows.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from models.evidence import Evidence, evidence_folder, listed
from models.evidence_blobs import CHUNK, blob_path, put_blob
from models.evidence_checks import (
    HEAD_BYTES,
    MAX_FILE_BYTES,
    SHA256,
    EvidenceError,
    content_problem,
    name_problem,
    size_problem,
)
from models.package_records import PackagedAudit, PackageError
from models.store import Store

PREFIX = "evidence/"
MAX_FILES = 10_000  # evidence files one package may carry


def packaged_evidence(store: Store, audit_id: str) -> list[Evidence]:
    """Every evidence row of the audit, removed ones too (undo and history need them)."""
    try:
        return listed(store, audit_id, removed=True)
    except Exception as exc:  # pragma: no cover - a workspace before v8 is migrated on open
        raise PackageError(f"Could not read the evidence of audit {audit_id}: {exc}") from exc


def evidence_json(items: Iterable[Evidence]) -> list[list[Any]]:
    """The rows as content.json carries them."""
    return [
        [e.id, e.question_id, e.row_id, e.name, e.size, e.sha256, e.added_at, e.added_by,
         e.removed]
        for e in items
    ]  # fmt: skip


def value(e: Evidence) -> dict[str, Any]:
    """An evidence row as merging compares it (the same from a package and from here)."""
    return {
        "question": e.question_id, "row": e.row_id, "name": e.name, "size": e.size,
        "sha256": e.sha256, "added_at": e.added_at, "added_by": e.added_by,
        "removed": e.removed,
    }  # fmt: skip


def from_value(evidence_id: str, audit_id: str, v: dict[str, Any]) -> Evidence:
    """The row a merged value stands for."""
    return Evidence(
        evidence_id, audit_id, v["question"], v["row"], v["name"], v["size"], v["sha256"],
        v["added_at"], v["added_by"], bool(v["removed"]),
    )  # fmt: skip


def parse_evidence(raw: Any, audit_id: str, where: str) -> list[Evidence]:
    """content.json's evidence rows for one audit, each field of its type and each name,
    size and hash one that attaching would accept; ShapeError naming the row otherwise."""
    from models.package_shape import MAX_ID, ShapeError, sequence, text, whole

    found = []
    seen: set[str] = set()
    for n, item in enumerate(sequence(raw or [], where)):
        at = f"{where}[{n}]"
        item = sequence(item, at, 9)
        row_id = None if item[2] is None else text(item[2], f"{at} row", limit=MAX_ID)
        if not isinstance(item[8], bool):
            raise ShapeError(f"{at} removed is not true or false")
        e = Evidence(
            text(item[0], f"{at} id", empty=False, limit=MAX_ID), audit_id,
            text(item[1], f"{at} question", empty=False, limit=MAX_ID), row_id,
            text(item[3], f"{at} name", empty=False), whole(item[4], f"{at} size"),
            text(item[5], f"{at} sha256", empty=False), text(item[6], f"{at} added_at"),
            text(item[7], f"{at} added_by"), item[8],
        )  # fmt: skip
        why = name_problem(e.name) or size_problem(e.size)
        if why is not None:
            raise ShapeError(f"{at}: the evidence file {e.name[:80]!r} is refused: {why}")
        if not SHA256.match(e.sha256):
            raise ShapeError(f"{at} sha256 is not a SHA-256")
        if e.id in seen:
            raise ShapeError(f"{at}: evidence id {e.id!r} appears twice")
        seen.add(e.id)
        found.append(e)
    return found


def write_files(archive: zipfile.ZipFile, store: Store, audits: Iterable[PackagedAudit]) -> int:
    """Stream each distinct evidence file into the zip; how many. PackageError when one is
    missing or changed where it is kept (nothing is written: the caller drops the zip)."""
    folder = evidence_folder(store.path)
    wanted = {e.sha256: e for a in audits for e in a.evidence}
    for sha, e in sorted(wanted.items()):
        digest = hashlib.sha256()
        info = zipfile.ZipInfo(f"{PREFIX}{sha}", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # PDFs and images are compressed already
        info.file_size = e.size
        try:
            with blob_path(folder, sha).open("rb") as fh, archive.open(info, "w") as out:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        except FileNotFoundError:
            raise PackageError(
                f"The evidence file {e.name} is missing from {folder}, so it cannot go in the "
                "package. Run Verify, or restore it from a backup. Nothing was written."
            ) from None
        if digest.hexdigest() != sha:
            raise PackageError(
                f"The evidence file {e.name} has changed since it was attached (its SHA-256 "
                "no longer matches), so it cannot go in the package. Run Verify. Nothing was "
                "written."
            )
    return len(wanted)


def member_limit(name: str) -> int | None:
    """The most bytes a member named like an evidence file may hold (None: not one)."""
    sha = name.removeprefix(PREFIX)
    return MAX_FILE_BYTES if name.startswith(PREFIX) and SHA256.match(sha) else None


def check_files(archive: zipfile.ZipFile, path: Path, audits: Iterable[PackagedAudit]) -> None:
    """Every evidence row's file is in the zip, of its declared size, not a program, and
    hashes to its declared SHA-256: else PackageError, before anything is written."""
    declared: dict[str, Evidence] = {}
    for a in audits:
        for e in a.evidence:
            other = declared.setdefault(e.sha256, e)
            if other.size != e.size:
                raise PackageError(
                    f"{path.name} is refused: it declares two sizes for the evidence file "
                    f"{e.name} ({e.sha256[:16]}…). Nothing was imported."
                )
    if len(declared) > MAX_FILES:
        raise PackageError(f"{path.name} is refused: it holds over {MAX_FILES:,} evidence files.")
    for sha, e in declared.items():
        try:
            info = archive.getinfo(f"{PREFIX}{sha}")
        except KeyError:
            raise PackageError(
                f"{path.name} is refused: the evidence file {e.name} it lists is not in it. "
                "Nothing was imported."
            ) from None
        if info.file_size != e.size:
            raise PackageError(
                f"{path.name} is refused: the evidence file {e.name} is {info.file_size:,} "
                f"bytes, not the {e.size:,} it declares. Nothing was imported."
            )
        digest = hashlib.sha256()
        with archive.open(info) as fh:
            head = fh.read(HEAD_BYTES)
            why = content_problem(head)
            if why is not None:
                raise PackageError(
                    f"{path.name} is refused: the evidence file {e.name}: {why}. Nothing was "
                    "imported."
                )
            digest.update(head)
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            raise PackageError(
                f"{path.name} is refused: the evidence file {e.name} does not match the "
                "SHA-256 it declares (it was changed or damaged). Nothing was imported."
            )


def take_files(store: Store, package_path: Path, audits: Iterable[PackagedAudit]) -> None:
    """Copy the package's evidence files into this workspace's folder, each checked against
    its hash as it is copied (files already here are skipped). Files only: rows follow."""
    folder = evidence_folder(store.path)
    wanted = {e.sha256: e for a in audits for e in a.evidence}
    missing = {sha: e for sha, e in wanted.items() if not blob_path(folder, sha).exists()}
    if not missing:
        return
    try:
        with zipfile.ZipFile(package_path) as archive:
            for sha, e in missing.items():
                with archive.open(f"{PREFIX}{sha}") as fh:
                    put_blob(folder, fh, e.name, expected=sha)  # type: ignore[arg-type]
    except EvidenceError as exc:
        raise PackageError(f"{package_path.name}: {exc}") from None
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise PackageError(
            f"Could not take the evidence files from {package_path.name} ({exc}). Nothing "
            "was merged."
        ) from None
