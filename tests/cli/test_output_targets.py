"""No output replaces a database: a mistyped --out or --report never overwrites a workspace.

`import … --report W` and `export-xlsx --out W` used to os.replace the workspace itself
with a CSV or a workbook (attack review A15). Every door that writes a file beside its
target first (exports, import reports, data returns, packages) now refuses a database or
one of the files SQLite and the app keep beside it, before anything is imported or written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from models.filesystem import DatabaseTargetError, refuse_database_target
from models.store import Store
from tests.cli import run
from tests.importers import foreign_files as F


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "work.sqlite"
    assert run(capsys, "demo", "--db", path)[0] == 0
    return path


def _digest(path: Path) -> str:
    with Store(path, lock=False) as store:
        return hashlib.sha256(
            repr(store.conn.execute("SELECT * FROM audits ORDER BY id").fetchall()).encode()
            + repr(store.conn.execute("SELECT count(*) FROM history").fetchone()).encode()
        ).hexdigest()


@pytest.mark.parametrize(
    "argv",
    [
        ("export-xlsx", "--out", "{db}"),
        ("export-xlsx", "--out", "{db}-wal"),
        ("export-xlsx", "--out", "{db}.lock"),
        ("data-return", "--department", "DWP", "--cycle", "2014 review", "--out", "{db}"),
        ("report", "--department", "DWP", "--cycle", "2014 review", "--out", "{db}"),
        ("export-package", "--out", "{db}"),
        ("summary-report", "--cycle", "2014 review", "--out", "{db}"),
        (
            "import",
            str(F.DWP_WMI_CSV),
            "--cycle",
            "2014 review",
            "--whole-department",
            "--report",
            "{db}",
        ),
    ],
)
def test_an_output_naming_the_workspace_is_refused_and_nothing_changes(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    before = _digest(db)
    head = db.read_bytes()[:16]
    status, _out, err = run(capsys, *(a.format(db=db) for a in argv), "--db", db)
    assert status == 2, err
    assert "it was not replaced" in err and "Choose another file name" in err
    assert "Traceback" not in err and "Errno" not in err
    assert db.read_bytes()[:16] == head == b"SQLite format 3\x00"
    assert _digest(db) == before
    assert not list(db.parent.glob(".*.part"))


def test_another_database_is_refused_but_a_workbook_is_replaced(tmp_path: Path) -> None:
    backup = tmp_path / "old.sqlite"
    Store(backup).close()
    with pytest.raises(DatabaseTargetError, match="is a database"):
        refuse_database_target(backup)
    (tmp_path / "old.sqlite-shm").write_bytes(b"x")
    with pytest.raises(DatabaseTargetError, match=r"belongs to the database old\.sqlite"):
        refuse_database_target(tmp_path / "old.sqlite-shm")
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    refuse_database_target(workbook)  # an earlier export is replaced as before
    refuse_database_target(tmp_path / "new.xlsx")
    (tmp_path / "notes.lock").write_text("mine")
    refuse_database_target(tmp_path / "notes.lock")  # no database called 'notes'


def test_the_window_says_the_refusal_as_one_sentence(tmp_path: Path) -> None:
    from ui.workbook_actions import error_text

    workspace = tmp_path / "work.sqlite"
    Store(workspace).close()
    with pytest.raises(DatabaseTargetError) as refused:
        refuse_database_target(workspace)
    said = error_text(refused.value)
    assert said.startswith(f"{workspace} is a database") and said.endswith("file name.")
    assert "Could not write" not in said and "Errno" not in said
