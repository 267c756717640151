"""The workspace: one SQLite file holding departments, audits, answers and table rows.

Every public write commits before it returns, so nothing shown as entered can be
lost to a crash. The only SQL in the application lives in this package. Store is made
of parts by responsibility: models/store_base.py (errors, file checks, plumbing),
store_content.py (answers, comments, rows), store_audits.py (departments, audits),
store_files.py (damage checks, restore, the sidecar); this module opens the file and
holds transactions and the kept figures.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from models.change_events import ChangeListeners
from models.filesystem import network_filesystem
from models.held_files import copy_file, hold, on_read_only_media
from models.history_chain import head, last_seq, seal
from models.migrations import APPLICATION_ID, LATEST_VERSION, migrate
from models.store_audits import StoreAudits
from models.store_base import (
    SQLITE_HEADER,
    DuplicateAuditError,
    NewerWorkspaceError,
    NotAWorkspaceError,
    SignedOffError,
    WorkspaceError,
    WorkspaceWriteError,
    _default_actor,
    _dump,
    _inspect,
    _new_id,
    _now,
    _read_header,
    copy_workspace,
    opens_untouched,
)
from models.store_files import StoreFiles
from models.wal_checkpoint import wait_for_checkpoint

__all__ = [
    "SQLITE_HEADER",
    "DuplicateAuditError",
    "NewerWorkspaceError",
    "NotAWorkspaceError",
    "SignedOffError",
    "Store",
    "WorkspaceError",
    "WorkspaceWriteError",
    "_default_actor",
    "_dump",
    "_inspect",
    "_new_id",
    "_now",
    "_read_header",
    "copy_workspace",
    "opens_untouched",
]

# The chain head is written beside the file (models/chain_anchor.py) at most this often, and
# on close: an atomic replace costs about as much as the edit's own commit, so writing it on
# every keystroke would double an edit's time.
SIDECAR_INTERVAL_S = 1.0


class Store(StoreAudits, StoreFiles):
    """A workspace file. Build one per file; pass it to whoever needs it (never a global).

    Args:
        path: the workspace file; created if it does not exist.
        durable: fsync every commit (synchronous=FULL) so an edit survives power loss,
            not only a crash of the app. On by default.
    """

    _sidecar_at = -SIDECAR_INTERVAL_S  # time.monotonic() of the last write

    def __init__(
        self,
        path: Path | str,
        *,
        durable: bool = True,
        read_only: bool = False,
        lock: bool = False,
        checked: bool = False,
    ) -> None:
        from models.workspace_lock import WorkspaceLock, check_single_name

        self.path = Path(path)
        self.actor = _default_actor()  # the app sets the auditor's name from its settings
        self.changes = ChangeListeners()  # told after each commit (models/change_events.py)
        self.warnings: list[str] = []
        self.backup_path: Path | None = None
        self._savepoints = 0
        self.read_only = read_only  # every write raises WorkspaceWriteError saying why
        self.read_only_reason = ""  # "Jane Smith has it open on LAPTOP-12 since 09:14"
        self.lock: WorkspaceLock | None = None  # lock=True: this copy alone writes the file
        exists = self.path.exists() and self.path.stat().st_size > 0
        if self.path.exists() and not self.path.is_file():  # a FIFO would hang the read below
            raise NotAWorkspaceError(
                f"{self.path} is not a Baseline workspace: it is not a regular file (a folder, "
                "named pipe or device). It has not been changed."
            )
        version = 0
        if exists:
            hold(self.path)  # read from now on without dropping this process's locks
            app_id, version, has_tables = self._inspect_or_damaged()
            if app_id != APPLICATION_ID and (has_tables or version):
                raise NotAWorkspaceError(
                    f"{self.path} is an SQLite database but not a Baseline workspace. "
                    "It has not been changed."
                )
            if version > LATEST_VERSION:
                raise NewerWorkspaceError(
                    f"{self.path} was saved by a newer version of Baseline (workspace format "
                    f"{version}; this version understands up to {LATEST_VERSION}). Update the "
                    "app to open it. The file has not been changed."
                )
        elif read_only:
            raise WorkspaceError(f"{self.path} does not exist, so it cannot be opened read-only.")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        fs = network_filesystem(self.path)
        if fs:
            self.warnings.append(
                f"{self.path} is on a network share ({fs}). SQLite's write-ahead log does not "
                "work reliably there: copy the workspace to this computer's disk to work on it."
            )
        self._db = None
        if exists and not lock and on_read_only_media(self.path):
            self.read_only = read_only = True  # nothing can write there: read it as it is
        if read_only:
            self._open_read_only(version)
            return
        if exists:
            check_single_name(self.path)  # a hard link would get round the lock
        if lock:
            self.lock = WorkspaceLock.acquire(self.path)
        try:
            if exists and 0 < version < LATEST_VERSION:
                self.backup_path = self.path.with_name(f"{self.path.name}.v{version}.bak")
                self._backup(self.backup_path)
            conn = sqlite3.connect(str(self.path))
        except (sqlite3.Error, OSError) as exc:
            self._release_lock()
            raise WorkspaceError(f"{self.path} cannot be opened: {exc}") from None
        conn.isolation_level = None  # autocommit; transaction() opens and closes transactions
        self.conn = conn
        hold(self.path)  # a new file exists now
        try:
            with self._errors("open the workspace"):
                if exists and not checked:  # checked: by models.backups.check_workspace
                    self._check_sound()  # before anything can write to a damaged file
                self.conn.execute("PRAGMA foreign_keys = ON")
                self.conn.execute("PRAGMA busy_timeout = 5000")
                # Statement journals (kept for each write a trigger may abort) in memory, not
                # temporary files: writing 100,000 imported rows took 2.4x as long without it.
                self.conn.execute("PRAGMA temp_store = MEMORY")
                if not fs:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                if version < LATEST_VERSION:
                    migrate(self.db, version)  # sqlite-utils is loaded only when migrating
        except BaseException:
            conn.close()  # a store that failed to open holds no file handle
            self._release_lock()
            raise
        self._check_sidecar()

    def _backup(self, target: Path) -> None:
        """Copy the file before migrating it."""
        try:
            copy_workspace(self.path, target)
        except sqlite3.Error:
            copy_file(self.path, target)

    def close(self) -> None:
        wait_for_checkpoint(self)  # a bulk write's, on its own thread (models/wal_checkpoint)
        with contextlib.suppress(sqlite3.Error):
            self.flush_sidecar()
        self.conn.close()
        self._release_lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, action: str = "save the change") -> Iterator[None]:
        """All writes inside commit together or not at all (nests as savepoints)."""
        with self._errors(action):
            conn = self.conn
            if conn.in_transaction:
                self._savepoints += 1
                name = f"sp{self._savepoints}"
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    if conn.in_transaction:
                        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                        conn.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                conn.execute(f"RELEASE SAVEPOINT {name}")
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._history_start = last_seq(conn)
                yield
                seal(
                    conn, self._history_start, self.actor, own=self._seal_own, note=self._seal_note
                )
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            sealed = head(conn)
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if sealed != self._sidecar_head:
                self._sidecar_due = sealed
                if time.monotonic() - self._sidecar_at >= SIDECAR_INTERVAL_S:
                    self.flush_sidecar()
            if self.changes:
                self.changes.committed(conn, self._history_start, action)

    @contextlib.contextmanager
    def recording(self, *, note: str = "", own: bool = True) -> Iterator[None]:
        """Changes written inside are sealed with `note` (a reason, a package's name), and
        as this workspace's own changes unless `own` is False (brought in by a merge)."""
        with self.transaction("record the change"):
            # Seal what the enclosing transaction wrote so far as it was written, then what
            # is written inside as asked: the commit seals only what is left.
            seal(
                self.conn, self._history_start, self.actor, own=self._seal_own, note=self._seal_note
            )
            kept = self._seal_note, self._seal_own
            self._seal_note, self._seal_own = note, own
            try:
                yield
                seal(self.conn, self._history_start, self.actor, own=own, note=note)
            finally:
                self._seal_note, self._seal_own = kept

    # ------------------------------------------------------------------ score cache
    def cached_figures(self, audit_id: str, fingerprint: str) -> str | None:
        """An audit's figures as last worked out (JSON), if nothing has changed since."""
        row = self.conn.execute(
            "SELECT figures FROM score_cache WHERE audit_id = ? AND fingerprint = ?",
            [audit_id, fingerprint],
        ).fetchone()
        return None if row is None else str(row[0])

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one state of the workspace, and figures kept at the end only
        if nobody has changed it since: under WAL a stale snapshot cannot become a write.

        Kept figures can always be worked out again, so their commit does not wait for the
        disk (synchronous=NORMAL under WAL may lose it on power loss, never corrupts).
        """
        if self.conn.in_transaction:
            yield
            return
        wal = self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        level = int(self.conn.execute("PRAGMA synchronous").fetchone()[0])
        if wal:
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
        finally:
            self.conn.execute(f"PRAGMA synchronous = {level}")

    def cache_figures(self, entries: Sequence[tuple[str, str, str]]) -> None:
        """Keep audits' figures (audit id, fingerprint, JSON) in one write; triggers drop an
        audit's entry when its answers or rows change.

        Only a speed-up, so it never waits for another writer and never fails: when the
        workspace is busy, read-only, or changed since the figures were read (inside
        snapshot()), nothing is kept.
        """
        wait = int(self.conn.execute("PRAGMA busy_timeout").fetchone()[0])
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.transaction("keep the audits' figures"):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO score_cache (audit_id, fingerprint, figures)"
                    " VALUES (?, ?, ?)",
                    entries,
                )
        except (WorkspaceError, sqlite3.IntegrityError):
            pass  # busy, read-only, stale, or the audit was deleted meanwhile
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {wait}")
