"""The import wizard's frame: its pages and buttons, its state, and the task plumbing.

ui/import_wizard.py fills the pages and reacts to them (reading, layout, columns, preview,
importing); this class holds what every step shares. The steps it calls are overridden there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout

from ui.background import BackgroundTask, Work
from ui.import_columns_page import ColumnsPage
from ui.import_plan_model import PlanRowsModel
from ui.import_sources import Cancel, Read
from ui.import_state import ImportState
from ui.import_wizard_pages import FilePage, LayoutPage, PreviewPage, ReportPage

if TYPE_CHECKING:
    from importers.column_mapping import ColumnMapping
    from importers.foreign_plan import ForeignFile, ForeignPlan, PlannedRow
    from importers.import_report import ImportReport
    from ui.app.context import AppContext

DEBOUNCE_MS = 300
STATUS_MS = 15000
FILE, LAYOUT, COLUMNS, PREVIEW, REPORT = range(5)
TITLES = (
    ("Choose the file", "A spreadsheet (CSV, Excel or OpenDocument) to import rows from."),
    (
        "How to read it",
        "What Baseline recognised in the file. Choose another sheet or layout if it is wrong.",
    ),
    ("Columns", "Which column of the file goes into which column of the table."),
    ("Preview", "Where every row goes, or why it is left out. Nothing is written until Import."),
    ("Done", "What the import did."),
)
OWN_ROWS = "Each row's own department (from the file)"
CANCELLED_READ = "Cancelled: nothing was read or changed."
CANCELLED_IMPORT = "Import cancelled: nothing was changed."


class WizardFrame(QDialog):
    """Five steps: file, layout, columns, preview, report. Enter goes on, Esc cancels.

    Signals:
        planned(object): a new ForeignPlan is shown.
        taskStarting(object): a BackgroundTask (read, plan or import) is about to start.
        imported(object): the ImportReport of a finished import.
    """

    planned = Signal(object)
    imported = Signal(object)
    taskStarting = Signal(object)

    def __init__(self, app: AppContext, path: Path) -> None:
        super().__init__(app.widget)
        from models.questionnaire import current_questionnaire

        self.setObjectName("importWizard")
        self.setWindowTitle(f"Import {path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.app = app
        app.tasks.shuttingDown.connect(self.shutdown)  # the window is closing
        self.state = ImportState(path, current_questionnaire())
        self.task: BackgroundTask | None = None
        self.task_kind = ""
        self.plan_again = False
        self.message = ""  # the last outcome in words (cancelled, failed), for tests and screen

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.file_page = FilePage(self)
        self.layout_page = LayoutPage(self)
        self.columns_page = ColumnsPage(self)
        self.model = PlanRowsModel(self._toggle, self)
        self.preview_page = PreviewPage(self.model, self)
        self.report_page = ReportPage(self.export_report, self)
        self.stack = QStackedWidget(self)
        for page in (
            self.file_page,
            self.layout_page,
            self.columns_page,
            self.preview_page,
            self.report_page,
        ):
            self.stack.addWidget(page)
        self.back = QPushButton("< &Back", self)
        self.next = QPushButton("&Next >", self)
        self.cancel = QPushButton("Cancel", self)
        for button in (self.back, self.next, self.cancel):
            button.setAutoDefault(False)
        self.next.setDefault(True)  # Enter goes on
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.resize(1000, 680)

    # ---------------------------------------------------------------- state (ui/import_state.py)
    @property
    def path(self) -> Path:
        return self.state.path

    @property
    def plan(self) -> ForeignPlan | None:
        return self.state.plan

    @property
    def report(self) -> ImportReport | None:
        return self.state.report

    @property
    def foreign(self) -> ForeignFile | None:
        return self.state.foreign

    def mapping(self) -> ColumnMapping:
        return self.state.mapping()

    def busy(self) -> bool:
        """Work running or about to (tests wait on this)."""
        return self.task is not None or self.debounce.isActive()

    def page(self) -> int:
        return self.stack.currentIndex()

    # ---------------------------------------------------------------- steps (ui/import_wizard.py)
    def _toggle(self, item: PlannedRow, keep: bool) -> None:
        raise NotImplementedError

    def export_report(self) -> None:
        raise NotImplementedError

    def schedule_plan(self) -> None:
        raise NotImplementedError

    def start_import(self) -> None:
        raise NotImplementedError

    def blocked_reason(self) -> str:
        raise NotImplementedError

    def _fill_columns(self) -> None:
        raise NotImplementedError

    # ---------------------------------------------------------------- pages and buttons
    def go_next(self) -> None:
        page = self.page()
        if page == FILE and self.state.foreign is not None:
            self._show_page(LAYOUT)
        elif page == LAYOUT:
            self._show_page(COLUMNS)
        elif page == COLUMNS:
            self._show_page(PREVIEW)
            self.schedule_plan()
        elif page == PREVIEW:
            self.start_import()
        elif page == REPORT:
            self.accept()

    def go_back(self) -> None:
        page = self.page()
        if page in (LAYOUT, COLUMNS, PREVIEW) and self.task is None:
            self.debounce.stop()
            self._show_page(page - 1)

    def _show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        title, subtitle = TITLES[page]
        self.title.setText(f"{title}  ·  step {page + 1} of {len(TITLES)}")
        self.subtitle.setText(subtitle)
        if page == LAYOUT:
            self.layout_page.list.setFocus()
        elif page == COLUMNS:
            self._fill_columns()
            first = next((r.combo for r in self.columns_page.rows if r.combo.isEnabled()), None)
            (first or self.next).setFocus()
        elif page == PREVIEW:
            self.preview_page.department.setFocus()
        elif page == REPORT:
            self.report_page.text.setFocus()
        self._update_buttons()

    def _update_buttons(self) -> None:
        page, working = self.page(), self.task is not None
        self.back.setVisible(page != REPORT)
        self.cancel.setVisible(page != REPORT)
        self.back.setEnabled(page in (LAYOUT, COLUMNS, PREVIEW) and not working)
        self.next.setText({PREVIEW: "&Import", REPORT: "&Close"}.get(page, "&Next >"))
        blocked = self.blocked_reason() if page == PREVIEW else ""
        if page == PREVIEW and not self.message.startswith("Import failed"):
            self.preview_page.blocked.setText(blocked)
        if page == FILE:
            self.next.setEnabled(self.state.foreign is not None and not working)
        elif page == PREVIEW:
            self.next.setEnabled(not blocked and not working)
        else:
            self.next.setEnabled(not working)
        self.file_page.choose.setEnabled(not working)

    # ---------------------------------------------------------------- plumbing
    def _start(
        self, kind: str, title: str, label: str, work: Work, cancel: Cancel
    ) -> BackgroundTask:
        task = self.app.tasks.start(title, label, work, kind=f"import {kind}", parent=self)
        cancel.token = task.token  # Cancel pressed: the importers' poll sees it
        self.task, self.task_kind = task, kind

        def ended() -> None:
            if self.task is task:
                self.task, self.task_kind = None, ""
            task.deleteLater()
            self._update_buttons()

        task.finished.connect(ended)
        self.taskStarting.emit(task)
        return task

    def _status(self, message: str) -> None:
        self.app.status(message, STATUS_MS)

    def _close_file(self) -> None:
        if self.state.read is not None:
            self.state.read.foreign.close()
            self.state.read = None
        self.state.plan = None
        self.model.set_plan(None, None)

    def done(self, result: int) -> None:
        """Closing (Cancel, Esc, Close): stop any work, let go of the file."""
        task = self.task
        if task is not None and self.task_kind == "import":
            task.cancel()  # the wizard stays to say what became of the import
            return
        self._stop()
        self._close_file()
        super().done(result)

    def shutdown(self) -> None:
        """The main window is closing: end any work first (an import not yet committed is
        cancelled and rolled back), so no thread outlives the window."""
        self._stop()
        self.reject()

    def _stop(self) -> None:
        self.debounce.stop()
        task, self.task, self.task_kind = self.task, None, ""
        if task is not None and task.is_running():
            task.wait()
            task.blockSignals(True)  # its outcome, still queued, is for a closed wizard
            value: Any = task.worker.value
            if isinstance(value, Read):
                value.foreign.close()  # read while closing: never shown
