"""Cycle figures for the PDF reports, checked against figures worked out by hand.

Every audit here is built on a real workspace file with the shipped questionnaire
(plus, in one test, a second version made from its text). Section maturity is the
mean of a section's answered, visible, scored questions; overall is the mean of
the section maturities there are.
"""

from __future__ import annotations

import time
from importlib import resources
from typing import Any

import pytest

import models.cycle_summary as cs
from models.cycle_summary import (
    audit_figures,
    audit_rows,
    cycle_section_medians,
    cycle_summary,
    cycles,
    department_history,
    prior_audit,
)
from models.questionnaire import Questionnaire, get_questionnaire, parse_questionnaire
from models.records import Audit
from models.store import Store

CYCLE = "2013 baseline"
SCORED_SECTIONS = ("board", "strategy", "governance", "contracts", "skills")


def workforce(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    """Workforce-mix rows of (staff type, FTE)."""
    return [
        {"profession_family": "it_operations", "staff_type": staff, "fte": fte}
        for staff, fte in pairs
    ]


def make_audit(
    store: Store,
    questionnaire: Questionnaire,
    department: str,
    cycle: str = CYCLE,
    answers: dict[str, Any] | None = None,
    mix: list[dict[str, Any]] | None = None,
    status: str | None = None,
) -> Audit:
    """An audit of the named department (added if new) with the given answers and rows."""
    dept = store.find_department(department) or store.add_department(department)
    audit = store.create_audit(dept.id, cycle, questionnaire, auditor="A. Auditor")
    for question_id, value in (answers or {}).items():
        store.set_answer(audit.id, question_id, value)
    if mix:
        store.bulk_rows(audit.id, "workforce_mix", mix)
    if status:
        store.set_audit_fields(audit.id, status=status)
    return audit


# --------------------------------------------------------------------------- one audit


def test_audit_rows_lists_every_table_in_order(store: Store, questionnaire: Questionnaire) -> None:
    audit = make_audit(store, questionnaire, "Home Office", mix=workforce(("permanent", 3.0)))
    store.bulk_rows(audit.id, "workforce_mix", workforce(("contractor", 1.0)))
    rows = audit_rows(store, audit.id, questionnaire)
    assert set(rows) == {
        "senior_roles",
        "workforce_mix",
        "department_workforce",
        "contracts",
        "major_programmes",
    }
    assert rows["senior_roles"] == [] and rows["contracts"] == []
    assert [r["staff_type"] for r in rows["workforce_mix"]] == ["permanent", "contractor"]


def test_audit_figures_completion_and_missing(store: Store, questionnaire: Questionnaire) -> None:
    # The shipped form has 38 questions; with nothing answered 5 are hidden by visible_if
    # (digital leader on board and post, strategy date and link, spend year): 33 shown.
    answers = {
        "board_capability_maturity": 3,
        "user_needs_maturity": 3,
        "governance_maturity": 3,
        "senior_technical_skills_maturity": 3,
        "cio_on_board": True,
        "spend_controls": True,
        "contract_exit_plans": True,
        "perm_sec_integrated_advice": True,
    }
    audit = make_audit(store, questionnaire, "HM Treasury", answers=answers, mix=workforce())
    store.bulk_rows(audit.id, "workforce_mix", workforce(("permanent", 1.0)))
    figures = audit_figures(store, audit.id)
    assert figures.audit == store.audit(audit.id)
    assert figures.questionnaire.key == questionnaire.key
    assert figures.completion == pytest.approx(100 * 9 / 33)  # 8 answers and the workforce table
    # Required and shown: digital leader nominated, strategy published, independent review,
    # the two tables, four maturities, total spend (10); answered: four maturities, workforce.
    assert figures.missing_required == 5
    # board: cio 5, perm sec 5, maturity 3 -> 4.33; strategy 3; governance: spend controls 5
    # and maturity 3 -> 4; contracts: exit plans 5; skills 3. Overall: 19.33 / 5 = 3.87.
    assert figures.score.section_maturity == {
        "board": 4.33,
        "strategy": 3.0,
        "governance": 4.0,
        "contracts": 5.0,
        "skills": 3.0,
    }
    assert figures.score.overall == 3.87


def test_empty_audit_is_zero_percent_complete(store: Store, questionnaire: Questionnaire) -> None:
    figures = audit_figures(store, make_audit(store, questionnaire, "Cabinet Office").id)
    assert figures.completion == 0.0
    assert figures.missing_required == 10
    assert figures.score.overall is None


# --------------------------------------------------------------------------- history


def test_history_is_oldest_first_and_stops_at_the_audit(
    store: Store, questionnaire: Questionnaire
) -> None:
    home = [
        make_audit(
            store,
            questionnaire,
            "Home Office",
            cycle,
            answers={"board_capability_maturity": level},
            mix=workforce(("permanent", permanent), ("contractor", contractor)),
        )
        for cycle, level, permanent, contractor in (
            ("2013 baseline", 2, 3.0, 1.0),
            ("2014 review", 3, 1.0, 1.0),
            ("2015 review", 4, 1.0, 3.0),
        )
    ]
    other = make_audit(store, questionnaire, "Ministry of Justice", "2014 review")

    history = department_history(store, home[1].id)
    assert [f.audit.id for f in history] == [home[0].id, home[1].id]
    assert [f.score.indicators["contractor_share_fte"].value for f in history] == [25.0, 50.0]
    assert [f.score.section_maturity["board"] for f in history] == [2.0, 3.0]

    full = department_history(store, home[2].id)
    assert [f.audit.cycle for f in full] == ["2013 baseline", "2014 review", "2015 review"]
    assert full[2].score.indicators["contractor_share_fte"].value == 75.0

    assert prior_audit(store, home[0].id) is None
    assert prior_audit(store, home[1].id) == store.audit(home[0].id)
    assert prior_audit(store, home[2].id) == store.audit(home[1].id)

    # A department with a single audit: its history is itself, and nothing came before.
    assert [f.audit.id for f in department_history(store, other.id)] == [other.id]
    assert prior_audit(store, other.id) is None


def test_cycles_in_date_order_not_creation_order(
    store: Store, questionnaire: Questionnaire
) -> None:
    assert cycles(store) == []
    make_audit(store, questionnaire, "Home Office", "2014 review")
    time.sleep(0.01)  # created_at has millisecond resolution
    make_audit(store, questionnaire, "Home Office", "Autumn 2013")
    time.sleep(0.01)
    make_audit(store, questionnaire, "Cabinet Office", "Spring 2013")
    make_audit(store, questionnaire, "Cabinet Office", "Pilot")  # no year: first, by label
    assert cycles(store) == ["Pilot", "Spring 2013", "Autumn 2013", "2014 review"]


# --------------------------------------------------------------------------- medians


def test_medians_even_and_odd_counts_and_unanswered_sections(
    store: Store, questionnaire: Questionnaire
) -> None:
    for name, board, strategy in (
        ("Alpha", 2, 1),  # overall (2 + 1) / 2 = 1.5
        ("Bravo", 3, 4),  # 3.5
        ("Charlie", 4, 2),  # 3.0
        ("Delta", 5, None),  # 5.0
    ):
        answers: dict[str, Any] = {"board_capability_maturity": board}
        if strategy is not None:
            answers["user_needs_maturity"] = strategy
        make_audit(store, questionnaire, name, answers=answers)
    # Another cycle never counts.
    make_audit(store, questionnaire, "Alpha", "2014 review", answers={"governance_maturity": 1})

    expected = {
        "board": 3.5,  # 2, 3, 4, 5: even, mean of the middle two
        "strategy": 2.0,  # 1, 2, 4: odd (Delta has no strategy maturity)
        "governance": None,  # nobody answered
        "contracts": None,
        "skills": None,
        "overall": 3.25,  # 1.5, 3.0, 3.5, 5.0
    }
    assert cycle_section_medians(store, CYCLE) == expected
    assert cycle_summary(store, CYCLE).section_medians == expected


def test_medians_of_unrounded_means(store: Store, questionnaire: Questionnaire) -> None:
    # Alpha's board: not nominated 1, maturity 2, no CIO 1 -> 4 / 3 = 1.33.
    make_audit(
        store,
        questionnaire,
        "Alpha",
        answers={
            "digital_leader_nominated": False,
            "board_capability_maturity": 2,
            "cio_on_board": False,
        },
    )
    make_audit(store, questionnaire, "Bravo", answers={"board_capability_maturity": 1})
    make_audit(store, questionnaire, "Charlie", answers={"board_capability_maturity": 5})
    medians = cycle_section_medians(store, CYCLE)
    assert medians["board"] == 1.33
    assert medians["overall"] == 1.33


# --------------------------------------------------------------------------- summary


def test_leagues_order_values_ties_and_none(store: Store, questionnaire: Questionnaire) -> None:
    # Created out of name order, so a tie broken by name is not creation order.
    make_audit(
        store,
        questionnaire,
        "Zulu Office",
        answers={"cio_on_board": True},
        mix=workforce(("permanent", 1.0), ("consultant", 1.0)),  # 50%
    )
    make_audit(
        store,
        questionnaire,
        "Alpha Agency",
        answers={"cio_on_board": False},
        mix=workforce(("permanent", 2.0), ("interim", 2.0)),  # 50%
    )
    make_audit(
        store,
        questionnaire,
        "Mike Ministry",
        mix=workforce(("permanent", 3.0), ("contractor", 1.0)),  # 25%; CIO unknown
    )
    make_audit(store, questionnaire, "Kilo Council", answers={"cio_on_board": True})  # no rows
    make_audit(store, questionnaire, "Echo Executive", "2012 pilot")  # not in this cycle

    summary = cycle_summary(store, CYCLE)
    assert set(summary.leagues) == {
        "contractor_share_fte",
        "contractor_share_cost",
        "external_share_fte",
        "department_contractor_share_fte",
        "senior_interim_contractor_share",
        "senior_vacancy_share",
        "digital_leader_on_board",
        "cio_on_board",
    }  # not the programmes-by-RAG group

    def league(indicator_id: str) -> list[tuple[str, Any]]:
        return [(e.department.name, e.value) for e in summary.leagues[indicator_id]]

    # lower is better: the smallest contractor share ranks first; ties share a rank
    assert league("contractor_share_fte") == [
        ("Mike Ministry", 25.0),
        ("Alpha Agency", 50.0),
        ("Zulu Office", 50.0),
        ("Kilo Council", None),
    ]
    assert [e.rank for e in summary.leagues["contractor_share_fte"]] == [1, 2, 2, None]
    # yes/no indicators are counted, not ranked
    assert all(e.rank is None for e in summary.leagues["cio_on_board"])
    assert league("cio_on_board") == [
        ("Kilo Council", True),
        ("Zulu Office", True),
        ("Alpha Agency", False),
        ("Mike Ministry", None),
    ]
    # No annual costs anywhere: every cost share is unknown, listed by name.
    assert league("contractor_share_cost") == [
        ("Alpha Agency", None),
        ("Kilo Council", None),
        ("Mike Ministry", None),
        ("Zulu Office", None),
    ]


def test_standings_and_not_submitted(store: Store, questionnaire: Questionnaire) -> None:
    make_audit(store, questionnaire, "Echo", status="signed_off")
    make_audit(store, questionnaire, "Alpha", status="submitted")
    make_audit(store, questionnaire, "Bravo", status="reviewed")
    draft = {  # 9 of the 32 questions shown (see test_audit_figures_completion_and_missing)
        "board_capability_maturity": 3,
        "user_needs_maturity": 3,
        "governance_maturity": 3,
        "senior_technical_skills_maturity": 3,
        "cio_on_board": True,
        "spend_controls": True,
        "contract_exit_plans": True,
        "perm_sec_integrated_advice": True,
    }
    make_audit(store, questionnaire, "Charlie", answers=draft, mix=workforce(("permanent", 1.0)))
    store.add_department("Delta")
    make_audit(store, questionnaire, "Foxtrot", "2014 review", status="submitted")

    summary = cycle_summary(store, CYCLE)
    assert summary.cycle == CYCLE
    assert summary.questionnaire.key == questionnaire.key
    assert [(s.department.name, s.submitted) for s in summary.standings] == [
        ("Alpha", True),
        ("Bravo", True),
        ("Charlie", False),
        ("Delta", False),
        ("Echo", True),
        ("Foxtrot", False),
    ]
    by_name = {s.department.name: s for s in summary.standings}
    assert by_name["Delta"].figures is None and by_name["Foxtrot"].figures is None
    charlie = by_name["Charlie"].figures
    assert charlie is not None and charlie.audit.cycle == CYCLE
    assert [(d.name, why) for d, why in summary.not_submitted] == [
        ("Charlie", "Draft, 27% complete"),  # 9 / 33 = 27.3%
        ("Delta", "No audit for this cycle"),
        ("Foxtrot", "No audit for this cycle"),
    ]


def test_progress_is_reported_per_audit_and_can_cancel(
    store: Store, questionnaire: Questionnaire
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        make_audit(store, questionnaire, name)
    make_audit(store, questionnaire, "Alpha", "2014 review")
    calls: list[tuple[int, int]] = []
    cycle_summary(store, CYCLE, lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]

    class Stop(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        cycle_summary(store, CYCLE, cancel)


def test_a_cycle_without_audits_is_named(store: Store, questionnaire: Questionnaire) -> None:
    with pytest.raises(ValueError, match="No audits in the cycle '2013 baseline'"):
        cycle_summary(store, CYCLE)
    make_audit(store, questionnaire, "Alpha", "2012 pilot")
    make_audit(store, questionnaire, "Alpha", "2014 review")
    with pytest.raises(ValueError) as caught:
        cycle_summary(store, CYCLE)
    message = str(caught.value)
    assert message.startswith("No audits in the cycle '2013 baseline'.")
    assert "'2012 pilot'" in message and "'2014 review'" in message
    with pytest.raises(ValueError, match="'2013 baseline'"):
        cycle_section_medians(store, CYCLE)


# --------------------------------------------------------------------------- versions

NEW_SECTION = """\
  - id: cyber
    title: Cyber security
    scored: true
    questions:
      - id: cyber_maturity
        type: maturity
        label: How mature is the department's cyber security?
        levels: [Ad hoc, Defined, Managed, Measured, Leading]
        score: value

"""
NEW_INDICATOR = """\
  - id: secondee_share_fte
    label: Share of the technology workforce on secondment (FTE)
    kind: share
    table: workforce_mix
    value_column: fte
    where: {column: staff_type, in: [secondee]}

"""


def second_version(v1: Questionnaire) -> Questionnaire:
    """Version 2 of the shipped questionnaire: a new first section and a new indicator."""
    shipped = resources.files("resources") / "questionnaires" / f"{v1.id}-v{v1.version}.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert f"\nversion: {v1.version}\n" in text
    assert "\nsections:\n" in text and "\nindicators:\n" in text
    text = text.replace(f"\nversion: {v1.version}\n", f"\nversion: {v1.version + 1}\n", 1)
    text = text.replace("\nsections:\n", "\nsections:\n" + NEW_SECTION, 1)
    text = text.replace("\nindicators:\n", "\nindicators:\n" + NEW_INDICATOR, 1)
    return parse_questionnaire(text, source="test-v2.yaml")


def test_mixed_versions_match_sections_and_indicators_by_id(
    store: Store, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    v2 = second_version(questionnaire)

    def lookup(questionnaire_id: str, version: int) -> Questionnaire:
        if (questionnaire_id, version) == v2.key:
            return v2
        return get_questionnaire(questionnaire_id, version)

    # get_questionnaire finds only shipped files; the test version is resolved here.
    monkeypatch.setattr(cs, "get_questionnaire", lookup)

    alpha = make_audit(
        store,
        questionnaire,
        "Alpha",
        answers={"board_capability_maturity": 2, "senior_technical_skills_maturity": 4},
        mix=workforce(("permanent", 1.0), ("secondee", 1.0)),
    )  # v1: board 2, skills 4, overall 3.0
    make_audit(
        store,
        v2,
        "Bravo",
        answers={"board_capability_maturity": 4, "cyber_maturity": 5},
        mix=workforce(("permanent", 3.0), ("secondee", 1.0)),
    )  # v2: board 4, cyber 5, overall 4.5; 25% secondees
    make_audit(
        store, v2, "Charlie", answers={"board_capability_maturity": 5, "cyber_maturity": 2}
    )  # v2: board 5, cyber 2, overall 3.5

    expected = {
        "cyber": None,  # 5 and 2, the v2 audits: two are no cross-government median
        "board": 4.0,  # 2, 4, 5
        "strategy": None,
        "governance": None,
        "contracts": None,
        "skills": None,  # Alpha only: its median would be Alpha itself
        "overall": 3.5,  # 3.0, 3.5, 4.5
    }
    summary = cycle_summary(store, CYCLE)
    assert summary.questionnaire.version == questionnaire.version + 1
    assert summary.section_medians == expected
    assert list(summary.section_medians) == list(expected)  # the newest version's order
    assert cycle_section_medians(store, CYCLE) == expected

    # The new indicator has a league; the v1 audit has no such figure.
    assert [(e.department.name, e.value) for e in summary.leagues["secondee_share_fte"]] == [
        ("Bravo", 25.0),
        ("Alpha", None),
        ("Charlie", None),
    ]
    assert [(e.department.name, e.value) for e in summary.leagues["external_share_fte"]] == [
        ("Bravo", 25.0),
        ("Alpha", 50.0),
        ("Charlie", None),
    ]
    figures = audit_figures(store, alpha.id)
    assert figures.questionnaire.version == questionnaire.version
    assert "cyber" not in figures.score.section_maturity
    assert figures.score.overall == 3.0
