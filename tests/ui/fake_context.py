"""A small AppContext for testing ui action modules without a MainWindow.

A plain QWidget stands in for the window; the store, settings, events and task runner are
the real ones, on files in tmp_path; dialogs and file choosers are scripted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from models.store import Store
from ui.app.context import AppContext
from ui.app.events import WorkspaceEvents
from ui.app.tasks import TaskRunner
from ui.audit_session import AuditSession
from ui.audit_view import AuditView


class FakeContext:
    """Everything AppContext names, and a record of what the actions asked of it."""

    def __init__(self, store: Store, tmp_path: Path, run_dialog: Callable[[QDialog], bool]) -> None:
        self.host = QWidget()
        self.store = store
        self.settings = QSettings(str(tmp_path / "fake.ini"), QSettings.Format.IniFormat)
        self.session: AuditSession | None = None
        self.audit_view: AuditView | None = None
        self.events = WorkspaceEvents(self.host)
        self.events.watch(store)
        self.tasks = TaskRunner(self.host, self.events)
        self.backup_root = tmp_path / "backups"
        self.run_dialog = run_dialog
        self.choose_path = self._choose
        self.chosen: list[Path | None] = []  # what choose_path answers, in turn
        self.native_chooser = False
        self.messages: list[str] = []
        self.opened: list[str] = []
        self.closed = 0
        self.flushed = 0
        self.department_id: str | None = None
        self.questions: list[str] = []

    @property
    def widget(self) -> QWidget:
        return self.host

    def _choose(self, title: str, save: bool, suggested: str = "") -> Path | None:
        return self.chosen.pop(0) if self.chosen else None

    def status(self, message: str, timeout_ms: int = 0) -> None:
        self.messages.append(message)

    def flush_edits(self) -> None:
        self.flushed += 1

    def open_audit(self, audit_id: str) -> None:
        self.opened.append(audit_id)

    def close_audit(self, *, show_welcome: bool = True) -> None:
        self.closed += 1

    def may_leave_audit(self) -> bool:
        return True

    def current_audit_id(self) -> str | None:
        return None

    def current_department_id(self) -> str | None:
        return self.department_id

    def go_to_question(self, question_id: str) -> None:
        self.questions.append(question_id)

    def shutdown(self) -> None:
        self.tasks.shutdown()
        self.events.unwatch(self.store)


def as_context(fake: FakeContext) -> AppContext:
    """The fake is an AppContext (mypy checks it has everything the Protocol names)."""
    return fake
