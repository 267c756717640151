"""`import --report FILE`: a report that cannot be written is found before anything is
imported; a written report never carries a formula (issue 17, item 7)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from importers.import_report import csv_text
from models.store import Store
from tests.importers import foreign_files as F
from tests.importers.test_import_cli import _digest, _workspace

DWP = "Department for Work and Pensions"


@pytest.mark.parametrize("where", ["no-such-folder/report.csv", "a-folder"])
def test_an_unwritable_report_refuses_the_import_before_it_commits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    db = _workspace(tmp_path, DWP)
    (tmp_path / "a-folder").mkdir()
    before = _digest(db)
    report = tmp_path / where
    args = ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025", "--whole-department"]
    assert cli_main([*args, "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the report to {report}" in err and "Nothing was imported" in err
    assert _digest(db) == before
    with Store(db, read_only=True) as store:
        assert store.audits() == []
    assert not [p for p in tmp_path.rglob("*.part")]


def test_a_formula_looking_file_name_lands_as_text_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _workspace(tmp_path, DWP)
    hostile = tmp_path / '=HYPERLINK("evil",1+1).csv'
    shutil.copy(F.DWP_WMI_CSV, hostile)
    report = tmp_path / "report.csv"
    args = ["import", str(hostile), "--db", str(db), "--cycle", "2025"]
    args += ["--whole-department", "--report", str(report)]
    assert cli_main(args) == 0
    capsys.readouterr()
    with report.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["File", "'" + hostile.name]
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


def test_csv_text_escapes_only_formula_looking_text() -> None:
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert csv_text("\uff1dcmd") == "'\uff1dcmd"
    assert csv_text("Director General") == "Director General"
    assert csv_text(-5) == -5
