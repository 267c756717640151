"""The import wizard reads a file for the questionnaire version of the audits it goes into:
a WMI file into a version 1 audit goes to the technology table once confirmed, as the
command line does (it used to preview version 2's table, then fail at Import)."""

from __future__ import annotations

from pathlib import Path

from desktop.main_window import MainWindow
from models.questionnaire import get_questionnaire
from tests.importers.foreign_files import DWP_WMI_CSV
from tests.ui.test_import_wizard import (
    DWP,
    add_dwp,
    fresh_rows,
    open_on,
    settle,
)
from ui.import_wizard_frame import COLUMNS, PREVIEW, REPORT


def test_a_wmi_file_into_a_version_1_audit_asks_to_confirm_then_fills_the_technology_table(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    add_dwp(window)
    dept = window.store.find_department(DWP)
    assert dept is not None
    window.store.create_audit(
        dept.id, "2013 baseline", get_questionnaire("board-technology-baseline", 1)
    )
    window.refresh_navigator()
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    wizard.next.click()
    assert wizard.page() == COLUMNS
    wizard.next.click()
    assert wizard.page() == PREVIEW
    wizard.preview_page.cycle.setCurrentText("2013 baseline")
    settle(qtbot, wizard)
    plan = wizard.plan
    assert plan is not None
    # Version 1 has no department-wide table: the rows would go to the technology
    # workforce, which needs the user's word that these are whole-department figures.
    assert plan.mapping.target == "workforce_mix"
    assert wizard.preview_page.whole.isVisibleTo(wizard)
    assert not wizard.next.isEnabled()
    assert "whole-department" in wizard.blocked_reason()
    notes = wizard.layout_page.notes.toPlainText()
    assert notes.startswith("Rows go into the table Workforce mix"), notes
    wizard.preview_page.whole.setChecked(True)
    settle(qtbot, wizard)
    assert wizard.next.isEnabled(), wizard.blocked_reason()
    wizard.next.click()
    settle(qtbot, wizard)
    assert wizard.page() == REPORT, wizard.message
    assert wizard.report_page.summary.text().startswith("Imported 20 rows")
    assert len(fresh_rows(workspace_path, "2013 baseline", "workforce_mix")) == 20


def test_back_to_a_version_2_cycle_reads_for_version_2_again(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    add_dwp(window)
    dept = window.store.find_department(DWP)
    assert dept is not None
    window.store.create_audit(
        dept.id, "2013 baseline", get_questionnaire("board-technology-baseline", 1)
    )
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    wizard.next.click()
    wizard.next.click()
    wizard.preview_page.cycle.setCurrentText("2013 baseline")
    settle(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.mapping.target == "workforce_mix"
    wizard.preview_page.cycle.setCurrentText("2025")  # a new audit: the newest version
    settle(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.mapping.target == "department_workforce"
    assert not wizard.preview_page.whole.isVisibleTo(wizard)
    assert wizard.next.isEnabled(), wizard.blocked_reason()
    wizard.next.click()
    settle(qtbot, wizard)
    assert wizard.page() == REPORT, wizard.message
    assert len(fresh_rows(workspace_path, "2025", "department_workforce")) == 20
    assert fresh_rows(workspace_path, "2013 baseline", "workforce_mix") == []


def test_with_no_audit_open_the_cycle_offered_is_the_latest_by_date_not_the_last_made(
    qtbot, window: MainWindow
) -> None:
    add_dwp(window)
    dept = window.store.find_department(DWP)
    assert dept is not None
    form = get_questionnaire("board-technology-baseline", 2)
    window.store.create_audit(dept.id, "2014 review", form)
    window.store.create_audit(dept.id, "2013 baseline", form)  # back-filled afterwards
    window.refresh_navigator()
    assert window.session is None
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    cycle = wizard.preview_page.cycle
    assert cycle.currentText() == "2014 review"
    assert [cycle.itemText(i) for i in range(cycle.count())] == ["2013 baseline", "2014 review"]


def test_a_cycle_of_both_versions_reads_for_the_version_of_the_audit_the_rows_go_to(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    """Each row's own department, in a cycle where another department is on version 2:
    the rows go only to DWP's version 1 audit, so they are read for version 1."""
    add_dwp(window)
    dwp = window.store.find_department(DWP)
    other = window.store.add_department("Home Office", "HO")
    assert dwp is not None
    window.store.create_audit(
        dwp.id, "2016 review", get_questionnaire("board-technology-baseline", 1)
    )
    window.store.create_audit(
        other.id, "2016 review", get_questionnaire("board-technology-baseline", 2)
    )
    window.refresh_navigator()
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    wizard.next.click()
    wizard.next.click()
    assert wizard.preview_page.department.currentData() in ("", None)  # each row's own
    wizard.preview_page.cycle.setCurrentText("2016 review")
    settle(qtbot, wizard)
    plan = wizard.plan
    assert plan is not None
    assert {t.department.id for t in plan.targets} == {dwp.id}
    assert plan.mapping.target == "workforce_mix"
    assert wizard.preview_page.whole.isVisibleTo(wizard)
    wizard.preview_page.whole.setChecked(True)
    settle(qtbot, wizard)
    wizard.next.click()
    settle(qtbot, wizard)
    assert wizard.page() == REPORT, wizard.message
    assert len(fresh_rows(workspace_path, "2016 review", "workforce_mix")) == 20


def test_a_corrected_file_replaces_what_another_file_added_once_ticked(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    """A return imported, then a corrected copy of it (another file): its rows are held back
    as already imported until 'Replace what other files added' is ticked, then they replace
    the earlier file's rows (20, not 40). The window offers it; the message says so."""
    add_dwp(window)
    for source in (DWP_WMI_CSV, tmp_path / "dwp-corrected.csv"):
        if source != DWP_WMI_CSV:
            source.write_bytes(DWP_WMI_CSV.read_bytes() + b"\r\n")  # another file, same rows
        wizard = open_on(qtbot, window, source)
        wizard.next.click()
        wizard.next.click()
        assert wizard.page() == PREVIEW
        wizard.preview_page.cycle.setCurrentText("2025")
        settle(qtbot, wizard)
        correct = wizard.preview_page.correct
        if source != DWP_WMI_CSV:
            assert correct.isVisibleTo(wizard)
            assert not wizard.next.isEnabled()
            plan = wizard.plan
            assert plan is not None and plan.importable == 0
            assert "Replace what other files added" in plan.report.problems[0].detail
            correct.setChecked(True)
            settle(qtbot, wizard)
            assert wizard.plan is not None and wizard.plan.importable == 20
            assert "replacing 20 rows other files added" in wizard.preview_page.summary.text()
        else:
            assert not correct.isVisibleTo(wizard)
        assert wizard.next.isEnabled(), wizard.blocked_reason()
        wizard.next.click()
        settle(qtbot, wizard)
        assert wizard.page() == REPORT, wizard.message
        wizard.close()
    assert len(fresh_rows(workspace_path, "2025", "department_workforce")) == 20
