"""Edits at the edges: refused writes, exact numbers, clipboard round trips, stale messages,
undo keys inside fields, and switching workspace mid-edit. Each was a bug found in review."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from models.records import Audit, Row
from models.store import Store
from ui.audit_session import AuditSession
from ui.form_view import SectionPage
from ui.question_editors import LineEditor
from ui.table_editor import TableEditor


def snapshot(rows: list[Row]) -> list[tuple[str, int, dict[str, object]]]:
    return [(r.id, r.position, dict(r.cells)) for r in rows]


def table_editor(qtbot, session: AuditSession, table_id: str) -> TableEditor:
    editor = TableEditor(session.table_model(table_id))
    qtbot.addWidget(editor)
    return editor


def open_new_audit(window: MainWindow) -> Audit:
    store = window.store
    dept = store.add_department("HM Revenue & Customs", "HMRC")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    window.refresh_navigator()
    window.open_audit(audit.id)
    return audit


def board_page(window: MainWindow) -> SectionPage:
    assert window.audit_view is not None
    return window.audit_view.show_section("board")


# ---------------------------------------------------------------- undo refused by the store


def paste_over_column(editor: TableEditor, column: int, text: str) -> None:
    """Select the first rows of a column, as many as the text has, and paste over them."""
    model, selection = editor.model, editor.view.selectionModel()
    n = len(text.splitlines())
    block = QItemSelection(model.index(0, column), model.index(n - 1, column))
    selection.select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    editor.confirm = lambda _title, _text: True  # yes, replace the filled cells
    editor.paste_text(text)


@pytest.mark.parametrize("action", ["move", "add", "delete", "paste"])
def test_redo_after_a_refused_undo_keeps_table_and_file_identical(
    qtbot, session: AuditSession, action: str
) -> None:
    """An undo the store refuses (file locked) changes nothing, so a redo must change nothing.

    QUndoStack moves its index whatever undo() did; each step therefore remembers whether
    it is applied, or the redo would re-apply an edit still in place (the model and the
    file would part company, or the redo would raise).
    """
    editor = table_editor(qtbot, session, "workforce_mix")
    model, store, audit_id = editor.model, session.store, session.audit.id
    headcount = [c.id for c in model.columns].index("headcount")
    editor.view.setCurrentIndex(model.index(0, headcount))
    actions: dict[str, Callable[[], None]] = {
        "move": lambda: editor.move_row(1),
        "add": editor.add_row,
        "delete": editor.delete_rows,
        "paste": lambda: paste_over_column(editor, headcount, "7\n8\n9\n"),  # three cells
    }
    actions[action]()
    failures: list[str] = []
    session.writeFailed.connect(failures.append)

    store.conn.execute("PRAGMA busy_timeout = 0")  # do not wait 5 s for the lock below
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program is writing to the workspace
        session.undo_stack.undo()
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert failures, "the refused undo is reported"
    assert snapshot(model.rows) == snapshot(store.rows(audit_id, "workforce_mix"))

    session.undo_stack.redo()
    assert snapshot(model.rows) == snapshot(store.rows(audit_id, "workforce_mix"))


# ---------------------------------------------------------------- numbers in cells


def test_opening_a_number_cell_and_committing_it_unchanged_keeps_every_digit(
    qtbot, session: AuditSession
) -> None:
    """The cell editor and Copy show every digit: with "{:g}" 12345.75 became 12345.8 when a
    cell was merely opened and closed."""
    store, audit_id = session.store, session.audit.id
    row = store.rows(audit_id, "workforce_mix")[0]
    store.set_cell(audit_id, row.id, "fte", 12345.75)  # FTE across a large department
    editor = table_editor(qtbot, session, "workforce_mix")
    editor.show()
    model = editor.model
    index = model.index(0, [c.id for c in model.columns].index("fte"))
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    cell = editor.view.viewport().findChild(QLineEdit)
    assert cell is not None
    assert cell.text() == "12345.75"
    editor.view.itemDelegate().setModelData(cell, model, index)  # Enter, nothing typed
    assert store.rows(audit_id, "workforce_mix")[0].cells["fte"] == 12345.75
    assert session.undo_stack.count() == 0

    editor.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    editor.copy()
    assert QGuiApplication.clipboard().text() == "12345.75\n"


# ---------------------------------------------------------------- copy, then paste


def test_copied_cell_with_a_line_break_pastes_back_as_one_row(qtbot, session: AuditSession) -> None:
    """Copy quotes a multi-line cell the way Excel does, so it pastes back as one row."""
    store, audit_id = session.store, session.audit.id
    store.insert_rows(
        audit_id, "senior_roles", 0, [{"post_ref": "DIG-01", "job_title": "Line one\nLine two"}]
    )
    editor = table_editor(qtbot, session, "senior_roles")
    model, selection = editor.model, editor.view.selectionModel()
    editor.view.setCurrentIndex(model.index(0, 0))
    selection.select(model.index(0, 1), QItemSelectionModel.SelectionFlag.Select)
    editor.copy()
    editor.paste_new_rows()
    assert [r.cells for r in store.rows(audit_id, "senior_roles")] == [
        {"post_ref": "DIG-01", "job_title": "Line one\nLine two"},
        {"post_ref": "DIG-01", "job_title": "Line one\nLine two"},
    ]


# ---------------------------------------------------------------- typed answers and undo


def test_undo_after_invalid_typing_clears_the_message(qtbot, window: MainWindow) -> None:
    """Undo puts the stored value back into the field and clears the message about the
    invalid text that was there; redo has no "12" to bring back, as none was kept."""
    audit = open_new_audit(window)
    block = board_page(window).blocks["board_tech_expert_count"]
    editor = block.editor
    assert isinstance(editor, LineEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "12x")  # refused with a message; nothing of it is stored
    assert window.store.answer(audit.id, "board_tech_expert_count") is None
    assert block.error.isVisibleTo(block)

    window.undo_action.trigger()
    assert window.store.answer(audit.id, "board_tech_expert_count") is None
    assert editor.edit.text() == ""
    assert not block.error.isVisibleTo(block), block.error.text()
    assert window.session is not None and window.session.unsaved == {}

    window.redo_action.trigger()
    assert editor.edit.text() == ""
    assert window.store.answer(audit.id, "board_tech_expert_count") is None
    assert not block.error.isVisibleTo(block), block.error.text()


def test_ctrl_z_in_a_focused_answer_field_is_the_edit_menu_undo(qtbot, window: MainWindow) -> None:
    """Ctrl+Z in a focused field is the audit's undo, not the line edit's own (whose result
    would be stored as more typing, leaving Edit > Redo unable to bring the answer back)."""
    audit = open_new_audit(window)
    editor = board_page(window).blocks["board_tech_expert_count"].editor
    assert isinstance(editor, LineEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "12")
    assert window.store.answer(audit.id, "board_tech_expert_count") == 12

    qtbot.keyClick(editor.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.answer(audit.id, "board_tech_expert_count") is None
    assert editor.edit.text() == ""

    window.redo_action.trigger()  # Edit > Redo
    assert window.store.answer(audit.id, "board_tech_expert_count") == 12
    assert editor.edit.text() == "12"


# ---------------------------------------------------------------- switching workspace


def test_switching_workspace_while_a_cell_is_being_edited_leaves_no_undo_behind(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    """An open cell editor saves into the audit it was opened in, before that audit's undo
    history is dropped; no step of the old workspace is left to run against a closed store.

    File > Open demo workspace shows no dialog first, so nothing else takes the focus.
    """
    audit = open_new_audit(window)
    window.store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "DIG-01"}])
    assert window.audit_view is not None
    page = window.audit_view.show_section("senior_roles")
    table = page.blocks["senior_roles"].table
    assert table is not None
    index = table.model.index(0, 1)  # job title
    table.view.setCurrentIndex(index)
    table.view.setFocus()
    table.view.edit(index)
    cell = table.view.viewport().findChild(QLineEdit)
    assert cell is not None
    cell.setFocus()
    qtbot.keyClicks(cell, "Head of IT")

    window.open_demo_workspace()
    assert window.store.path != workspace_path
    with Store(workspace_path) as first:  # the typed cell was saved where it was typed
        assert first.rows(audit.id, "senior_roles")[0].cells.get("job_title") == "Head of IT"
    assert not window.undo_stack.canUndo(), window.undo_stack.undoText()
