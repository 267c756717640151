"""`baseline verify`: exit 0 when intact, 1 listing problems by audit, 2 when it cannot open;
the workspace file is never changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from desktop.cli import main
from models.migrations import migrate
from models.store import Store
from tests.exporters import demo_copy


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    """A demo workspace file: DWP and HMRC, a 2013 baseline (signed off) and a 2014 review."""
    return demo_copy(demo_file, tmp_path / "audits.sqlite")


def file_state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def shell(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_an_intact_workspace_verifies_ok_and_is_left_as_it_was(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(workspace)
    changes = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    conn.close()
    before = file_state(workspace)
    assert main(["verify", "--db", str(workspace)]) == 0
    out = capsys.readouterr()
    assert out.out == f"OK: 4 audits, {changes:,} recorded changes, chain intact\n"
    assert out.err == ""
    assert file_state(workspace) == before


def test_edits_behind_the_apps_back_are_listed_by_audit_with_exit_1(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(workspace, read_only=True) as store:
        latest = next(a for a in store.audits() if a.status != "signed_off")
        answer = next(iter(store.answers(latest.id)))
    shell(
        workspace,
        f"UPDATE answers SET value = '\"typed in the shell\"' WHERE audit_id = '{latest.id}'"
        f" AND question_id = '{answer}'",
    )
    shell(workspace, "UPDATE history SET who = 'nobody' WHERE seq = 3")
    before = file_state(workspace)
    assert main(["verify", "--db", str(workspace)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{workspace}: 2 problems found")
    lines = out.splitlines()
    heading = lines.index(f"{latest.department_name} — {latest.cycle}")
    changed = next(line for line in lines[heading + 1 :] if f"({answer})" in line)
    assert changed.startswith("  answer to ")
    assert ": changed outside the app (history entry " in changed
    assert 'to "typed in the shell" [' in changed and changed.endswith(" UTC]")
    assert any(
        line.startswith("  history entry 3 (") and "no longer matches its seal" in line
        for line in lines
    )
    assert file_state(workspace) == before


def test_a_missing_file_cannot_be_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.sqlite"
    assert main(["verify", "--db", str(missing)]) == 2
    assert capsys.readouterr().err == f"baseline verify: there is no workspace at {missing}.\n"
    assert not missing.exists()


def test_a_file_that_is_not_a_workspace_cannot_be_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n", encoding="utf-8")
    assert main(["verify", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("baseline verify: ") and str(path) in err
    assert path.read_text(encoding="utf-8") == "not a database\n"


def test_an_old_format_workspace_is_not_upgraded_by_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v4.sqlite"
    conn = sqlite3.connect(path)
    migrate(sqlite_utils.Database(conn), 0, target=4)
    conn.commit()
    conn.close()
    before = file_state(path)
    assert main(["verify", "--db", str(path)]) == 2
    assert "needs upgrading" in capsys.readouterr().err
    assert file_state(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v4.sqlite"]  # no backup made


def test_a_workspace_open_in_the_app_can_be_verified(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(workspace, lock=True):  # the app holds it
        assert main(["verify", "--db", str(workspace)]) == 0
    assert capsys.readouterr().out.startswith("OK: 4 audits")
