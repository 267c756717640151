"""After a bulk write, the write-ahead log is copied into the workspace file on a thread.

SQLite copies committed pages from the log into the database file (a checkpoint) inside
the COMMIT that grows the log past 1,000 pages. After an import of 100,000 rows that is
some 30,000 pages: a fifth of a second the user would wait for with the import already
safe, since the log is synced at commit (synchronous=FULL). SQLite's own advice for this
is to turn the automatic checkpoint off and run it on another thread; readers and
writers carry on meanwhile, and the store waits for it when it closes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class _Workspace(Protocol):
    path: Path
    conn: sqlite3.Connection


_RUNNING: dict[int, threading.Thread] = {}  # id(store) -> its checkpoint thread
_lock = threading.Lock()


@contextlib.contextmanager
def checkpoint_after(store: _Workspace) -> Iterator[None]:
    """No automatic checkpoint in the block's commit; one on a thread once it succeeds.

    Inside a caller's transaction, or when the file is not in WAL mode, nothing changes.
    """
    conn = store.conn
    pages = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    wal = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
    if conn.in_transaction or not wal or pages <= 0:
        yield
        return
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")
    wait_for_checkpoint(store)
    thread = threading.Thread(target=_checkpoint, args=(store.path,), name="wal-checkpoint")
    with _lock:
        _RUNNING[id(store)] = thread
    thread.start()


def wait_for_checkpoint(store: object) -> None:
    """Wait for the store's checkpoint thread, if one is running (before closing it)."""
    with _lock:
        thread = _RUNNING.pop(id(store), None)
    if thread is not None:
        thread.join()


def _checkpoint(path: Path) -> None:
    """Copy the log into the file as far as no reader needs it (PASSIVE: blocks no one)."""
    try:
        # mode=rw: a workspace moved or renamed meanwhile is not made again, empty, at the
        # old path (closing that would delete the log the open store still needs).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5.0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the next automatic checkpoint copies it instead
