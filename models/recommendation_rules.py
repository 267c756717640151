"""The board-ready parts of a recommendation rule, checked apart from the rest of the parser.

A recommendation a board can act on names who owns it (a post), by when, how success will
be seen and the decision asked of the board. A rule may also fire on a section's maturity
(a Red section) or on a group indicator holding some groups (Red programmes). A share
indicator says which end is better, so a league table can rank the best first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from models.questionnaire import (
    NUMBER_COMPARISONS,
    DefinitionError,
    Indicator,
    Question,
    RuleCondition,
    Section,
)

Fail = Callable[[str, str], DefinitionError]

# key in the file -> what the report calls it; every rule must give all four
BOARD_FIELDS = {
    "owner": "Owner",
    "timescale": "By when",
    "measure": "Success measure",
    "decision": "Decision for the board",
}
_LONGEST = {"owner": 80, "timescale": 40, "measure": 300, "decision": 300}
RED_BELOW = 2.5  # a section maturity below this is rated Red (exporters.report_blocks.RATINGS)


def board_fields(data: Mapping[str, Any], where: str, fail: Fail) -> dict[str, str]:
    """Owner, timescale, measure and decision: each required, one line of plain text."""
    found: dict[str, str] = {}
    for key, name in BOARD_FIELDS.items():
        value = data.get(key)
        if value is None:
            raise fail(where, f"'{key}' is missing: a board recommendation needs its {name}")
        if not isinstance(value, str) or not value.strip():
            raise fail(where, f"'{key}' must be non-empty text")
        text = " ".join(value.split())
        if len(text) > _LONGEST[key]:
            raise fail(where, f"'{key}' is longer than {_LONGEST[key]} characters")
        found[key] = text
    return found


def section_comparison(
    data: Mapping[str, Any], where: str, sections: Mapping[str, Section], fail: Fail
) -> RuleCondition:
    """`{section: id, below: 2.5}`: a scored section's maturity against a number from 1 to 5."""
    ref = data["section"]
    section = sections.get(ref) if isinstance(ref, str) else None
    if section is None:
        raise fail(where, f"{ref!r} is not a section of this file")
    if not section.scored:
        raise fail(where, f"section {ref!r} is not scored, so it has no maturity to compare")
    ops = [op for op in NUMBER_COMPARISONS if op in data]
    if len(ops) != 1 or len(data) != 2:
        raise fail(
            where, f"a condition needs 'section' and exactly one of {', '.join(NUMBER_COMPARISONS)}"
        )
    value = data[ops[0]]
    if not isinstance(value, int | float) or isinstance(value, bool) or not 1 <= value <= 5:
        raise fail(where, f"'{ops[0]}' for section {ref!r} must be a maturity from 1 to 5")
    return RuleCondition(ops[0], "section", ref, value)


def group_comparison(
    data: Mapping[str, Any], where: str, indicator: Indicator, table: Question | None, fail: Fail
) -> RuleCondition:
    """`{indicator: programmes_by_rag, includes: [red]}`: some row falls in one of the groups."""
    values = data.get("includes")
    if len(data) != 2 or not isinstance(values, list) or not values:
        raise fail(
            where,
            f"indicator {indicator.id!r} is a group; compare it with 'includes: [...]' "
            "and nothing else",
        )
    if not all(isinstance(v, str) and v for v in values):
        raise fail(where, f"'includes' for {indicator.id!r} must list group values as text")
    known: frozenset[str] = frozenset()
    if table is not None and indicator.group_column is not None:
        known = table.column(indicator.group_column).option_values
    unknown = [v for v in values if known and v not in known]
    if unknown:
        raise fail(where, f"{indicator.id!r} has no group {unknown[0]!r}")
    return RuleCondition("includes", "indicator", indicator.id, tuple(values))


def share_direction(data: Mapping[str, Any], where: str, fail: Fail) -> str:
    """`better: lower` (the default) or `better: higher`: which end of a share league is top."""
    better = data.get("better", "lower")
    if better not in ("lower", "higher"):
        raise fail(where, f"'better' must be 'lower' or 'higher', not {better!r}")
    return str(better)
