"""Every output prints 1 contractor FTE of 40,001 as '<1%' and 99.996% as '>99%' (review F2).

Each output is read back as a reader gets it: the PDF and Word report's text, the workbook's
cells (the number and the number format Excel shows it with), the dashboard's cells and the
CLI's text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.cli import main
from exporters.audit_workbook import export_audits
from exporters.board_report import write_board_report
from models.dashboard import cycle_dashboard
from models.formatting import format_share
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.dashboard_model import display_text

Q = current_questionnaire()
CYCLE = "2015 review"
LABEL = next(i.label for i in Q.indicators if i.id == "contractor_share_fte")


def _workspace(path: Path, contractors: float, staff: float) -> str:
    with Store(path) as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, CYCLE, Q, "A. Auditor")
        row = {"profession_family": "it_operations"}
        store.bulk_rows(
            audit.id,
            "workforce_mix",
            [
                {**row, "staff_type": "permanent", "fte": staff},
                {**row, "staff_type": "contractor", "fte": contractors},
            ],
        )
        return audit.id


@pytest.mark.parametrize(
    ("contractors", "staff", "shown"),
    [(1.0, 40_000.0, "<1%"), (39_999.6, 1.4, ">99%")],  # 0.0025% and 99.9965%
)
def test_every_output_prints_a_share_at_the_ends_as_words(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    contractors: float,
    staff: float,
    shown: str,
) -> None:
    db = tmp_path / "ws.sqlite"
    audit_id = _workspace(db, contractors, staff)
    with Store(db) as store:
        write_board_report(store, audit_id, tmp_path / "r.pdf")
        write_board_report(store, audit_id, tmp_path / "r.docx")
        export_audits(store, [audit_id], tmp_path / "a.xlsx")
        dashboard = cycle_dashboard(store, CYCLE)
    # PDF: the headline indicators' row for the share
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    )
    summary = text[text.index("Headline indicators") :]
    row = summary[summary.index(LABEL[:40]) :][:200]
    assert f" {shown}" in row and " 0%" not in row and "100%" not in row, row
    # Word: the same table row
    document = docx.Document(str(tmp_path / "r.docx"))
    cells = [
        [c.text for c in r.cells]
        for t in document.tables
        for r in t.rows
        if r.cells[0].text == LABEL
    ]
    assert cells and all(r[1].startswith(shown) for r in cells), cells
    # Excel: the exact fraction, shown with the words as its format (never a 0 or 1)
    sheet = load_workbook(tmp_path / "a.xlsx")["Summary"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index(LABEL) + 1)
    assert cell.value == pytest.approx(contractors / (contractors + staff), rel=1e-12)
    assert 0 < cell.value < 1 and cell.number_format == f'"{shown}"'
    # Dashboard
    column = next(c for c in dashboard.columns if c.key == "indicator:contractor_share_fte")
    assert display_text(dashboard.rows[0], column) == shown
    # CLI JSON keeps the figure unrounded, so no reader of it sees 0 or 100 either
    capsys.readouterr()
    assert (
        main(["audit", "show", "--db", str(db), "--department", "DWP", "--cycle", CYCLE, "--json"])
        == 0
    )
    said = json.loads(capsys.readouterr().out)["audits"][0]["figures"]["indicators"]
    value = said["contractor_share_fte"]["value"]
    assert 0 < value < 100 and format_share(value) == shown


@pytest.mark.parametrize(("percent", "shown"), [(0.3, "<1%"), (99.7, ">99%"), (50.0, "50%")])
def test_cli_text_prints_completion_as_every_output_does(
    capsys: pytest.CaptureFixture[str], percent: float, shown: str
) -> None:
    """332 of 333 questions answered is 99.7%: the CLI's own '{:.0f}%' printed it '100%'."""
    from desktop.cli_audit import _print_audit

    record = {
        "department": {"name": "DWP"},
        "cycle": CYCLE,
        "status": "draft",
        "id": "a1",
        "questionnaire": {"id": Q.id, "version": Q.version},
        "answers": {},
        "comments": {},
        "tables": {},
        "figures": {
            "section_maturity": {},
            "overall_maturity": None,
            "section_coverage": {},
            "completion_percent": percent,
            "questions_answered": 1,
            "questions_shown": 2,
        },
        "data_quality": [],
    }
    _print_audit(record)
    assert f"completion: {shown} (1 of 2 questions answered)" in capsys.readouterr().out
