"""Review of the import wizard: stale plans, closing while work runs, state between files."""

from __future__ import annotations

import csv
from pathlib import Path

from desktop.main_window import MainWindow
from models.change_events import WorkspaceChange
from tests.importers.foreign_files import DWP_WMI_CSV, generic_roles_csv
from tests.ui.conftest import DialogScript
from tests.ui.test_import_wizard import add_dwp, counts, open_on, settle, to_preview
from ui.import_wizard import open_import_wizard
from ui.import_wizard_frame import FILE, LAYOUT, PREVIEW


def test_a_plan_finishing_after_a_newer_choice_is_not_shown_or_importable(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    """The user changes the cycle while a preview is being worked out: the finished (older)
    preview must not enable Import, or Enter imports into the cycle they just changed away from."""
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    wizard.debounce.setInterval(1000)  # the user is still typing; the newer plan is pending
    wizard.preview_page.refresh.click()
    wizard.debounce.stop()
    wizard._run_plan()  # a plan for 2025 is running...
    assert wizard.task is not None and wizard.task_kind == "plan"
    wizard.preview_page.cycle.setCurrentText("2026")  # ...when the user picks 2026
    qtbot.waitUntil(lambda: wizard.task is None, timeout=10000)  # the 2025 plan has finished
    assert wizard.debounce.isActive()  # the 2026 plan is still to come
    shown = wizard.plan
    assert shown is None or shown.targets[0].cycle == "2026", "stale 2025 plan shown"
    assert not wizard.next.isEnabled(), "Import enabled on the stale 2025 plan"
    wizard.next.click()  # Enter / Import pressed now
    settle(qtbot, wizard)
    assert [a.cycle for a in window.store.audits()] in ([], ["2026"])
    wizard.reject()


def test_closing_while_reading_a_baseline_workbook_does_not_start_its_import(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    """Cancel pressed while the file is read: the read's outcome arrives afterwards and must
    not hand the file to the workbook import (whose preview would pop up unasked)."""
    from exporters.audit_workbook import export_audits
    from models.questionnaire import current_questionnaire

    dept = window.store.add_department("Department for Work and Pensions", "DWP")
    audit = window.store.create_audit(dept.id, "2025", current_questionnaire())
    exported = tmp_path / "dwp.xlsx"
    export_audits(window.store, [audit.id], exported)
    wizard = open_import_wizard(window, exported)
    assert wizard is not None and wizard.task is not None
    wizard.task.worker.wait()  # the read ends just as Cancel is pressed, before its outcome is
    wizard.reject()  # delivered to the GUI thread
    qtbot.wait(500)
    assert dialogs.seen == [] and window.workbooks.task is None


def test_rows_left_out_in_one_file_are_not_left_out_of_the_next(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Untick a row, go back and choose another file: its row of the same number is imported."""
    add_dwp(window)
    first = generic_roles_csv(tmp_path)
    wizard = open_on(qtbot, window, first)
    to_preview(qtbot, wizard, "2013")
    model = wizard.model
    assert model.setData(model.index(1, 0), 0, 10)  # untick the second row
    settle(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.importable == 2
    for _ in range(3):
        wizard.back.click()
    assert wizard.page() == FILE
    second = tmp_path / "other-roles.csv"
    with second.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Post ref", "Title", "Grade"])
        for n in range(1, 4):
            writer.writerow([f"Q-0{n}", f"Post {n}", "SCS1"])
    window.choose_path = lambda *_: second
    wizard.file_page.choose.click()
    settle(qtbot, wizard)
    assert wizard.page() == LAYOUT and wizard.path == second
    wizard.next.click()
    wizard.next.click()
    assert wizard.page() == PREVIEW
    wizard.preview_page.cycle.setCurrentText("2014")
    settle(qtbot, wizard)
    assert wizard.plan is not None
    left = [r.row.source_row for r in wizard.plan.rows if not r.imported]
    assert left == [], f"rows {left} of the new file left out by a choice made on the old one"
    wizard.reject()
    assert counts(window.store.path)["table_rows"] == 0


def test_a_choice_changed_while_importing_does_not_lose_the_dashboards_refresh(
    qtbot, window: MainWindow
) -> None:
    """The preview's controls stay live until the progress dialog shows (300 ms): a cycle
    changed then must not make the finished import forget which audits it changed."""
    add_dwp(window)
    told: list[set[str]] = []

    def audits_changed(change: WorkspaceChange) -> None:
        if change.audit_ids:  # commits that changed audits, as the open dashboards hear them
            told.append(set(change.audit_ids))

    window.events.changed.connect(audits_changed)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    wizard.next.click()  # Import
    assert wizard.task_kind == "import"
    wizard.preview_page.cycle.setCurrentText("2026")  # before the progress dialog blocks it
    settle(qtbot, wizard)
    [audit] = window.store.audits()
    assert audit.cycle == "2025"
    assert told and audit.id in told[-1], f"open dashboards told of {told}, not {audit.id}"
    wizard.reject()


def test_ticking_a_row_from_the_keyboard_keeps_the_place_in_the_table(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Space on a row re-plans and resets the model: the current row must survive, or the
    next arrow key jumps to the top of a long file."""
    from PySide6.QtCore import Qt

    from tests.ui.test_import_wizard import big_csv

    add_dwp(window)
    wizard = open_on(qtbot, window, big_csv(tmp_path, rows=400))
    to_preview(qtbot, wizard, "2025")
    table, model = wizard.preview_page.table, wizard.model
    table.setFocus()
    table.setCurrentIndex(model.index(300, 0))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    settle(qtbot, wizard)
    assert wizard.plan is not None and not wizard.plan.rows[300].imported  # left out
    assert table.currentIndex().row() == 300
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 301
    wizard.reject()


def test_every_page_has_its_own_access_keys(qtbot, window: MainWindow) -> None:
    """Alt+letter must go to one control per page, also when the repeat choice is shown."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    wizard.preview_page.repeat.show()  # as when the file was imported before

    for page in range(wizard.stack.count()):
        wizard.stack.setCurrentIndex(page)
        keys: dict[str, list[str]] = {}
        for widget in wizard.findChildren(QWidget):
            if not widget.isVisibleTo(wizard):
                continue
            if isinstance(widget, QGroupBox):
                text = widget.title()
            elif isinstance(widget, QAbstractButton | QLabel):
                text = widget.text()
            else:
                continue
            found = re.search(r"&([^&\s])", text)
            if found:
                keys.setdefault(found.group(1).lower(), []).append(text)
        assert keys, f"page {page} has no access keys at all"
        clashes = {k: v for k, v in keys.items() if len(v) > 1}
        assert not clashes, f"page {page}: {clashes}"
    wizard.stack.setCurrentIndex(PREVIEW)
    wizard.reject()


def test_shutdown_while_importing_ends_the_thread_and_leaves_the_workspace_whole(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    """A QThread still running when the window is destroyed aborts the app."""
    from tests.ui.test_import_wizard import big_csv

    add_dwp(window)
    wizard = open_on(qtbot, window, big_csv(tmp_path, rows=20000))
    to_preview(qtbot, wizard, "2025")
    before = counts(workspace_path)
    wizard.next.click()  # Import
    task = wizard.task
    assert task is not None and task.is_running()
    wizard.shutdown()
    assert task.worker.isFinished() and not wizard.isVisible()
    after = counts(workspace_path)
    assert after == before or after["table_rows"] == 20000  # rolled back, or all committed


def test_closing_the_main_window_while_importing_ends_the_import_first(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    """The window's closeEvent shuts the wizard down: its thread ends before the window."""
    from tests.ui.test_import_wizard import big_csv

    add_dwp(window)
    wizard = open_on(qtbot, window, big_csv(tmp_path, rows=20000))
    to_preview(qtbot, wizard, "2025")
    before = counts(workspace_path)
    wizard.next.click()  # Import
    task = wizard.task
    assert task is not None and task.is_running()
    window.close()
    assert task.worker.isFinished() and not wizard.isVisible()
    after = counts(workspace_path)
    assert after == before or after["table_rows"] == 20000


def test_show_only_left_out_rows_lists_just_those(qtbot, window: MainWindow, tmp_path: Path):
    """A big file's preview can be narrowed to the rows left out, or to those with blanks."""
    from tests.importers.foreign_files import organogram_senior_csv

    add_dwp(window)
    wizard = open_on(qtbot, window, organogram_senior_csv(tmp_path))
    to_preview(qtbot, wizard, "2025")
    model, plan = wizard.model, wizard.plan
    assert plan is not None
    left_out = [r.row.source_row for r in plan.rows if not r.imported]
    assert 0 < len(left_out) < model.rowCount()
    wizard.preview_page.show_only.setCurrentText("Rows left out")
    shown = [model.data(model.index(i, 1)) for i in range(model.rowCount())]
    assert shown == [str(n) for n in left_out]
    assert all(model.data(model.index(i, 0)) == "Left out" for i in range(model.rowCount()))
    wizard.preview_page.show_only.setCurrentText("All rows")
    assert model.rowCount() == len(plan.rows)
    wizard.reject()


def test_a_required_column_not_in_the_file_is_marked(qtbot, window: MainWindow, tmp_path: Path):
    """Employment type is required and no organogram has it: the columns page says so."""
    from tests.importers.foreign_files import organogram_senior_csv
    from ui.import_wizard_frame import COLUMNS

    add_dwp(window)
    wizard = open_on(qtbot, window, organogram_senior_csv(tmp_path))
    wizard.next.click()  # layout -> columns
    assert wizard.page() == COLUMNS
    page = wizard.columns_page
    assert page.row("employment_type").why.text().startswith("required: the form will ask")
    assert not page.row("board_member").why.text().startswith("required")  # optional
    assert not page.row("post_ref").why.text().startswith("required")  # in the file
    wizard.reject()


def test_unticking_one_staff_group_of_a_wmi_row_leaves_only_that_group_out(
    qtbot, window: MainWindow
) -> None:
    """One WMI row becomes a row per staff group: each is ticked in or out on its own."""
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    model = wizard.model
    first = model.rows[0]
    siblings = [r for r in model.rows if r.row.source_row == first.row.source_row]
    assert len(siblings) > 1
    before = wizard.plan.importable
    from PySide6.QtCore import Qt

    assert model.setData(
        model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    settle(qtbot, wizard)
    assert wizard.plan.importable == before - 1
    same_row = [r for r in wizard.plan.rows if r.row.source_row == first.row.source_row]
    assert [r.imported for r in same_row] == [False] + [True] * (len(same_row) - 1)
    wizard.reject()


def test_space_ticks_from_any_column_and_enter_in_the_table_does_not_import(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    from PySide6.QtCore import Qt

    from ui.import_wizard_frame import PREVIEW

    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    table, model = wizard.preview_page.table, wizard.model
    table.setFocus()
    table.setCurrentIndex(model.index(3, 3))  # the Values column
    qtbot.keyClick(table, Qt.Key.Key_Space)
    settle(qtbot, wizard)
    assert wizard.plan is not None and not wizard.plan.rows[3].imported
    qtbot.keyClick(table, Qt.Key.Key_Return)
    settle(qtbot, wizard)
    assert wizard.page() == PREVIEW  # still previewing: nothing imported
    assert counts(workspace_path)["table_rows"] == 0
    wizard.reject()


def test_a_saved_mapping_can_be_chosen_by_name_for_a_differently_shaped_file(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    """A mapping saved for one file is offered by name for another with other headers."""
    from importers.column_mapping import ColumnMapping
    from models.foreign_imports import save_mapping
    from ui.import_wizard_frame import COLUMNS

    add_dwp(window)
    path = tmp_path / "roles.csv"
    path.write_text(
        "Ref,Role name,Band,Dept\nP1,Chief Technology Officer,SCS2,DWP\n", encoding="utf-8"
    )
    saved = ColumnMapping(
        "senior_roles", {"post_ref": 0, "job_title": 1, "grade": 2}, source_fields={"department": 3}
    )
    save_mapping(window.store, "roles by hand", "another-shape", saved.target, saved.to_json())
    wizard = open_on(qtbot, window, path)
    wizard.next.click()
    assert wizard.page() == COLUMNS
    page = wizard.columns_page
    assert page.saved.isVisibleTo(wizard)
    page.saved.setCurrentIndex(page.saved.findData("roles by hand"))
    page.saved.activated.emit(page.saved.currentIndex())
    assert wizard.mapping().columns["job_title"] == 1
    assert page.row("job_title").combo.currentData() == 1
    assert "roles by hand" in page.remembered.text()
    wizard.reject()
