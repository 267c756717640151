"""Tools ▸ Verify workspace: runs in the background, shows a clean verdict or the problems by
audit, and a double-click on a problem opens its audit."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desktop.main_window import MainWindow
from models.chain_anchor import current_head
from models.content_hash import short, signed_seal
from models.store import Store
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


# ------------------------------------------------------------------ Check against…
def check_against(dialog: VerifyDialog, window: MainWindow, qtbot, given: str) -> VerifyDialog:
    """Type `given` into the field and press Check against…; the dialog the run shows."""
    actions = window.findChild(VerifyActions, "verifyActions")
    assert actions is not None
    dialog.against_edit.setText(given)
    qtbot.mouseClick(dialog.against_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.task is None and actions.dialog is not dialog, timeout=DONE_MS)
    assert actions.dialog is not None and actions.dialog.isVisible()
    return actions.dialog


def test_a_chain_head_or_sign_off_seal_from_a_report_is_checked(window: MainWindow, qtbot) -> None:
    add_demo(window)
    dialog = run_verify(window, qtbot)
    head = current_head(window.store.conn).text()
    again = check_against(dialog, window, qtbot, head)
    assert again.report.ok, again.report.text()
    assert again.against_edit.text() == head
    checked = again.findChild(QLabel, "verifyCheckedAgainst")
    assert checked is not None and checked.text() == f"Also checked against: {head}"
    signed = next(a for a in window.store.audits() if a.status == "signed_off")
    seal = short(signed_seal(window.store.conn, signed.id))
    sealed = check_against(again, window, qtbot, seal)
    assert sealed.report.ok, sealed.report.text()
    missing = check_against(sealed, window, qtbot, "0000 0000 0000 0000")
    assert not missing.report.ok
    assert "matches no signed-off audit here" in missing.report.text()
    ahead = check_against(missing, window, qtbot, f"{int(head.split(':')[0]) + 50}:{'ab' * 8}")
    assert "newest recorded changes were removed" in ahead.report.text()


def test_a_backup_or_package_is_chosen_with_the_file_chooser(
    window: MainWindow, qtbot, tmp_path
) -> None:
    add_demo(window)
    with Store(tmp_path / "other.sqlite") as other:
        other.add_department("Home Office")
    dialog = run_verify(window, qtbot)
    actions = window.findChild(VerifyActions, "verifyActions")
    assert actions is not None
    dialog.choose_file = lambda: ""  # cancelled: nothing runs
    qtbot.mouseClick(dialog.against_button, Qt.MouseButton.LeftButton)
    assert actions.task is None and actions.dialog is dialog
    dialog.choose_file = lambda: str(tmp_path / "other.sqlite")
    qtbot.mouseClick(dialog.against_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.task is None and actions.dialog is not dialog, timeout=DONE_MS)
    found = actions.dialog
    assert found is not None and not found.report.ok
    assert "is of another workspace" in found.report.text()
    assert found.against_edit.text() == str(tmp_path / "other.sqlite")


def test_what_cannot_be_read_is_said_under_the_field_and_nothing_runs(
    window: MainWindow, qtbot
) -> None:
    add_demo(window)
    dialog = run_verify(window, qtbot)
    actions = window.findChild(VerifyActions, "verifyActions")
    assert actions is not None
    dialog.against_edit.setText("12:zz")
    qtbot.mouseClick(dialog.against_button, Qt.MouseButton.LeftButton)
    assert dialog.against_error.isVisible()
    assert "neither a file nor a chain head" in dialog.against_error.text()
    assert actions.task is None and actions.dialog is dialog
