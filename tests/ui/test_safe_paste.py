"""Paste that cannot destroy: whole rows become new rows, a block needs a selection of its
shape, and replacing filled cells is asked about first; Tab leaves the table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from models.store import Store
from ui.audit_session import AuditSession
from ui.table_editor import TableEditor

ROLES = [
    {"post_ref": "DIG-01", "job_title": "Chief Digital Officer", "grade": "scs2"},
    {"post_ref": "DIG-02", "job_title": "Head of IT"},
]


def roles_editor(qtbot, session: AuditSession) -> TableEditor:
    session.store.insert_rows(session.audit.id, "senior_roles", 0, ROLES)
    editor = TableEditor(session.table_model("senior_roles"))
    qtbot.addWidget(editor)
    return editor


def cells(store: Store, audit_id: str) -> list[dict[str, object]]:
    return [r.cells for r in store.rows(audit_id, "senior_roles")]


def select(editor: TableEditor, top: int, left: int, bottom: int, right: int) -> None:
    model = editor.model
    block = QItemSelection(model.index(top, left), model.index(bottom, right))
    editor.view.setCurrentIndex(model.index(top, left))
    editor.view.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_whole_rows_with_a_header_are_added_by_header_wherever_the_cursor_is(
    qtbot, session: AuditSession
) -> None:
    """The cursor on the last row, in the Board member column: Ctrl+V once wrote the header
    "Job title" into a real row and left one row half one post, half another."""
    editor = roles_editor(qtbot, session)
    board = [c.id for c in editor.model.columns].index("board_member")
    select(editor, 1, board, 1, board)
    asked: list[str] = []
    editor.confirm = lambda _t, text: asked.append(text) or True
    QGuiApplication.clipboard().setText(
        "Job title\tPost reference\tGrade\r\nCTO\tDIG-03\tSCS Pay Band 1\r\nCISO\tDIG-04\t\r\n"
    )
    editor.paste()
    assert asked == []  # nothing stored is touched, so nothing to ask
    assert cells(session.store, session.audit.id) == [
        *ROLES,
        {"post_ref": "DIG-03", "job_title": "CTO", "grade": "scs1"},
        {"post_ref": "DIG-04", "job_title": "CISO"},
    ]
    assert "added 2 row(s)" in editor.message.text()


def test_whole_rows_without_a_header_have_one_cell_per_column(qtbot, session: AuditSession) -> None:
    editor = roles_editor(qtbot, session)
    n = len(editor.model.columns)
    select(editor, 0, 0, 0, 0)  # the cursor on a filled key cell
    row = ["DIG-09", "Chief Data Officer"] + [""] * (n - 2)
    editor.paste_text("\t".join(row) + "\n")
    assert cells(session.store, session.audit.id) == [
        *ROLES,
        {"post_ref": "DIG-09", "job_title": "Chief Data Officer"},
    ]


def test_a_block_pastes_only_into_a_selection_of_its_shape(qtbot, session: AuditSession) -> None:
    editor = roles_editor(qtbot, session)
    before = cells(session.store, session.audit.id)
    select(editor, 1, 1, 1, 1)  # one cell selected, two rows copied
    editor.paste_text("CTO\nCISO\n")
    assert cells(session.store, session.audit.id) == before
    assert (
        "Nothing pasted" in editor.message.text() and "2 rows × 1 column" in editor.message.text()
    )
    assert editor.model.rowCount() == 2  # no rows were added past the end either


def test_overwriting_filled_cells_asks_first_and_no_keeps_them(
    qtbot, session: AuditSession
) -> None:
    editor = roles_editor(qtbot, session)
    before = cells(session.store, session.audit.id)
    select(editor, 0, 1, 1, 1)  # the two job titles, both filled
    asked: list[str] = []
    editor.confirm = lambda _t, text: asked.append(text) or False
    editor.paste_text("CTO\nCISO\n")
    assert len(asked) == 1 and "replaces 2 filled cells" in asked[0]
    assert "'Chief Digital Officer' → 'CTO'" in asked[0]
    assert cells(session.store, session.audit.id) == before

    editor.confirm = lambda _t, text: asked.append(text) or True
    editor.paste_text("CTO\nCISO\n")
    titles = [c["job_title"] for c in cells(session.store, session.audit.id)]
    assert titles == ["CTO", "CISO"]


def test_filling_empty_cells_does_not_ask(qtbot, session: AuditSession) -> None:
    editor = roles_editor(qtbot, session)
    fte = [c.id for c in editor.model.columns].index("fte")
    select(editor, 0, fte, 1, fte)
    editor.confirm = lambda _t, _text: pytest_fail("asked about empty cells")
    editor.paste_text("1\n0.5\n")
    assert [c.get("fte") for c in cells(session.store, session.audit.id)] == [1, 0.5]


def pytest_fail(message: str) -> bool:
    raise AssertionError(message)


def test_undo_clears_the_paste_message(qtbot, session: AuditSession) -> None:
    editor = roles_editor(qtbot, session)
    editor.paste_text("DIG-05\tCTO\n", as_new_rows=True)
    assert editor.message.text().startswith("Pasted")
    session.undo_stack.undo()
    assert editor.message.text() == ""
    assert len(cells(session.store, session.audit.id)) == 2


def test_tab_and_shift_tab_leave_the_table_and_reach_its_buttons(
    qtbot, session: AuditSession
) -> None:
    """Tab went cell by cell (about 160 stops for 12 roles); Add role, Delete and Paste as new
    rows could not be reached by Tab at all."""
    host = QWidget()
    layout = QVBoxLayout(host)
    before = QLineEdit(host)
    layout.addWidget(before)
    session.store.insert_rows(session.audit.id, "senior_roles", 0, ROLES)
    editor = TableEditor(session.table_model("senior_roles"), host)
    layout.addWidget(editor)
    after = QLineEdit(host)
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    reached = []
    for _ in range(20):
        qtbot.keyClick(QGuiApplication.focusObject(), Qt.Key.Key_Tab)
        reached.append(QGuiApplication.focusObject())
        if reached[-1] is after:
            break
    assert reached[-1] is after, "Tab never left the table"
    for key in ("add", "delete", "paste"):
        assert editor.buttons[key] in reached
    assert reached == [*editor.buttons.values(), editor.view, after]  # one stop for the table
    editor.view.setCurrentIndex(editor.model.index(1, 2))
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    qtbot.keyClick(editor.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.focusObject() is editor.buttons["full"]
    assert editor.view.currentIndex() == editor.model.index(1, 2)  # the cell stays put


def test_typing_a_grade_synonym_in_a_cell_stores_that_grade(qtbot, session: AuditSession) -> None:
    """Typing "SCS Pay Band 2" in a Grade cell selected SCS1 (the first item starting "S")."""
    editor = roles_editor(qtbot, session)
    editor.show()
    qtbot.waitExposed(editor)
    grade = [c.id for c in editor.model.columns].index("grade")
    index = editor.model.index(1, grade)
    editor.view.setFocus()
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    combo = editor.view.viewport().findChild(QComboBox)
    assert combo is not None and combo.isEditable()
    combo.setEditText("SCS Pay Band 2")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Tab)  # Tab commits and closes the editor
    qtbot.waitUntil(lambda: editor.view.viewport().findChild(QComboBox) is None)
    assert cells(session.store, session.audit.id)[1]["grade"] == "scs2"


def test_ctrl_tab_leaves_the_table_without_moving_its_current_cell(
    qtbot, session: AuditSession
) -> None:
    """Ctrl+Tab split the selected cell from the current one, so F2 edited another cell."""
    host = QWidget()
    layout = QVBoxLayout(host)
    session.store.insert_rows(session.audit.id, "senior_roles", 0, ROLES)
    editor = TableEditor(session.table_model("senior_roles"), host)
    layout.addWidget(editor)
    after = QLineEdit(host)
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    select(editor, 1, 1, 1, 1)
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    qtbot.keyClick(editor.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert editor.view.currentIndex() == editor.model.index(1, 1)
    selected = editor.view.selectionModel().selectedIndexes()
    assert selected == [editor.model.index(1, 1)]


def test_typing_into_a_grade_cell_completes_and_stores_the_synonym(
    qtbot, session: AuditSession
) -> None:
    """Typed from the keyboard, the first key opening the editor: nothing lost, SCS2 kept."""
    editor = roles_editor(qtbot, session)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    grade = [c.id for c in editor.model.columns].index("grade")
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(1, grade))
    qtbot.waitUntil(editor.view.hasFocus)
    qtbot.keyClicks(editor.view, "S")  # the first key opens the cell editor
    typed = QGuiApplication.focusObject()
    assert isinstance(typed, QComboBox) and typed.currentText() == "S"  # the first key kept
    qtbot.keyClicks(typed, "CS Pay Band 2")
    assert typed.currentText() == "SCS Pay Band 2"
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cells(session.store, session.audit.id)[1].get("grade") == "scs2")


def test_rows_copied_from_an_exported_sheet_leave_out_the_extra_columns(
    qtbot, session: AuditSession
) -> None:
    """The app's own export has Department, Cycle and id columns around the table's."""
    editor = roles_editor(qtbot, session)
    select(editor, 0, 0, 0, 0)
    editor.paste_text(
        "Department\tCycle\tPost reference\tJob title\tRow ID\n"
        "DWP\t2014 review\tDIG-07\tHead of Data\t1b2c\n"
    )
    assert cells(session.store, session.audit.id)[-1] == {
        "post_ref": "DIG-07",
        "job_title": "Head of Data",
    }
    message = editor.message.text()
    assert "added 1 row(s)" in message and "Department, Cycle, Row ID" in message
    assert "Not pasted" not in message


def test_tab_in_an_open_drop_down_takes_the_choice_and_moves_on(qtbot) -> None:
    """Tab in an open list did nothing: the list stayed open over the form."""
    from ui.keyboard import TabClosesPopup

    host = QWidget()
    layout = QVBoxLayout(host)
    combo, after = QComboBox(host), QLineEdit(host)
    combo.addItems(["", "Permanent", "Contractor"])
    layout.addWidget(combo)
    layout.addWidget(after)
    TabClosesPopup(combo)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    combo.setFocus()
    combo.showPopup()
    qtbot.waitUntil(combo.view().isVisible)
    combo.view().setCurrentIndex(combo.model().index(2, 0))
    qtbot.keyClick(combo.view(), Qt.Key.Key_Tab)
    assert not combo.view().isVisible()
    assert combo.currentText() == "Contractor"
    qtbot.waitUntil(after.hasFocus)


def test_tab_in_a_cells_open_list_keeps_the_choice_and_closes_the_editor(
    qtbot, session: AuditSession
) -> None:
    editor = roles_editor(qtbot, session)
    editor.show()
    qtbot.waitExposed(editor)
    grade = [c.id for c in editor.model.columns].index("grade")
    index = editor.model.index(1, grade)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    combo = editor.view.viewport().findChild(QComboBox)
    assert combo is not None
    combo.showPopup()
    qtbot.waitUntil(combo.view().isVisible)
    scs3 = combo.findText("SCS3", Qt.MatchFlag.MatchStartsWith)
    combo.view().setCurrentIndex(combo.model().index(scs3, 0))
    qtbot.keyClick(combo.view(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.view.viewport().findChild(QComboBox) is None)
    assert cells(session.store, session.audit.id)[1]["grade"] == "scs3"
