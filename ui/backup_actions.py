"""Backups, restore, damaged workspaces and the workspace lock, as the user meets them.

- `open_workspace` opens a file for the app: it takes the lock, and when another copy has
  it open asks whether to open it read-only (or, after a warning, take it over); when the
  file is damaged it offers the latest good backup. A damaged file is never written to.
- `BackupScheduler` keeps rotating backups (models/backups.py): one on opening, then
  every BACKUP_INTERVAL_MS while something has changed, as a task of the window's
  TaskRunner (a backup of the 50-department demo takes ~0.4 s) with its own connection.
- `restore_dialog` is File ▸ Restore from backup….
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QWidget,
)

from models.backups import (
    Backup,
    CorruptWorkspaceError,
    backup_folder,
    check_backup,
    check_workspace,
    list_backups,
    restore_backup,
    restore_damaged,
    take_backup,
)
from models.change_events import WorkspaceChange
from models.progress import Progress
from models.store import Store, WorkspaceError, opens_untouched
from models.workspace_lock import WorkspaceLock, WorkspaceLockedError
from ui.app.context import DialogRunner, exec_dialog
from ui.backup_dialogs import DamagedDialog, LockedDialog, RestoreDialog

if TYPE_CHECKING:
    from ui.app.context import AppContext

BACKUP_INTERVAL_MS = 15 * 60 * 1000
OPEN_BACKUP_DELAY_MS = 2000


def folder_for(workspace: Path, root: Path) -> Path:
    """Where this workspace's backups go: one subfolder per file under `root` (the app's
    backups folder, AppContext.backup_root)."""
    return backup_folder(root, workspace)


# ---------------------------------------------------------------- opening
class WorkspaceCheck:
    """The integrity check of a workspace, started early on its own thread.

    SQLite works without the GIL, so its ~90 ms on the 80 MB demo runs while Qt starts and
    the window is built and painted; the workspace is opened with writes held (PRAGMA
    query_only) until `settle()` has the verdict, so a damaged file is never written to.
    """

    def __init__(self, path: Path, *, start: bool = True) -> None:
        self.path = path
        self.problem: BaseException | None = None
        self.held: Store | None = None  # opened before the verdict, writes held until then
        self._thread = threading.Thread(target=self._run, name="baseline-check", daemon=True)
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Begin checking (start-up begins once the window has painted: nothing competes)."""
        if not self._started:
            self._started = True
            self._thread.start()

    def _run(self) -> None:
        try:
            if self.path.exists() and self.path.stat().st_size > 0:
                check_workspace(self.path)
        except BaseException as exc:  # handed to the GUI thread
            self.problem = exc

    def wait(self) -> BaseException | None:
        self.start()
        self._thread.join()
        return self.problem

    def done(self) -> bool:
        return self._started and not self._thread.is_alive()

    def settle(self) -> bool:
        """Wait for the verdict on the store opened early: True lets it write from now on,
        False means the file is damaged (the store has written nothing: close it)."""
        problem = self.wait()
        store, self.held = self.held, None
        if isinstance(problem, CorruptWorkspaceError):
            return False
        if store is not None:
            if problem is not None:  # the check itself failed (I/O): check the usual way
                check_workspace(store.path)
            store.hold_writes(False)
        return True


def open_workspace(
    path: Path,
    parent: QWidget | None = None,
    *,
    run_dialog: DialogRunner = exec_dialog,
    choose_other: Callable[[], Path | None] | None = None,
    precheck: WorkspaceCheck | None = None,
    defer: bool = False,
    backup_root: Path | None = None,
) -> Store | None:
    """The workspace opened for this copy of the app, or None when the user gave up.

    `precheck` is the file's integrity check already under way (see WorkspaceCheck). With
    `defer`, a check still running does not hold up opening: the store comes back with
    writes held, and the caller must call `precheck.settle()` (start-up does, after the
    window's first paint).
    A damaged file is offered its backups under `backup_root` (none when it is None).
    Raises WorkspaceError for problems no dialog can fix (the caller shows them).
    """
    while True:
        if backup_root is not None and _is_inside(path, backup_root):
            return _open_backup_read_only(path)
        try:
            checked = False
            if precheck is not None and precheck.path == path:
                pending, precheck = precheck, None
                if not pending.done() and defer and opens_untouched(path):
                    # Show it now, writes held, and settle() once the window has painted.
                    # Not a file that opening would migrate or switch to WAL: that writes.
                    store = Store(path, lock=True, checked=True)
                    store.hold_writes(True)
                    pending.held = store
                    return store
                problem = pending.wait()
                if isinstance(problem, CorruptWorkspaceError):
                    raise problem
                checked = problem is None  # anything else: Store checks again, and says
            return Store(path, lock=True, checked=checked)
        except WorkspaceLockedError as exc:
            locked = LockedDialog(path, exc.holder, parent)
            run_dialog(locked)
            if locked.choice == "read-only":
                return Store(path, read_only=True)
            if locked.choice != "take-over":
                return None
            claim = WorkspaceLock.acquire(path, take_over=True)
            try:
                return Store(path, lock=True)  # counted on top of the claim just made
            finally:
                claim.release()
        except CorruptWorkspaceError as exc:
            backups = [] if backup_root is None else list_backups(folder_for(path, backup_root))
            good = [b for b in backups if _usable(b)]
            damaged = DamagedDialog(exc, good, parent)
            run_dialog(damaged)
            if damaged.choice == "restore" and damaged.backup is not None:
                claim = WorkspaceLock.acquire(path)  # no other copy opens it half-restored
                try:
                    restore_damaged(path, damaged.backup.path)
                finally:
                    claim.release()
                continue  # open the restored file (its check runs again)
            if damaged.choice == "other" and choose_other is not None:
                other = choose_other()
                if other is None:
                    return None
                path = other
                continue
            return None
        except WorkspaceError:
            folder = path.parent
            if path.exists() and not os.access(folder, os.W_OK):
                # Read-only media (a CD, a locked share): reading is still useful.
                return Store(path, read_only=True)
            raise


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _open_backup_read_only(path: Path) -> Store:
    """One of the app's own backups: read-only, saying why (rotation deletes old backups,
    and whatever had been typed into one with them)."""
    store = Store(path, read_only=True)
    reason = (
        "it is one of Baseline's backups, which are deleted as newer ones are taken; "
        "to go back to it, open the workspace and use File ▸ Restore from backup"
    )
    store.read_only_reason = reason
    store.conn.reason = reason  # type: ignore[attr-defined]  # ReadOnlyConnection
    return store


def _usable(backup: Backup) -> bool:
    try:
        check_backup(backup.path)
    except WorkspaceError:
        return False
    return True


# ---------------------------------------------------------------- backing up
class BackupScheduler(QObject):
    """Backs the window's workspace up on opening and every interval while it changes.

    Backups run as tasks of the window's TaskRunner (kind "backup"). A failure (the
    backup folder read-only, the disk full) is reported once per kind of failure through
    `failed`, never raised: the workspace itself is unaffected.

    Signals:
        finished(object): a Backup was made.
        failed(str): a message for the user.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.app = app
        self.timer = QTimer(self)
        self.timer.setInterval(BACKUP_INTERVAL_MS)
        self.timer.timeout.connect(self.backup_if_changed)
        self._marker: tuple[int, int] | None = None
        self.last_error = ""
        self.failed.connect(self._report)

    def start(self, delay_ms: int = OPEN_BACKUP_DELAY_MS) -> None:
        """Back up ("open") once the window is up, then every interval while it changes.

        The first backup waits `delay_ms` so that reading and writing the whole file does
        not compete with the window's first paint (bench_startup).
        """
        self.timer.start()
        if delay_ms <= 0:
            self.backup_now("open")
        else:
            QTimer.singleShot(delay_ms, self, self._open_backup)

    def _open_backup(self) -> None:
        if self.timer.isActive():  # not once shut down (the window closed meanwhile)
            self.backup_now("open")

    def workspace_changed(self) -> None:
        """The window switched workspace: back the new one up if backups are running."""
        self.wait()
        self._marker = None
        if self.timer.isActive():
            self.backup_now("open")

    def backup_if_changed(self) -> None:
        if self.app.store.read_only:
            return
        if self.app.store.change_marker() != self._marker:
            self.backup_now("interval")

    def backup_now(self, kind: str) -> None:
        store = self.app.store
        if store.read_only or self.running():
            return
        self._marker = store.change_marker()
        workspace, folder = store.path, folder_for(store.path, self.app.backup_root)

        def work(_progress: Progress) -> None:
            try:
                self.finished.emit(take_backup(workspace, folder, kind))
            except WorkspaceError as exc:
                self.failed.emit(str(exc))

        # No progress dialog: the user did not ask for it. Not cancellable: a backup being
        # written is finished, never left half-made (shutdown waits for it).
        self.app.tasks.start("Back up", "Backing up…", work, kind="backup", dialog=False).start()

    def running(self) -> bool:
        return self.app.tasks.busy("backup")

    def wait(self) -> None:
        """Let a backup being written finish (before restoring, switching or quitting)."""
        self.app.tasks.wait("backup")
        QApplication.sendPostedEvents(self)  # deliver its finished/failed now

    def shutdown(self) -> None:
        self.timer.stop()
        self.wait()

    def _report(self, message: str) -> None:
        first = message != self.last_error
        self.last_error = message
        if first:
            self.app.status(f"Backup failed: {message}", 30000)


# ---------------------------------------------------------------- restoring
def restore_dialog(app: AppContext) -> Backup | None:
    """File ▸ Restore from backup…; returns the backup restored, or None."""
    store = app.store
    if store.read_only:
        QMessageBox.information(
            app.widget,
            "Restore from backup",
            f"This workspace is open read-only ({store.read_only_reason}), so it cannot be "
            "restored from a backup.",
        )
        return None
    app.tasks.wait("backup")
    folder = folder_for(store.path, app.backup_root)
    backups = list_backups(folder)
    if not backups:
        QMessageBox.information(
            app.widget, "Restore from backup", f"There are no backups of {store.path.name} yet."
        )
        return None
    dialog = RestoreDialog(store.path, backups, app.widget)
    if not app.run_dialog(dialog):
        return None
    chosen = dialog.chosen()
    if chosen is None:
        return None
    app.close_audit()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        undo = restore_backup(store, chosen.path, folder)
    except WorkspaceError as exc:
        QMessageBox.warning(app.widget, "Could not restore the backup", str(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    # Restoring replaces the file's pages, not through a transaction: say so here (no audit
    # named: anything may have changed).
    app.events.announce(WorkspaceChange(frozenset(), "restore"))
    app.status(
        f"Restored the backup from {chosen.when}. The workspace as it was is kept as the "
        f"backup from {undo.when}.",
        15000,
    )
    return chosen
