"""What ui modules may use of the application: the `AppContext` the main window provides.

Action modules, dialogs and controllers take an `AppContext`, never the main window, so
none of them imports desktop/ and each can be tested against a small fake context.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from models.store import Store
    from ui.app.events import WorkspaceEvents
    from ui.app.tasks import TaskRunner
    from ui.audit_session import AuditSession
    from ui.audit_view import AuditView

DialogRunner = Callable[[QDialog], bool]
PathChooser = Callable[..., Path | None]  # (title, save[, suggested path]) -> chosen path


class AppContext(Protocol):
    """The app's services: the workspace, the open audit, dialogs, notices and tasks."""

    store: Store
    settings: QSettings
    session: AuditSession | None  # the audit open in the form
    audit_view: AuditView | None  # the form showing it
    events: WorkspaceEvents
    tasks: TaskRunner
    backup_root: Path  # backups go in a folder per workspace under here
    run_dialog: DialogRunner
    choose_path: PathChooser
    native_chooser: bool  # choose_path is the system's file dialog, not one a test injected

    @property
    def widget(self) -> QWidget:
        """The window dialogs and message boxes are parented to."""
        ...

    def status(self, message: str, timeout_ms: int = 0) -> None: ...
    def flush_edits(self) -> None: ...
    def open_audit(self, audit_id: str) -> None: ...
    def close_audit(self, *, show_welcome: bool = True) -> None: ...
    def may_leave_audit(self) -> bool: ...
    def current_audit_id(self) -> str | None: ...
    def current_department_id(self) -> str | None: ...
    def go_to_question(self, question_id: str) -> None: ...


def exec_dialog(dialog: QDialog) -> bool:
    """The default DialogRunner: run the dialog modally; True when accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted
