"""The lifecycle from the Audit menu and the header button, and the signed-off lock in the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from desktop.main_window import MainWindow
from models.content_hash import short
from models.questionnaire import current_questionnaire
from tests.ui.conftest import DialogScript
from ui.commands import SetAnswerCommand
from ui.dialogs import ConfirmMoveDialog
from ui.history_dialog import HistoryDialog
from ui.lifecycle_actions import MissingAnswersDialog, ReasonDialog, SignOffDialog
from ui.question_editors import ButtonsEditor, LineEditor

ANSWERS = {
    "digital_leader_nominated": False,
    "board_capability_maturity": 3,
    "user_needs_maturity": 2,
    "independent_review_new_projects": True,
    "governance_maturity": 4,
    "senior_technical_skills_maturity": 2,
    "total_tech_spend": 1250000.0,
    "tech_spend_year": "2012-13",
    "board_tech_expert_count": 2,
}  # everything required but digital_strategy_published
ROLE = {
    "post_ref": "CIO1",
    "job_title": "Chief Information Officer",
    "role_type": "cio",
    "grade": "scs2",
    "employment_type": "permanent",
}


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent: object, _title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def _open_audit(window: MainWindow) -> str:
    store = window.store
    dept = store.add_department("Department for Education", "DfE")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    for question_id, value in ANSWERS.items():
        store.set_answer(audit.id, question_id, value)
    store.insert_rows(audit.id, "senior_roles", 0, [ROLE])
    # a complete row: one with a required cell blank stops submission (issue 15)
    store.insert_rows(
        audit.id, "workforce_mix", 0, [{"profession_family": "data", "staff_type": "permanent"}]
    )
    window.refresh_navigator()
    window.open_audit(audit.id)
    return audit.id


def _enabled(window: MainWindow) -> list[str]:
    window.lifecycle.update()
    return [k for k, a in window.lifecycle.moves.items() if a.isEnabled()]


def _navigator_text(window: MainWindow) -> str:
    dept = window.navigator.tree.item(0)
    return str(dept.child(0).text())


def test_draft_to_signed_off_then_locked_then_reopened(
    qtbot, window: MainWindow, dialogs: DialogScript, warnings: list[str]
) -> None:
    audit_id = _open_audit(window)
    store, view = window.store, window.audit_view
    assert view is not None
    assert _enabled(window) == ["submit"]
    assert view.next_move.text() == "Submit for review…" and view.banner.isHidden()

    # Submitting with a required answer missing: listed, and the jump lands on it.
    def missing(dialog: MissingAnswersDialog) -> bool:
        assert dialog.list.wordWrap()  # long question texts wrap instead of being cut
        items = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert items == [
            "Strategy and alignment — Has the department published a digital strategy?"
        ]
        return True  # "Go to first"

    dialogs.then(missing)
    qtbot.mouseClick(view.next_move, Qt.MouseButton.LeftButton)
    assert store.audit(audit_id).status == "draft"
    assert view.current_section_id() == "strategy"
    block = view.page("strategy").blocks["digital_strategy_published"]
    assert block.isAncestorOf(QApplication.focusWidget())

    # Answer it in the form; now it submits (from the menu this time).
    strategy = block.editor
    assert isinstance(strategy, ButtonsEditor)
    qtbot.mouseClick(strategy.group.button(0), Qt.MouseButton.LeftButton)  # Yes

    def confirm_submit(dialog: ConfirmMoveDialog) -> bool:
        assert "It can then be marked as reviewed or returned to draft" in dialog.text.text()
        return True

    dialogs.then(confirm_submit)
    window.lifecycle.moves["submit"].trigger()
    assert store.audit(audit_id).status == "submitted"
    assert "Submitted" in view.header.text() and "Submitted" in _navigator_text(window)
    assert _enabled(window) == ["review", "return"]
    assert view.next_move.text() == "Mark as reviewed…"

    qtbot.waitUntil(view.next_move.isEnabled)  # not at once: a double-click's second click
    dialogs.then(lambda dialog: "signed off" in dialog.text.text())  # Mark as reviewed?
    qtbot.mouseClick(view.next_move, Qt.MouseButton.LeftButton)
    assert store.audit(audit_id).status == "reviewed"
    assert _enabled(window) == ["sign_off", "return"]

    # Sign off: a confirmation naming the audit; cancelling it changes nothing.
    def cancel(dialog: SignOffDialog) -> bool:
        assert "Department for Education — 2013 baseline" in dialog.text.text()
        return False

    dialogs.then(cancel)
    window.lifecycle.moves["sign_off"].trigger()
    assert store.audit(audit_id).status == "reviewed"
    dialogs.then(lambda _dialog: True)
    window.lifecycle.moves["sign_off"].trigger()
    signed = store.audit(audit_id)
    assert signed.status == "signed_off"
    assert signed.content_hash == store.content_hash(audit_id)
    assert short(signed.content_hash) in window.statusBar().currentMessage()
    assert "Signed off" in _navigator_text(window)
    assert _enabled(window) == ["reopen"]
    assert view.banner.isVisibleTo(view)
    banner = view.banner.text()
    assert banner.startswith("Signed off on ") and "read-only" in banner
    assert f"by {store.actor}" in banner and short(signed.content_hash) in banner

    _check_locked(qtbot, window, audit_id, warnings)

    # Reopening needs a reason: OK stays disabled, and an empty reason moves nothing.
    def no_reason(dialog: ReasonDialog) -> bool:
        assert not dialog.ok_button.isEnabled()
        return True

    dialogs.then(no_reason)
    window.lifecycle.moves["reopen"].trigger()
    assert store.audit(audit_id).status == "signed_off"

    def reason(dialog: ReasonDialog) -> bool:
        qtbot.keyClicks(dialog.reason_edit, "Spend figure was for 2011-12")
        assert dialog.ok_button.isEnabled()
        return True

    dialogs.then(reason)
    qtbot.waitUntil(view.next_move.isEnabled)
    qtbot.mouseClick(view.next_move, Qt.MouseButton.LeftButton)  # "Reopen…"
    assert store.audit(audit_id).status == "draft"
    assert view.banner.isHidden() and view.next_move.text() == "Submit for review…"

    # Editable again, without reopening the window.
    count = view.show_section("board").blocks["board_tech_expert_count"].editor
    assert isinstance(count, LineEditor) and not count.edit.isReadOnly()
    count.edit.selectAll()
    qtbot.keyClicks(count.edit, "5")
    assert store.answer(audit_id, "board_tech_expert_count") == 5
    roles = view.show_section("senior_roles").blocks["senior_roles"].table
    assert roles is not None
    assert roles.model.flags(roles.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    roles.actions["add"].trigger()
    assert store.row_counts(audit_id)["senior_roles"] == 2

    # The audit's history lists each move, with the reason for reopening.
    def timeline(dialog: HistoryDialog) -> bool:
        rows = [
            (dialog.cell(r, "What"), dialog.cell(r, "Note")) for r in range(dialog.table.rowCount())
        ]
        assert rows == [
            ("Reopened", "Spend figure was for 2011-12"),
            ("Signed off", ""),
            ("Reviewed", ""),
            ("Submitted", ""),
            ("Created as draft", ""),
        ]
        assert dialog.cell(0, "Who") == store.actor
        return False

    dialogs.then(timeline)
    window.lifecycle.audit_history_action.trigger()
    assert not dialogs.steps and not warnings


def _check_locked(qtbot, window: MainWindow, audit_id: str, warnings: list[str]) -> None:
    """Every editor refuses input; a step pushed anyway is refused by the store."""
    store, view = window.store, window.audit_view
    assert view is not None and window.session is not None and window.session.read_only
    before = store.content_hash(audit_id)
    assert not window.undo_action.isEnabled()  # nothing to undo into a locked audit

    board = view.show_section("board")
    count = board.blocks["board_tech_expert_count"]
    assert isinstance(count.editor, LineEditor) and count.editor.edit.isReadOnly()
    count.editor.edit.setFocus()
    qtbot.keyClicks(count.editor.edit, "7")
    assert count.editor.edit.text() == "2"
    nominated = board.blocks["digital_leader_nominated"].editor
    assert isinstance(nominated, ButtonsEditor)
    assert not any(b.isVisible() for b in nominated.group.buttons())  # shown as text instead
    assert nominated._stored_text is not None and nominated._stored_text.isVisible()
    assert board.blocks["cio_on_board"].comment_button.isHidden()
    assert board.blocks["cio_on_board"].comment.isReadOnly()

    roles = view.show_section("senior_roles").blocks["senior_roles"].table
    assert roles is not None
    cell = roles.model.index(0, 1)
    assert not roles.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert roles.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    roles.view.setFocus()
    roles.view.setCurrentIndex(cell)
    qtbot.keyClicks(roles.view, "Head of Digital")
    assert roles.view.state() != QAbstractItemView.State.EditingState
    qtbot.keyClick(roles.view, Qt.Key.Key_Insert)  # add a row
    qtbot.keyClick(roles.view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(roles.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    roles.paste_text("T9\tTechnical Architect")
    assert not roles.model.setData(cell, "Head of Digital")
    assert all(not roles.actions[k].isEnabled() for k in ("add", "delete", "paste", "clear"))
    assert roles.actions["copy"].isEnabled()  # reading and copying still work

    # A step that reaches the undo stack anyway is refused by the models.
    window.undo_stack.push(
        SetAnswerCommand(window.session, "board_tech_expert_count", 2, 9, typing=False)
    )
    assert len(warnings) == 1 and "signed off" in warnings.pop()
    assert not window.undo_action.isEnabled()
    assert store.content_hash(audit_id) == before
    assert store.answer(audit_id, "board_tech_expert_count") == 2
    assert [r.cells["job_title"] for r in store.rows(audit_id, "senior_roles")] == [
        "Chief Information Officer"
    ]


def test_a_workspace_opened_read_only_locks_every_audit(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path
) -> None:
    """Another copy holds the workspace: the form shows why, and no move is offered."""
    from models.store import Store

    audit_id = _open_audit(window)
    path = window.store.path
    window.close_audit()
    window.store.close()
    window.store = Store(path, read_only=True)
    window.open_audit(audit_id)
    view = window.audit_view
    assert view is not None and window.session is not None and window.session.read_only
    assert view.banner.text().startswith("Open read-only: ")
    assert view.next_move.isHidden() and _enabled(window) == []
    count = view.show_section("board").blocks["board_tech_expert_count"].editor
    assert isinstance(count, LineEditor) and count.edit.isReadOnly()
    qtbot.keyClicks(count.edit, "9")
    assert window.store.answer(audit_id, "board_tech_expert_count") == 2
