"""The main window's menu bar, its welcome page and its Help boxes, built from its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ui.backup_actions import restore_dialog
from ui.keyboard import redo_keys

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def build_welcome(window: MainWindow) -> QWidget:
    """The page shown while no audit is open: what to do first."""
    page = QWidget(window)
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    text = QLabel(
        "<h2>No audit open</h2><p>Choose an audit on the left, or start one. Everything you "
        "type is saved as you type it: there is no Save button.</p>",
        page,
    )
    text.setWordWrap(True)
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(text)
    for label, slot in (
        ("Add department…", window.add_department_dialog),
        ("New audit…", window.new_audit_dialog),
        ("Open demo workspace", window.open_demo_workspace),
    ):
        button = QPushButton(label, page)
        button.clicked.connect(slot)
        button.setMaximumWidth(260)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return page


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar: every command, with its access key and shortcut."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(
        _action(window, "&New workspace…", window.new_workspace_dialog, "Ctrl+Shift+N")
    )
    file_menu.addAction(
        _action(
            window, "&Open workspace…", window.open_workspace_dialog, QKeySequence.StandardKey.Open
        )
    )
    file_menu.addAction(_action(window, "Open &demo workspace", window.open_demo_workspace))
    file_menu.addSeparator()
    export_menu = file_menu.addMenu("&Export to Excel")
    window.export_audit_action = _action(window, "This &audit…", window.export_audit_dialog)
    window.export_audit_action.setEnabled(False)
    export_menu.addAction(window.export_audit_action)
    export_menu.addAction(_action(window, "This &cycle…", window.export_cycle_dialog))
    export_menu.addAction(_action(window, "&Whole workspace…", window.export_workspace_dialog))
    file_menu.addAction(_action(window, "Data-&return workbook…", window.data_return_dialog))
    window.import_action = _action(window, "&Import…", lambda: window.import_dialog(), "Ctrl+I")
    file_menu.addAction(window.import_action)
    file_menu.addAction(_action(window, "Export audit &package…", window.export_package_dialog))
    file_menu.addAction(_action(window, "Import audit pac&kage…", window.import_package_dialog))
    file_menu.addAction(_action(window, "Restore from &backup…", lambda: restore_dialog(window)))
    file_menu.aboutToShow.connect(window._update_file_menu)
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit))

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts(redo_keys())  # Ctrl+Y was given twice on Windows: neither worked
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    window.undo_action, window.redo_action = undo, redo
    edit_menu.addSeparator()
    edit_menu.addAction(_action(window, "&Preferences…", window.preferences_dialog))

    audit_menu = bar.addMenu("&Audit")
    audit_menu.addAction(
        _action(window, "Add &department…", window.add_department_dialog, "Ctrl+Shift+D")
    )
    audit_menu.addAction(_action(window, "&New audit…", window.new_audit_dialog, "Ctrl+Shift+A"))
    audit_menu.addAction(
        _action(window, "&Copy forward to a new cycle…", window.copy_forward_dialog, "Ctrl+Shift+C")
    )
    audit_menu.addSeparator()
    audit_menu.addAction(
        _action(window, "Ne&xt section", lambda: window.step_section(1), "Ctrl+PgDown")
    )
    audit_menu.addAction(
        _action(window, "&Previous section", lambda: window.step_section(-1), "Ctrl+PgUp")
    )
    audit_menu.addAction(
        _action(window, "Go to first &missing required answer", window.go_to_missing, "Ctrl+M")
    )
    audit_menu.addAction(_action(window, "Focus navi&gator", window.navigator.setFocus, "Ctrl+1"))
    audit_menu.addSeparator()
    from ui.lifecycle_actions import LifecycleActions

    window.lifecycle = LifecycleActions(window, audit_menu)  # submit … reopen, histories

    view_menu = bar.addMenu("&View")
    view_menu.addAction(_action(window, "Cycle &dashboard", window.show_dashboard, "Ctrl+2"))
    view_menu.addAction(
        _action(window, "De&partment over time", window.show_department_view, "Ctrl+3")
    )
    view_menu.addAction(_action(window, "&Compare audits", window.show_compare_view, "Ctrl+4"))
    from ui.window_room import add_view_commands

    window.view_commands = add_view_commands(window, view_menu)  # F8 navigator, F9 sections

    report_menu = bar.addMenu("&Report")
    report_menu.addAction(
        _action(window, "&Board report…", window.board_report_dialog, "Ctrl+Shift+R")
    )
    report_menu.addAction(
        _action(window, "&Cross-government summary…", window.summary_report_dialog, "Ctrl+Shift+G")
    )

    window.tools_menu = bar.addMenu("&Tools")
    window.tools_menu.addAction(
        _action(window, "&Verify workspace…", window.verify_workspace_dialog)
    )
    from ui.move_confirm import add_sign_off_rule

    window.sign_off_rule = add_sign_off_rule(window, window.tools_menu)  # a workspace rule

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(
        _action(window, "&Keyboard shortcuts", lambda: show_shortcuts(window), "F1")
    )
    help_menu.addAction(_action(window, "Show &log folder", lambda: show_log_folder(window)))
    help_menu.addAction(_action(window, "&About Baseline", lambda: show_about(window)))


def show_shortcuts(window: QWidget) -> None:
    QMessageBox.information(
        window,
        "Keyboard shortcuts",
        "Ctrl+1  navigator · Ctrl+PgDown / Ctrl+PgUp  next / previous section\n"
        "Ctrl+M  first missing required answer · Ctrl+Z / Ctrl+Shift+Z  undo / redo\n"
        "In tables: Insert  add row · Ctrl+D  duplicate · Ctrl+Delete  delete rows\n"
        "Alt+Up / Alt+Down  move row · Ctrl+V  paste rows from Excel · Delete  clear cells\n"
        "F2  edit a cell · Ctrl+Shift+V  paste as new rows · Ctrl+Shift+F  table in full window\n"
        "F8 / F9  hide or show the navigator / section list · Ctrl+I  import a spreadsheet\n"
        "Evidence: Enter  open · Delete  remove · Menu key or Shift+F10  more\n"
        "Ctrl+Shift+D  add department · Ctrl+Shift+A  new audit · Ctrl+Shift+C  copy forward\n"
        "Ctrl+Shift+R  board report · Ctrl+Shift+G  cross-government summary\n"
        "Ctrl+2  cycle dashboard · Ctrl+3  department over time · Ctrl+4  compare audits\n"
        "Ctrl+H  history of the answer or row being edited",
    )


def show_about(window: MainWindow) -> None:
    """Version, licence and third-party notices (ui/about_dialog.py)."""
    from desktop.crash_log import log_dir
    from desktop.version import version_lines
    from ui.about_dialog import AboutDialog

    AboutDialog(window, version_lines(), log_dir(), window.store.path).exec()


def show_log_folder(window: MainWindow) -> None:
    from desktop.crash_log import log_dir
    from ui import about_dialog

    about_dialog.show_log_folder(window, log_dir())
