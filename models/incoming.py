"""What comes in from outside (packages, workbooks), checked before anything is written.

Values are checked against their question by models/validation.py, after a check of their
JSON shape that validation assumes (finite numbers, no objects where a value belongs).
Audit and department ids from a file are checked against the workspace: an id never
chooses where data goes unless it names the department and cycle the file shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from models.questionnaire import Field, Questionnaire
from models.records import Department
from models.store import Store, WorkspaceError
from models.validation import InvalidAnswer, clean_label, comment_problem, validate

MAX_CHOICES = 1000  # more selected options than any question offers
MAX_INT = 10**300  # beyond what a float holds: validation could not even compare it
MAX_LISTED = 20  # problems listed in one message; the rest are counted


class IdentifierError(WorkspaceError):
    """An id from outside that is not an identifier (a questionnaire id that is a path)."""


class MismatchError(WorkspaceError):
    """An id in a file names a record of another department or cycle here; nothing written."""


# ---------------------------------------------------------------- values


def value_problem(target: Field, value: Any) -> str | None:
    """Why `value` cannot be stored for this question or column (None when it can)."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a number that can be stored"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_INT:
        return "a number too large to be an answer"
    if isinstance(value, list):
        if len(value) > MAX_CHOICES or not all(isinstance(v, str) for v in value):
            return "a list that is not a list of choices"
        if target.type != "multi_choice" and value:
            return "a list where one value is expected"
    elif not isinstance(value, str | int | float | bool):
        return f"a {_kind(value)} where a value is expected"
    try:
        validate(target, value)
    except InvalidAnswer as exc:
        return str(exc)
    return None


@dataclass
class Screened:
    """An audit's incoming content with what does not fit its questionnaire taken out."""

    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "where: why", for the user
    refused_answers: set[str] = field(default_factory=set)  # question ids: left as they are
    refused_comments: set[str] = field(default_factory=set)
    refused_cells: dict[str, set[str]] = field(default_factory=dict)  # row id: column ids
    refused_rows: set[str] = field(default_factory=set)  # row ids: rows left as they are


def screen_content(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    comments: Mapping[str, Any],
    rows: Iterable[tuple[str, str, Any]],
) -> Screened:
    """Every answer, comment and row (row id, table, cells) that fits the questionnaire, and
    what does not, refused with where and why (as a workbook import leaves out what it
    cannot read, and keeps the audit's own value for it)."""
    out = Screened()
    for qid, value in answers.items():
        problem = None
        if not questionnaire.has_question(qid):
            problem = "there is no such question"
        elif questionnaire.question(qid).is_table:
            problem = "it is a table; its rows are not an answer"
        else:
            problem = value_problem(questionnaire.question(qid), value)
        if problem is None:
            out.answers[qid] = value
        else:
            out.refused.append(f"answer to {qid[:80]!r}: {problem}")
            out.refused_answers.add(qid)
    for qid, text in comments.items():
        problem = None
        if not questionnaire.has_question(qid):
            problem = "there is no such question"
        elif not isinstance(text, str):
            problem = f"a {_kind(text)} where text is expected"
        else:
            problem = comment_problem(text)
        if problem is None:
            out.comments[qid] = text
        else:
            out.refused.append(f"comment on {qid[:80]!r}: {problem}")
            out.refused_comments.add(qid)
    for row_id, table, cells in rows:
        where = f"row {row_id!r} of {table[:80]!r}"
        if not questionnaire.has_question(table) or not questionnaire.question(table).is_table:
            out.refused.append(f"{where}: there is no such table")
            out.refused_rows.add(row_id)
            continue
        if not isinstance(cells, dict):
            out.refused.append(f"{where}: a {_kind(cells)} where the row's cells are expected")
            out.refused_rows.add(row_id)
            continue
        columns = {c.id: c for c in questionnaire.question(table).columns}
        unknown = [str(c) for c in cells if c not in columns]
        if unknown:
            names = ", ".join(repr(c[:40]) for c in unknown[:5])
            more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
            out.refused.append(f"{where}: no such column(s) {names}{more}")
        kept: dict[str, Any] = {}
        for column_id, value in cells.items():
            if column_id not in columns:
                continue
            problem = value_problem(columns[column_id], value)
            if problem is None:
                kept[column_id] = value
            else:
                out.refused.append(f"{where}, column {column_id!r}: {problem}")
                out.refused_cells.setdefault(row_id, set()).add(column_id)
        out.rows.append((row_id, table, kept))
    return out


def content_problems(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    comments: Mapping[str, Any],
    rows: Iterable[tuple[str, str, Any]],
) -> list[str]:
    """What screen_content would refuse, as "where: why" (empty when everything fits)."""
    return screen_content(questionnaire, answers, comments, rows).refused


def listed(problems: list[str]) -> str:
    """Problems one a line, the first MAX_LISTED of them and a count of the rest."""
    lines = [f"  {p}" for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  … and {len(problems) - MAX_LISTED} more")
    return "\n".join(lines)


def _kind(value: Any) -> str:
    return {dict: "set of named values", list: "list", type(None): "null"}.get(
        type(value), type(value).__name__
    )


# ---------------------------------------------------------------- ids against the workspace


def same_name(a: str, b: str) -> bool:
    """Two department names or cycles are the same, ignoring case and spacing, compared as
    labels are stored (clean_label): a file of an earlier version may hold one uncleaned."""
    return clean_label(a).casefold() == clean_label(b).casefold()


def department_names(store: Store, department_id: str) -> set[str]:
    """Every name a department is known by here: its own, and those its audits were made under."""
    rows = store.conn.execute(
        "SELECT name FROM departments WHERE id = ?"
        " UNION SELECT department_name FROM audits WHERE department_id = ?",
        [department_id, department_id],
    ).fetchall()
    return {str(r[0]) for r in rows}


def audit_owner_problem(
    store: Store, audit_id: str, department: str, cycle: str, also: Iterable[str] = ()
) -> str | None:
    """Why the audit with this id here is not the one the file shows (None when it is, or
    when there is no audit with this id here). `also`: names the file's own history says
    its department had (a rename it records: models/merge_identity.py)."""
    if not audit_id:
        return None
    try:
        here = store.audit(audit_id)
    except KeyError:
        return None
    names = department_names(store, here.department_id)
    shown = [department, *also]
    if any(same_name(n, s) for n in names for s in shown) and same_name(here.cycle, cycle):
        return None
    current = store.department(here.department_id).name
    return (
        f"it shows {department}, {cycle!r}, but its audit id {audit_id} is that of "
        f"{current}, {here.cycle!r} in this workspace. Nothing of it was imported: an id from "
        "a file never chooses which audit changes. Was the file edited, or sent for another "
        "audit?"
    )


def department_id_problem(
    store: Store, department: Department, also: Iterable[str] = ()
) -> str | None:
    """Why a file's department id or GOV.UK id cannot be used here: it is another
    department's (None when it is this department's, or unknown here). `also`: names the
    file's own history says the department had, so a recorded rename is not a mismatch."""
    known_as = [department.name, *also]
    found = [(department.id, "department id")] if department.id else []
    if department.govuk_id:
        found += [
            (str(row[0]), "GOV.UK id")
            for row in store.conn.execute(
                "SELECT id FROM departments WHERE govuk_id = ?", [department.govuk_id]
            )
        ]
    for department_id, what in found:
        names = department_names(store, department_id)
        if not names or any(same_name(n, s) for n in names for s in known_as):
            continue
        shown = department.id if what == "department id" else department.govuk_id
        current = store.department(department_id).name
        return (
            f"it shows the department {department.name}, but its {what} {shown} is that of "
            f"{current} in this workspace. Nothing of it was imported."
        )
    return None
