"""GUI start-up: resolve the workspace, open (and migrate) it, then build the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from models.store import Store, WorkspaceError


def open_settings() -> QSettings:
    """Settings in an INI file under the config folder (BASELINE_CONFIG_DIR in tests)."""
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def choose_workspace(args: argparse.Namespace, settings: QSettings) -> Path:
    """--db wins, then --demo, then the last workspace, then the default one."""
    from desktop.main_window import ensure_demo_workspace

    if args.db is not None:
        return Path(args.db)
    if args.demo:
        return ensure_demo_workspace(paths.demo_workspace())
    last = settings.value("workspace")
    if isinstance(last, str) and last and Path(last).exists():
        return Path(last)
    return paths.default_workspace()


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setApplicationDisplayName(paths.APP_NAME)
    app.setStyle("Fusion")  # the same look on Windows, macOS and Linux laptops
    settings = open_settings()
    path = choose_workspace(args, settings)
    try:
        store = Store(path)
    except WorkspaceError as exc:
        QMessageBox.critical(None, "Cannot open workspace", str(exc))
        if args.db is not None:
            return 2
        store = Store(paths.default_workspace())
    settings.setValue("workspace", str(store.path))

    from desktop.main_window import MainWindow

    window = MainWindow(store, settings)
    window.show()
    audit_id = args.audit or settings.value("audit")
    if isinstance(audit_id, str) and audit_id:
        QTimer.singleShot(0, lambda: window.navigator.select_audit(audit_id))
    code = app.exec()
    store.close()
    return int(code)
