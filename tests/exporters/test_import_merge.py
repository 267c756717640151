"""What an import changes: only what the workbook changed, never what it did not show or read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from exporters.progress import replacing
from importers.own_workbook import read_own_workbook
from importers.workbook_import import ImportPlan, apply_import, plan_import
from models.audit_content import read_content
from models.questionnaire import Questionnaire
from models.records import Audit
from models.store import SignedOffError, Store
from tests.exporters import sample_audit

SECTION = "1 Board capability"


def plan(store: Store, path: Path) -> ImportPlan:
    return plan_import(store, read_own_workbook(path))


def imported(store: Store, path: Path) -> ImportPlan:
    result = plan(store, path)
    apply_import(store, result)
    return result


def rows_of(ws: Any) -> dict[str, int]:
    """Ref → row number in a section sheet (export: Ref in column C; return: column A)."""
    headers = [c.value for c in ws[1]]
    col = headers.index("Ref") + 1
    return {ws.cell(r, col).value: r for r in range(2, ws.max_row + 1)}


def column(ws: Any, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


@pytest.fixture
def audit(store: Store, questionnaire: Questionnaire) -> Audit:
    return sample_audit(store, questionnaire)


# --------------------------------------------------------------------------- exports


def test_a_deleted_or_unreadable_question_row_keeps_the_stored_answer(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    ws = book[SECTION]
    refs = rows_of(ws)
    ws.cell(refs["cio_on_board"], 3).value = "cio_on_the_board"  # a mistyped Ref
    ws.delete_rows(refs["board_tech_expert_count"])
    book.save(path)

    result = imported(store, path)
    assert [p.message for p in result.problems] == ["no question has this Ref; the row was ignored"]
    assert store.answer(audit.id, "cio_on_board") is True
    assert store.answer(audit.id, "board_tech_expert_count") == 2
    assert store.comments(audit.id)["cio_on_board"] == "Seen in the board minutes of March 2013."


def test_without_the_audit_id_column_rows_are_matched_by_department_and_cycle(
    tmp_path: Path, store: Store, questionnaire: Questionnaire, audit: Audit
) -> None:
    other = sample_audit(store, questionnaire, cycle="2014 review")
    store.set_answer(other.id, "board_tech_expert_count", 7)
    path = tmp_path / "both.xlsx"
    export_audits(store, [audit.id, other.id], path)
    book = load_workbook(path)
    ws = book[SECTION]
    ws.delete_cols(column(ws, "Audit ID"))
    book.save(path)
    store.set_answer(audit.id, "board_tech_expert_count", 0)

    result = imported(store, path)
    assert result.problems == []
    assert store.answer(audit.id, "board_tech_expert_count") == 2
    assert store.answer(other.id, "board_tech_expert_count") == 7


def submittable(store: Store, audit: Audit) -> None:
    """Answer what the sample leaves unanswered, so a submit's checks pass."""
    store.set_answer(audit.id, "independent_review_new_projects", True)
    store.set_answer(audit.id, "governance_maturity", 3)
    store.set_answer(audit.id, "senior_technical_skills_maturity", 2)


def test_status_and_auditor_come_back_and_are_listed(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    submittable(store, audit)
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)
    store.set_audit_fields(audit.id, status="draft", auditor="Someone Else")
    result = imported(store, path)
    listed = {(c.where, c.old, c.new) for c in result.audits[0].changes}
    assert listed == {("Status", "Draft", "Submitted"), ("Auditor", "Someone Else", "R. Huws")}
    assert (store.audit(audit.id).status, store.audit(audit.id).auditor) == ("submitted", "R. Huws")


def test_a_signed_off_audit_is_not_changed_by_a_workbook_until_reopened(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    submittable(store, audit)
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    ws = book[SECTION]
    ws.cell(rows_of(ws)["board_tech_expert_count"], column(ws, "Answer")).value = 9
    book.save(path)
    store.set_status(audit.id, "signed_off")
    history = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    with pytest.raises(SignedOffError, match=r"export\.xlsx changes .* signed off here"):
        imported(store, path)
    assert store.answer(audit.id, "board_tech_expert_count") == 2
    assert store.audit(audit.id).status == "signed_off"
    assert store.conn.execute("SELECT count(*) FROM history").fetchone()[0] == history
    store.set_status(audit.id, "draft", note="board asked for the corrected count")
    imported(store, path)
    assert store.answer(audit.id, "board_tech_expert_count") == 9
    assert store.audit(audit.id).status == "submitted"  # as exported, recorded as imported
    assert store.conn.execute(
        "SELECT note FROM history WHERE kind = 'status' ORDER BY seq DESC LIMIT 1"
    ).fetchone() == ("imported from export.xlsx",)


def test_a_workbook_neither_signs_off_nor_reopens_an_audit(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    """Only the lifecycle's own moves, with who and why, sign off or reopen."""
    draft_book = tmp_path / "draft.xlsx"
    store.set_status(audit.id, "draft")
    export_audits(store, [audit.id], draft_book)
    store.set_status(audit.id, "signed_off")
    signed_book = tmp_path / "signed.xlsx"
    export_audits(store, [audit.id], signed_book)

    result = plan(store, draft_book)  # the same content, exported while a draft
    assert result.audits[0].changes == []
    assert result.notes == [
        "Department for Transport, 2013 baseline: left signed off, not draft as in the "
        "workbook. Only the "
        "app signs an audit off or reopens it, with a record of who and why (Audit ▸ Reopen…)."
    ]
    apply_import(store, result)
    assert store.audit(audit.id).status == "signed_off"

    store.set_status(audit.id, "draft", note="a late correction")
    result = plan(store, signed_book)
    assert [c.where for c in result.audits[0].changes] == []
    assert "Audit ▸ Sign off…" in result.notes[0]
    apply_import(store, result)
    assert store.audit(audit.id).status == "draft"


def test_an_import_records_only_what_it_changed(tmp_path: Path, store: Store, audit: Audit) -> None:
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    ws = book[SECTION]
    ws.cell(rows_of(ws)["board_tech_expert_count"], column(ws, "Answer")).value = 4
    book.save(path)
    before = store.conn.execute("SELECT max(seq) FROM history").fetchone()[0]
    imported(store, path)
    recorded = store.conn.execute(
        "SELECT kind, item, old, new FROM history WHERE seq > ?", [before]
    ).fetchall()
    assert recorded == [("answer", "board_tech_expert_count", "2", "4")]


def test_sorted_and_copied_rows_are_listed_as_what_they_are(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "export.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    ws = book["Senior roles"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    for r, row in enumerate(reversed(values), 2):
        for c, value in enumerate(row, 1):
            ws.cell(r, c).value = value
    ws.append(values[0])  # a copy of the first row, hidden Row ID and all
    book.save(path)

    kinds = sorted(c.kind for c in plan(store, path).audits[0].changes)
    assert kinds == ["row added", "rows reordered"]


# --------------------------------------------------------------------------- data returns


def fill(path: Path, answers: dict[str, Any], comments: dict[str, str] | None = None) -> None:
    book = load_workbook(path)
    for ws in book.worksheets:
        if ws.sheet_state != "visible" or ws.cell(1, 1).value != "Ref":
            continue
        refs = rows_of(ws)
        for ref, value in answers.items():
            if ref in refs:
                ws.cell(refs[ref], 4).value = value
        for ref, text in (comments or {}).items():
            if ref in refs:
                ws.cell(refs[ref], 5).value = text
    book.save(path)


def test_a_comment_on_a_table_question_is_imported(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    fill(path, {}, {"senior_roles": "Two posts are being re-graded."})
    imported(store, path)
    assert store.comments(audit.id)["senior_roles"] == "Two posts are being re-graded."


def test_a_prefilled_return_keeps_what_the_auditor_added_after_sending_it(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    store.set_answer(audit.id, "total_tech_spend", 2_500_000)  # changed after sending
    store.set_answer(audit.id, "cloud_spend", 10_000)  # new after sending
    store.set_comment(audit.id, "board_tech_expert_count", "Asked again in June.")
    store.insert_rows(audit.id, "contracts", 0, [{"supplier": "New supplier Ltd"}])
    fill(path, {"digital_leader_post": None})  # the department deleted one shown answer

    imported(store, path)
    assert store.answer(audit.id, "digital_leader_post") is None
    assert store.answer(audit.id, "cloud_spend") == 10_000
    assert store.comments(audit.id)["board_tech_expert_count"] == "Asked again in June."
    suppliers = [r.cells.get("supplier") for r in store.rows(audit.id, "contracts")]
    assert "New supplier Ltd" in suppliers


def test_a_blank_return_adds_rows_and_importing_it_twice_changes_nothing(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    before = len(store.rows(audit.id, "contracts"))
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path)
    book = load_workbook(path)
    ws = book["Contracts"]
    ws.cell(2, 1).value = "Capita Business Services"
    ws.cell(3, 1).value = "Sopra Steria"
    book.save(path)

    imported(store, path)
    suppliers = [r.cells.get("supplier") for r in store.rows(audit.id, "contracts")]
    assert len(suppliers) == before + 2
    assert suppliers[:2] == ["Capita Business Services", "Sopra Steria"]
    again = plan(store, path)
    assert not again.changes_anything, [c for p in again.audits for c in p.changes]


def test_a_percentage_typed_with_a_percent_sign_in_excel_means_that_percentage(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    book = load_workbook(path)
    ws = book["8 Skills and pay"]
    cell = ws.cell(rows_of(ws)["scs_tech_policy_trained_pct"], 4)
    cell.value, cell.number_format = 0.455, "0.0%"  # what Excel stores for "45.5%"
    ws2 = book["9 Money"]
    money = ws2.cell(rows_of(ws2)["total_tech_spend"], 4)
    money.value, money.number_format = 0.5, "0%"  # a % in a money question is a mistake
    book.save(path)

    result = imported(store, path)
    assert store.answer(audit.id, "scs_tech_policy_trained_pct") == 45.5
    assert [(p.sheet, p.message) for p in result.problems] == [
        ("9 Money", "'50%' is not an amount in pounds.")
    ]


def test_true_in_a_text_cell_is_the_text_excel_showed(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    fill(path, {"digital_leader_post": True})
    imported(store, path)
    assert store.answer(audit.id, "digital_leader_post") == "TRUE"


def test_text_answer_cells_of_a_return_are_formatted_as_text(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path)
    ws = load_workbook(path)[SECTION]
    assert ws.cell(rows_of(ws)["digital_leader_post"], 4).number_format == "@"


def test_a_target_that_cannot_be_replaced_is_named_not_the_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "taken.xlsx"
    target.mkdir()  # something that is not a file sits where the workbook goes
    with pytest.raises(OSError) as caught, replacing(target) as temp:
        temp.write_bytes(b"workbook")
    assert caught.value.filename == str(target)
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"]


def test_content_after_an_unchanged_round_trip_is_identical(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    before = read_content(store, audit.id)
    path = tmp_path / "return.xlsx"
    write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
    assert not plan(store, path).changes_anything
    imported(store, path)
    assert read_content(store, audit.id) == before
