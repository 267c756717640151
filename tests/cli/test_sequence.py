"""A year's cycle scripted from an empty folder, as the central team runs it (issue 20).

Every command runs as `python main.py …` in its own process, in an empty temporary
folder, and its JSON is checked at each step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.exporters import SAMPLE_ANSWERS, SAMPLE_ROWS

MAIN = Path(__file__).resolve().parents[2] / "main.py"
DWP = ["--department", "DWP", "--cycle", "2015 review"]


class Baseline:
    """Runs `python main.py …` in `folder` and returns the exit status and output."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def __call__(self, *argv: str, db: str = "audits.sqlite") -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, str(MAIN), *argv, "--db", db],
            cwd=self.folder, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, done.stdout, done.stderr

    def json(self, *argv: str, db: str = "audits.sqlite") -> Any:
        status, out, err = self(*argv, "--json", db=db)
        assert status == 0, err
        return json.loads(out)


@pytest.mark.slow
def test_a_years_cycle_scripted_from_an_empty_folder(tmp_path: Path) -> None:
    baseline = Baseline(tmp_path)
    assert baseline.json("new")["created"] is True
    dwp = baseline.json("department", "add", "Department for Work and Pensions")
    assert (dwp["abbreviation"], dwp["govuk_id"]) == ("DWP", "department-for-work-pensions")
    assert baseline("department", "add", "HMRC")[0] == 0
    assert baseline("department", "add", "Home Office")[0] == 0
    names = [d["name"] for d in baseline.json("department", "list")]
    assert names == ["Department for Work and Pensions", "HM Revenue & Customs", "Home Office"]

    made = baseline.json("audit", "new", *DWP)
    assert (made["department"], made["cycle"]) == (dwp["name"], "2015 review")
    assert made["status"] == "draft"
    changed = baseline.json(
        "audit", "set", *DWP, "digital_leader_nominated=yes", "board_tech_expert_count=2"
    )
    assert [(c["question"], c["new"]) for c in changed["changes"]] == [
        ("digital_leader_nominated", "Yes"), ("board_tech_expert_count", "2"),
    ]  # fmt: skip

    # The rest of the return, from a file: text read as the form reads typing.
    answers = {**SAMPLE_ANSWERS, "independent_review_new_projects": "yes",
               "governance_maturity": 3, "senior_technical_skills_maturity": "3",
               "scs_tech_policy_trained_pct": "45%", "total_tech_spend": "£1.2m"}  # fmt: skip
    tables = {t: [{"id": None, "cells": c} for c in rows] for t, rows in SAMPLE_ROWS.items()}
    (tmp_path / "answers.json").write_text(
        json.dumps({"answers": answers, "tables": tables, "comments": {"total_tech_spend": "AR"}}),
        encoding="utf-8",
    )
    assert baseline.json("audit", "set", *DWP, "--from-json", "answers.json")["changes"]
    listed = baseline.json("audit", "list", "--cycle", "2015 review")
    assert [(a["department"], a["status"]) for a in listed] == [(dwp["name"], "draft")]
    shown = baseline.json("audit", "show", *DWP)
    assert shown["format"] == "baseline-audits" and shown["format_version"] == 1
    [record] = shown["audits"]
    assert record["answers"]["total_tech_spend"] == 1_200_000.0
    assert record["answers"]["scs_tech_policy_trained_pct"] == 45.0
    assert record["answers"]["board_tech_expert_count"] == 2
    assert len(record["tables"]["senior_roles"]) == len(SAMPLE_ROWS["senior_roles"])
    assert record["figures"]["required_unanswered"] == 0

    moved = (("submit", "submitted"), ("review", "reviewed"), ("sign-off", "signed_off"))
    for move, status in moved:
        assert baseline.json("audit", "move", *DWP, move)["status"] == status
    refused = baseline("audit", "set", *DWP, "board_tech_expert_count=3")
    assert refused[0] == 2 and "is signed off" in refused[2]
    wrong = baseline("audit", "move", *DWP, "submit")
    assert wrong[0] == 2 and "is signed off: it can reopen, not submit" in wrong[2]
    history = baseline.json("history", *DWP, "--question", "board_tech_expert_count")
    assert [(c["old"], c["new"]) for c in history] == [(None, 2)]
    moves = [c["new"] for c in baseline.json("history", *DWP) if c["kind"] == "status"]
    assert moves == ["signed_off", "reviewed", "submitted", "draft"]

    assert baseline("report", "--cycle", "2015 review", "--all", "--out-dir", "reports")[0] == 0
    [pdf] = (tmp_path / "reports").iterdir()
    assert pdf.name == "DWP-2015-review.pdf"
    assert "Department for Work and Pensions" in PdfReader(pdf).pages[0].extract_text()
    returns = baseline.json("data-return", "--cycle", "2015 review", "--all", "--out-dir", "r")
    assert len(returns["written"]) == 3 and returns["failed"] == []
    for item in returns["written"]:
        assert "_baseline" in load_workbook(tmp_path / item["file"], read_only=True).sheetnames

    shown = baseline.json("audit", "show", *DWP)  # signed off now
    [record] = shown["audits"]
    assert record["status"] == "signed_off"
    assert baseline("export-json", "--out", "all.json")[0] == 0
    assert baseline.json("new", db="other.sqlite")["created"] is True
    imported = baseline.json("import", "all.json", db="other.sqlite")
    assert imported["imported"] is True and imported["result"]["added"] == [
        f"{dwp['name']}, 2015 review"
    ]
    again = baseline.json("audit", "show", *DWP, db="other.sqlite")
    for key, value in record.items():  # one by one, so a difference names its part
        assert again["audits"][0][key] == value, key
    assert again == shown  # the same audit: answers, rows, ids, dates, status, figures, notes
    assert baseline.json("verify", db="other.sqlite")["ok"] is True
