"""Issue 15 in the form: a new audit shows no section complete, a blank row ticks nothing,
and ticking "None of these" unticks the named areas (and the reverse)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from tests.ui.conftest import DialogScript
from tests.ui.test_audit_workflow import add_department_and_audit
from ui.audit_session import AuditSession
from ui.question_editors import MultiChoiceEditor
from ui.table_editor import TableEditor


def test_a_new_audit_shows_no_section_complete_and_a_blank_row_ticks_nothing(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_department_and_audit(qtbot, window, dialogs)
    view = window.audit_view
    assert view is not None and window.session is not None
    assert view.summary.text().startswith("0 of 9 sections complete")
    page = view.show_section("senior_roles")
    editor = page.findChild(TableEditor)
    assert editor is not None
    editor.add_row()  # one blank roles row
    qtbot.wait(300)  # the section list updates after a short pause
    assert view.summary.text().startswith("0 of 9 sections complete")
    assert not window.session.progress()["senior_roles"].complete
    # fill every required cell: now the table is answered and the section complete
    model = editor.model
    for column, text in (
        ("post_ref", "DIG-01"),
        ("job_title", "Chief Information Officer"),
        ("role_type", "CIO"),
        ("grade", "SCS2"),
        ("employment_type", "Permanent"),
    ):
        col = [c.id for c in model.columns].index(column)
        assert model.setData(model.index(0, col), text)
    assert window.session.progress()["senior_roles"].complete
    qtbot.waitUntil(lambda: view.summary.text().startswith("1 of 9 sections complete"))


def test_none_of_these_stands_alone_in_the_form(qtbot, session: AuditSession) -> None:
    editor = MultiChoiceEditor(
        session.questionnaire.question("framework_owners"), session, lambda _m: None
    )
    qtbot.addWidget(editor)
    boxes = dict(editor.boxes)
    qtbot.mouseClick(boxes["security"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(boxes["privacy"], Qt.MouseButton.LeftButton)
    assert session.store.answer(session.audit.id, "framework_owners") == ["privacy", "security"]
    qtbot.mouseClick(boxes["none"], Qt.MouseButton.LeftButton)
    assert not boxes["security"].isChecked() and not boxes["privacy"].isChecked()
    assert session.store.answer(session.audit.id, "framework_owners") == ["none"]
    qtbot.mouseClick(boxes["open_standards"], Qt.MouseButton.LeftButton)
    assert not boxes["none"].isChecked()
    assert session.store.answer(session.audit.id, "framework_owners") == ["open_standards"]


def test_the_section_list_marks_a_rating_on_thin_evidence(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_department_and_audit(qtbot, window, dialogs)
    view = window.audit_view
    assert view is not None and window.session is not None
    window.session.set_answer("senior_technical_skills_maturity", 2)
    qtbot.waitUntil(lambda: "(provisional: 1 of 3 answered)" in view.sections.item(7).text())
    assert "maturity 2.0" in view.sections.item(7).text()
