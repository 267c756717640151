"""An answer to a question the form no longer shows is exported marked as not applying.

Digital Leader nominated = Yes, on the board = Yes and the post, then nominated changed to
No: the form hides the other two but keeps their answers, and the flag, dashboard and PDF
say no digital leader sits on the board. The workbook must not list the stale Yes as a
current answer, and reading it back must leave the audit as it was.
"""

from __future__ import annotations

import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.audit_content import read_content
from models.cycle_summary import audit_figures
from models.questionnaire import Questionnaire, parse_questionnaire
from models.records import Audit
from models.store import Store
from models.validation import visible_questions
from tests.exporters.test_data_return import answer_cell, header_index, row_of, section_sheet
from tests.exporters.test_ods_export import assert_same_workbooks, calamine_cells

SECTION = "1 Board capability"
NOMINATED = "Has the department nominated a board member as its Digital Leader?"
WHY = f"No — hidden because “{NOMINATED}” is No"
POST = "Director General, Digital"


@pytest.fixture
def audit(store: Store, questionnaire: Questionnaire) -> Audit:
    """DWP's audit with a Digital Leader recorded and then un-nominated."""
    dept = store.add_department("Department for Work and Pensions", "DWP")
    made = store.create_audit(dept.id, "2015 review", questionnaire)
    store.set_answer(made.id, "digital_leader_nominated", True)
    store.set_answer(made.id, "digital_leader_on_board", True)
    store.set_answer(made.id, "digital_leader_post", POST)
    store.set_answer(made.id, "board_tech_expert_count", 2)
    store.set_answer(made.id, "digital_leader_nominated", False)
    return made


def by_ref(ws: Any) -> dict[str, dict[str, Any]]:
    """Each row of a sheet as header → cell, keyed by its Ref."""
    headers = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(headers, row, strict=False))
        out[str(cells["Ref"].value)] = cells
    return out


def test_a_hidden_answer_is_marked_not_applying_and_greyed(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    assert audit_figures(store, audit.id).indicator("digital_leader_on_board").text == "No"
    path = tmp_path / "dwp.xlsx"
    export_audits(store, [audit.id], path)
    rows = by_ref(load_workbook(path)[SECTION])

    stale = rows["digital_leader_on_board"]
    assert stale["Answer"].value == "Yes"  # kept, as the form keeps it ...
    assert stale["Applies"].value == WHY  # ... but said not to apply
    assert rows["digital_leader_post"]["Applies"].value == WHY
    assert rows["digital_leader_post"]["Answer"].value == POST
    for cell in (stale["Answer"], stale["Question"], stale["Applies"]):
        assert cell.font.color is not None and cell.font.color.rgb == "FF808080"
        assert cell.font.italic

    current = rows["digital_leader_nominated"]
    assert current["Applies"].value == "Yes" and current["Answer"].value == "No"
    assert not current["Answer"].font.italic
    assert current["Answer"].font.color is None or current["Answer"].font.color.rgb != "FF808080"
    assert rows["board_tech_expert_count"]["Applies"].value == "Yes"
    assert rows["board_tech_expert_count"]["Answer"].value == 2


def test_an_unanswered_hidden_question_says_why_too(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "dwp.xlsx"
    export_audits(store, [audit.id], path)
    sheets = [by_ref_safe(ws) for ws in load_workbook(path)]
    (strategy,) = [rows for rows in sheets if "digital_strategy_date" in rows]
    date = strategy["digital_strategy_date"]
    assert date["Answer"].value is None
    assert date["Applies"].value == (
        "No — hidden because “Has the department published a digital strategy?” is not answered"
    )


def test_all_answers_marks_it_and_leaves_its_number_out(
    tmp_path: Path, store: Store, questionnaire: Questionnaire, audit: Audit
) -> None:
    other = store.create_audit(
        store.add_department("Home Office", "HO").id, "2015 review", questionnaire
    )
    store.set_answer(other.id, "digital_leader_nominated", True)
    store.set_answer(other.id, "digital_leader_on_board", True)
    path = tmp_path / "both.xlsx"
    export_audits(store, [audit.id, other.id], path)
    ws = load_workbook(path)["All answers"]
    headers = [c.value for c in ws[1]]
    seen = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        cells = dict(zip(headers, row, strict=False))
        seen[(cells["Department"], cells["Ref"])] = cells
    dwp = seen[("Department for Work and Pensions", "digital_leader_on_board")]
    assert (dwp["Answer"], dwp["Applies"]) == ("Yes", WHY)
    home = seen[("Home Office", "digital_leader_on_board")]
    assert (home["Answer"], home["Applies"]) == ("Yes", "Yes")
    count = seen[("Department for Work and Pensions", "board_tech_expert_count")]
    assert (count["Number"], count["Applies"]) == (2, "Yes")


def test_a_hidden_number_is_not_in_the_number_column(
    tmp_path: Path, store: Store, questionnaire: Questionnaire, audit: Audit
) -> None:
    """A number the form hides is not summed by an analyst: its Number cell is blank."""
    shipped = resources.files("resources") / "questionnaires" / "board-technology-baseline-v2.yaml"
    text = shipped.read_text(encoding="utf-8")
    where = "- id: board_tech_expert_count\n        type: integer\n"
    assert where in text and questionnaire.version == 2
    hiding = "        visible_if: {question: digital_leader_nominated, equals: true}\n"
    form = parse_questionnaire(text.replace(where, where + hiding), source="test.yaml")
    other = store.create_audit(store.add_department("Other").id, "2015 review", questionnaire)
    store.set_answer(other.id, "board_tech_expert_count", 3)
    path = tmp_path / "both.xlsx"
    export_audits(store, [audit.id, other.id], path, questionnaires=lambda _i, _v: form)
    ws = load_workbook(path)["All answers"]
    headers = [c.value for c in ws[1]]
    seen = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        cells = dict(zip(headers, row, strict=False))
        seen[(cells["Department"], cells["Ref"])] = cells
    hidden = seen[("Department for Work and Pensions", "board_tech_expert_count")]
    assert (hidden["Answer"], hidden["Number"], hidden["Applies"]) == ("2", None, WHY)
    shown = seen[("Other", "board_tech_expert_count")]
    assert (shown["Answer"], shown["Number"], shown["Applies"]) == (
        "3",
        None,
        "No — hidden because “Has the department nominated a board member as its Digital "
        "Leader?” is not answered",
    )


def by_ref_safe(ws: Any) -> dict[str, dict[str, Any]]:
    """by_ref for a section sheet, {} for any other sheet."""
    headers = [c.value for c in ws[1]]
    return by_ref(ws) if "Ref" in headers and "Applies" in headers else {}


def test_reimporting_the_export_keeps_the_stale_answer_hidden(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "dwp.xlsx"
    export_audits(store, [audit.id], path)
    before = read_content(store, audit.id)

    plan = plan_import(store, read_own_workbook(path))
    assert not plan.problems
    assert [p.action for p in plan.audits] == ["unchanged"]
    apply_import(store, plan)
    after = read_content(store, audit.id)
    assert after.answers == before.answers
    assert "digital_leader_on_board" not in visible_questions(
        audit_figures(store, audit.id).questionnaire, after.answers
    )
    assert audit_figures(store, audit.id).indicator("digital_leader_on_board").text == "No"


def test_importing_the_export_into_a_new_workspace_does_not_make_it_current(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = tmp_path / "dwp.xlsx"
    export_audits(store, [audit.id], path)
    fresh = Store(tmp_path / "fresh.sqlite")
    try:
        plan = plan_import(fresh, read_own_workbook(path))
        assert [p.action for p in plan.audits] == ["add"]
        apply_import(fresh, plan)
        (copy,) = fresh.audits()
        assert fresh.answer(copy.id, "digital_leader_nominated") is False
        assert audit_figures(fresh, copy.id).indicator("digital_leader_on_board").text == "No"
        again = tmp_path / "again.xlsx"
        export_audits(fresh, [copy.id], again)
        rows = by_ref(load_workbook(again)[SECTION])
        assert rows["digital_leader_on_board"]["Applies"].value == WHY
    finally:
        fresh.close()


def test_the_ods_export_marks_and_greys_it_as_the_xlsx_does(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    ods = export_audits(store, [audit.id], tmp_path / "dwp.ods").path
    xlsx = export_audits(store, [audit.id], tmp_path / "dwp.xlsx").path
    assert_same_workbooks(xlsx, ods)
    rows = calamine_cells(ods)[SECTION]
    headers = rows[0]
    stale = next(r for r in rows if r[headers.index("Ref")] == "digital_leader_on_board")
    assert stale[headers.index("Applies")] == WHY
    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode()
    assert 'fo:color="#808080"' in content and 'fo:font-style="italic"' in content
    plan = plan_import(store, read_own_workbook(ods))
    assert not plan.problems and not plan.changes_anything


# --------------------------------------------------------------------------- data returns


def test_a_prefilled_return_leaves_a_hidden_answer_blank_and_says_why(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = write_data_return(
        store, audit.department_id, "2015 review", tmp_path / "ret.xlsx", prefill=True
    )
    board = section_sheet(load_workbook(path), "Board capability")
    assert answer_cell(board, "digital_leader_nominated").value == "No"
    assert answer_cell(board, "digital_leader_on_board").value is None
    assert answer_cell(board, "digital_leader_post").value is None
    guide = board.cell(row_of(board, "digital_leader_on_board"), header_index(board)["Guidance"])
    assert guide.value.endswith(
        f"Not pre-filled: the form does not show this question now: hidden because “{NOMINATED}” "
        "is No."
    )
    before = read_content(store, audit.id)
    plan = plan_import(store, read_own_workbook(path))  # sent back as it was
    assert not plan.problems and [p.action for p in plan.audits] == ["unchanged"]
    apply_import(store, plan)
    assert read_content(store, audit.id).answers == before.answers  # kept, still hidden


def test_a_return_for_the_next_cycle_does_not_carry_a_hidden_answer(
    tmp_path: Path, store: Store, audit: Audit
) -> None:
    path = write_data_return(
        store, audit.department_id, "2016 review", tmp_path / "next.xlsx", prefill=True
    )
    apply_import(store, plan_import(store, read_own_workbook(path)))
    made = store.find_audit(audit.department_id, "2016 review")
    assert made is not None
    answers = store.answers(made.id)
    assert answers.get("digital_leader_nominated") is False
    assert "digital_leader_on_board" not in answers and "digital_leader_post" not in answers
