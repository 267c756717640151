"""Alt+letter reaches each menu item in one press: no two items of a menu share a mnemonic
(Audit had three on N: New audit, Focus navigator, Sign off — N only cycled between them)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu

from desktop.main_window import MainWindow
from tests.ui.test_lifecycle_ui import _open_audit


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(menu: QMenu, path: str) -> list[str]:
    seen: dict[str, list[str]] = {}
    found: list[str] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        key = mnemonic(action.text())
        if key is not None:
            seen.setdefault(key, []).append(action.text())
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += clashes(sub, f"{path} ▸ {action.text()}")
    found += [f"{path}: {k!r} in {v}" for k, v in seen.items() if len(v) > 1]
    return found


def test_no_two_items_of_a_menu_share_a_mnemonic(qtbot, window: MainWindow) -> None:
    _open_audit(window)  # the lifecycle items are added with an audit open
    found: list[str] = []
    keys = [mnemonic(a.text()) for a in window.menuBar().actions()]
    assert len(keys) == len(set(keys)), keys
    for action in window.menuBar().actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        found += clashes(menu, action.text())
    assert found == []
