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
    """SHA-256 over the audit's identity, answers, comments and table rows."""
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
    return digest.hexdigest()


def short(digest: str) -> str:
    """The first 16 hex digits, grouped in fours: what a report prints and a reader compares."""
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4)) if digest else ""
