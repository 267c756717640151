"""A pre-filled data return keeps every digit: sent back untouched, it changes nothing (D7)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.records import Department
from models.store import Store
from tests.exporters import audit_snapshot
from tests.exporters.test_data_return import answer_cell, dwp, header_index, section_sheet

__all__ = ["dwp"]  # the fixture

FTE = 107.17166666666665  # 17 significant digits, as a WMI file's FTEs are
SPEND = 4_321_000.123456789


def test_an_untouched_prefilled_return_reimports_with_no_change(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    rows = demo.rows(audit.id, "department_workforce")
    assert rows, "the demo has department workforce rows"
    demo.set_cell(audit.id, rows[0].id, "fte", FTE)
    demo.set_answer(audit.id, "total_tech_spend", SPEND)
    before = audit_snapshot(demo, audit.id)
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "ret.xlsx", prefill=True)

    book = load_workbook(path)
    sheet = book["Department workforce"]
    assert sheet.cell(2, header_index(sheet)["FTE"]).value == FTE
    assert answer_cell(section_sheet(book, "Money"), "total_tech_spend").value == SPEND
    with zipfile.ZipFile(path) as archive:
        xml = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert f"<v>{FTE!r}</v>" in xml

    plan = plan_import(demo, read_own_workbook(path))
    assert [(p.action, p.changes) for p in plan.audits] == [("unchanged", [])]
    apply_import(demo, plan)
    assert audit_snapshot(demo, audit.id) == before


def test_a_changed_department_workforce_row_is_named_by_its_table(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    """Its section holds two tables: 'row 29' of the section would not say which."""
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "ret.xlsx", prefill=True)
    book = load_workbook(path)
    sheet = book["Department workforce"]
    cell = sheet.cell(2, header_index(sheet)["FTE"])
    cell.value = (cell.value or 0) + 1
    book.save(path)
    (planned,) = plan_import(demo, read_own_workbook(path)).audits
    assert [c.where for c in planned.changes if c.kind == "row changed"] == [
        "Workforce and contractor mix (department workforce), row 1"
    ]
