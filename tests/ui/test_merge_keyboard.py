"""The package merge dialog by keyboard alone: Tab leaves the conflicts table for each
conflict's Keep choice and the buttons, and Enter merges once each is chosen (Tab used to
go round the table's cells for ever, the choices were never reached, Enter pressed Cancel)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QWidget

from desktop.main_window import MainWindow
from models.audit_package import read_package, write_package
from models.merge import apply_merge
from models.store import Store
from tests.ui.conftest import DialogScript
from tests.ui.test_package_ui import POST, add_audits, wait_for_read
from tests.ui.test_workbook_ui import menu_action, script_chooser
from ui.package_actions import MergeDialog

COUNT = "board_tech_expert_count"


def test_each_conflict_is_chosen_and_merged_by_keyboard_alone(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    first, _ = add_audits(window)
    write_package(window.store, tmp_path / "out.baseline-package", [first])
    with Store(tmp_path / "other.sqlite") as other:
        other.actor = "Ann Other"
        apply_merge(other, read_package(tmp_path / "out.baseline-package"))
        other.set_answer(first, POST, "Director of Digital (Ann)")
        other.set_answer(first, COUNT, 3)
        write_package(other, tmp_path / "back.baseline-package", [first])
    window.store.set_answer(first, POST, "CDIO (mine)")
    window.store.set_answer(first, COUNT, 5)
    script_chooser(window, tmp_path / "back.baseline-package")
    reached: list[QWidget] = []

    def by_keyboard(dialog: MergeDialog) -> bool:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        assert len(dialog.combos) == 2
        combos = list(dialog.combos.values())
        for _ in range(12):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            widget = QApplication.focusWidget()
            if isinstance(widget, QComboBox) and widget not in reached:
                qtbot.keyClick(widget, Qt.Key.Key_Down)  # Choose… → Keep mine
                if widget is combos[1]:
                    qtbot.keyClick(widget, Qt.Key.Key_Down)  # → Take theirs
            reached.append(widget)
        assert all(combo in reached for combo in combos)
        assert reached.index(combos[0]) < reached.index(combos[1])  # in the rows' order
        assert dialog.merge_button in reached
        assert dialog.merge_button.isEnabled()
        assert dialog.merge_button.isDefault()  # every conflict chosen: Enter merges
        combos[1].setFocus()
        qtbot.keyClick(combos[1], Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    dialogs.then(by_keyboard)  # type: ignore[arg-type]
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert "nothing was changed" not in window.statusBar().currentMessage()
    assert "1 updated" in window.statusBar().currentMessage()
    answers = window.store.answers(first)
    assert answers[POST] == "CDIO (mine)" and answers[COUNT] == 3
