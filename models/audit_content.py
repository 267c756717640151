"""An audit's whole content as plain data: what workbooks carry out and bring back in."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from models.incoming import IdentifierError
from models.json_text import loads
from models.questionnaire import questionnaire_key_problem
from models.records import Audit, Department
from models.store import DuplicateAuditError, Store, _dump, _new_id, _now
from models.validation import checked_label
from models.values import is_empty


@dataclass
class TableRow:
    """One table row as carried in a workbook: its id (None for a new row) and its cells."""

    id: str | None
    cells: dict[str, Any]


@dataclass
class AuditContent:
    """Answers, comments and table rows of one audit (rows in order)."""

    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[TableRow]] = field(default_factory=dict)


def read_content(store: Store, audit_id: str) -> AuditContent:
    """Everything stored for an audit, tables in row order."""
    tables: dict[str, list[TableRow]] = {}
    for table_id, row_id, cells in iter_table_rows(store, audit_id):
        tables.setdefault(table_id, []).append(TableRow(row_id, cells))
    return AuditContent(store.answers(audit_id), store.comments(audit_id), tables)


def iter_table_rows(store: Store, audit_id: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table id, row id, cells) of every row of an audit, each table in order."""
    cursor = store.conn.execute(
        "SELECT question_id, id, cells FROM table_rows WHERE audit_id = ?"
        " ORDER BY question_id, position",
        [audit_id],
    )
    loads = json.loads
    for table_id, row_id, cells in cursor:
        yield table_id, row_id, loads(cells)


def replace_content(store: Store, audit_id: str, content: AuditContent) -> None:
    """Make the audit hold exactly `content`, in one transaction (all of it or none).

    Only what differs is written, so the history records what the import changed and
    nothing else (an unchanged answer re-written would read as an edit, and as a
    conflict when packages are merged).
    """
    now = _now()
    conn = store.conn
    with store.transaction("import the audit"):
        answers = {
            qid: _dump(value) for qid, value in content.answers.items() if not is_empty(value)
        }
        _sync(conn, "answers", "value", audit_id, answers, now)
        comments = {qid: text for qid, text in content.comments.items() if text}
        _sync(conn, "comments", "text", audit_id, comments, now)
        stored = {
            row_id: (table_id, position, cells)
            for row_id, table_id, position, cells in conn.execute(
                "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?",
                [audit_id],
            )
        }
        taken: set[str] = set()
        wanted: dict[str, tuple[str, int, str]] = {}
        for table_id, table_rows in content.tables.items():
            for position, row in enumerate(table_rows):
                row_id = row.id
                if (
                    not row_id
                    or row_id in taken
                    or (row_id not in stored and _row_elsewhere(store, row_id))
                ):
                    row_id = _new_id()
                taken.add(row_id)
                wanted[row_id] = (table_id, position, _dump(row.cells))
        gone = [(row_id,) for row_id in stored if row_id not in wanted]
        conn.executemany("DELETE FROM table_rows WHERE id = ?", gone)
        changed = []
        for row_id, (table_id, position, cells) in wanted.items():
            old = stored.get(row_id)
            if old is None:
                continue
            if old[0] != table_id or old[1] != position or loads(old[2]) != loads(cells):
                changed.append((table_id, position, cells, now, row_id))
        conn.executemany(
            "UPDATE table_rows SET question_id = ?, position = ?, cells = ?, updated_at = ?"
            " WHERE id = ?",
            changed,
        )
        conn.executemany(
            "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (row_id, audit_id, table_id, position, cells, now)
                for row_id, (table_id, position, cells) in wanted.items()
                if row_id not in stored
            ],
        )
        conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", [now, audit_id])


def _sync(
    conn: sqlite3.Connection,
    table: str,
    column: str,
    audit_id: str,
    wanted: dict[str, str],
    now: str,
) -> None:
    """Answers or comments: delete what went, insert what came, update what differs."""
    stored = dict(
        conn.execute(f"SELECT question_id, {column} FROM {table} WHERE audit_id = ?", [audit_id])
    )
    decode = loads if table == "answers" else (lambda text: text)
    conn.executemany(
        f"DELETE FROM {table} WHERE audit_id = ? AND question_id = ?",
        [(audit_id, qid) for qid in stored if qid not in wanted],
    )
    conn.executemany(
        f"INSERT INTO {table} (audit_id, question_id, {column}, updated_at) VALUES (?, ?, ?, ?)"
        f" ON CONFLICT (audit_id, question_id) DO UPDATE SET {column} = excluded.{column},"
        " updated_at = excluded.updated_at",
        [
            (audit_id, qid, value, now)
            for qid, value in wanted.items()
            if qid not in stored or decode(stored[qid]) != decode(value)
        ],
    )


def _row_elsewhere(store: Store, row_id: str) -> bool:
    """True when another audit already owns this row id (a workbook copied between audits)."""
    return (
        store.conn.execute("SELECT 1 FROM table_rows WHERE id = ?", [row_id]).fetchone() is not None
    )


def restore_department(store: Store, department: Department) -> Department:
    """The workspace's department for `department`: matched by id, GOV.UK id or name, else added.

    An added department keeps the id it had, so re-importing the same workbook matches it.
    """
    conn = store.conn
    name = checked_label(department.name, "department name")
    abbreviation = checked_label(department.abbreviation, "abbreviation")
    for sql, value in (
        ("id = ?", department.id),
        ("govuk_id != '' AND govuk_id = ?", department.govuk_id),
        ("lower(name) = lower(?)", department.name),  # one an earlier version stored so
        ("lower(name) = lower(?)", name),
    ):
        if not value:
            continue
        row = conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments"
            f" WHERE {sql} LIMIT 1",
            [value],
        ).fetchone()
        if row:
            return Department(*row)
    department_id = department.id or _new_id()  # a file may name a department by name only
    with store.transaction("add the department"):
        conn.execute(
            "INSERT INTO departments (id, name, abbreviation, govuk_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                department_id,
                name,
                abbreviation,
                department.govuk_id,
                department.created_at or _now(),
            ],
        )
    return store.department(department_id)


def restore_audit(
    store: Store, audit: Audit, content: AuditContent, *, note: str = "imported"
) -> Audit:
    """Add an audit exactly as it was (same id, status, auditor and dates) with its content.

    The audit's department must exist. Raises DuplicateAuditError when the department
    already has an audit for the cycle under another id.
    """
    conn = store.conn
    audit = replace(  # as every door stores a label (models/validation.clean_label)
        audit,
        cycle=checked_label(audit.cycle, "cycle label"),
        auditor=checked_label(audit.auditor, "auditor"),
        department_name=checked_label(audit.department_name, "department name"),
    )
    problem = questionnaire_key_problem(audit.questionnaire_id, audit.questionnaire_version)
    if problem is not None:
        raise IdentifierError(f"The audit {audit.id} cannot be added: {problem}.")
    with store.transaction("import the audit"):
        clash = store.find_audit(audit.department_id, audit.cycle)
        if clash is not None and clash.id != audit.id:
            raise DuplicateAuditError(
                f"{clash.department_name} already has an audit for {audit.cycle!r}."
            )
        same = conn.execute(
            "SELECT department_name, cycle FROM audits WHERE id = ? AND NOT"
            " (department_id = ? AND cycle = ?)",
            [audit.id, audit.department_id, audit.cycle],
        ).fetchone()
        if same is not None:  # never another audit's content under this one's id
            raise DuplicateAuditError(
                f"The audit id {audit.id} is already {same[0]}, {same[1]} here, not "
                f"{audit.department_name}, {audit.cycle}."
            )
        copied_from = audit.copied_from
        if (
            copied_from
            and not conn.execute("SELECT 1 FROM audits WHERE id = ?", [copied_from]).fetchone()
        ):
            copied_from = None  # the audit it was copied from is not in this workspace
        conn.execute(
            "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
            " questionnaire_version, status, auditor, created_at, updated_at, copied_from,"
            " source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET"
            " auditor = excluded.auditor",
            [
                audit.id, audit.department_id, audit.department_name, audit.cycle,
                audit.questionnaire_id, audit.questionnaire_version, "draft",
                audit.auditor, audit.created_at or _now(), audit.updated_at or _now(),
                copied_from, audit.source,
            ],
        )  # fmt: skip
        replace_content(store, audit.id, content)  # refused if the audit here is signed off
        if store.audit(audit.id).status != audit.status:
            store.set_status(audit.id, audit.status, note=note)
        if audit.updated_at:  # keep the date the audit was last edited, not the import's
            conn.execute(
                "UPDATE audits SET updated_at = ? WHERE id = ?", [audit.updated_at, audit.id]
            )
    return store.audit(audit.id)
