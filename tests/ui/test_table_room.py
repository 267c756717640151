"""Room for tables at 1366×768: a frozen key column, remembered widths, a full-window mode,
tables that fit the page, and a section list that can be hidden."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from ui.audit_session import AuditSession
from ui.table_editor import TableEditor

ROLES = [{"post_ref": f"DIG-{i:02}", "job_title": f"Post {i}"} for i in range(1, 25)]


class Host(QWidget):
    """A window with settings, as the main window has."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        QVBoxLayout(self)


def roles_in(qtbot, session: AuditSession, host: Host) -> TableEditor:
    editor = TableEditor(session.table_model("senior_roles"), host)
    host.layout().addWidget(editor)
    qtbot.addWidget(host)
    host.resize(900, 500)
    host.show()
    qtbot.waitExposed(host)
    return editor


def test_the_key_column_stays_in_view_when_the_table_scrolls_right(
    qtbot, session: AuditSession, tmp_path: Path
) -> None:
    session.store.insert_rows(session.audit.id, "senior_roles", 0, ROLES)
    host = Host(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    editor = roles_in(qtbot, session, host)
    view, frozen = editor.view, editor.frozen.frozen
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    qtbot.wait(20)
    assert view.columnViewportPosition(0) < 0  # the table's own key column scrolled away
    assert frozen.isVisible() and frozen.width() == view.columnWidth(0)
    assert [c for c in range(view.model().columnCount()) if not frozen.isColumnHidden(c)] == [0]
    assert frozen.model().index(0, 0).data() == "DIG-01"
    # It scrolls down with the table, row for row.
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() == view.verticalScrollBar().value()
    assert (
        frozen.indexAt(QPoint(5, 5)).row()
        == view.indexAt(QPoint(view.columnViewportPosition(1) + 5, 5)).row()
    )


def test_column_widths_are_remembered(qtbot, session: AuditSession, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    one, two = Host(settings), Host(settings)
    first = roles_in(qtbot, session, one)
    first.view.setColumnWidth(1, 333)
    qtbot.waitUntil(lambda: settings.value("tableWidths/senior_roles") is not None)
    again = roles_in(qtbot, session, two)
    assert again.view.columnWidth(1) == 333


def test_full_window_mode_and_back(qtbot, window: MainWindow) -> None:
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.insert_rows(audit.id, "senior_roles", 0, ROLES)
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    page = window.audit_view.show_section("senior_roles")
    block = page.blocks["senior_roles"]
    table = block.table
    assert table is not None
    index = block.layout().indexOf(table)
    table.view.setFocus()
    qtbot.waitUntil(table.view.hasFocus)
    qtbot.keyClick(
        table.view,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert table.full_window
    dialog = table.window()
    assert dialog is not window and dialog.geometry() == window.geometry()
    qtbot.waitUntil(table.view.hasFocus)
    assert table.actions["full"].text() == "Back to the form"
    qtbot.keyClick(
        table.view,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not table.full_window
    assert table.window() is window and block.layout().indexOf(table) == index


def test_a_table_fits_the_page_and_f9_hides_the_section_list(qtbot, window: MainWindow) -> None:
    window.resize(1366, 740)
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.insert_rows(audit.id, "senior_roles", 0, ROLES)
    window.refresh_navigator()
    window.open_audit(audit.id)
    view = window.audit_view
    assert view is not None
    page = view.show_section("senior_roles")
    table = page.blocks["senior_roles"].table
    assert table is not None
    qtbot.wait(50)
    bottom = table.view.mapTo(page.viewport(), QPoint(0, table.view.height())).y()
    assert bottom <= page.viewport().height()  # its own scroll bar is on screen
    width = table.view.width()
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert not view.section_panel.isVisible()
    qtbot.waitUntil(lambda: table.view.width() > width + 200)
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert view.section_panel.isVisible()


def test_the_frozen_key_cell_shows_the_focus_ring(
    qtbot, session: AuditSession, tmp_path: Path
) -> None:
    """The table's own key cell is under the overlay, so the overlay draws its focus ring."""
    from PySide6.QtGui import QColor

    from ui.style import FOCUS, prepare_application

    prepare_application(QApplication.instance())
    session.store.insert_rows(session.audit.id, "senior_roles", 0, ROLES)
    host = Host(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    editor = roles_in(qtbot, session, host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)

    def ring_pixels() -> int:
        frozen = editor.frozen.frozen
        frozen.viewport().repaint()
        image = frozen.viewport().grab().toImage()
        return sum(
            QColor(image.pixel(x, y)) == FOCUS
            for y in range(0, min(image.height(), 60))
            for x in range(image.width())
        )

    editor.view.setCurrentIndex(editor.model.index(0, 0))
    assert ring_pixels() > 50
    editor.view.setCurrentIndex(editor.model.index(0, 1))
    assert ring_pixels() == 0


def test_undo_and_redo_keys_work_in_full_window(qtbot, window: MainWindow) -> None:
    """The full-window table said "Undo (Ctrl+Z) brings them back", but Ctrl+Z did nothing
    there: the Edit menu's keys belong to the main window, not to the table's dialog."""
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    store.insert_rows(audit.id, "senior_roles", 0, ROLES[:3])
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    table = window.audit_view.show_section("senior_roles").blocks["senior_roles"].table
    assert table is not None
    table.view.setFocus()
    qtbot.waitUntil(table.view.hasFocus)
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(table.view, Qt.Key.Key_F, ctrl | shift)
    dialog = table.window()
    assert table.full_window and dialog is not window
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and table.view.hasFocus())

    def titles() -> list[str]:
        return [r.cells.get("job_title") for r in store.rows(audit.id, "senior_roles")]

    table.view.setCurrentIndex(table.model.index(2, 0))
    qtbot.keyClick(table.view, Qt.Key.Key_Delete, ctrl)  # delete the row
    assert titles() == ["Post 1", "Post 2"]
    assert "Undo (Ctrl+Z) brings them back" in table.message.text()
    qtbot.keyClick(table.view, Qt.Key.Key_Z, ctrl)
    assert titles() == ["Post 1", "Post 2", "Post 3"]
    qtbot.keyClick(table.view, Qt.Key.Key_Z, ctrl | shift)
    assert titles() == ["Post 1", "Post 2"]
    qtbot.keyClick(table.view, Qt.Key.Key_Y, ctrl)  # nothing left to redo: no change
    qtbot.keyClick(table.view, Qt.Key.Key_Z, ctrl)
    assert titles() == ["Post 1", "Post 2", "Post 3"]

    # A typed cell edit is undone there too.
    column = [c.id for c in table.model.columns].index("job_title")
    table.view.setCurrentIndex(table.model.index(0, column))
    qtbot.keyClick(table.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table.view
    qtbot.keyClick(editor, Qt.Key.Key_A, ctrl)
    qtbot.keyClicks(editor, "Permanent Secretary")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on its next turn
    qtbot.waitUntil(lambda: titles()[0] == "Permanent Secretary")
    qtbot.waitUntil(table.view.hasFocus)
    qtbot.keyClick(table.view, Qt.Key.Key_Z, ctrl)
    assert titles()[0] == "Post 1"
    qtbot.keyClick(table.view, Qt.Key.Key_F, ctrl | shift)  # back to the form
    assert not table.full_window


def test_the_section_list_shows_provisional_whole_at_1366x768(qtbot, window: MainWindow) -> None:
    """ "maturity 5.0 (p…": the word that qualifies the figure was the part cut off."""
    window.resize(1366, 740)
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    store.set_answer(audit.id, "digital_leader_nominated", True)  # 1 of 7 scored answers
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    sections = window.audit_view.sections
    qtbot.waitUntil(sections.isVisible)
    item = sections.item(0)
    lines = item.text().split("\n")
    assert lines[-1].strip().startswith("maturity") and "provisional" in lines[-1]
    rect = sections.visualItemRect(item)
    metrics = sections.fontMetrics()
    assert rect.height() >= metrics.lineSpacing() * len(lines)
    for line in lines:  # each line fits the list's width as it is at this size
        assert metrics.horizontalAdvance(line) + 24 <= sections.viewport().width(), line
