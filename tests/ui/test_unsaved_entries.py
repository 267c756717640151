"""The form stores only what it shows: invalid text is not saved, is marked, and is asked about."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from models.records import Audit
from models.store import Store
from tests.ui.conftest import DialogScript
from ui.question_editors import LineEditor, LongTextEditor

COUNT = "board_tech_expert_count"
LABEL = "How many board members have expertise in technology policy?"


def open_two_audits(window: MainWindow) -> tuple[Audit, Audit]:
    store = window.store
    dept = store.add_department("Home Office", "HO")
    first = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    second = store.create_audit(dept.id, "2014 review", current_questionnaire())
    window.refresh_navigator()
    window.open_audit(first.id)
    return first, second


def count_editor(window: MainWindow) -> LineEditor:
    assert window.audit_view is not None
    editor = window.audit_view.show_section("board").blocks[COUNT].editor
    assert isinstance(editor, LineEditor)
    editor.edit.setFocus()
    return editor


def stored(path: Path, audit_id: str) -> object:
    """The answer as a fresh connection to the file sees it."""
    with Store(path) as fresh:
        return fresh.answer(audit_id, COUNT)


def test_typing_a_fraction_in_a_whole_number_field_stores_nothing(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    audit, _ = open_two_audits(window)
    editor = count_editor(window)
    qtbot.keyClicks(editor.edit, "2.5")
    editor.edit.editingFinished.emit()  # the auditor moves on

    assert stored(workspace_path, audit.id) is None  # not 2, not anything
    assert editor.edit.text() == "2.5"  # the field keeps what was typed ...
    assert editor.edit.property("invalid") is True  # ... marked invalid
    assert window.saved_label.text() == (f"Not saved: {LABEL} — '2.5' is not a whole number.")

    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)  # "2": fixed, so saved
    assert stored(workspace_path, audit.id) == 2
    assert editor.edit.property("invalid") is False
    assert window.saved_label.text().startswith("All changes saved")


def test_escape_reverts_to_the_stored_answer(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    audit, _ = open_two_audits(window)
    editor = count_editor(window)
    qtbot.keyClicks(editor.edit, "7")
    editor.edit.editingFinished.emit()  # 7 is stored and the edit is over
    qtbot.keyClicks(editor.edit, "x")
    assert stored(workspace_path, audit.id) == 7
    assert window.saved_label.text().startswith("Not saved: ")

    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert editor.edit.text() == "7"
    assert window.session is not None and window.session.unsaved == {}
    assert window.saved_label.text().startswith("All changes saved")
    assert stored(workspace_path, audit.id) == 7


def test_a_later_valid_edit_elsewhere_does_not_hide_the_unsaved_field(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    open_two_audits(window)
    editor = count_editor(window)
    qtbot.keyClicks(editor.edit, "2.5")
    assert window.audit_view is not None
    spend = window.audit_view.show_section("money").blocks["total_tech_spend"].editor
    assert isinstance(spend, LineEditor)
    spend.edit.setFocus()
    qtbot.keyClicks(spend.edit, "1000")
    assert window.saved_label.text().startswith(f"Not saved: {LABEL}")
    dialogs.then(lambda _d: True)  # the window closes at the end of the test: discard


@pytest.mark.parametrize("keep_editing", [True, False])
def test_switching_audit_with_an_unsaved_field_asks(
    qtbot,
    window: MainWindow,
    workspace_path: Path,
    dialogs: DialogScript,
    keep_editing: bool,
) -> None:
    first, second = open_two_audits(window)
    editor = count_editor(window)
    qtbot.keyClicks(editor.edit, "2.5")
    asked: list[str] = []

    def answer(dialog: QDialog) -> bool:
        asked.append(dialog.findChild(QLabel).text())
        return not keep_editing  # OK is Discard

    dialogs.then(answer)
    window.open_audit(second.id)
    assert asked == [
        f"Not saved: {LABEL} — '2.5' is not a whole number.\n\n"
        "This text is not valid, so it has not been saved."
    ]
    assert window.session is not None
    if keep_editing:
        assert window.session.audit.id == first.id
        assert editor.edit.text() == "2.5"
        dialogs.then(lambda _d: True)  # the window closes at the end of the test: discard
    else:
        assert window.session.audit.id == second.id
        assert window.session.unsaved == {}
        assert editor.edit.text() == ""  # the form shows the second audit's (blank) answer
    assert stored(workspace_path, first.id) is None


def test_closing_the_window_with_an_unsaved_field_asks(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    open_two_audits(window)
    editor = count_editor(window)
    qtbot.keyClicks(editor.edit, "2.5")
    dialogs.then(lambda _d: False)  # Keep editing
    assert not window.close()
    assert window.isVisible()
    dialogs.then(lambda _d: True)  # Discard
    assert window.close()


def test_long_text_beyond_its_limit_is_not_saved_either(
    qtbot, window: MainWindow, workspace_path: Path
) -> None:
    audit, _ = open_two_audits(window)
    assert window.audit_view is not None
    editor = window.audit_view.show_section("senior_roles").blocks["senior_roles_notes"].editor
    assert isinstance(editor, LongTextEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Two posts shared with DWP.")
    editor.edit.clearFocus()  # the auditor moves on: that text is the stored answer
    editor.edit.setFocus()
    editor.edit.setPlainText("x" * 4001)  # pasted over it, one character too long

    with Store(workspace_path) as fresh:
        assert fresh.answer(audit.id, "senior_roles_notes") == "Two posts shared with DWP."
    assert window.saved_label.text().startswith("Not saved: What else should the reader know")
    assert "Keep it to 4,000 characters (4,001 now)." in window.saved_label.text()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert editor.edit.toPlainText() == "Two posts shared with DWP."
    assert window.saved_label.text().startswith("All changes saved")
