"""Run the real app window and type into it, reporting each edit once it has been made.

Used by test_crash_safety.py, which kills this process with SIGKILL part-way through.
Usage: python -m tests.ui.kill_driver WORKSPACE SETTINGS_INI
Prints "AUDIT <id>", then one "EDIT <question or table> <value>" line per finished edit,
then types into a long-text answer for ever ("NOTE <text so far>").
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from models.store import Store
from ui.dialogs import AuditChoice, DepartmentChoice
from ui.question_editors import LineEditor, LongTextEditor


def say(*parts: object) -> None:
    print(*parts, flush=True)


def main(workspace: str, settings_path: str) -> None:
    app = QApplication(sys.argv[:1])
    store = Store(workspace)
    window = MainWindow(store, QSettings(settings_path, QSettings.Format.IniFormat))
    window.show()
    QTest.qWaitForWindowExposed(window)
    dept = window.add_department(DepartmentChoice("Home Office", "HO", "home-office"))
    audit = window.create_audit(AuditChoice(dept, "2013 baseline", "Kill test", None))
    say("AUDIT", audit)
    view = window.audit_view
    assert view is not None

    board = view.show_section("board")
    post = board.blocks["digital_leader_post"].editor
    assert isinstance(post, LineEditor)
    for ch in "Director General Digital":
        QTest.keyClicks(post.edit, ch)
        say("EDIT digital_leader_post", post.edit.text())

    roles = view.show_section("senior_roles").blocks["senior_roles"].table
    assert roles is not None
    QGuiApplication.clipboard().setText("R1\tCIO\nR2\tCTO\nR3\tCISO\n")
    roles.paste_new_rows()
    say("EDIT senior_roles", len(roles.model.rows))

    notes = view.show_section("senior_roles").blocks["senior_roles_notes"].editor
    assert isinstance(notes, LongTextEditor)
    n = 0
    while True:  # keep typing until killed, mid-sentence
        QTest.keyClicks(notes.edit, "abcdefghij"[n % 10])
        n += 1
        say("NOTE", notes.edit.toPlainText())
        app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
