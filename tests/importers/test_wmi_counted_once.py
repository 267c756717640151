"""The whole department's workforce counted once: the same month from a second file, or a
body given twice in one file, is left out as a problem naming where it already is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from importers.foreign_plan import (
    Choices,
    ForeignPlan,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from models.questionnaire import Questionnaire
from models.store import Store
from tests.importers.foreign_files import SAMPLES

DWP = "Department for Work and Pensions"
JANUARY = SAMPLES / "04_wmi_dwp_2025-01.csv"
AUGUST_2015 = SAMPLES / "wmi" / "dwp_2015-08_flat-header-dots.csv"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"), newline="")))


def _plan(store: Store, path: Path, questionnaire: Questionnaire) -> ForeignPlan:
    foreign = read_foreign(path, questionnaire)
    try:
        facts = WorkspaceFacts.of(store, "2025")  # as the window and the command line read them
        return plan_foreign(facts, foreign, Choices(cycle="2025"), questionnaire)
    finally:
        foreign.close()


def _import(store: Store, path: Path, questionnaire: Questionnaire) -> int:
    plan = _plan(store, path, questionnaire)
    return apply_foreign(store, plan, questionnaire).imported


def _payroll(store: Store, body: str) -> float:
    audit = store.audits()[0]
    rows = store.rows(audit.id, "department_workforce")
    return sum(
        r.cells.get("headcount") or 0
        for r in rows
        if r.cells.get("body") == body and r.cells.get("staff_group") == "payroll"
    )


def test_the_same_month_resaved_as_xlsx_is_not_counted_twice(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """Before: the re-saved return imported again, exit 0; DWP's January 2025 payroll
    headcount became 185,598 (the file: 92,799)."""
    store.add_department(DWP, "DWP")
    assert _import(store, JANUARY, questionnaire) == 20
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _rows(JANUARY):
        sheet.append(row)
    resaved = tmp_path / "04_wmi_dwp_2025-01.xlsx"
    book.save(resaved)
    plan = _plan(store, resaved, questionnaire)
    assert plan.importable == 0
    problems = [p.detail for p in plan.report.problems]
    assert len(problems) == 20
    assert problems[0] == (
        "Department for Work and Pensions, 2025-01, Payroll staff AO/AA is already in the "
        "Department for Work and Pensions audit (from 04_wmi_dwp_2025-01.csv): not imported "
        "again. To replace them with this file's (a corrected return), choose to replace "
        "them: --on-repeat replace, or the import window's 'Replace what other files added'"
    )
    assert _payroll(store, DWP) == 92799


def test_the_same_file_again_is_a_repeat_to_replace_not_a_duplicate(
    store: Store, questionnaire: Questionnaire
) -> None:
    store.add_department(DWP, "DWP")
    _import(store, JANUARY, questionnaire)
    plan = _plan(store, JANUARY, questionnaire)
    assert not plan.report.problems and plan.repeats
    assert apply_foreign(store, plan, questionnaire, on_repeat="replace").imported == 20
    assert _payroll(store, DWP) == 92799


def test_two_returns_joined_without_their_months_are_counted_once_and_said(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """August 2015 has no month column: a second month pasted under it gave every body twice."""
    store.add_department(DWP, "DWP")
    rows = _rows(AUGUST_2015)
    joined = tmp_path / "two-months.csv"
    with joined.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh).writerows(rows + rows[1:])
    plan = _plan(store, joined, questionnaire)
    problems = [(p.source_row, p.detail) for p in plan.report.problems]
    assert len(problems) == plan.importable == 27
    assert problems[0] == (
        len(rows) + 1,
        "Department for Work & Pensions, no month, Payroll staff AO/AA is given again (row 2 "
        "has it): two returns joined without their months? Counted once",
    )


def test_a_misspelt_headcount_header_keeps_its_pair_in_one_row(
    store: Store, questionnaire: Questionnaire
) -> None:
    """'Intermin Managers Headcount' beside 'Interim Managers Full-time Equivalent' (DWP
    2015): one interim managers row per body with both figures, not one of each."""
    store.add_department(DWP, "DWP")
    plan = _plan(store, AUGUST_2015, questionnaire)
    interim = [r.row.cells for r in plan.rows if r.row.cells.get("staff_group") == "interim"]
    by_body = {c["body"]: (c.get("headcount"), c.get("fte")) for c in interim}
    assert len(interim) == len(by_body) == 3
    assert by_body["Health and Safety Executive"] == (3, 2.4)
    assert plan.importable == 27 and not plan.report.problems


def _resaved(tmp_path: Path, source: Path, encoding: str = "utf-8-sig") -> Path:
    """The CSV as a spreadsheet saves it: the same cells, in an XLSX."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with source.open(encoding=encoding, newline="") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    path = tmp_path / (source.stem + ".xlsx")
    book.save(path)
    return path


def test_an_organogram_resaved_adds_no_post_twice(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """Before: the re-saved DfT organogram added its 114 posts again (228 senior roles)."""
    store.add_department("Department for Transport", "DfT")
    source = SAMPLES / "organograms" / "department_for_transport-2011-09-30-senior.csv"
    choices = Choices(cycle="2011", tech_filter=False)
    for path, expected in ((source, 114), (_resaved(tmp_path, source), 0)):
        foreign = read_foreign(path, questionnaire)
        try:
            plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
        finally:
            foreign.close()
        assert plan.importable == expected
        if expected:
            apply_foreign(store, plan, questionnaire)
    assert len(plan.report.problems) == 114
    assert plan.report.problems[0].detail.startswith(
        "post 55 'Local Director' is already in the Department for Transport audit (from "
        "department_for_transport-2011-09-30-senior.csv)"
    )
    assert len(store.rows(store.audits()[0].id, "senior_roles")) == 114


def test_gmpp_programmes_are_not_added_twice_with_their_costs(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    store.add_department("Cabinet Office", "CO")
    source = SAMPLES / "gmpp" / "gmpp_2024_cabinet_office.csv"
    plan = _plan(store, source, questionnaire)
    first = apply_foreign(store, plan, questionnaire).imported
    assert first == 3
    again = _plan(store, _resaved(tmp_path, source), questionnaire)
    assert again.importable == 0 and len(again.report.problems) == 3
    assert "programme 'GOV.UK One Login' is already in the Cabinet Office audit" in {
        p.detail.split(" (from")[0] for p in again.report.problems
    }


def test_a_corrected_return_replaces_the_earlier_files_rows_when_chosen(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """V5: a corrected copy could only be imported after deleting every row by hand; now the
    problem names --on-repeat replace, and choosing it replaces those rows in one go."""
    store.add_department(DWP, "DWP")
    _import(store, AUGUST_2015, questionnaire)
    corrected = tmp_path / "dwp-corrected.csv"
    corrected.write_bytes(AUGUST_2015.read_bytes().replace(b"39638,33731.63", b"39638,33000.00"))
    plan = _plan(store, corrected, questionnaire)
    assert plan.importable == 0
    assert "--on-repeat replace" in plan.report.problems[0].detail
    foreign = read_foreign(corrected, questionnaire)
    try:
        choices = Choices(cycle="2025", replace_earlier=True)
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
    finally:
        foreign.close()
    assert plan.importable == 27 and not plan.report.problems
    apply_foreign(store, plan, questionnaire, on_repeat="replace")
    rows = store.rows(store.audits()[0].id, "department_workforce")
    assert len(rows) == 27
    ao = [r.cells["fte"] for r in rows if r.cells.get("grade_group") == "ao_aa"]
    assert 33000.0 in ao and 33731.63 not in ao


def test_rows_held_are_read_of_the_import_cycle_only(
    store: Store, questionnaire: Questionnaire
) -> None:
    """A big workspace's every row took a second to read at each preview: the facts of an
    import read the rows held by its cycle's audits alone (all of them when no cycle)."""
    store.add_department(DWP, "DWP")
    assert _import(store, JANUARY, questionnaire) == 20
    audit = store.audits()[0].id
    assert len(WorkspaceFacts.of(store, "2025").held["department_workforce"][audit]) == 20
    assert WorkspaceFacts.of(store, " 2025 ").held["department_workforce"][audit]
    assert WorkspaceFacts.of(store, "2026").held == {}
    assert WorkspaceFacts.of(store).held["department_workforce"][audit]
