"""PDF reports from the Report menu: options, making them in the background, preview, Save as."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.main_window import MainWindow
from models.records import Audit
from tests.ui.conftest import DialogScript
from tests.ui.test_workbook_ui import add_demo, menu_action, script_chooser
from ui.background import BackgroundTask
from ui.pdf_preview import PdfPreviewDialog
from ui.report_dialogs import BoardReportDialog, SummaryReportDialog

MADE_MS = 60000  # a real report of 40 pages on a slow laptop


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "information", record)
    return shown


class Made:
    """What the window's report actions did: the temporary PDF written and previews shown."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.paths: list[Path] = []
        self.previews: list[PdfPreviewDialog] = []
        self.tasks: list[BackgroundTask] = []
        window.reports.taskStarting.connect(self._starting)
        window.reports.previewShown.connect(self.previews.append)

    def _starting(self, task: BackgroundTask) -> None:
        job = self.window.reports.job
        assert job is not None
        self.paths.append(job.path)
        self.tasks.append(task)

    def wait(self, qtbot) -> None:
        qtbot.waitUntil(lambda: self.window.reports.task is None, timeout=MADE_MS)


def pdf_text(path: Path) -> str:
    """Every page's text, with line breaks and runs of spaces as single spaces."""
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def dwp_review(window: MainWindow) -> Audit:
    return next(
        a
        for a in window.store.audits()
        if a.department_name == "Department for Work and Pensions" and a.cycle == "2014 review"
    )


def test_board_report_is_previewed_then_saved_with_its_marking(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    add_demo(window)
    window.open_audit(dwp_review(window).id)

    def sensitive(dialog: BoardReportDialog) -> bool:
        assert isinstance(dialog, BoardReportDialog)
        assert dialog.marking.currentText() == "OFFICIAL"
        assert not dialog.redact.isChecked()
        dialog.marking.setCurrentText("OFFICIAL-SENSITIVE")
        return True

    dialogs.then(sensitive)
    made = Made(window)
    menu_action(window, "Report", "Board report…").trigger()
    qtbot.waitUntil(lambda: bool(made.previews), timeout=MADE_MS)

    [preview] = made.previews
    assert preview.windowTitle() == "Board report — DWP 2014 review"
    assert preview.isVisible() and not preview.isModal()
    assert QApplication.activeModalWidget() is None  # the main window stays usable
    pages = len(PdfReader(made.paths[0]).pages)
    assert pages >= 1
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.document.pageCount() == pages
    assert preview.page_label.text() == f"Page 1 of {pages}"
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert f"{pages} page" in window.statusBar().currentMessage()

    asked = script_chooser(window, tmp_path / "for the board")  # no suffix typed
    preview.save_action.trigger()
    saved = tmp_path / "for the board.pdf"
    assert asked[0][1] is True
    assert Path(asked[0][2]).name == "DWP 2014 review board report.pdf"
    assert preview.message.text() == f"Saved to {saved}"
    assert len(PdfReader(saved).pages) == pages
    text = pdf_text(saved)
    assert "OFFICIAL-SENSITIVE" in text and "Department for Work and Pensions" in text
    assert window.settings.value("reportFolder") == str(tmp_path)

    folder = made.paths[0].parent
    assert folder.is_dir()
    preview.activateWindow()
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    assert not folder.exists()  # the unsaved temporary copy goes with the preview
    assert saved.exists()
    qtbot.waitUntil(lambda: window.reports.previews == [])


def test_summary_report_for_the_chosen_cycle(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    add_demo(window)

    def earlier_cycle(dialog: SummaryReportDialog) -> bool:
        assert isinstance(dialog, SummaryReportDialog)
        cycles = [dialog.cycle.itemText(i) for i in range(dialog.cycle.count())]
        assert cycles == ["2013 baseline", "2014 review"]
        assert dialog.cycle.currentText() == "2014 review"  # the latest: no audit is open
        assert dialog.marking.currentText() == "OFFICIAL"
        dialog.cycle.setCurrentText("2013 baseline")
        dialog.marking.setCurrentText("OFFICIAL-SENSITIVE")
        return True

    dialogs.then(earlier_cycle)
    made = Made(window)
    menu_action(window, "Report", "Cross-government summary…").trigger()
    qtbot.waitUntil(lambda: bool(made.previews), timeout=MADE_MS)

    [preview] = made.previews
    assert preview.windowTitle() == "Cross-government summary — 2013 baseline"
    pages = len(PdfReader(made.paths[0]).pages)
    assert pages >= 1 and preview.document.pageCount() == pages
    assert preview.page_label.text() == f"Page 1 of {pages}"

    asked = script_chooser(window, tmp_path / "summary.pdf")
    preview.save_action.trigger()
    assert Path(asked[0][2]).name == "Cross-government summary 2013 baseline.pdf"
    text = pdf_text(tmp_path / "summary.pdf")
    assert "OFFICIAL-SENSITIVE" in text and "2013 baseline" in text
    preview.close()


def test_summary_defaults_to_the_open_audits_cycle(
    window: MainWindow, dialogs: DialogScript
) -> None:
    add_demo(window)
    first = next(a for a in window.store.audits() if a.cycle == "2013 baseline")
    window.open_audit(first.id)
    defaults: list[str] = []

    def note_default(dialog: SummaryReportDialog) -> bool:
        defaults.append(dialog.cycle.currentText())
        return False  # Cancel

    dialogs.then(note_default)
    window.summary_report_dialog()
    assert defaults == ["2013 baseline"]
    assert window.reports.task is None  # cancelled: nothing made


def test_board_report_without_an_open_audit_says_so(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_demo(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.statusBar().currentMessage() == "Open an audit to make its board report."
    assert dialogs.seen == []
    assert window.reports.task is None


def test_summary_of_an_empty_workspace_says_there_is_nothing(
    window: MainWindow, dialogs: DialogScript, errors: list[str]
) -> None:
    menu_action(window, "Report", "Cross-government summary…").trigger()
    assert len(errors) == 1 and "no audits" in errors[0]
    assert dialogs.seen == []


def test_cancelled_report_shows_no_preview_and_leaves_no_file(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_demo(window)
    window.open_audit(dwp_review(window).id)
    dialogs.then(lambda dialog: True)
    made = Made(window)
    outcomes: list[str] = []

    def cancel_at_once(task: BackgroundTask) -> None:
        task.succeeded.connect(lambda _result: outcomes.append("made"))
        task.cancelled.connect(lambda: outcomes.append("cancelled"))
        task.cancel()  # before the thread has started: it stops at its first progress report

    window.reports.taskStarting.connect(cancel_at_once)
    window.board_report_dialog()
    made.wait(qtbot)

    assert outcomes == ["cancelled"]
    assert made.previews == [] and window.reports.previews == []
    assert window.statusBar().currentMessage() == "Board report cancelled: nothing was made."
    assert not made.paths[0].exists()
    assert not made.paths[0].parent.exists()


def test_a_writer_error_is_shown_and_leaves_nothing(
    qtbot,
    window: MainWindow,
    dialogs: DialogScript,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import exporters.board_report

    def disk_full(store, audit_id, path, options, progress):
        progress(0, 1)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(exporters.board_report, "write_board_report", disk_full)
    add_demo(window)
    window.open_audit(dwp_review(window).id)
    dialogs.then(lambda dialog: True)
    made = Made(window)
    window.board_report_dialog()
    made.wait(qtbot)

    assert len(errors) == 1
    assert "No space left on device" in errors[0] and str(made.paths[0].parent) in errors[0]
    assert made.previews == []
    assert not made.paths[0].parent.exists()


def test_closing_the_window_stops_the_report_and_closes_its_preview(
    qtbot, window: MainWindow, dialogs: DialogScript
) -> None:
    add_demo(window)
    window.open_audit(dwp_review(window).id)
    dialogs.then(lambda dialog: True)
    made = Made(window)
    window.board_report_dialog()
    qtbot.waitUntil(lambda: bool(made.previews), timeout=MADE_MS)
    preview_folder = made.paths[0].parent

    dialogs.then(lambda dialog: True)
    window.board_report_dialog()  # a second one, still being made when the window closes
    task = window.reports.task
    assert task is not None and task.is_running()
    window.close()
    assert task.worker.isFinished()
    assert not made.previews[0].isVisible()
    assert not preview_folder.exists()
    assert not made.paths[1].parent.exists()
    qtbot.waitUntil(lambda: window.reports.task is None)


# --------------------------------------------------------------------------- the preview itself


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    """A three-page A4 PDF, so paging is seen whatever the real reports' length."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "three.pdf"
    canvas = Canvas(str(path))
    for page in range(3):
        canvas.drawString(72, 720, f"OFFICIAL page {page + 1}")
        canvas.showPage()
    canvas.save()
    return path


def open_preview(qtbot, path: Path, chosen: Path | None = None) -> PdfPreviewDialog:
    preview = PdfPreviewDialog(path, "Board report — test", "test.pdf", choose=lambda _n: chosen)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=2000)  # shortcuts need an active window
    return preview


def test_preview_page_label_follows_scrolling_and_zoom_keys(qtbot, three_pages: Path) -> None:
    preview = open_preview(qtbot, three_pages)
    assert preview.page_label.text() == "Page 1 of 3"
    bar = preview.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 3 of 3")
    preview.view.pageNavigator().jump(1, QPointF(), 0)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 2 of 3")

    fit = preview.effective_zoom()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus, ctrl)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == pytest.approx(fit * 1.25)
    assert preview.zoom_label.text().strip() == f"{round(fit * 125)}%"
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, ctrl)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, ctrl)
    assert preview.view.zoomFactor() == pytest.approx(fit / 1.25)
    qtbot.keyClick(preview.view, Qt.Key.Key_0, ctrl)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    preview.close()


def test_preview_save_into_a_missing_folder_is_reported(
    qtbot, three_pages: Path, tmp_path: Path, errors: list[str]
) -> None:
    target = tmp_path / "no such folder" / "report.pdf"
    preview = open_preview(qtbot, three_pages, chosen=target)
    qtbot.keyClick(preview, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert errors == [f"Could not save {target}: No such file or directory."]
    assert preview.message.text() == "Not saved."
    assert not target.parent.exists()
    assert three_pages.exists()  # the preview's own copy is untouched
    preview.close()


def test_preview_of_a_file_that_is_not_a_pdf_says_why(qtbot, tmp_path: Path) -> None:
    notes = tmp_path / "notes.pdf"
    notes.write_text("minutes of the board, not a PDF\n")
    preview = open_preview(qtbot, notes)
    assert preview.load_error is not None
    assert "notes.pdf" in preview.load_error and "not a PDF" in preview.load_error
    assert preview.message.text() == preview.load_error
    assert not preview.save_action.isEnabled() and not preview.save_button.isEnabled()
    preview.close()


def test_preview_pages_by_keys_and_number_and_lists_the_reports_bookmarks(
    qtbot, tmp_path: Path
) -> None:
    """The preview had zoom only: no way to a page but scrolling, no outline."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "outlined.pdf"
    canvas = Canvas(str(path))
    for page, title in enumerate(("Summary", "Indicators", "Findings")):
        canvas.drawString(72, 720, f"{title} page {page + 1}")
        canvas.bookmarkPage(title.lower(), fit="XYZ", left=0, top=744)  # as the reports do
        canvas.addOutlineEntry(title, title.lower(), level=0)
        canvas.showPage()
    canvas.save()
    preview = open_preview(qtbot, path)
    assert preview.outline.isVisible() and preview.bookmarks.rowCount() == 3
    titles = [preview.bookmarks.index(r, 0).data(Qt.ItemDataRole.DisplayRole) for r in range(3)]
    assert titles == ["Summary", "Indicators", "Findings"]
    preview.outline.activated.emit(preview.bookmarks.index(2, 0))
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 3 of 3")
    qtbot.keyClick(preview.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 2 of 3")
    preview.page_box.setValue(1)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 1 of 3")
    assert not preview.previous_action.isEnabled() and preview.next_action.isEnabled()
    qtbot.keyClick(preview.view, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not preview.outline.isVisible()
    preview.close()
