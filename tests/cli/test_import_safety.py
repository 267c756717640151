"""Audit JSON and workbook imports: a department named by name only, and signed-off audits."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run

DWP = "Department for Work and Pensions"


def _doc(department: dict[str, Any], cycle: str = "2015 review", **audit: Any) -> dict[str, Any]:
    return {
        "format": "baseline-audits",
        "format_version": 1,
        "audits": [
            {
                "department": department,
                "cycle": cycle,
                "questionnaire": {"id": "board-technology-baseline", "version": 2},
                "answers": {"cio_on_board": True},
                **audit,
            }
        ],
    }


def _stored(db: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    conn = sqlite3.connect(db)
    try:
        departments = conn.execute("SELECT name FROM departments ORDER BY name").fetchall()
        audits = conn.execute(
            "SELECT d.name, a.cycle, a.department_name FROM audits a"
            " JOIN departments d ON d.id = a.department_id ORDER BY a.cycle"
        ).fetchall()
    finally:
        conn.close()
    return departments, audits


def test_a_department_given_by_name_only_is_added_then_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ws.sqlite"
    assert run(capsys, "new", "--db", db)[0] == 0
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_doc({"name": DWP})))
    status, out, err = run(capsys, "import", path, "--db", db)
    assert status == 0, err
    assert "Traceback" not in err and "Imported: added 1 audit(s)" in out
    assert _stored(db) == ([(DWP,)], [(DWP, "2015 review", DWP)])
    # Another cycle of the same department, by name only again: the department is matched.
    path.write_text(json.dumps(_doc({"name": DWP.upper()}, "2016 review")))
    status, out, err = run(capsys, "import", path, "--db", db)
    assert status == 0, err
    departments, audits = _stored(db)
    assert departments == [(DWP,)]
    assert [(d, c) for d, c, _ in audits] == [(DWP, "2015 review"), (DWP, "2016 review")]


def _signed_off(db: Path) -> str:
    """A workspace holding one signed-off audit; its id."""
    from models.questionnaire import current_questionnaire
    from models.store import Store

    with Store(db) as store:
        dept = store.add_department(DWP, "DWP")
        audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire(), "Ann")
        store.set_answer(audit.id, "digital_leader_post", "Chief Digital Officer")
        store.set_status(audit.id, "signed_off")
        return audit.id


def _state(db: Path) -> tuple[Any, ...]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT * FROM audits").fetchall(),
            conn.execute("SELECT count(*) FROM history").fetchone(),
            conn.execute("SELECT * FROM answers").fetchall(),
        )
    finally:
        conn.close()


def _new_auditor_in_workbook(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    column = None
    for row in book["_baseline"].iter_rows():
        if row[0].value == "audit fields":
            column = [c.value for c in row].index("auditor")
        elif row[0].value == "audit" and column is not None:
            row[column].value = "Mallory"
    book.save(path)


def test_a_workbook_changing_a_signed_off_audits_auditor_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, xlsx = tmp_path / "ws.sqlite", tmp_path / "dwp.xlsx"
    _signed_off(db)
    status, _, err = run(capsys, "export-xlsx", "--db", db, "--out", xlsx)
    assert status == 0, err
    _new_auditor_in_workbook(xlsx)
    before = _state(db)
    status, out, _ = run(capsys, "import", xlsx, "--db", db, "--dry-run")
    assert status == 0 and "is signed off here and the file changes it" in out
    assert "'Ann' → 'Mallory'" in out and "importing is refused" in out
    status, out, err = run(capsys, "import", xlsx, "--db", db)
    assert status == 2 and "which is signed off here: reopen it" in err
    assert "Traceback" not in err and _state(db) == before
    status, out, _ = run(capsys, "verify", "--db", db)
    assert status == 0, out


def test_a_json_document_changing_a_signed_off_audits_auditor_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = tmp_path / "ws.sqlite", tmp_path / "dwp.json"
    _signed_off(db)
    assert run(capsys, "export-json", "--db", db, "--out", path)[0] == 0
    doc = json.loads(path.read_text())
    doc["audits"][0]["auditor"] = "Mallory"
    path.write_text(json.dumps(doc))
    before = _state(db)
    status, out, err = run(capsys, "import", path, "--db", db)
    assert status == 2 and "signed off here" in out + err and "Traceback" not in err
    assert _state(db) == before
    assert run(capsys, "verify", "--db", db)[0] == 0


def _set_status_in_workbook(path: Path, status: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    column = None
    for row in book["_baseline"].iter_rows():
        if row[0].value == "audit fields":
            column = [c.value for c in row].index("status")
        elif row[0].value == "audit" and column is not None:
            row[column].value = status
    book.save(path)


@pytest.mark.parametrize("status", ["reviewed", "submitted"])
def test_a_file_moves_a_status_only_as_the_lifecycle_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str
) -> None:
    """An empty draft is not submitted (its required answers are missing) nor reviewed (two
    steps away) by an edited export or a JSON document: left draft, and the preview says why."""
    db, xlsx, doc = tmp_path / "ws.sqlite", tmp_path / "dwp.xlsx", tmp_path / "dwp.json"
    where = ("--db", db, "--department", "DWP", "--cycle", "2015 review")
    assert run(capsys, "new", "--db", db)[0] == 0
    assert run(capsys, "department", "add", DWP, "--abbreviation", "DWP", "--db", db)[0] == 0
    assert run(capsys, "audit", "new", *where)[0] == 0
    assert run(capsys, "export-xlsx", *where, "--out", xlsx)[0] == 0
    assert run(capsys, "export-json", *where, "--out", doc)[0] == 0
    _set_status_in_workbook(xlsx, status)
    data = json.loads(doc.read_text())
    data["audits"][0]["status"] = status
    doc.write_text(json.dumps(data))
    before = _state(db)
    for path in (xlsx, doc):
        code, out, err = run(capsys, "import", path, "--db", db)
        assert code == 0, err
        assert f"left draft, not {status} as in the file" in out
        assert _state(db) == before
    assert run(capsys, "audit", "move", *where, "sign-off")[0] == 2


def test_whitespace_only_text_in_a_json_document_is_no_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the form, `audit set` and workbooks read it: a blank required cell stays blank."""
    from models.completion import blank_required_cells, stored_rows
    from models.questionnaire import current_questionnaire
    from models.store import Store

    db, path = tmp_path / "ws.sqlite", tmp_path / "in.json"
    assert run(capsys, "new", "--db", db)[0] == 0
    row = {"post_ref": "  ", "job_title": "\t", "role_type": "cio", "grade": "scs2"}
    row |= {"employment_type": "permanent"}
    doc = _doc({"name": DWP}, tables={"senior_roles": [{"id": None, "cells": row}]})
    doc["audits"][0]["answers"] |= {"digital_leader_post": "   "}
    path.write_text(json.dumps(doc))
    status, _, err = run(capsys, "import", path, "--db", db)
    assert status == 0, err
    form = current_questionnaire()
    with Store(db) as store:
        audit = store.audits()[0]
        assert "digital_leader_post" not in store.answers(audit.id)
        blanks = blank_required_cells(
            form, store.answers(audit.id), stored_rows(store, audit.id, form)
        )
    assert {b.column_id for b in blanks} == {"post_ref", "job_title"}


def test_audit_set_refuses_a_document_of_another_department(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-audit document of another cycle of the department is taken (copy forward by
    hand); of another department it is refused, naming both, and nothing changes."""
    db, doc = tmp_path / "ws.sqlite", tmp_path / "hmrc.json"
    assert run(capsys, "new", "--db", db)[0] == 0
    for name, abbr in ((DWP, "DWP"), ("HM Revenue & Customs", "HMRC")):
        assert run(capsys, "department", "add", name, "--abbreviation", abbr, "--db", db)[0] == 0
        where = ("--db", db, "--department", abbr, "--cycle", "2015 review")
        assert run(capsys, "audit", "new", *where)[0] == 0
        assert run(capsys, "audit", "set", *where, f"digital_leader_post={abbr} CDO")[0] == 0
    hmrc = ("--db", db, "--department", "HMRC", "--cycle", "2015 review")
    assert run(capsys, "export-json", *hmrc, "--out", doc)[0] == 0
    before = _state(db)
    dwp = ("--db", db, "--department", "DWP", "--cycle", "2015 review")
    status, _, err = run(capsys, "audit", "set", *dwp, "--from-json", doc)
    assert status == 2 and "is an audit of HM Revenue & Customs, not of" in err
    assert _state(db) == before
    data = json.loads(doc.read_text())
    data["audits"][0]["cycle"] = "2014 review"  # HMRC's own other cycle: taken
    doc.write_text(json.dumps(data))
    hmrc16 = ("--db", db, "--department", "HMRC", "--cycle", "2016 review")
    assert run(capsys, "audit", "new", *hmrc16)[0] == 0
    assert run(capsys, "audit", "set", *hmrc16, "--from-json", doc)[0] == 0


def test_a_return_with_a_formula_never_calculated_is_refused_not_read_as_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    db, path = tmp_path / "ws.sqlite", tmp_path / "return.xlsx"
    where = ("--db", db, "--department", "DWP", "--cycle", "2015 review")
    assert run(capsys, "new", "--db", db)[0] == 0
    assert run(capsys, "department", "add", DWP, "--abbreviation", "DWP", "--db", db)[0] == 0
    assert run(capsys, "audit", "new", *where)[0] == 0
    assert run(capsys, "audit", "set", *where, "total_tech_spend=1096461000")[0] == 0
    assert run(capsys, "data-return", *where, "--out", path, "--prefill")[0] == 0
    book = load_workbook(path)
    sheet = next(s for s in book.worksheets if any(
        row[0].value == "total_tech_spend" for row in s.iter_rows(min_row=2)
    ))  # fmt: skip
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "total_tech_spend":
            assert row[3].value == 1096461000
            row[3].value = "=1000000+234000"  # openpyxl saves no result for it
    book.save(path)
    _, out, err = run(capsys, "import", path, "--db", db, "--accept-problems")
    assert "formula" in (out + err).lower() and "Traceback" not in err  # said, never silent
    conn = sqlite3.connect(db)
    try:  # refused, or the cell left out: never read as blank, never clearing the answer
        kept = conn.execute(
            "SELECT value FROM answers WHERE question_id = 'total_tech_spend'"
        ).fetchone()
    finally:
        conn.close()
    assert kept is not None and float(kept[0]) == 1096461000
