"""The one owner of the app's background work: starts it, opens its store, cancels, shuts down.

Every long piece of work (exports, reports, reading and applying imports, reading packages,
verifying, backups) runs as a `BackgroundTask` made here, so closing the window ends all of
them through `shutdown()` and nothing is left on a thread Qt destroys. Work that needs the
workspace opens its own store through `open_store` (SQLite connections stay on the thread
that made them); that store's commits reach the views through `WorkspaceEvents`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from models.store import Store
from ui.background import BackgroundTask, Work

if TYPE_CHECKING:
    from ui.app.events import WorkspaceEvents


class TaskRunner(QObject):
    """Runs and keeps every background task of one window.

    Signals:
        taskStarting(object): a BackgroundTask is about to start its thread.
        shuttingDown(): the window is closing; owners of tasks tidy up (close what a task
            opened, stop timers) before every task is cancelled and waited for.
    """

    taskStarting = Signal(object)
    shuttingDown = Signal()

    def __init__(self, parent: QWidget, events: WorkspaceEvents | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events = events
        self.tasks: list[BackgroundTask] = []

    def start(
        self,
        title: str,
        label: str,
        work: Work,
        *,
        kind: str = "",
        parent: QWidget | None = None,
        step_text: Callable[[int, int], str] | None = None,
        dialog: bool = True,
    ) -> BackgroundTask:
        """A task for `work`, made and kept here; the caller connects its outcome, then
        calls `task.start()`. `parent` is the window its progress dialog is modal to."""
        task = BackgroundTask(
            parent or self.parent_widget,
            title,
            label,
            work,
            step_text=step_text,
            dialog=dialog,
            kind=kind,
        )
        self.tasks.append(task)
        task.finished.connect(lambda: self._ended(task))
        self.taskStarting.emit(task)
        return task

    def open_store(self, path: Path, *, read_only: bool = False, actor: str = "") -> Store:
        """The worker's own connection to the workspace; its commits reach the views."""
        store = Store(path, read_only=read_only)
        if actor:
            store.actor = actor
        if self.events is not None and not read_only:
            self.events.watch(store)
        return store

    def running(self, kind: str | None = None) -> list[BackgroundTask]:
        return [t for t in self.tasks if t.is_running() and kind in (None, t.kind)]

    def busy(self, kind: str | None = None) -> bool:
        return bool(self.running(kind))

    def wait(self, kind: str | None = None) -> None:
        """Let the running tasks (of `kind`) finish, and deliver their outcomes now."""
        for task in self.running(kind):
            task.worker.wait()
            QApplication.sendPostedEvents(task)

    def shutdown(self) -> None:
        """Cancel every task and wait for each thread to end (the window is closing)."""
        self.shuttingDown.emit()
        for task in list(self.tasks):
            if task.is_running():
                task.wait()  # cancels at the next progress report, then joins the thread

    def _ended(self, task: BackgroundTask) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
