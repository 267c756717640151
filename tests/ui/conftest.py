"""Qt fixtures: a real MainWindow on a real workspace file in tmp_path, dialogs never blocking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.audit_session import AuditSession


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A returning user: the first run's "your name" question has been answered. (The
    # config folder is beside tmp_path, so tests that list tmp_path do not see it.)
    config = tmp_path.parent / f"{tmp_path.name}-config"
    config.mkdir(exist_ok=True)
    (config / "settings.ini").write_text("[General]\nauditorName=T. Tester\n")
    monkeypatch.setenv("BASELINE_CONFIG_DIR", str(config))
    monkeypatch.setenv("BASELINE_DATA_DIR", str(tmp_path / "data"))


class DialogScript:
    """Plays the user's part in the next dialog: `fill(dialog)` then OK (or Cancel)."""

    def __init__(self) -> None:
        self.steps: list[Callable[[QDialog], bool]] = []
        self.seen: list[QDialog] = []

    def then(self, fill: Callable[[QDialog], bool]) -> None:
        self.steps.append(fill)

    def __call__(self, dialog: QDialog) -> bool:
        self.seen.append(dialog)
        assert self.steps, f"unexpected dialog {dialog.windowTitle()!r}"
        dialog.show()
        ok = self.steps.pop(0)(dialog)
        if ok:
            dialog.buttons.accepted.emit()  # the dialog's own validation decides
            ok = dialog.result() == QDialog.DialogCode.Accepted
        dialog.hide()
        return ok


@pytest.fixture
def session(qtbot, tmp_path: Path) -> Iterator[AuditSession]:
    """An audit session on a real file, with three workforce rows and its own undo stack."""
    store = Store(tmp_path / "t.sqlite")
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.insert_rows(
        audit.id,
        "workforce_mix",
        0,
        [
            {"profession_family": "data", "staff_type": "permanent", "headcount": 10, "fte": 9.5},
            {"profession_family": "architecture", "staff_type": "contractor", "headcount": 3,
             "fte": 3.0},
            {"profession_family": "it_operations", "staff_type": "consultant", "headcount": 1,
             "fte": 1.0},
        ],
    )  # fmt: skip
    yield AuditSession(store, audit, QUndoStack())
    store.close()


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite"


@pytest.fixture
def dialogs() -> DialogScript:
    return DialogScript()


@pytest.fixture
def window(
    qtbot, workspace_path: Path, tmp_path: Path, dialogs: DialogScript
) -> Iterator[MainWindow]:
    store = Store(workspace_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, settings, run_dialog=dialogs, choose_path=lambda *_: None)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)  # shortcuts need an active window
    yield win
    win.close_audit()
    win.store.close()


def type_text(widget: QWidget, text: str) -> None:
    """Type text as key events, including characters QTest cannot (ŵ, ŷ, –, emoji)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
