"""Real WMI files as an analyst brings them: re-saved by a spreadsheet, a cell left blank.
Whatever cannot be read is said, row and column, and the import stops: never a silent part."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from importers.foreign_plan import Choices, ForeignPlan, WorkspaceFacts, plan_foreign, read_foreign
from importers.formats.wmi_values import month_of
from models.questionnaire import Questionnaire
from models.store import Store
from tests.importers.foreign_files import SAMPLES

CMA = SAMPLES / "wmi" / "cma_2020-04_months-as-rows.csv"


def _plan(store: Store, path: Path, questionnaire: Questionnaire) -> ForeignPlan:
    store.add_department("Competition and Markets Authority", "CMA")
    foreign = read_foreign(path, questionnaire)
    try:
        choices = Choices(cycle="2020", department="Competition and Markets Authority")
        return plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
    finally:
        foreign.close()


def _cma_rows() -> list[list[str]]:
    with CMA.open(encoding="cp1252", newline="") as fh:
        return list(csv.reader(fh))


def _as_xlsx(tmp_path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append([_number(v) for v in row])
    path = tmp_path / "cma.xlsx"
    book.save(path)
    return path


def _number(value: object) -> object:
    if isinstance(value, str):
        try:
            return float(value.replace(",", "")) if value.strip() else None
        except ValueError:
            return value
    return value


def test_a_month_cell_left_blank_is_a_problem_not_a_silently_dropped_row(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """December's month blanked: before, its row vanished and November was imported as the
    latest with exit 0."""
    rows = _cma_rows()
    december = next(i for i, r in enumerate(rows) if r and r[0] == "Dec-20")
    rows[december][0] = ""
    path = tmp_path / "cma.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh).writerows(rows)
    plan = _plan(store, path, questionnaire)
    problems = [(p.source_row, p.detail) for p in plan.report.problems]
    assert problems == [
        (
            december + 1,
            "column A 'Month': no month given: the row's figures cannot be placed in a month",
        )
    ]
    assert any(r.row.source_row == december + 1 and not r.imported for r in plan.rows)


def test_months_turned_into_days_by_a_spreadsheet_are_said_not_guessed(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """Re-saved by Excel or LibreOffice, 'Apr-20' becomes 20 April of this year: no month is
    guessed from it, each row says so; dates on the 1st are months."""
    rows: list[list[object]] = [list(r) for r in _cma_rows()]
    data = [r for r in rows if r and str(r[0]).endswith("-20")]
    for number, row in enumerate(data, start=4):
        row[0] = datetime(2026, number, 20)
    plan = _plan(store, _as_xlsx(tmp_path, rows), questionnaire)
    assert plan.importable == 0
    details = [p.detail for p in plan.report.problems]
    assert len(details) == len(data) == 9
    assert "20 April 2026 is a day, not a month" in details[0]
    assert all(d.startswith("column A 'Month': ") for d in details)


def test_months_saved_as_first_of_the_month_dates_are_read(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    rows: list[list[object]] = [list(r) for r in _cma_rows()]
    data = [r for r in rows if r and str(r[0]).endswith("-20")]
    for number, row in enumerate(data, start=4):
        row[0] = datetime(2020, number, 1)
    plan = _plan(store, _as_xlsx(tmp_path, rows), questionnaire)
    assert not plan.report.problems
    months = {r.row.cells.get("month") for r in plan.rows if r.imported}
    assert months == {"2020-12"}
    heads = sum(
        r.row.cells.get("headcount", 0)
        for r in plan.rows
        if r.imported and r.row.cells.get("staff_group") == "payroll"
    )
    assert heads == 851  # ORIGINS.md: Dec-20 payroll headcount


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("decc_2012-03_stacked4-fy-averag", None),  # 'decc' is no December
        ("Mayor 2016", None),
        ("Octopus 12", None),
        ("Novel_2019", None),
        ("Data_Sheet_June_2022", (2022, 6)),
        ("Sept_2024", (2024, 9)),
        ("July 19 ", (2019, 7)),
        ("Apr-20", (2020, 4)),
        ("Feb 2012 ", (2012, 2)),
        ("December 2016", (2016, 12)),
    ],
)
def test_only_a_month_name_names_a_month(text: str, month: tuple[int, int] | None) -> None:
    assert month_of(text) == month


def test_a_resaved_file_whose_sheet_is_named_after_it_gets_no_month_from_a_word(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """DECC's April 2011-March 2012 averages re-saved as XLSX: the sheet takes the file's name
    ('decc_2012-03_stacked4-fy-averag'), which was read as December 2012 for every row."""
    source = SAMPLES / "wmi" / "decc_2012-03_stacked4-fy-average.csv"
    with source.open(encoding="cp1252", newline="") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    path = _as_xlsx(tmp_path, rows, "decc_2012-03_stacked4-fy-averag")
    store.add_department("Department of Energy & Climate Change", "DECC")
    foreign = read_foreign(path, questionnaire)
    try:
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, Choices(cycle="2012"), questionnaire)
    finally:
        foreign.close()
    assert plan.importable == 50
    assert {r.row.cells.get("month") for r in plan.rows if r.imported} == {None}
    assert not any("December 2012" in n for n in plan.report.notes)


def _joined(tmp_path: Path, *names: str) -> Path:
    """Files joined one under another, a blank row between, as an analyst pastes two years."""
    rows: list[list[str]] = []
    for name in names:
        raw = (SAMPLES / name).read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
        rows += [*csv.reader(io.StringIO(text, newline="")), []]
    path = tmp_path / "joined.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize(
    "names",
    [
        ("04_wmi_dwp_2025-01.csv", "wmi/dwp_2015-08_flat-header-dots.csv"),
        ("wmi/dwp_2015-08_flat-header-dots.csv", "04_wmi_dwp_2025-01.csv"),
    ],
)
def test_two_years_joined_in_one_file_stop_at_the_second_header(
    tmp_path: Path, store: Store, questionnaire: Questionnaire, names: tuple[str, str]
) -> None:
    """The second year was read under the first year's header, two columns out: its rows were
    left out as 'department '33731.63' is not in this workspace' and the import exited 0."""
    store.add_department("Department for Work and Pensions", "DWP")
    foreign = read_foreign(_joined(tmp_path, *names), questionnaire)
    try:
        choices = Choices(cycle="2025", department="Department for Work and Pensions")
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
    finally:
        foreign.close()
    first = {"04_wmi_dwp_2025-01.csv": 5, "wmi/dwp_2015-08_flat-header-dots.csv": 8}[names[0]]
    header = first + 2  # the first file's rows, the blank row, then the second header
    problems = [(p.source_row, p.detail) for p in plan.report.problems]
    assert problems[0][0] == header
    assert problems[0][1].startswith("a second header row: another file joined below")
    assert all(row < header for row, _ in problems[1:])  # any others: the first file's own
    under = [r for r in plan.rows if r.row.source_row > header]
    assert under and all(r.reason == f"under the second header at row {header}" for r in under)
    assert all(r.row.source_row < header for r in plan.rows if r.imported)


def test_two_months_of_one_layout_joined_header_and_all_are_both_read(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """The header repeated word for word is the same columns: the second month is read on."""
    rows = list(csv.reader(io.StringIO((SAMPLES / "04_wmi_dwp_2025-01.csv").read_bytes()
                                       .decode("cp1252"), newline="")))  # fmt: skip
    december = [list(r) for r in rows[1:]]
    for row in december:
        row[0], row[1] = "2024", "December"
    path = tmp_path / "two-months.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([*rows, rows[0], *december])
    store.add_department("Department for Work and Pensions", "DWP")
    foreign = read_foreign(path, questionnaire)
    try:
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, Choices(cycle="2025"), questionnaire)
    finally:
        foreign.close()
    assert not plan.report.problems
    months = [r.row.cells["month"] for r in plan.rows if r.imported]
    assert len(months) == 40 and set(months) == {"2025-01", "2024-12"}
    left = [r.reason for r in plan.rows if not r.imported]
    assert left == ["the header again (the same columns)"]
