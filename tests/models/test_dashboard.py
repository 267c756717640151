"""Cycle dashboard rows, checked against figures worked out by hand and against audit_figures.

Section maturity is the mean of a section's answered, visible, scored questions; overall is
the mean of the section maturities there are (see tests/models/test_cycle_summary.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.cycle_summary import NO_AUDIT, audit_figures
from models.dashboard import (
    COUNT,
    DIFFERENCE,
    FLAG,
    MATURITY,
    PERCENT,
    SHARE,
    TEXT,
    Dashboard,
    DashboardColumn,
    DashboardRow,
    cycle_dashboard,
    full_row,
    table_values,
)
from models.demo import DemoSize, write_demo
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import SAMPLE_MATURITY, SAMPLE_OVERALL, sample_audit

CYCLE = "2013 baseline"

# Answers of test_cycle_summary's draft: board (cio 5, perm sec 5, maturity 3) 4.33,
# strategy 3, governance (spend controls 5, maturity 3) 4, contracts 5, skills 3; overall
# 19.33 / 5 = 3.87. 32 questions shown; 8 answers plus the workforce table answered = 9.
DRAFT_ANSWERS = {
    "board_capability_maturity": 3,
    "user_needs_maturity": 3,
    "governance_maturity": 3,
    "senior_technical_skills_maturity": 3,
    "cio_on_board": True,
    "spend_controls": True,
    "contract_exit_plans": True,
    "perm_sec_integrated_advice": True,
}


def draft_audit(store: Store, questionnaire: Questionnaire) -> str:
    """A draft for HM Treasury: 3 permanent and 1 contractor FTE, nothing else in tables."""
    dept = store.add_department("HM Treasury", "HMT")
    audit = store.create_audit(dept.id, CYCLE, questionnaire)
    for question_id, value in DRAFT_ANSWERS.items():
        store.set_answer(audit.id, question_id, value)
    store.bulk_rows(
        audit.id,
        "workforce_mix",
        [
            {"profession_family": "data", "staff_type": "permanent", "fte": 3.0},
            {"profession_family": "data", "staff_type": "contractor", "fte": 1.0},
        ],
    )
    return audit.id


def by_name(dashboard: Dashboard) -> dict[str, DashboardRow]:
    return {row.department.name: row for row in dashboard.rows}


def column(dashboard: Dashboard, key: str) -> DashboardColumn:
    return next(c for c in dashboard.columns if c.key == key)


def test_columns_follow_the_questionnaire(store: Store, questionnaire: Questionnaire) -> None:
    draft_audit(store, questionnaire)
    dashboard = cycle_dashboard(store, CYCLE)
    titles = [c.title for c in dashboard.columns]
    assert titles == [
        "Department",
        "Status",
        "Complete",
        "Overall",
        "Board capability",
        "Strategy and alignment",
        "Governance mechanisms",
        "Contracts and suppliers",
        "Skills and pay",
        "Contractor share (FTE)",
        "Contractor share (cost)",
        "Not employed (FTE)",
        "Department contingent share (FTE)",
        "Technology vs department contractors",
        "Senior posts interim/contract",
        "Senior posts vacant",
        "Digital leader on board",
        "CIO on board",
        "Major programmes",
    ]
    kinds = [c.kind for c in dashboard.columns]
    assert kinds == [
        *[TEXT, TEXT, PERCENT, *[MATURITY] * 6, *[SHARE] * 4],
        *[DIFFERENCE, SHARE, SHARE, FLAG, FLAG, COUNT],
    ]
    assert column(dashboard, "indicator:cio_on_board").description == (
        "A CIO or equivalent sits on the board"
    )


def test_department_without_an_audit_is_a_row_saying_so(
    store: Store, questionnaire: Questionnaire
) -> None:
    draft_audit(store, questionnaire)
    store.add_department("Cabinet Office", "CO")
    for indicators in (True, False):
        dashboard = cycle_dashboard(store, CYCLE, indicators=indicators)
        assert [r.department.name for r in dashboard.rows] == ["Cabinet Office", "HM Treasury"]
        row = dashboard.rows[0]
        assert row.audit_id is None and not row.pending
        assert row.status == NO_AUDIT == "No audit for this cycle"
        values = [row.value(c) for c in dashboard.columns]
        assert values == ["Cabinet Office", NO_AUDIT, *[None] * (len(dashboard.columns) - 2)]


def test_draft_with_missing_answers(store: Store, questionnaire: Questionnaire) -> None:
    audit_id = draft_audit(store, questionnaire)
    row = by_name(cycle_dashboard(store, CYCLE))["HM Treasury"]
    assert row.audit_id == audit_id
    assert row.status == "Draft"
    assert row.completion == pytest.approx(100 * 9 / 33)
    # Required and shown: 10; answered: four maturities and the workforce table.
    assert row.missing_required == 5
    assert row.section_maturity == {
        "board": 4.33,
        "strategy": 3.0,
        "governance": 4.0,
        "contracts": 5.0,
        "skills": 3.0,
    }
    assert row.overall == 3.87
    # 1 contractor FTE of 4; no cost recorded; no senior roles; no programmes.
    dashboard = cycle_dashboard(store, CYCLE)
    values = {c.key: row.value(c) for c in dashboard.columns}
    assert values["indicator:contractor_share_fte"] == 25.0
    assert values["indicator:contractor_share_cost"] is None
    assert values["indicator:senior_vacancy_share"] is None
    assert values["indicator:cio_on_board"] is True  # answered yes
    assert values["indicator:digital_leader_on_board"] is None  # nothing known
    assert values["indicator:programmes_by_rag"] == 0.0


def test_quick_rows_wait_for_indicators(store: Store, questionnaire: Questionnaire) -> None:
    audit_id = draft_audit(store, questionnaire)
    quick = cycle_dashboard(store, CYCLE, indicators=False).rows[0]
    full = full_row(store, audit_id)
    assert quick.pending and not full.pending
    assert quick.indicators is None
    assert (quick.section_maturity, quick.overall, quick.completion, quick.missing_required) == (
        full.section_maturity,
        full.overall,
        full.completion,
        full.missing_required,
    )
    share = column(cycle_dashboard(store, CYCLE), "indicator:contractor_share_fte")
    assert quick.value(share) is None
    assert full.value(share) == 25.0


def test_cold_audits_are_scored_at_once_within_the_time_given(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = draft_audit(store, questionnaire)
    with store.transaction():
        store.conn.execute("DELETE FROM score_cache")
    none = cycle_dashboard(store, CYCLE, indicators=False, score_for=0).rows[0]
    assert none.pending and none.indicators is None  # no time given: a quick row
    assert store.conn.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 0
    given = cycle_dashboard(store, CYCLE, indicators=False, score_for=60).rows[0]
    full = full_row(store, audit_id)
    assert not given.pending and given == full  # the complete row, the same figures
    assert store.conn.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 1  # kept


def test_scoring_stops_when_the_time_given_is_spent(
    store: Store, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audits are scored SCORED_TOGETHER at a time while time is left; the rest are quick."""
    from models import dashboard as module

    for n in range(3):
        dept = store.add_department(f"Department {n}")
        store.create_audit(dept.id, CYCLE, questionnaire)
    monkeypatch.setattr(module, "SCORED_TOGETHER", 2)
    ticks = iter([0.0, 0.0, 10.0])  # the deadline, time left, then time spent
    monkeypatch.setattr(module, "_clock", lambda: next(ticks))
    rows = cycle_dashboard(store, CYCLE, indicators=False, score_for=5).rows
    assert sorted(r.pending for r in rows) == [False, False, True]


def test_an_audit_too_large_for_a_batch_is_left_to_fill_in_later(
    store: Store, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import dashboard as module

    audit_id = draft_audit(store, questionnaire)
    rows = sum(store.row_totals([audit_id]).values())
    with store.transaction():
        store.conn.execute("DELETE FROM score_cache")
    monkeypatch.setattr(module, "BATCH_ROWS", rows - 1)
    assert cycle_dashboard(store, CYCLE, indicators=False, score_for=60).rows[0].pending
    monkeypatch.setattr(module, "BATCH_ROWS", rows)
    assert not cycle_dashboard(store, CYCLE, indicators=False, score_for=60).rows[0].pending


def test_sample_audit_values_and_cells(store: Store, questionnaire: Questionnaire) -> None:
    sample_audit(store, questionnaire)
    dashboard = cycle_dashboard(store, CYCLE)
    row = dashboard.rows[0]
    values = dict(
        zip(
            [c.title for c in dashboard.columns],
            table_values(dashboard.columns, [row])[0],
            strict=True,
        )
    )
    assert {k: values[k] for k in SAMPLE_MATURITY} == SAMPLE_MATURITY
    assert values["Overall"] == SAMPLE_OVERALL
    assert values["Status"] == "Submitted"
    # Hand-worked from SAMPLE_ROWS (tests/exporters/__init__.py): 10 of 40 FTE contractors,
    # £1m of £2.5m, 2 of the 3 held senior posts interim/contractor (the vacant one is held
    # by nobody, issue 15), 1 of 4 vacant.
    assert values["Contractor share (FTE)"] == 25.0
    assert values["Contractor share (cost)"] == 40.0
    assert values["Senior posts interim/contract"] == 200 / 3  # unrounded (67%)
    assert values["Senior posts vacant"] == 25.0
    assert values["Digital leader on board"] == "No"
    assert values["CIO on board"] == "Yes"
    assert values["Major programmes"] == 3.0
    programmes = column(dashboard, "indicator:programmes_by_rag")
    assert row.breakdown(programmes) == "2 Amber/Green, 1 Green"


def test_rows_match_audit_figures_on_demo_data(tmp_path: Path) -> None:
    with Store(tmp_path / "demo.sqlite", durable=False) as store:
        write_demo(store, DemoSize(departments=4, cycles=2), seed=7)
        store.add_department("Office for Welsh Language Standards", "WLS")
        dashboard = cycle_dashboard(store, "2014 review")
        assert len(dashboard.rows) == 5
        audited = [r for r in dashboard.rows if r.audit is not None]
        assert len(audited) == 4
        for row in audited:
            assert row.audit_id is not None
            figures = audit_figures(store, row.audit_id)
            assert row.section_maturity == figures.score.section_maturity
            assert row.overall == figures.score.overall
            assert row.completion == figures.completion
            assert row.missing_required == figures.missing_required
            for key, indicator in figures.score.indicators.items():
                assert row.value(column(dashboard, f"indicator:{key}")) == indicator.value
        older = cycle_dashboard(store, "2013 baseline")
        assert {r.status for r in older.rows} == {"Signed off", NO_AUDIT}


def test_unknown_cycle_names_the_cycles_there_are(
    store: Store, questionnaire: Questionnaire
) -> None:
    draft_audit(store, questionnaire)
    for indicators in (True, False):
        with pytest.raises(ValueError, match="'2013 baseline'"):
            cycle_dashboard(store, "2020 review", indicators=indicators)
