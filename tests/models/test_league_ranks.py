"""League tables rank the best first, ties share a rank, yes/no indicators are counted, and the
summary knows how many of its audits are drafts. Real workspace files, hand-worked figures."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import models.cycle_summary as cs
from models.cycle_summary import cycle_summary
from models.questionnaire import DefinitionError, Questionnaire, parse_questionnaire
from models.store import Store
from tests.models.test_cycle_summary import CYCLE, make_audit, workforce

QUESTIONNAIRES = Path(str(resources.files("resources") / "questionnaires"))


def test_lower_is_better_ranks_the_smallest_share_first_and_ties_share_a_rank(
    store: Store, questionnaire: Questionnaire
) -> None:
    # contractor share of FTE: 1/12 = 8.33% and 1/12.04 = 8.31% both print 8.3%: one rank
    make_audit(
        store, questionnaire, "Alpha", mix=workforce(("permanent", 11.0), ("contractor", 1.0))
    )
    make_audit(
        store, questionnaire, "Bravo", mix=workforce(("permanent", 11.04), ("contractor", 1.0))
    )
    make_audit(
        store, questionnaire, "Charlie", mix=workforce(("permanent", 1.0), ("contractor", 3.0))
    )
    make_audit(store, questionnaire, "Delta", mix=workforce(("permanent", 4.0)))  # 0%
    make_audit(store, questionnaire, "Echo")  # no workforce rows: not known, not ranked
    league = cycle_summary(store, CYCLE).leagues["contractor_share_fte"]
    assert [(e.department.name, e.rank) for e in league] == [
        ("Delta", 1),
        ("Bravo", 2),
        ("Alpha", 2),
        ("Charlie", 4),
        ("Echo", None),
    ]


def test_higher_is_better_ranks_the_largest_share_first(
    store: Store, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = (QUESTIONNAIRES / questionnaire.source).read_text(encoding="utf-8")
    head, tail = shipped.split("  - id: contractor_share_fte\n", 1)
    flipped = parse_questionnaire(
        head
        + "  - id: contractor_share_fte\n"
        + tail.replace("better: lower", "better: higher", 1),
        source="flipped.yaml",
    )
    assert flipped.indicators[0].better == "higher"
    monkeypatch.setattr(cs, "get_questionnaire", lambda _id, _version: flipped)
    make_audit(
        store, questionnaire, "Alpha", mix=workforce(("permanent", 3.0), ("contractor", 1.0))
    )
    make_audit(
        store, questionnaire, "Bravo", mix=workforce(("permanent", 1.0), ("contractor", 1.0))
    )
    league = cycle_summary(store, CYCLE).leagues["contractor_share_fte"]
    assert [(e.department.name, e.value, e.rank) for e in league] == [
        ("Bravo", 50.0, 1),
        ("Alpha", 25.0, 2),
    ]


def test_better_must_be_lower_or_higher(questionnaire: Questionnaire) -> None:
    yaml_text = (QUESTIONNAIRES / questionnaire.source).read_text(encoding="utf-8")
    broken = yaml_text.replace("    better: lower\n", "    better: smaller\n", 1)
    with pytest.raises(DefinitionError) as info:
        parse_questionnaire(broken, source="x.yaml")
    assert "'better' must be 'lower' or 'higher'" in info.value.message


def test_yes_no_indicators_are_counted_not_ranked(
    store: Store, questionnaire: Questionnaire
) -> None:
    for name, on_board in (("Alpha", True), ("Bravo", False), ("Charlie", True)):
        make_audit(store, questionnaire, name, answers={"cio_on_board": on_board})
    make_audit(store, questionnaire, "Delta")
    league = cycle_summary(store, CYCLE).leagues["cio_on_board"]
    assert all(e.rank is None for e in league)
    assert sum(1 for e in league if e.value is True) == 2


def test_status_counts_say_how_many_audits_are_drafts(
    store: Store, questionnaire: Questionnaire
) -> None:
    make_audit(store, questionnaire, "Alpha")  # draft
    make_audit(store, questionnaire, "Bravo")  # draft
    make_audit(store, questionnaire, "Charlie", status="submitted")
    make_audit(store, questionnaire, "Delta", status="signed_off")
    store.add_department("Echo")  # no audit: not counted
    summary = cycle_summary(store, CYCLE)
    assert summary.status_counts == {"draft": 2, "submitted": 1, "reviewed": 0, "signed_off": 1}
    league = summary.leagues["contractor_share_fte"]
    assert {e.department.name: e.audit_status for e in league}["Alpha"] == "draft"
