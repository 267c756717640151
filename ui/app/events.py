"""One signal for "the workspace changed", whoever wrote and on whichever thread.

Every store the app opens (the window's and each worker's, see ui/app/tasks.py) is watched:
the store calls back after each commit (models/change_events.py) and the change is delivered
here on the GUI thread: at once for a commit made on it (so the navigator shows a new audit
before the call that made it returns), queued for one a worker made. Views whose re-reading
is costly (the comparison windows) defer their own work.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from models.change_events import WorkspaceChange
from models.store import Store


class WorkspaceEvents(QObject):
    """The app's workspace notices; views connect to `changed`, writers need do nothing.

    Signals:
        changed(object): a WorkspaceChange, on the GUI thread after the commit.
        auditOpened(str): the form shows this audit now.
        auditClosed(): the form shows no audit now.
    """

    changed = Signal(object)
    auditOpened = Signal(str)
    auditClosed = Signal()
    _committed = Signal(object)  # emitted on the writing thread; queued from a worker

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._committed.connect(self._deliver)  # direct on this thread, else queued

    def watch(self, store: Store) -> None:
        """Hear about every commit `store` makes (on whatever thread it writes)."""
        store.changes.add(self._heard)

    def unwatch(self, store: Store) -> None:
        store.changes.remove(self._heard)

    def _heard(self, change: WorkspaceChange) -> None:
        self._committed.emit(change)

    def announce(self, change: WorkspaceChange) -> None:
        """A change the store could not see (a workspace restored from a backup)."""
        self._committed.emit(change)

    def _deliver(self, change: WorkspaceChange) -> None:
        self.changed.emit(change)
