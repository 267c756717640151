"""Headless commands given hostile or careless input: special files, empty workspaces,
escape sequences in outside text, demo data into real work (issue 17, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.terminal import escape
from models.audit_package import write_package
from models.questionnaire import Questionnaire
from models.store import Store

ESC_TITLE = "\x1b]0;pwned\x07Home Office\x1b[2J\u202e"


@pytest.fixture
def hostile_package(tmp_path: Path, questionnaire: Questionnaire) -> Path:
    """A package whose department name carries terminal escapes and a direction override."""
    source = tmp_path / "theirs.sqlite"
    with Store(source) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        # The store cleans names it is given (models/validation.clean_label); a hostile
        # workspace is written round it, as its package would carry them.
        store.conn.execute("UPDATE departments SET name = ? WHERE id = ?", [ESC_TITLE, dept.id])
        store.conn.execute(
            "UPDATE audits SET cycle = ?, department_name = ? WHERE id = ?",
            ["2013 baseline\x1b[31m", ESC_TITLE, audit.id],
        )
        package = tmp_path / "theirs.baseline-package"
        write_package(store, package, [audit.id])
    return package


def test_text_from_a_package_is_printed_escaped(
    hostile_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "mine.sqlite"
    Store(db).close()
    assert main(["merge", str(hostile_package), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "Home Office" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202e" in shown


def test_escape_keeps_ordinary_text_and_lines() -> None:
    assert escape("Ministry of Defence — 2013\n\tcafé") == "Ministry of Defence — 2013\n\tcafé"
    assert escape("a\rb\x9bc\x7f") == "a\\x0db\\u009bc\\u007f"  # \u: valid in JSON


def test_a_fifo_is_refused_at_once_by_merge_and_import(tmp_path: Path) -> None:
    """Before, `merge` given a FIFO waited for a writer for ever."""
    fifo = tmp_path / "pipe.baseline-package"
    os.mkfifo(fifo)
    db = tmp_path / "audits.sqlite"
    Store(db).close()
    for argv in (["merge", str(fifo), "--db", str(db)], ["import", str(fifo), "--db", str(db)]):
        result = subprocess.run(
            [sys.executable, "main.py", *argv],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert result.returncode == 2
        assert "is a named pipe (FIFO), not a file: refused" in result.stderr


def test_a_device_is_refused_as_a_workspace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", os.devnull]) == 2
    assert "is a device, not a file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["verify"],
        ["export-xlsx", "--out", "{tmp}/out.xlsx"],
        ["export-package", "--out", "{tmp}/out.baseline-package"],
        ["demo"],
    ],
)
def test_a_zero_length_file_is_refused_as_not_a_workspace(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main([*args, "--db", str(empty)]) == 2
    assert "is empty (0 bytes), so it is not a Baseline workspace" in capsys.readouterr().err
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"]


def test_demo_refuses_a_workspace_holding_audits_unless_forced(
    tmp_path: Path, questionnaire: Questionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "real.sqlite"
    with Store(db) as store:
        dept = store.add_department("Home Office")
        store.create_audit(dept.id, "2013 baseline", questionnaire)
    small = ["--departments", "1", "--cycles", "1", "--roles", "1", "--workforce", "1"]
    assert main(["demo", "--db", str(db), *small]) == 2
    assert "already holds 1 audit(s)" in capsys.readouterr().err
    with Store(db, read_only=True) as store:
        assert len(store.audits()) == 1
    assert main(["demo", "--db", str(db), *small, "--force"]) == 0
    with Store(db, read_only=True) as store:
        assert len(store.audits()) == 2
