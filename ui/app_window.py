"""What ui action modules may use of the application window, so none of them imports desktop/.

The main window (desktop/main_window.py) satisfies this Protocol; action modules take an
`AppWindow` and tests can hand them any window that has these members.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QSettings
    from PySide6.QtWidgets import QStackedWidget, QStatusBar

    from models.store import Store
    from ui.audit_session import AuditSession
    from ui.audit_view import AuditView
    from ui.backup_actions import BackupScheduler
    from ui.navigator import Navigator

DialogRunner = Callable[[QDialog], bool]
PathChooser = Callable[..., Path | None]  # (title, save[, suggested path]) -> chosen path


class AppWindow(Protocol):
    """The window's services: the workspace, the open audit, dialogs, and change notices."""

    store: Store
    settings: QSettings
    session: AuditSession | None
    audit_view: AuditView | None
    navigator: Navigator
    stack: QStackedWidget
    backups: BackupScheduler
    run_dialog: DialogRunner
    choose_path: PathChooser
    native_chooser: bool  # choose_path is the system's file dialog, not one a test injected

    def open_audit(self, audit_id: str) -> None: ...
    def close_audit(self, *, show_welcome: bool = True) -> None: ...
    def may_leave_audit(self) -> bool: ...
    def flush_edits(self) -> None: ...
    def refresh_navigator(self) -> None: ...
    def audits_changed(self, audit_ids: set[str]) -> None: ...

    # The QMainWindow members the actions use (parenting, status messages, finding helpers).
    def statusBar(self) -> QStatusBar: ...
    def findChild(self, kind: Any, name: str = ...) -> Any: ...
    def installEventFilter(self, watcher: QObject) -> None: ...
    def activateWindow(self) -> None: ...
    def raise_(self) -> None: ...


def exec_dialog(dialog: QDialog) -> bool:
    """The default DialogRunner: run the dialog modally; True when accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted
