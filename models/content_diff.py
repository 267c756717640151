"""What importing would change in an audit, listed before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.audit_content import AuditContent, TableRow
from models.questionnaire import Field, Questionnaire
from models.validation import format_value
from models.values import is_empty


@dataclass(frozen=True)
class Change:
    """One difference between an audit and what a workbook holds for it."""

    kind: str  # answer, comment, row added, row removed, row changed, rows reordered, audit
    question_id: str
    where: str  # the question's label, or "Table label, row 3"
    old: str
    new: str


def display_text(field: Field | None, value: Any) -> str:
    """A stored value as read on screen, even one that no longer fits its field."""
    if is_empty(value):
        return ""
    if field is None:
        return str(value)
    try:
        return format_value(field, value)
    except (TypeError, ValueError, KeyError):
        return str(value)


def _row_text(table: Any, cells: dict[str, Any]) -> str:
    parts = []
    for column in table.columns:
        value = cells.get(column.id)
        if not is_empty(value):
            parts.append(f"{column.label}: {display_text(column, value)}")
    return "; ".join(parts)


def diff_content(
    questionnaire: Questionnaire, old: AuditContent, new: AuditContent
) -> list[Change]:
    """Every answer, comment and table row that differs, in form order."""
    changes: list[Change] = []
    known = [q.id for q in questionnaire.questions()]
    extra = sorted(
        (set(old.answers) | set(new.answers) | set(old.comments) | set(new.comments)) - set(known)
    )
    for qid in known + extra:
        question = questionnaire.question(qid) if questionnaire.has_question(qid) else None
        label = question.label if question else qid
        if question is not None and question.is_table:
            section = questionnaire.section(question.section_id)
            title = section.title
            if sum(q.is_table for q in section.questions) > 1:  # which of them, as its sheet
                title += f" ({qid.replace('_', ' ')})"
            changes.extend(
                _table_changes(question, title, old.tables.get(qid, []), new.tables.get(qid, []))
            )
        else:
            before, after = old.answers.get(qid), new.answers.get(qid)
            if not (is_empty(before) and is_empty(after)) and before != after:
                changes.append(
                    Change(
                        "answer",
                        qid,
                        label,
                        display_text(question, before),
                        display_text(question, after),
                    )
                )
        before_c, after_c = old.comments.get(qid, ""), new.comments.get(qid, "")
        if before_c != after_c:
            changes.append(Change("comment", qid, label, before_c, after_c))
    return changes


def _table_changes(
    table: Any, title: str, old: list[TableRow], new: list[TableRow]
) -> list[Change]:
    """Rows matched by id where they have one; unmatched rows are additions and removals."""
    changes = []
    old_by_id = {r.id: (i, r) for i, r in enumerate(old) if r.id}
    matched: set[str] = set()
    for i, row in enumerate(new, 1):
        where = f"{title}, row {i}"
        found = old_by_id.get(row.id) if row.id and row.id not in matched else None
        if found is None:  # a new row, or a copy of a row whose id is already taken
            changes.append(Change("row added", table.id, where, "", _row_text(table, row.cells)))
            continue
        matched.add(row.id or "")
        _, before = found
        if _clean(before.cells) != _clean(row.cells):
            changes.append(
                Change(
                    "row changed",
                    table.id,
                    where,
                    _row_text(table, before.cells),
                    _row_text(table, row.cells),
                )
            )
    kept = list(dict.fromkeys(r.id for r in new if r.id in matched))
    if kept != [r.id for r in old if r.id in matched]:
        changes.append(Change("rows reordered", table.id, title, "", "rows in a new order"))
    for i, row in enumerate(old, 1):
        if row.id not in matched:
            changes.append(
                Change(
                    "row removed",
                    table.id,
                    f"{title}, row {i}",
                    _row_text(table, row.cells),
                    "",
                )
            )
    return changes


def _clean(cells: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cells.items() if not is_empty(v)}
