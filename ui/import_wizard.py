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
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from importers.column_mapping import header_signature, suggest_mapping
from importers.foreign_plan import BY_YOU
from importers.source_table import ImportFileError
from ui.import_sources import (
    Cancel,
    Read,
    choose_spreadsheet,
    copy_mapping,
)
from ui.import_state import summary_text, version_chosen, version_planned
from ui.import_tasks import plan_work, read_work, recognise_work
from ui.import_wizard_frame import (
    CANCELLED_READ,
    FILE,
    LAYOUT,
    OWN_ROWS,
)
from ui.import_wizard_writing import WritingStep

if TYPE_CHECKING:
    from importers.foreign_plan import Choices, ForeignPlan, PlannedRow
    from importers.layouts import Recognition
    from models.questionnaire import Questionnaire
    from ui.app.context import AppContext


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


class ImportWizard(WritingStep):
    """Five steps: file, layout, columns, preview, report. Enter goes on, Esc cancels."""

    def __init__(self, app: AppContext, path: Path) -> None:
        super().__init__(app, path)
        self.debounce.timeout.connect(self._run_plan)
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
        preview.correct.toggled.connect(lambda _c: self.schedule_plan())
        preview.refresh.clicked.connect(self.schedule_plan)
        preview.repeat_group.buttonToggled.connect(lambda *_: self._update_buttons())
        self._show_page(FILE)

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
        self.preview_page.correct.setChecked(False)

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
        from models.cycle_dates import in_cycle_order, latest_cycle

        preview.cycle.blockSignals(True)
        preview.cycle.clear()
        preview.cycle.addItems(in_cycle_order(a.cycle for a in audits))
        latest = latest_cycle([a.cycle for a in sorted(audits, key=lambda a: a.created_at)])
        if open_audit is not None:
            cycle = open_audit.cycle
        elif latest is not None:
            cycle = latest  # by the dates the cycles name, not the order they were made in
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
            replace_earlier=preview.correct.isChecked(),
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

        choices, questionnaire = self.choices(), self.state.questionnaire
        facts = WorkspaceFacts.of(self.app.store, choices.cycle)  # on the store's own thread
        wanted = version_chosen(facts, choices)
        if wanted is not None and wanted.key != questionnaire.key:  # the audits' version
            self._recognise_for(wanted)  # decides the tables
            return
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

    def _recognise_for(self, questionnaire: Questionnaire) -> None:
        """Read the file's layouts again for the version of the audits the rows go into,
        as the command line does; planning follows."""
        foreign = self.state.foreign
        assert foreign is not None
        self.preview_page.summary.setText(
            f"Reading {foreign.path.name} for questionnaire version {questionnaire.version}…"
        )
        cancel = Cancel()
        work = recognise_work(foreign, questionnaire, cancel)
        label = f"Reading {foreign.path.name} again…"
        task = self._start("plan", "Preview", label, work, cancel)
        task.succeeded.connect(lambda read: self._recognised(questionnaire, read))
        task.failed.connect(self._plan_failed)
        task.cancelled.connect(self._plan_cancelled)
        task.finished.connect(self._plan_ended)
        task.start()

    def _recognised(self, questionnaire: Questionnaire, read: Read) -> None:
        """Switch to the layouts read for `questionnaire`, on the same sheet, keeping the
        rows ticked and any mapping whose table that version has."""
        state, old = self.state, self.state.recognition
        recognitions = read.foreign.recognitions
        if not recognitions:
            return
        same = [j for j, r in enumerate(recognitions) if r.sheet == old.sheet]
        index = next((j for j in same if recognitions[j].layout_id == old.layout_id), None)
        index = index if index is not None else (same[0] if same else 0)
        kept = state.mappings.get(state.recognition_index)
        edited = state.recognition_index in state.edited
        remembered = state.remembered.get(state.recognition_index)
        state.questionnaire, state.read = questionnaire, read
        state.mappings, state.remembered, state.edited = {}, {}, set()
        if kept is not None and (edited or remembered) and questionnaire.has_question(kept.target):
            state.mappings[index] = kept
            if edited:
                state.edited.add(index)
            if remembered:
                state.remembered[index] = remembered
        state.recognition_index = index
        layouts = self.layout_page.list
        layouts.blockSignals(True)
        self.layout_page.fill(recognitions)
        layouts.setCurrentRow(index)
        layouts.blockSignals(False)
        self._layout_chosen(index)  # notes, the filter and the whole-department tick box
        if not self.plan_again:
            self.schedule_plan()

    def _planned(self, plan: ForeignPlan) -> None:
        if self.plan_again or self.debounce.isActive():
            return  # planned on choices changed since: the newer plan is coming
        wanted = version_planned(self.app.store, plan)
        if wanted is not None and wanted.key != self.state.questionnaire.key:
            self._recognise_for(wanted)  # the rows' audits are on another version
            return
        self.state.plan = plan
        preview = self.preview_page
        current = preview.table.currentIndex()  # a reset loses it: keep the keyboard's place
        scrolled = preview.table.verticalScrollBar().value()
        self.model.set_plan(plan, self.state.questionnaire.question(plan.mapping.target))
        if current.isValid() and current.row() < self.model.rowCount():
            preview.table.setCurrentIndex(self.model.index(current.row(), current.column()))
            preview.table.verticalScrollBar().setValue(scrolled)
        preview.show_choices(plan)  # replace a corrected return's rows, or a repeat's
        from models.cycle_dates import date_warning_for

        cells = (v for r in plan.rows for v in r.row.cells.values())
        warning = date_warning_for({t.cycle for t in plan.targets}, self.path.name, cells)
        preview.summary.setText(summary_text(plan) + (f"\n⚠ {warning}" if warning else ""))
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
