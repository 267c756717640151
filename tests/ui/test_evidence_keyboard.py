"""Evidence by keyboard alone, in the real window: the list follows its question in the Tab
order, the keyboard's menu and Delete act on the current file (undo puts it back), and a
file no program opens is named with an offer to save a copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTreeWidget, QWidget

from desktop.main_window import MainWindow
from models import evidence
from models.questionnaire import current_questionnaire
from ui.evidence_panel import EvidencePanel
from ui.form_view import QuestionBlock

PDF = b"%PDF-1.6 board minutes " * 300


def _question(window: MainWindow, tmp_path: Path, names: list[str]) -> QuestionBlock:
    """The board's first question, with `names` attached by keyboard (Attach evidence…)."""
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    block = window.audit_view.show_section("board").blocks["digital_leader_nominated"]
    files = []
    for name in names:
        (tmp_path / name).write_bytes(PDF)
        files.append(str(tmp_path / name))
    block.evidence.chooser = lambda: files
    block.evidence.attach_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(block.evidence.attach_button, Qt.Key.Key_Space)
    assert block.evidence.list is not None
    return block


def _focus(qtbot, widget: QWidget) -> None:
    """Give `widget` the keyboard focus, its window active (keys go to the focus)."""
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(_focused(), key, modifier)


def _in_menu(qtbot, press: Callable[[], None], choose: str | None) -> list[str]:
    """Open the menu with `press`, read it, and pick `choose` with the arrow keys and Enter
    (None: Escape). The menu's entries, once the window has the focus back."""
    seen: list[str] = []

    def play() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.extend(a.text() for a in menu.actions())
        if choose is None:
            QTest.keyClick(menu, Qt.Key.Key_Escape)
            return
        for _ in seen:
            QTest.keyClick(menu, Qt.Key.Key_Down)
            active = menu.activeAction()
            if active is not None and active.text() == choose:
                QTest.keyClick(menu, Qt.Key.Key_Return)
                return
        QTest.keyClick(menu, Qt.Key.Key_Escape)
        raise AssertionError(f"{choose!r} not reached in {seen}")

    before = _focused()
    QTimer.singleShot(50, play)
    press()
    # The popup gone, offscreen gives the window back its activation only sometimes.
    before.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    return seen


def _names(panel: EvidencePanel) -> list[str]:
    view = panel.list
    assert view is not None
    return [view.topLevelItem(i).text(0) for i in range(view.topLevelItemCount())]


def test_tab_reaches_the_list_right_after_its_question(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The list was made last, so it came last in the window: ~20 Tabs away, past the
    rest of the page. Now Shift+Tab from "Attach evidence…" is the list, and the question's
    last control (Add comment) Tabs to it."""
    block = _question(window, tmp_path, ["board minutes 2014.pdf"])
    panel = block.evidence
    view = panel.list
    assert view is not None and view.isVisible()
    _focus(qtbot, panel.attach_button)
    _press(Qt.Key.Key_Backtab)
    assert _focused() is view
    _press(Qt.Key.Key_Backtab)
    assert _focused() is block.comment_button  # the question's own controls, then its list
    _press(Qt.Key.Key_Tab)
    assert _focused() is view
    # The file the keys act on is shown selected, not only outlined.
    assert view.currentItem() is view.topLevelItem(0) and view.topLevelItem(0).isSelected()
    _press(Qt.Key.Key_Tab)
    assert _focused() is panel.attach_button


def test_menu_key_and_shift_f10_offer_open_and_remove_for_the_current_file(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    block = _question(window, tmp_path, ["a minutes.pdf", "b strategy.pdf"])
    panel = block.evidence
    view = panel.list
    assert isinstance(view, QTreeWidget)
    _focus(qtbot, view)
    _press(Qt.Key.Key_Down)  # the second file is current
    assert view.currentItem() is view.topLevelItem(1)
    entries = ["Open", "Save a copy…", "Remove\tDelete", "Attach evidence…"]
    assert _in_menu(qtbot, lambda: _press(Qt.Key.Key_Menu), None) == entries
    assert _in_menu(
        qtbot, lambda: _press(Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier), None
    ) == (entries)

    # On X11 the Menu key reaches the list as a keyboard context-menu event placed at the
    # pointer, off the rows: it still means the current file.
    def x11_menu_key() -> None:
        off_the_rows = QPoint(view.width() - 2, view.height() - 2)
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, off_the_rows, view.mapToGlobal(off_the_rows)
        )
        QApplication.sendEvent(view, event)

    assert _in_menu(qtbot, x11_menu_key, "Remove\tDelete") == entries
    assert _names(panel) == ["a minutes.pdf"]
    assert _focused() is view and view.currentItem() is view.topLevelItem(0)
    QTest.keyClick(_focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _names(panel) == ["a minutes.pdf", "b strategy.pdf"]


def test_delete_removes_the_current_file_and_undo_puts_it_back(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    block = _question(window, tmp_path, ["a minutes.pdf", "b strategy.pdf"])
    panel = block.evidence
    view = panel.list
    assert view is not None
    _focus(qtbot, view)
    view.setCurrentItem(view.topLevelItem(0))
    _press(Qt.Key.Key_Delete)
    assert _names(panel) == ["b strategy.pdf"]
    assert _focused() is view and view.currentItem() is view.topLevelItem(0)  # the next one
    assert [e.name for e in evidence.listed(window.store, panel.session.audit.id)] == [
        "b strategy.pdf"
    ]
    _press(Qt.Key.Key_Delete)  # the last: the list goes, the focus stays on the question
    assert view.isHidden() and evidence.listed(window.store, panel.session.audit.id) == []
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert _names(panel) == ["a minutes.pdf", "b strategy.pdf"]


def test_signed_off_the_keyboard_menu_opens_but_removes_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    block = _question(window, tmp_path, ["minutes.pdf"])
    panel = block.evidence
    session = panel.session
    session.set_audit(window.store.set_status(session.audit.id, "signed_off"))
    view = panel.list
    assert view is not None
    _focus(qtbot, view)
    view.setCurrentItem(view.topLevelItem(0))
    assert _in_menu(qtbot, lambda: _press(Qt.Key.Key_Menu), None) == ["Open", "Save a copy…"]
    _press(Qt.Key.Key_Delete)
    assert _names(panel) == ["minutes.pdf"]


def test_a_file_no_program_opens_is_named_and_a_copy_can_be_saved(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Enter on a file with no viewer did nothing at all. The offscreen platform opens
    nothing, so the real QDesktopServices.openUrl fails here as it does with no viewer."""
    block = _question(window, tmp_path, ["board minutes 2014.msg"])
    panel = block.evidence
    view = panel.list
    assert view is not None
    shown: list[str] = []

    def answer(box: QMessageBox) -> None:  # the auditor takes the offer: Enter
        box.show()
        shown.append(f"{box.text()} {box.informativeText()}")
        QTest.keyClick(box, Qt.Key.Key_Return)

    panel.show_box = answer
    out = tmp_path / "saved"
    out.mkdir()
    panel.folder_chooser = lambda: str(out)
    _focus(qtbot, view)
    view.setCurrentItem(view.topLevelItem(0))
    _press(Qt.Key.Key_Return)
    assert len(shown) == 1
    assert shown[0].startswith("No program on this computer opens board minutes 2014.msg.")
    assert (out / "board minutes 2014.msg").read_bytes() == PDF
    assert panel.message.text() == f"Saved a copy as {out / 'board minutes 2014.msg'}."

    panel.show_box = lambda box: box.show() or QTest.keyClick(box, Qt.Key.Key_Escape)
    _press(Qt.Key.Key_Return)  # declined: nothing more written; saving again is refused
    assert sorted(p.name for p in out.iterdir()) == ["board minutes 2014.msg"]
    assert _in_menu(qtbot, lambda: _press(Qt.Key.Key_Menu), "Save a copy…")
    assert "already exists; choose another folder" in panel.message.text()


def test_a_file_that_opens_says_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    block = _question(window, tmp_path, ["minutes.pdf"])
    panel = block.evidence
    opened: list[object] = []
    panel.opener = lambda url: opened.append(url) or True
    panel.show_box = lambda box: pytest_fail(f"unexpected message: {box.text()}")
    view = panel.list
    assert view is not None
    _focus(qtbot, view)
    view.setCurrentItem(view.topLevelItem(0))
    _press(Qt.Key.Key_Return)
    assert len(opened) == 1 and panel.message.isHidden()


def pytest_fail(message: str) -> None:
    raise AssertionError(message)


def test_names_and_dates_are_shown_whole_at_1366x768(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Fixed column widths cut "board minutes…" and "7 December 2…" with half the list
    empty: the name takes the room, the other columns are as wide as their text."""
    window.resize(1366, 740)
    block = _question(window, tmp_path, ["board minutes 2014 (final, signed).pdf"])
    view = block.evidence.list
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    for column in range(view.columnCount()):
        assert view.columnWidth(column) >= view.sizeHintForColumn(column), column
    used = sum(view.columnWidth(c) for c in range(view.columnCount()))
    assert used >= view.viewport().width() - 2  # no empty half


def test_a_narrow_list_still_shows_which_row_a_file_is_for(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """ "CIO contract.p…": the "(row 2)" after a row's file name was the part cut off."""
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "C1"}, {"post_ref": "C2"}])
    source = tmp_path / (
        "CIO contract of employment, terms and conditions, letter of appointment and the "
        "signed copy of the final agreement between the department and the post holder.pdf"
    )
    source.write_bytes(PDF)
    row = store.rows(audit.id, "senior_roles")[1].id
    evidence.attach(store, audit.id, "senior_roles", source, row_id=row)
    window.resize(900, 700)
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    window.audit_view.show_section_list(False)
    block = window.audit_view.show_section("senior_roles").blocks["senior_roles"]
    view = block.evidence.list
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    # Laid out at the window's width (900 less the navigator): the name column has the rest.
    qtbot.waitUntil(lambda: view.columnWidth(0) > 200)
    text = view.topLevelItem(0).text(0)
    assert text.startswith("CIO contract") and text.endswith(".pdf (row 2)")
    room = view.columnWidth(0) - 12
    shown = view.fontMetrics().elidedText(text, view.textElideMode(), room)
    assert shown != text and shown.endswith("(row 2)"), shown
