"""Data-return workbooks: protected, validated, filled in as a department would, and imported."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.questionnaire import Questionnaire
from models.records import Department
from models.reference import reference_list
from models.store import Store
from tests.exporters import (
    audit_snapshot,
    header_index,
    metadata_rows,
    row_of,
)

CURRENCY = '"£"#,##0.00'
DATE = "yyyy-mm-dd"  # real dates shown ISO (models.formatting.DATE_FORMAT)


@pytest.fixture
def dwp(demo: Store) -> Department:
    dept = demo.find_department("DWP")
    assert dept is not None
    return dept


def validation_for(ws: Worksheet, coordinate: str) -> DataValidation | None:
    matches = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(matches) <= 1, (ws.title, coordinate)
    return matches[0] if matches else None


def list_labels(book: Workbook, dv: DataValidation) -> list[str]:
    """The labels an Excel drop-down offers: an inline list or a range on another sheet."""
    formula = dv.formula1 or ""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    match = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    sheet, col, first, col2, last = match.groups()
    assert col == col2
    ws = book[sheet]
    return [ws[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def answer_cell(ws: Worksheet, ref: str) -> Any:
    cols = header_index(ws)
    return ws.cell(row_of(ws, ref, cols["Ref"]), cols["Answer"])


def section_sheet(book: Workbook, title: str) -> Worksheet:
    (name,) = [n for n in book.sheetnames if re.fullmatch(rf"\d+ {re.escape(title)}", n)]
    return book[name]


# --------------------------------------------------------------------------- the workbook


def test_blank_return_is_protected_with_unlocked_answer_cells(
    tmp_path: Path, demo: Store, dwp: Department, questionnaire: Questionnaire
) -> None:
    path = write_data_return(demo, dwp.id, "2015 review", tmp_path / "dwp.xlsx")
    book = load_workbook(path)

    assert book.sheetnames[0] == "Instructions"
    intro = [c.value for c in book["Instructions"]["A"] if c.value]
    assert any("Department for Work and Pensions" in t for t in intro)
    assert any("2015 review" in t for t in intro)
    assert any("drop-down" in t for t in intro) and any("31/03/" in t for t in intro)
    assert book.security is not None and book.security.lockStructure
    assert book["_baseline"].sheet_state == "veryHidden"
    assert book["_lists"].sheet_state == "hidden"
    for ws in book.worksheets:
        if ws.title != "_baseline":
            assert ws.protection.sheet, ws.title

    for section in questionnaire.sections:
        ws = section_sheet(book, section.title)
        cols = header_index(ws)
        assert ws.freeze_panes == "A2"
        for question in section.questions:
            row = row_of(ws, question.id, cols["Ref"])
            label = ws.cell(row, cols["Question"])
            assert label.value.startswith(question.label)
            assert label.protection.locked and ws.cell(row, cols["Ref"]).protection.locked
            assert ws.cell(row, cols["Comment"]).protection.locked is False
            answer = ws.cell(row, cols["Answer"])
            assert answer.value is None or question.is_table, question.id  # blank
            assert answer.protection.locked is question.is_table, question.id

    roles = book["Senior roles"]
    width = len(questionnaire.question("senior_roles").columns)
    assert all(roles.cell(2, c).protection.locked is False for c in range(1, width + 1))
    assert all(roles.cell(101, c).protection.locked is False for c in range(1, width + 1))
    assert roles.cell(1, 1).protection.locked  # the header

    props, audits = metadata_rows(path)
    assert props["kind"] == "data-return" and props["prefilled"] == "no"
    assert [(a["department_name"], a["cycle"]) for a in audits] == [(dwp.name, "2015 review")]


def test_drop_downs_come_from_the_questionnaire_and_reference_lists(
    tmp_path: Path, demo: Store, dwp: Department, questionnaire: Questionnaire
) -> None:
    path = write_data_return(demo, dwp.id, "2015 review", tmp_path / "dwp.xlsx")
    book = load_workbook(path)

    board = section_sheet(book, "Board capability")
    frequency = answer_cell(board, "board_tech_item_frequency")
    dv = validation_for(board, frequency.coordinate)
    assert dv is not None and dv.type == "list" and "_lists" in (dv.formula1 or "")
    assert list_labels(book, dv) == [
        o.label for o in questionnaire.question("board_tech_item_frequency").options
    ]
    yes_no = validation_for(board, answer_cell(board, "cio_on_board").coordinate)
    assert yes_no is not None and yes_no.type == "list"
    assert list_labels(book, yes_no) == ["Yes", "No"]

    roles = book["Senior roles"]
    cols = header_index(roles)
    for header, list_id in (("Role type", "role_types"), ("Grade", "grades")):
        cell = roles.cell(2, cols[header])
        dv = validation_for(roles, cell.coordinate)
        assert dv is not None and dv.type == "list" and "_lists" in (dv.formula1 or "")
        assert list_labels(book, dv) == [i.label for i in reference_list(list_id).items]
        assert validation_for(roles, roles.cell(101, cols[header]).coordinate) is dv  # spare rows


def test_numbers_and_dates_are_validated(
    tmp_path: Path, demo: Store, dwp: Department, questionnaire: Questionnaire
) -> None:
    path = write_data_return(demo, dwp.id, "2015 review", tmp_path / "dwp.xlsx")
    book = load_workbook(path)

    board = section_sheet(book, "Board capability")
    experts = validation_for(board, answer_cell(board, "board_tech_expert_count").coordinate)
    question = questionnaire.question("board_tech_expert_count")
    assert experts is not None and experts.type == "whole"
    assert (experts.formula1, experts.formula2) == (str(question.minimum), str(question.maximum))
    maturity = validation_for(board, answer_cell(board, "board_capability_maturity").coordinate)
    assert maturity is not None and (maturity.type, maturity.formula1, maturity.formula2) == (
        "whole",
        "1",
        "5",
    )

    money = section_sheet(book, "Money")
    spend = answer_cell(money, "total_tech_spend")
    dv = validation_for(money, spend.coordinate)
    assert dv is not None and dv.type == "decimal" and dv.formula1 == "0"
    assert spend.number_format == CURRENCY

    strategy = section_sheet(book, "Strategy and alignment")
    day = answer_cell(strategy, "digital_strategy_date")
    dv = validation_for(strategy, day.coordinate)
    assert dv is not None and dv.type == "date" and dv.formula1 == "DATE(2000,1,1)"
    assert day.number_format == DATE

    contracts = book["Contracts"]
    cols = header_index(contracts)
    end = validation_for(contracts, contracts.cell(50, cols["End date"]).coordinate)
    value = validation_for(contracts, contracts.cell(50, cols["Annual value (£)"]).coordinate)
    assert end is not None and end.type == "date"
    assert value is not None and value.type == "decimal"
    assert contracts.cell(50, cols["End date"]).number_format == DATE
    assert contracts.cell(50, cols["Annual value (£)"]).number_format == CURRENCY


def test_prefilled_return_shows_the_audits_answers_formatted(
    tmp_path: Path, demo: Store, dwp: Department, questionnaire: Questionnaire
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    demo.set_answer(audit.id, "total_tech_spend", 4_321_000.25)
    demo.set_answer(audit.id, "digital_strategy_published", True)  # shows the date
    demo.set_answer(audit.id, "digital_strategy_date", "2013-03-31")
    demo.set_answer(audit.id, "board_tech_item_frequency", "monthly")
    demo.set_answer(audit.id, "cio_on_board", False)
    demo.set_comment(audit.id, "cio_on_board", "Checked with the private office.")
    blank = write_data_return(demo, dwp.id, "2014 review", tmp_path / "blank.xlsx")
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "full.xlsx", prefill=True)

    empty = load_workbook(blank)
    assert answer_cell(section_sheet(empty, "Money"), "total_tech_spend").value is None
    book = load_workbook(path)
    spend = answer_cell(section_sheet(book, "Money"), "total_tech_spend")
    assert spend.value == pytest.approx(4_321_000.25) and spend.number_format == CURRENCY
    day = answer_cell(section_sheet(book, "Strategy and alignment"), "digital_strategy_date")
    assert isinstance(day.value, datetime) and day.value.date() == date(2013, 3, 31)
    assert day.number_format == DATE
    board = section_sheet(book, "Board capability")
    assert answer_cell(board, "board_tech_item_frequency").value == "About once a month"
    assert answer_cell(board, "cio_on_board").value == "No"
    comment_col = header_index(board)["Comment"]
    assert board.cell(row_of(board, "cio_on_board"), comment_col).value == (
        "Checked with the private office."
    )

    # Table rows are there with their ids (hidden), and spare rows follow.
    rows = demo.rows(audit.id, "contracts")
    contracts = book["Contracts"]
    cols = header_index(contracts)
    assert [contracts.cell(r, cols["Row ID"]).value for r in range(2, len(rows) + 2)] == [
        r.id for r in rows
    ]
    assert contracts.cell(len(rows) + 2, cols["Supplier"]).value is None
    assert contracts.max_row == len(rows) + 101
    first = rows[0].cells
    assert contracts.cell(2, cols["Supplier"]).value == first["supplier"]
    end = contracts.cell(2, cols["End date"])
    assert isinstance(end.value, datetime) and end.value.date().isoformat() == first["end_date"]
    assert end.number_format == DATE
    props, _ = metadata_rows(path)
    assert props["prefilled"] == "yes"


def test_prefilled_return_sent_back_unchanged_changes_nothing(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    before = audit_snapshot(demo, audit.id)
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "full.xlsx", prefill=True)

    contents = read_own_workbook(path)
    plan = plan_import(demo, contents)
    assert contents.problems == [] and contents.notes == []
    assert [(p.action, p.changes) for p in plan.audits] == [("unchanged", [])]
    apply_import(demo, plan)
    assert audit_snapshot(demo, audit.id) == before


def test_return_for_a_new_cycle_prefills_from_the_latest_audit_without_row_ids(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    latest = demo.latest_audit(dwp.id)
    assert latest is not None and latest.cycle == "2014 review"
    demo.set_comment(latest.id, "cio_on_board", "Only for the 2014 review.")
    path = write_data_return(demo, dwp.id, "2015 review", tmp_path / "new.xlsx", prefill=True)
    book = load_workbook(path)

    board = section_sheet(book, "Board capability")
    cols = header_index(board)
    assert board.cell(row_of(board, "cio_on_board"), cols["Comment"]).value is None
    roles = book["Senior roles"]
    rcols = header_index(roles)
    rows = demo.rows(latest.id, "senior_roles")
    assert [roles.cell(r + 2, rcols["Post reference"]).value for r in range(len(rows))] == [
        r.cells.get("post_ref") for r in rows
    ]
    assert all(roles.cell(r + 2, rcols["Row ID"]).value is None for r in range(len(rows)))
    _, audits = metadata_rows(path)
    assert audits[0]["cycle"] == "2015 review" and not audits[0]["audit_id"]


# --------------------------------------------------------------------------- filling it in


def choose(book: Workbook, ws: Worksheet, cell: Any, index: int) -> str:
    """Pick the index-th entry of the cell's drop-down, as a department would."""
    dv = validation_for(ws, cell.coordinate)
    assert dv is not None and dv.type == "list", (ws.title, cell.coordinate)
    label = list_labels(book, dv)[index]
    cell.value = label
    return label


def test_return_filled_in_excel_style_is_imported_into_a_new_audit(
    tmp_path: Path, demo: Store, dwp: Department, questionnaire: Questionnaire
) -> None:
    path = write_data_return(demo, dwp.id, "2015 review", tmp_path / "dwp.xlsx")
    book = load_workbook(path)

    board = section_sheet(book, "Board capability")
    choose(book, board, answer_cell(board, "digital_leader_nominated"), 0)  # Yes
    choose(book, board, answer_cell(board, "cio_on_board"), 1)  # No
    answer_cell(board, "board_tech_expert_count").value = 3
    choose(book, board, answer_cell(board, "board_tech_item_frequency"), 3)
    answer_cell(board, "board_capability_maturity").value = 4
    comment_col = header_index(board)["Comment"]
    board.cell(row_of(board, "cio_on_board"), comment_col).value = "The CIO attends only."
    strategy = section_sheet(book, "Strategy and alignment")
    answer_cell(strategy, "digital_strategy_published").value = "Yes"
    answer_cell(strategy, "digital_strategy_date").value = date(2013, 3, 31)
    choose(book, strategy, answer_cell(strategy, "it_strategy_relation"), 2)
    governance = section_sheet(book, "Governance mechanisms")
    answer_cell(governance, "framework_owners").value = "Security; Privacy"
    skills = section_sheet(book, "Skills and pay")
    answer_cell(skills, "scs_tech_policy_trained_pct").value = 45
    answer_cell(skills, "specialist_tech_hires").value = 12
    money = section_sheet(book, "Money")
    answer_cell(money, "total_tech_spend").value = 1_234_567.89
    answer_cell(money, "tech_spend_year").value = "2012-13"

    roles = book["Senior roles"]
    cols = header_index(roles)
    for row, (ref, title, role, grade, employment, status) in enumerate(
        [
            ("DIG-01", "Chief Digital Officer", 1, 9, 0, 0),
            ("DIG-02", "Head of IT", 5, 6, 4, 2),
        ],
        2,
    ):
        roles.cell(row, cols["Post reference"]).value = ref
        roles.cell(row, cols["Job title"]).value = title
        choose(book, roles, roles.cell(row, cols["Role type"]), role)
        choose(book, roles, roles.cell(row, cols["Grade"]), grade)
        choose(book, roles, roles.cell(row, cols["Employment type"]), employment)
        choose(book, roles, roles.cell(row, cols["Post status"]), status)
    roles.cell(2, cols["Board member"]).value = "Yes"
    roles.cell(2, cols["Pay floor (£)"]).value = 98_000
    roles.cell(2, cols["FTE"]).value = 1
    contracts = book["Contracts"]
    ccols = header_index(contracts)
    for row, (supplier, end) in enumerate(
        [("Fujitsu Services Ltd", "31/03/2013"), ("BT plc", date(2016, 9, 30))], 2
    ):
        contracts.cell(row, ccols["Supplier"]).value = supplier
        contracts.cell(row, ccols["Service provided"]).value = "Network and telephony"
        contracts.cell(row, ccols["End date"]).value = end
    contracts.cell(2, ccols["Annual value (£)"]).value = 2_500_000.5
    choose(book, contracts, contracts.cell(3, ccols["Route to market"]), 0)
    book.save(path)

    contents = read_own_workbook(path)
    assert contents.problems == []
    plan = plan_import(demo, contents)
    assert [p.action for p in plan.audits] == ["add"]
    apply_import(demo, plan)

    audit = demo.find_audit(dwp.id, "2015 review")
    assert audit is not None
    assert audit.status == "draft" and "dwp.xlsx" in audit.source
    frequency = questionnaire.question("board_tech_item_frequency").options[3].value
    relation = questionnaire.question("it_strategy_relation").options[2].value
    assert demo.answers(audit.id) == {
        "digital_leader_nominated": True,
        "cio_on_board": False,
        "board_tech_expert_count": 3,
        "board_tech_item_frequency": frequency,
        "board_capability_maturity": 4,
        "digital_strategy_published": True,
        "digital_strategy_date": "2013-03-31",
        "it_strategy_relation": relation,
        "framework_owners": ["security", "privacy"],
        "scs_tech_policy_trained_pct": 45,
        "specialist_tech_hires": 12,
        "total_tech_spend": 1_234_567.89,
        "tech_spend_year": "2012-13",
    }
    assert demo.comments(audit.id) == {"cio_on_board": "The CIO attends only."}

    roles_list = [i.value for i in reference_list("role_types").items]
    grades = [i.value for i in reference_list("grades").items]
    staff = [i.value for i in reference_list("staff_types").items]
    status = [
        o.value for o in questionnaire.question("senior_roles").column("vacant_or_interim").options
    ]
    assert [r.cells for r in demo.rows(audit.id, "senior_roles")] == [
        {"post_ref": "DIG-01", "job_title": "Chief Digital Officer", "role_type": roles_list[1],
         "grade": grades[9], "employment_type": staff[0], "vacant_or_interim": status[0],
         "board_member": True, "pay_floor": 98_000, "fte": 1},
        {"post_ref": "DIG-02", "job_title": "Head of IT", "role_type": roles_list[5],
         "grade": grades[6], "employment_type": staff[4], "vacant_or_interim": status[2]},
    ]  # fmt: skip
    route = questionnaire.question("contracts").column("route").options[0].value
    assert [r.cells for r in demo.rows(audit.id, "contracts")] == [
        {"supplier": "Fujitsu Services Ltd", "service": "Network and telephony",
         "end_date": "2013-03-31", "annual_value": 2_500_000.5},
        {"supplier": "BT plc", "service": "Network and telephony", "end_date": "2016-09-30",
         "route": route},
    ]  # fmt: skip
    assert demo.rows(audit.id, "workforce_mix") == []


def test_prefilled_return_edited_by_the_department_updates_the_audit(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    demo.set_answer(audit.id, "board_tech_expert_count", 2)
    demo.set_answer(audit.id, "digital_leader_nominated", True)  # shows the post
    demo.set_answer(audit.id, "digital_leader_post", "Director General, Digital")
    before = audit_snapshot(demo, audit.id)
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "full.xlsx", prefill=True)
    book = load_workbook(path)
    board = section_sheet(book, "Board capability")
    answer_cell(board, "board_tech_expert_count").value = 5
    answer_cell(board, "digital_leader_post").value = None  # cleared on purpose
    roles = book["Senior roles"]
    cols = header_index(roles)
    roles.cell(2, cols["Job title"]).value = "Chief Data Officer"
    spare = len(before["tables"]["senior_roles"]) + 2
    roles.cell(spare, cols["Post reference"]).value = "NEW-01"  # a spare row filled in
    roles.cell(spare, cols["Job title"]).value = "Chief Data Officer"
    book.save(path)

    plan = plan_import(demo, read_own_workbook(path))
    assert [p.action for p in plan.audits] == ["update"]
    apply_import(demo, plan)

    after = audit_snapshot(demo, audit.id)
    expected_answers = dict(before["answers"], board_tech_expert_count=5)
    del expected_answers["digital_leader_post"]
    assert after["answers"] == expected_answers
    old_rows = before["tables"]["senior_roles"]
    new_rows = after["tables"]["senior_roles"]
    assert [r[0] for r in new_rows[:-1]] == [r[0] for r in old_rows]
    assert new_rows[0][2] == dict(old_rows[0][2], job_title="Chief Data Officer")
    assert new_rows[1:-1] == old_rows[1:]
    assert new_rows[-1][0] not in {r[0] for r in old_rows}
    assert new_rows[-1][2] == {"post_ref": "NEW-01", "job_title": "Chief Data Officer"}
    assert after["tables"]["contracts"] == before["tables"]["contracts"]


def test_row_emptied_in_a_prefilled_return_is_removed(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    old_ids = [r.id for r in demo.rows(audit.id, "senior_roles")]
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "full.xlsx", prefill=True)
    book = load_workbook(path)
    roles = book["Senior roles"]
    cols = header_index(roles)
    assert roles.cell(3, cols["Row ID"]).value == old_ids[1]
    for c in range(1, cols["Row ID"]):  # every cell the department can type in
        roles.cell(3, c).value = None
    book.save(path)

    plan = plan_import(demo, read_own_workbook(path))
    removed = [c for c in plan.audits[0].changes if c.kind == "row removed"]
    assert len(removed) == 1 and removed[0].question_id == "senior_roles"
    apply_import(demo, plan)
    assert [r.id for r in demo.rows(audit.id, "senior_roles")] == [old_ids[0], *old_ids[2:]]


def test_prefilled_text_that_looks_like_a_formula_stays_text(
    tmp_path: Path, demo: Store, dwp: Department
) -> None:
    audit = demo.find_audit(dwp.id, "2014 review")
    assert audit is not None
    demo.set_answer(audit.id, "digital_leader_nominated", True)  # shows the post
    texts = {"digital_leader_post": "=1+1", "senior_roles_notes": "@SUM(A1:A9)"}
    for qid, text in texts.items():
        demo.set_answer(audit.id, qid, text)
    demo.set_comment(audit.id, "cio_on_board", "-2+3")
    first = demo.rows(audit.id, "contracts")[0]
    demo.set_cell(audit.id, first.id, "supplier", "+44 20 7946 0000")
    demo.set_cell(audit.id, first.id, "managed_by", "\t=cmd|' /C calc'!A0")
    path = write_data_return(demo, dwp.id, "2014 review", tmp_path / "full.xlsx", prefill=True)

    book = load_workbook(path)
    cells = [
        answer_cell(section_sheet(book, "Board capability"), "digital_leader_post"),
        answer_cell(section_sheet(book, "Senior technology roles"), "senior_roles_notes"),
    ]
    board = section_sheet(book, "Board capability")
    cells.append(board.cell(row_of(board, "cio_on_board"), header_index(board)["Comment"]))
    contracts = book["Contracts"]
    cols = header_index(contracts)
    cells += [contracts.cell(2, cols["Supplier"]), contracts.cell(2, cols["Managed by"])]
    assert [(c.value, c.data_type) for c in cells] == [
        ("=1+1", "s"),
        ("@SUM(A1:A9)", "s"),
        ("-2+3", "s"),
        ("+44 20 7946 0000", "s"),
        ("\t=cmd|' /C calc'!A0", "s"),
    ]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >/]", xml), name

    plan = plan_import(demo, read_own_workbook(path))
    assert [(p.action, p.changes) for p in plan.audits] == [("unchanged", [])]
