"""One side of a merge conflict as the form shows its values: "£240,000,000.00", choices
by their labels, dates as dates; models/merge_records.show words other records."""

from __future__ import annotations

from typing import Any

from models.merge import Conflict, Version, changed_by, show
from models.questionnaire import DefinitionError, Field, Question, get_questionnaire
from models.validation import format_value
from models.values import in_words, is_empty


def _question(conflict: Conflict, key: tuple[str, int]) -> Question | None:
    try:
        questionnaire = get_questionnaire(*key)
    except DefinitionError:
        return None
    if not questionnaire.has_question(conflict.question_id):
        return None
    return questionnaire.question(conflict.question_id)


def _shown(field: Field | None, value: Any) -> str:
    """A value as the form shows it ("(blank)" for nothing); never a raw float."""
    if is_empty(value):
        return in_words(value)
    try:
        return format_value(field, value) if field is not None else in_words(value)
    except (TypeError, ValueError):  # a value of another type than the field's: as stored
        return in_words(value)


def _cells(question: Question, value: dict[str, Any], other: Any) -> str:
    """A row's cells that differ from the other side's, each with its column's label."""
    against = other if isinstance(other, dict) else None
    keys = [k for k in value if against is None or value.get(k) != against.get(k)]
    if against is not None:
        keys += [k for k in against if k not in value]  # cleared here
    columns = {c.id: c for c in question.columns}
    parts = []
    for k in keys:
        column = columns.get(k)
        label = column.label if column is not None else k
        parts.append(f"{label}: {_shown(column, value.get(k))}")
    return "; ".join(parts) or "(same cells)"


def side_text(version: Version, other: Version, key: tuple[str, int], conflict: Conflict) -> str:
    """One side of a conflict: its value as the form shows it, then who changed it when."""
    question = _question(conflict, key) if conflict.kind in ("answer", "row") else None
    value = version.value
    if question is None or value is None:
        text = show(version, other, key, conflict, by=False)
    elif conflict.kind == "row" and isinstance(value, dict) and question.is_table:
        text = _cells(question, value, other.value)
    else:
        text = _shown(question, value)
    who = changed_by(version)
    return f"{text}\n— {who}" if who else text
