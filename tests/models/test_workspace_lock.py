"""One copy writes a workspace: a second is told who has it and may read; stale locks go."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from models.questionnaire import Questionnaire
from models.store import Store, WorkspaceError, WorkspaceWriteError
from models.workspace_lock import (
    LockHolder,
    WorkspaceLock,
    WorkspaceLockedError,
    lock_path,
    read_holder,
)

JANE = LockHolder("Jane Smith", "LAPTOP-12", 4242, "2026-12-06T09:14:00+00:00")


def write_lock(workspace: Path, holder: LockHolder) -> None:
    lock_path(workspace).write_text(json.dumps(holder.__dict__), encoding="utf-8")


def dead_pid() -> int:
    """The id of a process that has ended (a child, reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def workspace(tmp_path: Path, questionnaire: Questionnaire) -> tuple[Path, str]:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_answer(audit.id, "cio_on_board", True)
    return path, audit.id


def test_lock_file_holds_who_and_goes_on_close(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    with Store(path, lock=True) as store:
        assert store.lock is not None and not store.read_only
        holder = read_holder(path)
        assert holder is not None
        assert holder.pid == os.getpid() and holder.host == socket.gethostname()
        assert datetime.fromisoformat(holder.started).tzinfo is not None
    assert not lock_path(path).exists()


def test_second_copy_is_told_who_has_it(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    write_lock(path, JANE)
    before = path.read_bytes()
    with pytest.raises(WorkspaceLockedError) as info:
        Store(path, lock=True)
    assert info.value.holder == JANE
    assert "Jane Smith has it open on LAPTOP-12 since" in str(info.value)
    assert str(path) in str(info.value)
    assert path.read_bytes() == before
    assert read_holder(path) == JANE  # the other copy's lock is left alone


def test_read_only_copy_reads_and_every_write_says_why(
    workspace: tuple[Path, str], questionnaire: Questionnaire
) -> None:
    path, audit_id = workspace
    write_lock(path, JANE)
    with Store(path, read_only=True) as store:
        assert store.read_only is True
        assert store.answers(audit_id) == {"cio_on_board": True}
        writes = [
            lambda: store.set_answer(audit_id, "cio_on_board", False),
            lambda: store.add_department("Cabinet Office"),
            lambda: store.create_audit(store.departments()[0].id, "2014", questionnaire),
            lambda: store.insert_rows(audit_id, "senior_roles", 0, [{"job_title": "CIO"}]),
        ]
        for write in writes:
            with pytest.raises(WorkspaceWriteError) as info:
                write()
            message = str(info.value)
            assert "open read-only" in message
            assert "Jane Smith has it open on LAPTOP-12 since" in message
            assert "Nothing was changed" in message
        assert store.answers(audit_id) == {"cio_on_board": True}
        assert len(store.departments()) == 1
    assert read_holder(path) == JANE


def test_read_only_without_a_lock_says_so(workspace: tuple[Path, str]) -> None:
    path, audit_id = workspace
    with (
        Store(path, read_only=True) as store,
        pytest.raises(WorkspaceWriteError, match="opened read-only"),
    ):
        store.set_answer(audit_id, "cio_on_board", False)
    assert not lock_path(path).exists()


def test_stale_lock_on_this_computer_is_taken_over(workspace: tuple[Path, str]) -> None:
    path, audit_id = workspace
    write_lock(path, LockHolder("Crashed", socket.gethostname(), dead_pid(), JANE.started))
    with Store(path, lock=True) as store:
        store.set_answer(audit_id, "cio_on_board", False)
        holder = read_holder(path)
        assert holder is not None and holder.pid == os.getpid()
    assert not lock_path(path).exists()


def test_live_lock_on_this_computer_is_respected(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    alive = LockHolder("Other window", socket.gethostname(), os.getppid(), JANE.started)
    write_lock(path, alive)
    with pytest.raises(WorkspaceLockedError):
        Store(path, lock=True)


def test_take_over_replaces_the_other_lock(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    write_lock(path, JANE)
    claim = WorkspaceLock.acquire(path, take_over=True)
    with Store(path, lock=True):
        holder = read_holder(path)
        assert holder is not None and holder.pid == os.getpid()
        claim.release()
        assert lock_path(path).exists()  # still held by the store
    assert not lock_path(path).exists()


def test_garbled_old_lock_file_is_taken_over(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    lock_path(path).write_text("{not json", encoding="utf-8")
    old = datetime(2020, 1, 1).timestamp()
    os.utime(lock_path(path), (old, old))
    with Store(path, lock=True):
        assert read_holder(path) is not None


def test_two_processes_racing_get_one_lock(workspace: tuple[Path, str]) -> None:
    path, _ = workspace
    code = (
        "import sys, time; from models.workspace_lock import WorkspaceLock, WorkspaceLockedError\n"
        "try:\n"
        f"    lock = WorkspaceLock.acquire({str(path)!r})\n"
        "except WorkspaceLockedError:\n"
        "    print('refused', flush=True); sys.exit(0)\n"
        "print('got', flush=True); time.sleep(1.0); lock.release()\n"
    )
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outcomes = sorted(p.communicate(timeout=30)[0].strip() for p in procs)
    assert outcomes == ["got", "refused", "refused", "refused"]
    assert not lock_path(path).exists()


def test_since_reads_as_a_clock_today_and_a_date_otherwise() -> None:
    now = datetime.fromisoformat("2026-12-06T12:00:00+00:00").astimezone()
    today = LockHolder("J", "H", 1, now.replace(hour=9, minute=14).isoformat())
    assert today.describe(now) == "J has it open on H since 09:14"
    older = LockHolder("J", "H", 1, now.replace(day=5, hour=9, minute=14).isoformat())
    assert older.since(now) == "5 Dec 09:14"


def test_the_lock_holds_through_a_symlink(workspace: tuple[Path, str], tmp_path: Path) -> None:
    """Opening the same file by a symlink (here from another folder) meets the same lock."""
    path, _ = workspace
    write_lock(path, JANE)
    other = tmp_path / "elsewhere"
    other.mkdir()
    link = other / "shortcut.sqlite"
    link.symlink_to(path)
    with pytest.raises(WorkspaceLockedError, match="Jane Smith"):
        WorkspaceLock.acquire(link)
    with pytest.raises(WorkspaceLockedError):
        Store(link, lock=True)
    assert lock_path(link) == lock_path(path)
    assert not (other / "shortcut.sqlite.lock").exists()


def test_a_hard_linked_workspace_is_refused_for_writing(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    """A hard link is the same file (device and inode) under another name: no lock file
    beside one name covers the other, and SQLite's log is kept by name, so writing through
    either name is refused, with nothing changed; reading stays possible."""
    path, audit_id = workspace
    write_lock(path, JANE)
    twin = tmp_path / "twin.sqlite"
    os.link(path, twin)
    before = path.read_bytes()
    for name in (twin, path):
        with pytest.raises(WorkspaceError, match="hard link"):
            WorkspaceLock.acquire(name)
        with pytest.raises(WorkspaceError, match="hard link"):
            Store(name, lock=True)
        with pytest.raises(WorkspaceError, match="hard link"):
            Store(name)
    assert path.read_bytes() == before
    with Store(twin, read_only=True) as store:
        assert store.answer(audit_id, "cio_on_board") is True
    twin.unlink()
    lock_path(path).unlink()
    Store(path, lock=True).close()  # one name again: opens as before
