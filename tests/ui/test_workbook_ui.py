"""Excel from the File menu: export (with Cancel), data returns, and importing a workbook back."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QPushButton

from desktop.main_window import MainWindow
from models.demo import DemoSize, write_demo
from models.questionnaire import current_questionnaire
from tests.ui.conftest import DialogScript
from ui.background import BackgroundTask
from ui.import_preview import ImportPreviewDialog
from ui.workbook_actions import CycleDialog, DataReturnDialog

POST = "digital_leader_post"
EXPERTS = "board_tech_expert_count"


def menu_action(window: MainWindow, *path: str) -> QAction:
    """The menu action reached by these texts (without '&'), as a user would find it."""
    actions = window.menuBar().actions()
    for i, text in enumerate(path):
        action = next(a for a in actions if a.text().replace("&", "") == text)
        if i == len(path) - 1:
            return action
        menu = action.menu()
        assert isinstance(menu, QMenu)
        menu.aboutToShow.emit()
        actions = menu.actions()
    raise AssertionError(path)


def board_sheet(book: openpyxl.Workbook) -> str:
    """The board section's sheet (its name may carry the section's number)."""
    return next(name for name in book.sheetnames if name.endswith("Board capability"))


def add_audit(window: MainWindow) -> str:
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.set_answer(audit.id, "digital_leader_nominated", True)
    store.set_answer(audit.id, POST, "Chief Digital Officer")
    store.set_answer(audit.id, EXPERTS, 2)
    window.refresh_navigator()
    return audit.id


def add_demo(window: MainWindow) -> None:
    size = DemoSize(departments=3, cycles=2, roles=2, workforce=2, contracts=1, programmes=1)
    write_demo(window.store, size)
    window.refresh_navigator()


def script_chooser(window: MainWindow, path: Path) -> list[tuple[str, bool, str]]:
    asked: list[tuple[str, bool, str]] = []

    def choose(title: str, save: bool, suggested: str = "") -> Path:
        asked.append((title, save, suggested))
        return path

    window.choose_path = choose
    return asked


def wait_for_task(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.workbooks.task is None, timeout=5000)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "information", record)
    return shown


def export_open_audit(qtbot, window: MainWindow, target: Path) -> None:
    script_chooser(window, target)
    menu_action(window, "File", "Export to Excel", "This audit…").trigger()
    wait_for_task(qtbot, window)
    assert target.exists()


def test_export_this_audit_writes_a_workbook_excel_opens(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    audit_id = add_audit(window)
    assert not menu_action(window, "File", "Export to Excel", "This audit…").isEnabled()
    window.open_audit(audit_id)
    action = menu_action(window, "File", "Export to Excel", "This audit…")
    assert action.isEnabled()
    asked = script_chooser(window, tmp_path / "for the board")  # no suffix typed
    action.trigger()
    wait_for_task(qtbot, window)

    assert asked[0][1] is True and Path(asked[0][2]).name == "DfT 2013 baseline.xlsx"
    written = tmp_path / "for the board.xlsx"
    book = openpyxl.load_workbook(written, read_only=True)
    try:
        assert book.sheetnames[:2] == ["Summary", "Scores"]
        assert book.sheetnames[2] == board_sheet(book)
        summary = list(book["Summary"].iter_rows(values_only=True))
        assert summary[1][0] == "Department for Transport"
    finally:
        book.close()
    message = window.statusBar().currentMessage()
    assert str(written) in message and "cells" in message
    assert [p.name for p in tmp_path.glob("*.part")] == []


def test_cancelled_export_writes_nothing_and_keeps_the_old_file(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    add_demo(window)
    target = tmp_path / "workspace.xlsx"
    target.write_bytes(b"last month's export")
    script_chooser(window, target)
    outcomes: list[str] = []

    def press_cancel(task: BackgroundTask) -> None:
        task.succeeded.connect(lambda _result: outcomes.append("written"))
        task.cancelled.connect(lambda: outcomes.append("cancelled"))
        button = task.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()  # the work stops at its first progress report

    window.workbooks.taskStarting.connect(press_cancel)
    menu_action(window, "File", "Export to Excel", "Whole workspace…").trigger()
    wait_for_task(qtbot, window)
    gc.collect()  # an abandoned workbook with open sheets would fail the test here

    assert outcomes == ["cancelled"]
    assert target.read_bytes() == b"last month's export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix not in (".ini", ".chain")) == [
        "audit.sqlite", "audit.sqlite-shm", "audit.sqlite-wal", "workspace.xlsx",
    ]  # fmt: skip
    assert "cancelled" in window.statusBar().currentMessage()


def test_export_a_cycle_asks_which_when_no_audit_is_open(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    add_demo(window)
    asked = script_chooser(window, tmp_path / "review.xlsx")

    def pick_cycle(dialog: CycleDialog) -> bool:
        cycles = [dialog.cycle.itemText(i) for i in range(dialog.cycle.count())]
        assert cycles == ["2013 baseline", "2014 review"]
        dialog.cycle.setCurrentText("2014 review")
        return True

    dialogs.then(pick_cycle)
    menu_action(window, "File", "Export to Excel", "This cycle…").trigger()
    wait_for_task(qtbot, window)

    assert Path(asked[0][2]).name == "Baseline 2014 review.xlsx"
    book = openpyxl.load_workbook(tmp_path / "review.xlsx", read_only=True)
    try:
        rows = list(book["Summary"].iter_rows(values_only=True))[1:]
    finally:
        book.close()
    assert len(rows) == 3 and {r[2] for r in rows} == {"2014 review"}
    assert "Exported 3 audits" in window.statusBar().currentMessage()


def test_import_round_trip_shows_the_change_then_restores_the_answer(
    qtbot, qtmodeltester, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    audit_id = add_audit(window)
    window.open_audit(audit_id)
    exported = tmp_path / "dft.xlsx"
    export_open_audit(qtbot, window, exported)

    window.close_audit()
    window.store.set_answer(audit_id, POST, "Head of Digital")  # changed since the export
    window.open_audit(audit_id)
    post = window.audit_view.show_section("board").blocks[POST].editor.edit
    assert post.text() == "Head of Digital"

    def check_preview(dialog: ImportPreviewDialog) -> bool:
        assert isinstance(dialog, ImportPreviewDialog)
        assert "Update Department for Transport, 2013 baseline: 1 change(s)." in (
            dialog.summary.text()
        )
        qtmodeltester.check(dialog.changes_model)
        assert dialog.changes_model.rows == [
            [
                "Department for Transport, 2013 baseline",
                "Answer",
                "Which post holds the Digital Leader role?",
                "Head of Digital",
                "Chief Digital Officer",
            ]
        ]
        assert dialog.problems_view is None
        assert dialog.import_button is not None and dialog.import_button.text() == "Import"
        return True

    script_chooser(window, exported)
    dialogs.then(check_preview)
    window.import_workbook_dialog()
    wait_for_task(qtbot, window)

    assert len(dialogs.seen) == 1
    assert window.store.answer(audit_id, POST) == "Chief Digital Officer"
    assert window.session is not None and window.session.audit.id == audit_id
    post = window.audit_view.show_section("board").blocks[POST].editor.edit
    assert post.text() == "Chief Digital Officer"
    assert window.statusBar().currentMessage() == "Imported: updated 1."


def test_invalid_values_are_listed_and_nothing_is_imported_until_accepted(
    qtbot, qtmodeltester, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    audit_id = add_audit(window)
    window.open_audit(audit_id)
    exported = tmp_path / "dft.xlsx"
    export_open_audit(qtbot, window, exported)
    book = openpyxl.load_workbook(exported)
    sheet = book[board_sheet(book)]
    cells = {row[2].value: row[4] for row in sheet.iter_rows(min_row=2)}
    cells[EXPERTS].value = "a few"
    cells[POST].value = "Director General, Digital"
    bad_cell = cells[EXPERTS].coordinate
    book.save(exported)

    def check_preview(dialog: ImportPreviewDialog) -> bool:
        qtmodeltester.check(dialog.problems_model)
        assert dialog.problems_view is not None and dialog.problems_view.isVisibleTo(dialog)
        [problem] = dialog.problems_model.rows
        assert problem[:3] == [
            sheet.title,
            bad_cell,
            "How many board members have expertise in technology policy?",
        ]
        assert [r[4] for r in dialog.changes_model.rows] == ["Director General, Digital"]
        assert dialog.import_button is not None
        assert dialog.import_button.text() == "Import the rest"
        return False  # Cancel

    script_chooser(window, exported)
    dialogs.then(check_preview)
    window.import_workbook_dialog()
    wait_for_task(qtbot, window)
    assert window.store.answer(audit_id, POST) == "Chief Digital Officer"  # nothing written
    assert "cancelled" in window.statusBar().currentMessage()

    dialogs.then(lambda dialog: True)  # Import the rest
    window.import_workbook_dialog()
    wait_for_task(qtbot, window)
    assert window.store.answer(audit_id, POST) == "Director General, Digital"
    assert window.store.answer(audit_id, EXPERTS) == 2  # the bad value was not imported


def test_importing_a_file_that_is_not_a_workbook_changes_nothing(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path, errors: list[str]
) -> None:
    audit_id = add_audit(window)
    window.open_audit(audit_id)
    notes = tmp_path / "minutes.xlsx"
    notes.write_text("minutes of the board, not a workbook\n")
    before = window.store.answers(audit_id)
    script_chooser(window, notes)
    window.import_workbook_dialog()
    wait_for_task(qtbot, window)

    assert len(errors) == 1 and "minutes.xlsx" in errors[0] and "not an Excel workbook" in errors[0]
    assert dialogs.seen == []  # no preview
    assert window.store.answers(audit_id) == before
    assert window.session is not None and window.session.audit.id == audit_id


def test_data_return_dialog_writes_a_prefilled_workbook(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    audit_id = add_audit(window)
    window.open_audit(audit_id)
    asked = script_chooser(window, tmp_path / "return.xlsx")

    def fill(dialog: DataReturnDialog) -> bool:
        assert dialog.department.currentText() == "Department for Transport (DfT)"
        assert dialog.cycle.currentText() == "2013 baseline"
        assert dialog.prefill.isEnabled() and not dialog.prefill.isChecked()
        dialog.cycle.setCurrentText("2014 review")
        assert dialog.prefill.text() == "Pre-fill from the latest audit (2013 baseline)"
        dialog.prefill.setChecked(True)
        return True

    dialogs.then(fill)
    menu_action(window, "File", "Data-return workbook…").trigger()

    assert Path(asked[0][2]).name == "DfT 2014 review data return.xlsx"
    book = openpyxl.load_workbook(tmp_path / "return.xlsx", read_only=True)
    try:
        assert "_baseline" in book.sheetnames
        values = [v for row in book[board_sheet(book)].iter_rows(values_only=True) for v in row]
        assert "Chief Digital Officer" in values  # pre-filled
    finally:
        book.close()
    assert str(tmp_path / "return.xlsx") in window.statusBar().currentMessage()


def test_data_return_dialog_names_a_menu_item_that_exists(window: MainWindow) -> None:
    """The dialog tells the auditor where to import the return: that item must be there."""
    dialog = DataReturnDialog(window.store.departments(), [], parent=window)
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    named = re.findall(r"File ▸ ([^.(]+…)", said)
    assert named, said
    for item in named:  # menu_action raises StopIteration for a text the menu lacks
        assert menu_action(window, "File", item.strip()).text().replace("&", "") == item.strip()


def test_data_return_dialog_needs_a_cycle(window: MainWindow) -> None:
    add_audit(window)
    dialog = DataReturnDialog(window.store.departments(), [], parent=window)
    assert not dialog.prefill.isEnabled()  # no audit to pre-fill from
    dialog.cycle.setCurrentText("  ")
    dialog.buttons.accepted.emit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "cycle" in dialog.message.text()


def test_closing_the_window_stops_an_export(qtbot, window: MainWindow, tmp_path: Path) -> None:
    add_demo(window)
    script_chooser(window, tmp_path / "all.xlsx")
    window.export_workspace_dialog()
    task = window.workbooks.task
    assert task is not None and task.is_running()
    window.close()
    assert task.worker.isFinished()
    qtbot.waitUntil(lambda: window.workbooks.task is None)
    gc.collect()
