"""The progress dialog of long work: Enter does not cancel it (a second press of the Enter
that started the work cancelled the read, the report or the export), Esc and Cancel do."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from models.progress import Progress
from ui.background import BackgroundTask


def run_and_press(qtbot, key: Qt.Key) -> list[str]:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    qtbot.waitExposed(parent)
    pressed = threading.Event()

    def work(progress: Progress) -> int:
        for i in range(400):  # until the key has been pressed, then a little more
            if pressed.is_set() and i > 5:
                return i
            threading.Event().wait(0.02)
            progress(i, 400)
        return -1

    task = BackgroundTask(parent, "Board report", "Making the report…", work)
    seen: list[str] = []
    task.cancelled.connect(lambda: seen.append("cancelled"))
    task.succeeded.connect(lambda _v: seen.append("done"))
    task.start()
    dialog = task.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClick(QApplication.focusWidget() or dialog, key)
    pressed.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    return seen


def test_enter_on_the_progress_dialog_does_not_cancel(qtbot) -> None:
    assert run_and_press(qtbot, Qt.Key.Key_Return) == ["done"]


def test_escape_still_cancels(qtbot) -> None:
    assert run_and_press(qtbot, Qt.Key.Key_Escape) == ["cancelled"]
