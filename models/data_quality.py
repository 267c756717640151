"""Open data-quality notes of an audit: its answers and rows checked by the questionnaire's rules.

The rules live in the questionnaire file (`data_quality:`, parsed by
models/data_quality_rules.py). The form shows the notes live, the submit dialog
lists them, and the board report prints them as an appendix. A rule never fires on
a blank: a comparison with an unanswered cell or question is false (only
`answered: false` looks for blanks), so a half-filled row raises nothing.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.audit_content import iter_table_rows
from models.data_quality_rules import CheckCondition, DataQualityRule, Operand
from models.questionnaire import Question, Questionnaire, get_questionnaire
from models.records import Audit
from models.store import Store
from models.validation import error_for as validate_error
from models.validation import format_value, visible_questions
from models.values import is_empty

Cells = Mapping[str, Any]


@dataclass(frozen=True)
class DataQualityNote:
    """One open note: which rule, and exactly where (section, question or table, rows, columns)."""

    rule_id: str
    severity: str
    message: str
    section_id: str
    section_title: str
    subject_id: str  # the table question, or the first question the rule reads
    rows: tuple[int, ...] = ()  # row numbers as the form shows them (1 = first)
    columns: tuple[str, ...] = ()  # column labels, or question labels for a question rule
    row_label: str = "row"
    kind: str = "data_quality"  # "conflict" for an answer the tables contradict (issue 15a)
    questions: tuple[str, ...] = ()  # every question a question rule reads (the form marks each)
    row_name: str = ""  # the row's first column, e.g. the supplier, so a reader can find it

    @property
    def place(self) -> str:
        """Where to look, e.g. "Senior technology roles, role 3 (Pay floor, Pay ceiling)"."""
        if not self.rows:
            quoted = [f"“{label}”" for label in self.columns]
            listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
            return f"{self.section_title}, question{'s' if len(quoted) != 1 else ''} {listed}"
        return f"{self.section_title}, {self._rows_and_columns()}"

    def _rows_and_columns(self) -> str:
        if len(self.rows) == 1:
            where = f"{self.row_label} {self.rows[0]}"
            if self.row_name:
                where += f" “{self.row_name}”"
        else:
            numbers = [str(n) for n in self.rows]
            where = f"{self.row_label}s {', '.join(numbers[:-1])} and {numbers[-1]}"
        return f"{where} ({', '.join(self.columns)})"

    @property
    def text(self) -> str:
        return f"{self.place}: {self.message}"

    @property
    def local_text(self) -> str:
        """The note under its own table or question: the rows, columns and message."""
        if not self.rows:
            return self.message
        return f"{self._rows_and_columns()}: {self.message}"

    def concerns(self, question_id: str) -> bool:
        """Whether the form shows this note under that question or table."""
        return question_id == self.subject_id or question_id in self.questions


def check_audit(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    tables: Mapping[str, Sequence[Cells]] | Callable[[str], Sequence[Cells]],
    cycle: str = "",
    *,
    table_notes: MutableMapping[str, list[DataQualityNote]] | None = None,
) -> list[DataQualityNote]:
    """Every note the questionnaire's rules raise on these answers and rows, in rule order.

    `tables` maps a table id to its rows' cells, or is a function reading them when first
    needed. `table_notes`, if given, keeps each table's notes between calls: the form
    drops a table's entry when the table is edited, so an answer typed elsewhere does not
    re-read thousands of rows (table rules read only their rows and the cycle).
    """
    shown = visible_questions(questionnaire, answers)
    facts = {k: v for k, v in answers.items() if k in shown and not is_empty(v)}
    context = _Context(facts, cycle_start(cycle))
    per_table = table_notes if table_notes is not None else {}
    notes: list[DataQualityNote] = []
    for table_id in dict.fromkeys(r.table for r in questionnaire.data_quality if r.table):
        if table_id in shown and table_id not in per_table:
            rows = tables(table_id) if callable(tables) else tables.get(table_id, ())
            per_table[table_id] = _table_notes(questionnaire, table_id, rows, context)
    for rule in questionnaire.data_quality:
        if rule.table is not None:
            if rule.table in shown:
                notes.extend(n for n in per_table[rule.table] if n.rule_id == rule.id)
        elif rule.when is not None and _holds(rule.when, facts, context):
            refs = rule.when.refs()
            first = questionnaire.question(refs[0])
            section = questionnaire.section(first.section_id)
            labels = tuple(questionnaire.question(r).label for r in refs)
            notes.append(
                DataQualityNote(
                    rule.id,
                    rule.severity,
                    rule.message,
                    section.id,
                    section.title,
                    first.id,
                    columns=labels,
                    questions=tuple(refs),
                )
            )
    return notes


def _table_notes(
    questionnaire: Questionnaire, table_id: str, rows: Sequence[Cells], context: _Context
) -> list[DataQualityNote]:
    """The notes of every rule on one table, in rule order."""
    table = questionnaire.question(table_id)
    notes: list[DataQualityNote] = []
    for rule in questionnaire.data_quality:
        if rule.table != table_id:
            continue
        if rule.unique:
            notes.extend(_duplicates(rule, questionnaire, table, rows))
        else:
            notes.extend(_row_notes(rule, questionnaire, table, rows, context))
    return notes


def combine_notes(
    data_quality: Sequence[DataQualityNote], conflicts: Sequence[DataQualityNote] = ()
) -> list[DataQualityNote]:
    """Everything open before sign-off: answer-versus-table conflicts first, then the rules'."""
    return [*conflicts, *data_quality]


def audit_notes(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    tables: Mapping[str, Sequence[Cells]] | Callable[[str], Sequence[Cells]],
    cycle: str = "",
    *,
    table_notes: MutableMapping[str, list[DataQualityNote]] | None = None,
) -> list[DataQualityNote]:
    """The open notes the form, the submit dialog and the report show for one audit.

    The one place every view gets its notes from: the rules' notes and the answers their
    table contradicts (conflict_notes), so the form, submit and the report list both.
    """
    notes = check_audit(questionnaire, answers, tables, cycle, table_notes=table_notes)
    return combine_notes(notes, conflict_notes(questionnaire, answers, tables))


def conflict_notes(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    tables: Mapping[str, Sequence[Cells]] | Callable[[str], Sequence[Cells]],
) -> list[DataQualityNote]:
    """Answers their table contradicts (models/indicator_flags.py), as notes beside the rules'."""
    from models.indicator_flags import flag_conflicts

    flags = [i for i in questionnaire.indicators if i.kind == "flag"]
    asked = {ref for i in flags for kind, ref, _ in i.sources if kind == "question"}
    if all(is_empty(answers.get(ref)) for ref in asked):
        return []  # only an answer can conflict with a table: no need to read the rows
    read = {ref for i in flags for kind, ref, _ in i.sources if kind == "table"}
    rows = {t: list(tables(t) if callable(tables) else tables.get(t, ())) for t in read}
    notes = []
    for conflict in flag_conflicts(questionnaire, answers, rows):
        question = questionnaire.question(conflict.question_id)
        section = questionnaire.section(question.section_id)
        notes.append(
            DataQualityNote(
                conflict.indicator_id,
                "warning",
                f"{conflict.message} Resolve before sign-off.",
                section.id,
                section.title,
                question.id,
                columns=(question.label,),
                kind="conflict",
                questions=(question.id,),
            )
        )
    return notes


_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")


def cycle_start(cycle: str) -> str | None:
    """1 January of the first year a cycle label names ("2014 review" -> 2014-01-01).

    None when the label names no year: a rule comparing with it then does not fire.
    """
    match = _YEAR.search(cycle)
    return f"{match.group(1)}{match.group(2)}-01-01" if match else None


@dataclass(frozen=True)
class _Context:
    facts: Mapping[str, Any]
    cycle_start: str | None


def _row_notes(
    rule: DataQualityRule,
    questionnaire: Questionnaire,
    table: Question,
    rows: Sequence[Cells],
    context: _Context,
) -> list[DataQualityNote]:
    assert rule.when is not None
    section = questionnaire.section(table.section_id)
    labels = tuple(table.column(c).label for c in rule.when.refs())
    return [
        DataQualityNote(
            rule.id,
            rule.severity,
            rule.message,
            section.id,
            _where(questionnaire, table),
            table.id,
            rows=(number,),
            columns=labels,
            row_label=table.row_label,
            row_name=_row_name(table, cells),
        )
        for number, cells in enumerate(rows, 1)
        if _holds(rule.when, cells, context)
    ]


def _where(questionnaire: Questionnaire, table: Question) -> str:
    """The table's section, with the table named when the section has more than one (as the
    board report's appendix titles): version 2's workforce section holds two tables, and
    "Workforce and contractor mix, row 2" named neither."""
    section = questionnaire.section(table.section_id)
    if sum(1 for q in section.questions if q.is_table) < 2:
        return section.title
    return f"{section.title}: {table.id.replace('_', ' ').capitalize()}"


def _row_name(table: Question, cells: Cells) -> str:
    """The row's first cell as the form shows it ('' if blank or a person's name)."""
    first = table.columns[0]
    value = cells.get(first.id)
    if first.personal_data or is_empty(value) or validate_error(first, value):
        return ""
    return format_value(first, value)


def _duplicates(
    rule: DataQualityRule, questionnaire: Questionnaire, table: Question, rows: Sequence[Cells]
) -> list[DataQualityNote]:
    """One note per set of rows sharing the same (filled, case-blind) values."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for number, cells in enumerate(rows, 1):
        values = [cells.get(c) for c in rule.unique]
        if any(is_empty(v) for v in values):
            continue  # a blank is not a duplicate of another blank
        key = tuple(" ".join(str(v).split()).casefold() for v in values)
        groups.setdefault(key, []).append(number)
    section = questionnaire.section(table.section_id)
    labels = tuple(table.column(c).label for c in rule.unique)
    return [
        DataQualityNote(
            rule.id,
            rule.severity,
            rule.message,
            section.id,
            _where(questionnaire, table),
            table.id,
            rows=tuple(numbers),
            columns=labels,
            row_label=table.row_label,
        )
        for numbers in groups.values()
        if len(numbers) > 1
    ]


def _holds(cond: CheckCondition, values: Mapping[str, Any], context: _Context) -> bool:
    if cond.op == "all":
        return all(_holds(c, values, context) for c in cond.children)
    if cond.op == "any":
        return any(_holds(c, values, context) for c in cond.children)
    value = values.get(cond.ref)
    if cond.op == "answered":
        return (not is_empty(value)) is cond.value
    if is_empty(value):
        return False  # a blank never breaks a rule
    if cond.op == "equals":
        return _matches(value, cond.value)
    if cond.op == "not_equals":
        return not _matches(value, cond.value)
    if cond.op == "in":
        return any(_matches(value, v) for v in cond.value)
    assert isinstance(cond.value, Operand)
    other = _operand(cond.value, values, context)
    if other is None:
        return False
    return _ordered(cond.op, value, other)


def _operand(operand: Operand, values: Mapping[str, Any], context: _Context) -> Any:
    if operand.kind == "value":
        return operand.value
    if operand.kind == "audit":
        return context.cycle_start
    source = values if operand.kind == "column" else context.facts
    value = source.get(str(operand.value))
    return None if is_empty(value) else value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "above": operator.gt,
    "below": operator.lt,
    "at_least": operator.ge,
    "at_most": operator.le,
}


def _ordered(op: str, left: Any, right: Any) -> bool:
    """Numbers with numbers, ISO dates with ISO dates; anything else (bad data) is no note."""
    if _is_number(left) and _is_number(right):
        return bool(_ORDER[op](left, right))
    if (
        isinstance(left, str)
        and isinstance(right, str)
        and _ISO_DATE.fullmatch(left)
        and _ISO_DATE.fullmatch(right)
    ):
        return bool(_ORDER[op](left, right))
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(value, list):
        return expected in value
    return isinstance(value, bool) == isinstance(expected, bool) and value == expected


def open_notes(
    store: Store,
    audit: Audit,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    table_notes: MutableMapping[str, list[DataQualityNote]],
) -> list[DataQualityNote]:
    """The form's live check: tables read from the store only when not in `table_notes`."""

    def rows_of(table_id: str) -> list[dict[str, Any]]:
        return [row.cells for row in store.rows(audit.id, table_id)]

    return audit_notes(questionnaire, answers, rows_of, audit.cycle, table_notes=table_notes)


def stored_audit_notes(store: Store, audit_id: str) -> list[DataQualityNote]:
    """The open notes of an audit as stored: for the submit check and the board report."""
    audit = store.audit(audit_id)
    questionnaire = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table_id, _row_id, cells in iter_table_rows(store, audit_id):
        tables.setdefault(table_id, []).append(cells)
    return audit_notes(questionnaire, store.answers(audit_id), tables, audit.cycle)
