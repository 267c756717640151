"""Maturity per section, completion, and derived indicators: the one implementation reports use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from models.questionnaire import Indicator, Question, Questionnaire
from models.validation import (
    condition_holds,
    is_answered,
    is_empty,
    row_predicate,
    visible_questions,
)

Cells = Mapping[str, Any]


@dataclass(frozen=True)
class SectionProgress:
    """How far a section has been filled in (visible questions only)."""

    section_id: str
    answered: int
    total: int
    required_answered: int
    required_total: int

    @property
    def complete(self) -> bool:
        return self.required_answered == self.required_total


@dataclass(frozen=True)
class IndicatorValue:
    """A computed indicator: a share (percentage), a flag, or per-group counts and sums."""

    id: str
    label: str
    kind: str
    value: float | bool | None
    numerator: float = 0.0
    denominator: float = 0.0
    groups: dict[str, tuple[int, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditScore:
    """Everything derived from one audit's answers."""

    section_maturity: dict[str, float | None]
    overall: float | None
    question_points: dict[str, float]
    indicators: dict[str, IndicatorValue]


def question_points(question: Question, value: Any) -> float | None:
    """The 1-5 points an answer earns under the question's scoring rule, or None."""
    rule = question.score
    if rule is None or is_empty(value):
        return None
    if rule.kind == "value":
        return float(value)
    if rule.kind == "map":
        points = rule.mapping.get(value)
        return None if points is None else float(points)
    if rule.kind == "per_selected":
        return float(min(rule.cap, max(1.0, rule.per_selected * len(value))))
    for band in rule.bands:  # bands
        if (band.low is None or value >= band.low) and (band.high is None or value < band.high):
            return band.points
    return None


def section_progress(
    questionnaire: Questionnaire, answers: Mapping[str, Any], row_counts: Mapping[str, int]
) -> dict[str, SectionProgress]:
    shown = visible_questions(questionnaire, answers)
    result = {}
    for section in questionnaire.sections:
        visible = [q for q in section.questions if q.id in shown]
        done = [q for q in visible if is_answered(q, answers, row_counts)]
        required = [q for q in visible if q.required]
        result[section.id] = SectionProgress(
            section.id,
            len(done),
            len(visible),
            sum(1 for q in required if q in done),
            len(required),
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
class SectionScores:
    """Maturity per scored section and overall: needs answers only, never table rows."""

    section_maturity: dict[str, float | None]
    overall: float | None
    question_points: dict[str, float]


def score_sections(
    questionnaire: Questionnaire, answers: Mapping[str, Any], shown: set[str] | None = None
) -> SectionScores:
    """Section maturity (mean of answered, visible, scored questions) and overall maturity."""
    if shown is None:
        shown = visible_questions(questionnaire, answers)
    points: dict[str, float] = {}
    maturity: dict[str, float | None] = {}
    for section in questionnaire.sections:
        section_points = []
        for question in section.questions:
            if question.id not in shown:
                continue
            p = question_points(question, answers.get(question.id))
            if p is not None:
                points[question.id] = p
                section_points.append(p)
        if section.scored:
            maturity[section.id] = round(mean(section_points), 2) if section_points else None
    scored = [m for m in maturity.values() if m is not None]
    overall = round(mean(scored), 2) if scored else None
    return SectionScores(maturity, overall, points)


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
    indicators = {
        ind.id: compute_indicator(ind, shown_answers, shown_rows)
        for ind in questionnaire.indicators
    }
    return AuditScore(
        sections.section_maturity, sections.overall, sections.question_points, indicators
    )


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return 0.0


def compute_indicator(
    indicator: Indicator, answers: Mapping[str, Any], rows: Mapping[str, Sequence[Cells]]
) -> IndicatorValue:
    if indicator.kind == "flag":
        holds = False
        known = False
        for kind, ref, cond in indicator.sources:
            if kind == "question":
                known = known or any(not is_empty(answers.get(r)) for r in cond.refs())
                holds = holds or condition_holds(cond, answers)
            else:
                table_rows = rows.get(ref, ())
                known = known or bool(table_rows)
                holds = holds or any(map(row_predicate(cond), table_rows))
        value: float | bool | None = True if holds else (False if known else None)
        return IndicatorValue(indicator.id, indicator.label, indicator.kind, value)
    assert indicator.table is not None
    table_rows = rows.get(indicator.table, ())
    column = indicator.value_column

    def weight(row: Cells) -> float:
        return 1.0 if column is None else _number(row.get(column))

    if indicator.kind == "share":
        assert indicator.where is not None
        total = sum(weight(r) for r in table_rows)
        where = row_predicate(indicator.where)
        part = sum(weight(r) for r in table_rows if where(r))
        share = round(100.0 * part / total, 2) if total else None
        return IndicatorValue(indicator.id, indicator.label, "share", share, part, total)
    groups: dict[str, tuple[int, float]] = {}
    assert indicator.group_column is not None
    for r in table_rows:
        key = r.get(indicator.group_column)
        key = "" if is_empty(key) else str(key)
        count, total = groups.get(key, (0, 0.0))
        groups[key] = (count + 1, total + (_number(r.get(column)) if column else 0.0))
    return IndicatorValue(
        indicator.id, indicator.label, "group", float(len(table_rows)), groups=groups
    )
