"""The same figure reads the same on the dashboard, in the department view and in reports."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from models.cycle_summary import AuditFigures
from models.dashboard import (
    COMPLETION,
    INDICATOR_PREFIX,
    PERCENT,
    SHARE,
    DashboardColumn,
    DashboardRow,
)
from models.department_trends import indicator_text
from models.formatting import format_share
from models.questionnaire import current_questionnaire
from models.scoring import AuditScore, IndicatorValue
from models.store import Store
from ui.dashboard_view import display_text
from ui.department_view import _completion


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 100, allow_nan=False))
def test_a_share_and_a_completion_read_the_same_everywhere(tmp_path_factory, points: float) -> None:
    folder: Path = tmp_path_factory.mktemp("figures")
    with Store(folder / "w.sqlite") as store:
        dept = store.add_department("Department for Transport", "DfT")
        audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    value = IndicatorValue("s", "Share", "share", points, 1, 2)
    row = DashboardRow(dept, audit, {}, None, points, 0, {"s": value})
    share = DashboardColumn(INDICATOR_PREFIX + "s", "Share", SHARE)
    complete = DashboardColumn(COMPLETION, "Complete", PERCENT)
    assert display_text(row, share) == indicator_text(value) == format_share(points)
    assert display_text(row, complete) == format_share(points)
    figures = AuditFigures(audit, current_questionnaire(), AuditScore({}, None, {}, {}), points, 0)
    assert _completion(figures) == format_share(points)  # the department view's history table
