"""Recommendations for the board, derived from an audit by the rules kept with its questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.formatting import format_share
from models.questionnaire import Condition, Questionnaire, RuleCondition
from models.scoring import AuditScore
from models.validation import condition_holds, format_value, is_empty, visible_questions


@dataclass(frozen=True)
class Evidence:
    """One recorded fact a recommendation rests on, as the form and the report show it."""

    kind: str  # "question" or "indicator"
    ref: str  # the question or indicator id
    label: str
    value: str


@dataclass(frozen=True)
class Recommendation:
    """A rule that fired, with the answers that made it fire, so the board can check them."""

    id: str
    title: str
    text: str
    priority: int
    evidence: tuple[Evidence, ...]


def recommend(
    questionnaire: Questionnaire, answers: Mapping[str, Any], score: AuditScore
) -> list[Recommendation]:
    """The rules that hold on this audit's visible answers and indicators, most urgent first."""
    shown = visible_questions(questionnaire, answers)
    # Only what the form shows counts: a stale answer to a hidden question is not a fact.
    facts = {k: v for k, v in answers.items() if k in shown and not is_empty(v)}
    fired: list[tuple[int, int, Recommendation]] = []
    for order, rule in enumerate(questionnaire.recommendations):
        evidence = _evidence(rule.when, questionnaire, facts, score)
        if evidence is None:
            continue
        unique = tuple(dict.fromkeys(evidence))  # a fact cited twice is shown once
        fired.append(
            (
                rule.priority,
                order,
                Recommendation(rule.id, rule.title, rule.text, rule.priority, unique),
            )
        )
    fired.sort(key=lambda item: (item[0], item[1]))
    return [rec for _, _, rec in fired]


def _evidence(
    cond: RuleCondition, questionnaire: Questionnaire, facts: Mapping[str, Any], score: AuditScore
) -> list[Evidence] | None:
    """The leaves that held when the condition holds (None when it does not)."""
    if cond.op == "all":
        cited: list[Evidence] = []
        for child in cond.children:
            found = _evidence(child, questionnaire, facts, score)
            if found is None:
                return None
            cited.extend(found)
        return cited
    if cond.op == "any":
        held = [_evidence(child, questionnaire, facts, score) for child in cond.children]
        if all(found is None for found in held):
            return None
        return [e for found in held if found is not None for e in found]
    if cond.kind == "question":
        return _question_evidence(cond, questionnaire, facts)
    return _indicator_evidence(cond, score)


def _question_evidence(
    cond: RuleCondition, questionnaire: Questionnaire, facts: Mapping[str, Any]
) -> list[Evidence] | None:
    """A comparison with an unanswered or hidden question is false, whatever the operator."""
    value = facts.get(cond.ref)
    if value is None:
        return None
    if cond.op == "answered":
        holds = cond.value is True
    elif cond.op in ("at_least", "above", "below", "at_most"):
        holds = _is_number(value) and _compare(cond.op, float(value), cond.value)
    else:
        holds = condition_holds(Condition(cond.op, cond.ref, cond.value), facts)
    if not holds:
        return None
    question = questionnaire.question(cond.ref)
    return [Evidence("question", cond.ref, question.label, format_value(question, value))]


def _indicator_evidence(cond: RuleCondition, score: AuditScore) -> list[Evidence] | None:
    """An indicator that could not be computed (None) is not a fact either."""
    indicator = score.indicators.get(cond.ref)
    if indicator is None or indicator.value is None:
        return None
    value = indicator.value
    if isinstance(value, bool):
        if cond.op != "equals" or value is not cond.value:
            return None
        shown = "Yes" if value else "No"
    else:
        if cond.op == "equals" or not _compare(cond.op, float(value), cond.value):
            return None
        shown = format_share(value)
    return [Evidence("indicator", cond.ref, indicator.label, shown)]


def _compare(op: str, value: float, limit: float) -> bool:
    if op == "at_least":
        return value >= limit
    if op == "above":
        return value > limit
    if op == "below":
        return value < limit
    return value <= limit  # at_most


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
