"""The header's lifecycle buttons: one meaning each, and a double-click makes one move."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from tests.ui.conftest import DialogScript
from tests.ui.test_lifecycle_ui import _open_audit


def test_a_double_click_on_submit_cannot_also_mark_reviewed(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    """Submit became "Mark as reviewed" in the same place, so a double-click did both."""
    audit_id = _open_audit(window)
    window.store.set_answer(audit_id, "digital_strategy_published", False)
    window.open_audit(audit_id)
    view = window.audit_view
    assert view is not None
    submit = view.move_buttons["submit"]
    assert submit.isVisible() and submit.text() == "Submit for review…"
    dialogs.then(lambda _dialog: True)  # "Submit for review?" — yes
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert window.store.audit(audit_id).status == "submitted"
    # The second click lands where the next step's button now is.
    shown = view.next_move
    assert shown is view.move_buttons["review"] and shown is not submit
    qtbot.mouseClick(shown, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shown, Qt.MouseButton.LeftButton)
    assert window.store.audit(audit_id).status == "submitted"
    assert len(dialogs.seen) == 1  # the second click did not even ask
    qtbot.waitUntil(shown.isEnabled)  # a deliberate click afterwards asks, then moves on
    dialogs.then(lambda _dialog: True)
    qtbot.mouseClick(shown, Qt.MouseButton.LeftButton)
    assert window.store.audit(audit_id).status == "reviewed"


def test_each_button_keeps_its_meaning_and_says_what_follows(qtbot, window: MainWindow) -> None:
    _open_audit(window)
    view = window.audit_view
    assert view is not None
    texts = {k: b.text() for k, b in view.move_buttons.items()}
    assert texts == {
        "submit": "Submit for review…",
        "review": "Mark as reviewed…",
        "sign_off": "Sign off…",
        "return": "Return to draft…",
        "reopen": "Reopen…",
    }
    assert all(b.accessibleDescription() for b in view.move_buttons.values())
    assert "read-only" in view.move_buttons["sign_off"].toolTip()
