"""Workspace files read without dropping this process's SQLite locks on them.

POSIX record locks belong to a process and a file, not to a descriptor: closing any
descriptor of a file drops every lock the process holds on it (sqlite.org/howtocorrupt.html,
section 2.2). SQLite keeps its own descriptors open for that reason, but a plain open()
and close() of the workspace elsewhere in the app (to read its header, fsync or copy it),
or an `immutable=1` connection (which SQLite closes without that care), dropped the open
store's lock; another process's connection closing last could then checkpoint the
write-ahead log and delete it under the open store, whose later commits were lost on a
crash. So every file a Store has opened in this process is read here through one
descriptor kept open until the process ends, and never connected to as immutable.
Windows locks belong to the handle, so nothing is kept there.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

_KEEPS = os.name == "posix"
_kept: dict[tuple[int, int], int] = {}  # (device, inode) -> a descriptor never closed
_guard = threading.Lock()


def _key(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def hold(path: Path) -> None:
    """Called by Store on opening: from now on this file is read through a kept descriptor."""
    if not _KEEPS:
        return
    key = _key(path)
    if key is None:
        return
    with _guard:
        if key in _kept:
            return
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != key:  # replaced meanwhile
            os.close(fd)  # not a file this process holds locks on
            return
        _kept[key] = fd


def _held(path: Path) -> int | None:
    key = _key(path) if _KEEPS else None
    if key is None:
        return None
    with _guard:
        return _kept.get(key)


def is_held(path: Path) -> bool:
    """True when a Store in this process has opened this very file."""
    return _held(path) is not None


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of the file (fewer if it is shorter)."""
    fd = _held(path)
    if fd is None:
        with path.open("rb") as fh:
            return fh.read(size)
    return os.pread(fd, size, 0)


def fsync_file(path: Path) -> None:
    """Flush the file to disk."""
    fd = _held(path)
    if fd is not None:
        os.fsync(fd)
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(path: Path, target: Path) -> None:
    """Copy the file's bytes to `target` (a plain copy: SQLite's backup is preferred)."""
    fd = _held(path)
    if fd is None:
        shutil.copy2(path, target)
        return
    with target.open("wb") as out:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            out.write(chunk)
            offset += len(chunk)
    shutil.copystat(path, target)


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """A URI opening the file read-only; immutable (no locks, no -shm) only if no Store in
    this process has it open, since closing an immutable connection drops their locks."""
    uri = path.resolve().as_uri() + "?mode=ro"
    # On read-only media nothing holds a write lock, and a WAL's -shm cannot be made there.
    writable = os.access(path, os.W_OK)
    return uri + "&immutable=1" if immutable and not (is_held(path) and writable) else uri
