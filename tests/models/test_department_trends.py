"""One department over time, checked against figures worked out by hand.

Section maturity is the mean of a section's answered, visible, scored questions; overall
is the mean of the section maturities there are. The chart inputs and the trend chart
built from these figures are checked here too, on the same hand-worked audits.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

import models.cycle_summary as cs
from exporters.chart_inputs import (
    contractor_share_series,
    describe_maturity_trend,
    describe_shares,
    describe_workforce,
    drawing_texts,
    workforce_mix,
)
from exporters.pdf_charts import NO_DATA
from exporters.trend_charts import maturity_trend_chart
from models.department_trends import (
    NO_EARLIER,
    NOT_COMPARABLE,
    DepartmentTrends,
    department_trends,
    rescored,
)
from models.questionnaire import Questionnaire, get_questionnaire
from models.store import Store
from tests.models.test_cycle_summary import make_audit, second_version, workforce

HOME = "Home Office"
# (cycle, answers, workforce (staff type, FTE)): board is the mean of the maturity (its
# value) and CIO on the board (yes 5, no 1); skills and strategy are their maturity alone.
AUDITS: tuple[tuple[str, dict[str, Any], list[tuple[str, float]]], ...] = (
    # board (2 + 1) / 2 = 1.5, skills 4; overall 2.75; contractors 1 of 4 FTE = 25%
    (
        "2013 baseline",
        {"board_capability_maturity": 2, "cio_on_board": False,
         "senior_technical_skills_maturity": 4},
        [("permanent", 3.0), ("contractor", 1.0)],
    ),
    # board (3 + 5) / 2 = 4, skills 4; overall 4; contractors 1 of 2 = 50%
    (
        "2014 review",
        {"board_capability_maturity": 3, "cio_on_board": True,
         "senior_technical_skills_maturity": 4},
        [("permanent", 1.0), ("contractor", 1.0)],
    ),
    # board (4 + 5) / 2 = 4.5, strategy 2, skills not answered; overall 3.25; 3 of 4 = 75%
    (
        "2015 review",
        {"board_capability_maturity": 4, "cio_on_board": True, "user_needs_maturity": 2},
        [("permanent", 1.0), ("contractor", 3.0)],
    ),
)  # fmt: skip


@pytest.fixture
def home(store: Store, questionnaire: Questionnaire) -> DepartmentTrends:
    """Three audits of the Home Office, oldest first, and one audit of another department."""
    for cycle, answers, mix in AUDITS:
        make_audit(store, questionnaire, HOME, cycle, answers=answers, mix=workforce(*mix))
        time.sleep(0.002)  # created_at has millisecond resolution: keep creation order
    make_audit(store, questionnaire, "Cabinet Office", "2014 review", {"governance_maturity": 5})
    dept = store.find_department(HOME)
    assert dept is not None
    return department_trends(store, dept.id)


def test_history_sections_and_overall_oldest_first(home: DepartmentTrends) -> None:
    assert home.cycles == ["2013 baseline", "2014 review", "2015 review"]
    assert home.overall == [2.75, 4.0, 3.25]
    assert [(s.id, s.values) for s in home.sections] == [
        ("board", (1.5, 4.0, 4.5)),
        ("strategy", (None, None, 2.0)),
        ("governance", (None, None, None)),
        ("contracts", (None, None, None)),
        ("skills", (4.0, 4.0, None)),
    ]
    assert home.sections[0].title == "Board capability"
    assert home.indicator_series("contractor_share_fte") == [25.0, 50.0, 75.0]
    assert home.indicator_series("contractor_share_cost") == [None, None, None]  # no costs
    assert home.indicator_series("cio_on_board") == [None, None, None]  # a flag, not a share


def test_headline_changes_since_the_audit_before(home: DepartmentTrends) -> None:
    latest = {h.id: (h.now, h.change) for h in home.headline()}
    # 3.25 prints as 3.3, 4.0 as 4.0: the change between them as printed is Down 0.7 (F13)
    assert latest["overall"] == ("3.3", "Down 0.7 (worse)")
    assert latest["contractor_share_fte"] == ("75%", "Up 25 points (worse)")
    assert latest["external_share_fte"] == ("75%", "Up 25 points (worse)")
    assert latest["contractor_share_cost"] == ("–", NOT_COMPARABLE)  # no cost either time
    assert latest["cio_on_board"] == ("Yes", "No change")
    assert latest["digital_leader_on_board"] == (
        "Not answered",
        NOT_COMPARABLE,
    )  # issue 15: never "Not known"
    # no programmes listed either time: the table is unanswered, so no change is said
    assert latest["programmes_by_rag"] == ("None recorded", NOT_COMPARABLE)
    assert [h.id for h in home.headline()][:2] == ["overall", "contractor_share_fte"]

    middle = home.history[1].audit.id
    assert home.previous(middle) == home.history[0]
    before = {h.id: (h.now, h.change) for h in home.headline(middle)}
    assert before["overall"] == ("4.0", "Up 1.2 (better)")  # 2.75 prints 2.8: 4.0 - 2.8
    assert before["cio_on_board"] == ("Yes", "was No")
    assert before["contractor_share_fte"] == ("50%", "Up 25 points (worse)")

    first = {h.id: h.change for h in home.headline(home.history[0].audit.id)}
    assert set(first.values()) == {NO_EARLIER}


def test_single_audit_has_no_earlier_audit(store: Store, home: DepartmentTrends) -> None:
    dept = store.find_department("Cabinet Office")
    assert dept is not None
    single = department_trends(store, dept.id)
    assert single.cycles == ["2014 review"]
    assert single.overall == [5.0]
    assert [s.values for s in single.sections if s.id == "governance"] == [(5.0,)]
    assert single.previous(single.history[0].audit.id) is None
    changes = {h.id: h.change for h in single.headline()}
    assert changes["overall"] == NO_EARLIER and set(changes.values()) == {NO_EARLIER}


def test_department_without_audits(store: Store) -> None:
    dept = store.add_department("Department for Education", "DfE")
    empty = department_trends(store, dept.id)
    assert empty.history == () and empty.latest is None
    assert empty.headline() == [] and empty.sections == [] and empty.cycles == []


def test_rescored_reads_only_the_edited_audit(store: Store, home: DepartmentTrends) -> None:
    latest = home.history[-1].audit.id
    store.set_answer(latest, "user_needs_maturity", 5)  # strategy 2 -> 5; overall 4.75
    after = rescored(store, home, latest)
    assert after.overall == [2.75, 4.0, 4.75]
    assert after.history[0] is home.history[0] and after.history[1] is home.history[1]
    changes = {h.id: h.change for h in after.headline()}
    assert changes["overall"] == "Up 0.8 (better)"  # 0.75 rounds half up
    with pytest.raises(KeyError):
        home.index_of("not-an-audit")


def test_sections_matched_by_id_across_versions(
    store: Store, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    v2 = second_version(questionnaire)

    def lookup(questionnaire_id: str, version: int) -> Questionnaire:
        if (questionnaire_id, version) == v2.key:
            return v2
        return get_questionnaire(questionnaire_id, version)

    monkeypatch.setattr(cs, "get_questionnaire", lookup)
    make_audit(
        store,
        questionnaire,
        "Alpha",
        "2013 baseline",
        {"board_capability_maturity": 2},
        mix=workforce(("permanent", 1.0), ("secondee", 1.0)),
    )  # v1: board 2, overall 2
    time.sleep(0.002)
    make_audit(
        store,
        v2,
        "Alpha",
        "2014 review",
        {"board_capability_maturity": 4, "cyber_maturity": 5},
        mix=workforce(("permanent", 3.0), ("secondee", 1.0)),
    )  # v2: board 4, cyber 5, overall 4.5; secondees 25%
    dept = store.find_department("Alpha")
    assert dept is not None
    trends = department_trends(store, dept.id)
    sections = [(s.id, s.values) for s in trends.sections]
    assert sections[:2] == [("cyber", (None, 5.0)), ("board", (2.0, 4.0))]  # v2's order
    changes = {h.id: (h.now, h.change) for h in trends.headline()}
    assert changes["overall"] == ("4.5", "Up 2.5 (better)")
    assert changes["secondee_share_fte"] == ("25%", NOT_COMPARABLE)  # v1 has no such figure
    assert changes["external_share_fte"] == ("25%", "Down 25 points (better)")  # 50% then 25%


# --------------------------------------------------------------------------- chart inputs


def test_workforce_mix_and_contractor_series(home: DepartmentTrends) -> None:
    latest = home.history[-1]
    rows = {"workforce_mix": [*workforce(("permanent", 1.0), ("contractor", 3.0))]}
    rows["workforce_mix"].append(
        {"profession_family": "data", "staff_type": "contractor", "fte": 2.5}
    )
    mix = workforce_mix(latest.questionnaire, rows)
    assert mix is not None
    assert mix.measure == "FTE"
    assert mix.families == ["Data", "IT Operations"]  # the questionnaire's option order
    assert mix.staff_types == ["Permanent civil servant", "Specialist contractor"]
    assert mix.totals == {
        ("IT Operations", "Permanent civil servant"): 1.0,
        ("IT Operations", "Specialist contractor"): 3.0,
        ("Data", "Specialist contractor"): 2.5,
    }
    assert describe_workforce(mix) == (
        "Data: 2.5 FTE (Specialist contractor 2.5); IT Operations: 4 FTE "
        "(Permanent civil servant 1, Specialist contractor 3)."
    )
    headcount = workforce_mix(
        latest.questionnaire,
        {"workforce_mix": [{"profession_family": "data", "staff_type": "x", "headcount": 4}]},
    )
    assert headcount is not None and headcount.measure == "headcount"
    assert headcount.totals == {("Data", "x"): 4.0}  # an unknown code is shown as typed

    categories, series = contractor_share_series(home.history)
    assert categories == home.cycles
    assert series == [("By FTE", [25.0, 50.0, 75.0])]  # no costs: no cost line
    assert describe_shares(categories, series) == (
        "By FTE: 2013 baseline 25%, 2014 review 50%, 2015 review 75%."
    )


def test_maturity_trend_chart_labels_latest_with_change_since_first(
    home: DepartmentTrends,
) -> None:
    sections = [(s.title, s.values) for s in home.sections]
    drawing = maturity_trend_chart(home.cycles, sections, width=460)
    assert drawing.width == 460
    texts = drawing_texts(drawing)
    assert "Board capability" in texts
    assert "4.5 (Up 3.0)" in texts  # 1.5 then 4.5
    assert "2.0" in texts  # strategy: only the latest audit scored, so no change to give
    assert "not scored" in texts  # skills: not answered in the latest audit
    assert "2013 baseline (first audit)" in texts
    assert "2015 review, with change since 2013 baseline" in texts
    assert describe_maturity_trend(home.cycles, sections[:1]) == (
        "Board capability: 2013 baseline 1.5, 2014 review 4.0, 2015 review 4.5."
    )
    assert drawing_texts(maturity_trend_chart([], [], width=300)) == [NO_DATA]
    one = drawing_texts(maturity_trend_chart(["2013 baseline"], [("Board", [3.0])], width=300))
    assert "3.0" in one and "Audits between" not in one and "(first audit)" not in " ".join(one)


def test_programmes_listed_then_none_is_not_a_fall(
    store: Store, questionnaire: Questionnaire
) -> None:
    """Five programmes in 2014 and an unanswered (empty) table in 2015: 'None recorded' with
    no change said, not 'Down 5' as if five programmes had ended; two then three is 'Up 1'."""
    rows = [{"name": f"P{i}", "delivery_confidence": "amber"} for i in range(5)]
    for name, first, then in ((HOME, 5, 0), ("Cabinet Office", 2, 3)):
        early = make_audit(store, questionnaire, name, "2014 review")
        store.bulk_rows(early.id, "major_programmes", rows[:first])
        late = make_audit(store, questionnaire, name, "2015 review")
        if then:
            store.bulk_rows(late.id, "major_programmes", rows[:then])
    shown = {}
    for name in (HOME, "Cabinet Office"):
        dept = store.find_department(name)
        assert dept is not None
        latest = {h.id: (h.now, h.change) for h in department_trends(store, dept.id).headline()}
        shown[name] = latest["programmes_by_rag"]
    assert shown[HOME] == ("None recorded", NOT_COMPARABLE)
    assert shown["Cabinet Office"] == ("3 programmes", "Up 1")
