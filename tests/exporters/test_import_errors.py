"""Reading back workbooks that were edited, damaged or are not ours; imports that cannot finish."""

from __future__ import annotations

import gc
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from importers.own_workbook import WorkbookError, read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.demo import DemoSize, write_demo
from models.questionnaire import Questionnaire
from models.records import Audit
from models.store import DuplicateAuditError, Store, copy_workspace
from tests.exporters import (
    audit_snapshot,
    dump_workspace,
    header_index,
    row_of,
)


@pytest.fixture
def audit(demo: Store) -> Audit:
    """DWP's 2014 review, with known answers the tests below change or keep."""
    dept = demo.find_department("DWP")
    assert dept is not None
    found = demo.find_audit(dept.id, "2014 review")
    assert found is not None
    demo.set_answer(found.id, "digital_leader_nominated", True)
    demo.set_answer(found.id, "board_tech_expert_count", 2)
    demo.set_answer(found.id, "cio_on_board", False)
    demo.set_answer(found.id, "digital_strategy_published", True)
    demo.set_answer(found.id, "digital_strategy_date", "2012-06-01")
    demo.set_answer(found.id, "total_tech_spend", 5_000_000.0)
    first = demo.rows(found.id, "senior_roles")[0]
    demo.set_cell(found.id, first.id, "pay_floor", 90_000.0)
    demo.set_cell(found.id, first.id, "job_title", "Chief Information Officer")
    return demo.audit(found.id)


@pytest.fixture
def returned(tmp_path: Path, demo: Store, audit: Audit) -> Path:
    """A pre-filled data return for `audit`, as sent to the department."""
    return write_data_return(
        demo, audit.department_id, audit.cycle, tmp_path / "dwp-return.xlsx", prefill=True
    )


def answer_cell(ws: Any, ref: str) -> Any:
    cols = header_index(ws)
    return ws.cell(row_of(ws, ref, cols["Ref"]), cols["Answer"])


def import_all(store: Store, path: Path) -> None:
    apply_import(store, plan_import(store, read_own_workbook(path)))


# --------------------------------------------------------------------------- values that fail


def test_values_that_fail_validation_are_problems_and_are_left_as_they_were(
    demo: Store, audit: Audit, returned: Path, questionnaire: Questionnaire
) -> None:
    before = audit_snapshot(demo, audit.id)
    book = load_workbook(returned)
    board = book["1 Board capability"]
    answer_cell(board, "digital_leader_nominated").value = "maybe"
    answer_cell(board, "board_tech_expert_count").value = "lots"
    answer_cell(board, "cio_on_board").value = "Yes"  # a good change
    answer_cell(book["2 Strategy and alignment"], "digital_strategy_date").value = "31/02/2013"
    answer_cell(book["9 Money"], "total_tech_spend").value = 6_000_000  # a good change
    roles = book["Senior roles"]
    cols = header_index(roles)
    roles.cell(2, cols["Pay floor (£)"]).value = "a lot"
    roles.cell(2, cols["Job title"]).value = "Chief Data Officer"  # a good change
    book.save(returned)

    contents = read_own_workbook(returned)
    found = {(p.sheet, p.cell, p.question) for p in contents.problems}
    q = questionnaire.question
    assert found == {
        ("1 Board capability", "D2", q("digital_leader_nominated").label),
        ("1 Board capability", "D5", q("board_tech_expert_count").label),
        ("2 Strategy and alignment", "D3", q("digital_strategy_date").label),
        ("Senior roles", f"{roles.cell(2, cols['Pay floor (£)']).column_letter}2",
         "Pay floor (£)"),
    }  # fmt: skip
    messages = {p.cell: p.message for p in contents.problems}
    assert "maybe" in messages["D2"] and "lots" in messages["D5"]
    assert "1 Board capability!D5" in str(
        next(p for p in contents.problems if p.cell == "D5" and p.sheet.startswith("1"))
    )

    plan = plan_import(demo, contents)
    apply_import(demo, plan)
    after = audit_snapshot(demo, audit.id)
    expected = dict(before["answers"], cio_on_board=True, total_tech_spend=6_000_000)
    assert after["answers"] == expected  # the three bad cells kept their old answers
    first_before = before["tables"]["senior_roles"][0]
    first_after = after["tables"]["senior_roles"][0]
    assert first_after[0] == first_before[0]
    assert first_after[2] == dict(first_before[2], job_title="Chief Data Officer")
    assert first_after[2]["pay_floor"] == 90_000.0


def test_rows_inserted_in_a_section_sheet_still_match_by_ref(
    demo: Store, audit: Audit, returned: Path
) -> None:
    book = load_workbook(returned)
    board = book["1 Board capability"]
    old_row = row_of(board, "cio_on_board")
    board.insert_rows(3, 2)
    board["B3"] = "A note the department typed in an inserted row"
    board["A4"] = None
    assert row_of(board, "cio_on_board") == old_row + 2
    answer_cell(board, "board_tech_expert_count").value = 4
    answer_cell(board, "cio_on_board").value = "maybe"
    book.save(returned)

    contents = read_own_workbook(returned)
    assert [(p.sheet, p.cell) for p in contents.problems] == [
        ("1 Board capability", f"D{old_row + 2}")
    ]
    import_all(demo, returned)
    answers = demo.answers(audit.id)
    assert answers["board_tech_expert_count"] == 4
    assert answers["cio_on_board"] is False  # the bad value left the old answer
    assert answers["digital_leader_nominated"] is True


# --------------------------------------------------------------------------- edited structure


def test_renamed_section_sheet_is_found_by_its_columns_with_a_note(
    demo: Store, audit: Audit, returned: Path
) -> None:
    book = load_workbook(returned)
    book["9 Money"].title = "Finance"
    answer_cell(book["Finance"], "total_tech_spend").value = 7_000_000
    book.save(returned)

    contents = read_own_workbook(returned)
    assert len(contents.notes) == 1
    assert "'9 Money'" in contents.notes[0] and "'Finance'" in contents.notes[0]
    import_all(demo, returned)
    assert demo.answer(audit.id, "total_tech_spend") == 7_000_000


def test_renamed_table_sheet_is_found_by_its_columns_with_a_note(
    demo: Store, audit: Audit, returned: Path
) -> None:
    book = load_workbook(returned)
    ws = book["Contracts"]
    ws.title = "Our contracts"
    ws.cell(2, header_index(ws)["Supplier"]).value = "Renamed Supplier Ltd"
    book.save(returned)

    contents = read_own_workbook(returned)
    assert any("'Contracts'" in n and "'Our contracts'" in n for n in contents.notes)
    import_all(demo, returned)
    assert demo.rows(audit.id, "contracts")[0].cells["supplier"] == "Renamed Supplier Ltd"


def test_two_renamed_section_sheets_are_each_read_once(
    demo: Store, audit: Audit, returned: Path
) -> None:
    book = load_workbook(returned)
    book["1 Board capability"].title = "Board"
    book["2 Strategy and alignment"].title = "Strategy"
    answer_cell(book["Board"], "board_tech_expert_count").value = 9
    answer_cell(book["Strategy"], "digital_strategy_published").value = "No"
    book.save(returned)

    try:
        contents = read_own_workbook(returned)
    except WorkbookError as exc:  # refusing, naming a sheet, would be fine too
        assert "Strategy" in str(exc) or "Board" in str(exc)
        return
    apply_import(demo, plan_import(demo, contents))
    assert demo.answer(audit.id, "board_tech_expert_count") == 9
    assert demo.answer(audit.id, "digital_strategy_published") is False


@pytest.mark.parametrize("sheet", ["3 Governance mechanisms", "Workforce mix"])
def test_deleted_sheet_is_refused_naming_the_sheet(
    demo: Store, audit: Audit, returned: Path, sheet: str
) -> None:
    before = dump_workspace(demo.path)
    book = load_workbook(returned)
    del book[sheet]
    book.save(returned)
    with pytest.raises(WorkbookError) as caught:
        read_own_workbook(returned)
    assert f"'{sheet}'" in str(caught.value) and returned.name in str(caught.value)
    assert dump_workspace(demo.path) == before


def set_metadata(path: Path, tag: str, key: str, value: Any) -> None:
    """Change one value of the metadata sheet: a property, or a field of every audit row."""
    book = load_workbook(path)
    ws = book["_baseline"]
    fields: list[Any] = []
    for row in ws.iter_rows():
        if row[0].value == "audit fields":
            fields = [c.value for c in row]
        if tag == "property" and row[0].value == "property" and row[1].value == key:
            row[2].value = value
        if tag == "audit" and row[0].value == "audit":
            row[fields.index(key)].value = value
    book.save(path)


def test_changed_questionnaire_version_is_refused_naming_the_version(returned: Path) -> None:
    set_metadata(returned, "audit", "questionnaire_version", 9)
    with pytest.raises(WorkbookError) as caught:
        read_own_workbook(returned)
    message = str(caught.value)
    assert "version 9" in message and returned.name in message


# --------------------------------------------------------------------------- not our workbook


def not_a_workbook(tmp_path: Path, kind: str, export: Path) -> Path:
    path = tmp_path / f"{kind}.xlsx"
    if kind == "text":
        path.write_text("Department,Cycle\nDWP,2013 baseline\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        data = export.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "no-metadata":
        book = Workbook()
        book.active.append(["Ref", "Question", "Answer"])
        book.active.append(["cio_on_board", "A CIO?", "Yes"])
        book.save(path)
    elif kind == "newer-format":
        path.write_bytes(export.read_bytes())
        set_metadata(path, "property", "format_version", 99)
    return path


@pytest.mark.parametrize("kind", ["text", "empty", "truncated", "no-metadata", "newer-format"])
def test_files_that_are_not_our_workbook_are_refused_naming_the_file(
    tmp_path: Path, demo: Store, kind: str
) -> None:
    export = tmp_path / "export.xlsx"
    export_audits(demo, [a.id for a in demo.audits()], export)
    path = not_a_workbook(tmp_path, kind, export)
    with pytest.raises(WorkbookError) as caught:
        read_own_workbook(path)
    message = str(caught.value)
    assert path.name in message
    if kind == "newer-format":
        assert "99" in message and "newer" in message
    if kind == "no-metadata":
        assert "metadata" in message


def damaged(export: Path, target: Path, how: str) -> Path:
    """A copy of an export whose first section sheet is damaged inside an intact zip."""
    with zipfile.ZipFile(export) as source, zipfile.ZipFile(target, "w") as out:
        sheet = next(n for n in source.namelist() if re.fullmatch(r"xl/worksheets/sheet3\.xml", n))
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == sheet:
                data = data[: len(data) // 2] if how == "cut-xml" else data
            out.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    if how == "bad-crc":
        with zipfile.ZipFile(target) as archive:
            info = archive.getinfo(sheet)
        raw = bytearray(target.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        raw[start + 200] ^= 0x55  # a byte of the sheet's XML, stored uncompressed
        target.write_bytes(bytes(raw))
    return target


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["cut-xml", "bad-crc"])
def test_damaged_sheet_inside_a_valid_zip_is_refused_naming_the_file(
    tmp_path: Path, demo: Store, how: str
) -> None:
    export = tmp_path / "export.xlsx"
    export_audits(demo, [a.id for a in demo.audits()], export)
    path = damaged(export, tmp_path / f"{how}.xlsx", how)
    raised: tuple[type[BaseException], str] | None = None
    try:
        read_own_workbook(path)
    except Exception as exc:  # kept as text, so the reader's frames can be collected here
        raised = (type(exc), str(exc))
    gc.collect()  # what the failed read left open is closed within this test
    assert raised is not None and raised[0] is WorkbookError, raised
    assert path.name in raised[1]


# --------------------------------------------------------------------------- all or nothing


def test_import_failing_part_way_leaves_the_workspace_exactly_as_it_was(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    target_path = tmp_path / "target.sqlite"
    with Store(target_path) as target:
        write_demo(target, DemoSize(departments=1, cycles=1), seed=3)
    source_path = tmp_path / "source.sqlite"
    copy_workspace(target_path, source_path)
    with Store(source_path) as source:
        (existing,) = source.audits()
        source.set_answer(existing.id, "board_tech_expert_count", 7)  # an update for the target
        source.insert_rows(existing.id, "contracts", 0, [{"supplier": "New Supplier Ltd"}])
        # The same department entered twice (nothing prevents it), each with a 2013 audit.
        for _ in range(2):
            dept = source.add_department("Cabinet Office", "CO", "cabinet-office")
            added = source.create_audit(dept.id, "2013 baseline", questionnaire)
            source.set_answer(added.id, "cio_on_board", True)
        ids = [a.id for a in source.audits()]
        workbook = tmp_path / "all.xlsx"
        export_audits(source, ids, workbook)
    assert ids[0] == existing.id

    before = dump_workspace(target_path)
    with Store(target_path) as target:
        plan = plan_import(target, read_own_workbook(workbook))
        # The update and the first addition are written before the second addition clashes.
        assert [p.action for p in plan.audits] == ["update", "add", "add"]
        with pytest.raises(DuplicateAuditError):
            apply_import(target, plan)
        assert not target.conn.in_transaction
    assert dump_workspace(target_path) == before
