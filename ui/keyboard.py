"""Keyboard behaviour shared by the form and the tables."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QWidget


class TabClosesPopup(QObject):
    """Tab (or Shift+Tab) in an open drop-down list takes the highlighted choice, closes the
    list and moves on, as Escape closes it; Qt's list kept Tab to itself."""

    def __init__(self, combo: QComboBox, after: Callable[[bool], None] | None = None) -> None:
        super().__init__(combo)
        self.combo = combo
        self.after = after  # what "moving on" is (default: the next control)
        combo.view().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            forward = event.key() == Qt.Key.Key_Tab
            current = self.combo.view().currentIndex()
            if current.isValid():
                self.combo.setCurrentIndex(current.row())
            self.combo.hidePopup()
            if self.after is not None:
                self.after(forward)
            else:
                _move_focus(self.combo, forward)
            return True
        return super().eventFilter(watched, event)


def _move_focus(widget: QWidget, forward: bool) -> None:
    """Focus the next (or previous) control in the tab chain, as Tab would."""
    target = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
    while target is not None and target is not widget:
        if (
            target.isVisible()
            and target.isEnabled()
            and target.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            target.setFocus(
                Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            )
            return
        target = target.nextInFocusChain() if forward else target.previousInFocusChain()


def redo_keys() -> list[QKeySequence]:
    """Redo's keys on every platform: its own (Ctrl+Y first on Windows, Ctrl+Shift+Z on
    Linux) and both common ones, each once (a key given twice to one action is
    "ambiguous" to Qt, which then does nothing)."""
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    for also in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")):
        if also not in keys:
            keys.append(also)
    return keys
