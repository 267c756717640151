"""The audit a change is measured from is the earlier CYCLE, never the one entered earlier.

Back-filling last year's audit after this year's (what the importers are for) must not make
the 2014 review "improved since 2015 review". Hand-worked cases, then a property over random
creation orders: the prior audit, the history and copy forward's source depend only on the
cycles' names.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.cycle_dates import cycle_before, cycle_date, latest_cycle, prior_cycle
from models.cycle_summary import cycles, department_history, prior_audit
from models.department_trends import NO_EARLIER, NO_ORDER, department_trends
from models.questionnaire import Questionnaire, current_questionnaire
from models.records import Audit
from models.store import Store
from tests.models.test_cycle_summary import make_audit


def entered(store: Store, questionnaire: Questionnaire, *labels: str) -> dict[str, Audit]:
    """DWP's audits created in the order given (created_at has millisecond resolution)."""
    made = {}
    for label in labels:
        made[label] = make_audit(
            store, questionnaire, "DWP", label, answers={"board_capability_maturity": 3}
        )
        time.sleep(0.002)
    return made


# --------------------------------------------------------------------------- dating labels


def test_a_cycle_is_dated_by_its_year_and_any_month_season_or_quarter() -> None:
    assert cycle_date("2014 review") == (2014, None)
    assert cycle_date("2013-14 review") == (2014, None)  # a financial year ends in 2014
    assert cycle_date("Spring 2013") == (2013, 3)
    assert cycle_date("Autumn 2013") == (2013, 9)
    assert cycle_date("Q3 2015") == (2015, 7)
    assert cycle_date("March 2014 review") == (2014, 3)
    assert cycle_date("Winter 2013") == (2013, None)  # winter straddles two years
    assert cycle_date("Pilot") is None


def test_only_a_cycle_known_to_come_first_is_earlier() -> None:
    assert cycle_before("2014 review", "2015 review")
    assert not cycle_before("2015 review", "2014 review")
    assert cycle_before("Spring 2013", "Autumn 2013")
    assert not cycle_before("2014 review", "Autumn 2014")  # same year, month unknown
    assert not cycle_before("Autumn 2014", "2014 review")
    assert not cycle_before("Pilot", "2014 review") and not cycle_before("2014 review", "Pilot")


def test_prior_cycle_is_the_one_just_before_or_none_when_it_cannot_be_told() -> None:
    assert prior_cycle("2015 review", ["2015 review", "2013 baseline", "2014 review"]) == (
        "2014 review"
    )
    assert prior_cycle("2014 review", ["2015 review", "2014 review"]) is None  # none earlier
    assert prior_cycle("2015 review", ["2014 review", "2014 follow-up", "Pilot"]) is None
    assert prior_cycle("2015 review", ["Spring 2014", "Autumn 2014"]) == "Autumn 2014"
    assert prior_cycle("Pilot", ["2014 review", "Pilot"]) is None
    assert prior_cycle("2015 review", ["2013 baseline", "Pilot"]) == "2013 baseline"


def test_latest_cycle_is_the_latest_dated_then_the_one_created_last() -> None:
    assert latest_cycle(["2015 review", "2014 review"]) == "2015 review"
    assert latest_cycle(["2015 review", "2014 review", "Pilot"]) == "2015 review"
    assert latest_cycle(["2015 review", "2015 follow-up"]) == "2015 follow-up"
    assert latest_cycle(["Pilot", "Trial"]) == "Trial"
    assert latest_cycle([]) is None


# --------------------------------------------------------------------------- the store


def test_a_back_filled_year_is_compared_as_the_earlier_one(
    store: Store, questionnaire: Questionnaire
) -> None:
    made = entered(store, questionnaire, "2015 review", "2014 review", "2013 baseline")
    this, last, first = made["2015 review"], made["2014 review"], made["2013 baseline"]

    assert prior_audit(store, this.id) == store.audit(last.id)
    assert prior_audit(store, last.id) == store.audit(first.id)
    assert prior_audit(store, first.id) is None
    assert [f.audit.cycle for f in department_history(store, this.id)] == [
        "2013 baseline", "2014 review", "2015 review",
    ]  # fmt: skip
    assert [f.audit.cycle for f in department_history(store, first.id)] == ["2013 baseline"]
    assert store.latest_audit(this.department_id) == store.audit(this.id)  # copy forward

    trends = department_trends(store, this.department_id)
    assert trends.cycles == ["2013 baseline", "2014 review", "2015 review"]
    previous = trends.previous(this.id)
    assert previous is not None and previous.audit.id == last.id
    assert trends.previous(first.id) is None
    assert {h.change for h in trends.headline(first.id)} == {NO_EARLIER}
    assert trends.latest is not None and trends.latest.audit.id == this.id


def test_an_undated_or_tied_cycle_is_compared_with_none(
    store: Store, questionnaire: Questionnaire
) -> None:
    made = entered(store, questionnaire, "2014 review", "Pilot", "2014 follow-up", "2015 review")
    for label in ("Pilot", "2014 review", "2014 follow-up", "2015 review"):
        assert prior_audit(store, made[label].id) is None, label
    assert [f.audit.cycle for f in department_history(store, made["Pilot"].id)] == ["Pilot"]
    # 2015's history holds both 2014 cycles (by label), but neither is its prior.
    assert [f.audit.cycle for f in department_history(store, made["2015 review"].id)] == [
        "2014 follow-up", "2014 review", "2015 review",
    ]  # fmt: skip
    trends = department_trends(store, made["Pilot"].department_id)
    assert trends.cycles == ["Pilot", "2014 follow-up", "2014 review", "2015 review"]
    assert trends.previous(made["2015 review"].id) is None
    assert {h.change for h in trends.headline(made["2015 review"].id)} == {NO_ORDER}
    assert {h.change for h in trends.headline(made["Pilot"].id)} == {NO_ORDER}
    assert cycles(store) == ["Pilot", "2014 follow-up", "2014 review", "2015 review"]


# --------------------------------------------------------------------------- property

LABELS = (
    "2013 baseline", "2014 review", "2014 follow-up", "2015 review", "Spring 2016",
    "Autumn 2016", "2016-17 review", "Q1 2018", "Pilot", "Trial run",
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    labels=st.lists(st.sampled_from(LABELS), min_size=1, max_size=5, unique=True),
    seed=st.randoms(use_true_random=False),
)
def test_the_prior_audit_does_not_depend_on_creation_order(
    tmp_path_factory: pytest.TempPathFactory, labels: list[str], seed: random.Random
) -> None:
    questionnaire = current_questionnaire()
    shuffled = list(labels)
    seed.shuffle(shuffled)
    answers: list[dict[str, object]] = []
    for order in (labels, shuffled):
        store = Store(
            tmp_path_factory.mktemp("prior") / "w.sqlite"
        )  # a fresh file per creation order
        try:
            made = entered(store, questionnaire, *order)
            found: dict[str, object] = {}
            for label, audit in made.items():
                before = prior_audit(store, audit.id)
                history = [f.audit.cycle for f in department_history(store, audit.id)]
                found[label] = (before.cycle if before else None, history)
                # The one earlier cycle no other earlier one follows, or none when not one.
                earlier = [o for o in labels if cycle_before(o, label)]
                last = [o for o in earlier if not any(cycle_before(o, p) for p in earlier)]
                assert (before.cycle if before else None) == (last[0] if len(last) == 1 else None)
                # Never later, never of unknown order: strictly before, nothing in between.
                if before is not None:
                    assert cycle_before(before.cycle, label)
                    assert not any(
                        cycle_before(before.cycle, o) and cycle_before(o, label) for o in labels
                    )
                assert history[-1] == label
                assert all(cycle_before(c, label) for c in history[:-1])
                assert before is None or before.cycle in history
            trends = department_trends(store, made[order[0]].department_id)
            for figures in trends.history:
                previous = trends.previous(figures.audit.id)
                assert (previous.audit.cycle if previous else None) == (
                    found[figures.audit.cycle][0]  # type: ignore[index]
                )
            found["cycles"] = trends.cycles
            latest = store.latest_audit(made[order[0]].department_id)
            assert latest is not None
            assert not any(cycle_before(latest.cycle, o) for o in labels if cycle_date(o))
        finally:
            store.close()
        answers.append(found)
    assert answers[0] == answers[1]
