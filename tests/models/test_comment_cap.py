"""Comments are capped at every door, as answers are checked (attack A13: one imported
1.2 MB comment made the board report run for minutes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from desktop.cli import main
from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.incoming import screen_content
from models.questionnaire import current_questionnaire
from models.store import Store
from models.validation import COMMENT_LIMIT, comment_problem
from tests.exporters import header_index, row_of

Q = current_questionnaire()
LONG = "x" * (COMMENT_LIMIT + 1)
DOCUMENT = {
    "format": "baseline-audits",
    "format_version": 1,
    "audits": [
        {
            "department": {"name": "Department for Work and Pensions"},
            "cycle": "2015 review",
            "questionnaire": {"id": Q.id, "version": Q.version},
            "answers": {"cio_on_board": True},
            "comments": {"cio_on_board": LONG},
        }
    ],
}


@given(st.integers(0, COMMENT_LIMIT + 50))
def test_a_comment_up_to_the_limit_is_kept_and_one_longer_refused(length: int) -> None:
    problem = comment_problem("é" * length)
    assert (problem is None) == (length <= COMMENT_LIMIT)
    if problem:
        assert f"{COMMENT_LIMIT:,} characters" in problem and f"{length:,} now" in problem
    assert comment_problem(3) == "a comment is text"


def test_json_import_refuses_a_long_comment_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ws.sqlite"
    assert main(["new", "--db", str(db)]) == 0
    source = tmp_path / "in.json"
    source.write_text(json.dumps(DOCUMENT))
    capsys.readouterr()
    assert main(["import", str(source), "--db", str(db)]) != 0
    said = capsys.readouterr()
    told = said.out + said.err
    assert "comment on 'cio_on_board'" in told and "100,000 characters" in told, told
    with Store(db) as store:
        assert store.departments() == []


def test_cli_audit_set_refuses_a_long_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ws.sqlite"
    with Store(db) as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
    capsys.readouterr()
    given = ["audit", "set", "--db", str(db), "--department", "DWP", "--cycle", "2015 review"]
    assert main([*given, "--comment", f"cio_on_board={LONG}"]) != 0
    assert "100,000 characters" in capsys.readouterr().err
    with Store(db) as store:
        assert store.comments(audit.id) == {}


def test_package_content_refuses_a_long_comment() -> None:
    screened = screen_content(Q, {}, {"cio_on_board": LONG, "digital_leader_nominated": "kept"}, [])
    assert screened.comments == {"digital_leader_nominated": "kept"}
    assert screened.refused_comments == {"cio_on_board"}
    assert any("100,000 characters" in r for r in screened.refused)


def test_workbook_import_refuses_a_long_comment_naming_the_cell(tmp_path: Path) -> None:
    """A comment past the limit (kept before the cap) goes out split over cells, as Excel
    needs; read back, it is refused naming its sheet and cell, and nothing is changed."""
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
        store.set_comment(audit.id, "cio_on_board", LONG)  # the store itself does not check
        path = write_data_return(store, dept.id, "2015 review", tmp_path / "r.xlsx", prefill=True)
        sheet = load_workbook(path)["1 Board capability"]
        cols = header_index(sheet)
        row = row_of(sheet, "cio_on_board", cols["Ref"])
        contents = read_own_workbook(path)
        (problem,) = [p for p in contents.problems if "characters" in p.message]
        letter = sheet.cell(row, cols["Comment"]).column_letter
        assert (problem.sheet, problem.cell) == ("1 Board capability", f"{letter}{row}")
        assert "100,000 characters" in problem.message
        apply_import(store, plan_import(store, contents))
        assert store.comments(audit.id) == {"cio_on_board": LONG}  # left as it was


def test_json_import_accepting_problems_keeps_the_audits_own_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--accept-problems imports the rest; the refused comment leaves the stored one as is."""
    db = tmp_path / "ws.sqlite"
    with Store(db) as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
        store.set_comment(audit.id, "cio_on_board", "kept")
    source = tmp_path / "in.json"
    source.write_text(json.dumps(DOCUMENT))
    capsys.readouterr()
    assert main(["import", str(source), "--db", str(db), "--accept-problems"]) == 0
    with Store(db) as store:
        assert store.answers(audit.id)["cio_on_board"] is True  # the rest was imported
        assert store.comments(audit.id) == {"cio_on_board": "kept"}
