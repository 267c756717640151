"""Maturity per section, completion, and derived indicators: the one implementation reports use."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import mean
from typing import Any

from models.formatting import share_as_printed
from models.indicator_flags import ANSWERED, evaluate_flag, flag_text
from models.questionnaire import Indicator, Question, Questionnaire
from models.validation import is_answered, row_predicate, visible_questions
from models.values import is_empty

Cells = Mapping[str, Any]


@dataclass(frozen=True)
class Coverage:
    """How much a figure rests on: n of m answered (questions, or table rows usable).

    `provisional` is set when the answered share is below the questionnaire's
    `provisional_below`: the figure is printed, but marked as resting on thin evidence.
    """

    answered: int
    total: int
    provisional: bool = False

    @property
    def text(self) -> str:
        """'1 of 4 answered'."""
        return f"{self.answered} of {self.total} answered"

    @property
    def marker(self) -> str:
        """'Provisional (1 of 4 answered)' beside a rating on thin evidence, else ''."""
        return f"Provisional ({self.text})" if self.provisional else ""


def coverage(answered: int, total: int, threshold: float) -> Coverage:
    """n of m, provisional when some of m exist and fewer than `threshold` of them answered."""
    thin = total > 0 and answered < total and answered / total < threshold
    return Coverage(answered, total, thin)


def exact_share(part: float, total: float) -> float | None:
    """100 × part / total, unrounded (None of nothing): the float nearest the true share, but
    never on a line the true share is off, so whole-percent rounding decides as the true share
    does. A part above none stays above 0 and one short of the whole below 100 (rounded to
    2 places, 1 of 40,001 FTE was 0.0, printed "0%", and 99.996% "100%": review F2)."""
    if not total or not (math.isfinite(part) and math.isfinite(total)):
        return None
    true = Fraction(part) * 100 / Fraction(total)
    try:
        share = float(true)
    except OverflowError:  # part beyond 1e306 times the total: no share to speak of
        return None
    half = Fraction(1, 2)
    for line in (Fraction(0), Fraction(100), math.floor(true) + half, math.ceil(true) - half):
        if share == line and true != line:
            share = math.nextafter(share, -math.inf if true < line else math.inf)
    return share


def share_value(
    indicator: Indicator, part: float, total: float, counted: int, rows: int, threshold: float
) -> IndicatorValue:
    """A share indicator's figure: part of total in percent, unrounded (exact_share),
    covering the `counted` of `rows` table rows that could be counted."""
    if not (math.isfinite(part) and math.isfinite(total)):  # cells past 1e308 in all, stored
        part = total = 0.0  # before validation bounded them: no share, and none counted
        counted = 0
    share = exact_share(part, total)
    return IndicatorValue(
        indicator.id,
        indicator.label,
        "share",
        share,
        part,
        total,
        coverage=coverage(counted, rows, threshold),
    )


@dataclass(frozen=True)
class SectionProgress:
    """How far a section has been filled in (visible questions only).

    `row_counts` passed in should count complete rows only (complete_row_counts), so a
    blank or half-filled row does not answer a required table.
    """

    section_id: str
    answered: int
    total: int
    required_answered: int
    required_total: int
    coverage: Coverage | None = field(default=None, compare=False)  # scoring questions

    @property
    def complete(self) -> bool:
        """Every visible required question answered, and, with none required, something
        answered: an untouched section is not complete."""
        if self.required_total == 0:
            return self.answered > 0
        return self.required_answered == self.required_total


@dataclass(frozen=True)
class IndicatorValue:
    """A computed indicator: a share (percentage), a flag, or per-group counts and sums.

    A flag's `value` is True or False only when answered without conflict; `status`
    (models.indicator_flags: answered, not_answered, conflicting) says why it is None,
    and `note` describes a conflict. Print a flag with `text`, never from `value` alone.
    """

    id: str
    label: str
    kind: str
    value: float | bool | None
    numerator: float = 0.0
    denominator: float = 0.0
    groups: dict[str, tuple[int, float]] = field(default_factory=dict)
    status: str = ANSWERED
    note: str = ""
    coverage: Coverage | None = None
    # per group, the rows whose value is recorded: a group's sum counts a blank as 0, so
    # a sum is the group's total only when every row of it is valued
    valued: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """A flag as the reports print it: Yes, No, Not answered, or Conflicting — resolve…"""
        if self.kind == "flag":
            return flag_text(self.value if isinstance(self.value, bool) else None, self.status)
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class AuditScore:
    """Everything derived from one audit's answers."""

    section_maturity: dict[str, float | None]
    overall: float | None
    question_points: dict[str, float]
    indicators: dict[str, IndicatorValue]
    section_coverage: dict[str, Coverage] = field(default_factory=dict)
    # answered scoring questions of every visible one in the scored sections: the overall's
    overall_coverage: Coverage | None = None


def question_points(question: Question, value: Any) -> float | None:
    """The 1-5 points an answer earns under the question's scoring rule, or None.

    A stored value that does not fit its question (changed outside the app) earns nothing
    rather than a guess or a crash.
    """
    rule = question.score
    if rule is None or is_empty(value):
        return None
    if rule.kind in ("value", "bands") and not _is_number(value):
        return None
    if rule.kind == "value":
        return float(value) if 1 <= value <= 5 else None
    if rule.kind == "map":
        if not isinstance(value, str | bool | int | float):
            return None
        points = rule.mapping.get(value)
        return None if points is None else float(points)
    if rule.kind == "per_selected":
        if not isinstance(value, list):
            return None
        # An exclusive option ("None of these") is not an area: it earns nothing itself.
        named = [v for v in value if v not in question.exclusive_values]
        return float(min(rule.cap, max(1.0, rule.per_selected * len(named))))
    for band in rule.bands:  # bands
        if (band.low is None or value >= band.low) and (band.high is None or value < band.high):
            return band.points
    return None


def section_progress(
    questionnaire: Questionnaire, answers: Mapping[str, Any], row_counts: Mapping[str, int]
) -> dict[str, SectionProgress]:
    """Answered and required-answered counts per section; `row_counts` of complete rows."""
    shown = visible_questions(questionnaire, answers)
    result = {}
    for section in questionnaire.sections:
        visible = [q for q in section.questions if q.id in shown]
        done = [q for q in visible if is_answered(q, answers, row_counts)]
        required = [q for q in visible if q.required]
        scoring = [q for q in visible if q.score is not None]
        result[section.id] = SectionProgress(
            section.id,
            len(done),
            len(visible),
            sum(1 for q in required if q in done),
            len(required),
            coverage(
                sum(1 for q in scoring if q in done),
                len(scoring),
                questionnaire.provisional_below,
            ),
        )
    return result


def missing_required(
    questionnaire: Questionnaire, answers: Mapping[str, Any], row_counts: Mapping[str, int]
) -> list[Question]:
    """Required, visible questions still unanswered, in form order."""
    shown = visible_questions(questionnaire, answers)
    return [
        q
        for q in questionnaire.questions()
        if q.required and q.id in shown and not is_answered(q, answers, row_counts)
    ]


@dataclass(frozen=True)
class Completion:
    """How much of an audit is answered: what the dashboard, reports and kept figures show."""

    percent: float | None  # visible questions answered, 0-100; None when none is shown
    missing_required: int
    answered: int
    shown: int


def completion_of(
    questionnaire: Questionnaire, answers: Mapping[str, Any], row_counts: Mapping[str, int]
) -> Completion:
    """Completion from answers and complete-row counts (a half-filled row answers nothing)."""
    progress = section_progress(questionnaire, answers, row_counts).values()
    shown = sum(p.total for p in progress)
    answered = sum(p.answered for p in progress)
    return Completion(
        100.0 * answered / shown if shown else None,
        len(missing_required(questionnaire, answers, row_counts)),
        answered,
        shown,
    )


@dataclass(frozen=True)
class SectionScores:
    """Maturity per scored section and overall: needs answers only, never table rows."""

    section_maturity: dict[str, float | None]
    overall: float | None
    question_points: dict[str, float]
    section_coverage: dict[str, Coverage] = field(default_factory=dict)
    overall_coverage: Coverage | None = None  # as AuditScore's


def score_sections(
    questionnaire: Questionnaire, answers: Mapping[str, Any], shown: set[str] | None = None
) -> SectionScores:
    """Section maturity (mean of answered, visible, scored questions) and overall maturity,
    the mean of the scored sections, provisional on the answers across all of them (one
    answer of the whole form is not a 5.0 out of 5 to state as a fact)."""
    if shown is None:
        shown = visible_questions(questionnaire, answers)
    points: dict[str, float] = {}
    maturity: dict[str, float | None] = {}
    covered: dict[str, Coverage] = {}
    for section in questionnaire.sections:
        section_points = []
        scoring = 0
        for question in section.questions:
            if question.id not in shown:
                continue
            scoring += question.score is not None
            p = question_points(question, answers.get(question.id))
            if p is not None:
                points[question.id] = p
                section_points.append(p)
        if section.scored:
            maturity[section.id] = round(mean(section_points), 2) if section_points else None
            covered[section.id] = coverage(
                len(section_points), scoring, questionnaire.provisional_below
            )
    scored = [m for m in maturity.values() if m is not None]
    overall = round(mean(scored), 2) if scored else None
    overall_coverage = coverage(
        sum(c.answered for c in covered.values()),
        sum(c.total for c in covered.values()),
        questionnaire.provisional_below,
    )
    return SectionScores(maturity, overall, points, covered, overall_coverage)


def score_audit(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    rows: Mapping[str, Sequence[Cells]],
) -> AuditScore:
    """Section maturity, overall maturity and every indicator of one audit."""
    shown = visible_questions(questionnaire, answers)
    sections = score_sections(questionnaire, answers, shown)
    # Indicators read only what the form shows: a stale answer to a hidden question is not a fact.
    shown_answers = {k: v for k, v in answers.items() if k in shown}
    shown_rows = {k: v for k, v in rows.items() if k in shown}
    indicators: dict[str, IndicatorValue] = {}
    for ind in questionnaire.indicators:
        if ind.kind == "difference":
            indicators[ind.id] = difference(ind, indicators)
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


def difference(indicator: Indicator, computed: Mapping[str, IndicatorValue]) -> IndicatorValue:
    """Share `of` minus share `minus` in percentage points, of the shares as every output
    prints them (10% and 3% are 7 points apart, though 9.5 - 3.4 is 6.1); None unless both
    are figures. Its numerator and denominator are the two shares, unrounded."""
    first = computed.get(indicator.of or "")
    second = computed.get(indicator.minus or "")
    a = first.value if first is not None else None
    b = second.value if second is not None else None
    both = _is_number(a) and _is_number(b)
    value = (
        share_as_printed(float(a)) - share_as_printed(float(b))  # type: ignore[arg-type]
        if both
        else None
    )
    covers = [v.coverage for v in (first, second) if v is not None and v.coverage is not None]
    return IndicatorValue(
        indicator.id,
        indicator.label,
        "difference",
        value,
        float(a) if _is_number(a) else 0.0,  # type: ignore[arg-type]
        float(b) if _is_number(b) else 0.0,  # type: ignore[arg-type]
        # the thinner share's n of m (a provisional one first): two tables' rows summed made
        # a count of neither ('Provisional (11 of 20 answered)' from 1 of 10 and 10 of 10)
        coverage=min(covers, key=_thinness) if covers else None,
    )


def _thinness(covered: Coverage) -> tuple[bool, float]:
    return (not covered.provisional, covered.answered / covered.total if covered.total else 1.0)


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return 0.0


def compute_indicator(
    indicator: Indicator,
    answers: Mapping[str, Any],
    rows: Mapping[str, Sequence[Cells]],
    questionnaire: Questionnaire | None = None,
) -> IndicatorValue:
    """One indicator by its definition; the questionnaire names rows and questions in notes.

    Shares leave out rows matching `exclude` (vacant or junior posts) from both sides, and
    rows whose classifying cells or value are blank, which the coverage counts as unanswered.
    """
    threshold = questionnaire.provisional_below if questionnaire is not None else 0.0
    if indicator.kind == "flag":
        outcome = evaluate_flag(indicator, answers, rows, questionnaire)
        return IndicatorValue(
            indicator.id,
            indicator.label,
            indicator.kind,
            outcome.value,
            status=outcome.status,
            note=outcome.note,
            coverage=Coverage(int(outcome.answered), 1),
        )
    assert indicator.table is not None
    table_rows = rows.get(indicator.table, ())
    column = indicator.value_column

    if indicator.kind == "share":
        assert indicator.where is not None
        if indicator.exclude is not None:
            leave_out = row_predicate(indicator.exclude)
            table_rows = [r for r in table_rows if not leave_out(r)]
        needed = [*dict.fromkeys(indicator.where.refs())]
        dated: set[str] = set()  # groups with a period: there, a row of no period is unanswered
        if indicator.latest is not None:
            table_rows = latest_rows(table_rows, *indicator.latest)
            dated = _dated_groups(table_rows, *indicator.latest)

        def usable(row: Cells) -> bool:
            if any(is_empty(row.get(c)) for c in needed):
                return False
            latest = indicator.latest
            if latest is not None and is_empty(row.get(latest[0])):
                return _period_group(row, latest[1]) not in dated and (
                    column is None or _is_number(row.get(column))
                )
            return column is None or _is_number(row.get(column))

        counted = [r for r in table_rows if usable(r)]
        total = sum(1.0 if column is None else float(r[column]) for r in counted)
        where = row_predicate(indicator.where)
        part = sum(1.0 if column is None else float(r[column]) for r in counted if where(r))
        return share_value(indicator, part, total, len(counted), len(table_rows), threshold)
    groups: dict[str, tuple[int, float]] = {}
    valued: dict[str, int] = {}
    assert indicator.group_column is not None
    for r in table_rows:
        key = r.get(indicator.group_column)
        key = "" if is_empty(key) else str(key)
        count, total_value = groups.get(key, (0, 0.0))
        groups[key] = (count + 1, total_value + (_number(r.get(column)) if column else 0.0))
        valued[key] = valued.get(key, 0) + (column is not None and _is_number(r.get(column)))
    rated = sum(1 for r in table_rows if not is_empty(r.get(indicator.group_column)))
    return IndicatorValue(
        indicator.id,
        indicator.label,
        "group",
        float(len(table_rows)),
        groups=groups,
        coverage=coverage(rated, len(table_rows), threshold),
        valued=valued,
    )


def _period_group(row: Cells, per: str) -> str:
    """A row's group for `latest`, matched as the data-quality rules match (case, spacing)."""
    value = row.get(per)
    return "" if is_empty(value) else " ".join(str(value).split()).casefold()


def _dated_groups(rows: Sequence[Cells], period: str, per: str) -> set[str]:
    """Groups with a row of some period: a group none of whose rows gives one (a return whose
    file names no month, as the WMI importer leaves it) is one return, counted whole."""
    return {_period_group(r, per) for r in rows if not is_empty(r.get(period))}


def latest_rows(rows: Sequence[Cells], period: str, per: str) -> list[Cells]:
    """The rows of each group's (`per`) latest `period`, and rows of no period (unanswered
    in a group that has periods; a group with none is one return): a body's earlier months
    are left out, not added to its latest. Groups match case and spacing ignored."""

    def group(row: Cells) -> str:
        return _period_group(row, per)

    latest: dict[str, str] = {}
    for row in rows:
        if not is_empty(row.get(period)):
            key, when = group(row), str(row[period])
            latest[key] = max(latest.get(key, when), when)
    return [r for r in rows if is_empty(r.get(period)) or str(r[period]) == latest[group(r)]]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
