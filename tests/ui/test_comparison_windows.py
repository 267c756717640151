"""The View menu's windows beside the form: opened on the audit in hand, following its edits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from models.cycle_summary import audit_figures
from tests.ui.test_workbook_ui import add_demo, menu_action


@pytest.fixture(autouse=True)
def _shut(window: MainWindow) -> Iterator[None]:
    """The windows stop their timers before the fixture closes the store under them."""
    yield
    if window._comparisons is not None:
        window._comparisons.shutdown()


def open_latest(window: MainWindow, department_index: int = 0) -> str:
    department = window.store.departments()[department_index]
    audit = window.store.audits(department.id)[-1]
    window.open_audit(audit.id)
    assert window.session is not None
    return audit.id


def test_dashboard_opens_on_the_audits_cycle_and_follows_form_edits(
    qtbot, window: MainWindow
) -> None:
    add_demo(window)
    audit_id = open_latest(window)
    menu_action(window, "View", "Cycle dashboard").trigger()
    made = window.comparisons.windows["dashboard"]
    assert made.isVisible()
    dashboard = made.view
    assert dashboard.cycle() == window.store.audit(audit_id).cycle

    def row() -> object:
        return next(r for r in dashboard.shown_rows() if r.audit and r.audit.id == audit_id)

    before = row().section_maturity["board"]
    session = window.session
    assert session is not None
    # the board section's judgement question, through the session as the form would edit it
    target = 1 if session.answers.get("board_capability_maturity") != 1 else 5
    session.set_answer("board_capability_maturity", target)
    window.comparisons.flush_now()
    after = row().section_maturity["board"]
    assert after is not None and before is not None and after != before


def test_activating_a_dashboard_row_opens_that_audit_in_the_main_window(
    qtbot, window: MainWindow
) -> None:
    add_demo(window)
    dashboard = window.comparisons.show_dashboard().view
    target = next(r for r in dashboard.shown_rows() if r.audit is not None).audit
    assert target is not None
    dashboard.auditActivated.emit(target.id)
    assert window.session is not None and window.session.audit.id == target.id


def test_department_view_shows_the_open_audits_department(qtbot, window: MainWindow) -> None:
    add_demo(window)
    audit_id = open_latest(window, 1)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    made = window.comparisons.windows["department"]
    assert made.isVisible()
    assert made.view.department_id == window.store.audit(audit_id).department_id


def test_windows_are_dropped_when_another_workspace_opens(
    qtbot, window: MainWindow, tmp_path
) -> None:
    add_demo(window)
    window.comparisons.show_dashboard()
    assert window.comparisons.windows
    assert window.switch_workspace(tmp_path / "other.sqlite")
    assert window.comparisons.windows == {}


def test_a_comment_edit_reaches_the_compare_window(qtbot, window: MainWindow) -> None:
    """Comments are compared too, so a comment typed in the form shows in an open comparison."""
    add_demo(window)
    open_latest(window)
    made = window.comparisons.show_compare()
    view = made.view
    assert view.comparison is not None
    before = view.comparison.summary()
    session = window.session
    assert session is not None
    session.set_comment("cio_on_board", "A comment typed just now, in the form.")
    window.comparisons.flush_now()
    assert view.comparison is not None and view.comparison.summary() != before


def test_an_import_refreshes_the_open_windows(qtbot, window: MainWindow) -> None:
    """Audits changed outside the form are re-read by the open dashboard."""
    add_demo(window)
    dashboard = window.comparisons.show_dashboard().view
    dashboard.finish_figures()
    target = next(r for r in dashboard.shown_rows() if r.audit is not None).audit
    assert target is not None

    def board() -> float | None:
        row = next(r for r in dashboard.shown_rows() if r.audit and r.audit.id == target.id)
        return row.section_maturity["board"]

    before = board()
    answers = window.store.answers(target.id)
    lower = answers.get("board_capability_maturity") != 1
    window.store.set_answer(target.id, "board_capability_maturity", 1 if lower else 5)
    assert board() == before  # nothing told the dashboard yet
    window.audits_changed({target.id})
    dashboard.finish_figures()
    now = audit_figures(window.store, target.id).score.section_maturity["board"]
    assert now != before and board() == now


def test_compare_from_a_first_audit_compares_it_with_the_next(qtbot, window: MainWindow) -> None:
    """The open audit is its department's first: compare it with the one after it, not show
    another department's audits (it opened on the first department in the list)."""
    add_demo(window)
    department = window.store.departments()[2]
    first, later = window.store.audits(department.id)[:2]
    window.open_audit(first.id)
    made = window.comparisons.show_compare()
    view = made.view
    assert view.department.currentData() == department.id
    assert view.comparison is not None
    assert (view.comparison.old.id, view.comparison.new.id) == (first.id, later.id)
