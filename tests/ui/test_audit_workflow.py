"""An auditor's session driven through the real widgets, then the file reopened in a new store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.main_window import MainWindow
from models.store import Store
from tests.ui.conftest import DialogScript, type_text
from ui.dialogs import DepartmentDialog, NewAuditDialog
from ui.question_editors import ButtonsEditor, LineEditor

ROLES_TSV = (
    "Post ref\tJob title\tRole type\tGrade\tEmployment type\tBoard member\n"
    "DG01\tDirector General, Digital\tDigital Leader\tSCS Pay Band 3\tPermanent\tYes\n"
    "CIO1\tChief Information Officer\tCIO\tSCS2\tInterim manager\tNo\n"
    "T042\tHead of IT Operations\tHead of IT\tG6\tContractor\tNo\n"
)


def add_department_and_audit(qtbot, window: MainWindow, dialogs: DialogScript) -> str:
    def pick_department(dialog: DepartmentDialog) -> bool:
        dialog.name.setFocus()
        dialog.name.lineEdit().clear()
        qtbot.keyClicks(dialog.name.lineEdit(), "Ministry of Justice (MOJ)")
        assert dialog.abbreviation.text() == "MOJ"  # filled from the GOV.UK list
        return True

    def name_cycle(dialog: NewAuditDialog) -> bool:
        assert dialog.department.currentText() == "Ministry of Justice (MOJ)"
        qtbot.keyClicks(dialog.cycle, "2013 baseline")
        type_text(dialog.auditor, "Siân Ŵyn")
        assert not dialog.prefill.isEnabled()  # nothing to copy from yet
        return True

    dialogs.then(pick_department)
    window.add_department_dialog()
    dialogs.then(name_cycle)
    window.new_audit_dialog()
    assert window.session is not None
    return window.session.audit.id


def test_auditor_fills_form_and_table_and_everything_is_on_disk(
    qtbot, window: MainWindow, dialogs: DialogScript, workspace_path: Path
) -> None:
    audit_id = add_department_and_audit(qtbot, window, dialogs)
    view = window.audit_view
    assert view is not None

    # Yes/no with radio buttons, then a dependent question appears.
    board = view.show_section("board")
    on_board_block = board.blocks["digital_leader_on_board"]
    assert on_board_block.isHidden()  # only asked once a leader is nominated
    nominated = board.blocks["digital_leader_nominated"].editor
    assert isinstance(nominated, ButtonsEditor)
    qtbot.mouseClick(nominated.group.button(0), Qt.MouseButton.LeftButton)  # Yes
    assert not on_board_block.isHidden()

    # Type a number with a typo: a message appears, nothing wrong is stored.
    count_block = board.blocks["board_tech_expert_count"]
    count = count_block.editor
    assert isinstance(count, LineEditor)
    qtbot.keyClicks(count.edit, "3x")
    assert count_block.error.isVisibleTo(count_block)
    assert "whole number" in count_block.error.text() or "not a number" in count_block.error.text()
    # "3x" is not what was meant: nothing of it is stored (not even the "3" typed first).
    assert window.store.answer(audit_id, "board_tech_expert_count") is None
    qtbot.keyClick(count.edit, Qt.Key.Key_Backspace)
    assert not count_block.error.isVisibleTo(count_block)
    assert window.store.answer(audit_id, "board_tech_expert_count") == 3

    post = board.blocks["digital_leader_post"].editor
    assert isinstance(post, LineEditor)
    type_text(post.edit, "Director General, Digital & Change – Cymru (ŵ)")

    # A comment on a question.
    qtbot.mouseClick(board.blocks["cio_on_board"].comment_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(board.blocks["cio_on_board"].comment, "Board minutes, March 2013")

    # Money, as typed by an auditor, is tidied when they move on.
    money = view.show_section("money")
    spend = money.blocks["total_tech_spend"].editor
    assert isinstance(spend, LineEditor)
    qtbot.keyClicks(spend.edit, "1,250,000.5")
    spend.edit.editingFinished.emit()
    assert spend.edit.text() == "1,250,000.50"

    # The roles table: one typed row, then three pasted from Excel (with their header).
    roles_page = view.show_section("senior_roles")
    editor = roles_page.blocks["senior_roles"].table
    assert editor is not None
    qtbot.mouseClick(editor.buttons["add"], Qt.MouseButton.LeftButton)
    model = editor.model
    assert model.rowCount() == 1
    index = model.index(0, 0)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    cell = editor.view.viewport().findChild(QLineEdit)
    assert cell is not None
    qtbot.keyClicks(cell, "PS01")
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: model.rows[0].cells.get("post_ref") == "PS01", timeout=2000)

    QGuiApplication.clipboard().setText(ROLES_TSV)
    editor.view.setFocus()
    qtbot.keyClick(
        editor.view,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # paste as new rows
    assert model.rowCount() == 4
    assert "skipped the header row" in editor.message.text()
    assert [r.cells["grade"] for r in model.rows[1:]] == ["scs3", "scs2", "g6"]
    assert [r.cells["employment_type"] for r in model.rows[1:]] == [
        "permanent",
        "interim",
        "contractor",
    ]
    assert model.rows[1].cells["board_member"] is True

    # A bad cell in a paste is reported by row and column and not stored.
    editor.view.setCurrentIndex(model.index(3, model.columns.index(model.question.column("grade"))))
    QGuiApplication.clipboard().setText("Grade 99\n")
    qtbot.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "Row 4, Grade" in editor.message.text()
    assert model.rows[3].cells["grade"] == "g6"

    # Undo the paste: the three rows go, from the screen and from the file.
    window.undo_action.trigger()
    assert model.rowCount() == 1
    assert len(window.store.rows(audit_id, "senior_roles")) == 1
    window.redo_action.trigger()
    assert len(window.store.rows(audit_id, "senior_roles")) == 4

    # Undo a typed answer (the whole burst of typing is one step).
    board = view.show_section("board")
    window.undo_action.trigger()  # redo of paste is last; undo it, then redo again
    window.redo_action.trigger()
    qtbot.keyClicks(post.edit, " (acting)")
    assert window.store.answer(audit_id, "digital_leader_post").endswith("(acting)")
    window.undo_action.trigger()
    assert window.store.answer(audit_id, "digital_leader_post") == (
        "Director General, Digital & Change – Cymru (ŵ)"
    )
    assert post.edit.text() == "Director General, Digital & Change – Cymru (ŵ)"

    # Reopen the same file in a brand-new store: every value is there.
    with Store(workspace_path) as fresh:
        answers = fresh.answers(audit_id)
        assert answers["digital_leader_nominated"] is True
        assert answers["board_tech_expert_count"] == 3
        assert answers["digital_leader_post"] == "Director General, Digital & Change – Cymru (ŵ)"
        assert answers["total_tech_spend"] == 1_250_000.5
        assert fresh.comments(audit_id) == {"cio_on_board": "Board minutes, March 2013"}
        rows = fresh.rows(audit_id, "senior_roles")
        assert [r.cells["post_ref"] for r in rows] == ["PS01", "DG01", "CIO1", "T042"]
        assert rows[2].cells["role_type"] == "cio"
        assert fresh.audit(audit_id).auditor == "Siân Ŵyn"
        assert fresh.departments()[0].govuk_id == "ministry-of-justice"


def test_copy_forward_prefills_next_cycle(qtbot, window: MainWindow, dialogs: DialogScript) -> None:
    first = add_department_and_audit(qtbot, window, dialogs)
    window.store.set_answer(first, "digital_leader_nominated", True)
    window.store.insert_rows(first, "workforce_mix", 0, [{"staff_type": "contractor", "fte": 12.5}])

    def next_cycle(dialog: NewAuditDialog) -> bool:
        assert dialog.cycle.text() == "2014 baseline"  # suggested from the last cycle
        assert dialog.prefill.isChecked() and dialog.prefill.isEnabled()
        return True

    dialogs.then(next_cycle)
    window.copy_forward_dialog()
    assert window.session is not None
    second = window.session.audit
    assert second.id != first and second.cycle == "2014 baseline"
    assert second.copied_from == first
    assert window.session.answers["digital_leader_nominated"] is True
    rows = window.store.rows(second.id, "workforce_mix")
    assert [r.cells for r in rows] == [{"staff_type": "contractor", "fte": 12.5}]
    # The copy is independent: editing it leaves last year's audit alone.
    window.session.set_answer("digital_leader_nominated", False)
    assert window.store.answer(first, "digital_leader_nominated") is True


def test_duplicate_cycle_is_refused_in_the_dialog(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_department_and_audit(qtbot, window, dialogs)

    def same_cycle(dialog: NewAuditDialog) -> bool:
        dialog.cycle.setText("2013 Baseline")
        dialog.buttons.accepted.emit()
        assert "already has an audit" in dialog.message.text()
        return False

    dialogs.then(same_cycle)
    window.new_audit_dialog()
    assert len(window.store.audits()) == 1


def test_keyboard_navigation_between_sections_and_to_missing_answers(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_department_and_audit(qtbot, window, dialogs)
    view = window.audit_view
    assert view is not None
    assert view.current_section_id() == "board"
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_section_id() == "strategy"
    view.show_section("money")
    window.go_to_missing()
    # The first required question in form order is on the board page.
    assert view.current_section_id() == "board"
    focused = QApplication.focusWidget()
    block = view.page("board").blocks["digital_leader_nominated"]
    assert focused is not None and block.isAncestorOf(focused)
    assert QKeySequence(
        QKeySequence.StandardKey.Undo
    ).toString()  # shortcut exists on this platform
