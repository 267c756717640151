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
