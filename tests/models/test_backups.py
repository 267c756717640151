"""Backups are complete and rotated; restore is exact and undoable; damage is caught on open."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.backups import (
    KEEP_RECENT,
    BackupError,
    CorruptWorkspaceError,
    audit_count,
    backup_folder,
    latest_good_backup,
    list_backups,
    restore_backup,
    restore_damaged,
    rotate,
    take_backup,
)
from models.questionnaire import Questionnaire
from models.store import SQLITE_HEADER, NotAWorkspaceError, Store


def dump(path: Path) -> list[str]:
    """Everything in the workspace, as SQL text: equal dumps mean equal contents."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def make_workspace(path: Path, questionnaire: Questionnaire, departments: list[str]) -> None:
    with Store(path) as store:
        for name in departments:
            dept = store.add_department(name)
            audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
            store.set_answer(audit.id, "digital_leader_post", f"CDO of {name}")


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file with garbage, as a failing disk would."""
    size = path.stat().st_size
    page = 4096
    assert size >= 4 * page, "the workspace is too small to damage in the middle"
    with path.open("r+b") as fh:
        for n in range(2, size // page):
            fh.seek(n * page)
            fh.write(bytes((n * 37 + i) % 251 for i in range(page)))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups" / "audits-1234"


def test_backup_is_a_complete_standalone_copy(
    tmp_path: Path, folder: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office", "HM Treasury"])
    with Store(path) as store:  # open, with a write-ahead log, while backing up
        store.add_department("Cabinet Office")
        backup = take_backup(path, folder, "open")
        assert dump(backup.path) == dump(path)
    assert backup.kind == "open" and backup.size == backup.path.stat().st_size
    assert audit_count(backup) == 2
    assert sorted(p.name for p in folder.iterdir()) == [backup.path.name]  # no -wal, no partial
    assert backup.path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file


def test_backups_are_listed_newest_first_with_dates(
    tmp_path: Path, folder: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office"])
    start = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    for minutes, kind in ((0, "open"), (15, "interval"), (30, "interval")):
        take_backup(path, folder, kind, now=start + timedelta(minutes=minutes))
    listed = list_backups(folder)
    assert [(b.taken, b.kind) for b in listed] == [
        (start + timedelta(minutes=30), "interval"),
        (start + timedelta(minutes=15), "interval"),
        (start, "open"),
    ]
    local = start.astimezone()
    assert listed[2].when.endswith(local.strftime("%b %Y %H:%M:%S"))
    assert listed[2].kind_text == "on opening"


def test_rotation_keeps_recent_ones_and_one_a_day_for_a_week(
    tmp_path: Path, folder: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office"])
    first = take_backup(path, folder, "open", now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    template = first.path.read_bytes()
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    made = []
    for days_ago in range(12):  # two a day for twelve days, and the undo of a restore
        for hour in (9, 17):
            when = now - timedelta(days=days_ago, hours=12 - hour + 12)
            name = f"{when.strftime('%Y%m%dT%H%M%S%fZ')}-interval.sqlite"
            (folder / name).write_bytes(template)
            made.append(when)
    undo_name = "20261115T100000000000Z-before-restore.sqlite"
    (folder / undo_name).write_bytes(template)
    abandoned, writing = folder / ".a.sqlite.partial", folder / ".b.sqlite.partial"
    abandoned.write_bytes(b"cut short")
    writing.write_bytes(b"being written")
    old = (now - timedelta(hours=2)).timestamp()
    os.utime(abandoned, (old, old))
    os.utime(writing, (now.timestamp(), now.timestamp()))
    rotate(folder, now=now)
    assert not abandoned.exists() and writing.exists()
    kept = list_backups(folder)
    recent = sorted(made, reverse=True)[:KEEP_RECENT]
    kept_times = {b.taken for b in kept}
    assert set(recent) <= kept_times
    days = {b.taken.astimezone().date() for b in kept if b.kind == "interval"}
    week = {(now - timedelta(days=d)).astimezone().date() for d in range(7)}
    assert week <= days | {now.astimezone().date()}
    assert all(b.taken.astimezone().date() >= min(week) for b in kept if b.kind != "before-restore")
    assert [b.path.name for b in kept if b.kind == "before-restore"] == [undo_name]
    assert len(kept) <= KEEP_RECENT + 7 + 1


def test_restore_is_exact_and_can_be_undone(
    tmp_path: Path, folder: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office", "HM Treasury"])
    before = dump(path)
    backup = take_backup(path, folder, "open")
    with Store(path) as store:
        store.add_department("Cabinet Office")
        store.set_answer(store.audits()[0].id, "digital_leader_post", "Changed")
        after = dump(path)
        assert after != before
        undo = restore_backup(store, backup.path, folder)
        assert [d.name for d in store.departments()] == ["HM Treasury", "Home Office"]
        store.add_department("Written after the restore")  # the store goes on working
    assert dump(undo.path) == after
    assert undo.kind == "before-restore"
    with Store(path) as store:
        assert {d.name for d in store.departments()} == {
            "HM Treasury",
            "Home Office",
            "Written after the restore",
        }
        restore_backup(store, undo.path, folder)
    assert dump(path) == after
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_damaged_workspace_is_refused_untouched_and_restored_from_latest_good_backup(
    tmp_path: Path, folder: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, [f"Department {n}" for n in range(30)])
    good = take_backup(path, folder, "open", now=datetime(2026, 12, 5, 9, tzinfo=UTC))
    newer = take_backup(path, folder, "interval", now=datetime(2026, 12, 5, 10, tzinfo=UTC))
    damage(newer.path)  # the newest backup is damaged too: it must be skipped
    expected = dump(path)
    damage(path)
    before = snapshot(path)
    files = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CorruptWorkspaceError) as info:
        Store(path, lock=True)
    assert isinstance(info.value, NotAWorkspaceError)  # callers that catch that still do
    assert str(path) in str(info.value) and "not been changed" in str(info.value)
    assert snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no lock file left either
    latest = latest_good_backup(folder)
    assert latest is not None and latest.path == good.path
    kept = restore_damaged(path, latest.path)
    assert kept.read_bytes() == before[0]  # the damaged file is kept as it was
    assert dump(path) == expected
    with Store(path) as store:
        assert len(store.departments()) == 30


def test_file_with_the_header_that_sqlite_cannot_read_counts_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "audits.sqlite"
    path.write_bytes(SQLITE_HEADER + b"\xde\xad\xbe\xef" * 256)
    before = snapshot(path)
    with pytest.raises(CorruptWorkspaceError):
        Store(path)
    assert snapshot(path) == before


def test_damaged_workspace_is_refused_read_only_too(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, [f"Department {n}" for n in range(30)])
    damage(path)
    before = snapshot(path)
    with pytest.raises(CorruptWorkspaceError):
        Store(path, read_only=True)
    assert snapshot(path) == before


def test_backup_where_it_cannot_be_written_is_reported_not_raised_raw(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office"])
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be", encoding="utf-8")
    with pytest.raises(BackupError) as info:
        take_backup(path, blocked / "audits", "open")
    assert "The workspace itself is unaffected" in str(info.value)
    with Store(path) as store:
        assert [d.name for d in store.departments()] == ["Home Office"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_backup_into_a_read_only_folder_is_reported(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    make_workspace(path, questionnaire, ["Home Office"])
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(BackupError, match="read-only"):
            take_backup(path, folder, "open")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_backup_folder_is_per_workspace(tmp_path: Path) -> None:
    root = tmp_path / "backups"
    one = backup_folder(root, tmp_path / "a" / "audits.sqlite")
    two = backup_folder(root, tmp_path / "b" / "audits.sqlite")
    assert one != two and one.parent == root and one.name.startswith("audits-")
    assert backup_folder(root, tmp_path / "a" / "audits.sqlite") == one


def test_a_read_of_a_damaged_page_is_told_apart_from_other_errors(tmp_path: Path) -> None:
    import sqlite3

    from models.backups import is_damaged_read

    path = tmp_path / "w.sqlite"
    with Store(path) as store:
        for n in range(400):  # names within the 200-character limit, pages enough to damage
            store.add_department(f"Department {n} " + "x" * 150)
    with path.open("r+b") as fh:  # scramble every page after the schema
        size = path.stat().st_size
        for page in range(2, size // 4096):
            fh.seek(page * 4096)
            fh.write(bytes(4096))
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            conn.execute("SELECT name FROM departments ORDER BY name").fetchall()
    finally:
        conn.close()
    assert is_damaged_read(caught.value)
    assert not is_damaged_read(ValueError("not the file's fault"))
