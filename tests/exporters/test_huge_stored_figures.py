"""Figures stored before validation bounded numbers (FTEs and costs of 1e308) still give a board
report: what cannot be drawn or summed is said, never a reportlab error or 'worth –'."""

from __future__ import annotations

from pathlib import Path

from exporters.board_report import write_board_report
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.exporters.test_board_report import pages_text


def test_a_report_of_1e308_ftes_and_costs_is_written_and_says_what_it_leaves_out(
    store: Store, tmp_path: Path
) -> None:
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    # insert_rows stores what it is given, as a workspace written before the bounds holds it
    store.insert_rows(audit.id, "workforce_mix", 0, [
        {"profession_family": "data", "staff_type": "contractor", "fte": 1e308},
        {"profession_family": "data", "staff_type": "permanent", "fte": 1e308},
    ])  # fmt: skip
    store.insert_rows(audit.id, "major_programmes", 0, [
        {"name": "Alpha", "whole_life_cost": 1e308, "delivery_confidence": "red"},
        {"name": "Bravo", "whole_life_cost": 1e308, "delivery_confidence": "red"},
    ])  # fmt: skip
    for name in ("board.pdf", "board.docx"):
        write_board_report(store, audit.id, tmp_path / name)  # no ValueError from reportlab
    text = " ".join(pages_text(tmp_path / "board.pdf"))
    assert "The workforce figures are too large to chart: Appendix B lists them." in text
    assert "2 of 2 major programmes have delivery confidence rated Red or Amber/Red." in text
    assert "worth –" not in text
