"""The table editor: a well-behaved item model, row operations that commit and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from models.questionnaire import current_questionnaire
from models.store import Store
from ui.audit_session import AuditSession
from ui.commands import DeleteRowsCommand, MoveRowCommand
from ui.row_table_model import FIRST_PAGE
from ui.table_editor import TableEditor


def families(store: Store, audit_id: str) -> list[str]:
    return [r.cells.get("profession_family", "") for r in store.rows(audit_id, "workforce_mix")]


def test_model_passes_qt_model_checks(qtmodeltester, session: AuditSession) -> None:
    model = session.table_model("workforce_mix")
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.data(model.index(0, 3)) == "9.5"
    assert model.headerData(1, Qt.Orientation.Horizontal).endswith("*")  # staff type is required


def test_row_operations_commit_and_undo(qtbot, session: AuditSession) -> None:
    editor = TableEditor(session.table_model("workforce_mix"))
    qtbot.addWidget(editor)
    store, audit_id, stack = session.store, session.audit.id, session.undo_stack
    view, model = editor.view, editor.model

    # Move the first row down with the button's action.
    view.setCurrentIndex(model.index(0, 0))
    editor.actions["down"].trigger()
    assert families(store, audit_id) == ["architecture", "data", "it_operations"]

    # Duplicate it: the copy lands below, with its own id.
    view.setCurrentIndex(model.index(1, 0))
    editor.actions["duplicate"].trigger()
    rows = store.rows(audit_id, "workforce_mix")
    assert families(store, audit_id) == ["architecture", "data", "data", "it_operations"]
    assert rows[1].id != rows[2].id and rows[1].cells == rows[2].cells

    # Delete two rows; positions close up.
    view.selectionModel().clearSelection()
    view.setCurrentIndex(model.index(0, 0))
    view.selectionModel().select(model.index(3, 0), view.selectionModel().SelectionFlag.Select)
    editor.actions["delete"].trigger()
    assert families(store, audit_id) == ["data", "data"]
    assert [r.position for r in store.rows(audit_id, "workforce_mix")] == [0, 1]

    # Type an invalid value: refused with a message naming row and column.
    fte_col = [c.id for c in model.columns].index("fte")
    assert not model.setData(model.index(0, fte_col), "lots")
    assert "Row 1, FTE" in editor.message.text()
    assert model.setData(model.index(0, fte_col), "8.25")
    assert store.rows(audit_id, "workforce_mix")[0].cells["fte"] == 8.25

    # Undo everything, one step at a time, back to the start.
    while stack.canUndo():
        stack.undo()
    assert families(store, audit_id) == ["data", "architecture", "it_operations"]
    assert store.rows(audit_id, "workforce_mix")[0].cells["fte"] == 9.5
    assert [r.cells.get("profession_family") for r in model.rows] == families(store, audit_id)
    # ...and redo it all.
    while stack.canRedo():
        stack.redo()
    assert families(store, audit_id) == ["data", "data"]
    assert store.rows(audit_id, "workforce_mix")[0].cells["fte"] == 8.25


def test_choice_cells_use_a_drop_down_of_the_reference_list(qtbot, session: AuditSession) -> None:
    editor = TableEditor(session.table_model("workforce_mix"))
    qtbot.addWidget(editor)
    editor.show()
    model = editor.model
    staff_col = [c.id for c in model.columns].index("staff_type")
    index = model.index(0, staff_col)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    from PySide6.QtWidgets import QComboBox

    combo = editor.view.viewport().findChild(QComboBox)
    assert combo is not None
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Permanent civil servant" in labels and len(labels) >= 8
    combo.setCurrentIndex(combo.findText("Permanent civil servant"))
    editor.view.itemDelegate().setModelData(combo, model, index)
    assert (
        session.store.rows(session.audit.id, "workforce_mix")[0].cells["staff_type"] == "permanent"
    )


@pytest.fixture
def long_session(qtbot, tmp_path: Path):
    """An audit whose roles table is longer than the first page a table opens with."""
    store = Store(tmp_path / "long.sqlite")
    dept = store.add_department("Ministry of Defence", "MOD")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    count = FIRST_PAGE * 2 + 50
    store.bulk_rows(audit.id, "senior_roles", [{"post_ref": f"P{i:04d}"} for i in range(count)])
    yield AuditSession(store, audit, QUndoStack()), count
    store.close()


def test_long_table_shows_a_page_then_loads_the_rest_once_painted(qtbot, long_session) -> None:
    session, count = long_session
    editor = TableEditor(session.table_model("senior_roles"))
    qtbot.addWidget(editor)
    model = editor.model
    assert model.rowCount() == FIRST_PAGE  # shown at once
    assert model.row_total == count
    assert editor.count_label.text() == f"{count} roles"
    editor.show()  # once the first page is painted, the rest is read when idle
    qtbot.waitUntil(lambda: model.rowCount() == count, timeout=3000)
    assert [r.cells["post_ref"] for r in model.rows] == [f"P{i:04d}" for i in range(count)]
    assert not model.canFetchMore()


def test_editing_a_partly_loaded_table_reads_the_whole_table_first(qtbot, long_session) -> None:
    session, count = long_session
    model = session.table_model("senior_roles")
    assert model.rowCount() == FIRST_PAGE
    # Delete the last row (beyond the first page) and move the first to the end, then undo.
    last = model.rows[-1]  # reading `rows` loads everything
    assert model.rowCount() == count
    session.undo_stack.push(DeleteRowsCommand(model, [last]))
    session.undo_stack.push(MoveRowCommand(model, model.rows[0].id, 0, count - 2))
    store_refs = [r.cells["post_ref"] for r in session.store.rows(session.audit.id, "senior_roles")]
    assert store_refs == [r.cells["post_ref"] for r in model.rows]
    assert store_refs[-1] == "P0000" and f"P{count - 1:04d}" not in store_refs
    session.undo_stack.undo()
    session.undo_stack.undo()
    store_refs = [r.cells["post_ref"] for r in session.store.rows(session.audit.id, "senior_roles")]
    assert store_refs == [f"P{i:04d}" for i in range(count)]
    assert store_refs == [r.cells["post_ref"] for r in model.rows]


def test_partly_loaded_model_passes_qt_model_checks(qtmodeltester, long_session) -> None:
    session, _count = long_session
    model = session.table_model("senior_roles")
    assert model.canFetchMore()
    qtmodeltester.check(model, force_py=True)


def test_closing_a_half_loaded_table_then_its_workspace_reads_nothing_more(
    qtbot, long_session
) -> None:
    session, _count = long_session
    editor = TableEditor(session.table_model("senior_roles"))
    qtbot.addWidget(editor)
    editor.model.load_rest_when_idle()
    session.close()  # as MainWindow.close_audit does before the store may close
    session.store.close()
    qtbot.wait(50)  # an idle loader would now read a closed store and raise
    assert editor.model.rowCount() == FIRST_PAGE
    assert not editor.model.canFetchMore()


def test_a_refused_delete_or_paste_says_so_not_done(qtbot, session: AuditSession) -> None:
    """When the store refuses (here: writes held while the workspace is checked), the
    editor does not report the rows as deleted or pasted."""
    editor = TableEditor(session.table_model("workforce_mix"))
    qtbot.addWidget(editor)
    failures: list[str] = []
    session.writeFailed.connect(failures.append)
    store, audit_id = session.store, session.audit.id
    store.hold_writes(True)
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    editor.delete_rows()
    assert "Deleted" not in editor.message.text()
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    editor.paste_text("data\tpermanent\t4\t4\ndata\tpermanent\t5\t5", as_new_rows=True)
    assert "Pasted" not in editor.message.text()
    assert len(failures) == 2 and all("still being checked" in f for f in failures)
    assert families(store, audit_id) == ["data", "architecture", "it_operations"]
    assert session.undo_stack.count() == 0
    store.hold_writes(False)
    editor.delete_rows()
    assert editor.message.text().startswith("Deleted 1")
