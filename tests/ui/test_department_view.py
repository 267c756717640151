"""The department view on real workspace files: its table, headline changes and charts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from models.cycle_summary import audit_figures
from models.demo import DemoSize, cycle_label, write_demo
from models.department_trends import NO_EARLIER, department_trends
from models.questionnaire import current_questionnaire
from models.report_numbers import format_maturity
from models.store import Store
from ui.chart_widget import ChartWidget, chart_font_family, drawing_svg
from ui.department_view import AuditTrendModel, DepartmentView, HeadlineModel


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    """A demo workspace: three departments of three audits each."""
    store = Store(tmp_path / "demo.sqlite")
    write_demo(store, DemoSize(departments=3, cycles=3))
    yield store
    store.close()


@pytest.fixture
def hand(tmp_path: Path) -> Iterator[Store]:
    """DfT with two audits of known answers (board 2.0 then 3.0), Ofsted with one."""
    store = Store(tmp_path / "hand.sqlite")
    q = current_questionnaire()
    dft = store.add_department("Department for Transport", "DfT")
    for cycle, level in (("2013 baseline", 2), ("2014 review", 3)):
        audit = store.create_audit(dft.id, cycle, q)
        store.set_answer(audit.id, "board_capability_maturity", level)
        store.bulk_rows(
            audit.id,
            "workforce_mix",
            [
                {"profession_family": "data", "staff_type": "permanent", "fte": 3.0},
                {"profession_family": "data", "staff_type": "contractor", "fte": float(level - 1)},
            ],
        )  # contractors 1 of 4 FTE = 25%, then 2 of 5 = 40%
        time.sleep(0.002)  # created_at has millisecond resolution
    ofsted = store.add_department("Ofsted")
    single = store.create_audit(ofsted.id, "2014 review", q)
    store.set_answer(single.id, "governance_maturity", 4)
    yield store
    store.close()


def open_view(qtbot, store: Store) -> DepartmentView:
    view = DepartmentView(store)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


def cell(view: DepartmentView, row: int, column: int) -> str:
    model = view.audits_model
    return str(model.data(model.index(row, column)))


def headline(view: DepartmentView) -> dict[str, tuple[str, str]]:
    return {r.label: (r.now, r.change) for r in view.headline_model.rows}


def colours(widget: QWidget) -> int:
    """How many distinct colours a grab of the widget has (1 means blank)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    seen = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_models_pass_qt_model_checks(qtmodeltester, demo: Store) -> None:
    trends = department_trends(demo, demo.departments()[0].id)
    audits = AuditTrendModel()
    audits.set_trends(trends)
    qtmodeltester.check(audits, force_py=True)
    headlines = HeadlineModel()
    headlines.set_rows(trends.headline(), "Change since 2014 review")
    qtmodeltester.check(headlines, force_py=True)


def test_table_shows_each_audit_of_the_department(qtbot, demo: Store) -> None:
    view = open_view(qtbot, demo)
    first = demo.departments()[0]
    assert view.department_id == first.id
    assert view.title.text() == first.display
    audits = demo.audits(first.id)
    model = view.audits_model
    assert model.rowCount() == 3
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Cycle", "Status", "Completion", "Overall maturity", "Board capability",
        "Strategy and alignment", "Governance mechanisms", "Contracts and suppliers",
        "Skills and pay",
    ]  # fmt: skip
    assert [cell(view, r, 0) for r in range(3)] == [cycle_label(c) for c in range(3)]
    assert [cell(view, r, 1) for r in range(3)] == ["Signed off", "Signed off", "Draft"]
    assert [cell(view, r, 2) for r in range(2)] == ["100%", "100%"]  # demo fills past cycles
    for row, audit in enumerate(audits):
        figures = audit_figures(demo, audit.id)
        assert cell(view, row, 3) == format_maturity(figures.score.overall)
        assert cell(view, row, 4) == format_maturity(figures.score.section_maturity["board"])
    assert "3 audits, 2013 baseline to 2015 review" in view.summary.text()
    # The latest audit is chosen: its headline, with change since the one before.
    assert view.audits_table.currentIndex().row() == 2
    assert view.headline_heading.text() == "Headline indicators, 2015 review"
    assert view.headline_model.since == "Change since 2014 review"
    assert all(change != NO_EARLIER for _, change in headline(view).values())


def test_switch_department_with_the_keyboard(qtbot, demo: Store) -> None:
    view = open_view(qtbot, demo)
    second = demo.departments()[1]
    shown: list[str] = []
    view.departmentShown.connect(shown.append)
    view.department_combo.setFocus()
    qtbot.keyClick(view.department_combo, Qt.Key.Key_Down)
    assert shown == [second.id]
    assert view.title.text() == second.display
    ids = [view.audits_model.audit_id(r) for r in range(view.audits_model.rowCount())]
    assert ids == [a.id for a in demo.audits(second.id)]
    view.show_department(demo.departments()[2].id)
    assert view.department_combo.currentText() == demo.departments()[2].display


def test_enter_and_double_click_open_the_audit(qtbot, demo: Store) -> None:
    view = open_view(qtbot, demo)
    audits = demo.audits(view.department_id)
    table = view.audits_table
    table.setFocus()
    table.setCurrentIndex(view.audits_model.index(0, 0))
    with qtbot.waitSignal(view.auditActivated) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [audits[0].id]
    rect = table.visualRect(view.audits_model.index(1, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.auditActivated) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [audits[1].id]
    # Choosing a row shows that audit's headline and workforce.
    assert view.headline_heading.text() == "Headline indicators, 2014 review"
    assert "2014 review" in view.workforce_heading.text()


def test_edit_in_the_store_then_audit_changed(qtbot, hand: Store) -> None:
    view = open_view(qtbot, hand)
    assert view.title.text() == "Department for Transport (DfT)"
    assert [cell(view, r, 4) for r in range(2)] == ["2.0", "3.0"]  # board capability
    assert headline(view)["Overall maturity (1–5)"] == ("3.0", "Up 1.0 (better)")
    share = "Contractor and consultant share of the technology workforce (FTE)"
    assert headline(view)[share] == ("40%", "Up 15 points (worse)")  # 25% then 40%
    assert "2013 baseline 25%, 2014 review 40%" in view.share_chart.accessibleDescription()

    latest = hand.audits(view.department_id)[-1]
    hand.set_answer(latest.id, "board_capability_maturity", 5)
    hand.set_cell(latest.id, hand.rows(latest.id, "workforce_mix")[1].id, "fte", 5.0)
    view.audit_changed(latest.id)
    assert [cell(view, r, 4) for r in range(2)] == ["2.0", "5.0"]
    assert headline(view)["Overall maturity (1–5)"] == ("5.0", "Up 3.0 (better)")
    # contractors 5 of 8 FTE = 62.5%, printed half up as 63%; since 2013's 25%: 37.5 points
    assert headline(view)[share] == (
        "63%",
        "Up 38 points (worse)",
    )  # 62.5 - 25, whole as the shares
    assert "2013 baseline 25%, 2014 review 63%" in view.share_chart.accessibleDescription()

    # A new audit of this department appears; an edit to another department's is ignored.
    new = hand.create_audit(view.department_id, "2015 review", current_questionnaire())
    view.audit_changed(new.id)
    assert view.audits_model.rowCount() == 3
    before = view.trends
    other = hand.audits(hand.find_department("Ofsted").id)[0]  # type: ignore[union-attr]
    view.audit_changed(other.id)
    assert view.trends is before


def test_single_audit_says_no_earlier_audit(qtbot, hand: Store) -> None:
    view = open_view(qtbot, hand)
    ofsted = hand.find_department("Ofsted")
    assert ofsted is not None
    view.show_department(ofsted.id)
    assert view.audits_model.rowCount() == 1
    assert "no earlier audit" in view.summary.text()
    assert {change for _, change in headline(view).values()} == {NO_EARLIER}
    assert view.share_chart.isHidden() and not view.share_note.isHidden()
    assert view.share_note.text().startswith(NO_EARLIER)
    assert "Governance mechanisms: 2014 review 4.0" in view.maturity_chart.accessibleDescription()


def test_charts_render_in_the_report_font(qtbot, demo: Store) -> None:
    view = open_view(qtbot, demo)
    assert chart_font_family() == "Noto Sans"
    for chart in (view.maturity_chart, view.workforce_chart, view.share_chart):
        assert isinstance(chart, ChartWidget) and chart.isVisible()
        assert chart.accessibleName() and chart.accessibleDescription()
        assert "BaselineSans" not in chart.svg and "font-family: 'Noto Sans'" in chart.svg
        assert "fill: None" not in chart.svg and "<clipPath" not in chart.svg
        assert chart.height() == chart.heightForWidth(chart.width())  # aspect ratio kept
        assert colours(chart) > 20  # bars, markers and antialiased text, not one flat fill
    assert "By FTE: 2013 baseline" in view.share_chart.accessibleDescription()


def test_svg_maps_bold_and_drops_what_qt_cannot_draw() -> None:
    from reportlab.graphics.shapes import Drawing, PolyLine, String

    from exporters.pdf_fonts import SANS_BOLD, register_fonts

    register_fonts()
    drawing = Drawing(100, 40)
    drawing.add(String(2, 2, "£1.2m ŵ", fontName=SANS_BOLD, fontSize=8))
    drawing.add(PolyLine([0, 0, 50, 20, 100, 0], fillColor=None))
    svg = drawing_svg(drawing)
    assert "font-family: 'Noto Sans'; font-weight: bold" in svg
    assert "£1.2m ŵ" in svg
    assert "fill: none" in svg and "None" not in svg


def test_ten_audits_show_quickly(qtbot, tmp_path: Path) -> None:
    store = Store(tmp_path / "ten.sqlite")
    write_demo(store, DemoSize(departments=2, cycles=10))
    view = open_view(qtbot, store)
    start = time.perf_counter()
    view.show_department(store.departments()[1].id)
    took = time.perf_counter() - start
    assert view.audits_model.rowCount() == 10
    assert took < 1.0, f"scoring and charting 10 audits took {took:.2f} s"
    store.close()


def test_headline_labels_stay_apart_when_cut_at_1366x768(qtbot, demo: Store) -> None:
    """Two rows both read "Contractor and consultant share of the technology…": the FTE
    and cost figures were told apart only by the part cut off."""
    view = DepartmentView(demo)
    qtbot.addWidget(view)
    view.resize(1366 - 166, 740)  # the department window beside others on a 1366 screen
    view.show()
    qtbot.waitExposed(view)
    table = view.headline_table
    labels = [r.label for r in view.headline_model.rows]
    assert any(label.endswith("(FTE)") for label in labels)
    metrics = table.fontMetrics()
    room = table.columnWidth(0) - 12  # the cell's margins
    shown = [metrics.elidedText(label, table.textElideMode(), room) for label in labels]
    assert any(s != label for s, label in zip(shown, labels, strict=True))  # some are cut
    assert len(set(shown)) == len(shown), shown
