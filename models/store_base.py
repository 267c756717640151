"""What the workspace's parts share: its errors, file checks, and the connection's plumbing.

models/store.py assembles Store from this base and the parts beside it (store_content,
store_audits, store_files); import Store and the errors from there.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.held_files import read_head, read_only_uri
from models.migrations import LATEST_VERSION

if TYPE_CHECKING:
    import sqlite_utils

    from models.workspace_lock import WorkspaceLock

SQLITE_HEADER = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """A problem the user can act on (wrong file, newer version, disk full, locked)."""


class NotAWorkspaceError(WorkspaceError):
    """The file is not a Baseline workspace."""


class NewerWorkspaceError(WorkspaceError):
    """The workspace was written by a newer version of the app."""


class WorkspaceWriteError(WorkspaceError):
    """A write could not be committed (read-only, locked, disk full); nothing was changed."""


class DuplicateAuditError(WorkspaceError):
    """The department already has an audit for that cycle."""


class SignedOffError(WorkspaceError):
    """The audit is signed off: its content cannot change until it is reopened."""


def _default_actor() -> str:
    """Who edits when the app's settings name nobody: BASELINE_AUDITOR (for scripts and the
    command line, as git reads GIT_AUTHOR_NAME), else the operating-system user."""
    named = " ".join(os.environ.get("BASELINE_AUDITOR", "").split())[:200]
    # Bytes that are not UTF-8 (a Latin-1 locale) arrive as lone surrogates, which SQLite
    # cannot store: every write would fail. Shown as U+FFFD, the rest of the name kept.
    named = named.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        return ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _new_id() -> str:
    return str(uuid.uuid4())


def _dump(value: Any) -> str:
    """A value as stored JSON; NaN and infinity are refused (Excel calls a file holding them
    damaged), whatever door they came through."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        raise ValueError("A number that is not finite (NaN, infinity) cannot be stored.") from None


def _inspect(path: Path) -> tuple[int, int, bool]:
    """Read (application_id, user_version, has_tables) without writing to the file."""
    header = read_head(path, len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAWorkspaceError(
            f"{path} is not a Baseline workspace: it is not an SQLite database file. "
            "It has not been changed."
        )
    uri = read_only_uri(path)
    try:
        try:
            return _read_header(uri)
        except sqlite3.OperationalError as exc:
            # A WAL file in a read-only folder cannot be opened even read-only (SQLite
            # cannot create its -shm file); its header can still be read as immutable.
            if not any(w in str(exc).lower() for w in ("readonly", "unable to open")):
                raise
            return _read_header(read_only_uri(path, immutable=True))
    except sqlite3.DatabaseError as exc:
        raise NotAWorkspaceError(
            f"{path} cannot be read as a Baseline workspace ({exc}). It has not been changed."
        ) from None


def _read_header(uri: str) -> tuple[int, int, bool]:
    conn = sqlite3.connect(uri, uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    return int(app_id), int(version), bool(tables)


def opens_untouched(path: Path) -> bool:
    """True when opening the file writes nothing to it: already this version, already WAL.

    Read from the header alone (bytes 18-19 are 2 in WAL mode; user_version at 60), so it
    can be asked of a file whose integrity is not yet known.
    """
    try:
        header = read_head(path, 100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    wal = header[18] == 2 and header[19] == 2
    return wal and int.from_bytes(header[60:64], "big") == LATEST_VERSION


def copy_workspace(source: Path, target: Path) -> None:
    """A consistent copy of a workspace file, made through SQLite so the WAL is included."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


class StoreBase:
    """The connection and its plumbing, which every part of Store uses."""

    conn: sqlite3.Connection
    path: Path
    warnings: list[str]
    backup_path: Path | None
    read_only: bool
    read_only_reason: str
    lock: WorkspaceLock | None
    _db: sqlite_utils.Database | None
    _savepoints: int
    actor: str = _default_actor()  # who the history says made the changes (preferences)
    _history_start = 0  # history seq when the outermost transaction began
    _seal_note = ""
    _seal_own = True
    _writes_held = False  # hold_writes(): shown before its integrity check has finished
    _sidecar_head: tuple[int, str] | None = None  # the chain head last written beside the file
    _sidecar_frozen = False  # the sidecar names history this file lacks: kept as evidence
    _sidecar_due: tuple[int, str] | None = None  # a head committed but not yet written beside
    _sidecar_at: float  # time.monotonic() of the last write (models/store.py sets it)

    if TYPE_CHECKING:  # defined by Store in models/store.py

        def transaction(
            self, action: str = "save the change"
        ) -> contextlib.AbstractContextManager[None]: ...

        def recording(
            self, *, note: str = "", own: bool = True
        ) -> contextlib.AbstractContextManager[None]: ...

    # ------------------------------------------------------------------ plumbing
    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for schema work and bulk inserts.

        Imported on first use: it pulls in click, dateutil and pluggy, which the
        start-up path and single-row edits do not need.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn SQLite's operational errors into messages a user can act on."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            if "baseline: the audit is signed off" not in str(exc):
                raise
            raise SignedOffError(
                f"Could not {action}: the audit is signed off, so it cannot change until it "
                "is reopened (Audit ▸ Reopen…). Nothing was changed."
            ) from None
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if self._writes_held and "readonly" in text:
                why = "it is still being checked for damage, just after opening; try again"
            elif "readonly" in text or "read-only" in text:
                why = "the file or its folder is read-only"
            elif "locked" in text or "busy" in text:
                why = "another program is writing to it; try again in a moment"
            elif "full" in text:
                why = "the disk is full"
            elif "disk i/o" in text:
                why = "the disk reported an input/output error (is it full, or removed?)"
            else:
                raise
            raise WorkspaceWriteError(
                f"Could not {action} in {self.path.name}: {why}. Nothing was changed."
            ) from exc

    def _touch(self, audit_id: str, now: str) -> None:
        self.conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", [now, audit_id])


# The library the store migrates with, as (distribution, import name): --version lists it.
STORAGE_LIBRARY = ("sqlite-utils", "sqlite_utils")


def sqlite_library_version() -> str:
    """The SQLite library the workspace is written with (for --version and About)."""
    return sqlite3.sqlite_version
