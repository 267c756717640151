"""File ▸ Import: any spreadsheet, read, recognised, mapped, previewed and imported in steps.

A thin view over importers/foreign_plan.py. Reading, planning and writing each run on a
BackgroundTask (progress and Cancel); planning is given WorkspaceFacts taken here on the
GUI thread, and writing opens its own Store on the workspace file. The app's own workbooks
are handed to the existing workbook import (ui/workbook_actions.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
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

from importers.column_mapping import ColumnMapping, Suggestion, header_signature, suggest_mapping
from importers.source_table import CellValue, ImportCancelled, ImportFileError
from models.progress import Cancelled, Progress
from ui.background import BackgroundTask, Work
from ui.import_plan_model import BY_YOU, PlanRowsModel
from ui.import_sources import (
    Cancel,
    Read,
    choose_spreadsheet,
    copy_mapping,
    first_rows,
)
from ui.import_wizard_pages import ColumnsPage, FilePage, LayoutPage, PreviewPage, ReportPage

if TYPE_CHECKING:
    from importers.foreign_plan import Choices, ForeignFile, ForeignPlan, PlannedRow
    from importers.import_report import ImportReport
    from importers.layouts import Recognition
    from models.questionnaire import Question
    from ui.app_window import AppWindow

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


def open_import_wizard(window: AppWindow, path: Path | None = None) -> ImportWizard | None:
    """File ▸ Import (and a file dropped on the window): the wizard on `path`, else ask."""
    existing = window.findChild(ImportWizard, "importWizard")
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    if path is None:
        path = choose_spreadsheet(window)
        if path is None:
            return None
    wizard = ImportWizard(window, path)
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

    def __init__(self, window: AppWindow, path: Path) -> None:
        super().__init__(window)
        from models.questionnaire import current_questionnaire

        self.setObjectName("importWizard")
        self.setWindowTitle(f"Import {path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window_ = window
        self.path = path
        self.questionnaire = current_questionnaire()
        self.read: Read | None = None
        self.recognition_index = 0
        self.mappings: dict[int, ColumnMapping] = {}  # per recognition: the mapping in use
        self.remembered: dict[int, str] = {}  # per recognition: the saved mapping's name
        self.edited: set[int] = set()  # recognitions whose mapping the user changed
        self.include: set[int | tuple[int, int]] = set()  # PlannedRow.key of rows ticked in
        self.exclude: set[int | tuple[int, int]] = set()  # and of rows ticked out
        self.plan: ForeignPlan | None = None
        self.importing: ForeignPlan | None = None  # the plan being written
        self.report: ImportReport | None = None
        self.task: BackgroundTask | None = None
        self.task_kind = ""
        self.plan_again = False
        self.closed_audit: str | None = None
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

    # ---------------------------------------------------------------- state
    @property
    def foreign(self) -> ForeignFile | None:
        return self.read.foreign if self.read is not None else None

    @property
    def recognition(self) -> Recognition:
        assert self.foreign is not None
        return self.foreign.recognitions[self.recognition_index]

    def mapping(self) -> ColumnMapping:
        """The mapping in use for the chosen recognition (edited, remembered or recognised)."""
        index = self.recognition_index
        if index not in self.mappings:
            self.mappings[index] = copy_mapping(self.recognition.mapping)
        return self.mappings[index]

    def table(self) -> Question:
        return self.questionnaire.question(self.mapping().target)

    def busy(self) -> bool:
        """Work running or about to (tests wait on this)."""
        return self.task is not None or self.debounce.isActive()

    def page(self) -> int:
        return self.stack.currentIndex()

    # ---------------------------------------------------------------- reading
    def start(self) -> None:
        """Read the file on a worker thread."""
        path, questionnaire = self.path, self.questionnaire
        self.file_page.file.setText(f"File: {path}")
        self.file_page.show_status(f"Reading {path.name}…")

        cancel = Cancel()

        def work(progress: Progress) -> Read:
            from importers.foreign_plan import read_foreign

            cancel.progress = progress
            try:
                foreign = read_foreign(
                    path, questionnaire, progress=cancel.report, should_cancel=cancel.should_cancel
                )
            except ImportCancelled:
                raise Cancelled() from None
            try:
                samples = [first_rows(foreign.book, r) for r in foreign.recognitions]
                if cancel.should_cancel():
                    raise Cancelled()
            except BaseException:
                foreign.close()
                raise
            finally:
                cancel.detach()
            return Read(foreign, samples)

        task = self._start("read", "Import", f"Reading {path.name}…", work, cancel)
        task.succeeded.connect(self._read_done)
        task.failed.connect(self._read_failed)
        task.cancelled.connect(self._read_cancelled)
        task.start()
        self._update_buttons()

    def choose_another(self) -> None:
        path = choose_spreadsheet(self.window_)
        if path is None:
            return
        self._close_file()
        self.path = path
        self.setWindowTitle(f"Import {path.name}")
        self.start()

    def _read_done(self, read: Read) -> None:
        foreign = read.foreign
        if foreign.own_workbook:
            foreign.close()
            self.message = f"{self.path.name} is a Baseline workbook: importing it as one."
            self.reject()
            self.window_.workbooks.import_workbook_path(self.path)
            return
        self.read = read
        self.mappings, self.remembered, self.edited = {}, {}, set()
        self.include, self.exclude = set(), set()  # row numbers of the file chosen before
        self.preview_page.clear_repeat()
        self.preview_page.repeat.hide()
        from importers.foreign_plan import remembered_mapping

        store = self.window_.store
        for index, recognition in enumerate(foreign.recognitions):
            if not recognition.generic:
                continue
            saved = remembered_mapping(store, recognition)
            if saved is not None and self.questionnaire.has_question(saved.target):
                self.mappings[index] = saved
                self.remembered[index] = saved.name or self._saved_name(recognition)
        self.file_page.show_status(
            f"Read {self.path.name}: "
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

        found = mapping_for_shape(self.window_.store, header_signature(recognition.header))
        return found.name if found is not None else ""

    def _read_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ImportFileError | OSError | ValueError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        text = str(exc) if isinstance(exc, ImportFileError) else f"{self.path.name}: {exc}"
        self.message = text
        self.file_page.show_error(text)
        self._status(f"Cannot import {self.path.name}: nothing was read or changed.")
        self._update_buttons()

    def _read_cancelled(self) -> None:
        self.message = CANCELLED_READ
        self.file_page.show_status(CANCELLED_READ + " Choose another file, or Cancel.")
        self._status(CANCELLED_READ)
        self._update_buttons()

    # ---------------------------------------------------------------- layout and columns
    def _layout_chosen(self, row: int) -> None:
        foreign = self.foreign
        if foreign is None or row < 0:
            return
        if row != self.recognition_index:
            self.include, self.exclude = set(), set()
        self.recognition_index = row
        self.layout_page.show_notes(self.recognition, foreign.book.warnings, self.table())
        self.preview_page.tech.setVisible(self.recognition.tech_filter)
        self.preview_page.tech.setChecked(self.recognition.tech_filter)
        # Whole-department figures need confirming only on their way into a technology table
        # (questionnaire version 2 has a department-wide table for them).
        from importers.accounting import TECHNOLOGY_TABLES

        whole = bool(self.recognition.whole_department)
        self.preview_page.whole.setVisible(whole and self.recognition.target in TECHNOLOGY_TABLES)
        self.preview_page.whole.setChecked(False)

    def _fill_columns(self) -> None:
        assert self.read is not None
        index = self.recognition_index
        recognition = self.recognition
        mapping = self.mapping()
        table = self.table()
        sample = self.read.samples[index] if index < len(self.read.samples) else []
        suggestions = self._suggestions(recognition, table, sample)
        derived = self._derived(recognition, mapping, sample)
        self.columns_page.fill(
            recognition,
            table,
            self.questionnaire.table_questions(),
            mapping,
            sample,
            suggestions,
            derived,
            remembered=self.remembered.get(index, ""),
            remember_as=self.remembered.get(index) or self.path.stem,
            saved=self._saved_names(),
        )

    def _saved_names(self) -> list[str]:
        from models.foreign_imports import saved_mappings

        return [m.name for m in saved_mappings(self.window_.store)]

    def _saved_chosen(self, name: str) -> None:
        """Use a mapping saved for another file, if it fits this one's columns."""
        from importers.foreign_plan import remembered_mapping

        mapping = remembered_mapping(self.window_.store, self.recognition, name)
        if mapping is None or not self.questionnaire.has_question(mapping.target):
            self._fill_columns()
            self.columns_page.remembered.setText(
                f"The mapping saved as '{name}' was made for a file with more columns than "
                f"{self.path.name}: choose the columns here instead."
            )
            self.columns_page.remembered.show()
            return
        self.mappings[self.recognition_index] = mapping
        self.remembered[self.recognition_index] = name
        self.edited.discard(self.recognition_index)
        self._fill_columns()

    def _suggestions(
        self, recognition: Recognition, table: Question, sample: Sequence[Sequence[CellValue]]
    ) -> dict[str, list[Suggestion]]:
        if not recognition.editable:
            return {}
        return suggest_mapping(recognition.header, sample, table)[1]

    def _derived(
        self,
        recognition: Recognition,
        mapping: ColumnMapping,
        sample: Sequence[Sequence[CellValue]],
    ) -> dict[str, list[str]]:
        """Up to three values per table column, as the layout extracts them from the sample."""
        from importers.layouts import extract_rows
        from ui.import_plan_model import value_text

        table = self.questionnaire.question(mapping.target)
        padded: list[Sequence[CellValue]] = [[] for _ in range(recognition.header.first_data_row)]
        found: dict[str, list[str]] = {}
        try:
            for row in extract_rows(
                recognition, [*padded, *sample], self.questionnaire, mapping=mapping
            ):
                for column in table.columns:
                    value = row.cells.get(column.id)
                    text = value_text(column, value) if value is not None else ""
                    seen = found.setdefault(column.id, [])
                    if text and text not in seen and len(seen) < 3:
                        seen.append(text)
        except (ValueError, KeyError):
            return {}
        return {k: v for k, v in found.items() if v}

    def _mapping_edited(self) -> None:
        edited = self.columns_page.mapping
        if edited is None:
            return
        self.mappings[self.recognition_index] = copy_mapping(edited)
        self.edited.add(self.recognition_index)
        self.remembered.pop(self.recognition_index, None)
        self.columns_page.remembered.hide()

    def _target_chosen(self, table_id: str) -> None:
        if not table_id or table_id == self.mapping().target or self.read is None:
            return
        table = self.questionnaire.question(table_id)
        sample = self.read.samples[self.recognition_index]
        mapping, _ = suggest_mapping(self.recognition.header, sample, table)
        self.mappings[self.recognition_index] = mapping
        self.edited.add(self.recognition_index)
        self.remembered.pop(self.recognition_index, None)
        self._fill_columns()
        self.layout_page.show_notes(self.recognition, self.read.foreign.book.warnings, table)

    # ---------------------------------------------------------------- preview
    def _fill_defaults(self) -> None:
        """Department and cycle choices, on what the user is most likely importing into."""
        window, preview = self.window_, self.preview_page
        departments = window.store.departments()
        preview.department.clear()
        preview.department.addItem(OWN_ROWS, "")
        for dept in departments:
            preview.department.addItem(dept.display, dept.id)
        audits = window.store.audits()
        open_audit = window.session.audit if window.session is not None else None
        fields = self.recognition.mapping.source_fields
        if "department" not in fields and "organisation" not in fields:
            # The file names no department: the open audit's, the one picked, or the only one.
            wanted = (
                open_audit.department_id
                if open_audit is not None
                else window.navigator.current_department_id()
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
            recognition=self.recognition_index,
            mapping=copy_mapping(self.mapping()),
            department=str(preview.department.currentData() or ""),
            cycle=preview.cycle.currentText().strip(),
            tech_filter=preview.tech.isChecked() if self.recognition.tech_filter else None,
            include=set(self.include),
            exclude=set(self.exclude),
            whole_department=preview.whole.isChecked(),
            explicit_mapping=(
                self.recognition_index in self.edited or self.recognition_index in self.remembered
            ),
        )

    def schedule_plan(self) -> None:
        """Plan again shortly (changes in quick succession plan once)."""
        if self.foreign is None:
            return
        self.plan = None
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
        foreign = self.foreign
        if foreign is None:
            return
        from importers.foreign_plan import WorkspaceFacts, plan_foreign

        facts = WorkspaceFacts.of(self.window_.store)  # on the store's own thread
        choices, questionnaire = self.choices(), self.questionnaire
        self.preview_page.summary.setText("Working out where every row goes…")

        cancel = Cancel()

        def work(progress: Progress) -> ForeignPlan:
            cancel.progress = progress
            try:
                return plan_foreign(
                    facts,
                    foreign,
                    choices,
                    questionnaire,
                    progress=cancel.report,
                    should_cancel=cancel.should_cancel,
                )
            except ImportCancelled:
                raise Cancelled() from None
            finally:
                cancel.detach()

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
        self.plan = plan
        preview = self.preview_page
        current = preview.table.currentIndex()  # a reset loses it: keep the keyboard's place
        scrolled = preview.table.verticalScrollBar().value()
        self.model.set_plan(plan, self.questionnaire.question(plan.mapping.target))
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
        from models.cycle_dates import date_warning_for

        cells = (v for r in plan.rows for v in r.row.cells.values())
        warning = date_warning_for({t.cycle for t in plan.targets}, self.path.name, cells)
        preview.summary.setText(self.summary_text(plan) + (f"\n⚠ {warning}" if warning else ""))
        self._update_buttons()
        self.planned.emit(plan)

    def summary_text(self, plan: ForeignPlan) -> str:
        left = sum(1 for r in plan.rows if not r.imported)
        if not plan.importable:
            return f"No rows will be imported; {left:,} left out (the table says why)."
        audits = []
        for target in plan.targets:
            name = target.department.abbreviation or target.department.name
            how = "new audit, marked as imported" if target.audit_id is None else "existing audit"
            if target.signed_off:
                how = "signed off: not changed"
            rows = f"{target.rows:,} row{'s' if target.rows != 1 else ''}"
            audits.append(f"{name} {target.cycle} ({rows}, {how})")
        text = (
            f"{plan.importable:,} row{'s' if plan.importable != 1 else ''} will be imported "
            f"into: {', '.join(audits)}; {left:,} left out"
        )
        problems = len(plan.report.problems)
        if problems:
            text += f"; {problems:,} value{'s' if problems != 1 else ''} left blank (marked ⚠)"
        return text + "."

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
            self.exclude.discard(key)
            if not item.imported and item.reason != BY_YOU:
                self.include.add(key)
        else:
            self.include.discard(key)
            self.exclude.add(key)
        self.schedule_plan()

    def blocked_reason(self) -> str:
        """Why Import cannot be pressed now, or "" when it can."""
        store = self.window_.store
        if store.read_only:
            why = store.read_only_reason or "opened read-only"
            return f"This workspace is open read-only ({why}): nothing can be imported."
        if not self.preview_page.cycle.currentText().strip():
            return "Choose the audit cycle to import into."
        plan = self.plan
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
        plan = self.plan
        if plan is None or self.blocked_reason() or self.busy():
            return
        window = self.window_
        window.flush_edits()
        self.importing = plan
        on_repeat = self.preview_page.repeat_choice() if plan.repeats else None
        touched = {t.audit_id for t in plan.targets if t.audit_id is not None}
        open_id = window.session.audit.id if window.session is not None else None
        self.closed_audit = open_id if open_id in touched else None
        if self.closed_audit is not None:
            window.close_audit(show_welcome=False)
        path, actor, questionnaire = window.store.path, window.store.actor, self.questionnaire

        cancel = Cancel()

        def work(progress: Progress) -> ImportReport:
            from importers.foreign_plan import apply_foreign
            from models.store import Store

            cancel.progress = progress
            store = Store(path)  # this thread's own connection
            try:
                store.actor = actor
                return apply_foreign(
                    store,
                    plan,
                    questionnaire,
                    on_repeat=on_repeat,
                    progress=cancel.report,
                    should_cancel=cancel.should_cancel,
                )
            except ImportCancelled:
                raise Cancelled() from None
            finally:
                store.close()

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
        window, plan = self.window_, self.importing  # self.plan may be re-planning by now
        self.importing = None
        keys = {(t.department.id, t.cycle) for t in plan.targets} if plan is not None else set()
        ids = {a.id for a in window.store.audits() if (a.department_id, a.cycle) in keys}
        window.refresh_navigator()
        window.audits_changed(ids)  # open dashboards show the imported figures
        if self.closed_audit is not None and window.session is None:
            window.open_audit(self.closed_audit)
            if window.session is None:
                window.close_audit()
        self.closed_audit = None
        self._update_buttons()

    def _imported(self, report: ImportReport) -> None:
        self.debounce.stop()  # a choice changed while writing: no preview to work out now
        self.report = report
        self._remember_mapping()
        self.report_page.summary.setText(report.summary())
        self.report_page.text.setPlainText(report.to_text(limit=None))
        self._status(report.summary())
        self._show_page(REPORT)
        self.imported.emit(report)

    def _remember_mapping(self) -> None:
        index = self.recognition_index
        name = self.columns_page.remember.text().strip()
        if index not in self.edited or not self.recognition.generic or not name:
            return
        from models.foreign_imports import save_mapping
        from models.store import WorkspaceError

        mapping = copy_mapping(self.mapping())
        mapping.name = name
        try:
            save_mapping(
                self.window_.store,
                name,
                header_signature(self.recognition.header),
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
        if self.report is None:
            return
        start = str(Path(self.path).with_name(f"{self.path.stem} import report.csv"))
        window = self.window_
        if not window.native_chooser:
            chosen = window.choose_path("Export the import report", True, start)
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
            self.report.write_csv(path)
        except OSError as exc:
            QMessageBox.critical(self, "Report not written", f"Could not write {path}: {exc}")
            return
        self._status(f"Import report written to {path}.")

    # ---------------------------------------------------------------- pages and buttons
    def go_next(self) -> None:
        page = self.page()
        if page == FILE and self.foreign is not None:
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
            self.next.setEnabled(self.foreign is not None and not working)
        elif page == PREVIEW:
            self.next.setEnabled(not blocked and not working)
        else:
            self.next.setEnabled(not working)
        self.file_page.choose.setEnabled(not working)

    # ---------------------------------------------------------------- plumbing
    def _start(
        self, kind: str, title: str, label: str, work: Work, cancel: Cancel
    ) -> BackgroundTask:
        task = BackgroundTask(self, title, label, work)
        cancel.flag = task.worker.cancel_requested  # Cancel pressed: the importers' poll sees it
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
        self.window_.statusBar().showMessage(message, STATUS_MS)

    def _close_file(self) -> None:
        if self.read is not None:
            self.read.foreign.close()
            self.read = None
        self.plan = None
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
