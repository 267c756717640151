"""A generated report shown as it will print, before it is saved anywhere.

The dialog owns the temporary folder its PDF lies in and removes it when it closes, so an
unsaved preview leaves nothing behind.

Signals (PdfPreviewDialog):
    saved(object): the Path the PDF was copied to.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from exporters.progress import replacing
from ui.style import as_error

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
LOAD_ERRORS = {
    QPdfDocument.Error.Unknown: "an unknown error",
    QPdfDocument.Error.DataNotYetAvailable: "the file is not complete",
    QPdfDocument.Error.FileNotFound: "the file is not there",
    QPdfDocument.Error.InvalidFileFormat: "it is not a PDF that can be read",
    QPdfDocument.Error.IncorrectPassword: "it needs a password",
    QPdfDocument.Error.UnsupportedSecurityScheme: "its security scheme is not supported",
}

Chooser = Callable[[str], Path | None]  # suggested file name -> chosen path, or None


class PdfPreviewDialog(QDialog):
    """One PDF report, previewed page by page, with zoom and Save as; not modal."""

    saved = Signal(object)

    def __init__(
        self,
        pdf: Path,
        title: str,
        file_name: str,
        *,
        choose: Chooser,
        folder: tempfile.TemporaryDirectory[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.pdf = Path(pdf)
        self.file_name = file_name
        self.choose = choose
        self.folder = folder

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.page_label = QLabel(self)
        self.page_label.setAccessibleName("Page")
        # Page navigation: a page number to type, and previous/next.
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pageNumber")
        self.page_box.setAccessibleName("Go to page")
        self.page_box.setKeyboardTracking(False)  # jump on Enter, not on every digit
        self.page_box.setPrefix("Go to ")
        for field in self.page_box.findChildren(QLineEdit):  # the spin box's own text field
            field.setAccessibleName("Go to page")
        self.page_box.valueChanged.connect(lambda n: self.go_to_page(n - 1))
        # The report's outline (its headings) as a bookmarks panel beside the pages.
        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(self.document)
        self.outline = QTreeView(self)
        self.outline.setObjectName("bookmarks")
        self.outline.setAccessibleName("Bookmarks")
        self.outline.setAccessibleDescription("The report's headings: Enter goes to one")
        self.outline.setModel(self.bookmarks)
        self.outline.setHeaderHidden(True)
        self.outline.activated.connect(self._bookmark_chosen)
        self.outline.clicked.connect(self._bookmark_chosen)
        self.zoom_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Preview message")

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.save_action = self._action("&Save as…", self.save_as, QKeySequence.StandardKey.Save)
        self.addAction(self.save_action)  # Ctrl+S anywhere in the preview
        self.zoom_out_action = self._action(
            "Zoom &out", lambda: self.zoom_by(1 / ZOOM_STEP), QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_in_action = self._action(
            "Zoom &in",
            lambda: self.zoom_by(ZOOM_STEP),
            QKeySequence.StandardKey.ZoomIn,
            QKeySequence("Ctrl+="),
        )
        self.fit_action = self._action("&Fit width", self.fit_width, QKeySequence("Ctrl+0"))
        self.outline_action = self._action(
            "&Bookmarks", self.toggle_bookmarks, QKeySequence("Ctrl+B")
        )
        self.outline_action.setCheckable(True)
        self.previous_action = self._action(
            "&Previous page", lambda: self.step_page(-1), QKeySequence("Ctrl+PgUp")
        )
        self.next_action = self._action(
            "&Next page", lambda: self.step_page(1), QKeySequence("Ctrl+PgDown")
        )
        self.toolbar.addAction(self.outline_action)
        self.toolbar.addSeparator()
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.zoom_label)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addWidget(self.page_label)
        self.toolbar.addAction(self.previous_action)
        self.toolbar.addWidget(self.page_box)
        self.toolbar.addAction(self.next_action)

        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setAutoDefault(False)
        self.save_button.setToolTip(self.save_action.toolTip())
        self.save_button.clicked.connect(self.save_action.trigger)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)  # Enter in the view must not close it
        self.close_button.setToolTip("Close the preview (Esc)")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.outline)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 740])
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._show_page)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self.view.viewport().installEventFilter(self)
        self.load_error = self._load()
        has_outline = self.bookmarks.rowCount() > 0
        self.outline.setVisible(has_outline)
        self.outline_action.setChecked(has_outline)
        self.outline_action.setEnabled(has_outline)
        self.outline.expandToDepth(0)
        self.page_box.setRange(1, max(1, self.page_count))
        self._show_page(navigator.currentPage())
        self._show_zoom()
        self._fit_screen()
        self.view.setFocus()

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *shortcuts: QKeySequence | QKeySequence.StandardKey,
    ) -> QAction:
        action = QAction(text, self)
        action.setIconText(text.replace("&", ""))  # a tool button would drop the "…"
        keys = [QKeySequence(s) for s in shortcuts]
        action.setShortcuts(keys)
        plain = text.replace("&", "")
        action.setToolTip(f"{plain} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(slot)
        return action

    def _load(self) -> str | None:
        """Open the PDF; the reason it cannot be read, shown in the dialog, or None."""
        error = self.document.load(str(self.pdf))
        if error == QPdfDocument.Error.None_:
            return None
        message = f"Could not open {self.pdf.name}: {LOAD_ERRORS.get(error, str(error))}."
        self.message.setText(message)
        as_error(self.message)
        for action in (self.save_action, self.zoom_in_action, self.zoom_out_action):
            action.setEnabled(False)
        self.save_button.setEnabled(False)
        return message

    def _fit_screen(self) -> None:
        """A4 pages at a readable width, within the screen the window is on."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        self.resize(min(1200, int(area.width() * 0.9)), int(area.height() * 0.9))

    # ---------------------------------------------------------------- pages and zoom
    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _show_page(self, page: int) -> None:
        count = self.page_count
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "No pages")
        blocker = self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(blocker)
        self.page_box.setEnabled(count > 0)
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page + 1 < count)

    def go_to_page(self, page: int, location: QPointF | None = None) -> None:
        """Show the top of a page (0-based), or a point on it (a bookmark's heading)."""
        if not 0 <= page < self.page_count:
            return
        navigator = self.view.pageNavigator()
        navigator.jump(page, location or QPointF(), navigator.currentZoom())

    def step_page(self, step: int) -> None:
        self.go_to_page(self.view.pageNavigator().currentPage() + step)

    def _bookmark_chosen(self, index: QModelIndex) -> None:
        page = index.data(int(QPdfBookmarkModel.Role.Page))
        location = index.data(int(QPdfBookmarkModel.Role.Location))
        if isinstance(page, int):
            self.go_to_page(page, location if isinstance(location, QPointF) else None)

    def toggle_bookmarks(self) -> None:
        self.outline.setVisible(self.outline_action.isChecked())

    def _show_zoom(self, *_args: object) -> None:
        self.zoom_label.setText(f" {round(self.effective_zoom() * 100)}% ")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._show_zoom()  # fitting the width zooms as the window is resized
        return super().eventFilter(watched, event)

    def effective_zoom(self) -> float:
        """The zoom factor the pages are drawn at, whatever the zoom mode."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count == 0:
            return self.view.zoomFactor()
        # QPdfView's own arithmetic for fit-to-width: the viewport less margins, per point.
        screen = self.screen() or QGuiApplication.primaryScreen()
        points = self.document.pagePointSize(self.view.pageNavigator().currentPage()).width()
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        return max(width, 1) / max(points * screen.logicalDotsPerInch() / 72, 1.0)

    def zoom_by(self, step: float) -> None:
        low, high = ZOOM_RANGE
        factor = min(high, max(low, self.effective_zoom() * step))
        bar = self.view.verticalScrollBar()
        centre = (bar.value() + bar.pageStep() / 2) / max(bar.maximum() + bar.pageStep(), 1)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        # Keep the middle of the window on the same part of the same page.
        bar.setValue(round(centre * (bar.maximum() + bar.pageStep()) - bar.pageStep() / 2))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # ---------------------------------------------------------------- saving
    def save_as(self) -> Path | None:
        """Copy the PDF where the user chooses; the saved path, or None."""
        if self.load_error is not None:
            return None
        chosen = self.choose(self.file_name)
        if chosen is None:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            with replacing(target) as temp:  # an old copy is kept until the new one is whole
                shutil.copyfile(self.pdf, temp)
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)  # not the temp file's
            message = f"Could not save {target}: {reason}."
            self.message.setText("Not saved.")
            QMessageBox.critical(self, "Could not save the report", message)
            return None
        self.message.setText(f"Saved to {target}")
        self.saved.emit(target)
        return target

    # ---------------------------------------------------------------- closing
    def done(self, result: int) -> None:
        self.release()
        super().done(result)

    def release(self) -> None:
        """Close the PDF and remove its temporary folder (the preview is then empty)."""
        self.document.close()  # the view shows nothing; the file is no longer held open
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None
