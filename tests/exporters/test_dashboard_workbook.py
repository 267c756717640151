"""The dashboard workbook, read back with openpyxl: numbers stay numbers, text stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporters.dashboard_workbook import write_dashboard_workbook
from models.dashboard import (
    COUNT,
    FLAG,
    MATURITY,
    PERCENT,
    SHARE,
    TEXT,
    DashboardColumn,
    cycle_dashboard,
    table_values,
)
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import SAMPLE_MATURITY, SAMPLE_OVERALL, header_index, sample_audit

COLUMNS = [
    DashboardColumn("department", "Department", TEXT),
    DashboardColumn("status", "Status", TEXT),
    DashboardColumn("completion", "Complete", PERCENT),
    DashboardColumn("overall", "Overall", MATURITY, "Overall maturity"),
    DashboardColumn("indicator:share", "Contractor share", SHARE),
    DashboardColumn("indicator:flag", "CIO on board", FLAG),
    DashboardColumn("indicator:count", "Programmes", COUNT),
]


def test_rows_columns_and_formats(tmp_path: Path) -> None:
    path = tmp_path / "dashboard.xlsx"
    rows = [
        ['=HYPERLINK("http://x")', "Draft", 71.875, 3.87, 25.0, True, 3.0],
        ["Cabinet Office", "No audit for this cycle", None, None, None, None, None],
        ["HM Treasury", "Signed off", 100.0, 2.25, 4.5, "No", 0.0],
    ]
    write_dashboard_workbook(path, COLUMNS, rows, notes=[("Cycle", "2013 baseline")])
    book = load_workbook(path)
    assert book.sheetnames == ["Dashboard", "About"]
    sheet = book["Dashboard"]
    assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        ['=HYPERLINK("http://x")', "Draft", 0.71875, 3.87, 0.25, "Yes", 3],
        ["Cabinet Office", "No audit for this cycle", None, None, None, None, None],
        ["HM Treasury", "Signed off", 1, 2.25, 0.045, "No", 0],
    ]  # shares as fractions, shown as whole percentages like everywhere else
    assert sheet["A2"].data_type == "s"  # typed text is never a formula
    formats = {c.value: sheet.cell(2, c.column).number_format for c in sheet[1]}
    assert formats["Complete"] == formats["Contractor share"] == "0%"
    assert formats["Overall"] == "0.0"
    assert formats["Programmes"] == "#,##0"
    assert sheet.freeze_panes == "A2"
    assert sheet.tables["Dashboard"].ref == "A1:G4"
    about = [[c.value for c in row] for row in book["About"].iter_rows(min_row=2)]
    assert about == [["Cycle", "2013 baseline"], ["Overall", "Overall maturity"]]


def test_sample_audit_through_the_dashboard(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    sample_audit(store, questionnaire)
    store.add_department("Cabinet Office", "CO")
    dashboard = cycle_dashboard(store, "2013 baseline")
    path = write_dashboard_workbook(
        tmp_path / "d.xlsx", dashboard.columns, table_values(dashboard.columns, dashboard.rows)
    )
    sheet = load_workbook(path)["Dashboard"]
    index = header_index(sheet)
    assert sheet.cell(2, 1).value == "Cabinet Office"
    assert sheet.cell(2, index["Status"]).value == "No audit for this cycle"
    assert sheet.cell(2, index["Overall"]).value is None
    assert sheet.cell(3, 1).value == "Department for Transport"
    for title, maturity in SAMPLE_MATURITY.items():
        assert sheet.cell(3, index[title]).value == pytest.approx(maturity)
    assert sheet.cell(3, index["Overall"]).value == pytest.approx(SAMPLE_OVERALL)
    # 10 of 40 FTE are contractors; £1m of £2.5m; the CIO (a CDIO) sits on the board.
    assert sheet.cell(3, index["Contractor share (FTE)"]).value == 0.25  # a fraction, shown 25%
    assert sheet.cell(3, index["Contractor share (cost)"]).value == 0.4
    assert sheet.cell(3, index["CIO on board"]).value == "Yes"
    assert sheet.cell(3, index["Digital leader on board"]).value == "No"
    assert sheet.cell(3, index["Major programmes"]).value == 3


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "d.xlsx"
    with pytest.raises(OSError):
        write_dashboard_workbook(path, COLUMNS, [])
    assert not path.exists()
