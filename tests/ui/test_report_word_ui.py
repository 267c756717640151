"""Report ▸ Board report and Cross-government summary as Word: chosen in the dialog, saved
straight to the file chosen (no preview), the same report as the PDF."""

from __future__ import annotations

from pathlib import Path

import docx

from desktop.main_window import MainWindow
from tests.ui.conftest import DialogScript
from tests.ui.test_report_ui import MADE_MS, dwp_review
from tests.ui.test_workbook_ui import add_demo, menu_action, script_chooser
from ui.report_dialogs import BoardReportDialog, SummaryReportDialog


def test_board_report_as_word_is_saved_where_chosen(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    add_demo(window)
    window.open_audit(dwp_review(window).id)

    def word(dialog: BoardReportDialog) -> bool:
        assert dialog.format.currentIndex() == 0  # PDF stays the default
        dialog.marking.setCurrentText("OFFICIAL-SENSITIVE")
        dialog.format.setCurrentIndex(1)
        return True

    dialogs.then(word)
    asked = script_chooser(window, tmp_path / "for the secretariat")  # no suffix typed
    menu_action(window, "Report", "Board report…").trigger()
    qtbot.waitUntil(lambda: window.reports.task is None, timeout=MADE_MS)
    saved = tmp_path / "for the secretariat.docx"
    assert Path(asked[0][2]).name == "DWP 2014 review board report.docx"
    assert "Word (.docx)" in asked[0][0]
    document = docx.Document(str(saved))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Executive summary" in headings
    assert "OFFICIAL-SENSITIVE" in document.sections[0].header.paragraphs[0].text
    assert window.reports.previews == []
    assert str(saved) in window.statusBar().currentMessage()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_summary_as_word(qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path) -> None:
    add_demo(window)

    def word(dialog: SummaryReportDialog) -> bool:
        dialog.format.setCurrentIndex(1)
        return True

    dialogs.then(word)
    script_chooser(window, tmp_path / "summary.docx")
    menu_action(window, "Report", "Cross-government summary…").trigger()
    qtbot.waitUntil(lambda: window.reports.task is None, timeout=MADE_MS)
    document = docx.Document(str(tmp_path / "summary.docx"))
    assert document.core_properties.title.startswith("Technology capability across government")
