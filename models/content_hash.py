"""One hash over everything an audit holds, taken at sign-off and printed on its reports.

Computed from decoded values in a fixed order, so the same content hashes the same in
any workspace, whichever way it arrived (typed, imported, merged from a package).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from models.json_text import loads


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(conn: sqlite3.Connection, audit_id: str) -> str:
    """SHA-256 over the audit's identity, answers, comments, table rows and evidence."""
    # The audit's own id, not its department's: a department matched by name on import
    # keeps this workspace's id, and the hash must be the same in every workspace.
    audit = conn.execute(
        "SELECT id, cycle, questionnaire_id, questionnaire_version FROM audits WHERE id = ?",
        [audit_id],
    ).fetchone()
    if audit is None:
        raise KeyError(f"no audit {audit_id}")
    answers = conn.execute(
        "SELECT question_id, value FROM answers WHERE audit_id = ? ORDER BY question_id",
        [audit_id],
    ).fetchall()
    comments = conn.execute(
        "SELECT question_id, text FROM comments WHERE audit_id = ? ORDER BY question_id",
        [audit_id],
    ).fetchall()
    rows = conn.execute(
        "SELECT question_id, position, id, cells FROM table_rows WHERE audit_id = ?"
        " ORDER BY question_id, position, id",
        [audit_id],
    ).fetchall()
    digest = hashlib.sha256()
    digest.update(_canonical(["audit", *audit]).encode())
    for qid, value in answers:
        digest.update(b"\n" + _canonical(["answer", qid, loads(value)]).encode())
    for qid, text in comments:
        digest.update(b"\n" + _canonical(["comment", qid, text]).encode())
    for qid, position, row_id, cells in rows:
        digest.update(b"\n" + _canonical(["row", qid, position, row_id, loads(cells)]).encode())
    for item in _evidence(conn, audit_id):  # none: the hash is what it was before evidence
        digest.update(b"\n" + _canonical(["evidence", *item]).encode())
    return digest.hexdigest()


def _evidence(conn: sqlite3.Connection, audit_id: str) -> list[tuple[object, ...]]:
    """The evidence listed on the audit (migration v8; none in a workspace before it)."""
    try:
        return conn.execute(
            "SELECT question_id, row_id, id, name, size, sha256 FROM evidence"
            " WHERE audit_id = ? AND removed = 0 ORDER BY question_id, id",
            [audit_id],
        ).fetchall()
    except sqlite3.OperationalError:  # migrating from before v8: no evidence table yet
        return []


def short(digest: str) -> str:
    """The first 16 hex digits, grouped in fours: what a report prints and a reader compares."""
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4)) if digest else ""


# What a signed-off audit is of and by, besides its content: kept at sign-off (audits.signed_as)
# and checked by verify, so moving the audit to another department, renaming that department
# or the auditor, or relabelling the cycle after sign-off shows.
IDENTITY_FIELDS = ("department_id", "department", "department_name", "cycle", "auditor")


def signed_identity(conn: sqlite3.Connection, audit_id: str) -> dict[str, str]:
    """The audit's department (id, current name, name at creation), cycle and auditor."""
    row = conn.execute(
        "SELECT a.department_id, coalesce(d.name, ''), a.department_name, a.cycle, a.auditor"
        " FROM audits a LEFT JOIN departments d ON d.id = a.department_id WHERE a.id = ?",
        [audit_id],
    ).fetchone()
    if row is None:
        raise KeyError(f"no audit {audit_id}")
    return dict(zip(IDENTITY_FIELDS, (str(v) for v in row), strict=True))


def sign_off_record(conn: sqlite3.Connection, audit_id: str, digest: str) -> str:
    """What audits.signed_as keeps: the identity with the content hash and a hash over both."""
    identity = signed_identity(conn, audit_id)
    body = {**identity, "content_hash": digest}
    seal = hashlib.sha256(_canonical(body).encode()).hexdigest()
    return _canonical({**body, "sign_off_hash": seal})


def recorded_seal(signed_as: str) -> str:
    """The sign-off seal audits.signed_as keeps ("" when there is none or it is unreadable)."""
    try:
        kept = json.loads(signed_as) if signed_as else None
    except ValueError:
        return ""
    seal = kept.get("sign_off_hash") if isinstance(kept, dict) else None
    return seal if isinstance(seal, str) else ""


def current_seal(conn: sqlite3.Connection, audit_id: str) -> str:
    """The seal a sign-off of the audit as it is now would have: over its department, cycle,
    auditor and content. Equal to the recorded one only while none has changed."""
    return recorded_seal(sign_off_record(conn, audit_id, content_hash(conn, audit_id)))


def signed_seal(conn: sqlite3.Connection, audit_id: str) -> str:
    """The seal the audit's sign-off recorded, for its report ("" when not signed off)."""
    row = conn.execute(
        "SELECT signed_as FROM audits WHERE id = ? AND status = 'signed_off'", [audit_id]
    ).fetchone()
    return recorded_seal(str(row[0])) if row else ""
