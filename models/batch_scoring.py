"""Many audits' figures in one pass, by the same rules as scoring them one at a time.

Scoring audit by audit (models/cycle_summary.score_one) reads each audit's answers and rows
with queries of its own and tests every row against every share's conditions, condition
by condition. Here the answers and rows of every audit asked for come in two queries, and
a share's conditions are tested once per distinct combination of the cells they read (a
key of each cell's type and value, so True and 1 stay apart): each combination is tested
with the very predicates scoring uses, on a row that has it. Sums run over the rows in
table order, as scoring adds them, and everything else (sections, flags, groups,
differences, completion) calls the scoring functions themselves, so every figure is the
same, bit for bit (tests/models/test_batch_scoring.py checks it over random audits).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from models.json_text import loads
from models.questionnaire import Condition, Indicator, Questionnaire
from models.score_cache import KeptFigures
from models.scoring import (
    AuditScore,
    IndicatorValue,
    completion_of,
    compute_indicator,
    difference,
    score_sections,
    share_value,
)
from models.store_content import ROW_SEPARATOR
from models.validation import row_predicate, visible_questions
from models.values import is_empty

if TYPE_CHECKING:
    from models.records import Audit
    from models.store import Store

Cells = Mapping[str, Any]
Rows = dict[str, list[dict[str, Any]]]


def read_many(
    store: Store, audits: Sequence[Audit], forms: Sequence[Questionnaire]
) -> list[tuple[dict[str, Any], Rows | None]]:
    """Each audit's answers and its tables' rows as cycle_summary.audit_rows gives them;
    rows None when one is not a JSON object (scored one at a time, which says what is wrong).

    Rows come a table at a time (store.table_texts), put in position order here; row by
    row (store.cells_of) when SQLite cannot join a table or its text cannot be split.
    """
    ids = [a.id for a in audits]
    answers = store.answers_of(ids)
    tables: dict[str, Rows] = {
        a.id: {t.id: [] for t in form.table_questions()}
        for a, form in zip(audits, forms, strict=True)
    }
    odd = _joined_rows(store, ids, tables)
    if odd is None:
        for rows in tables.values():
            for found in rows.values():
                found.clear()
        odd = _rows_one_by_one(store, ids, tables)
    return [(answers[a.id], None if a.id in odd else tables[a.id]) for a in audits]


def _joined_rows(store: Store, ids: Sequence[str], tables: dict[str, Rows]) -> set[str] | None:
    """Fill `tables` a table at a time; the audits holding a row that is not an object, or
    None when a table cannot be read joined (too long, not UTF-8, a row holding the
    separator, a position that is not a whole number: all written by hand)."""
    odd: set[str] = set()
    try:
        joined_tables = store.table_texts(ids)
    except sqlite3.Error:
        return None
    for audit_id, table_id, count, joined, positions in joined_tables:
        found = tables[audit_id].get(table_id)
        if found is None:
            continue
        texts = joined.split(ROW_SEPARATOR)
        try:
            order = [int(p) for p in positions.split(",")]
        except ValueError:
            return None
        if len(texts) != count:
            return None
        cells = [loads(text) if text else {} for text in texts]
        if any(c.__class__ is not dict for c in cells):
            odd.add(audit_id)
        if any(a > b for a, b in pairwise(order)):
            cells = [c for _, c in sorted(zip(order, cells, strict=True), key=_first)]
        found += cells
    return odd


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _rows_one_by_one(store: Store, ids: Sequence[str], tables: dict[str, Rows]) -> set[str]:
    """Fill `tables` one stored row at a time; the audits holding a row not an object."""
    odd: set[str] = set()
    for audit_id, table_id, text in store.cells_of(ids):
        found = tables[audit_id].get(table_id)
        if found is not None:
            cells = loads(text) if text else {}
            if cells.__class__ is not dict:
                odd.add(audit_id)
            found.append(cells)
    return odd


ROWS_PER_READ = 50_000  # rows decoded at once: a cycle of large imports is read in parts


def score_many(
    store: Store,
    audits: Sequence[Audit],
    forms: Sequence[Questionnaire],
    one_at_a_time: Callable[[Store, Audit, Questionnaire], KeptFigures],
) -> list[KeptFigures]:
    """Each audit's figures, read in parts of at most ROWS_PER_READ rows (an audit larger
    than that on its own); an audit with a row that is not a JSON object goes to
    `one_at_a_time` (cycle_summary.score_one), which says what is wrong with it."""
    totals = store.row_totals([a.id for a in audits])
    parts: list[list[int]] = []
    held = 0
    for i, audit in enumerate(audits):
        if not parts or held + totals[audit.id] > ROWS_PER_READ:
            parts.append([])
            held = 0
        parts[-1].append(i)
        held += totals[audit.id]
    out: list[KeptFigures] = []
    for part in parts:
        chosen = [audits[i] for i in part]
        chosen_forms = [forms[i] for i in part]
        read = read_many(store, chosen, chosen_forms)
        for audit, form, (answers, rows) in zip(chosen, chosen_forms, read, strict=True):
            if rows is None:
                out.append(one_at_a_time(store, audit, form))
            else:
                out.append(figures_of(form, answers, rows))
    return out


def complete_counts(
    questionnaire: Questionnaire, rows: Mapping[str, Sequence[Cells]]
) -> dict[str, int]:
    """models.completion.complete_row_counts, with is_empty written out in the loop."""
    counts = {}
    for table in questionnaire.table_questions():
        required = [c.id for c in table.columns if c.required]
        count = 0
        for cells in rows.get(table.id, ()):
            for column_id in required:
                value = cells.get(column_id)
                if value is None or value == "" or value == []:  # is_empty
                    break
            else:
                count += 1
        counts[table.id] = count
    return counts


class _Table:
    """A table's rows sorted into distinct combinations of the cells the conditions read.

    Two rows with the same type and value in every one of `columns` meet any condition on
    those columns alike, so each condition is tested once per combination, on a row that
    has it (a row holding a list, which has no key, is a combination of its own).
    """

    def __init__(self, rows: Sequence[Cells], columns: Sequence[str]) -> None:
        self.rows = rows
        self.columns = frozenset(columns)
        self.ids: list[int] = []  # each row's combination
        self.reps: list[Cells] = []  # a row of each combination
        seen: dict[Any, int] = {}
        keys = tuple(columns)
        for row in rows:
            try:
                values = tuple(map(row.get, keys))
                key = (values, tuple(map(type, values)))  # True == 1, but not as types
                found = seen.get(key)
            except TypeError:  # unhashable: a list
                key, found = None, None
            if found is None:
                found = len(self.reps)
                self.reps.append(row)
                if key is not None:
                    seen[key] = found
            self.ids.append(found)
        self._tested: dict[int, tuple[Condition, list[bool]]] = {}

    def test(self, cond: Condition) -> list[bool]:
        """The condition's verdict on each row (row_predicate's, as scoring tests it)."""
        known = self._tested.get(id(cond))
        if known is not None and known[0] is cond:
            return known[1]
        verdicts = self.combination_verdicts(cond)
        if verdicts is not None:
            found = [verdicts[i] for i in self.ids]
        else:  # reads a cell outside the key: tested row by row
            holds = row_predicate(cond)
            found = [holds(row) for row in self.rows]
        self._tested[id(cond)] = (cond, found)
        return found

    def combination_verdicts(self, cond: Condition) -> list[bool] | None:
        """The condition's verdict on each combination; None if it reads a cell outside
        the key (so rows of one combination may differ)."""
        if not self.columns.issuperset(cond.refs()):
            return None
        holds = row_predicate(cond)
        return [holds(rep) for rep in self.reps]

    def combination_filled(self, columns: Sequence[str]) -> list[bool] | None:
        """Per combination: none of these cells is empty; None if one is outside the key."""
        if not self.columns.issuperset(columns):
            return None
        return [not any(is_empty(rep.get(c)) for c in columns) for rep in self.reps]

    def filled(self, columns: Sequence[str]) -> list[bool]:
        """Per row: none of these cells is empty (is_empty)."""
        verdicts = self.combination_filled(columns)
        if verdicts is not None:
            return [verdicts[i] for i in self.ids]
        return [not any(is_empty(row.get(c)) for c in columns) for row in self.rows]

    def sizes(self) -> list[int]:
        """How many rows each combination has."""
        found = [0] * len(self.reps)
        for combination, count in Counter(self.ids).items():
            found[combination] = count
        return found


def _conditions(indicator: Indicator) -> list[tuple[str, Condition]]:
    """(table id, condition) of every row condition the indicator tests."""
    if indicator.kind == "share" and indicator.table is not None:
        found = [(indicator.table, c) for c in (indicator.where, indicator.exclude) if c]
        return found
    if indicator.kind == "flag":
        found = [(ref, cond) for kind, ref, cond in indicator.sources if kind == "table"]
        return found + list(indicator.against)
    return []


def _tables(questionnaire: Questionnaire, rows: Mapping[str, Sequence[Cells]]) -> dict[str, _Table]:
    """Every table a share or flag tests, keyed on the columns its conditions read."""
    columns: dict[str, dict[str, None]] = {}
    for indicator in questionnaire.indicators:
        for table_id, cond in _conditions(indicator):
            columns.setdefault(table_id, {}).update(dict.fromkeys(cond.refs()))
    return {t: _Table(rows.get(t, ()), list(c)) for t, c in columns.items()}


def _count_share(indicator: Indicator, table: _Table, threshold: float) -> IndicatorValue | None:
    """A share of rows counted (no value column) whose every test reads only key cells:
    added up per combination. Each counted row adds 1.0, and whole numbers below 2**53
    add exactly in any order, so the figures are _share's; None when a test reads a cell
    outside the key."""
    assert indicator.where is not None
    out = None
    if indicator.exclude is not None:
        out = table.combination_verdicts(indicator.exclude)
        if out is None:
            return None
    usable = table.combination_filled([*dict.fromkeys(indicator.where.refs())])
    where = table.combination_verdicts(indicator.where)
    if usable is None or where is None:
        return None
    kept = counted = hits = 0
    for combination, size in enumerate(table.sizes()):
        if out is not None and out[combination]:
            continue
        kept += size
        if usable[combination]:
            counted += size
            if where[combination]:
                hits += size
    # sum() of no values is the int 0, of n ones the float n: what _share passes on.
    part = float(hits) if hits else 0
    total = float(counted) if counted else 0
    return share_value(indicator, part, total, counted, kept, threshold)


def _share(indicator: Indicator, table: _Table, threshold: float) -> IndicatorValue:
    """scoring.compute_indicator for a share: the same tests, made once per combination."""
    assert indicator.where is not None
    column = indicator.value_column
    if column is None:
        by_combination = _count_share(indicator, table, threshold)
        if by_combination is not None:
            return by_combination
    out = table.test(indicator.exclude) if indicator.exclude is not None else None
    usable = table.filled([*dict.fromkeys(indicator.where.refs())])
    where = table.test(indicator.where)
    kept = 0  # rows not left out: the coverage's total
    values: list[float] = []
    parts: list[float] = []
    for i, row in enumerate(table.rows):
        if out is not None and out[i]:
            continue
        kept += 1
        if not usable[i]:
            continue
        if column is None:
            value = 1.0
        else:
            found = row.get(column)
            if not isinstance(found, int | float) or isinstance(found, bool):  # _is_number
                continue
            value = float(row[column])
        values.append(value)
        if where[i]:
            parts.append(value)
    total = sum(values)  # in table order, as scoring adds them
    part = sum(parts)
    return share_value(indicator, part, total, len(values), kept, threshold)


_FLAG_ROWS = 6  # evaluate_flag looks for at most this many rows per condition (_NAMED + 1)


def _flag_rows(
    indicator: Indicator, tables: Mapping[str, _Table], rows: Mapping[str, Sequence[Cells]]
) -> dict[str, Sequence[Cells]]:
    """The rows evaluate_flag is given, each tested table cut after the last row it can reach.

    evaluate_flag reads a table only for the first six rows meeting each condition, their
    numbers and names, and whether the table has any rows: all of which a table cut after
    the sixth (or last) row meeting any of its conditions, and never below one row, keeps.
    """
    cut: dict[str, int] = {}
    for table_id, cond in _conditions(indicator):
        numbers = [n for n, hit in enumerate(tables[table_id].test(cond), 1) if hit]
        reach = numbers[:_FLAG_ROWS][-1] if numbers else 0
        cut[table_id] = max(cut.get(table_id, 1), reach)
    given = dict(rows)
    for table_id, upto in cut.items():
        if table_id in given:
            given[table_id] = given[table_id][:upto]
    return given


def score_audit_fast(
    questionnaire: Questionnaire, answers: Mapping[str, Any], rows: Mapping[str, Sequence[Cells]]
) -> AuditScore:
    """scoring.score_audit, shares and flags' tables tested once per combination of cells."""
    shown = visible_questions(questionnaire, answers)
    sections = score_sections(questionnaire, answers, shown)
    shown_answers = {k: v for k, v in answers.items() if k in shown}
    shown_rows = {k: v for k, v in rows.items() if k in shown}
    tables = _tables(questionnaire, shown_rows)
    threshold = questionnaire.provisional_below
    indicators: dict[str, IndicatorValue] = {}
    for ind in questionnaire.indicators:
        if ind.kind == "difference":
            indicators[ind.id] = difference(ind, indicators)
        elif ind.kind == "share" and ind.table is not None and ind.latest is None:
            indicators[ind.id] = _share(ind, tables[ind.table], threshold)
        elif ind.kind == "flag":
            given = _flag_rows(ind, tables, shown_rows)
            indicators[ind.id] = compute_indicator(ind, shown_answers, given, questionnaire)
        else:
            indicators[ind.id] = compute_indicator(ind, shown_answers, shown_rows, questionnaire)
    return AuditScore(
        sections.section_maturity,
        sections.overall,
        sections.question_points,
        indicators,
        sections.section_coverage,
        sections.overall_coverage,
    )


def figures_of(
    questionnaire: Questionnaire, answers: Mapping[str, Any], rows: Mapping[str, Sequence[Cells]]
) -> KeptFigures:
    """cycle_summary.score_one on answers and rows already read."""
    counts = complete_counts(questionnaire, rows)  # a half-filled row answers nothing
    done = completion_of(questionnaire, answers, counts)
    return KeptFigures(
        score=score_audit_fast(questionnaire, answers, rows),
        completion=done.percent,
        missing_required=done.missing_required,
        answered=done.answered,
        shown=done.shown,
    )
