"""Recommendations for the board, derived from an audit by the rules kept with its questionnaire."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.findings import Finding
from models.formatting import (
    RED,
    format_maturity,
    format_share,
    maturity_band,
    share_as_printed,
    shown_maturity,
)
from models.indicator_flags import CONFLICTING
from models.questionnaire import Condition, Questionnaire, RuleCondition
from models.scoring import AuditScore
from models.validation import condition_holds, format_value, visible_questions
from models.values import is_empty, yes_no


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
    owner: str = ""  # the post that answers for it
    timescale: str = ""
    measure: str = ""  # how success will be seen
    decision: str = ""  # what the board is asked to decide


def recommend(
    questionnaire: Questionnaire, answers: Mapping[str, Any], score: AuditScore
) -> list[Recommendation]:
    """The rules that hold on this audit's visible answers and indicators, most urgent first."""
    shown = visible_questions(questionnaire, answers)
    # Only what the form shows counts: a stale answer to a hidden question is not a fact;
    # nor is an answer its table contradicts (a conflicting flag): resolve it first.
    disputed = {
        ref
        for ind in questionnaire.indicators
        if ind.kind == "flag"
        and (value := score.indicators.get(ind.id)) is not None
        and value.status == CONFLICTING
        for kind, ref, _ in ind.sources
        if kind == "question"
    }
    facts = {
        k: v for k, v in answers.items() if k in shown and k not in disputed and not is_empty(v)
    }
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
                Recommendation(
                    rule.id,
                    rule.title,
                    rule.text,
                    rule.priority,
                    unique,
                    rule.owner,
                    rule.timescale,
                    rule.measure,
                    rule.decision,
                ),
            )
        )
    fired.sort(key=lambda item: (item[0], item[1]))
    return [rec for _, _, rec in fired]


def finding_links(
    findings: Sequence[Finding], recommendations: Sequence[Recommendation]
) -> dict[int, list[int]]:
    """For each finding (0-based), the recommendations (0-based) whose evidence it is about."""
    links: dict[int, list[int]] = {}
    for f_index, finding in enumerate(findings):
        about = set(finding.refs)
        for r_index, rec in enumerate(recommendations):
            if any(f"{e.kind}:{e.ref}" in about for e in rec.evidence):
                links.setdefault(f_index, []).append(r_index)
    return links


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
    if cond.kind == "section":
        return _section_evidence(cond, questionnaire, score)
    if cond.op == "includes":
        return _group_evidence(cond, questionnaire, score)
    return _indicator_evidence(cond, score)


def _section_evidence(
    cond: RuleCondition, questionnaire: Questionnaire, score: AuditScore
) -> list[Evidence] | None:
    """A section that cannot be scored yet is not a fact: only a maturity compares."""
    maturity = shown_maturity(score.section_maturity.get(cond.ref))  # as printed, rated
    if maturity is None or not _compare(cond.op, maturity, cond.value):
        return None
    shown = f"{format_maturity(maturity)} out of 5"
    if maturity_band(maturity) == RED:
        shown += " (Red)"
    title = questionnaire.section(cond.ref).title
    return [Evidence("section", cond.ref, f"{title}: maturity", shown)]


def _group_evidence(
    cond: RuleCondition, questionnaire: Questionnaire, score: AuditScore
) -> list[Evidence] | None:
    """How many rows fall in each named group, when any does ("2 Red, 1 Amber/Red")."""
    indicator = score.indicators.get(cond.ref)
    if indicator is None:
        return None
    counts = [(g, indicator.groups[g][0]) for g in cond.value if indicator.groups.get(g, (0,))[0]]
    if not counts:
        return None
    labels = _group_labels(questionnaire, cond.ref)
    shown = ", ".join(f"{n} {labels(g)}" for g, n in counts)
    return [Evidence("indicator", cond.ref, indicator.label, shown)]


def _group_labels(questionnaire: Questionnaire, indicator_id: str) -> Callable[[str], str]:
    """How the form labels a group value (the value itself when the column has no options)."""
    for indicator in questionnaire.indicators:
        if indicator.id == indicator_id and indicator.table and indicator.group_column:
            table = questionnaire.question(indicator.table)
            return table.column(indicator.group_column).option_label
    return str


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
        shown = yes_no(value)
    else:
        printed = share_as_printed(float(value))  # as the evidence prints: 19.6 is '20%'
        if cond.op == "equals" or not _compare(cond.op, printed, cond.value):
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
