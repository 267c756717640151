"""Exported and data-return sheets read well on screen and on paper: row heights, print setup."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from exporters.streaming_sheet import LINE_HEIGHT, row_height
from models.questionnaire import Questionnaire
from models.store import Store


def test_row_height_counts_wrapped_lines_and_newlines() -> None:
    assert row_height([("short", 40)]) is None
    assert row_height([("x" * 120, 40)]) == 3 * LINE_HEIGHT  # 50 characters a line
    assert row_height([("a\nb\nc\nd", 40), ("x" * 60, 40)]) == 4 * LINE_HEIGHT
    assert row_height([("x" * 100_000, 10)]) == 409  # Excel's highest row


def test_long_questions_and_comments_get_taller_rows(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Department for Education", "DfE")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    store.set_comment(audit.id, "cio_on_board", "Seen in the minutes.\n" * 6)
    path = tmp_path / "dfe.xlsx"
    export_audits(store, [audit.id], path)
    ws = load_workbook(path)["1 Board capability"]
    refs = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    assert ws.row_dimensions[refs["cio_on_board"]].height >= 6 * LINE_HEIGHT
    assert ws.row_dimensions[refs["board_tech_expert_count"]].height is None  # one line: default
    assert ws.cell(refs["cio_on_board"], 4).alignment.wrap_text
    assert ws.cell(refs["cio_on_board"], 1).alignment.vertical == "top"


def test_sheets_print_landscape_one_page_wide_with_the_header_on_each_page(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Department for Education", "DfE")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    export_audits(store, [audit.id], tmp_path / "export.xlsx")
    write_data_return(store, dept.id, "2013 baseline", tmp_path / "return.xlsx")
    for name in ("export.xlsx", "return.xlsx"):
        book = load_workbook(tmp_path / name)
        for ws in book.worksheets:
            if ws.sheet_state != "visible" or ws.title == "Instructions":
                continue
            assert ws.page_setup.orientation == "landscape", (name, ws.title)
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.print_title_rows == "$1:$1"
    guidance = load_workbook(tmp_path / "return.xlsx")["1 Board capability"]
    assert all(guidance.row_dimensions[r].height for r in range(2, guidance.max_row + 1))
