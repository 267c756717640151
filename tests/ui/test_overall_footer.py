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
