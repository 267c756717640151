"""Help ▸ Keyboard shortcuts names the keys that give the form room at 1366×768 and the
import, each a key the app really has (it named none of Full window, F8/F9 or Ctrl+I)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from desktop import main_menus
from desktop.main_window import MainWindow
from tests.ui.test_lifecycle_ui import _open_audit


def test_the_shortcuts_listed_include_the_room_keys_and_exist(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open_audit(window)
    assert window.audit_view is not None
    window.audit_view.show_section("workforce")  # its table's keys are made with the page
    shown: list[str] = []

    def information(_parent: object, _title: str, text: str, *a: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", information)
    main_menus.show_shortcuts(window)
    [text] = shown
    keys = {
        key.toString(QKeySequence.SequenceFormat.PortableText)
        for action in window.findChildren(QAction)
        for key in action.shortcuts()
    }
    for wanted in ("Ctrl+Shift+F", "F8", "F9", "Ctrl+Shift+V", "Ctrl+I", "F2"):
        assert wanted in text, wanted
        assert wanted in keys or wanted == "F2", wanted  # F2 is the views' own edit key
