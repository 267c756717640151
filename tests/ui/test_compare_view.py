"""The compare view on real workspaces: highlighted rows and cells, the toggle, the pickers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from models.demo import DemoSize, write_demo
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.compare_tables import BACKGROUNDS, CHANGED_CELL, CHANGED_ROLE, STATUS_ROLE
from ui.compare_view import CompareView

ROLE = {"job_title": "Head of IT", "role_type": "head_of_it", "employment_type": "permanent"}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Store, str, str]]:
    """DfT 2013 and 2014: A1 the same, B2's grade up, C3 removed, D4 added; one answer changed."""
    store = Store(tmp_path / "compare.sqlite")
    form = current_questionnaire()
    dept = store.add_department("Department for Transport", "DfT")
    old = store.create_audit(dept.id, "2013 baseline", form)
    new = store.create_audit(dept.id, "2014 review", form)
    store.insert_rows(
        old.id,
        "senior_roles",
        0,
        [
            {"post_ref": "A1", **ROLE, "grade": "g6"},
            {"post_ref": "B2", **ROLE, "grade": "scs1"},
            {"post_ref": "C3", **ROLE, "grade": "scs1"},
        ],
    )
    store.insert_rows(
        new.id,
        "senior_roles",
        0,
        [
            {"post_ref": "A1", **ROLE, "grade": "g6"},
            {"post_ref": "B2", **ROLE, "grade": "scs2"},
            {"post_ref": "D4", **ROLE, "grade": "scs1"},
        ],
    )
    store.set_answer(old.id, "cio_on_board", False)
    store.set_answer(new.id, "cio_on_board", True)
    store.add_department("HM Treasury", "HMT")  # no audits
    yield store, old.id, new.id
    store.close()


@pytest.fixture
def view(qtbot, workspace) -> CompareView:
    store, _, _ = workspace
    widget = CompareView(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(model: Any, column: int) -> list[Any]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_roles_side_by_side_with_markers_colours_and_bold_changed_cells(view, workspace):
    _, old_id, new_id = workspace
    view.only_differences.setChecked(False)
    view.compare(old_id, new_id)
    page = view.show_table("senior_roles")
    left, right = page.models

    # Aligned lines in the later order: A1 same, B2 changed, D4 added; C3, the last row of
    # 2013 with nothing after it, at the end.
    assert cells(left, 1) == ["A1", "B2", None, "C3"]
    assert cells(right, 1) == ["A1", "B2", "D4", None]
    assert cells(left, 0) == ["", "~ changed", "—", "− removed"]
    assert cells(right, 0) == ["", "~ changed", "+ added", "—"]
    assert [left.index(r, 0).data(STATUS_ROLE) for r in range(4)] == [
        "same",
        "changed",
        "absent",
        "removed",
    ]
    assert right.index(2, 1).data(Qt.ItemDataRole.BackgroundRole) == BACKGROUNDS["added"]
    assert left.index(3, 1).data(Qt.ItemDataRole.BackgroundRole) == BACKGROUNDS["removed"]
    assert left.index(2, 1).data(Qt.ItemDataRole.BackgroundRole) == BACKGROUNDS["absent"]
    assert right.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None

    grade = 1 + [c.id for c in right.columns].index("grade")
    changed = right.index(1, grade)
    assert changed.data() == "SCS2 (Director)"
    assert changed.data(CHANGED_ROLE) is True
    assert changed.data(Qt.ItemDataRole.BackgroundRole) == CHANGED_CELL
    assert changed.data(Qt.ItemDataRole.FontRole).bold()
    assert changed.data(Qt.ItemDataRole.ToolTipRole) == "In 2013 baseline: SCS1 (Deputy Director)"
    unchanged = right.index(1, 2)  # job title: the same in both
    assert unchanged.data(CHANGED_ROLE) is False
    assert unchanged.data(Qt.ItemDataRole.FontRole) is None
    # Row numbers are each audit's own; the side without the row has none.
    assert [left.headerData(r, Qt.Orientation.Vertical) for r in range(4)] == ["1", "2", "", "3"]


def test_show_only_differences_hides_unchanged_rows_on_both_sides(view, workspace):
    _, old_id, new_id = workspace
    view.compare(old_id, new_id)
    left, right = view.show_table("senior_roles").models
    assert view.only_differences.isChecked()  # the default
    assert cells(left, 1) == ["B2", None, "C3"]
    assert cells(right, 1) == ["B2", "D4", None]

    QTest.keyClick(view.only_differences, Qt.Key.Key_Space)  # keyboard, as a user would

    assert not view.only_differences.isChecked()
    assert left.rowCount() == right.rowCount() == 4


def test_summary_answers_list_and_tab_titles(view, workspace):
    _, old_id, new_id = workspace
    view.compare(old_id, new_id)

    assert view.summary.text() == (
        "2013 baseline → 2014 review: 1 answer changed, 1 role added, 1 role removed, "
        "1 role changed."
    )
    answers = view.answers_view.model()
    assert answers.rowCount() == 1
    assert [answers.index(0, c).data() for c in (0, 1, 3, 4)] == [
        "Changed",
        "Board capability",
        "No",
        "Yes",
    ]
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles[:2] == ["Answers (1)", "Senior technology roles (1 added, 1 removed, 1 changed)"]
    assert len(titles) == 6  # answers and the five tables of version 2
    assert "Workforce and contractor mix: Department workforce (no differences)" in titles
    page = view.pages["senior_roles"]
    assert page.views[0].accessibleName() == "Senior technology roles in 2013 baseline"


def test_side_models_pass_the_model_tester(view, workspace, qtmodeltester):
    _, old_id, new_id = workspace
    view.compare(old_id, new_id)
    for model in view.show_table("senior_roles").models:
        qtmodeltester.check(model)


def test_a_department_with_one_audit_says_there_is_nothing_to_compare(view, qtbot):
    view.department.setCurrentIndex(view.department.findText("HM Treasury (HMT)"))

    qtbot.waitUntil(lambda: "nothing to compare" in view.summary.text())
    assert (
        view.summary.text()
        == "HM Treasury (HMT) has no audits yet: there is nothing to compare yet."
    )
    assert view.tabs.count() == 1
    assert view.comparison is None


def test_picking_audits_compares_them_and_edits_elsewhere_show_when_told(view, workspace, qtbot):
    store, old_id, new_id = workspace
    view.department.setCurrentIndex(view.department.findData(store.audit(old_id).department_id))
    qtbot.waitUntil(lambda: view.comparison is not None)
    assert (view.comparison.old.id, view.comparison.new.id) == (old_id, new_id)

    store.set_answer(new_id, "cio_on_board", False)
    view.audit_changed(new_id)

    assert view.comparison.answers == []
    assert view.summary.text().startswith("2013 baseline → 2014 review: 1 role added")


def test_enter_on_a_side_asks_to_open_that_audit_and_rows_move_together(view, workspace, qtbot):
    _, old_id, new_id = workspace
    view.compare(old_id, new_id)
    left, right = view.show_table("senior_roles").views
    left.setFocus()
    left.setCurrentIndex(left.model().index(0, 1))
    QTest.keyClick(left, Qt.Key.Key_Down)
    assert right.currentIndex().row() == 1  # the other side follows the keyboard
    for table, expected in ((left, old_id), (right, new_id)):
        with qtbot.waitSignal(view.auditActivated) as signal:
            QTest.keyClick(table, Qt.Key.Key_Return)
        assert signal.args == [expected]


def test_demo_workspace_opens_on_its_two_cycles(qtbot, tmp_path):
    store = Store(tmp_path / "demo.sqlite", durable=False)
    write_demo(store, DemoSize(departments=2, cycles=2, roles=30))
    widget = CompareView(store)
    qtbot.addWidget(widget)
    widget.show()

    qtbot.waitUntil(lambda: widget.comparison is not None)

    comparison = widget.comparison
    assert (comparison.old.cycle, comparison.new.cycle) == ("2013 baseline", "2014 review")
    roles = comparison.table("senior_roles")
    left, right = widget.show_table("senior_roles").models
    assert left.rowCount() == right.rowCount() == len(roles.pairs) - roles.count("same")
    assert widget.old_audit.currentText() == "2013 baseline (Signed off)"
    store.close()
