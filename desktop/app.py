"""GUI start-up: resolve the workspace, open (and migrate) it, then build the window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import paths, terminate
from desktop.crash_log import LOGGER
from desktop.version import __version__
from models.store import Store, WorkspaceError
from ui.app import settings as keys

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def open_settings() -> QSettings:
    """Settings in an INI file under the config folder (BASELINE_CONFIG_DIR in tests)."""
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    keys.migrate(settings)  # values an earlier version kept under other keys
    return settings


def choose_workspace(args: argparse.Namespace, settings: QSettings) -> Path:
    """--db wins, then --demo, then the last workspace, then the default one."""
    from desktop.workspaces import ensure_demo_workspace

    if args.db is not None:
        return Path(args.db)
    if args.demo:
        return ensure_demo_workspace(paths.demo_workspace())
    last = keys.read(settings, keys.WORKSPACE)
    if last and Path(last).exists():
        return Path(last)
    return paths.default_workspace()


def run_gui(args: argparse.Namespace) -> int:
    settings = open_settings()
    path = choose_workspace(args, settings)
    from models.backups import is_damaged_read
    from ui.backup_actions import WorkspaceCheck, open_workspace

    # The file's integrity check, on its own thread once the window has painted (until its
    # verdict the workspace is shown with writes held); at once if opening must write.
    check = WorkspaceCheck(path, start=False)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    # Qt shows this after every window's title: "audits.sqlite — Baseline 0.1.0".
    app.setApplicationDisplayName(f"{paths.APP_NAME} {__version__}")
    from ui.style import prepare_application

    prepare_application(app)  # Fusion everywhere, a visible focus ring, one font all session
    from desktop.file_choosers import choose_file
    from desktop.main_window import MainWindow
    from ui.preferences_dialog import auditor_name

    backups = paths.data_dir() / "backups"  # the window's backup_root

    def choose_other() -> Path | None:
        return choose_file("Open workspace", False)

    # Takes the lock (or asks: read-only / take over), offers a backup for a damaged file.
    try:
        store = open_workspace(
            path, choose_other=choose_other, precheck=check, defer=True, backup_root=backups
        )
    except WorkspaceError as exc:
        QMessageBox.critical(None, "Cannot open workspace", str(exc))
        if args.db is not None:
            return 2
        store = open_workspace(
            paths.default_workspace(), choose_other=choose_other, backup_root=backups
        )
    if store is None:
        return 0  # the user chose to quit
    shown: list[MainWindow] = []

    def show(store: Store) -> None:
        from ui.first_run import ask_auditor_name

        if not getattr(args, "quit_after_start", False):  # an install check asks nothing
            ask_auditor_name(settings, lambda dialog: bool(dialog.exec()))  # first run: who?
        store.actor = auditor_name(settings)  # who the history names (Edit ▸ Preferences)
        keys.write(settings, keys.WORKSPACE, str(store.path))
        window = MainWindow(store, settings)
        shown.append(window)
        window.show()
        window.backups.start()  # a backup soon, off the GUI thread, then every 15 minutes
        audit_id = args.audit or keys.read(settings, keys.AUDIT)
        if audit_id:
            QTimer.singleShot(0, lambda: window.navigator.select_audit(audit_id))

    def damaged_after_all() -> bool:
        """The start-up check failed: close the file unwritten and offer a backup."""
        if shown:
            old = shown.pop()
            old.shutdown()
            old.hide()
            old.deleteLater()
        store.close()
        app.setQuitOnLastWindowClosed(False)  # the dialog may be the only window for now
        try:
            again = open_workspace(path, choose_other=choose_other, backup_root=backups)
            if again is None:
                return False
            show(again)
            return True
        finally:
            app.setQuitOnLastWindowClosed(True)

    def settle() -> None:
        if not check.done():  # poll, so the window paints and responds meanwhile
            QTimer.singleShot(20, settle)
        elif shown and check.held is not None and shown[-1].store is not check.held:
            check.held = None  # another workspace was opened meanwhile: this verdict is moot
        elif not check.settle() and not damaged_after_all():
            app.quit()

    try:
        show(store)
    except Exception as exc:  # a damaged page read before the check had finished?
        if not is_damaged_read(exc) or check.held is None or check.settle():
            raise
        if not damaged_after_all():
            return 0
    if check.held is not None:
        QTimer.singleShot(0, check.start)
        QTimer.singleShot(0, settle)  # once the verdict is in: writes released, or a dialog
    # A signal during start-up (a dialog's loop ended by it) skips the main loop.
    code = 0 if terminate.requested() else app.exec()
    for window in shown:
        if terminate.requested():
            close_after_signal(window)  # as Quit closes it, the workspace still open
        window.shutdown()  # the app may quit without closing the window (start-up check)
        window.store.close()  # releases the workspace lock
    return int(code)


def close_after_signal(window: MainWindow) -> None:
    """Ended by a signal: close the window as Quit does while its workspace is open.

    An editor still open (a table cell being typed in) saves when it loses the focus, as it
    does when Quit hides the window; a field whose text cannot be saved is named in the log,
    as nobody is there to answer Quit's question; then the audit is let go, so nothing is
    left to write to the workspace once it is closed."""
    focused = QApplication.focusWidget()
    if isinstance(focused, QWidget):
        focused.clearFocus()  # wherever it is: the form, or a table shown full window
    window.flush_edits()
    session = window.session
    if session is not None and session.unsaved:
        logging.getLogger(LOGGER).warning(
            "Ended by a signal with text not saved: %s", session.unsaved_summary()
        )
    window.shutdown()  # background work stopped before the audit is let go
    window.close_audit(show_welcome=False)
    window.save_state()
    window.hide()
