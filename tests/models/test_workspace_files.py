"""Opening files: the wrong file is refused untouched; old workspaces are upgraded with a backup."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from models.migrations import APPLICATION_ID, LATEST_VERSION, migrate
from models.questionnaire import Questionnaire
from models.store import (
    SQLITE_HEADER,
    NewerWorkspaceError,
    NotAWorkspaceError,
    SignedOffError,
    Store,
    WorkspaceError,
    WorkspaceWriteError,
)


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def assert_refused_untouched(path: Path, error: type[WorkspaceError]) -> str:
    """Opening `path` raises `error`; the file's bytes and mtime are as they were."""
    before = snapshot(path)
    with pytest.raises(error) as info:
        Store(path)
    assert snapshot(path) == before
    assert "not been changed" in str(info.value)
    assert str(path) in str(info.value)
    return str(info.value)


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "roles.sqlite"
    path.write_text("post_ref,grade\nDIG-01,SCS2\n", encoding="utf-8")
    message = assert_refused_untouched(path, NotAWorkspaceError)
    assert "not an SQLite database file" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roles.sqlite"]  # no -wal, -shm


def test_short_garbage_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "short.sqlite"
    path.write_bytes(b"\x00\x01\xff")  # shorter than the 16-byte SQLite header
    assert_refused_untouched(path, NotAWorkspaceError)


def test_file_with_sqlite_header_but_garbage_body_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(SQLITE_HEADER + b"\xde\xad\xbe\xef" * 256)
    assert_refused_untouched(path, NotAWorkspaceError)


def test_another_apps_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Siân', '029 2000 0000')")
    conn.commit()
    conn.close()
    message = assert_refused_untouched(path, NotAWorkspaceError)
    assert "not a Baseline workspace" in message
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM contacts").fetchall() == [("Siân",)]
    conn.close()


def test_workspace_from_a_newer_version_is_refused_untouched(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "newer.sqlite"
    with Store(path) as store:
        store.add_department("Home Office")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    message = assert_refused_untouched(path, NewerWorkspaceError)
    assert f"workspace format {LATEST_VERSION + 1}" in message


def test_new_workspace(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "new.sqlite"  # folders are made as needed
    with Store(path) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        created = store.db.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchall()
        assert len(created) == 1
        assert store.backup_path is None
        assert store.warnings == []  # tmp_path is on a local disk


def test_empty_file_becomes_a_workspace(tmp_path: Path) -> None:
    # A zero-length file is what a "save as" dialog leaves behind: nothing to lose.
    path = tmp_path / "empty.sqlite"
    path.touch()
    with Store(path) as store:
        assert store.schema_version == LATEST_VERSION
        store.add_department("Cabinet Office")
    with Store(path) as again:
        assert [d.name for d in again.departments()] == ["Cabinet Office"]


def test_reopening_a_current_workspace_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    Store(path).close()
    with Store(path) as store:
        assert store.backup_path is None
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["current.sqlite", "current.sqlite.chain"]  # the chain head beside it


def write_v1_workspace(path: Path) -> None:
    conn = sqlite3.connect(path)
    migrate(sqlite_utils.Database(conn), 0, target=1)
    conn.execute(
        "INSERT INTO departments (id, name, abbreviation, govuk_id, created_at)"
        " VALUES ('d1', 'Home Office', 'HO', 'home-office', '2013-01-02T00:00:00')"
    )
    conn.execute(
        "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
        " questionnaire_version, status, auditor, created_at, updated_at)"
        " VALUES ('a1', 'd1', 'Home Office', '2013 baseline', 'board-technology-baseline', 1,"
        " 'signed_off', 'P. Okafor', '2013-01-02T00:00:00', '2013-01-03T00:00:00')"
    )
    conn.execute(
        "INSERT INTO answers VALUES ('a1', 'cio_on_board', 'true', '2013-01-03T00:00:00'),"
        " ('a1', 'digital_leader_post', '\"Director General ŵ\"', '2013-01-03T00:00:00')"
    )
    conn.execute(
        "INSERT INTO table_rows VALUES ('r1', 'a1', 'senior_roles', 0,"
        ' \'{"post_ref":"DIG-01","grade":"scs2"}\', \'2013-01-03T00:00:00\')'
    )
    conn.commit()
    conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_version_1_workspace_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    write_v1_workspace(path)
    assert user_version(path) == 1

    with Store(path) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.backup_path == tmp_path / "old.sqlite.v1.bak"
        audit = store.audit("a1")
        assert (audit.department_name, audit.cycle, audit.status, audit.auditor) == (
            "Home Office", "2013 baseline", "signed_off", "P. Okafor",
        )  # fmt: skip
        assert audit.source == ""  # the column version 2 added, with its default
        assert store.answers("a1") == {
            "cio_on_board": True,
            "digital_leader_post": "Director General ŵ",
        }
        assert [(r.id, r.cells) for r in store.rows("a1", "senior_roles")] == [
            ("r1", {"post_ref": "DIG-01", "grade": "scs2"})
        ]
        with pytest.raises(SignedOffError):  # a signed-off audit stays as it was signed
            store.set_comment("a1", "cio_on_board", "Checked against the 2013 minutes")
        assert store.audit("a1").content_hash == store.content_hash("a1")  # taken on upgrade
        store.set_status("a1", "draft", note="reopened to add a comment")
        store.set_comment("a1", "cio_on_board", "Checked against the 2013 minutes")
        assert store.comments("a1") == {"cio_on_board": "Checked against the 2013 minutes"}

    backup = tmp_path / "old.sqlite.v1.bak"
    assert user_version(backup) == 1
    conn = sqlite3.connect(backup)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "comments" not in tables
        # the backup is the file as it was (an SQLite copy, so equal in content, not bytes)
        assert conn.execute("SELECT question_id, value FROM answers ORDER BY 1").fetchall() == [
            ("cio_on_board", "true"),
            ("digital_leader_post", '"Director General ŵ"'),
        ]
        assert conn.execute("SELECT id, cells FROM table_rows").fetchall() == [
            ("r1", '{"post_ref":"DIG-01","grade":"scs2"}')
        ]
    finally:
        conn.close()

    # Opened again, it is already current: no second upgrade, data still there.
    with Store(path) as again:
        assert again.backup_path is None
        assert again.comments("a1") == {"cio_on_board": "Checked against the 2013 minutes"}


# ---------------------------------------------------------------- read-only files


@pytest.fixture
def permissions_apply(tmp_path: Path) -> Iterator[None]:
    """Skip when file permissions do not bind this user (root, or a filesystem without modes)."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        with probe.open("a"):
            pass
    except PermissionError:
        pass
    else:
        pytest.skip("permissions are not enforced for this user (running as root?)")
    finally:
        probe.chmod(0o644)
        probe.unlink()
    yield


def make_workspace(path: Path, questionnaire: Questionnaire) -> str:
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_answer(audit.id, "cio_on_board", True)
    return audit.id


def stored_answers(path: Path, audit_id: str) -> dict[str, object]:
    with Store(path) as store:
        return store.answers(audit_id)


@pytest.mark.usefixtures("permissions_apply")
def test_read_only_file_refuses_writes_and_keeps_data(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "shared.sqlite"
    audit_id = make_workspace(path, questionnaire)
    path.chmod(0o444)
    try:
        with Store(path) as store:
            assert store.answers(audit_id) == {"cio_on_board": True}  # it can still be read
            with pytest.raises(WorkspaceWriteError) as info:
                store.set_answer(audit_id, "cio_on_board", False)
            assert "read-only" in str(info.value)
            assert "Nothing was changed" in str(info.value)
            assert store.answers(audit_id) == {"cio_on_board": True}
    finally:
        path.chmod(0o644)
    assert stored_answers(path, audit_id) == {"cio_on_board": True}


@pytest.mark.usefixtures("permissions_apply")
def test_workspace_in_a_read_only_folder_is_reported_as_read_only(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = folder / "shared.sqlite"
    audit_id = make_workspace(path, questionnaire)
    before = snapshot(path)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        # SQLite cannot make the write-ahead log's files here, so even reading fails. The
        # message must say why, not call a real workspace "not a Baseline workspace".
        with pytest.raises(WorkspaceError) as info:
            Store(path)
        assert not isinstance(info.value, NotAWorkspaceError)
        assert "read-only" in str(info.value)
        assert "Nothing was changed" in str(info.value)
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert snapshot(path) == before
    assert stored_answers(path, audit_id) == {"cio_on_board": True}


def test_a_fifo_or_a_device_is_refused_as_not_a_workspace(tmp_path: Path) -> None:
    """Reading a FIFO's header would wait for a writer for ever."""
    import os

    fifo = tmp_path / "pipe.sqlite"
    os.mkfifo(fifo)
    for path in (fifo, Path(os.devnull), tmp_path):
        for read_only in (False, True):
            with pytest.raises(NotAWorkspaceError, match="not a regular file"):
                Store(path, read_only=read_only)
