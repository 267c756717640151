"""The application shell: command line, remembered state, workspaces that cannot be opened."""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from desktop import app as desktop_app
from desktop.main_window import MainWindow
from models.migrations import LATEST_VERSION
from models.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_help_documents_gui_options_and_demo_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for option in ("--db", "--demo", "--audit", "demo"):
        assert option in result.stdout


def test_demo_command_writes_a_workspace_headlessly(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    result = run_cli("demo", "--db", str(db), "--departments", "3", "--cycles", "2", "--roles", "4")
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert len(store.departments()) == 3
        audits = store.audits()
        assert len(audits) == 6
        assert all(len(store.rows(a.id, "senior_roles")) == 4 for a in audits)


def test_demo_command_refuses_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the board, not a database\n")
    result = run_cli("demo", "--db", str(notes))
    assert result.returncode == 2
    assert "notes.txt" in result.stderr and "not a Baseline workspace" in result.stderr
    assert notes.read_text() == "minutes of the board, not a database\n"


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def test_window_state_and_last_workspace_are_remembered(qtbot, tmp_path: Path) -> None:
    settings_path = str(tmp_path / "settings.ini")
    store = Store(tmp_path / "w.sqlite")
    first = MainWindow(store, QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 503)  # inside the offscreen 800x600 screen
    first.splitter.setSizes([233, 460])
    first.close()  # saves state

    second = MainWindow(store, QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (701, 503)
    assert second.splitter.sizes()[0] == 233
    args = argparse.Namespace(db=None, demo=False)
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    assert desktop_app.choose_workspace(args, settings) == tmp_path / "w.sqlite"
    store.close()


def test_opening_a_bad_file_keeps_the_current_workspace(
    qtbot, window: MainWindow, tmp_path: Path, errors: list[str]
) -> None:
    other = tmp_path / "other-app.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    before = other.read_bytes()
    current = window.store.path
    window.choose_path = lambda *_: other
    window.open_workspace_dialog()
    assert errors and "not a Baseline workspace" in errors[0] and "other-app.sqlite" in errors[0]
    assert window.store.path == current
    assert other.read_bytes() == before


def test_gui_refuses_a_newer_workspace_given_with_db(
    qtbot, tmp_path: Path, errors: list[str]
) -> None:
    db = tmp_path / "future.sqlite"
    Store(db).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    con.close()
    before = db.read_bytes()
    args = argparse.Namespace(db=db, demo=False, audit=None)
    assert desktop_app.run_gui(args) == 2
    assert "newer version" in errors[0]
    assert db.read_bytes() == before


def test_demo_workspace_opens_from_the_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.open_demo_workspace()
    assert window.store.path == tmp_path / "data" / "demo.baseline.sqlite"
    assert window.navigator.tree.rowCount() >= 6
    audits = window.store.audits()
    assert {a.cycle for a in audits} == {"2013 baseline", "2014 review"}
    assert window.navigator.select_audit(audits[-1].id)
    assert window.session is not None and window.session.audit.id == audits[-1].id
