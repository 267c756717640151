"""File ▸ Import: any spreadsheet, read, recognised, mapped, previewed and imported in steps.

A thin view over importers/foreign_plan.py. Reading, planning and writing each run on a
BackgroundTask (progress and Cancel); planning is given WorkspaceFacts taken here on the
GUI thread, and writing opens its own Store on the workspace file. The app's own workbooks
are handed to the existing workbook import (ui/workbook_actions.py).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from importers.column_mapping import ColumnMapping, header_signature, suggest_mapping
from importers.foreign_plan import BY_YOU
from importers.source_table import ImportFileError
from ui.background import BackgroundTask, Work
from ui.import_columns_page import ColumnsPage
from ui.import_plan_model import PlanRowsModel
from ui.import_sources import (
    Cancel,
    Read,
    choose_spreadsheet,
    copy_mapping,
)
from ui.import_state import ImportState, summary_text
from ui.import_tasks import import_work, plan_work, read_work
from ui.import_wizard_pages import FilePage, LayoutPage, PreviewPage, ReportPage

if TYPE_CHECKING:
    from importers.foreign_plan import Choices, ForeignFile, ForeignPlan, PlannedRow
    from importers.import_report import ImportReport
    from importers.layouts import Recognition
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


def open_import_wizard(app: AppContext, path: Path | None = None) -> ImportWizard | None:
    """File ▸ Import (and a file dropped on the window): the wizard on `path`, else ask."""
    existing = app.widget.findChild(ImportWizard, "importWizard")
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    if path is None:
        path = choose_spreadsheet(app)
        if path is None:
            return None
    wizard = ImportWizard(app, path)
    wizard.open()
    wizard.start()
    return wizard


class ImportWizard(QDialog):
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
        self.debounce.timeout.connect(self._run_plan)

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

        self.file_page.file.setText(f"File: {path}")
        self.file_page.choose.clicked.connect(self.choose_another)
        self.layout_page.list.currentRowChanged.connect(self._layout_chosen)
        self.columns_page.mappingEdited.connect(self._mapping_edited)
        self.columns_page.targetChosen.connect(self._target_chosen)
        self.columns_page.savedChosen.connect(self._saved_chosen)
        preview = self.preview_page
        preview.department.activated.connect(lambda _i: self.schedule_plan())
        preview.cycle.currentTextChanged.connect(lambda _t: self.schedule_plan())
        preview.tech.toggled.connect(lambda _c: self.schedule_plan())
        preview.whole.toggled.connect(lambda _c: self.schedule_plan())
        preview.refresh.clicked.connect(self.schedule_plan)
        preview.repeat_group.buttonToggled.connect(lambda *_: self._update_buttons())
        self._show_page(FILE)

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

    # ---------------------------------------------------------------- reading
    def start(self) -> None:
        """Read the file on a worker thread."""
        path, questionnaire = self.state.path, self.state.questionnaire
        self.file_page.file.setText(f"File: {path}")
        self.file_page.show_status(f"Reading {path.name}…")

        cancel = Cancel()
        work = read_work(path, questionnaire, cancel)
        task = self._start("read", "Import", f"Reading {path.name}…", work, cancel)
        task.succeeded.connect(self._read_done)
        task.failed.connect(self._read_failed)
        task.cancelled.connect(self._read_cancelled)
        task.start()
        self._update_buttons()

    def choose_another(self) -> None:
        path = choose_spreadsheet(self.app)
        if path is None:
            return
        self._close_file()
        self.state.path = path
        self.setWindowTitle(f"Import {path.name}")
        self.start()

    def _read_done(self, read: Read) -> None:
        foreign = read.foreign
        if foreign.own_workbook:
            foreign.close()
            self.message = f"{self.state.path.name} is a Baseline workbook: importing it as one."
            self.reject()
            from ui.workbook_actions import workbook_actions

            workbook_actions(self.app).import_workbook_path(self.state.path)
            return
        self.state.read = read
        self.state.mappings, self.state.remembered, self.state.edited = {}, {}, set()
        self.state.include, self.state.exclude = (
            set(),
            set(),
        )  # row numbers of the file chosen before
        self.preview_page.clear_repeat()
        self.preview_page.repeat.hide()
        from importers.foreign_plan import remembered_mapping

        store = self.app.store
        for index, recognition in enumerate(foreign.recognitions):
            if not recognition.generic:
                continue
            saved = remembered_mapping(store, recognition)
            if saved is not None and self.state.questionnaire.has_question(saved.target):
                self.state.mappings[index] = saved
                self.state.remembered[index] = saved.name or self._saved_name(recognition)
        self.file_page.show_status(
            f"Read {self.state.path.name}: "
            + (
                f"{len(foreign.recognitions)} tables found."
                if len(foreign.recognitions) > 1
                else "one table found."
            )
            + " Press Next."
        )
        self.layout_page.fill(foreign.recognitions)
        self._fill_defaults()
        self._show_page(LAYOUT)

    def _saved_name(self, recognition: Recognition) -> str:
        from models.foreign_imports import mapping_for_shape

        found = mapping_for_shape(self.app.store, header_signature(recognition.header))
        return found.name if found is not None else ""

    def _read_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ImportFileError | OSError | ValueError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        text = str(exc) if isinstance(exc, ImportFileError) else f"{self.state.path.name}: {exc}"
        self.message = text
        self.file_page.show_error(text)
        self._status(f"Cannot import {self.state.path.name}: nothing was read or changed.")
        self._update_buttons()

    def _read_cancelled(self) -> None:
        self.message = CANCELLED_READ
        self.file_page.show_status(CANCELLED_READ + " Choose another file, or Cancel.")
        self._status(CANCELLED_READ)
        self._update_buttons()

    # ---------------------------------------------------------------- layout and columns
    def _layout_chosen(self, row: int) -> None:
        foreign = self.state.foreign
        if foreign is None or row < 0:
            return
        if row != self.state.recognition_index:
            self.state.include, self.state.exclude = set(), set()
        self.state.recognition_index = row
        self.layout_page.show_notes(
            self.state.recognition, foreign.book.warnings, self.state.table()
        )
        self.preview_page.tech.setVisible(self.state.recognition.tech_filter)
        self.preview_page.tech.setChecked(self.state.recognition.tech_filter)
        # Whole-department figures need confirming only on their way into a technology table
        # (questionnaire version 2 has a department-wide table for them).
        from importers.accounting import TECHNOLOGY_TABLES

        whole = bool(self.state.recognition.whole_department)
        self.preview_page.whole.setVisible(
            whole and self.state.recognition.target in TECHNOLOGY_TABLES
        )
        self.preview_page.whole.setChecked(False)

    def _fill_columns(self) -> None:
        assert self.state.read is not None
        index = self.state.recognition_index
        recognition = self.state.recognition
        mapping = self.state.mapping()
        table = self.state.table()
        sample = self.state.read.samples[index] if index < len(self.state.read.samples) else []
        suggestions = self.state.suggestions(recognition, table, sample)
        derived = self.state.derived(recognition, mapping, sample)
        self.columns_page.fill(
            recognition,
            table,
            self.state.questionnaire.table_questions(),
            mapping,
            sample,
            suggestions,
            derived,
            remembered=self.state.remembered.get(index, ""),
            remember_as=self.state.remembered.get(index) or self.state.path.stem,
            saved=self._saved_names(),
        )

    def _saved_names(self) -> list[str]:
        from models.foreign_imports import saved_mappings

        return [m.name for m in saved_mappings(self.app.store)]

    def _saved_chosen(self, name: str) -> None:
        """Use a mapping saved for another file, if it fits this one's columns."""
        from importers.foreign_plan import remembered_mapping

        mapping = remembered_mapping(self.app.store, self.state.recognition, name)
        if mapping is None or not self.state.questionnaire.has_question(mapping.target):
            self._fill_columns()
            self.columns_page.remembered.setText(
                f"The mapping saved as '{name}' was made for a file with more columns than "
                f"{self.state.path.name}: choose the columns here instead."
            )
            self.columns_page.remembered.show()
            return
        self.state.mappings[self.state.recognition_index] = mapping
        self.state.remembered[self.state.recognition_index] = name
        self.state.edited.discard(self.state.recognition_index)
        self._fill_columns()

    def _mapping_edited(self) -> None:
        edited = self.columns_page.mapping
        if edited is None:
            return
        self.state.mappings[self.state.recognition_index] = copy_mapping(edited)
        self.state.edited.add(self.state.recognition_index)
        self.state.remembered.pop(self.state.recognition_index, None)
        self.columns_page.remembered.hide()

    def _target_chosen(self, table_id: str) -> None:
        if not table_id or table_id == self.state.mapping().target or self.state.read is None:
            return
        table = self.state.questionnaire.question(table_id)
        sample = self.state.read.samples[self.state.recognition_index]
        mapping, _ = suggest_mapping(self.state.recognition.header, sample, table)
        self.state.mappings[self.state.recognition_index] = mapping
        self.state.edited.add(self.state.recognition_index)
        self.state.remembered.pop(self.state.recognition_index, None)
        self._fill_columns()
        self.layout_page.show_notes(
            self.state.recognition, self.state.read.foreign.book.warnings, table
        )

    # ---------------------------------------------------------------- preview
    def _fill_defaults(self) -> None:
        """Department and cycle choices, on what the user is most likely importing into."""
        app, preview = self.app, self.preview_page
        departments = app.store.departments()
        preview.department.clear()
        preview.department.addItem(OWN_ROWS, "")
        for dept in departments:
            preview.department.addItem(dept.display, dept.id)
        audits = app.store.audits()
        open_audit = app.session.audit if app.session is not None else None
        fields = self.state.recognition.mapping.source_fields
        if "department" not in fields and "organisation" not in fields:
            # The file names no department: the open audit's, the one picked, or the only one.
            wanted = (
                open_audit.department_id if open_audit is not None else app.current_department_id()
            )
            if not wanted and len(departments) == 1:
                wanted = departments[0].id
            preview.department.setCurrentIndex(max(0, preview.department.findData(wanted)))
        cycles = sorted({a.cycle for a in audits})
        preview.cycle.blockSignals(True)
        preview.cycle.clear()
        preview.cycle.addItems(cycles)
        if open_audit is not None:
            cycle = open_audit.cycle
        elif audits:
            cycle = max(audits, key=lambda a: a.created_at).cycle
        else:
            cycle = str(date.today().year)
        preview.cycle.setCurrentText(cycle)
        preview.cycle.blockSignals(False)

    def choices(self) -> Choices:
        from importers.foreign_plan import Choices

        preview = self.preview_page
        return Choices(
            recognition=self.state.recognition_index,
            mapping=copy_mapping(self.state.mapping()),
            department=str(preview.department.currentData() or ""),
            cycle=preview.cycle.currentText().strip(),
            tech_filter=preview.tech.isChecked() if self.state.recognition.tech_filter else None,
            include=set(self.state.include),
            exclude=set(self.state.exclude),
            whole_department=preview.whole.isChecked(),
            explicit_mapping=(
                self.state.recognition_index in self.state.edited
                or self.state.recognition_index in self.state.remembered
            ),
        )

    def schedule_plan(self) -> None:
        """Plan again shortly (changes in quick succession plan once)."""
        if self.state.foreign is None:
            return
        self.state.plan = None
        self.preview_page.summary.setText("Working out where every row goes…")
        self._update_buttons()
        self.debounce.start()

    def _run_plan(self) -> None:
        if self.task is not None:
            if self.task_kind == "plan":
                self.plan_again = True
                self.task.cancel()
            else:
                self.debounce.start()
            return
        foreign = self.state.foreign
        if foreign is None:
            return
        from importers.foreign_plan import WorkspaceFacts

        facts = WorkspaceFacts.of(self.app.store)  # on the store's own thread
        choices, questionnaire = self.choices(), self.state.questionnaire
        self.preview_page.summary.setText("Working out where every row goes…")

        cancel = Cancel()
        work = plan_work(facts, foreign, choices, questionnaire, cancel)
        task = self._start(
            "plan",
            "Preview",
            f"Working out where the rows of {foreign.path.name} go…",
            work,
            cancel,
        )
        task.succeeded.connect(self._planned)
        task.failed.connect(self._plan_failed)
        task.cancelled.connect(self._plan_cancelled)
        task.finished.connect(self._plan_ended)
        task.start()

    def _planned(self, plan: ForeignPlan) -> None:
        if self.plan_again or self.debounce.isActive():
            return  # planned on choices changed since: the newer plan is coming
        self.state.plan = plan
        preview = self.preview_page
        current = preview.table.currentIndex()  # a reset loses it: keep the keyboard's place
        scrolled = preview.table.verticalScrollBar().value()
        self.model.set_plan(plan, self.state.questionnaire.question(plan.mapping.target))
        if current.isValid() and current.row() < self.model.rowCount():
            preview.table.setCurrentIndex(self.model.index(current.row(), current.column()))
            preview.table.verticalScrollBar().setValue(scrolled)
        if plan.repeats:
            names = ", ".join(
                f"{t.department.abbreviation or t.department.name} {t.cycle}" for t in plan.repeats
            )
            edited = sum(t.edited for t in plan.repeats)
            undo = (
                f" ({edited:,} of its rows edited since: replacing undoes those edits)"
                if edited
                else ""
            )
            preview.repeat.setTitle(f"This file was imported into {names} before{undo}:")
            if preview.repeat.isHidden():
                preview.clear_repeat()
            preview.repeat.show()
        else:
            preview.repeat.hide()
        preview.summary.setText(summary_text(plan))
        self._update_buttons()
        self.planned.emit(plan)

    def _plan_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ImportFileError | ValueError | KeyError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
        self.message = str(exc)
        self.model.set_plan(None, None)
        self.preview_page.summary.setText(f"The preview failed: {exc}")

    def _plan_cancelled(self) -> None:
        if not self.plan_again:
            self.model.set_plan(None, None)
            self.preview_page.summary.setText(
                "Preview cancelled: change a choice or press Refresh preview to see it."
            )

    def _plan_ended(self) -> None:
        if self.plan_again:
            self.plan_again = False
            QTimer.singleShot(0, self._run_plan)
        self._update_buttons()

    def _toggle(self, item: PlannedRow, keep: bool) -> None:
        key = item.key  # this row alone, not every row its source row became
        if keep:
            self.state.exclude.discard(key)
            if not item.imported and item.reason != BY_YOU:
                self.state.include.add(key)
        else:
            self.state.include.discard(key)
            self.state.exclude.add(key)
        self.schedule_plan()

    def blocked_reason(self) -> str:
        """Why Import cannot be pressed now, or "" when it can."""
        store = self.app.store
        if store.read_only:
            why = store.read_only_reason or "opened read-only"
            return f"This workspace is open read-only ({why}): nothing can be imported."
        if not self.preview_page.cycle.currentText().strip():
            return "Choose the audit cycle to import into."
        plan = self.state.plan
        if plan is None:
            return "Working out the preview…" if self.busy() else "No preview yet."
        if not plan.importable:
            return "Nothing to import: every row is left out (the table says why)."
        if plan.report.refused:
            return "Refused: " + "; ".join(plan.report.refused)
        if plan.report.confirm and not plan.report.confirmed:
            return f"Tick 'whole-department figures' to import: {plan.report.confirm}."
        if plan.repeats and self.preview_page.repeat_choice() is None:
            return "Choose whether to replace the rows the earlier import added, or skip."
        return ""

    # ---------------------------------------------------------------- importing
    def start_import(self) -> None:
        plan = self.state.plan
        if plan is None or self.blocked_reason() or self.busy():
            return
        app = self.app
        app.flush_edits()
        self.state.importing = plan
        on_repeat = self.preview_page.repeat_choice() if plan.repeats else None
        touched = {t.audit_id for t in plan.targets if t.audit_id is not None}
        open_id = app.session.audit.id if app.session is not None else None
        self.state.closed_audit = open_id if open_id in touched else None
        if self.state.closed_audit is not None:
            app.close_audit(show_welcome=False)
        cancel = Cancel()
        store, questionnaire = app.store, self.state.questionnaire
        work = import_work(
            app.tasks, store.path, store.actor, plan, questionnaire, on_repeat, cancel
        )
        rows = plan.importable
        task = self._start(
            "import",
            "Import",
            f"Importing {rows:,} rows from {plan.file.path.name}…",
            work,
            cancel,
        )
        task.succeeded.connect(self._imported)
        task.failed.connect(self._import_failed)
        task.cancelled.connect(self._import_cancelled)
        task.finished.connect(self._import_ended)
        task.start()

    def _import_ended(self) -> None:
        app = self.app
        self.state.importing = None
        # The navigator and open dashboards follow the import through WorkspaceEvents.
        if self.state.closed_audit is not None and app.session is None:
            app.open_audit(self.state.closed_audit)
            if app.session is None:
                app.close_audit()
        self.state.closed_audit = None
        self._update_buttons()

    def _imported(self, report: ImportReport) -> None:
        self.debounce.stop()  # a choice changed while writing: no preview to work out now
        self.state.report = report
        self._remember_mapping()
        self.report_page.summary.setText(report.summary())
        self.report_page.text.setPlainText(report.to_text(limit=None))
        self._status(report.summary())
        self._show_page(REPORT)
        self.imported.emit(report)

    def _remember_mapping(self) -> None:
        index = self.state.recognition_index
        name = self.columns_page.remember.text().strip()
        if index not in self.state.edited or not self.state.recognition.generic or not name:
            return
        from models.foreign_imports import save_mapping
        from models.store import WorkspaceError

        mapping = copy_mapping(self.state.mapping())
        mapping.name = name
        try:
            save_mapping(
                self.app.store,
                name,
                header_signature(self.state.recognition.header),
                mapping.target,
                mapping.to_json(),
            )
        except (WorkspaceError, ValueError) as exc:
            QMessageBox.warning(self, "The mapping was not remembered", str(exc))

    def _import_failed(self, exc: BaseException) -> None:
        from models.store import WorkspaceError

        if not isinstance(exc, WorkspaceError | ImportFileError | ValueError | OSError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
        self.message = f"Import failed: {exc} Nothing was changed."
        self.preview_page.blocked.setText(self.message)
        QMessageBox.critical(self, "Import failed", f"{exc}\n\nNothing was changed.")

    def _import_cancelled(self) -> None:
        self.message = CANCELLED_IMPORT
        self.preview_page.summary.setText(CANCELLED_IMPORT)
        self._status(CANCELLED_IMPORT)
        self.schedule_plan()  # the facts may have moved on

    def export_report(self) -> None:
        if self.state.report is None:
            return
        start = str(Path(self.state.path).with_name(f"{self.state.path.stem} import report.csv"))
        app = self.app
        if not app.native_chooser:
            chosen = app.choose_path("Export the import report", True, start)
        else:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export the import report", start, "CSV files (*.csv);;All files (*)"
            )
            chosen = Path(name) if name else None
        if chosen is None:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            self.state.report.write_csv(path)
        except OSError as exc:
            QMessageBox.critical(self, "Report not written", f"Could not write {path}: {exc}")
            return
        self._status(f"Import report written to {path}.")

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
        cancel.token = task.worker.token  # Cancel pressed: the importers' poll sees it
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
