"""Compare audits at 1366x768 with the display scaled by 1.5 (about 900 px of room): the
two audits' values are the point of the answers list, so they stay in view (they were off
to the right of fixed column widths summing 920 px)."""

from __future__ import annotations

from tests.ui.test_compare_view import view, workspace  # noqa: F401  (fixtures)
from ui.compare_view import CompareView


def test_both_values_are_in_view_in_a_narrow_window(view: CompareView, workspace, qtbot) -> None:  # noqa: F811
    _, old_id, new_id = workspace
    view.resize(900, 500)
    view.compare(old_id, new_id)
    table = view.answers_view
    qtbot.waitUntil(lambda: table.viewport().width() < 900)
    room = table.viewport().width()
    header = table.horizontalHeader()
    for column in (3, 4):  # the earlier and the later audit's values
        assert header.sectionViewportPosition(column) + 60 <= room, column
    assert table.columnWidth(2) >= 150  # the question stays readable


def test_columns_follow_the_window_when_it_widens(view: CompareView, workspace, qtbot) -> None:  # noqa: F811
    _, old_id, new_id = workspace
    view.resize(900, 500)
    view.compare(old_id, new_id)
    narrow = view.answers_view.columnWidth(2)
    view.resize(1300, 700)
    qtbot.waitUntil(lambda: view.answers_view.columnWidth(2) > narrow)
    assert view.answers_view.columnWidth(2) <= 380
