"""Tools ▸ Verify workspace: runs in the background, shows a clean verdict or the problems by
audit, and a double-click on a problem opens its audit."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from models.verify import verify
from tests.ui.test_workbook_ui import add_demo, menu_action
from ui.verify_dialog import VerifyActions, VerifyDialog

DONE_MS = 20000


def run_verify(window: MainWindow, qtbot) -> VerifyDialog:
    """Tools ▸ Verify workspace…, as the user picks it; the dialog it shows."""
    menu_action(window, "Tools", "Verify workspace…").trigger()
    actions = window.findChild(VerifyActions, "verifyActions")
    assert actions is not None
    qtbot.waitUntil(lambda: actions.task is None and actions.dialog is not None, timeout=DONE_MS)
    dialog = actions.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_tools_menu_sits_between_report_and_help(window: MainWindow) -> None:
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus.index("Tools") == menus.index("Report") + 1
    assert menus.index("Help") == menus.index("Tools") + 1


def test_an_intact_workspace_is_reported_verified(window: MainWindow, qtbot) -> None:
    add_demo(window)
    expected = verify(window.store)
    dialog = run_verify(window, qtbot)
    assert dialog.verdict.text() == (
        f"Workspace verified: chain intact, {expected.changes:,} recorded changes, "
        f"{expected.signed_off} signed-off audits match their content hashes."
    )
    assert expected.signed_off == 3
    assert not dialog.tree.isVisible()
    assert dialog.tree.topLevelItemCount() == 0


def test_problems_are_listed_by_audit_and_a_double_click_opens_the_audit(
    window: MainWindow, qtbot
) -> None:
    add_demo(window)
    draft = next(a for a in window.store.audits() if a.status == "draft")
    question = sorted(window.store.answers(draft.id))[0]
    conn = sqlite3.connect(window.store.path)  # the sqlite3 shell, beside the running app
    conn.execute(
        "UPDATE answers SET value = '\"typed in the shell\"'"
        " WHERE audit_id = ? AND question_id = ?",
        [draft.id, question],
    )
    # a sign-off's entry: nothing else depends on it, so only the chain shows it missing
    (signed,) = conn.execute("SELECT min(seq) FROM history WHERE kind = 'status'").fetchone()
    conn.execute("DELETE FROM history WHERE seq = ?", [signed])
    conn.commit()
    conn.close()

    dialog = run_verify(window, qtbot)
    assert dialog.verdict.text().startswith("2 problems found in 1 audit and across the workspace")
    tops = dialog.audit_items()
    assert [t.text(0) for t in tops] == [
        "Whole workspace",
        f"{draft.department_name} — {draft.cycle}",
    ]
    assert [t.text(1) for t in tops] == ["1 problem", "1 problem"]
    assert tops[0].child(0).text(0) == f"history entry {signed}"
    problem = tops[1].child(0)
    assert problem.text(0).endswith(f"({question})")
    assert problem.text(1).endswith('to "typed in the shell"')
    assert problem.text(2).endswith(" UTC")

    dialog.tree.setCurrentItem(problem)
    assert 'to "typed in the shell"' in dialog.detail.text()
    assert window.session is None
    rect = dialog.tree.visualItemRect(problem)
    QTest.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.session is not None, timeout=5000)
    assert window.session is not None and window.session.audit.id == draft.id

    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.report.text()
    assert f"history entry {signed}: was deleted" in QApplication.clipboard().text()


def test_closing_the_window_ends_a_verify_in_progress(window: MainWindow, qtbot) -> None:
    add_demo(window)
    menu_action(window, "Tools", "Verify workspace…").trigger()
    actions = window.findChild(VerifyActions, "verifyActions")
    assert actions is not None and actions.task is not None
    task = actions.task
    window.close()
    assert not task.worker.isRunning()
