"""The cycle dashboard on demo data: sort, filter, open an audit, live edits, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from models.demo import DemoSize, write_demo
from models.questionnaire import current_questionnaire
from models.store import Store
from ui import dashboard_view
from ui.dashboard_view import AUDIT_ROLE, PENDING, CycleDashboard

NEWEST, OLDEST = "2014 review", "2013 baseline"
NO_AUDIT = "No audit for this cycle"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Six demo departments over two cycles, a seventh with no audit, and Test Office whose
    newest audit has one answer: board capability maturity 2 (board maturity 2.0)."""
    workspace = Store(tmp_path / "demo.sqlite", durable=False)
    write_demo(workspace, DemoSize(departments=6, cycles=2), seed=3)
    workspace.add_department("Wales Office", "WO")
    dept = workspace.add_department("Test Office", "TO")
    audit = workspace.create_audit(dept.id, NEWEST, current_questionnaire())
    workspace.set_answer(audit.id, "board_capability_maturity", 2)
    yield workspace
    workspace.close()


@pytest.fixture
def dashboard(qtbot, store: Store) -> CycleDashboard:
    widget = CycleDashboard(store, choose_path=lambda *_: None)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    if not widget.figures_complete():
        with qtbot.waitSignal(widget.figuresReady, timeout=10_000):
            pass
    return widget


def column_of(widget: CycleDashboard, title: str) -> int:
    return next(i for i, c in enumerate(widget.model.columns) if c.title == title)


def shown(widget: CycleDashboard, title: str) -> list[str]:
    """A column's text as the view shows it, top to bottom."""
    col = column_of(widget, title)
    return [widget.proxy.index(r, col).data() for r in range(widget.proxy.rowCount())]


def row_of(widget: CycleDashboard, name: str) -> int:
    return shown(widget, "Department").index(name)


def test_opens_on_the_newest_cycle_with_every_department(
    dashboard: CycleDashboard, store: Store, qtmodeltester
) -> None:
    qtmodeltester.check(dashboard.model)
    assert dashboard.cycle_combo.currentText() == NEWEST
    assert [dashboard.cycle_combo.itemText(i) for i in range(2)] == [NEWEST, OLDEST]
    names = shown(dashboard, "Department")
    assert names == sorted((d.name for d in store.departments()), key=str.casefold)
    assert len(names) == 8
    wales = row_of(dashboard, "Wales Office")
    assert shown(dashboard, "Status")[wales] == NO_AUDIT
    assert shown(dashboard, "Overall")[wales] == ""
    test = row_of(dashboard, "Test Office")
    assert shown(dashboard, "Board capability")[test] == "2.0"
    index = dashboard.proxy.index(test, column_of(dashboard, "Board capability"))
    # one of the section's six scoring questions answered: provisional, as the report says
    thin = "Provisional (1 of 6 answered)"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"Board capability: 2.0 (Red: weak). {thin}"
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == f"2.0, Red: weak, {thin}"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None  # tinted, number shown too
    assert PENDING not in shown(dashboard, "Contractor share (FTE)")
    assert dashboard.count_label.text() == "Showing 8 of 8 departments; 7 audited in 2014 review."


def test_indicators_fill_in_after_the_first_rows(
    qtbot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_view, "SCORE_FIRST_S", 0)  # a cycle too slow to score first
    widget = CycleDashboard(store)
    qtbot.addWidget(widget)
    assert set(shown(widget, "Contractor share (FTE)")) - {""} == {PENDING}
    with qtbot.waitSignal(widget.figuresReady, timeout=10_000):
        pass
    assert PENDING not in shown(widget, "Contractor share (FTE)")


def test_sort_by_a_section_numerically_blanks_last(dashboard: CycleDashboard) -> None:
    col = column_of(dashboard, "Board capability")
    dashboard.view.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    values = shown(dashboard, "Board capability")
    numbers = [float(v) for v in values if v not in ("", "–")]
    assert numbers == sorted(numbers) and len(numbers) == 7
    assert values[-1] == ""  # Wales Office, no audit: last
    assert shown(dashboard, "Department")[-1] == "Wales Office"
    dashboard.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = shown(dashboard, "Board capability")
    numbers = [float(v) for v in values if v not in ("", "–")]
    assert numbers == sorted(numbers, reverse=True)
    assert values[-1] == ""  # blanks still last
    assert shown(dashboard, "Department")[-1] == "Wales Office"


def test_filter_by_name_and_status(qtbot, dashboard: CycleDashboard) -> None:
    qtbot.keyClick(dashboard.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dashboard.filter_edit.hasFocus()
    qtbot.keyClicks(dashboard.filter_edit, "office")
    assert shown(dashboard, "Department") == ["Cabinet Office", "Home Office", "Test Office",
                                              "Wales Office"]  # fmt: skip
    assert dashboard.count_label.text().startswith("Showing 4 of 8")
    dashboard.status_combo.setCurrentText(NO_AUDIT)
    assert shown(dashboard, "Department") == ["Wales Office"]
    dashboard.filter_edit.clear()
    dashboard.status_combo.setCurrentText("Not submitted")  # drafts and no audit
    assert len(shown(dashboard, "Department")) == 8  # the newest demo cycle is all drafts
    dashboard.set_cycle(OLDEST)
    assert shown(dashboard, "Department") == ["Test Office", "Wales Office"]
    dashboard.status_combo.setCurrentText("Signed off")
    assert len(shown(dashboard, "Department")) == 6


def test_enter_and_double_click_open_the_audit(
    qtbot, dashboard: CycleDashboard, store: Store
) -> None:
    test = row_of(dashboard, "Test Office")
    expected = store.find_audit(store.find_department("Test Office").id, NEWEST).id  # type: ignore[union-attr]
    view = dashboard.view
    opened: list[str] = []
    dashboard.auditActivated.connect(opened.append)
    view.setFocus()
    view.setCurrentIndex(dashboard.proxy.index(test, 2))
    with qtbot.waitSignal(dashboard.auditActivated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [expected]
    hmrc = row_of(dashboard, "HM Revenue & Customs")
    rect = view.visualRect(dashboard.proxy.index(hmrc, 4))
    with qtbot.waitSignal(dashboard.auditActivated) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 2  # Enter once, the double-click once (not twice)
    hmrc_id = store.find_audit(store.find_department("HM Revenue & Customs").id, NEWEST).id  # type: ignore[union-attr]
    assert blocker.args == [hmrc_id]
    wales = dashboard.proxy.index(row_of(dashboard, "Wales Office"), 0)
    assert wales.data(AUDIT_ROLE) is None
    with qtbot.assertNotEmitted(dashboard.auditActivated):
        view.activated.emit(wales)


def test_audit_changed_updates_the_row(dashboard: CycleDashboard, store: Store) -> None:
    test_office = store.find_department("Test Office")
    assert test_office is not None
    audit = store.find_audit(test_office.id, NEWEST)
    assert audit is not None
    dashboard.view.sortByColumn(column_of(dashboard, "Overall"), Qt.SortOrder.AscendingOrder)
    row = row_of(dashboard, "Test Office")
    assert shown(dashboard, "Board capability")[row] == "2.0"
    store.set_answer(audit.id, "board_capability_maturity", 5)
    store.set_answer(audit.id, "cio_on_board", True)
    assert shown(dashboard, "Board capability")[row] == "2.0"  # not until told
    dashboard.audit_changed(audit.id)
    row = row_of(dashboard, "Test Office")
    # board: maturity 5 and CIO on board 5 -> 5.0; overall is the board's alone.
    assert shown(dashboard, "Board capability")[row] == "5.0"
    assert shown(dashboard, "Overall")[row] == "5.0"
    assert shown(dashboard, "CIO on board")[row] == "Yes"
    assert row == dashboard.proxy.rowCount() - 2  # re-sorted: highest overall, before blank
    # An edit to an audit of another cycle leaves this cycle's rows alone.
    old = store.audits()[0]
    store.set_status(old.id, "draft")  # reopened: signed-off audits cannot change
    store.set_answer(old.id, "board_capability_maturity", 1)
    dashboard.audit_changed(old.id)
    assert shown(dashboard, "Board capability")[row] == "5.0"
    # A new audit for the department without one appears in its row.
    wales = store.find_department("Wales Office")
    assert wales is not None
    new = store.create_audit(wales.id, NEWEST, current_questionnaire())
    dashboard.audit_changed(new.id)
    assert shown(dashboard, "Status")[row_of(dashboard, "Wales Office")] == "Draft"


def test_export_the_view_as_shown(tmp_path: Path, qtbot, dashboard: CycleDashboard) -> None:
    dashboard.filter_edit.setText("office")
    dashboard.view.sortByColumn(column_of(dashboard, "Overall"), Qt.SortOrder.DescendingOrder)
    expected_names = shown(dashboard, "Department")
    expected_overall = [
        dashboard.proxy.index(r, column_of(dashboard, "Overall")).data(Qt.ItemDataRole.UserRole + 1)
        for r in range(dashboard.proxy.rowCount())
    ]
    target = tmp_path / "view.xlsx"
    dashboard.choose_path = lambda *_: target.with_suffix("")  # the .xlsx is added
    with qtbot.waitSignal(dashboard.exported) as blocker:
        qtbot.mouseClick(dashboard.export_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(target)]
    book = load_workbook(target)
    sheet = book["Dashboard"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    headers = [c.value for c in sheet[1]]
    assert (
        [r[0] for r in rows]
        == expected_names
        == [name for name in expected_names if "office" in name.casefold()]
    )
    overall = [r[headers.index("Overall")] for r in rows]
    assert overall == expected_overall  # numbers, in the view's order, blank (None) last
    assert overall[-1] is None and all(isinstance(v, float) for v in overall[:-1])
    assert overall[:-1] == sorted(overall[:-1], reverse=True)
    assert sheet.cell(2, headers.index("Contractor share (FTE)") + 1).number_format == "0%"
    notes = dict(book["About"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert notes["Name filter"] == "office" and notes["Sorted by"] == "Overall, descending"


def test_empty_workspace(qtbot, tmp_path: Path) -> None:
    with Store(tmp_path / "empty.sqlite") as empty:
        widget = CycleDashboard(empty)
        qtbot.addWidget(widget)
        assert widget.cycle() == "" and widget.model.rowCount() == 0
        assert not widget.cycle_combo.isEnabled()
        with pytest.raises(ValueError):
            widget.set_cycle(NEWEST)


def test_refresh_picks_up_a_new_cycle(dashboard: CycleDashboard, store: Store) -> None:
    test_office = store.find_department("Test Office")
    assert test_office is not None
    audit = store.create_audit(test_office.id, "2015 review", current_questionnaire())
    dashboard.audit_changed(audit.id)
    assert dashboard.cycle_combo.findText("2015 review") == 0
    assert dashboard.cycle() == NEWEST  # the view stays where the user is
    dashboard.set_cycle("2015 review")
    assert shown(dashboard, "Status").count(NO_AUDIT) == 7


def test_the_frozen_department_header_still_sorts(qtbot, tmp_path) -> None:
    """The Department column is frozen (an overlay); clicking its header sorts as before."""
    from models.questionnaire import current_questionnaire
    from models.store import Store
    from ui.dashboard_view import CycleDashboard

    store = Store(tmp_path / "d.sqlite")
    for name in ("Cabinet Office", "Home Office", "Department for Education"):
        dept = store.add_department(name, "")
        store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    widget = CycleDashboard(store)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    frozen = widget.frozen.frozen

    def departments() -> list[str]:
        proxy = widget.proxy
        return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]

    assert frozen.isVisible() and departments()[0] == "Cabinet Office"
    frozen.horizontalHeader().sectionClicked.emit(0)
    assert departments()[0] == "Home Office"
    assert frozen.horizontalHeader().isSortIndicatorShown()
    opened: list[str] = []
    widget.auditActivated.connect(opened.append)
    frozen.doubleClicked.emit(widget.proxy.index(0, 0))  # a double-click on a frozen name
    home = next(d for d in store.departments() if d.name == "Home Office")
    assert opened == [store.audits(home.id)[0].id]  # the first row: Home Office's audit
    widget.close()
    store.close()
