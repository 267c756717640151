"""Switching between audits reuses the form, and every widget follows the audit now open."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from tests.ui.conftest import type_text
from ui.question_editors import ButtonsEditor, LineEditor


def test_form_and_tables_follow_the_audit_opened(qtbot, window: MainWindow) -> None:
    store = window.store
    q = current_questionnaire()
    hmrc = store.add_department("HM Revenue & Customs", "HMRC")
    dwp = store.add_department("Department for Work and Pensions", "DWP")
    a = store.create_audit(hmrc.id, "2013 baseline", q)
    b = store.create_audit(dwp.id, "2013 baseline", q)
    store.set_answer(a.id, "digital_leader_nominated", True)
    store.set_answer(a.id, "digital_leader_post", "Chief Digital Officer")
    store.set_comment(a.id, "cio_on_board", "Minutes, May 2013")
    store.insert_rows(a.id, "senior_roles", 0, [{"post_ref": "A1"}, {"post_ref": "A2"}])
    store.insert_rows(b.id, "senior_roles", 0, [{"post_ref": "B1"}])
    window.refresh_navigator()

    window.open_audit(a.id)
    view_a = window.audit_view
    assert view_a is not None
    board = view_a.show_section("board")
    post = board.blocks["digital_leader_post"].editor
    assert isinstance(post, LineEditor) and post.edit.text() == "Chief Digital Officer"
    assert board.blocks["cio_on_board"].comment.isVisibleTo(board)
    roles = view_a.show_section("senior_roles").blocks["senior_roles"].table
    assert roles is not None and roles.model.rowCount() == 2

    window.open_audit(b.id)
    assert window.audit_view is view_a  # the same widgets, rebound
    assert "Department for Work and Pensions" in view_a.header.text()
    assert roles.model.rowCount() == 1 and roles.model.rows[0].cells["post_ref"] == "B1"
    board = view_a.show_section("board")
    assert post.edit.text() == ""
    assert board.blocks["digital_leader_post"].isHidden()  # B has no digital leader yet
    assert not board.blocks["cio_on_board"].comment.isVisibleTo(board)
    nominated = board.blocks["digital_leader_nominated"].editor
    assert isinstance(nominated, ButtonsEditor)
    assert nominated.group.checkedButton() is None
    qtbot.mouseClick(nominated.group.button(1), Qt.MouseButton.LeftButton)  # No, for B
    type_text(board.blocks["board_tech_expert_count"].editor.edit, "2")  # type: ignore[union-attr]

    assert store.answer(b.id, "digital_leader_nominated") is False
    assert store.answer(b.id, "board_tech_expert_count") == 2
    assert store.answer(a.id, "digital_leader_nominated") is True  # A untouched
    assert store.answer(a.id, "board_tech_expert_count") is None

    window.open_audit(a.id)
    assert post.edit.text() == "Chief Digital Officer"
    assert nominated.group.checkedButton() is nominated.group.button(0)
    view_a.show_section("senior_roles")
    assert [r.cells["post_ref"] for r in roles.model.rows] == ["A1", "A2"]
    # Undo history belongs to the audit it was made in: none carried across.
    assert not window.undo_stack.canUndo()
