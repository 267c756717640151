"""One answered question of the whole form: every output marks the overall as provisional
(day D1: 'Overall maturity is 5.0 out of 5 (good)', unmarked, and restated as a finding)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from desktop.cli import main
from exporters.board_report import write_board_report
from exporters.report_content import Grid
from exporters.summary_report import heat_map
from models.cycle_summary import audit_figures, cycle_summary
from models.dashboard import cycle_dashboard
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.dashboard_model import DashboardModel

Q = current_questionnaire()
CYCLE = "2015 review"


def _one_answer(path: Path) -> str:
    """MOJ's audit, one question answered, in a cycle of three such (so it has a median)."""
    with Store(path) as store:
        found = []
        for name, short in (
            ("Ministry of Justice", "MOJ"),
            ("Northern Ireland Office", "NIO"),
            ("Scotland Office", "SO"),
        ):
            dept = store.add_department(name, short)
            audit = store.create_audit(dept.id, CYCLE, Q, "A. Auditor")
            store.set_answer(audit.id, "digital_leader_nominated", True)
            found.append(audit.id)
        return found[0]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_findings_heat_map_and_dashboard_mark_a_provisional_overall(
    tmp_path: Path, qtbot: Any
) -> None:
    db = tmp_path / "ws.sqlite"
    audit_id = _one_answer(db)
    with Store(db) as store:
        covered = audit_figures(store, audit_id).score.overall_coverage
        assert covered is not None and covered.provisional and covered.answered == 1
        write_board_report(store, audit_id, tmp_path / "r.pdf")
        write_board_report(store, audit_id, tmp_path / "r.docx")
        dashboard = cycle_dashboard(store, CYCLE)
        summary = cycle_summary(store, CYCLE)
    marker = f"Provisional (1 of {covered.total} answered)"
    text = _flat(" ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages))
    lead = f"Overall maturity is 5.0 out of 5 (good; provisional: 1 of {covered.total} answered)"
    assert lead in text
    assert f"Overall 5.0 Green: good · {marker}" in text
    finding = f"Overall maturity is 5.0 out of 5 (provisional: 1 of {covered.total} answered)"
    assert finding in text
    assert "Overall maturity is 5.0 out of 5 (good)" not in text
    assert "Overall maturity is 5.0 out of 5," not in text  # no finding states it plainly
    words = _flat(" ".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs))
    assert lead in words and finding in words
    # the dashboard says it in the tooltip and to a screen reader, as for a section
    model = DashboardModel()
    model.set_dashboard(dashboard)
    column = next(i for i, c in enumerate(model.columns) if c.key == "overall")
    cell = model.index(0, column)
    assert model.data(cell) == "5.0"
    assert marker in model.data(cell, 3)  # ToolTipRole
    assert marker in model.data(cell, 11)  # AccessibleTextRole
    # the summary report's heat map
    (grid,) = [b for b in heat_map(summary) if isinstance(b, Grid)]
    overall = grid.header.index("Overall")
    assert grid.rows[0][overall] == f"5.0 {marker}"


def test_cli_json_and_text_carry_the_overall_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ws.sqlite"
    _one_answer(db)
    show = ["audit", "show", "--db", str(db), "--department", "MOJ", "--cycle", CYCLE]
    capsys.readouterr()
    assert main([*show, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["audits"][0]["figures"]
    covered = found["overall_coverage"]
    assert covered["answered"] == 1 and covered["provisional"] is True
    assert main(show) == 0
    said = capsys.readouterr().out
    assert f"maturity, overall: 5.00 of 5 (provisional: 1 of {covered['total']} answered)" in said
