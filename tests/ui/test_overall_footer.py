"""The form's footer marks a provisional overall as the report does (day D1: 'overall
maturity 5.0 of 5' from one answered question of the whole form)."""

from __future__ import annotations

from desktop.main_window import MainWindow
from models.cycle_summary import audit_figures
from models.questionnaire import current_questionnaire


def test_footer_says_the_overall_is_provisional(qtbot, window: MainWindow) -> None:
    store = window.store
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2015 review", current_questionnaire())
    store.set_answer(audit.id, "digital_leader_nominated", True)
    covered = audit_figures(store, audit.id).score.overall_coverage
    assert covered is not None and covered.provisional
    window.refresh_navigator()
    window.open_audit(audit.id)
    assert window.audit_view is not None
    footer = window.audit_view.summary.text()
    assert f"overall maturity 5.0 of 5 (provisional: 1 of {covered.total} answered)" in footer


def test_a_long_footer_wraps_instead_of_widening_the_section_list(
    qtbot, window: MainWindow
) -> None:
    """'… overall maturity 5.0 of 5 (provisional: 2 of 22 answered)' on one line made the
    section list ~475 px wide at 1366×768, taking the room from the questions."""
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2015 review", current_questionnaire())
    store.set_answer(audit.id, "digital_leader_nominated", True)
    window.resize(1366, 700)
    window.refresh_navigator()
    window.open_audit(audit.id)
    view = window.audit_view
    assert view is not None
    assert "provisional" in view.summary.text()
    qtbot.waitUntil(lambda: view.pages.width() > 0)
    assert view.section_panel.minimumSizeHint().width() <= 300
    left, page = view.splitter.sizes()
    assert left <= 300 and page >= 700, (left, page)
    assert view.summary.height() >= view.summary.heightForWidth(view.summary.width())  # whole
