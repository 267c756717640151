"""The workspace file itself: damage checks, read-only opening, restore, the chain's sidecar."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from models.held_files import read_head, read_only_uri
from models.history_chain import head
from models.migrations import LATEST_VERSION, migrate
from models.store_base import (
    SQLITE_HEADER,
    NotAWorkspaceError,
    StoreBase,
    WorkspaceError,
    WorkspaceWriteError,
    _inspect,
)


class StoreFiles(StoreBase):
    """Guards on the file, its lock, and the chain head kept beside it (part of Store)."""

    # ---- backups and locking
    def _inspect_or_damaged(self) -> tuple[int, int, bool]:
        """_inspect, but a file with SQLite's header that SQLite cannot read is damaged."""
        try:
            return _inspect(self.path)
        except NotAWorkspaceError as exc:
            if read_head(self.path, len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise
            from models.backups import CorruptWorkspaceError

            raise CorruptWorkspaceError(self.path, "SQLite cannot read it as a database") from exc

    def _check_sound(self) -> None:
        """PRAGMA quick_check before the first write: a damaged file is never written to."""
        from models.backups import check_workspace

        try:
            check_workspace(self.path)
        except BaseException:
            self.conn.close()
            raise

    def _open_read_only(self, version: int) -> None:
        """Open for reading only: through SQLite's read-only mode (immutable on read-only media)."""
        import os

        from models.workspace_lock import ReadOnlyConnection, is_stale, read_holder, this_copy

        if version < LATEST_VERSION:
            raise WorkspaceError(
                f"{self.path} needs upgrading to this version's format, which cannot be done "
                "read-only. Open it normally once. It has not been changed."
            )
        holder = read_holder(self.path)
        me = this_copy()
        writable = os.access(self.path.parent, os.W_OK) and os.access(self.path, os.W_OK)
        ours = holder is not None and (holder.host, holder.pid) == (me.host, me.pid)
        if holder is not None and not ours and not is_stale(holder, me):
            self.read_only_reason = holder.describe()
        if not self.read_only_reason:
            self.read_only_reason = (
                "it was opened read-only" if writable else "the file or its folder is read-only"
            )
        # Immutable where SQLite cannot make the -shm file of a WAL (models/held_files).
        uri = read_only_uri(self.path, immutable=not writable)
        conn = sqlite3.connect(uri, uri=True, factory=ReadOnlyConnection)
        conn.reason = self.read_only_reason
        conn.isolation_level = None
        self.conn = conn
        try:
            with self._errors("open the workspace"):
                self._check_sound()
                self.conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise

    def _release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def change_marker(self) -> tuple[int, int]:
        """Differs whenever the workspace has changed (by this connection or another):
        tells the interval backup whether there is anything new to keep."""
        data_version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        return self.conn.total_changes, data_version

    def restore_from(self, backup: Path) -> None:
        """Replace this workspace's contents with a backup's, as one SQLite transaction.

        SQLite's backup API writes into this connection under its journal (the WAL), so a
        crash or power cut leaves the workspace as it was or as the backup, never between.
        Use models.backups.restore_backup, which keeps the current state first.
        """
        if self.read_only:
            raise WorkspaceWriteError(
                f"This workspace is open read-only: {self.read_only_reason}. Nothing was changed."
            )
        if self._writes_held:  # the backup API does not heed query_only: refuse it here
            raise WorkspaceWriteError(
                f"Could not restore {self.path.name}: it is still being checked for damage, "
                "just after opening; try again. Nothing was changed."
            )
        source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            with self._errors("restore the backup"):
                source.backup(self.conn)
        finally:
            source.close()
        version = self.schema_version
        if version < LATEST_VERSION:
            with self._errors("upgrade the restored workspace"):
                migrate(self.db, version)
        self._sidecar_frozen = False  # the restore chose this history: record its head
        self._write_sidecar(head(self.conn))

    def _check_sidecar(self) -> None:
        """Compare the chain head kept beside the file with this file's history on opening.

        A sidecar naming an entry this file no longer holds (its end cut off, or the file
        replaced by an older copy) is left as it is, as evidence for verify, and said.
        """
        from models.chain_anchor import AnchorError, current_head, read_sidecar

        try:
            ours = current_head(self.conn)
            kept = read_sidecar(self.path)
            lost = bool(kept and kept.seq and kept.hash != self._hash_of(kept.seq))
        except AnchorError:
            kept, lost = None, False
        except sqlite3.DatabaseError:  # damaged: its integrity check says so; record nothing
            self._sidecar_frozen = True
            return
        if lost and kept is not None:
            self._sidecar_frozen = True
            self.warnings.append(
                f"The history record kept beside {self.path.name} names entry {kept.seq}, "
                "which this workspace no longer holds as it was: its newest history may have "
                "been removed, or the file replaced by an older copy. Run Verify."
            )
            return
        if kept is None or (kept.seq, kept.hash) != (ours.seq, ours.hash):
            self._write_sidecar((ours.seq, ours.hash))
        else:
            self._sidecar_head = (ours.seq, ours.hash)

    def _hash_of(self, seq: int) -> str | None:
        row = self.conn.execute("SELECT hash FROM history WHERE seq = ?", [seq]).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def flush_sidecar(self) -> None:
        """Write the chain head committed since the last write, if any (also done on close)."""
        if self._sidecar_due is not None and self._sidecar_due != self._sidecar_head:
            self._write_sidecar(self._sidecar_due)
        self._sidecar_due = None

    def _write_sidecar(self, sealed: tuple[int, str]) -> None:
        """Record the chain head beside the file (models/chain_anchor.py); never fails a commit."""
        if self._sidecar_frozen:
            return
        from models.chain_anchor import ChainHead, write_sidecar
        from models.history_chain import workspace_id

        write_sidecar(self.path, ChainHead(*sealed, workspace_id(self.conn)))
        self._sidecar_head = sealed
        self._sidecar_at = time.monotonic()

    def hold_writes(self, held: bool) -> None:
        """While held, SQLite refuses every write on this connection (PRAGMA query_only): the
        app shows the workspace while its integrity check is still running on a thread."""
        self.conn.execute(f"PRAGMA query_only = {1 if held else 0}")
        self._writes_held = held
