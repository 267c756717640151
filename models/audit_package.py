"""Audit packages: audits with their content and change history in one file to e-mail or carry.

A package is a zip of `manifest.json` (what it is, who made it, which questionnaires, a
SHA-256 of the content) and `content.json` (each audit's record, department, answers,
comments, rows and every change it knows of, by change id). models/merge.py takes one in.
Packages are written atomically (here) and read with size limits set before anything is inflated
(models/package_reader.py); their parts are in models/package_records.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.chain_anchor import manifest_field
from models.filesystem import refuse_database_target
from models.history_chain import workspace_id
from models.json_text import loads
from models.migrations import LATEST_VERSION
from models.package_evidence import evidence_json, packaged_evidence, write_files
from models.package_reader import read_package
from models.package_records import (
    CONTENT,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_CONTENT_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_RATIO,
    SUFFIX,
    Manifest,
    Package,
    PackageChange,
    PackagedAudit,
    PackagedRow,
    PackageError,
    PackageSummary,
    _why,
)
from models.store import Store

__all__ = [
    "CONTENT",
    "FORMAT",
    "FORMAT_VERSION",
    "IDENTITY",
    "MANIFEST",
    "MAX_CONTENT_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_RATIO",
    "SUFFIX",
    "Manifest",
    "Package",
    "PackageChange",
    "PackageError",
    "PackageSummary",
    "PackagedAudit",
    "PackagedRow",
    "identity_changes",
    "known_changes",
    "packaged_audit",
    "read_package",
    "write_package",
]


# ---------------------------------------------------------------- writing


def _digest(at: str, new: str | None) -> str:
    return hashlib.sha256(f"{at}\x1f{new}".encode()).hexdigest()[:8]


def known_changes(store: Store, audit_id: str) -> list[PackageChange]:
    """Every change this workspace knows of for an audit: its own (by change id; those made
    outside the app get the id a seal would have given them) and those taken in from
    other workspaces. Changes a merge wrote here carry no id: their ids are absorbed ones."""
    here = workspace_id(store.conn)
    found: dict[str, PackageChange] = {}
    cursor = store.conn.execute(
        "SELECT seq, kind, item, question_id, old, new, who, at, note, origin, hash"
        " FROM history WHERE audit_id = ? AND (origin IS NOT NULL OR hash IS NULL) ORDER BY seq",
        [audit_id],
    )
    for seq, kind, item, qid, old, new, who, at, note, origin, digest in cursor:
        # A change made outside the app has no id; this one is the same on every read, and
        # differs between copies of one file that each had their own outside change.
        change_id = origin if origin is not None else f"{here}:{seq}:outside:{_digest(at, new)}"
        if digest is None and not note:
            note = "made outside the app"
        found.setdefault(
            change_id, PackageChange(change_id, kind, item, qid, old, new, who, at, note)
        )
    cursor = store.conn.execute(
        "SELECT origin, kind, item, question_id, old, new, who, at, note FROM absorbed_changes"
        " WHERE audit_id = ? ORDER BY at, origin",
        [audit_id],
    )
    for origin, kind, item, qid, old, new, who, at, note in cursor:
        found.setdefault(origin, PackageChange(origin, kind, item, qid, old, new, who, at, note))
    row = store.conn.execute("SELECT department_id FROM audits WHERE id = ?", [audit_id]).fetchone()
    for change in identity_changes(store, audit_id, str(row[0]) if row else ""):
        found.setdefault(change.origin, change)
    return list(found.values())


IDENTITY = (("department", "name"), ("audit", "auditor"))  # (kind, question_id) of renames


def identity_changes(store: Store, audit_id: str, department_id: str) -> list[PackageChange]:
    """The renames of an audit's department and changes of its auditor this workspace knows
    of (history keeps them with an empty audit id, migration v7), so a package carries them
    and a merge takes them like any other change (models/merge_identity.py)."""
    here = workspace_id(store.conn)
    found: list[PackageChange] = []
    cursor = store.conn.execute(
        "SELECT seq, kind, item, question_id, old, new, who, at, note, origin, hash FROM history"
        " WHERE audit_id = '' AND ((kind = 'department' AND item = ? AND question_id = 'name')"
        " OR (kind = 'audit' AND item = ? AND question_id = 'auditor'))"
        " AND (origin IS NOT NULL OR hash IS NULL) ORDER BY seq",
        [department_id, audit_id],
    )
    for seq, kind, item, qid, old, new, who, at, note, origin, digest in cursor:
        change_id = origin if origin is not None else f"{here}:{seq}:outside:{_digest(at, new)}"
        note = note or ("made outside the app" if digest is None else "")
        found.append(PackageChange(change_id, kind, item, qid, old, new, who, at, note))
    cursor = store.conn.execute(  # taken in by merges, with this audit or another of its department
        "SELECT origin, kind, item, question_id, old, new, who, at, note FROM absorbed_changes"
        " WHERE audit_id IN (SELECT id FROM audits WHERE department_id = ?) AND"
        " ((kind = 'department' AND question_id = 'name') OR (kind = 'audit' AND item = ?"
        " AND question_id = 'auditor')) ORDER BY at, origin",
        [department_id, audit_id],
    )
    found += [PackageChange(*row) for row in cursor]
    return found


def packaged_audit(store: Store, audit_id: str) -> PackagedAudit:
    """An audit of this workspace as a package carries it."""
    audit = store.audit(audit_id)
    rows = [
        PackagedRow(rid, table, int(pos), loads(cells))
        for rid, table, pos, cells in store.conn.execute(
            "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?"
            " ORDER BY question_id, position, id",
            [audit_id],
        )
    ]
    from models.foreign_imports import packaged_imports

    imports, provenance = packaged_imports(store, audit_id)
    packaged = PackagedAudit(
        audit,
        store.department(audit.department_id),
        store.answers(audit_id),
        store.comments(audit_id),
        rows,
        known_changes(store, audit_id),
        imports,
        provenance,
    )
    packaged.evidence = packaged_evidence(store, audit_id)
    return packaged


def _audit_json(item: PackagedAudit) -> dict[str, Any]:
    return {
        "audit": asdict(item.audit),
        "department": asdict(item.department),
        "answers": item.answers,
        "comments": item.comments,
        "rows": [[r.id, r.table, r.position, r.cells] for r in item.rows],
        "changes": [
            [c.origin, c.kind, c.item, c.question_id, c.old, c.new, c.who, c.at, c.note]
            for c in item.changes
        ],
        "imports": item.imports,  # absent from older packages; older apps ignore it
        "provenance": item.provenance,
        "evidence": evidence_json(item.evidence),  # absent before v8; older apps ignore it
    }


def write_package(
    store: Store, path: Path | str, audit_ids: Iterable[str], *, created_by: str | None = None
) -> PackageSummary:
    """Write the audits, with everything they know of their history, to one package file.

    Written to a temporary file beside `path` and renamed over it, so a full disk or a
    pulled USB stick leaves no half-written package behind.
    """
    path = Path(path)
    ids = list(dict.fromkeys(audit_ids))
    if not ids:
        raise PackageError("Choose at least one audit to put in the package.")
    with store.snapshot():  # one consistent state of the workspace
        audits = [packaged_audit(store, audit_id) for audit_id in ids]
        source = workspace_id(store.conn)
        chain_head = manifest_field(store.conn)  # verify --against reads it (chain_anchor)
    content = json.dumps(
        {"audits": [_audit_json(a) for a in audits]}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    questionnaires = sorted(
        {(a.audit.questionnaire_id, a.audit.questionnaire_version) for a in audits}
    )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": LATEST_VERSION,
        "workspace_id": source,
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "created_by": store.actor if created_by is None else created_by,
        "questionnaires": [{"id": q, "version": v} for q, v in questionnaires],
        "audits": [
            {"id": a.audit.id, "department": a.department.name, "cycle": a.audit.cycle}
            for a in audits
        ],
        "content_sha256": hashlib.sha256(content).hexdigest(),
        "content_bytes": len(content),
        "chain_head": chain_head,
    }
    manifest["evidence_files"] = len({e.sha256 for a in audits for e in a.evidence})
    _write_atomically(
        path,
        json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
        content,
        lambda archive: write_files(archive, store, audits),
    )
    return PackageSummary(
        path, len(audits), sum(len(a.changes) for a in audits), path.stat().st_size
    )


def _write_atomically(
    path: Path,
    manifest: bytes,
    content: bytes,
    extra: Callable[[zipfile.ZipFile], object] | None = None,
) -> None:
    refuse_database_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, manifest)
                archive.writestr(CONTENT, content)
                if extra is not None:  # the evidence files, stored (models/package_evidence.py)
                    extra(archive)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
        temp = None
        with contextlib.suppress(OSError):  # make the rename itself durable where possible
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise PackageError(f"Could not write {path}: {_why(exc)}. Nothing was written.") from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
