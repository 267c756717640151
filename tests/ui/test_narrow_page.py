"""A table section in a narrow page (a wide section list, or 1366×768 scaled 1.5): its
toolbar wraps onto more rows and its text wraps, instead of the page being wider than its
window with the right-hand part of every line cut off (no horizontal scroll bar there)."""

from __future__ import annotations

from desktop.main_window import MainWindow
from tests.ui.test_edit_edge_cases import open_new_audit

TABLE_SECTIONS = ("senior_roles", "workforce", "contracts", "programmes")


def test_table_sections_fit_a_narrow_page_and_every_button_shows(qtbot, window: MainWindow) -> None:
    open_new_audit(window)
    view = window.audit_view
    assert view is not None
    window.resize(1366, 700)
    view.splitter.setSizes([475, 560])  # the section list as wide as its longest entry
    for section in TABLE_SECTIONS:
        page = view.show_section(section)
        qtbot.waitUntil(lambda p=page: p.viewport().width() < 600)
        room = page.viewport().width()
        body = page.widget()
        assert body.minimumSizeHint().width() <= room, section
        qtbot.waitUntil(lambda p=page, b=body: b.width() <= p.viewport().width())
        for block in page.blocks.values():
            editor = block.table
            if editor is None:
                continue
            for name, button in editor.buttons.items():
                right = button.mapTo(body, button.rect().topRight()).x()
                assert right <= room, f"{section}: {name} cut off at {right} of {room}"
