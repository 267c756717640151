"""Finding a question and answering one: the form shows where, and does not jump."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire


def open_audit(window: MainWindow) -> str:
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    window.refresh_navigator()
    window.open_audit(audit.id)
    return audit.id


def test_go_to_first_missing_answer_marks_the_question(qtbot, window: MainWindow) -> None:
    """ "Go to first" moved the cursor but nothing showed which question it meant."""
    open_audit(window)
    assert window.audit_view is not None
    window.go_to_missing()
    page = window.audit_view.show_section("board")
    block = page.blocks["digital_leader_nominated"]
    assert block.highlighted
    assert block.palette().color(block.backgroundRole()).name() == "#fff4d6"
    qtbot.waitUntil(lambda: not block.highlighted, timeout=6000)


def test_follow_up_questions_do_not_move_the_question_under_the_pointer(
    qtbot, window: MainWindow
) -> None:
    """A follow-up question appearing above the pointer used to push the page under it."""
    open_audit(window)
    assert window.audit_view is not None
    page = window.audit_view.show_section("strategy")
    qtbot.waitUntil(page.isVisible)
    target = page.blocks["digital_strategy_published"]
    below = next(
        b
        for qid, b in page.blocks.items()
        if b.isVisible() and b.y() > target.y() and qid != "digital_strategy_published"
    )
    page.ensureWidgetVisible(below)
    qtbot.wait(50)
    spot = below.mapTo(page.viewport(), QPoint(10, 5))
    QCursor.setPos(page.viewport().mapToGlobal(spot))
    if page.viewport().childAt(page.viewport().mapFromGlobal(QCursor.pos())) is None:
        below.focus_target().setFocus()  # no pointer on this platform: the focus anchors
    before = below.mapTo(page.viewport(), QPoint(0, 0)).y()
    window.session.set_answer("digital_strategy_published", True)  # reveals two follow-ups
    assert page.blocks["digital_strategy_date"].isVisibleTo(page)
    qtbot.wait(50)
    QApplication.processEvents()
    assert below.mapTo(page.viewport(), QPoint(0, 0)).y() == before


def test_undo_in_another_section_shows_the_question_and_says_what(
    qtbot, window: MainWindow
) -> None:
    """Ctrl+Z removed an answer typed in Money while Board capability was on screen, and
    nothing showed or said so: it now goes to the question, marks it and says what."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.question_editors import LineEditor

    audit_id = open_audit(window)
    view = window.audit_view
    assert view is not None
    year = view.show_section("money").blocks["tech_spend_year"]
    assert isinstance(year.editor, LineEditor)
    year.editor.edit.setFocus()
    qtbot.waitUntil(year.editor.edit.hasFocus)
    QTest.keyClicks(year.editor.edit, "2013-14")
    assert window.store.answers(audit_id)["tech_spend_year"] == "2013-14"
    board = view.show_section("board")
    field = board.blocks["digital_leader_nominated"].focus_target()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    assert view.current_section_id() == "board"

    QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "tech_spend_year" not in window.store.answers(audit_id)
    assert view.current_section_id() == "money"
    assert year.highlighted and year.editor.edit.hasFocus()
    assert window.statusBar().currentMessage() == (
        "Undone: answer to “Which financial year do the spending fi…” in Money"
    )

    view.show_section("board")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClick(field, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.store.answers(audit_id)["tech_spend_year"] == "2013-14"
    assert view.current_section_id() == "money"
    assert window.statusBar().currentMessage().startswith("Redone: answer to")
    assert year.editor.edit.text() == "2013-14"

    # Ctrl+Z in the field itself: the cursor stays where it is, typing goes on.
    year.unhighlight()
    QTest.keyClick(year.editor.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert year.editor.edit.hasFocus() and not year.highlighted
    assert window.statusBar().currentMessage().startswith("Undone: answer to")


def test_a_blank_required_cell_is_not_done_and_ctrl_m_goes_to_it(qtbot, window: MainWindow) -> None:
    """A blank row added to Senior technology roles left the section ticked "2/2 answered",
    the footer counting it complete and Ctrl+M saying nothing of it, while Submit refused
    the audit for its blank cells."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.models.test_lifecycle import MIX, REQUIRED_ANSWERS, ROLE

    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    for question_id, value in REQUIRED_ANSWERS.items():
        store.set_answer(audit.id, question_id, value)
    store.insert_rows(audit.id, "senior_roles", 0, [ROLE, {**ROLE, "post_ref": "CTO1"}])
    store.insert_rows(audit.id, "workforce_mix", 0, [MIX])
    window.refresh_navigator()
    window.open_audit(audit.id)
    view = window.audit_view
    assert view is not None
    roles_row = [s.id for s in view.session.questionnaire.sections].index("senior_roles")

    def roles_item() -> str:
        return view.sections.item(roles_row).text()

    assert roles_item().startswith("✓")
    complete_before = int(view.summary.text().split()[0])
    window.go_to_missing()
    assert window.statusBar().currentMessage() == "Every required question is answered."

    table = view.show_section("senior_roles").blocks["senior_roles"].table
    assert table is not None
    table.view.setFocus()
    qtbot.waitUntil(table.view.hasFocus)
    QTest.keyClick(table.view, Qt.Key.Key_Insert)  # a blank role, as the auditor adds one
    qtbot.waitUntil(lambda: "1 incomplete row" in roles_item())
    assert roles_item().startswith("•")
    assert int(view.summary.text().split()[0]) == complete_before - 1

    view.show_section("board")
    window.go_to_missing()
    assert view.current_section_id() == "senior_roles"
    assert table.view.hasFocus()
    blank = next(i for i, row in enumerate(table.model.rows) if not row.cells)
    current = table.view.currentIndex()
    assert (current.row(), table.model.columns[current.column()].id) == (blank, "post_ref")
    assert window.statusBar().currentMessage() == (
        "5 required cell(s) blank; this is the first: Senior technology roles, "
        f"row {blank + 1}: Post reference."
    )
