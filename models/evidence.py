"""Evidence files behind answers: metadata in the workspace, bytes in a folder beside it.

The bytes live in `<workspace>.evidence/<first two hex digits>/<sha256>`, one read-only
file per distinct content, written once and never changed (see README, "Evidence"):
the workspace file stays small, so opening it and backing it up do not grow with the
evidence, and a backup copies only evidence it does not hold yet. The `evidence` table
(migration v8) says which audit, question and row each file belongs to; its changes are
recorded in history, sealed into the chain and covered by a sign-off like an answer's.
Removing only marks a row removed, so undo, history and older backups find the file.
A file is never opened where it is kept: `private_copy` checks its hash on a copy in a
private temporary folder and hands that out.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from models.evidence_blobs import CHUNK, blob_path, put_blob
from models.evidence_checks import (
    HEAD_BYTES,
    EvidenceError,
    check_incoming,
    clean_name,
    name_problem,
    open_regular,
    refuse,
    size_text,
)
from models.store import Store

__all__ = [
    "Evidence",
    "EvidenceError",
    "attach",
    "blob_path",
    "evidence_folder",
    "extract",
    "find",
    "listed",
    "private_copy",
    "put_blob",
    "remove",
    "restore",
]

_COLUMNS = "id, audit_id, question_id, row_id, name, size, sha256, added_at, added_by, removed"


@dataclass(frozen=True)
class Evidence:
    """One file attached to a question (and perhaps one row of its table)."""

    id: str
    audit_id: str
    question_id: str
    row_id: str | None
    name: str
    size: int
    sha256: str
    added_at: str
    added_by: str
    removed: bool = False

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def added_on(self) -> str:
        """The date it was added, as reports print dates (7 December 2026)."""
        try:
            when = datetime.fromisoformat(self.added_at)
        except ValueError:
            return self.added_at
        return f"{when.day} {when.strftime('%B %Y')}"


def evidence_folder(workspace: Path) -> Path:
    """Where a workspace keeps its evidence: a folder beside it, named after it."""
    return workspace.with_name(workspace.name + ".evidence")


def _row(values: Iterable[object]) -> Evidence:
    v = list(values)
    return Evidence(
        str(v[0]), str(v[1]), str(v[2]), None if v[3] is None else str(v[3]), str(v[4]),
        int(str(v[5])), str(v[6]), str(v[7]), str(v[8]), bool(v[9]),
    )  # fmt: skip


def target_problem(
    store: Store, audit_id: str, question_id: str, row_id: str | None, *, gone_row: bool = False
) -> str | None:
    """Why evidence cannot be on this question (and row) of this audit, None when it can:
    the one check for attaching and merging. `gone_row`: a row that exists nowhere is
    allowed (evidence kept on a row deleted since, as a package carries it)."""
    from models.questionnaire import DefinitionError, get_questionnaire

    audit = store.audit(audit_id)
    try:
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    except DefinitionError:
        form = None
    if form is not None and not form.has_question(question_id):
        return f"{audit.department_name}, {audit.cycle} has no question {question_id!r}"
    if row_id is not None:
        found = store.conn.execute(
            "SELECT audit_id, question_id FROM table_rows WHERE id = ?", [row_id]
        ).fetchone()
        if (found is None and not gone_row) or (
            found is not None and tuple(found) != (audit_id, question_id)
        ):
            return (
                f"the table {question_id!r} of {audit.department_name}, {audit.cycle} has no "
                f"row {row_id}"
            )
    return None


def _check_target(store: Store, audit_id: str, question_id: str, row_id: str | None) -> None:
    if store.read_only:  # before any file is copied beside a workspace that cannot take it
        raise EvidenceError(
            f"This workspace is open read-only: {store.read_only_reason or 'it cannot change'}."
            " Nothing was attached."
        )
    audit = store.audit(audit_id)
    problem = target_problem(store, audit_id, question_id, row_id)
    if problem is not None:
        raise EvidenceError(f"{problem[0].upper()}{problem[1:]}. Nothing was attached.")
    if audit.status == "signed_off":
        raise EvidenceError(
            f"{audit.department_name}, {audit.cycle} is signed off, so evidence cannot be "
            "added or removed until it is reopened (Audit ▸ Reopen…). Nothing was attached."
        )


def attach(
    store: Store,
    audit_id: str,
    question_id: str,
    source: Path | str,
    *,
    row_id: str | None = None,
) -> Evidence:
    """Keep a copy of a local file as evidence for a question (and a row of its table).

    Refused, naming the file, when it is a symlink, folder, pipe or device, cannot be read,
    is empty or too large, or is a program or script by its name or its first bytes.
    """
    path = Path(source)
    name = clean_name(path.name)
    _check_target(store, audit_id, question_id, row_id)
    fh, size = open_regular(path)
    with fh:
        head = fh.read(HEAD_BYTES)
        check_incoming(name, size, head)
        sha, size = put_blob(evidence_folder(store.path), fh, name, first=head)
    if size == 0:
        raise refuse(name, "it is empty")
    evidence = Evidence(
        uuid.uuid4().hex, audit_id, question_id, row_id, name, size, sha,
        datetime.now(UTC).isoformat(timespec="milliseconds"), store.actor,
    )  # fmt: skip
    with store.transaction(f"attach {name}"):
        insert(store, evidence)
    return evidence


def insert(store: Store, evidence: Evidence) -> None:
    """Write one evidence row (its file must already be kept): attach, merge, restore."""
    e = evidence
    store.conn.execute(
        f"INSERT INTO evidence ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [e.id, e.audit_id, e.question_id, e.row_id, e.name, e.size, e.sha256, e.added_at,
         e.added_by, int(e.removed)],
    )  # fmt: skip


def listed(
    store: Store,
    audit_id: str,
    question_id: str | None = None,
    *,
    removed: bool = False,
) -> list[Evidence]:
    """An audit's evidence (one question's, if given), oldest first; removed ones only if
    asked for."""
    where = "audit_id = ?" + (" AND question_id = ?" if question_id is not None else "")
    where += "" if removed else " AND removed = 0"
    args = [audit_id] + ([question_id] if question_id is not None else [])
    sql = f"SELECT {_COLUMNS} FROM evidence WHERE {where} ORDER BY added_at, name, id"
    try:
        return [_row(r) for r in store.conn.execute(sql, args)]
    except sqlite3.OperationalError:
        if store.schema_version < 8:  # an older workspace opened read-only: none yet
            return []
        raise


def row_numbers(store: Store, row_ids: Iterable[str]) -> dict[str, int]:
    """The row number (1 = first) of each table row given that still exists."""
    ids = list(dict.fromkeys(row_ids))
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    found = store.conn.execute(
        f"SELECT id, position FROM table_rows WHERE id IN ({marks})", ids
    ).fetchall()
    return {str(row_id): int(position) + 1 for row_id, position in found}


def find(store: Store, evidence_id: str) -> Evidence:
    """One evidence row by id (removed or not)."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM evidence WHERE id = ?", [evidence_id]
    ).fetchone()
    if row is None:
        raise EvidenceError(f"There is no evidence {evidence_id!r} in this workspace.")
    return _row(row)


def _set_removed(store: Store, evidence_id: str, removed: bool) -> Evidence:
    evidence = find(store, evidence_id)
    audit = store.audit(evidence.audit_id)
    if audit.status == "signed_off":
        raise EvidenceError(
            f"{audit.department_name}, {audit.cycle} is signed off, so its evidence cannot "
            "change until it is reopened (Audit ▸ Reopen…). Nothing was changed."
        )
    verb = "remove" if removed else "put back"
    with store.transaction(f"{verb} {evidence.name}"):
        store.conn.execute(
            "UPDATE evidence SET removed = ? WHERE id = ?", [int(removed), evidence_id]
        )
    return find(store, evidence_id)


def remove(store: Store, evidence_id: str) -> Evidence:
    """Take a file off its question's list; its bytes stay, so undo can put it back."""
    return _set_removed(store, evidence_id, True)


def restore(store: Store, evidence_id: str) -> Evidence:
    """Put a removed file back on its question's list (undo of `remove`)."""
    return _set_removed(store, evidence_id, False)


def _copy_checked(store: Store, evidence: Evidence, target: Path) -> None:
    """Copy the kept bytes to `target`, refusing them unless they still hash as recorded."""
    why = name_problem(evidence.name)
    if why is not None:  # a row written outside the app: its name is not trusted either
        raise EvidenceError(f"The evidence file {evidence.name!r} is not opened: {why}.")
    kept = blob_path(evidence_folder(store.path), evidence.sha256)
    try:
        fh, _size = open_regular(kept)
    except EvidenceError:
        raise EvidenceError(
            f"The evidence file {evidence.name} is missing from {kept.parent.parent}: it was "
            "deleted or moved outside the app. Run Verify, or restore it from a backup."
        ) from None
    digest = hashlib.sha256()
    with fh, target.open("xb") as out:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != evidence.sha256:
        target.unlink()
        raise EvidenceError(
            f"The evidence file {evidence.name} has changed since it was attached (its "
            "SHA-256 no longer matches): it was altered outside the app. Run Verify; it was "
            "not opened."
        )


_PRIVATE: list[Path] = []


def _discard_private() -> None:
    while _PRIVATE:
        shutil.rmtree(_PRIVATE.pop(), ignore_errors=True)


def private_copy(store: Store, evidence_id: str) -> Path:
    """A read-only copy of the file in a temporary folder only this user can read, checked
    against its hash; removed when the app exits. Open this, never the kept file."""
    evidence = find(store, evidence_id)
    if not _PRIVATE:
        atexit.register(_discard_private)
    folder = Path(tempfile.mkdtemp(prefix="baseline-evidence-"))  # mode 0700
    _PRIVATE.append(folder)
    target = folder / evidence.name
    _copy_checked(store, evidence, target)
    os.chmod(target, 0o400)
    return target


def extract(store: Store, evidence_id: str, folder: Path, name: str | None = None) -> Path:
    """Write the file into `folder` under its kept name, or `name` where several share one
    (refused if a file is there already; a copy that fails part-way is not left behind)."""
    evidence = find(store, evidence_id)
    target = folder / (name or evidence.name)
    try:
        _copy_checked(store, evidence, target)
    except FileExistsError:
        raise EvidenceError(
            f"{target} already exists; choose another folder. Nothing was written."
        ) from None
    except OSError as exc:
        with contextlib.suppress(OSError):  # a part-written copy (open("xb") made it: ours)
            target.unlink(missing_ok=True)
        raise EvidenceError(f"Could not write {target}: {exc.strerror or exc}.") from None
    return target


def distinct_names(names: list[str]) -> list[str]:
    """The names, each one kept once in a folder, where case does not tell files apart
    (Windows, macOS): the second report.pdf becomes 'report (2).pdf'."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
        chosen, n = name, 1
        while chosen.casefold() in taken:
            n += 1
            chosen = f"{stem} ({n}){dot}{ext}"
        taken.add(chosen.casefold())
        result.append(chosen)
    return result
