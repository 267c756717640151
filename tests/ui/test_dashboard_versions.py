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


def test_an_empty_programmes_table_is_not_answered_not_0(qtbot, tmp_path: Path) -> None:
    """No programmes listed is an unanswered table (progress counts it so): the dashboard
    says 'Not answered', never a count of 0 stated as fact; two listed are '2'."""
    form = current_questionnaire()
    with Store(tmp_path / "w.sqlite") as store:
        none = store.add_department("Ministry of Justice", "MoJ")
        some = store.add_department("Home Office", "HO")
        store.create_audit(none.id, "2016 review", form)
        listed = store.create_audit(some.id, "2016 review", form)
        store.bulk_rows(listed.id, "major_programmes", [{"name": "A"}, {"name": "B"}])
        widget = CycleDashboard(store)
        qtbot.addWidget(widget)
        widget.set_cycle("2016 review")
        qtbot.waitUntil(widget.figures_complete, timeout=10_000)
        model = widget.model
        column = next(c for c in model.columns if c.key == "indicator:programmes_by_rag")
        shown = {r.department.name: display_text(r, column) for r in model.rows}
        assert shown == {"Ministry of Justice": "Not answered", "Home Office": "2"}
        widget.stop()


def test_the_dashboard_workbook_says_so_too(qtbot, tmp_path: Path) -> None:
    """The exported dashboard writes 'Not answered' for an empty programmes table, not 0."""
    import openpyxl

    form = current_questionnaire()
    with Store(tmp_path / "w.sqlite") as store:
        dept = store.add_department("Ministry of Justice", "MoJ")
        store.create_audit(dept.id, "2016 review", form)
        widget = CycleDashboard(store)
        qtbot.addWidget(widget)
        widget.set_cycle("2016 review")
        qtbot.waitUntil(widget.figures_complete, timeout=10_000)
        written = widget.export_to(tmp_path / "d.xlsx")
        widget.stop()
    sheet = openpyxl.load_workbook(written).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Major programmes")] == "Not answered"
