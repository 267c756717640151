"""The fast row filter decides exactly as condition_holds does, whatever the cell holds."""

from __future__ import annotations

from itertools import product
from typing import Any

from models.questionnaire import Condition, Questionnaire
from models.validation import condition_holds, row_predicate

CELLS: list[Any] = [
    None,
    "",
    " ",
    "interim",
    "contractor",
    "Interim",
    "digital_leader",
    "cio",
    True,
    False,
    1,
    0,
    1.0,
    [],
    ["interim"],
    ["cio", "other"],
]


def conditions(questionnaire: Questionnaire) -> list[Condition]:
    """Every row filter the shipped questionnaire's indicators use, plus awkward ones."""
    found: list[Condition] = []
    for indicator in questionnaire.indicators:
        if indicator.where is not None:
            found.append(indicator.where)
        found += [cond for kind, _ref, cond in indicator.sources if kind != "question"]
    found += [
        Condition("equals", "c", True),
        Condition("equals", "c", 1),
        Condition("in", "c", ("interim", True)),
        Condition("not_equals", "c", "interim"),
        Condition("answered", "c", True),
        Condition("any", children=(Condition("equals", "c", "cio"), Condition("in", "d", ("x",)))),
    ]
    return found


def test_same_decision_for_every_cell_value(questionnaire: Questionnaire) -> None:
    checked = 0
    for cond in conditions(questionnaire):
        refs = sorted(set(cond.refs())) or ["c"]
        for values in product(CELLS, repeat=min(len(refs), 2)):
            row = dict(zip(refs, values, strict=False))
            assert row_predicate(cond)(row) == condition_holds(cond, row), (cond, row)
            checked += 1
    assert checked > 500


def test_a_text_filter_is_a_set_lookup(questionnaire: Questionnaire) -> None:
    """Interim and contractor count as contingent labour; blanks, other case and lists do not."""
    where = Condition("in", "staff_type", ("interim", "contractor"))
    keep = row_predicate(where)
    assert [keep({"staff_type": v}) for v in ("interim", "contractor", "Interim", "", None)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert keep({"staff_type": ["interim"]}) is condition_holds(where, {"staff_type": ["interim"]})
