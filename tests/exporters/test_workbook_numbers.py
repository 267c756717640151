"""Number cells no spreadsheet program writes (NaN, infinity, 400 digits) in a returned workbook.

Each is a value that cannot be read, named by sheet and cell, and never stored; a cell
openpyxl itself cannot read makes the workbook refused as damaged, by name.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from importers.own_workbook import WorkbookError, read_own_workbook
from importers.workbook_import import plan_import
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import header_index, row_of

MARK = 123456.25  # written by openpyxl, then swapped for raw XML openpyxl would never write


def with_raw_number(store: Store, questionnaire: Questionnaire, tmp_path: Path, raw: str) -> Path:
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    store.set_answer(audit.id, "board_tech_expert_count", 2)
    path = tmp_path / "ho.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        cols = header_index(sheet)
        if "Ref" in cols and "Answer" in cols:
            try:
                row = row_of(sheet, "board_tech_expert_count", cols["Ref"])
            except AssertionError:
                continue  # another section's sheet
            sheet.cell(row, cols["Answer"]).value = MARK
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    swapped = 0
    for name, data in members.items():
        if f"<v>{MARK}</v>".encode() in data:
            members[name] = data.replace(f"<v>{MARK}</v>".encode(), f"<v>{raw}</v>".encode())
            swapped += 1
    assert swapped == 1
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("raw", ["1e999", "-1E999", "9" * 400, "-" + "9" * 301])
def test_a_number_no_workbook_holds_is_a_problem_not_a_crash(
    store: Store, questionnaire: Questionnaire, tmp_path: Path, raw: str
) -> None:
    path = with_raw_number(store, questionnaire, tmp_path, raw)
    contents = read_own_workbook(path)
    [problem] = contents.problems
    assert "is not a number a workbook can hold" in problem.message
    [planned] = plan_import(store, contents).audits
    assert planned.content.answers["board_tech_expert_count"] == 2  # kept as it was


def test_a_number_cell_openpyxl_cannot_read_refuses_the_workbook_by_name(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = with_raw_number(store, questionnaire, tmp_path, "nan")
    with pytest.raises(WorkbookError, match=r"ho\.xlsx is damaged and cannot be read"):
        read_own_workbook(path)
