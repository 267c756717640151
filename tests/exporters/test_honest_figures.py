"""Issue 15 in the files a board and an analyst read: PDFs read back with pypdf, workbooks
edited with openpyxl and imported. Unanswered is 'Not answered', a disagreement is
'Conflicting — resolve before sign-off', a thin rating is provisional, and 'None of these'
ticked with named areas is refused at the workbook door as at every other."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from exporters.board_report import write_board_report
from exporters.data_return import write_data_return
from exporters.summary_report import write_summary_report
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.questionnaire import Questionnaire
from models.records import Audit
from models.store import Store
from tests.exporters.test_board_report import pages_text
from tests.exporters.test_import_errors import answer_cell
from tests.models.test_findings import COMPLETE, post

CYCLE = "2013 baseline"


def _audit(store: Store, questionnaire: Questionnaire) -> str:
    """Digital leader answered No with a board-member row; CIO unanswered; skills thin."""
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, CYCLE, questionnaire, auditor="A. Auditor")
    answers = {
        **COMPLETE,
        "digital_leader_on_board": False,
        "senior_technical_skills_maturity": 1,
    }
    for question_id, value in answers.items():
        store.set_answer(audit.id, question_id, value)
    store.insert_rows(
        audit.id, "senior_roles", 0, [post("digital_leader", board=True), post("cto")]
    )
    return audit.id


def test_board_report_says_not_answered_and_conflicting_never_yes_or_no(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    audit_id = _audit(store, questionnaire)
    out = tmp_path / "board.pdf"
    write_board_report(store, audit_id, out, issued=date(2014, 4, 1))
    text = " ".join(pages_text(out))
    assert "A CIO or equivalent sits on the board Not answered" in text
    assert "A digital leader sits on the board Conflicting — resolve before sign-off" in text
    assert "No CIO or equivalent" not in text
    assert "No digital leader sits" not in text
    assert "A digital leader sits on the board Yes" not in text
    assert "Make the Digital Leader a full member of the board" not in text
    # the conflict is listed to resolve, and every indicator's rule is printed
    assert "To resolve before sign-off" in text
    assert "Answered No to 'Does the Digital Leader sit on the departmental board" in text
    assert "How the figures are worked out" in text
    assert "Vacant posts are left out of both sides" in text
    # skills and pay rests on 1 of its 3 scoring questions
    assert "Provisional (1 of 3 answered)" in text


def test_summary_report_counts_flags_over_departments_answering(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _audit(store, questionnaire)
    out = tmp_path / "summary.pdf"
    write_summary_report(store, CYCLE, out, issued=date(2014, 5, 2))
    text = " ".join(pages_text(out))
    assert (
        "A CIO or equivalent sits on the board Yes in 0 of 0 departments answering 1 not answered"
        in text
    )
    assert (
        "A digital leader sits on the board Yes in 0 of 0 departments answering 1 conflicting"
        in text
    )
    assert "Home Office Not answered" in text
    assert "Home Office Conflicting — resolve before sign-off" in text


def test_a_returned_workbook_with_none_of_these_and_an_area_is_refused(
    demo: Store, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    dept = demo.find_department("DWP")
    assert dept is not None
    audit: Audit | None = demo.find_audit(dept.id, "2014 review")
    assert audit is not None
    demo.set_answer(audit.id, "framework_owners", ["security"])
    returned = write_data_return(
        demo, dept.id, audit.cycle, tmp_path / "dwp-return.xlsx", prefill=True
    )
    book = load_workbook(returned)
    sheet = next(ws for ws in book.worksheets if ws.title.endswith("Governance mechanisms"))
    answer_cell(sheet, "framework_owners").value = "None of these has a named owner; Security"
    book.save(returned)

    contents = read_own_workbook(returned)
    label = questionnaire.question("framework_owners").label
    [problem] = [p for p in contents.problems if p.question == label]
    assert "cannot be chosen with other options" in problem.message
    apply_import(demo, plan_import(demo, contents))
    assert demo.answers(audit.id)["framework_owners"] == ["security"]
