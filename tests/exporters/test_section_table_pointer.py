"""A section sheet counts every row its table sheet lists, and says how many are half-filled
(F11); the CLI import preview says which audit each change is to (F12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from exporters.audit_workbook import export_audits
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import sample_audit

ROLES = "4 Senior technology roles"


def pointer(path: Path) -> str:
    ws = load_workbook(path)[ROLES]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[headers.index("Ref")] == "senior_roles":
            return str(row[headers.index("Answer")])
    raise AssertionError("no senior_roles row")


def test_a_half_filled_row_is_counted_and_said_to_be_incomplete(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    audit = sample_audit(store, questionnaire)
    path = tmp_path / "whole.xlsx"
    export_audits(store, [audit.id], path)
    assert pointer(path) == "4 rows: see sheet 'Senior roles'"

    store.bulk_rows(audit.id, "senior_roles", [{"post_ref": "DIG-05", "job_title": "CDO"}])
    path = tmp_path / "half.xlsx"
    export_audits(store, [audit.id], path)
    assert pointer(path) == "5 rows (1 incomplete): see sheet 'Senior roles'"
    assert load_workbook(path)["Senior roles"].max_row == 6  # the header and five rows


def test_cli_preview_names_the_audit_of_each_change(
    tmp_path: Path, store: Store, questionnaire: Questionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sample_audit(store, questionnaire)
    second = sample_audit(store, questionnaire, cycle="2014 review")
    path = tmp_path / "both.xlsx"
    export_audits(store, [first.id, second.id], path)
    book = load_workbook(path)
    ws = book["1 Board capability"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("Ref")].value == "board_tech_expert_count":
            cycle = row[headers.index("Cycle")].value
            row[headers.index("Answer")].value = 9 if cycle == "2014 review" else 0
    book.save(path)
    workspace = store.path
    store.close()

    assert main(["import", str(path), "--db", str(workspace), "--dry-run"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "Changes to" in line or "→" in line]
    first_title, second_title = (f"{a.department_name}, {a.cycle}" for a in (first, second))
    assert lines == [
        f"Changes to {first_title}:",
        "  answer: How many board members have expertise in technology policy?: '2' → '0'",
        f"Changes to {second_title}:",
        "  answer: How many board members have expertise in technology policy?: '2' → '9'",
    ]
