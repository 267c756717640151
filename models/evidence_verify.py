"""Verify's check of evidence files: each one listed must still be kept, whole and unchanged.

A file deleted or edited behind the app's back (in the folder beside the workspace) is a
problem reported with the audit, question and file named, never an error that stops verify.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from models.evidence import evidence_folder
from models.evidence_blobs import CHUNK, blob_path
from models.evidence_checks import EvidenceError
from models.verify_names import CONTENT, Problem, _Names


def file_state(folder: Path, sha256: str, size: int) -> str | None:
    """Why the kept file for this hash is not as recorded (None when it is)."""
    try:
        path = blob_path(folder, sha256)
    except EvidenceError as exc:
        return str(exc)
    try:
        with path.open("rb") as fh:
            actual = os.fstat(fh.fileno()).st_size
            if actual != size:
                return f"has changed: it is {actual:,} bytes, not the {size:,} recorded"
            digest = hashlib.sha256()
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return f"is missing from {folder}: it was deleted or moved outside the app"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if digest.hexdigest() != sha256:
        return "has changed since it was attached: its SHA-256 no longer matches"
    return None


def evidence_problems(conn: sqlite3.Connection, workspace: Path, names: _Names) -> list[Problem]:
    """Every listed evidence file that is missing, unreadable or changed (each content once)."""
    try:
        rows = conn.execute(
            "SELECT audit_id, id, question_id, name, size, sha256 FROM evidence"
            " WHERE removed = 0 ORDER BY audit_id, question_id, name"
        ).fetchall()
    except sqlite3.OperationalError:  # a workspace before evidence (read-only, not migrated)
        return []
    folder = evidence_folder(workspace)
    states: dict[tuple[str, int], str | None] = {}
    found = []
    for audit_id, evidence_id, question_id, name, size, sha in rows:
        key = (str(sha), int(size))
        if key not in states:
            states[key] = file_state(folder, *key)
        why = states[key]
        if why is None:
            continue
        about = names.record("evidence", str(audit_id), str(evidence_id), str(question_id))
        found.append(
            Problem(
                str(audit_id),
                names.audit(str(audit_id)),
                f"{about}: {name}",
                f"the file {why}",
                check=CONTENT,
            )
        )
    return found
