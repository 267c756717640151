"""Start the real app (main.py's own path) and leave typed text in an editor, for a signal.

Used by test_terminate.py, which sends SIGTERM or SIGINT once this prints "TYPED".
Usage: python -m tests.ui.signal_driver WORKSPACE KIND TEXT
KIND: "cell" (a table cell's editor open, text typed, not committed), "field" (a short
answer typed into), "invalid" (a whole number typed as TEXT, which cannot be saved) or
"comment" (a question's comment typed into). Prints "AUDIT <id>",
then "TYPED" with the editor still holding the focus.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop import cli
from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.question_editors import LineEditor

FIRST_TITLE = "Head of IT"


def say(*parts: object) -> None:
    print(*parts, flush=True)


def prepare(workspace: str) -> str:
    """A workspace with one audit whose roles table has one row; the audit's id."""
    with Store(workspace) as store:
        dept = store.add_department("Ministry of Justice", "MOJ")
        audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
        store.insert_rows(audit.id, "senior_roles", 0, [{"job_title": FIRST_TITLE}])
        return audit.id


def type_in(window: MainWindow, kind: str, text: str) -> None:
    """Type `text` as a user would, leaving the editor open and focused."""
    view = window.audit_view
    assert view is not None
    if kind == "cell":
        table = view.show_section("senior_roles").blocks["senior_roles"].table
        assert table is not None
        column = [c.id for c in table.model.question.columns].index("job_title")
        table.view.setFocus()
        table.view.setCurrentIndex(table.model.index(0, column))
        QTest.keyClick(table.view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert editor is not None and editor is not table.view, "no cell editor opened"
        QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(editor, text)
    else:
        question = "board_tech_expert_count" if kind == "invalid" else "digital_leader_post"
        block = view.show_section("board").blocks[question]
        if kind in ("field", "invalid"):
            assert isinstance(block.editor, LineEditor)
            block.editor.edit.setFocus()
            QTest.keyClicks(block.editor.edit, text)
        else:
            QTest.mouseClick(block.comment_button, Qt.MouseButton.LeftButton)
            QTest.keyClicks(block.comment, text)
    say("TYPED")


def main(workspace: str, kind: str, text: str) -> int:
    audit_id = prepare(workspace)
    say("AUDIT", audit_id)
    app = QApplication(sys.argv[:1])  # the app's own start-up reuses it

    def poll() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget.audit_view:
                timer.stop()
                QTimer.singleShot(300, lambda w=widget: type_in(w, kind, text))
                return

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    return cli.main(["--db", workspace, "--audit", audit_id])


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
