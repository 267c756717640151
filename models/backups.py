"""Rotating backups of a workspace, checking a workspace is sound, and restoring one.

Backups are whole copies made with SQLite's online backup API (consistent even while the
app writes), each written under a temporary name, checked with `PRAGMA quick_check`,
fsynced and only then renamed into place, so a backup that is listed is complete.

Rotation (`rotate`): the KEEP_RECENT newest backups are kept, and the newest backup of
each of the last KEEP_DAYS days; anything older goes. The newest "before restore" backup
is always kept, so the last restore can be undone.

The folder is given by the caller (the app uses `<data folder>/backups/<name>-<hash>`,
see `backup_folder`); this module never decides where user data lives.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.evidence_backup import mirror_evidence, recover_evidence
from models.held_files import fsync_file, read_head, read_only_uri
from models.migrations import APPLICATION_ID, LATEST_VERSION
from models.store import SQLITE_HEADER, NotAWorkspaceError, Store, WorkspaceError

KEEP_RECENT = 10
KEEP_DAYS = 7
PARTIAL_GRACE_S = 3600  # a half-written backup older than this was abandoned
KINDS = {
    "open": "on opening",
    "interval": "while working",
    "before-restore": "before a restore",
    "manual": "by hand",
}
_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<kind>[a-z-]+)\.sqlite$")


class BackupError(WorkspaceError):
    """A backup could not be made or read (folder read-only, disk full, damaged file)."""


class CorruptWorkspaceError(NotAWorkspaceError):
    """The workspace file is damaged: SQLite cannot read it, or its integrity check fails."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"{path} is damaged and cannot be used ({detail}). It has not been changed. "
            "Restore it from a backup."
        )


@dataclass(frozen=True)
class Backup:
    """One backup file; `taken` is when it was made (UTC)."""

    path: Path
    taken: datetime
    kind: str
    size: int

    @property
    def when(self) -> str:
        """The local date and time, as a person reads it: 'Sun 6 Dec 2026 12:44:05'."""
        local = self.taken.astimezone()
        return f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y %H:%M:%S')}"

    @property
    def kind_text(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def backup_folder(root: Path, workspace: Path) -> Path:
    """The folder for one workspace's backups: its name plus a short hash of where it is."""
    resolved = str(Path(os.path.abspath(workspace)))
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    stem = re.sub(r"[^\w.-]+", "_", workspace.stem)[:40] or "workspace"
    return root / f"{stem}-{digest}"


def _read_only_uri(path: Path, *, immutable: bool = False) -> str:
    return read_only_uri(path, immutable=immutable)  # never immutable on a file open here


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when SQLite finds the database sound, else the first problem it reports.

    quick_check reads every page once but skips the index-against-table cross-checks of
    integrity_check, so it is cheap enough for every open (see README).
    """
    try:
        row = conn.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.OperationalError:
        raise  # busy, read-only folder, I/O: not proof of damage
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = str(row[0]) if row else "no result"
    return None if result == "ok" else result


def is_damaged_read(exc: BaseException) -> bool:
    """True when a read failed because the file is damaged (SQLite's own error), so callers
    outside models/ can tell without knowing SQLite."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.ProgrammingError | sqlite3.InterfaceError
    )


def check_file(path: Path) -> None:
    """Raise CorruptWorkspaceError unless the file reads as a sound SQLite database."""
    if read_head(path, len(SQLITE_HEADER)) != SQLITE_HEADER:
        raise CorruptWorkspaceError(path, "it is not an SQLite database file")
    _check_through(path, _read_only_uri(path, immutable=True))


def _check_through(path: Path, uri: str) -> None:
    conn = sqlite3.connect(uri, uri=True)
    try:
        problem = quick_check(conn)
    finally:
        conn.close()
    if problem is not None:
        raise CorruptWorkspaceError(path, f"SQLite reports: {problem}")


def check_workspace(path: Path) -> None:
    """Raise CorruptWorkspaceError if a workspace file is damaged; never writes to it.

    Without a write-ahead log the file is read as immutable (no -wal or -shm is made);
    with one (the app was killed), through it read-only, since it holds recent commits.
    Safe on any thread: it uses its own connection.
    """
    if not path.with_name(path.name + "-wal").exists():
        check_file(path)
        return
    _check_through(path, _read_only_uri(path))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fsync_file(path)


def _why(exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        return "the backup folder is read-only"
    if "full" in text or getattr(exc, "errno", None) == 28:
        return "the disk is full"
    return str(exc)


def take_backup(
    workspace: Path,
    folder: Path,
    kind: str = "interval",
    *,
    source: sqlite3.Connection | None = None,
    now: datetime | None = None,
) -> Backup:
    """A complete, checked copy of the workspace in `folder`, then old backups rotated.

    Reads through its own read-only connection unless `source` (a connection on this
    thread) is given, so it can run on a worker thread while the app keeps writing.
    Raises BackupError (nothing half-written is left) when the folder is read-only or full.
    """
    now = now or datetime.now(UTC)
    name = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{kind}.sqlite"
    target = folder / name
    partial = folder / f".{name}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        own = source is None
        src = source or sqlite3.connect(_read_only_uri(workspace), uri=True)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                problem = quick_check(dst)
            finally:
                dst.close()
        finally:
            if own:
                src.close()
        if problem is not None:
            raise CorruptWorkspaceError(workspace, f"SQLite reports: {problem}")
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(folder)
    except CorruptWorkspaceError:
        _discard(partial)
        raise
    except (OSError, sqlite3.Error) as exc:
        _discard(partial)
        raise BackupError(
            f"Could not back up {workspace.name} to {folder}: {_why(exc)}. "
            "The workspace itself is unaffected."
        ) from exc
    try:  # evidence files it does not hold yet, by hash (models/evidence_backup.py)
        mirror_evidence(workspace, folder)
    except OSError as exc:
        raise BackupError(
            f"Backed up {workspace.name} to {folder}, but not its new evidence files: "
            f"{_why(exc)}. The workspace itself is unaffected."
        ) from exc
    rotate(folder, now=now)
    return Backup(target, now, kind, target.stat().st_size)


def _discard(partial: Path) -> None:
    for path in (partial, partial.with_name(partial.name + "-journal")):
        with contextlib.suppress(OSError):
            path.unlink()


def list_backups(folder: Path) -> list[Backup]:
    """The folder's complete backups, newest first."""
    found: list[Backup] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if not match:
            continue
        try:
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(path, taken, match["kind"], size))
    found.sort(key=lambda b: b.taken, reverse=True)
    return found


def audit_count(backup: Backup) -> int | None:
    """How many audits the backup holds (None when it cannot be read)."""
    try:
        conn = sqlite3.connect(_read_only_uri(backup.path, immutable=True), uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM audits").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def latest_good_backup(folder: Path) -> Backup | None:
    """The newest backup that passes its integrity check."""
    for backup in list_backups(folder):
        try:
            check_backup(backup.path)
        except WorkspaceError:
            continue
        return backup
    return None


def check_backup(path: Path) -> None:
    """Raise BackupError unless `path` is a sound Baseline workspace this version can open."""
    try:
        check_file(path)
        conn = sqlite3.connect(_read_only_uri(path, immutable=True), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.Error, CorruptWorkspaceError) as exc:
        raise BackupError(f"The backup {path.name} cannot be used: {exc}") from None
    if app_id != APPLICATION_ID or not 0 < version <= LATEST_VERSION:
        raise BackupError(f"The backup {path.name} is not a workspace this version can open.")


def rotate(folder: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete backups the policy no longer keeps (see the module docstring); return them."""
    now = now or datetime.now(UTC)
    backups = list_backups(folder)
    keep = {b.path for b in backups[:KEEP_RECENT]}
    days: set[object] = set()
    oldest_day = (now.astimezone() - timedelta(days=KEEP_DAYS - 1)).date()
    for backup in backups:  # newest first: the first seen of a day is that day's newest
        day = backup.taken.astimezone().date()
        if day >= oldest_day and day not in days:
            days.add(day)
            keep.add(backup.path)
    restores = [b for b in backups if b.kind == "before-restore"]
    if restores:
        keep.add(restores[0].path)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    for partial in folder.glob(".*.partial"):  # left by a backup the app was killed during
        with contextlib.suppress(OSError):
            if now.timestamp() - partial.stat().st_mtime > PARTIAL_GRACE_S:
                partial.unlink()
                removed.append(partial)
    return removed


def restore_backup(store: Store, backup: Path, folder: Path) -> Backup:
    """Replace the open workspace's contents with the backup's, in one SQLite transaction.

    The current state is backed up first ("before-restore"), so the restore can itself be
    undone; that backup is returned. A power cut leaves the workspace as before or after.
    """
    check_backup(backup)
    undo = take_backup(store.path, folder, "before-restore", source=store.conn)
    store.restore_from(backup)
    recover_evidence(store.conn, store.path, folder)  # files it lists, deleted since
    return undo


def restore_damaged(workspace: Path, backup: Path) -> Path:
    """Put a backup in place of a damaged workspace file; return where the damaged one went.

    The damaged file cannot take a transaction, so the backup is copied beside it, fsynced,
    and renamed over it (atomic). The damaged file and its write-ahead log are kept as
    `<name>.damaged-<time>` for whoever wants to look at them.
    """
    check_backup(backup)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = workspace.with_name(f"{workspace.name}.damaged-{stamp}")
    incoming = workspace.with_name(f".{workspace.name}.restoring")
    try:
        with contextlib.suppress(FileNotFoundError):
            os.link(workspace, kept)  # the damaged bytes stay, untouched, under a new name
        src = sqlite3.connect(_read_only_uri(backup, immutable=True), uri=True)
        try:
            dst = sqlite3.connect(str(incoming))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync_file(incoming)
        # The damaged file's log must not meet the new file; its chain head record goes
        # with it too (the restored file starts its own, models/chain_anchor.py).
        for suffix in ("-wal", "-shm", ".chain"):
            side = workspace.with_name(workspace.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(incoming, workspace)
        _fsync_dir(workspace.parent)
        restored = sqlite3.connect(_read_only_uri(workspace, immutable=True), uri=True)
        try:  # evidence files it lists that are gone, from the backup folder's copies
            recover_evidence(restored, workspace, backup.parent)
        finally:
            restored.close()
    except (OSError, sqlite3.Error) as exc:
        _discard(incoming)
        raise BackupError(
            f"Could not restore {workspace.name} from {backup.name}: {_why(exc)}."
        ) from exc
    return kept
