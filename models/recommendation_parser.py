"""Parsing of a questionnaire's recommendation rules and their conditions.

Called by models.questionnaire_parser after the questions and indicators are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from models.questionnaire import (
    NUMBER_COMPARISONS,
    NUMERIC_TYPES,
    Indicator,
    RecommendationRule,
    RuleCondition,
)
from models.recommendation_rules import (
    BOARD_FIELDS,
    board_fields,
    group_comparison,
    section_comparison,
)

if TYPE_CHECKING:
    from models.questionnaire_parser import _Parser

_INDICATOR_OPS = (*NUMBER_COMPARISONS, "equals")


def parse_recommendations(
    p: _Parser, raw: Any, indicators: Mapping[str, Indicator]
) -> tuple[RecommendationRule, ...]:
    """Parsed after the questions and indicators, so a rule may name any of them."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise p.fail("recommendations", "'recommendations' must be a list")
    rules: list[RecommendationRule] = []
    for i, item in enumerate(raw, 1):
        rule = recommendation(p, item, i, indicators)
        if any(r.id == rule.id for r in rules):
            raise p.fail(f"recommendation '{rule.id}'", "duplicate recommendation id")
        rules.append(rule)
    return tuple(rules)


def recommendation(
    p: _Parser, raw: Any, index: int, indicators: Mapping[str, Indicator]
) -> RecommendationRule:
    data, rid = p.identified(raw, f"recommendation #{index}")
    where = f"recommendation '{rid}'"
    p.unknown_keys(data, {"id", "title", "text", "priority", "when", *BOARD_FIELDS}, where)
    title = p.text(data, "title", where)
    text = p.text(data, "text", where)
    priority = data.get("priority")
    if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 3:
        raise p.fail(where, f"'priority' must be 1, 2 or 3 (1 most urgent), not {priority!r}")
    if data.get("when") is None:
        raise p.fail(where, "'when' is missing")
    when = rule_condition(p, data["when"], where, indicators)
    board = board_fields(data, where, p.fail)
    return RecommendationRule(rid, title, text, priority, when, **board)


def rule_condition(
    p: _Parser, raw: Any, where: str, indicators: Mapping[str, Indicator]
) -> RuleCondition:
    data = p.mapping(raw, where)
    for combinator in ("all", "any"):
        if combinator in data:
            if len(data) != 1 or not isinstance(data[combinator], list) or not data[combinator]:
                raise p.fail(where, f"'{combinator}' must be the only key, with a non-empty list")
            children = tuple(rule_condition(p, c, where, indicators) for c in data[combinator])
            return RuleCondition(combinator, children=children)
    if "indicator" in data:
        return indicator_comparison(p, data, where, indicators)
    if "question" in data:
        return question_comparison(p, data, where)
    if "section" in data:
        return section_comparison(data, where, p.sections, p.fail)
    raise p.fail(where, "a condition needs 'question', 'indicator' or 'section', or 'all' or 'any'")


def indicator_comparison(
    p: _Parser, data: Mapping[str, Any], where: str, indicators: Mapping[str, Indicator]
) -> RuleCondition:
    """A share compares with a number of points, a flag with true or false."""
    ref = data["indicator"]
    indicator = indicators.get(ref) if isinstance(ref, str) else None
    if indicator is None:
        raise p.fail(where, f"{ref!r} is not an indicator of this file")
    if indicator.kind == "group":
        table = p.seen.get(indicator.table or "")
        return group_comparison(data, where, indicator, table, p.fail)
    ops = [op for op in _INDICATOR_OPS if op in data]
    if len(ops) != 1 or len(data) != 2:
        raise p.fail(
            where,
            f"a condition needs 'indicator' and exactly one of {', '.join(_INDICATOR_OPS)}",
        )
    op = ops[0]
    value = data[op]
    if indicator.kind == "flag":
        if op != "equals" or not isinstance(value, bool):
            raise p.fail(
                where,
                f"indicator {ref!r} is a flag; compare it with 'equals: true' or 'equals: false'",
            )
    elif indicator.kind == "share":
        if op == "equals":
            raise p.fail(
                where,
                f"indicator {ref!r} is a share; compare it with {', '.join(NUMBER_COMPARISONS)}",
            )
        if not _is_number(value) or not 0 <= value <= 100:
            raise p.fail(
                where, f"'{op}' for share {ref!r} must be a number of points from 0 to 100"
            )
    else:
        raise p.fail(
            where, f"indicator {ref!r} is a {indicator.kind}; only shares and flags compare"
        )
    return RuleCondition(op, "indicator", ref, value)


def question_comparison(p: _Parser, data: Mapping[str, Any], where: str) -> RuleCondition:
    """The visible_if comparisons, plus at_least/above/below/at_most for numbers."""
    from models.questionnaire_parser import _CONDITION_OPS

    ref = data["question"]
    target = p.seen.get(ref) if isinstance(ref, str) else None
    if target is None:
        raise p.fail(where, f"{ref!r} is not a question of this file")
    if target.is_table:
        raise p.fail(where, f"{ref!r} is a table; compare one of its indicators instead")
    numeric = [op for op in NUMBER_COMPARISONS if op in data]
    if numeric:
        if len(numeric) != 1 or len(data) != 2:
            raise p.fail(
                where,
                f"a condition needs 'question' and exactly one of "
                f"{', '.join((*_CONDITION_OPS, *NUMBER_COMPARISONS))}",
            )
        op = numeric[0]
        if target.type not in NUMERIC_TYPES:
            raise p.fail(where, f"'{op}' is only for numbers; {ref!r} is {target.type}")
        if not _is_number(data[op]):
            raise p.fail(where, f"'{op}' for {ref!r} must be a number")
        return RuleCondition(op, "question", ref, data[op])
    cond = p.condition(data, where, "question")
    p.check_condition_values(cond, where)
    if cond.op == "answered" and cond.value is False:
        raise p.fail(
            where, "'answered: false' never holds: recommendations rest on recorded answers"
        )
    return RuleCondition(cond.op, "question", cond.ref, cond.value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
