"""A returned workbook whose answer cell holds a formula that was never calculated is
refused, naming the sheet: read as blank, it would clear the pre-filled answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporters.data_return import write_data_return
from importers.own_workbook import WorkbookError, read_own_workbook
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import sample_audit


def test_an_uncalculated_formula_is_refused_not_read_as_a_cleared_answer(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    audit = sample_audit(store, questionnaire)
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    assert read_own_workbook(path).problems == []  # as written: read back whole
    book = load_workbook(path)
    sheet = book["9 Money"]
    refs = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    before = store.answer(audit.id, "total_tech_spend")
    sheet.cell(refs["total_tech_spend"], 4).value = "=1000000+234000"  # openpyxl: no result
    book.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_own_workbook(path)
    assert str(caught.value).startswith("return.xlsx has formulas with no saved results")
    assert "1 in sheet '9 Money'" in str(caught.value)
    assert store.answer(audit.id, "total_tech_spend") == before
