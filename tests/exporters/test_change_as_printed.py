"""A change beside two printed figures is the change between them as printed (review F13:
overall 1.11 then 1.16, printed '1.1' and '1.2', said 'No change')."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from exporters.board_report import write_board_report
from models.cycle_summary import audit_figures
from models.formatting import MATURITY, POINTS, change_between, format_maturity, format_share
from models.questionnaire import current_questionnaire
from models.store import Store

Q = current_questionnaire()
PRIOR = {  # overall 1.11
    "board_capability_maturity": 2,
    "digital_leader_on_board": False,
    "outcome_success_measures": False,
    "digital_leader_nominated": False,
    "cio_on_board": False,
    "legislation_tech_scrutiny": False,
}
NOW = {  # overall 1.16
    "governance_maturity": 1,
    "contract_data_access": False,
    "senior_technical_skills_maturity": 1,
    "it_strategy_relation": "standalone",
    "digital_leader_nominated": False,
    "perm_sec_integrated_advice": False,
    "cio_on_board": True,
    "board_capability_maturity": 1,
    "legislation_tech_scrutiny": False,
    "board_tech_item_frequency": "never",
    "senior_it_pay_reviewed": False,
    "contract_exit_plans": False,
}


def test_hand_worked_changes_between_printed_figures() -> None:
    assert change_between(1.16, 1.11, MATURITY, better="higher") == "Up 0.1 (better)"
    assert change_between(1.14, 1.06, MATURITY) == "No change"  # both print 1.1
    assert change_between(45.4, 44.6, POINTS) == "No change"  # both print 45%
    assert change_between(45.5, 44.4, POINTS) == "Up 2 points"  # 46% and 44%
    assert change_between(None, 1.0, MATURITY) == "" and change_between(1.0, None) == ""


def _printed(value: float, places: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(st.floats(1, 5), st.floats(1, 5))
def test_a_maturity_change_is_the_difference_of_the_printed_figures(now: float, was: float) -> None:
    said = change_between(now, was, MATURITY)
    delta = Decimal(format_maturity(now)) - Decimal(format_maturity(was))
    assert said == ("No change" if delta == 0 else f"{'Up' if delta > 0 else 'Down'} {abs(delta)}")


@given(st.floats(0, 100), st.floats(0, 100))
def test_a_share_change_is_the_difference_of_the_printed_figures(now: float, was: float) -> None:
    said = change_between(now, was, POINTS)
    delta = _printed(now, 0) - _printed(was, 0)
    if delta == 0:
        assert said == "No change"
    else:
        assert said.split()[1] == str(abs(delta)), (said, format_share(now), format_share(was))


def test_board_report_change_column_agrees_with_its_figures(tmp_path: Path) -> None:
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        ids = []
        for cycle, answers in (("2014 review", PRIOR), ("2015 review", NOW)):
            audit = store.create_audit(dept.id, cycle, Q, "A. Auditor")
            for question, value in answers.items():
                store.set_answer(audit.id, question, value)
            ids.append(audit.id)
        was, now = (audit_figures(store, i).score.overall for i in ids)
        assert (round(was or 0, 2), round(now or 0, 2)) == (1.11, 1.16)
        write_board_report(store, ids[1], tmp_path / "r.pdf")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    )
    row = text[text.index("Overall 1.2 Red: weak") :][:120]
    assert "Up 0.1 (better)" in row and "No change" not in row, row
