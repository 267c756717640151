"""Overall 3.47 printed '3.5' is Green in the board report, the dashboard and the heat map,
as a department at exactly 3.5 is (review F6: it was 'Overall 3.5 Amber: needs work')."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from exporters.board_report import write_board_report
from exporters.report_content import Grid
from exporters.summary_report import heat_map
from models.cycle_summary import audit_figures, cycle_summary
from models.dashboard import cycle_dashboard
from models.findings import key_findings
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.dashboard_model import DashboardModel

Q = current_questionnaire()
CYCLE = "2015 review"
# sections 4.0, 3.0, … averaging 3.47 (the reviewer's answers)
AT_347 = {
    "user_needs_maturity": 4,
    "digital_leader_nominated": False,
    "spend_controls": True,
    "board_tech_item_frequency": "every_meeting",
    "contract_exit_plans": True,
    "perm_sec_integrated_advice": True,
    "governance_maturity": 3,
    "active_programme_review": "none",
    "legislation_tech_scrutiny": False,
    "senior_it_pay_reviewed": False,
    "it_strategy_relation": "integral",
    "independent_review_new_projects": True,
    "digital_strategy_published": True,
}
AT_35 = {"board_capability_maturity": 2, "cio_on_board": True}  # (2 + 5) / 2


def _audits(store: Store) -> dict[str, str]:
    made = {}
    for name, code, answers in (
        ("Department for Education", "DfE", AT_347),
        ("Ministry of Justice", "MOJ", AT_35),
    ):
        dept = store.add_department(name, code)
        audit = store.create_audit(dept.id, CYCLE, Q, "A. Auditor")
        for question, value in answers.items():
            store.set_answer(audit.id, question, value)
        made[code] = audit.id
    return made


def test_report_dashboard_and_heat_map_rate_the_printed_figure(tmp_path: Path, qtbot: Any) -> None:
    with Store(tmp_path / "ws.sqlite") as store:
        audits = _audits(store)
        figures = audit_figures(store, audits["DfE"])
        assert figures.score.overall is not None and round(figures.score.overall, 2) == 3.47
        assert audit_figures(store, audits["MOJ"]).score.overall == 3.5
        write_board_report(store, audits["DfE"], tmp_path / "r.pdf")
        dashboard = cycle_dashboard(store, CYCLE)
        summary = cycle_summary(store, CYCLE)
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    )
    assert "Overall maturity is 3.5 out of 5 (good)" in text
    assert "Overall 3.5 Green: good" in text and "Overall 3.5 Amber" not in text
    # the dashboard: both print 3.5, both are tinted and read out Green
    model = DashboardModel()
    model.set_dashboard(dashboard)
    column = next(i for i, c in enumerate(model.columns) if c.key == "overall")
    cells = [model.index(r, column) for r in range(model.rowCount())]
    assert [model.data(c) for c in cells] == ["3.5", "3.5"]
    tints = {model.data(c, 8).color().name() for c in cells}  # BackgroundRole
    assert len(tints) == 1
    assert all("Green: good" in model.data(c, 3) for c in cells)  # ToolTipRole
    # the heat map of the summary report
    (grid,) = [b for b in heat_map(summary) if isinstance(b, Grid)]
    overall = grid.header.index("Overall")
    assert {tint for col, _row, tint in grid.tints if col == overall} == {"#cce2d8"}


def test_a_section_printed_2_5_is_not_called_red_in_the_findings(tmp_path: Path) -> None:
    """Board capability at 2.47 prints '2.5': no finding links it as a Red section."""
    with Store(tmp_path / "ws.sqlite") as store:
        audits = _audits(store)
        figures = audit_figures(store, audits["MOJ"])
    sections = dict(figures.score.section_maturity)
    sections["board"] = 2.47
    lowered = replace(figures, score=replace(figures.score, section_maturity=sections))
    (below,) = [f for f in key_findings(lowered, None, {"overall": 4.5}) if "below" in f.text]
    assert "section:board" not in below.refs
    sections["board"] = 2.44  # prints '2.4': Red, and said so
    lowered = replace(figures, score=replace(figures.score, section_maturity=sections))
    (below,) = [f for f in key_findings(lowered, None, {"overall": 4.5}) if "below" in f.text]
    assert "section:board" in below.refs
