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
