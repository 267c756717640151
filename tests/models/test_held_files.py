"""The open workspace keeps its SQLite lock whatever else in the process reads the file.

POSIX record locks belong to the process: closing any descriptor of the file drops them.
Another process's connection closing last would then checkpoint the write-ahead log and
delete it under the open store, whose later commits would be lost on a crash. Each test
does something the app does in-process while a store is open (a second Store for a
background task, a damage check, a backup, reading the chain head, a read-only store), then
lets another process open and close the workspace, and checks the log is still there and
the store's next commit reaches the file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.backups import check_backup, check_file, check_workspace, take_backup
from models.chain_anchor import read_anchor
from models.held_files import read_head
from models.store import Store
from models.store_base import _inspect, opens_untouched

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX record locks")

_OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM audits").fetchone()
conn.close()
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "work.sqlite"
    with Store(path) as first:
        first.add_department("Department for Work and Pensions", "DWP")
    opened = Store(path)
    try:
        yield opened
    finally:
        opened.close()


def _other_process_opens_and_closes(path: Path) -> None:
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS, str(path)], check=True, timeout=60)


def _second_store(store: Store) -> None:
    Store(store.path, lock=False).close()  # as a background task opens its own


def _read_only_store(store: Store) -> None:
    Store(store.path, read_only=True, lock=False).close()


def _checks(store: Store) -> None:
    check_workspace(store.path)
    check_file(store.path)
    check_backup(store.path)
    _inspect(store.path)
    opens_untouched(store.path)
    assert read_head(store.path, 6) == b"SQLite"


def _backup(store: Store) -> None:
    take_backup(store.path, store.path.parent / "backups", "manual")


def _anchor(store: Store) -> None:
    read_anchor(str(store.path))


def _nothing(store: Store) -> None:
    """The control: the other process alone leaves the open store's log."""


@pytest.mark.parametrize(
    "action", [_nothing, _second_store, _read_only_store, _checks, _backup, _anchor]
)
def test_the_open_store_keeps_its_log(store: Store, action: Callable[[Store], None]) -> None:
    wal = store.path.with_name(store.path.name + "-wal")
    store.add_department("HM Revenue and Customs", "HMRC")
    assert wal.exists()
    action(store)
    _other_process_opens_and_closes(store.path)
    assert wal.exists(), "another process deleted the open store's write-ahead log"
    store.add_department("Home Office", "HO")
    seen = sqlite3.connect(store.path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = {r[0] for r in seen.execute("SELECT abbreviation FROM departments")}
    finally:
        seen.close()
    assert {"DWP", "HMRC", "HO"} <= names
