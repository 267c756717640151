"""A big import's pages reach the workspace file after its commit, on a thread of their own,
and the file holds every row once the store has closed."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from models.foreign_imports import BIG_IMPORT, AuditRows, ImportSource, apply_rows
from models.questionnaire import current_questionnaire
from models.store import Store
from models.verify import verify
from models.wal_checkpoint import checkpoint_after, wait_for_checkpoint

SOURCE = ImportSource("return.xlsx", "cd" * 32, "test-layout", "Workforce")


def _rows(count: int) -> list[tuple[dict[str, Any], int, dict[str, Any]]]:
    return [
        ({"profession_family": "data", "headcount": i}, i + 2, {"unit": "U"}) for i in range(count)
    ]


def test_the_commit_inside_leaves_the_pages_in_the_log_and_the_thread_copies_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ws.sqlite"
    with Store(path) as store:
        store.add_department("Home Office", "HO")
        before = path.stat().st_size
        with checkpoint_after(store):
            with store.transaction():
                store.conn.execute("CREATE TABLE filler (x TEXT)")
                store.conn.executemany(
                    "INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(20_000)]
                )
            # Committed, 2,500 pages in the log, and none of them copied by the commit.
            assert path.stat().st_size == before
            assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        wait_for_checkpoint(store)
        assert path.stat().st_size > before + 20_000 * 500
        busy, log, copied = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, log) == (0, copied)


def test_a_failed_block_starts_no_checkpoint_and_restores_the_setting(tmp_path: Path) -> None:
    with Store(tmp_path / "ws.sqlite") as store:
        with pytest.raises(KeyError), checkpoint_after(store), store.transaction():
            store.conn.execute("CREATE TABLE filler (x TEXT)")
            raise KeyError("stop")
        assert not [t for t in threading.enumerate() if t.name == "wal-checkpoint"]
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        assert store.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'filler'"
        ).fetchone() == (0,)


def test_a_big_import_commits_without_the_checkpoint_and_the_file_holds_it_after_close(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ws.sqlite"
    questionnaire = current_questionnaire()
    statements: list[str] = []
    with Store(path) as store:
        dept = store.add_department("Home Office", "HO").id
        store.conn.set_trace_callback(statements.append)
        batch = AuditRows("workforce_mix", dept, "2025", None, _rows(BIG_IMPORT))
        audit = apply_rows(store, questionnaire, SOURCE, [batch])[0].audit_id
        store.conn.set_trace_callback(None)
        commit = statements.index("COMMIT")
        assert "PRAGMA wal_autocheckpoint = 0" in statements[:commit]
        assert "PRAGMA wal_autocheckpoint = 1000" in statements[commit:]
        assert verify(store).ok
    assert not [t for t in threading.enumerate() if t.name == "wal-checkpoint"]
    assert not path.with_name(path.name + "-wal").exists()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT count(*) FROM table_rows WHERE audit_id = ?", [audit]
        ).fetchone()
    finally:
        conn.close()
    assert found == (BIG_IMPORT,)


def test_a_small_import_checkpoints_as_sqlite_always_does(tmp_path: Path) -> None:
    statements: list[str] = []
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Home Office", "HO").id
        store.conn.set_trace_callback(statements.append)
        batch = AuditRows("workforce_mix", dept, "2025", None, _rows(10))
        apply_rows(store, current_questionnaire(), SOURCE, [batch])
        store.conn.set_trace_callback(None)
    assert not [s for s in statements if "wal_autocheckpoint" in s]


def test_a_workspace_moved_meanwhile_is_not_made_again_at_its_old_path(tmp_path: Path) -> None:
    """The thread opens the file only if it is there: an empty database made at the old path
    would take the log with it when closed, and with it what the open store committed."""
    from models import wal_checkpoint

    path = tmp_path / "w.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    conn.commit()
    path.rename(tmp_path / "moved.sqlite")
    wal_checkpoint._checkpoint(path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "w.sqlite" not in names and "w.sqlite-wal" in names  # the log is still there
    conn.close()
