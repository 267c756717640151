"""Only one copy of the app writes a workspace: a lock file next to it says who has it open.

`<name>.lock` (for `audits.sqlite`, `audits.sqlite.lock`) holds JSON: user, host, pid and
when it was opened. It is created with O_CREAT|O_EXCL, so of two copies starting at once
only one gets it, and removed when the workspace is closed. A lock left by a copy that
died (same computer, its process gone) is taken over silently; a lock from another
computer is reported with its details, since this computer cannot tell whether that copy
is still running. Within one process the lock is counted, so the same copy may open the
workspace twice (switching to the file already open) without locking itself out.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.store import WorkspaceError, WorkspaceWriteError


def _hostname() -> str:
    """This computer's name; os.uname where there is one, so start-up skips socket."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # pragma: no cover - Windows

    return socket.gethostname()  # pragma: no cover - Windows


UNREADABLE_GRACE_S = 5.0  # a lock file still being written by a copy starting right now


@dataclass(frozen=True)
class LockHolder:
    """Who has a workspace open: shown to the next person who tries to open it."""

    user: str
    host: str
    pid: int
    started: str  # ISO 8601 with time zone

    def since(self, now: datetime | None = None) -> str:
        """'09:14' today, else '5 Dec 09:14', in this computer's local time."""
        try:
            when = datetime.fromisoformat(self.started).astimezone()
        except ValueError:
            return "an unknown time"
        today = (now or datetime.now().astimezone()).date()
        clock = when.strftime("%H:%M")
        if when.date() == today:
            return clock
        return f"{when.day} {when.strftime('%b')} {clock}"

    def describe(self, now: datetime | None = None) -> str:
        """'Jane Smith has it open on LAPTOP-12 since 09:14'."""
        return f"{self.user} has it open on {self.host} since {self.since(now)}"


class WorkspaceLockedError(WorkspaceError):
    """Another copy of the app has the workspace open for writing."""

    def __init__(self, workspace: Path, holder: LockHolder) -> None:
        self.workspace = workspace
        self.holder = holder
        super().__init__(
            f"{workspace} is in use: {holder.describe()} (process {holder.pid}). "
            "Close it there first, or open it read-only. Nothing was changed."
        )


def lock_path(workspace: Path) -> Path:
    """The lock beside the file itself: through a symlink, beside what it points to."""
    real = Path(os.path.realpath(workspace))
    return real.with_name(real.name + ".lock")


class HardLinkedError(WorkspaceError):
    """The workspace file has more than one name: a lock beside one name would not cover it."""


def check_single_name(workspace: Path) -> None:
    """Refuse a workspace file with other names (hard links) before writing to it.

    The lock sits beside the file's real path, so it holds against symlinks; a hard link
    is another path to the same file (same device and inode) that no lock file beside
    either name can cover, and SQLite keeps its write-ahead log by name, so two copies
    writing through two names damage the file ("database disk image is malformed").
    """
    try:
        info = os.stat(workspace)
    except OSError:
        return  # not there yet: a new file has one name
    if info.st_nlink > 1:
        raise HardLinkedError(
            f"{workspace} cannot be opened for writing: the same file also has "
            f"{info.st_nlink - 1} other name(s) (a hard link, device {info.st_dev}, file "
            f"{info.st_ino}), and writing through two names at once damages it. Make a copy "
            "with its own name (or remove the other names) and open that. Nothing was changed."
        )


def _display_name() -> str:
    """The user's full name where the system knows it, else their login name."""
    login = "unknown user"
    with contextlib.suppress(Exception):
        login = getpass.getuser()
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        size = ctypes.c_ulong(256)
        buffer = ctypes.create_unicode_buffer(256)
        windll = getattr(ctypes, "windll", None)
        name_display = 3
        if windll is not None and windll.secur32.GetUserNameExW(
            name_display, buffer, ctypes.byref(size)
        ):
            return str(buffer.value) or login
        return login
    with contextlib.suppress(Exception):
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    return login


def this_copy() -> LockHolder:
    """This process, as a lock file records it."""
    return LockHolder(
        user=_display_name(),
        host=_hostname(),
        pid=os.getpid(),
        started=datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
    )


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def read_holder(workspace: Path) -> LockHolder | None:
    """Who holds the workspace's lock file, or None when there is none (or it is unreadable)."""
    try:
        return _parse(lock_path(workspace).read_text(encoding="utf-8"))
    except OSError:
        return None


def _parse(text: str) -> LockHolder | None:
    try:
        data = json.loads(text)
        return LockHolder(
            str(data["user"]), str(data["host"]), int(data["pid"]), str(data["started"])
        )
    except (ValueError, KeyError, TypeError):
        return None


def is_stale(holder: LockHolder, me: LockHolder) -> bool:
    """Left by a copy on this computer that is no longer running."""
    return holder.host == me.host and holder.pid != me.pid and not pid_alive(holder.pid)


_held: dict[Path, int] = {}  # lock files this process holds, and how many times
_held_guard = threading.Lock()


class WorkspaceLock:
    """This copy's claim to write a workspace; `release()` (or Store.close) gives it up."""

    def __init__(self, workspace: Path, holder: LockHolder, *, counted: bool = True) -> None:
        self.workspace = workspace
        self.path = lock_path(workspace)
        self.holder = holder
        self._counted = counted
        self._released = False

    @classmethod
    def acquire(
        cls, workspace: Path | str, *, take_over: bool = False, me: LockHolder | None = None
    ) -> WorkspaceLock:
        """Take the lock, or raise WorkspaceLockedError naming who has it.

        `take_over` removes another copy's lock (the user has been warned that two copies
        writing at once lose each other's changes). `me` stands in for this process in
        tests. Raises WorkspaceError when the folder does not allow a lock file.
        """
        workspace = Path(workspace)
        check_single_name(workspace)
        real = me is None  # only this process's own locks are counted
        me = me or this_copy()
        path = lock_path(workspace)
        key = path.resolve()
        with _held_guard:
            if real and key in _held:
                _held[key] += 1
                return cls(workspace, me)
        deadline = time.monotonic() + 2.0
        while True:
            try:
                _create(path, me)
                break
            except FileExistsError:
                pass
            except OSError as exc:
                raise WorkspaceError(
                    f"Cannot open {workspace} for writing: its folder does not allow a lock "
                    f"file ({exc.strerror or exc}). Nothing was changed."
                ) from None
            holder = read_holder(workspace)
            if holder is None:
                if _young(path) and time.monotonic() < deadline:
                    time.sleep(0.05)  # another copy is writing its lock file right now
                    continue
                _remove_if_unchanged(path, None)  # empty or garbled, left by a crash
                continue
            if holder.host == me.host and holder.pid == me.pid:
                _remove_if_unchanged(path, holder)  # ours, left by a store never closed
                continue
            if take_over or is_stale(holder, me):
                _remove_if_unchanged(path, holder)
                continue
            raise WorkspaceLockedError(workspace, holder)
        if real:
            with _held_guard:
                _held[key] = 1
        return cls(workspace, me, counted=real)

    def release(self) -> None:
        """Give the lock up (the last release in this process removes the file)."""
        if self._released:
            return
        self._released = True
        if self._counted:
            key = self.path.resolve()
            with _held_guard:
                count = _held.get(key, 0) - 1
                if count > 0:
                    _held[key] = count
                    return
                _held.pop(key, None)
        holder = read_holder(self.workspace)
        if holder is not None and (holder.host, holder.pid) == (self.holder.host, self.holder.pid):
            with contextlib.suppress(OSError):
                self.path.unlink()  # only our own: after a take-over the file is theirs


def _create(path: Path, me: LockHolder) -> None:
    """The lock file, made atomically: of two copies, exactly one succeeds."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        os.write(fd, json.dumps(asdict(me), ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _young(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < UNREADABLE_GRACE_S
    except OSError:
        return False


def _remove_if_unchanged(path: Path, seen: LockHolder | None) -> None:
    """Remove a lock file we judged stale, unless another copy replaced it meanwhile.

    The file is first renamed aside (only one copy can rename a given file), then checked:
    if it is not the one judged, it is put back.
    """
    aside = path.with_name(f"{path.name}.{os.getpid()}.{time.monotonic_ns()}.old")
    try:
        os.rename(path, aside)
    except OSError:
        return  # gone already: someone else removed it
    try:
        got = _parse(aside.read_text(encoding="utf-8"))
    except OSError:
        got = None
    if got != seen:
        with contextlib.suppress(OSError):
            os.link(aside, path)  # fails if a newer lock exists: then that one stands
    with contextlib.suppress(OSError):
        aside.unlink()


class ReadOnlyConnection(sqlite3.Connection):
    """A read-only workspace connection: a write attempt raises WorkspaceWriteError saying why
    the workspace is read-only, rather than SQLite's bare "attempt to write a readonly database".
    """

    reason = "it was opened read-only"

    def _refuse(self, exc: sqlite3.OperationalError) -> WorkspaceWriteError:
        return WorkspaceWriteError(
            f"This workspace is open read-only: {self.reason}. Nothing was changed."
        )

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).lower():
                raise
            raise self._refuse(exc) from exc

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).lower():
                raise
            raise self._refuse(exc) from exc


def remove_workspace(workspace: Path) -> None:
    """Delete a workspace file (and its -wal and -shm) to start a new one in its place,
    only while holding its lock: a file another copy has open is refused, not deleted."""
    lock = WorkspaceLock.acquire(workspace)
    try:
        for path in (workspace, *(workspace.with_name(workspace.name + s) for s in _SIDECARS)):
            path.unlink(missing_ok=True)
    finally:
        lock.release()


_SIDECARS = ("-wal", "-shm")
