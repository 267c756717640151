"""--json on import, merge and verify; batch reports; the progress bar only on a terminal."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import sqlite3
import sys
from pathlib import Path

import pytest

from desktop.cli_progress import Bar
from tests.cli import run, run_json
from tests.exporters import dump_workspace
from tests.importers import foreign_files as F

CYCLE = "2015 review"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """DWP and HMRC, each with a draft audit for the 2015 review holding one answer."""
    path = tmp_path / "audits.sqlite"
    assert run(capsys, "new", "--db", path)[0] == 0
    for dept in ("DWP", "HMRC"):
        assert run(capsys, "department", "add", dept, "--db", path)[0] == 0
        which = ("--db", path, "--department", dept, "--cycle", CYCLE)
        assert run(capsys, "audit", "new", *which)[0] == 0
        assert run(capsys, "audit", "set", *which, "board_tech_expert_count=2")[0] == 0
    return path


def test_verify_json_gives_the_counts_and_every_problem(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = run_json(capsys, "verify", "--db", db)
    assert (clean["ok"], clean["audits"], clean["problems"]) == (True, 2, [])
    with sqlite3.connect(db) as conn:  # a change made behind the app's back
        conn.execute("UPDATE answers SET value = '9'")
    status, out, _ = run(capsys, "verify", "--db", db, "--json")
    found = json.loads(out)
    assert status == 1 and found["ok"] is False
    assert {p["audit"] for p in found["problems"]} >= {
        "Department for Work and Pensions — " + CYCLE
    }


def test_merge_json_gives_the_plan_then_what_was_merged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "all.baseline-package"
    assert run(capsys, "export-package", "--db", db, "--out", package)[0] == 0
    other = tmp_path / "other.sqlite"
    assert run(capsys, "new", "--db", other)[0] == 0
    before = dump_workspace(other)
    planned = run_json(capsys, "merge", package, "--db", other, "--dry-run")
    assert planned["merged"] is False and len(planned["audits"]) == 2
    assert planned["conflicts"] == [] and dump_workspace(other) == before
    merged = run_json(capsys, "merge", package, "--db", other)
    assert merged["merged"] is True and "report" in merged
    listed = run_json(capsys, "audit", "list", "--db", other)
    assert sorted(a["department"] for a in listed) == [
        "Department for Work and Pensions", "HM Revenue & Customs",
    ]  # fmt: skip


def test_import_json_of_an_own_workbook_lists_every_change(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "all.xlsx"
    assert run(capsys, "export-xlsx", "--db", db, "--out", book)[0] == 0
    which = ("--db", db, "--department", "DWP", "--cycle", CYCLE)
    assert run(capsys, "audit", "set", *which, "board_tech_expert_count=5")[0] == 0
    before = dump_workspace(db)
    plan = run_json(capsys, "import", book, "--db", db, "--dry-run")
    assert plan["imported"] is False and dump_workspace(db) == before
    by_department = {a["department"]: a for a in plan["audits"]}
    dwp = by_department["Department for Work and Pensions"]
    assert dwp["action"] == "update"
    assert [(c["question"], c["old"], c["new"]) for c in dwp["changes"]] == [
        ("board_tech_expert_count", "5", "2")
    ]
    assert by_department["HM Revenue & Customs"]["action"] == "unchanged"
    done = run_json(capsys, "import", book, "--db", db)
    assert done["imported"] is True and done["result"]["updated"] == [
        f"Department for Work and Pensions, {CYCLE}"
    ]


def test_import_json_of_a_foreign_file_prints_only_its_report_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws.sqlite"
    assert run(capsys, "new", "--db", path)[0] == 0
    assert run(capsys, "department", "add", "DWP", "--db", path)[0] == 0
    status, out, err = run(capsys, "import", F.DWP_WMI_CSV, "--db", path, "--cycle", "2025",
                           "--whole-department", "--json")  # fmt: skip
    assert status == 0, err
    report = json.loads(out)
    assert report["imported"] == 20 and report["file_name"] == "04_wmi_dwp_2025-01.csv"


def test_batch_reports_and_returns(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    written = run_json(capsys, "report", "--db", db, "--cycle", CYCLE, "--all",
                       "--out-dir", folder)  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == [
        "DWP-2015-review.pdf", "HMRC-2015-review.pdf",
    ]  # fmt: skip
    assert all(item["pages"] >= 1 for item in written["written"])
    for wrong in (["--all", "--out", "x.pdf"], ["--all", "--department", "DWP"], []):
        status, _, err = run(capsys, "report", "--db", db, "--cycle", CYCLE, *wrong)
        assert status == 2 and "--out-dir" in err
    status, _, err = run(capsys, "report", "--db", db, "--cycle", "1999", "--all",
                         "--out-dir", folder)  # fmt: skip
    assert status == 2 and "no audits in the cycle '1999'" in err
    assert run(capsys, "department", "add", "Home Office", "--db", db)[0] == 0
    status, out, err = run(capsys, "data-return", "--db", db, "--cycle", CYCLE, "--all",
                           "--out-dir", tmp_path / "returns", "--prefill", "--json")  # fmt: skip
    assert status == 1  # done with problems: the Home Office has nothing to pre-fill from
    assert len(json.loads(out)["written"]) == 2
    assert "Home Office, 2015 review" in err and "has no audit to pre-fill" in err
    assert sorted(p.name for p in (tmp_path / "returns").iterdir()) == [
        "DWP-2015-review.xlsx", "HMRC-2015-review.xlsx",
    ]  # fmt: skip


def test_the_bar_is_drawn_on_a_terminal_and_not_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w", encoding="utf-8") as terminal:
        monkeypatch.setattr(sys, "stderr", terminal)
        bar = Bar("Reports")
        bar(1, 2)
        bar(2, 2)
        bar.close()
        terminal.flush()
        drawn = ""
        while not drawn.endswith("\r\x1b[K") and select.select([leader], [], [], 5)[0]:
            drawn += os.read(leader, 4096).decode()  # a pty hands writes over in pieces
    os.close(leader)
    assert "Reports [###############---------------] 1/2" in drawn
    assert "2/2" in drawn and drawn.endswith("\r\x1b[K")
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    quiet = Bar("Reports")
    quiet(1, 2)
    quiet.close()
    assert piped.getvalue() == ""


def test_reading_an_older_workspace_upgrades_it_with_a_backup_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.models.test_workspace_files import write_v1_workspace

    old = tmp_path / "old.sqlite"
    write_v1_workspace(old)
    listed = run_json(capsys, "audit", "list", "--db", old)
    assert [(a["department"], a["cycle"], a["status"]) for a in listed] == [
        ("Home Office", "2013 baseline", "signed_off")
    ]
    assert (tmp_path / "old.sqlite.v1.bak").is_file()
    shown = run_json(capsys, "audit", "show", "--db", old, "--department", "HO",
                     "--cycle", "2013 baseline")  # fmt: skip
    assert shown["audits"][0]["answers"]["digital_leader_post"] == "Director General ŵ"
