"""Room at 1366×768: the window within the screen, and View commands that hide the side panels."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

DEFAULT_SIZE = (1280, 820)  # on a large screen; less on a laptop
FRAME_ALLOWANCE = (16, 48)  # a window manager's border and title bar


class RoomyWindow(Protocol):
    """What the View commands need of the main window."""

    @property
    def navigator(self) -> QWidget: ...

    @property
    def audit_view(self) -> QWidget | None: ...


def default_size(available_width: int, available_height: int) -> tuple[int, int]:
    """The first-run window size: the usual size, cut to fit the screen's free area."""
    width = min(DEFAULT_SIZE[0], available_width - FRAME_ALLOWANCE[0])
    height = min(DEFAULT_SIZE[1], available_height - FRAME_ALLOWANCE[1])
    # A floor for tiny free areas, never above the room there is (768 px scaled 1.5 leaves
    # ~494: a 480 floor put the status bar, and "Last change NOT saved", under the panel).
    floor_w = min(640, available_width - FRAME_ALLOWANCE[0])
    floor_h = min(480, available_height - FRAME_ALLOWANCE[1])
    return max(width, floor_w), max(height, floor_h)


def fit_to_screen(window: QWidget) -> None:
    """Size a window with no remembered geometry so that all of it is on its screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(*DEFAULT_SIZE)
        return
    area = screen.availableGeometry()
    window.resize(*default_size(area.width(), area.height()))
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(max(area.left(), frame.left()), max(area.top(), frame.top()))


def add_view_commands(window: RoomyWindow, menu: QMenu) -> dict[str, QAction]:
    """View ▸ Show navigator (F8) and Show section list (F9): give the form the width.

    The section list's F9 belongs to the audit view (so it works wherever the focus is in
    it); the menu entry names the key and toggles the same list.
    """
    owner = window if isinstance(window, QWidget) else None
    navigator = QAction("Show &navigator", owner)
    navigator.setObjectName("showNavigator")
    navigator.setCheckable(True)
    navigator.setChecked(True)
    navigator.setShortcut(QKeySequence("F8"))
    navigator.toggled.connect(lambda shown: _show_navigator(window, shown))
    sections = QAction("Show &section list\tF9", owner)
    sections.setObjectName("showSectionList")
    sections.setCheckable(True)
    sections.setChecked(True)
    sections.toggled.connect(lambda shown: _show_sections(window, shown))
    menu.aboutToShow.connect(lambda: _sync(window, sections))
    menu.addSeparator()
    menu.addAction(navigator)
    menu.addAction(sections)
    if owner is not None:
        owner.addAction(navigator)  # F8 from anywhere in the window
    return {"navigator": navigator, "sections": sections}


def _show_navigator(window: RoomyWindow, shown: bool) -> None:
    window.navigator.setVisible(shown)
    if not shown and window.audit_view is not None:
        window.audit_view.setFocus()


def _show_sections(window: RoomyWindow, shown: bool) -> None:
    view = window.audit_view
    show = getattr(view, "show_section_list", None)
    if callable(show):
        show(shown)


def _sync(window: RoomyWindow, sections: QAction) -> None:
    """The menu's tick follows the list, which F9 may have toggled."""
    panel = getattr(window.audit_view, "section_panel", None)
    blocker = sections.blockSignals(True)
    sections.setChecked(panel is None or not panel.isHidden())
    sections.setEnabled(panel is not None)
    sections.blockSignals(blocker)
