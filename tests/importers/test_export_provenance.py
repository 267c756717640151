"""The exported table sheets say which body, file and row each imported row came from."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from importers.foreign_plan import (
    Choices,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from models.questionnaire import Questionnaire
from models.store import Store
from tests.importers import foreign_files as F


def test_imported_rows_carry_body_file_and_row_into_the_export(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    store.add_department("Department for Work and Pensions", "DWP")
    foreign = read_foreign(F.DWP_WMI_CSV, questionnaire)
    try:
        choices = Choices(cycle="2025", whole_department=True)
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
        apply_foreign(store, plan, questionnaire)
    finally:
        foreign.close()
    [audit] = store.audits()
    [typed] = store.insert_rows(
        audit.id, "department_workforce", 0, [{"staff_group": "agency", "headcount": 3}]
    )
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)

    book = load_workbook(path, read_only=True)
    sheet = book["Department workforce"]  # the table sheet (version 2), not the section sheet
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    rows = [r + [None] * (len(rows[0]) - len(r)) for r in rows]  # trailing blanks are not written
    book.close()
    header = rows[0]
    body, file_name, source_row = (
        header.index(h) for h in ("Source body", "Source file", "Source row")
    )
    row_id = header.index("Row ID")
    by_id = {r[row_id]: r for r in rows[1:]}
    imported = [r for r in rows[1:] if r[file_name] is not None]
    assert len(imported) == 20
    assert {r[file_name] for r in imported} == {"04_wmi_dwp_2025-01.csv"}
    regulator = [r for r in imported if r[body] == "The Pensions Regulator"]
    assert [r[source_row] for r in regulator] == [4, 4, 4]  # the file's own row 4
    dwp = [r for r in imported if r[body] == "Department for Work and Pensions"]
    assert {r[source_row] for r in dwp} == {2}
    typed_row = by_id[typed.id]
    assert (typed_row[body], typed_row[file_name], typed_row[source_row]) == (None, None, None)
