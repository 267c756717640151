"""File ▸ Import: the wizard from a foreign spreadsheet to rows in the workspace, on real files."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox

from desktop.main_window import MainWindow
from models.foreign_imports import saved_mappings
from models.store import Store
from tests.importers.foreign_files import (
    DWP_WMI_CSV,
    GENERIC_ROLES_HEADER,
    generic_roles_csv,
    organogram_senior_csv,
)
from tests.ui.conftest import DialogScript
from ui.background import BackgroundTask
from ui.import_wizard import ImportWizard, open_import_wizard
from ui.import_wizard_frame import (
    CANCELLED_IMPORT,
    CANCELLED_READ,
    COLUMNS,
    FILE,
    LAYOUT,
    PREVIEW,
    REPORT,
)

DWP = "Department for Work and Pensions"


def counts(path: Path) -> dict[str, int]:
    """Rows in the tables an import writes, and the history, read from the file itself."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("audits", "table_rows", "imports", "imported_rows", "history")
        }
    finally:
        conn.close()


def fresh_rows(path: Path, cycle: str, table: str) -> list[dict]:
    """A table's rows as a new connection to the workspace sees them."""
    with Store(path) as store:
        dept = store.find_department(DWP)
        assert dept is not None
        audit = store.find_audit(dept.id, cycle)
        assert audit is not None
        return [row.cells for row in store.rows(audit.id, table)]


def settle(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=10000)


def open_on(qtbot, window: MainWindow, path: Path) -> ImportWizard:
    wizard = open_import_wizard(window, path)
    assert wizard is not None
    settle(qtbot, wizard)
    return wizard


def to_preview(qtbot, wizard: ImportWizard, cycle: str) -> None:
    assert wizard.page() == LAYOUT
    wizard.next.click()
    assert wizard.page() == COLUMNS
    wizard.next.click()
    assert wizard.page() == PREVIEW
    wizard.preview_page.cycle.setCurrentText(cycle)
    settle(qtbot, wizard)
    assert wizard.plan is not None
    if wizard.preview_page.whole.isVisibleTo(wizard):  # WMI: confirmed (tested on its own)
        wizard.preview_page.whole.setChecked(True)
        settle(qtbot, wizard)


def press_import(qtbot, wizard: ImportWizard) -> None:
    assert wizard.next.text() == "&Import" and wizard.next.isEnabled(), wizard.blocked_reason()
    wizard.next.click()
    settle(qtbot, wizard)


def add_dwp(window: MainWindow) -> None:
    window.store.add_department(DWP, "DWP")
    window.refresh_navigator()


def test_the_dwp_workforce_sample_goes_in_end_to_end(
    qtbot, qtmodeltester, window: MainWindow, workspace_path: Path
) -> None:
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    assert wizard.page() == LAYOUT
    assert (
        wizard.layout_page.list.item(0)
        .text()
        .endswith("Workforce management information (monthly) (recognised)")
    )
    assert "one row per staff group" in wizard.layout_page.notes.toPlainText()
    qtbot.keyClick(wizard.layout_page.list, Qt.Key.Key_Return)  # Enter goes on
    assert wizard.page() == COLUMNS
    rows = {r.column_id: r for r in wizard.columns_page.rows}
    assert not rows["headcount"].combo.isEnabled()  # a fixed layout: shown, not changed
    assert "24,370" in rows["headcount"].samples.text()
    assert "fixed rules" in wizard.columns_page.intro.text()
    wizard.next.click()
    wizard.preview_page.cycle.setCurrentText("2025")
    settle(qtbot, wizard)

    qtmodeltester.check(wizard.model)
    summary = wizard.preview_page.summary.text()
    assert summary.startswith("20 rows will be imported into: DWP 2025 (20 rows, new audit")
    assert wizard.model.data(wizard.model.index(0, 0)) == "Import"
    assert wizard.model.data(wizard.model.index(0, 2)) == "DWP, 2025 (new audit)"
    assert counts(workspace_path)["table_rows"] == 0  # nothing written by the preview
    # A new audit is on version 2: whole-department figures go to their own table, with
    # nothing to confirm (into a version 1 technology table they need confirming).
    assert not wizard.preview_page.whole.isVisibleTo(wizard)
    assert wizard.next.isEnabled()
    press_import(qtbot, wizard)

    assert wizard.page() == REPORT
    assert wizard.report_page.summary.text() == (
        "Imported 20 rows from 04_wmi_dwp_2025-01.csv into 1 audit."
    )
    assert "Department for Work and Pensions, 2025: 20 rows" in (
        wizard.report_page.text.toPlainText()
    )
    assert window.statusBar().currentMessage() == wizard.report_page.summary.text()
    assert fresh_rows(workspace_path, "2025", "workforce_mix") == []
    whole = fresh_rows(workspace_path, "2025", "department_workforce")
    headcounts = [r.get("headcount") for r in whole]
    assert len(headcounts) == 20 and 24370 in headcounts and 818 in headcounts
    assert [a.cycle for a in window.store.audits()] == ["2025"]
    assert window.navigator.select_audit(window.store.audits()[0].id, emit=False)  # listed
    wizard.next.click()  # Close
    assert not wizard.isVisible()


def test_a_corrected_column_is_imported_and_remembered_for_the_next_file(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    add_dwp(window)
    path = generic_roles_csv(tmp_path)
    wizard = open_on(qtbot, window, path)
    assert "(guessed)" in wizard.layout_page.list.item(0).text()
    wizard.next.click()
    page = wizard.columns_page
    status = page.row("vacant_or_interim")
    assert status.combo.currentData() is None  # 'Notes' holds the status; nothing says so
    assert page.remember.isVisible() and page.remember.text() == "senior-roles-2013"
    status.combo.setCurrentIndex(status.combo.findData(GENERIC_ROLES_HEADER.index("Notes")))
    assert "interim" in status.samples.text() and status.why.text() == "chosen by you"
    page.remember.setText("Roles list")
    wizard.next.click()
    assert wizard.preview_page.department.currentText() == f"{DWP} (DWP)"  # the only one
    wizard.preview_page.cycle.setCurrentText("2013")
    settle(qtbot, wizard)
    assert not wizard.preview_page.tech.isVisible()  # no filter for a hand-made list
    press_import(qtbot, wizard)
    assert wizard.page() == REPORT
    wizard.next.click()

    rows = fresh_rows(workspace_path, "2013", "senior_roles")
    assert [(r["post_ref"], r.get("vacant_or_interim")) for r in rows] == [
        ("R-01", None), ("R-02", "interim"), ("R-03", None),
    ]  # fmt: skip
    assert [m.name for m in saved_mappings(window.store)] == ["Roles list"]

    again = tmp_path / "senior-roles-2014.csv"
    with again.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(GENERIC_ROLES_HEADER)
        writer.writerow(["R-09", "Head of Data", "SCS1", "£80,000", "£95,000", "vacant"])
    wizard = open_on(qtbot, window, again)
    wizard.next.click()
    page = wizard.columns_page
    assert page.row("vacant_or_interim").combo.currentData() == GENERIC_ROLES_HEADER.index("Notes")
    assert page.remembered.text() == "Using the mapping you saved as 'Roles list'."
    wizard.reject()


def big_csv(folder: Path, rows: int = 60000) -> Path:
    path = folder / "workforce-extract.csv"
    families = ("Data", "Architecture", "IT operations", "Software development")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Role family", "Staff type", "Headcount", "FTE"])
        for i in range(rows):
            writer.writerow([families[i % 4], ("Permanent", "Contractor")[i % 2], i % 50 + 1, 1])
    return path


def test_cancel_while_writing_or_reading_leaves_the_workspace_as_it_was(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    add_dwp(window)
    path = big_csv(tmp_path)
    wizard = open_on(qtbot, window, path)
    to_preview(qtbot, wizard, "2025")
    assert wizard.plan is not None and wizard.plan.importable == 60000
    before = counts(workspace_path)
    progressed: list[int] = []

    def cancel_on_progress(task: BackgroundTask) -> None:
        if wizard.task_kind == "import":

            def cancel(done: int, _total: int) -> None:
                progressed.append(done)
                task.cancel()

            task.progressed.connect(cancel)

    wizard.taskStarting.connect(cancel_on_progress)
    press_import(qtbot, wizard)
    assert progressed and progressed[0] < 60000  # cancelled part way, after rows were written
    assert counts(workspace_path) == before
    assert wizard.page() == PREVIEW
    assert wizard.message == CANCELLED_IMPORT == window.statusBar().currentMessage()
    assert window.store.audits() == []
    wizard.reject()

    def cancel_at_once(task: BackgroundTask) -> None:
        task.cancel()

    wizard = ImportWizard(window, path)
    wizard.taskStarting.connect(cancel_at_once)
    wizard.open()
    wizard.start()
    settle(qtbot, wizard)
    assert wizard.page() == FILE and wizard.foreign is None
    assert wizard.message == CANCELLED_READ
    assert CANCELLED_READ in wizard.file_page.status.text()
    assert not wizard.next.isEnabled()
    assert counts(workspace_path) == before
    wizard.reject()


@pytest.mark.parametrize(
    ("name", "content"),
    [("budget.xlsx", bytes(range(256)) * 8), ("empty.csv", b"")],
)
def test_a_bad_file_is_named_and_nothing_is_written(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path, name: str, content: bytes
) -> None:
    add_dwp(window)
    bad = tmp_path / name
    bad.write_bytes(content)
    before = counts(workspace_path)
    wizard = open_on(qtbot, window, bad)
    assert wizard.page() == FILE
    assert wizard.file_page.error.isVisible()
    assert wizard.file_page.error.toPlainText().startswith(f"{name}: ")
    assert wizard.message == wizard.file_page.error.toPlainText()
    assert not wizard.next.isEnabled()
    assert counts(workspace_path) == before
    wizard.reject()


def test_importing_the_same_file_again_asks_and_replace_does_not_double(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    assert wizard.preview_page.repeat.isHidden()
    press_import(qtbot, wizard)
    wizard.next.click()
    audit = window.store.audits()[0]
    window.open_audit(audit.id)  # the open audit is closed around the import and reopened
    edited = window.store.rows(audit.id, "department_workforce")[0]
    window.store.set_cell(audit.id, edited.id, "cost", 9_000.0)

    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    preview = wizard.preview_page
    assert preview.repeat.isVisible()
    assert preview.repeat.title() == (
        "This file was imported into DWP 2025 before (1 of its rows edited since: "
        "replacing undoes those edits):"
    )
    assert not wizard.next.isEnabled()
    assert "replace" in preview.blocked.text()
    preview.replace.setChecked(True)
    press_import(qtbot, wizard)
    assert wizard.page() == REPORT
    assert "replaced the 20 rows" in wizard.report_page.text.toPlainText()
    wizard.next.click()

    assert len(fresh_rows(workspace_path, "2025", "department_workforce")) == 20
    assert counts(workspace_path)["imports"] == 1
    assert window.session is not None and window.session.audit.id == audit.id


def test_unticking_a_row_leaves_it_out(qtbot, window: MainWindow, workspace_path: Path) -> None:
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2025")
    model = wizard.model
    last = model.index(model.rowCount() - 1, 0)
    key = model.rows[last.row()].key
    assert model.setData(last, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    settle(qtbot, wizard)
    assert wizard.plan is not None
    left = [r for r in wizard.plan.rows if not r.imported]
    assert [r.key for r in left] == [key]  # that row alone, not its source row's others
    assert wizard.plan.importable == 19
    assert "; 1 left out" in wizard.preview_page.summary.text()
    wizard.reject()
    assert counts(workspace_path)["table_rows"] == 0


def test_dropping_a_csv_on_the_window_opens_the_wizard_on_it(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_dwp(window)
    path = generic_roles_csv(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), actions, mime, buttons, keys)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    pdf = QMimeData()
    pdf.setUrls([QUrl.fromLocalFile(str(tmp_path / "minutes.pdf"))])
    refused = QDragEnterEvent(QPoint(20, 20), actions, pdf, buttons, keys)
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()

    window.dropEvent(QDropEvent(QPointF(20, 20), actions, mime, buttons, keys))
    wizard = window.findChild(ImportWizard, "importWizard")
    assert wizard is not None and wizard.path == path
    settle(qtbot, wizard)
    assert wizard.page() == LAYOUT and wizard.isVisible()
    wizard.reject()


def test_the_file_menu_asks_for_a_spreadsheet(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose(title: str, save: bool, suggested: str = "") -> Path:
        asked.append(title)
        return DWP_WMI_CSV

    window.choose_path = choose
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: QMessageBox.StandardButton.Ok)
    action = next(a for a in window.menuBar().actions() if a.text() == "&File").menu().actions()
    item = next(a for a in action if a.text() == "&Import…")
    assert item.shortcut().toString() == "Ctrl+I"
    item.trigger()
    wizard = window.findChild(ImportWizard, "importWizard")
    assert wizard is not None and asked == ["Import a spreadsheet"]
    settle(qtbot, wizard)
    assert wizard.page() == LAYOUT
    wizard.reject()


def test_a_workbook_baseline_wrote_goes_to_the_workbook_import(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    from exporters.audit_workbook import export_audits
    from models.questionnaire import current_questionnaire
    from ui.import_preview import ImportPreviewDialog

    dept = window.store.add_department(DWP, "DWP")
    audit = window.store.create_audit(dept.id, "2025", current_questionnaire())
    window.store.set_answer(audit.id, "digital_leader_post", "Chief Digital Officer")
    exported = tmp_path / "dwp.xlsx"
    export_audits(window.store, [audit.id], exported)
    window.store.set_answer(audit.id, "digital_leader_post", "Head of Digital")
    seen: list[str] = []

    def preview(dialog: ImportPreviewDialog) -> bool:
        seen.append(dialog.summary.text())
        return True

    dialogs.then(preview)
    wizard = open_import_wizard(window, exported)
    assert wizard is not None
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    qtbot.waitUntil(lambda: window.workbooks.task is None, timeout=5000)
    assert window.findChild(ImportWizard, "importWizard") is None  # closed, handed over
    assert "Update Department for Work and Pensions, 2025" in seen[0]
    assert window.store.answer(audit.id, "digital_leader_post") == "Chief Digital Officer"


def test_the_wizard_works_from_the_keyboard(qtbot, window: MainWindow, tmp_path: Path) -> None:
    add_dwp(window)
    wizard = open_on(qtbot, window, organogram_senior_csv(tmp_path))
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=2000)
    qtbot.keyClick(wizard.layout_page.list, Qt.Key.Key_Return)
    page = wizard.columns_page
    assert all(row.label.buddy() is row.combo for row in page.rows)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Return)
    assert wizard.page() == PREVIEW
    settle(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tech.isVisible() and preview.tech.isChecked()  # organograms: tech only
    preview.department.setFocus()
    reached = []
    for _ in range(12):
        qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Tab)
        reached.append(wizard.focusWidget())
    for widget in (preview.cycle, preview.tech, preview.table, wizard.next, wizard.cancel):
        assert any(w is widget or widget.isAncestorOf(w) for w in reached), widget
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_columns_with_the_same_header_are_refused_until_the_user_maps_them(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    """Two 'Job title' columns: the guessed mapping reads one; Import waits for a choice."""
    add_dwp(window)
    path = tmp_path / "dup.csv"
    path.write_text(
        "Post ref,Job title,Grade,Job title,Department\nP1,CTO,SCS2,Chief Technology Officer,DWP\n",
        encoding="utf-8",
    )
    wizard = open_on(qtbot, window, path)
    wizard.next.click()
    title = wizard.columns_page.row("job_title")
    chosen = title.combo.currentData()
    wizard.next.click()
    wizard.preview_page.cycle.setCurrentText("2025")
    settle(qtbot, wizard)
    assert not wizard.next.isEnabled()
    assert "columns B, D are all headed 'Job title'" in wizard.blocked_reason()
    wizard.back.click()  # the user picks the column: the mapping is theirs now
    title.combo.setCurrentIndex(title.combo.findData(3 if chosen == 1 else 1))
    wizard.next.click()
    settle(qtbot, wizard)
    press_import(qtbot, wizard)
    assert wizard.page() == REPORT


def test_the_transposed_gmpp_of_2014_shows_projects_as_rows(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Field names down column A, one project per column: the wizard shows it turned."""
    from tests.importers.foreign_files import SAMPLES

    wizard = open_on(qtbot, window, SAMPLES / "gmpp" / "gmpp_2014_all_depts_transposed.csv")
    assert "one project per column" in wizard.layout_page.list.item(0).text()
    wizard.next.click()
    assert wizard.page() == COLUMNS
    name = wizard.columns_page.row("name")
    assert "FE Capital Investment Programme" in name.samples.text()  # column B's project
    rating = wizard.columns_page.row("delivery_confidence")
    assert "Amber/Green" in rating.samples.text() or "amber" in rating.samples.text().lower()
    wizard.reject()


def test_a_2025_file_into_the_2014_cycle_is_warned_about(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    """A 2025 file defaulted into the 2014 cycle without comment."""
    add_dwp(window)
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2014 review")
    summary = wizard.preview_page.summary.text()
    assert "⚠ 04_wmi_dwp_2025-01.csv has dates from 2025" in summary
    assert "2014 review cycle" in summary
    wizard.preview_page.cycle.setCurrentText("2025")
    settle(qtbot, wizard)
    assert "⚠" not in wizard.preview_page.summary.text()
    wizard.close()
