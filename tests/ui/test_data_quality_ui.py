"""Data-quality warnings in the form (rows named, live) and listed when an audit is submitted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from tests.ui.conftest import DialogScript
from tests.ui.test_lifecycle_ui import ANSWERS, ROLE
from ui.dialogs import ConfirmMoveDialog, UnsavedEntryDialog
from ui.lifecycle_actions import DataQualityDialog, SignOffDialog
from ui.question_editors import LineEditor

CONTRACT = {"supplier": "Fujitsu Services Ltd", "service": "Hosting", "annual_value": 5e6}
WARNING = (
    "contract 2 “Fujitsu Services Ltd” (Total value (£), Annual value (£)): "
    "The total value is less than the annual value."
)


def open_audit(window: MainWindow, *, complete: bool = False) -> str:
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    if complete:  # every required answer, so submitting is not stopped for a missing one
        for question_id, value in {**ANSWERS, "digital_strategy_published": False}.items():
            store.set_answer(audit.id, question_id, value)
        store.insert_rows(audit.id, "senior_roles", 0, [ROLE])
        store.insert_rows(
            audit.id, "workforce_mix", 0, [{"profession_family": "data", "staff_type": "permanent"}]
        )
    store.insert_rows(audit.id, "contracts", 0, [dict(CONTRACT, total_value=2e7), CONTRACT])
    window.refresh_navigator()
    window.open_audit(audit.id)
    return audit.id


def test_an_edit_that_breaks_a_rule_shows_a_warning_naming_the_row_until_fixed(
    qtbot, window: MainWindow
) -> None:
    open_audit(window)
    view = window.audit_view
    assert view is not None
    block = view.show_section("contracts").blocks["contracts"]
    assert block.table is not None
    model = block.table.model
    total = [c.id for c in model.columns].index("total_value")
    assert not block.quality.isVisibleTo(block)
    assert not view.quality.isVisibleTo(view)

    assert model.setData(model.index(1, total), "1,000,000")  # below its £5m a year
    qtbot.waitUntil(lambda: block.quality.isVisibleTo(block), timeout=2000)
    assert block.quality.text() == f"⚠ Data quality: {WARNING}"
    assert view.quality.isVisibleTo(view)
    assert view.quality.text() == f"⚠ 1 data-quality warning\n• Contracts and suppliers, {WARNING}"
    # The section is flagged in the list; questions elsewhere carry no warning of it.
    flagged = [
        view.sections.item(i).text().split("\n")[0].strip()
        for i in range(view.sections.count())
        if view.sections.item(i).data(Qt.ItemDataRole.AccessibleDescriptionRole)
    ]
    assert [f[-len("Contracts and suppliers") :] for f in flagged] == ["Contracts and suppliers"]
    assert not view.show_section("money").blocks["total_tech_spend"].quality.text()

    view.show_section("contracts")
    assert model.setData(model.index(1, total), "30,000,000")  # fixed
    qtbot.waitUntil(lambda: not block.quality.isVisibleTo(block), timeout=2000)
    assert not view.quality.isVisibleTo(view)
    assert all(view.sections.item(i).icon().isNull() for i in range(view.sections.count()))
    assert not any(
        view.sections.item(i).data(Qt.ItemDataRole.AccessibleDescriptionRole)
        for i in range(view.sections.count())
    )


def test_a_question_rule_marks_both_questions(qtbot, window: MainWindow) -> None:
    open_audit(window)
    view, session = window.audit_view, window.session
    assert view is not None and session is not None
    money = view.show_section("money")
    session.set_answer("total_tech_spend", 1e6)
    session.set_answer("cloud_spend", 2e6)
    qtbot.waitUntil(lambda: money.blocks["cloud_spend"].quality.isVisibleTo(money), timeout=2000)
    for question_id in ("cloud_spend", "total_tech_spend"):
        assert money.blocks[question_id].quality.text() == (
            "⚠ Data quality: Cloud spend is more than the total technology spend it is part of."
        )
    assert not money.blocks["framework_spend"].quality.text()


def test_submit_lists_open_notes_and_still_allows_it(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    audit_id = open_audit(window, complete=True)
    window.store.set_cell(
        audit_id, window.store.rows(audit_id, "contracts")[1].id, "total_value", 1e6
    )
    listed: list[str] = []

    def look(dialog: DataQualityDialog) -> bool:
        assert isinstance(dialog, DataQualityDialog)
        listed.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        return False  # cancel: nothing moves

    dialogs.then(look)
    window.lifecycle.moves["submit"].trigger()
    assert listed == [f"⚠ Contracts and suppliers, {WARNING}"]
    assert window.store.audit(audit_id).status == "draft"

    dialogs.then(lambda _dialog: True)  # "Submit anyway"
    window.lifecycle.moves["submit"].trigger()
    assert window.store.audit(audit_id).status == "submitted"


def test_submit_without_notes_asks_only_to_confirm(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    audit_id = open_audit(window, complete=True)
    assert window.audit_view is not None
    dialogs.then(lambda dialog: isinstance(dialog, ConfirmMoveDialog))  # no notes dialog
    qtbot.mouseClick(window.audit_view.next_move, Qt.MouseButton.LeftButton)
    assert window.store.audit(audit_id).status == "submitted"
    assert len(dialogs.seen) == 1


def test_moving_duplicating_and_undoing_rows_keep_the_named_rows_right(
    qtbot, window: MainWindow
) -> None:
    audit_id = open_audit(window)
    window.store.set_cell(
        audit_id, window.store.rows(audit_id, "contracts")[1].id, "total_value", 1e6
    )
    window.open_audit(audit_id)  # already open: the session read the stored rows when opened
    view = window.audit_view
    assert view is not None
    block = view.show_section("contracts").blocks["contracts"]
    editor = block.table
    assert editor is not None
    qtbot.waitUntil(lambda: "contract 2 “" in block.quality.text(), timeout=2000)

    editor.view.setCurrentIndex(editor.model.index(1, 0))
    editor.move_row(-1)  # the bad contract is now the first
    qtbot.waitUntil(lambda: "contract 1 “" in block.quality.text(), timeout=2000)
    assert "contract 2 “" not in block.quality.text()

    editor.view.setCurrentIndex(editor.model.index(0, 0))
    editor.duplicate_rows()  # two bad contracts now
    qtbot.waitUntil(lambda: block.quality.text().count("⚠") == 2, timeout=2000)

    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: block.quality.text().count("⚠") == 1, timeout=2000)
    assert "contract 2 “" in block.quality.text()  # back where it was


def test_sign_off_says_how_many_warnings_are_open(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    audit_id = open_audit(window, complete=True)
    window.store.set_cell(
        audit_id, window.store.rows(audit_id, "contracts")[1].id, "total_value", 1e6
    )
    window.store.set_audit_fields(audit_id, status="reviewed")
    window.session.set_audit(window.store.audit(audit_id))  # type: ignore[union-attr]
    seen: list[str] = []

    def look(dialog: SignOffDialog) -> bool:
        seen.append(dialog.text.text())
        return False

    dialogs.then(look)
    window.lifecycle.run_move("sign_off")
    assert window.store.audit(audit_id).status == "reviewed"
    assert "⚠ 1 data-quality warning is still open" in seen[0]


def test_a_move_with_an_unsaved_field_asks_first(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    audit_id = open_audit(window, complete=True)
    view = window.audit_view
    assert view is not None
    editor = view.show_section("board").blocks["board_tech_expert_count"].editor
    assert isinstance(editor, LineEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "x")  # "2x": not saved; the stored answer stays 2

    dialogs.then(lambda dialog: not isinstance(dialog, UnsavedEntryDialog))  # Keep editing
    window.lifecycle.moves["submit"].trigger()
    assert window.store.audit(audit_id).status == "draft"
    assert editor.edit.text() == "2x"

    dialogs.then(lambda dialog: isinstance(dialog, UnsavedEntryDialog))  # Discard
    dialogs.then(lambda dialog: isinstance(dialog, ConfirmMoveDialog))  # Submit for review
    window.lifecycle.moves["submit"].trigger()
    assert window.store.audit(audit_id).status == "submitted"
    assert editor.edit.text() == "2"  # the field shows what was submitted
    assert window.session is not None and window.session.unsaved == {}
