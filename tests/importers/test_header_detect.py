"""Headers found under titles and notes; stacked headers split into levels; real and built files."""

from __future__ import annotations

from pathlib import Path

from importers.header_detect import SCAN_ROWS, detect_header
from importers.readers import open_source
from importers.source_table import CellValue, HeaderLayout
from tests.importers import foreign_files as ff


def _detect(
    path: Path, sheet: str | None = None
) -> tuple[HeaderLayout | None, list[list[CellValue]]]:
    book = open_source(path)
    try:
        name = sheet or book.sheet_names()[0]
        rows: list[list[CellValue]] = []
        iterator = book.rows(name)
        for row in iterator:
            rows.append(row)
            if len(rows) == SCAN_ROWS:
                break
        close = getattr(iterator, "close", None)
        if close:
            close()
        return detect_header(rows, sheet=name, merged=book.merged_ranges(name)), rows
    finally:
        book.close()


def test_dwp_one_row_header_splits_group_subgroup_and_measure() -> None:
    header, _ = _detect(ff.DWP_WMI_CSV)
    assert header is not None
    assert header.header_rows == (0,) and header.first_data_row == 1
    assert header.parts[0] == ("Year",)
    assert header.parts[5] == ("Payroll staff", "AO/AA", "Headcount")
    assert header.parts[6] == ("Payroll staff", "AO/AA", "Full-time equivalent")
    # 'Total Contingent labour:' ends its level with a colon, not a semicolon.
    index = header.names.index("Non-payroll staff; Total Contingent labour; Headcount")
    assert header.parts[index] == ("Non-payroll staff", "Total Contingent labour", "Headcount")
    assert "Grand Total (workforce numbers); Headcount" in header.names


def test_home_office_ods_header() -> None:
    header, _ = _detect(ff.HOME_OFFICE_WMI_ODS, "Data_Sheet")
    assert header is not None
    assert header.first_data_row == 1
    assert header.parts[2] == ("Organisation name",)
    assert header.names[-1] == "Comments"


def test_cs_statistics_header_is_the_first_row() -> None:
    header, _ = _detect(ff.CS_STATISTICS_CSV)
    assert header is not None
    assert header.names == [
        "Status", "Year", "Parent_department", "Profession_of_post",
        "Responsibility_level_ungrouped", "Headcount", "FTE", "Mean_salary", "Median_salary",
    ]  # fmt: skip


def test_gmpp_title_skipped_and_multi_line_names_joined(tmp_path: Path) -> None:
    header, _ = _detect(ff.gmpp_xlsx(tmp_path))
    assert header is not None
    assert header.header_rows == (2,) and header.first_data_row == 3
    assert header.parts[0] == ("GMPP ID Number",)
    # One name broken over lines stays one level, its newline a space.
    assert header.parts[5] == ("MPA Delivery Confidence Assessment (September 2013)",)
    assert header.parts[8] == (
        "Total Baseline Whole Life Costs (£m) (including non-Government costs)",
    )


def test_older_wmi_three_stacked_rows_with_merged_cells(tmp_path: Path) -> None:
    header, _ = _detect(ff.wmi_older_xlsx(tmp_path))
    assert header is not None
    assert header.header_rows == (1, 2, 3)
    assert header.first_data_row == 4
    # Vertically merged identity columns give their name once.
    assert header.parts[0] == ("Organisation name",)
    assert header.parts[3] == ("Payroll staff", "AO/AA", "Headcount")
    assert header.parts[4] == ("Payroll staff", "AO/AA", "FTE")
    assert header.parts[16] == ("Payroll staff", "Total", "FTE")
    assert header.parts[17] == ("Non-payroll staff", "Admin and Clerical", "Headcount")
    assert header.parts[26] == ("Payroll staff costs", "Total paybill", "£")


def test_prior_audit_title_note_and_merged_band(tmp_path: Path) -> None:
    header, _ = _detect(ff.prior_audit_xlsx(tmp_path))
    assert header is not None
    assert header.header_rows == (3, 4) and header.first_data_row == 5
    assert header.names == [
        "Supplier", "Service provided", "Contract value; Annual (£)",
        "Contract value; Total (£)", "Contract end", "Route to market", "Notes",
    ]  # fmt: skip


def test_organogram_sheets_and_empty_cover(tmp_path: Path) -> None:
    path = ff.organogram_older_xlsx(tmp_path)
    cover, _ = _detect(path, "Cover")
    assert cover is None  # two title lines, no table
    senior, _ = _detect(path, "(final data) senior-staff")
    assert senior is not None and senior.names[2] == "Grade"
    junior, _ = _detect(path, "(final data) junior-staff")
    assert junior is not None and junior.names[8] == "Number of Posts in FTE"


def test_stacked_rows_without_merge_information_fill_spans_to_the_right() -> None:
    rows: list[list[CellValue]] = [
        ["Workforce return, March 2019"],
        [],
        ["", "Payroll staff", "", "", "", "Non-payroll staff", ""],
        ["", "AO/AA", "", "EO", "", "Agency", ""],
        ["Organisation", "Headcount", "FTE", "Headcount", "FTE", "Headcount", "FTE"],
        ["Cabinet Office", "10", "9.5", "20", "19", "3", "3"],
        ["Government Digital Service", "1", "1", "5", "5", "0", "0"],
    ]
    header = detect_header(rows, sheet="s")
    assert header is not None
    assert header.header_rows == (2, 3, 4) and header.first_data_row == 5
    assert header.parts[0] == ("Organisation",)
    assert header.parts[2] == ("Payroll staff", "AO/AA", "FTE")
    assert header.parts[4] == ("Payroll staff", "EO", "FTE")
    assert header.parts[6] == ("Non-payroll staff", "Agency", "FTE")


def test_plain_newlines_split_only_when_cells_clearly_stack_levels() -> None:
    stacked: list[list[CellValue]] = [
        ["Organisation", "Payroll staff\nAO/AA\nHeadcount", "Payroll staff\nEO\nHeadcount",
         "Payroll staff\nSCS\nHeadcount"],
        ["Cabinet Office", 10, 20, 3],
    ]  # fmt: skip
    header = detect_header(stacked, sheet="s")
    assert header is not None and header.parts[2] == ("Payroll staff", "EO", "Headcount")
    joined: list[list[CellValue]] = [
        [
            "Project Name",
            "Delivery Confidence\nAssessment",
            "Whole Life\nCosts (£m)",
            "Start\nDate",
        ],
        ["Universal Credit", "Amber", 2418.1, "2011-04-01"],
    ]
    header = detect_header(joined, sheet="s")
    assert header is not None
    assert header.names == ["Project Name", "Delivery Confidence Assessment",
                            "Whole Life Costs (£m)", "Start Date"]  # fmt: skip


def test_no_header_in_numbers_blank_or_title_only_sheets() -> None:
    assert detect_header([[1, 2, 3], [4, 5, 6]], sheet="s") is None
    assert detect_header([], sheet="s") is None
    assert detect_header([[None, ""], []], sheet="s") is None
    assert (
        detect_header([["Annual report 2013"], ["Prepared by the audit team"]], sheet="s") is None
    )


def test_notes_with_two_cells_above_the_header_are_not_a_level() -> None:
    rows: list[list[CellValue]] = [
        ["Prepared by:", "Audit team"],
        ["Supplier", "Service", "Annual value", "End date"],
        ["Atos", "Payroll", "£1.2m", "31/03/2014"],
    ]
    header = detect_header(rows, sheet="s")
    assert header is not None
    assert header.header_rows == (1,)
    assert header.names == ["Supplier", "Service", "Annual value", "End date"]


def test_tall_and_overlapping_merged_ranges_cost_only_the_scanned_rows() -> None:
    """500 ranges down to row 1,048,576 (they took 20 s; 20,000 took 15 min) read at once: only
    the rows scanned for the header count, and the header is still found."""
    import time

    rows: list[list[CellValue]] = [["Department", "Role", "Headcount"], ["DWP", "Developer", 3]]
    merged = [(i + 2, 0, 1_048_575, 1) for i in range(500)]
    merged += [(0, 0, 0, 16_383)] * 5_000  # overlapping, across every column
    started = time.perf_counter()
    header = detect_header(rows, sheet="Data", merged=merged)
    assert time.perf_counter() - started < 2.0
    assert header is not None and header.first_data_row == 1
