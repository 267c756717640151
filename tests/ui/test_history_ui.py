"""Edit ▸ Preferences names the auditor; Audit ▸ History shows who changed what, when, from what."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from tests.ui.conftest import DialogScript, type_text
from ui.dialogs import NewAuditDialog
from ui.history_dialog import HistoryDialog
from ui.preferences_dialog import AUDITOR_KEY, PreferencesDialog
from ui.question_editors import LineEditor


def _set_name(qtbot, window: MainWindow, dialogs: DialogScript, name: str) -> None:
    def fill(dialog: PreferencesDialog) -> bool:
        dialog.auditor.clear()
        type_text(dialog.auditor, name)
        return True

    dialogs.then(fill)
    window.preferences_dialog()


def _history(qtbot, dialogs: DialogScript, focus) -> list[dict[str, str]]:
    """Press Ctrl+H in `focus` and read the dialog's rows."""
    seen: list[dict[str, str]] = []

    def read(dialog: HistoryDialog) -> bool:
        columns = ("Who", "What", "From", "To", "Note", "When")
        for r in range(dialog.table.rowCount()):
            seen.append({c: dialog.cell(r, c) for c in columns} | {"title": dialog.windowTitle()})
        return False

    dialogs.then(read)
    focus.window().activateWindow()  # a dialog just closed: the shortcut needs the window
    qtbot.waitUntil(focus.window().isActiveWindow, timeout=2000)
    focus.setFocus()
    assert QApplication.focusWidget() is focus
    QTest.keyClick(focus, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert not dialogs.steps, "Ctrl+H opened no history"
    return seen


def test_history_names_the_auditor_set_in_preferences(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    # Nobody named: the operating-system user.
    assert window.store.actor
    _set_name(qtbot, window, dialogs, "Eluned Morgan")
    assert window.settings.value(AUDITOR_KEY) == "Eluned Morgan"
    assert window.store.actor == "Eluned Morgan"

    store = window.store
    dept = store.add_department("Cabinet Office", "CO")
    window.refresh_navigator()

    def new_audit(dialog: NewAuditDialog) -> bool:
        assert dialog.auditor.text() == "Eluned Morgan"  # new audits name the auditor
        qtbot.keyClicks(dialog.cycle, "2013 baseline")
        return True

    dialogs.then(new_audit)
    window.navigator.setCurrentIndex(window.navigator.tree.item(0).index())
    window.new_audit_dialog()
    assert window.session is not None and window.audit_view is not None
    audit_id = window.session.audit.id
    assert store.audit(audit_id).auditor == "Eluned Morgan"
    assert store.audit(audit_id).department_id == dept.id

    spend = window.audit_view.show_section("money").blocks["total_tech_spend"].editor
    assert isinstance(spend, LineEditor)
    qtbot.keyClicks(spend.edit, "1000")
    _set_name(qtbot, window, dialogs, "Tomos Pryce")
    spend.edit.selectAll()
    qtbot.keyClicks(spend.edit, "2500.5")
    assert store.answer(audit_id, "total_tech_spend") == 2500.5

    lines = _history(qtbot, dialogs, spend.edit)
    assert [(x["Who"], x["What"], x["From"], x["To"]) for x in lines] == [
        ("Tomos Pryce", "Answer", "£1,000.00", "£2,500.50"),  # one line per burst of typing
        ("Eluned Morgan", "Answer", "", "£1,000.00"),
    ]
    assert lines[0]["title"] == "History of this answer"
    assert all(x["When"] for x in lines)  # local time, to the second

    # A change made behind the app's back is listed, and marked.
    conn = sqlite3.connect(store.path)
    conn.execute(
        "UPDATE answers SET value = '99' WHERE audit_id = ? AND question_id = 'total_tech_spend'",
        [audit_id],
    )
    conn.commit()
    conn.close()
    outside = _history(qtbot, dialogs, spend.edit)[0]
    assert (outside["Who"], outside["From"], outside["To"]) == ("unknown", "£2,500.50", "£99.00")
    assert "OUTSIDE THE APP" in outside["Note"]


def test_history_of_a_table_row(qtbot, window: MainWindow, dialogs: DialogScript) -> None:
    _set_name(qtbot, window, dialogs, "Ngozi Adebayo")
    store = window.store
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.insert_rows(audit.id, "workforce_mix", 0, [{"profession_family": "data"}, {}])
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    table = window.audit_view.show_section("workforce").blocks["workforce_mix"].table
    assert table is not None
    headcount = [c.id for c in table.model.columns].index("headcount")
    table.view.setFocus()
    table.view.setCurrentIndex(table.model.index(1, headcount))
    table.view.edit(table.view.currentIndex())  # as a double-click does
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit) and table.view.isAncestorOf(cell)
    qtbot.keyClicks(cell, "12")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.rows(audit.id, "workforce_mix")[1].cells == {"headcount": 12})
    table.view.setCurrentIndex(table.model.index(1, headcount))

    lines = _history(qtbot, dialogs, table.view)
    assert [(x["Who"], x["What"], x["From"], x["To"]) for x in lines] == [
        ("Ngozi Adebayo", "Cells changed", "", "Headcount: 12"),
        (store.actor, "Row added", "", "(empty row)"),
    ]
    assert lines[0]["title"].startswith("History of ") and lines[0]["title"].endswith(" 2")


def test_an_imported_rows_history_names_its_file_and_source_row(qtbot, window: MainWindow) -> None:
    """Each imported figure traces back: file, checksum, row, and the source's granularity."""
    from importers.foreign_plan import (
        Choices,
        WorkspaceFacts,
        apply_foreign,
        plan_foreign,
        read_foreign,
    )
    from tests.importers.foreign_files import DWP_WMI_CSV
    from ui.history_dialog import record_dialog

    store = window.store
    store.add_department("Department for Work and Pensions", "DWP")
    form = current_questionnaire()
    foreign = read_foreign(DWP_WMI_CSV, form)
    try:
        plan = plan_foreign(
            WorkspaceFacts.of(store), foreign, Choices(cycle="2025", whole_department=True), form
        )
        apply_foreign(store, plan, form)
    finally:
        foreign.close()
    window.refresh_navigator()
    window.open_audit(store.audits()[0].id)
    assert window.session is not None
    row = store.rows(window.session.audit.id, "department_workforce")[0]  # version 2
    dialog = record_dialog(window.session, "department_workforce", row.id, window)
    text = dialog.heading.text()
    dialog.deleteLater()
    assert f"Imported from {DWP_WMI_CSV.name} (sha256 {foreign.book.checksum[:12]}), row 2" in text
    assert "organisation Department for Work and Pensions" in text
    assert "grade group AO/AA" in text


def test_an_imported_rows_number_says_where_it_came_from_on_hover(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt as _Qt

    from importers.foreign_plan import (
        Choices,
        WorkspaceFacts,
        apply_foreign,
        plan_foreign,
        read_foreign,
    )
    from tests.importers.foreign_files import DWP_WMI_CSV

    store = window.store
    store.add_department("Department for Work and Pensions", "DWP")
    form = current_questionnaire()
    foreign = read_foreign(DWP_WMI_CSV, form)
    try:
        apply_foreign(
            store,
            plan_foreign(
                WorkspaceFacts.of(store),
                foreign,
                Choices(cycle="2025", whole_department=True),
                form,
            ),
            form,
        )
    finally:
        foreign.close()
    window.refresh_navigator()
    window.open_audit(store.audits()[0].id)
    assert window.session is not None
    model = window.session.table_model("department_workforce")  # WMI's table in version 2
    tip = model.headerData(0, _Qt.Orientation.Vertical, _Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Imported from {DWP_WMI_CSV.name}")
    assert "organisation Department for Work and Pensions" in tip
    store.add_department("Cabinet Office", "CO")
    audit = store.create_audit(store.find_department("CO").id, "2025", form)
    store.insert_rows(audit.id, "workforce_mix", 0, [{"headcount": 1}])  # typed, not imported
    window.open_audit(audit.id)
    typed = window.session.table_model("workforce_mix")
    assert typed.headerData(0, _Qt.Orientation.Vertical, _Qt.ItemDataRole.ToolTipRole) is None
