"""Yes/no indicators: the explicit answer decides, a table that disagrees makes it conflicting.

The rule, for a flag such as "A CIO or equivalent sits on the board":

* The answer to the flag's question decides: Yes or No.
* Rows of a table are evidence, never the decision. A row that says the flag holds
  (a board-member CIO) against an answer of No, or a row that says it does not (a CIO
  who is not a board member, and no row that says one is) against an answer of Yes,
  makes the value CONFLICTING: no Yes or No is printed, the conflict is described, and
  `flag_conflicts` lists it for the form and the report to resolve before sign-off.
* Unanswered is NOT_ANSWERED, never No. If the table suggests the flag holds, the value
  is still not answered; the note says what the table shows, labelled as the table's.
* An answer that rules the flag out (`means: false`, e.g. no Digital Leader nominated)
  counts as an answer of No when the flag's own question is hidden or blank.

A flag with no question source at all is a fact about its table (the old rule).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.questionnaire import Indicator, Questionnaire
from models.validation import condition_holds, format_value, row_predicate
from models.values import is_empty, yes_no

if TYPE_CHECKING:
    from models.store import Store

ANSWERED, NOT_ANSWERED, CONFLICTING = "answered", "not_answered", "conflicting"
NOT_ANSWERED_TEXT = "Not answered"
CONFLICTING_TEXT = "Conflicting — resolve before sign-off"

Cells = Mapping[str, Any]


@dataclass(frozen=True)
class FlagOutcome:
    """What a flag's sources say: the value (None unless decided), its status and a note."""

    value: bool | None
    status: str  # ANSWERED, NOT_ANSWERED or CONFLICTING
    note: str = ""  # the conflict, or what the table shows about an unanswered question
    answered: bool = False  # the flag's question (or one that rules it out) is answered
    rows: tuple[int, ...] = ()  # 1-based numbers of the first rows (up to 6) in conflict or noted
    table: str = ""  # the table those rows are in


@dataclass(frozen=True)
class FlagConflict:
    """An answer and a table that disagree: what the form warns about and the report lists."""

    indicator_id: str
    label: str
    question_id: str
    table_id: str
    rows: tuple[int, ...]  # the first (up to 6) 1-based row numbers, as the form numbers them
    message: str


def _row_name(cells: Cells, questionnaire: Questionnaire | None, table_id: str) -> str:
    """'row 2 (CIO-01, Chief Information Officer)': the number and the first filled text cells."""
    parts: list[str] = []
    if questionnaire is not None and questionnaire.has_question(table_id):
        for column in questionnaire.question(table_id).columns:
            if column.personal_data or column.type not in ("text", "single_choice"):
                continue
            value = cells.get(column.id)
            if not is_empty(value):
                parts.append(format_value(column, value))
            if len(parts) == 2:
                break
    return ", ".join(parts)


_NAMED = 5  # rows named in a note; one more is looked for, to say there are others


def _matching(
    ref: str, table_rows: Sequence[Cells], holds: Any, limit: int
) -> list[tuple[str, int]]:
    """(table, 1-based row number) of the first `limit` rows the predicate holds for."""
    found: list[tuple[str, int]] = []
    for number, row in enumerate(table_rows, 1):
        if len(found) >= limit:
            break
        if holds(row):
            found.append((ref, number))
    return found


def _rows_text(
    numbers: Sequence[int],
    rows: Sequence[Cells],
    questionnaire: Questionnaire | None,
    table_id: str,
) -> str:
    named = []
    for n in numbers[:_NAMED]:
        name = _row_name(rows[n - 1], questionnaire, table_id)
        named.append(f"row {n} ({name})" if name else f"row {n}")
    more = " and others" if len(numbers) > _NAMED else ""
    return ", ".join(named) + more


def _table_title(questionnaire: Questionnaire | None, table_id: str) -> str:
    if questionnaire is not None and questionnaire.has_question(table_id):
        section = questionnaire.question(table_id).section_id
        return f"the {questionnaire.section(section).title} table"
    return f"the {table_id} table"


def evaluate_flag(
    indicator: Indicator,
    answers: Mapping[str, Any],
    rows: Mapping[str, Sequence[Cells]],
    questionnaire: Questionnaire | None = None,
) -> FlagOutcome:
    """Apply the rule in this module's docstring to one flag (answers and rows shown only)."""
    answer: bool | None = None
    question_id = ""
    for kind, ref, cond in indicator.sources:
        if kind != "question":
            continue
        question_id = question_id or ref
        if any(not is_empty(answers.get(r)) for r in cond.refs()):
            answer = bool(answer) or condition_holds(cond, answers)
    ruled_out = ""  # the question whose answer rules the flag out
    if answer is None:
        for cond in indicator.means_no:
            if all(not is_empty(answers.get(r)) for r in cond.refs()) and condition_holds(
                cond, answers
            ):
                answer, ruled_out = False, next(cond.refs())
                break

    yes: list[tuple[str, int]] = []
    known_table = False
    for kind, ref, cond in indicator.sources:
        if kind == "table":
            table_rows = rows.get(ref, ())
            known_table = known_table or bool(table_rows)
            yes += _matching(ref, table_rows, row_predicate(cond), _NAMED + 1 - len(yes))

    def against() -> list[tuple[str, int]]:
        """Rows that say the flag does not hold: read only when they could matter."""
        found: list[tuple[str, int]] = []
        for ref, cond in indicator.against:
            found += _matching(ref, rows.get(ref, ()), row_predicate(cond), _NAMED + 1)
        return found

    if not question_id:  # a flag about a table alone
        value = True if yes else (False if known_table else None)
        status = ANSWERED if value is not None else NOT_ANSWERED
        return FlagOutcome(value, status, answered=value is not None)

    label = questionnaire.question(question_id).label if questionnaire is not None else ""
    asked = f"'{label}'" if label else f"question {question_id}"

    def described(evidence: list[tuple[str, int]], says: str) -> tuple[str, tuple[int, ...], str]:
        table_id = evidence[0][0]
        numbers = tuple(i for t, i in evidence if t == table_id)
        listed = _rows_text(numbers, rows.get(table_id, ()), questionnaire, table_id)
        return f"{_table_title(questionnaire, table_id)} {says}: {listed}", numbers, table_id

    if answer is None:
        if yes:
            shows, numbers, table_id = described(yes, "lists a board member of this kind")
            note = (
                f"Not answered, though {shows}. Answer {asked} to confirm; "
                "the table alone is not taken as the answer."
            )
            return FlagOutcome(None, NOT_ANSWERED, note, False, numbers, table_id)
        return FlagOutcome(None, NOT_ANSWERED)
    if answer is False and yes:
        why = f"Answered No to {asked}"
        if ruled_out:
            ruling = questionnaire.question(ruled_out) if questionnaire is not None else None
            shown = format_value(ruling, answers.get(ruled_out)) if ruling is not None else "?"
            name = f"'{ruling.label}'" if ruling is not None else f"question {ruled_out}"
            why = f"Answered {shown} to {name}, which rules this out"
        shows, numbers, table_id = described(yes, "lists a board member of this kind")
        note = f"{why}, but {shows}."
        return FlagOutcome(None, CONFLICTING, note, True, numbers, table_id)
    no = against() if answer is True and not yes else []
    if no:
        shows, numbers, table_id = described(no, "shows this post but not as a board member")
        note = f"Answered Yes to {asked}, but {shows}."
        return FlagOutcome(None, CONFLICTING, note, True, numbers, table_id)
    return FlagOutcome(answer, ANSWERED, answered=True)


def flag_conflicts(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    rows: Mapping[str, Sequence[Cells]],
) -> list[FlagConflict]:
    """Every flag whose answer and table disagree, for the form's data-quality warnings.

    Reads only what the form shows, as scoring does: a hidden answer is not a fact.
    """
    from models.validation import visible_questions

    shown = visible_questions(questionnaire, answers)
    shown_answers = {k: v for k, v in answers.items() if k in shown}
    shown_rows = {k: v for k, v in rows.items() if k in shown}
    found = []
    for indicator in questionnaire.indicators:
        if indicator.kind != "flag":
            continue
        outcome = evaluate_flag(indicator, shown_answers, shown_rows, questionnaire)
        if outcome.status == CONFLICTING:
            question_id = next(ref for kind, ref, _ in indicator.sources if kind == "question")
            found.append(
                FlagConflict(
                    indicator.id,
                    indicator.label,
                    question_id,
                    outcome.table,
                    outcome.rows,
                    outcome.note,
                )
            )
    return found


def audit_flag_conflicts(
    store: Store, audit_id: str, questionnaire: Questionnaire
) -> list[FlagConflict]:
    """flag_conflicts of a stored audit: the data-quality warnings the form and report show."""
    from models.completion import stored_rows

    return flag_conflicts(
        questionnaire, store.answers(audit_id), stored_rows(store, audit_id, questionnaire)
    )


def flag_text(value: bool | None, status: str) -> str:
    """A flag as every page prints it: Yes, No, Not answered or Conflicting — never a guess."""
    if status == CONFLICTING:
        return CONFLICTING_TEXT
    if value is None:
        return NOT_ANSWERED_TEXT
    return yes_no(value)
