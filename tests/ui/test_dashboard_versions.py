"""A cycle mixing questionnaire versions: a version 1 audit's cell for an indicator only
version 2 asks says so ('Not asked (version 1)'), not '–' as if the figure were missing."""

from __future__ import annotations

from pathlib import Path

from models.questionnaire import current_questionnaire, get_questionnaire
from models.store import Store
from ui.dashboard_view import CycleDashboard, display_text


def test_a_version_1_audit_is_not_asked_what_only_version_2_asks(qtbot, tmp_path: Path) -> None:
    with Store(tmp_path / "w.sqlite") as store:
        old = store.add_department("Department for Transport", "DfT")
        new = store.add_department("Home Office", "HO")
        store.create_audit(old.id, "2016 review", get_questionnaire("board-technology-baseline", 1))
        store.create_audit(new.id, "2016 review", current_questionnaire())
        widget = CycleDashboard(store)
        qtbot.addWidget(widget)
        widget.set_cycle("2016 review")
        qtbot.waitUntil(widget.figures_complete, timeout=10_000)
        model = widget.model
        column = next(
            c for c in model.columns if c.key == "indicator:department_contractor_share_fte"
        )
        shown = {r.department.name: display_text(r, column) for r in model.rows}
        assert shown["Department for Transport"] == "Not asked (version 1)"
        assert shown["Home Office"] == "–"  # asked, not answered
        both = next(c for c in model.columns if c.key == "indicator:contractor_share_fte")
        assert display_text(model.rows[0], both) == "–"  # asked of both versions
        widget.stop()
