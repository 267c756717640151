"""Backups, restore, damaged workspaces and the lock, driven through the real window."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from desktop.cli import main as cli_main
from desktop.main_window import MainWindow
from models.backups import CorruptWorkspaceError, list_backups, take_backup
from models.demo import DemoSize, write_demo
from models.store import Store, WorkspaceWriteError
from models.workspace_lock import LockHolder, lock_path, read_holder
from tests.ui.conftest import DialogScript
from ui.backup_actions import (
    BACKUP_INTERVAL_MS,
    DamagedDialog,
    LockedDialog,
    WorkspaceCheck,
    folder_for,
    open_workspace,
)

ROOT = Path(__file__).resolve().parents[2]
JANE = LockHolder("Jane Smith", "LAPTOP-12", 4242, "2026-12-06T09:14:00+00:00")


def backups() -> Path:
    """The app's backups folder (under BASELINE_DATA_DIR, set for every ui test)."""
    from desktop import paths

    return paths.data_dir() / "backups"


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def names(store: Store) -> list[str]:
    return [d.name for d in store.departments()]


def menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    file_menu = window.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.text() == text)


def damage(path: Path, first_page: int = 2) -> None:
    size, page = path.stat().st_size, 4096
    with path.open("r+b") as fh:
        for n in range(first_page, size // page):
            fh.seek(n * page)
            fh.write(bytes((n * 37 + i) % 251 for i in range(page)))


def make_other(tmp_path: Path, *departments: str) -> Path:
    path = tmp_path / "other.sqlite"
    with Store(path) as store:
        for name in departments:
            store.add_department(name)
    return path


def test_backups_on_open_then_only_when_something_changed(window: MainWindow) -> None:
    assert window.backups.timer.interval() == BACKUP_INTERVAL_MS == 15 * 60 * 1000
    window.backups.start(delay_ms=0)
    window.backups.wait()
    folder = folder_for(window.store.path, window.backup_root)
    assert [b.kind for b in list_backups(folder)] == ["open"]
    window.backups.backup_if_changed()
    window.backups.wait()
    assert len(list_backups(folder)) == 1  # nothing changed: no new backup
    window.store.add_department("Home Office")
    window.backups.backup_if_changed()
    window.backups.wait()
    kinds = [b.kind for b in list_backups(folder)]
    assert kinds == ["interval", "open"]
    assert dump(list_backups(folder)[0].path) == dump(window.store.path)
    window.backups.shutdown()
    assert not window.backups.timer.isActive()


def test_restore_from_backup_lists_dates_and_restores_exactly(
    window: MainWindow, dialogs: DialogScript
) -> None:
    window.store.add_department("Home Office")
    folder = folder_for(window.store.path, window.backup_root)
    old = take_backup(window.store.path, folder, "open")
    expected = dump(window.store.path)
    window.store.add_department("Cabinet Office")
    window.refresh_navigator()
    seen: dict[str, str] = {}

    def pick(dialog: QDialog) -> bool:
        table = dialog.table  # type: ignore[attr-defined]
        seen["rows"] = str(table.rowCount())
        seen["when"] = table.item(0, 0).text()
        seen["audits"] = table.item(0, 3).text()
        table.selectRow(0)
        return True

    dialogs.then(pick)
    menu_action(window, "Restore from &backup…").trigger()
    assert seen == {"rows": "1", "when": old.when, "audits": "0"}
    assert names(window.store) == ["Home Office"]
    assert dump(window.store.path) == expected
    kinds = [b.kind for b in list_backups(folder)]
    assert kinds == ["before-restore", "open"]
    undo = list_backups(folder)[0]
    with Store(undo.path, read_only=True) as before:
        assert names(before) == ["Cabinet Office", "Home Office"]
    window.store.add_department("Written after")  # the window's store goes on working


def test_damaged_workspace_offers_latest_backup_and_is_not_written_before(
    window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    path = make_other(tmp_path, *(f"Department {n}" for n in range(40)))
    folder = folder_for(path, backups())
    take_backup(path, folder, "open", now=None)
    latest = take_backup(path, folder, "interval")
    expected = dump(path)
    damage(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    shown: dict[str, object] = {}

    def restore_latest(dialog: QDialog) -> bool:
        assert isinstance(dialog, DamagedDialog)
        shown["untouched"] = (path.read_bytes(), path.stat().st_mtime_ns) == before
        shown["button"] = dialog.restore_latest.text()
        shown["lock"] = lock_path(path).exists()
        dialog.restore_latest.click()
        return False

    dialogs.then(restore_latest)
    assert window.switch_workspace(path)
    assert shown == {
        "untouched": True,
        "button": f"Restore latest backup from {latest.when}",
        "lock": False,
    }
    assert window.store.path == path and not window.store.read_only
    assert dump(path) == expected
    assert len(window.store.departments()) == 40
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("other.sqlite.damaged-")]
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm", ".chain"))] == [
        before[0]
    ]


def test_damaged_workspace_left_alone_when_the_user_quits(
    window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    path = make_other(tmp_path, *(f"Department {n}" for n in range(40)))
    take_backup(path, folder_for(path, backups()), "open")
    damage(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    files = sorted(p.name for p in tmp_path.iterdir())
    current = window.store

    def quit_(dialog: QDialog) -> bool:
        assert isinstance(dialog, DamagedDialog)
        dialog.quit.click()
        return False

    dialogs.then(quit_)
    assert not window.switch_workspace(path)
    assert window.store is current
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def test_start_up_check_runs_early_and_still_stops_a_damaged_file(
    qtbot, dialogs: DialogScript, tmp_path: Path
) -> None:
    sound = make_other(tmp_path, "Home Office")
    store = open_workspace(
        sound, run_dialog=dialogs, precheck=WorkspaceCheck(sound), backup_root=backups()
    )
    assert store is not None and store.lock is not None
    store.close()
    damage_me = tmp_path / "damaged.sqlite"
    with Store(damage_me) as big:
        for n in range(40):
            big.add_department(f"Department {n}")
    damage(damage_me)
    before = (damage_me.read_bytes(), damage_me.stat().st_mtime_ns)

    def quit_(dialog: QDialog) -> bool:
        assert isinstance(dialog, DamagedDialog)
        dialog.quit.click()
        return False

    dialogs.then(quit_)
    check = WorkspaceCheck(damage_me)
    assert (
        open_workspace(damage_me, run_dialog=dialogs, precheck=check, backup_root=backups()) is None
    )
    assert isinstance(check.problem, CorruptWorkspaceError)
    assert (damage_me.read_bytes(), damage_me.stat().st_mtime_ns) == before
    assert not lock_path(damage_me).exists()


def unexpected(dialog: QDialog) -> bool:
    raise AssertionError(f"unexpected dialog {dialog.windowTitle()!r}")


class GatedCheck(WorkspaceCheck):
    """The start-up check, held back until the test lets it run: a check still running."""

    def __init__(self, path: Path) -> None:
        self.gate = threading.Event()
        super().__init__(path)

    def _run(self) -> None:
        self.gate.wait(10)
        super()._run()


def test_workspace_shown_before_its_check_ends_cannot_be_written_until_it_passes(
    qtbot, tmp_path: Path
) -> None:
    sound = make_other(tmp_path, "Home Office")
    check = GatedCheck(sound)
    store = open_workspace(sound, precheck=check, defer=True, backup_root=backups())
    assert store is not None and check.held is store
    before = dump(sound)
    with pytest.raises(WorkspaceWriteError, match="still being checked for damage"):
        store.add_department("Too soon")
    assert dump(sound) == before
    check.gate.set()
    assert check.settle()
    store.add_department("Cabinet Office")
    assert names(store) == ["Cabinet Office", "Home Office"]
    store.close()


def test_damaged_workspace_found_after_showing_was_never_written(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    with Store(path, durable=False) as big:
        write_demo(big, DemoSize(1, 1, 300, 80), seed=1)
    damage(path, first_page=path.stat().st_size // 4096 * 3 // 4)  # the schema still reads
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    check = GatedCheck(path)
    store = open_workspace(
        path, precheck=check, defer=True, run_dialog=unexpected, backup_root=backups()
    )
    assert store is not None
    with pytest.raises(WorkspaceWriteError):
        store.add_department("Too soon")
    check.gate.set()
    assert not check.settle()
    store.close()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_an_older_damaged_workspace_waits_for_its_check_rather_than_be_upgraded(
    qtbot, tmp_path: Path
) -> None:
    """Opening an older file migrates it, which writes: that open waits for the verdict."""
    import sqlite_utils

    from models.migrations import migrate
    from models.store import opens_untouched

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    migrate(sqlite_utils.Database(conn), 0, target=4)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executemany(
        "INSERT INTO departments VALUES (?, ?, '', '', 'x')",
        [(f"d{i}", f"Department {i} " + "x" * 400) for i in range(400)],
    )
    conn.commit()
    conn.close()
    assert not opens_untouched(path)
    assert opens_untouched(make_other(tmp_path, "Home Office"))
    damage(path, first_page=path.stat().st_size // 4096 // 2)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    check = GatedCheck(path)
    threading.Timer(0.2, check.gate.set).start()  # the check is still running when asked
    shown: list[str] = []

    def quit_(dialog: QDialog) -> bool:
        shown.append(type(dialog).__name__)
        return False

    assert (
        open_workspace(path, precheck=check, defer=True, run_dialog=quit_, backup_root=backups())
        is None
    )
    assert shown == ["DamagedDialog"]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert not path.with_name("old.sqlite.v4.bak").exists()


def test_start_up_offers_the_latest_backup_for_a_damaged_workspace(qtbot, tmp_path: Path) -> None:
    from desktop.app import run_gui
    from desktop.cli import build_parser

    path = make_other(tmp_path, *(f"Department {n}" for n in range(40)))
    latest = take_backup(path, folder_for(path, backups()), "open")
    expected = dump(path)
    damage(path)
    seen: list[str] = []

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, DamagedDialog) and widget.isVisible():
                seen.append(widget.restore_latest.text())
                widget.restore_latest.click()
            elif isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(f"window {len(widget.store.departments())}")
                widget.close()
                return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert run_gui(build_parser().parse_args(["--db", str(path)])) == 0
    assert seen == [f"Restore latest backup from {latest.when}", "window 40"]
    assert dump(path) == expected
    assert not lock_path(path).exists()


def test_workspace_in_use_opens_read_only_naming_who_has_it(
    window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    path = make_other(tmp_path, "Home Office")
    lock_path(path).write_text(json.dumps(JANE.__dict__), encoding="utf-8")
    text: list[str] = []

    def read_only(dialog: QDialog) -> bool:
        assert isinstance(dialog, LockedDialog)
        text.extend(label.text() for label in dialog.findChildren(QLabel))
        return True  # the default button: Open read-only

    dialogs.then(read_only)
    assert window.switch_workspace(path)
    assert any("Jane Smith has it open on LAPTOP-12 since" in t for t in text)
    assert window.store.read_only and window.store.lock is None
    assert window.windowTitle().endswith("(read-only)")
    with pytest.raises(WorkspaceWriteError, match="Jane Smith has it open on LAPTOP-12"):
        window.store.add_department("Cabinet Office")
    assert names(window.store) == ["Home Office"]
    assert read_holder(path) == JANE


def test_workspace_in_use_can_be_taken_over_after_a_warning(
    window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    path = make_other(tmp_path, "Home Office")
    lock_path(path).write_text(json.dumps(JANE.__dict__), encoding="utf-8")
    warned: list[bool] = []

    def take_over(dialog: QDialog) -> bool:
        assert isinstance(dialog, LockedDialog)
        dialog.confirm = lambda: warned.append(True) or True
        dialog.take_over.click()
        return False

    dialogs.then(take_over)
    assert window.switch_workspace(path)
    assert warned == [True]
    assert not window.store.read_only
    holder = read_holder(path)
    assert holder is not None and holder.pid == os.getpid()
    window.store.add_department("Cabinet Office")


def test_failed_backup_warns_and_the_window_carries_on(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "data-is-a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BASELINE_DATA_DIR", str(blocked))
    window.backup_root = blocked / "backups"  # the window's backups folder, as given to it
    window.backups.start(delay_ms=0)
    window.backups.wait()
    assert "Could not back up" in window.backups.last_error
    assert "Backup failed" in window.statusBar().currentMessage()
    window.store.add_department("Home Office")
    assert names(window.store) == ["Home Office"]
    window.backups.shutdown()


def test_cli_write_command_refuses_a_workspace_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_other(tmp_path, "Home Office")
    lock_path(path).write_text(json.dumps(JANE.__dict__), encoding="utf-8")
    before = dump(path)
    assert cli_main(["demo", "--db", str(path), "--departments", "1", "--cycles", "1"]) == 2
    err = capsys.readouterr().err
    assert "Jane Smith has it open on LAPTOP-12" in err and str(path) in err
    assert dump(path) == before


def test_cli_command_on_a_damaged_workspace_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_other(tmp_path, *(f"Department {n}" for n in range(40)))
    damage(path)
    before = path.read_bytes()
    out = tmp_path / "all.xlsx"
    assert cli_main(["export-xlsx", "--db", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "damaged" in err and "Restore it from a backup" in err
    assert path.read_bytes() == before and not out.exists()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_restore_leaves_before_or_after(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for seed, path in ((1, a), (2, b)):
        with Store(path, durable=False) as store:
            write_demo(store, DemoSize(2, 1, 300, 80), seed=seed)
    states = {"A": dump(a), "B": dump(b)}
    assert states["A"] != states["B"]
    workspace = tmp_path / "live.sqlite"
    folder = tmp_path / "backups"
    rng = random.Random(2013)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    landed = set()
    for _ in range(10):
        for stale in (workspace, Path(f"{workspace}-wal"), Path(f"{workspace}-shm")):
            stale.unlink(missing_ok=True)
        with sqlite3.connect(a) as src, sqlite3.connect(workspace) as dst:
            src.backup(dst)
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.ui.restore_driver", *map(str, (workspace, folder, a, b))],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out = proc.communicate(timeout=10)[0]
        assert proc.returncode == -signal.SIGKILL
        landed.add(len(out.splitlines()))
        with Store(workspace, lock=True) as store:  # the dead driver's lock is taken over
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = dump(workspace)
        assert state in (states["A"], states["B"])
        for backup in list_backups(folder):  # a backup cut short is never listed
            with sqlite3.connect(backup.path) as conn:
                assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert len(landed) > 1, "every kill landed at the same point"


def test_new_workspace_never_deletes_one_in_use_or_the_one_open(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_: shown.append(text))
    other = make_other(tmp_path, "Home Office")
    lock_path(other).write_text(json.dumps(JANE.__dict__), encoding="utf-8")
    window.choose_path = lambda *_: other
    window.new_workspace_dialog()
    assert "Jane Smith has it open on LAPTOP-12" in shown[-1]
    assert names(Store(other, read_only=True)) == ["Home Office"]
    window.store.add_department("Mine")
    window.choose_path = lambda *_: window.store.path
    window.new_workspace_dialog()
    assert "is the workspace open now" in shown[-1]
    assert names(window.store) == ["Mine"]
    lock_path(other).unlink()  # nobody has it now: replaced by a new, empty workspace
    window.choose_path = lambda *_: other
    window.new_workspace_dialog()
    assert window.store.path == other and names(window.store) == []


def test_restore_is_refused_while_the_start_up_check_is_running(tmp_path: Path) -> None:
    path = make_other(tmp_path, "Home Office")
    backup = take_backup(path, tmp_path / "backups", "open")
    with Store(path) as store:
        store.add_department("Cabinet Office")
        store.hold_writes(True)
        with pytest.raises(WorkspaceWriteError, match="still being checked for damage"):
            store.restore_from(backup.path)
        assert names(store) == ["Cabinet Office", "Home Office"]


def test_a_verdict_on_a_workspace_switched_away_from_is_ignored(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user opens another workspace before the start-up check of the first has its
    verdict: the window stays on the second, and no lock is left behind."""
    from desktop.app import run_gui
    from desktop.cli import build_parser

    first = tmp_path / "first.sqlite"
    with Store(first, durable=False) as big:
        write_demo(big, DemoSize(1, 1, 300, 80), seed=1)
    damage(first, first_page=first.stat().st_size // 4096 * 3 // 4)  # found only by the check
    second = make_other(tmp_path, "Home Office")
    seen: list[str] = []

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, DamagedDialog) and widget.isVisible():
                seen.append("damaged dialog")
                widget.quit.click()
            elif (
                isinstance(widget, MainWindow) and widget.isVisible() and widget.store.path == first
            ):
                assert widget.switch_workspace(second)
                QTimer.singleShot(600, widget.close)  # the verdict arrives meanwhile
                seen.append("switched")
                return
        QTimer.singleShot(10, drive)

    QTimer.singleShot(0, drive)
    assert run_gui(build_parser().parse_args(["--db", str(first)])) == 0
    assert seen == ["switched"]
    assert not lock_path(first).exists() and not lock_path(second).exists()
