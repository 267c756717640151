"""The File menu's Excel features: exports, data-return workbooks, and importing workbooks back.

Exports and reading a workbook run off the GUI thread (see ui/background.py), each on its
own `Store` of the same file; planning and applying an import run on the window's store.

Signals (WorkbookActions):
    taskStarting(object): a BackgroundTask is about to start its thread.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from models.filesystem import DatabaseTargetError
from models.records import Audit, Department
from models.store import WorkspaceError
from ui.app import settings as keys
from ui.background import BackgroundTask, Work
from ui.dialogs import cycle_combo
from ui.style import as_error

if TYPE_CHECKING:
    from importers.own_workbook import WorkbookContents
    from importers.workbook_import import ImportPlan
    from ui.app.context import AppContext

STATUS_MS = 15000
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def file_name(stem: str) -> str:
    """A workbook name from a title ("DWP 2014 review" → "DWP 2014 review.xlsx")."""
    return (_UNSAFE.sub("-", stem).strip(" .") or "Baseline") + ".xlsx"


def error_text(exc: BaseException) -> str:
    if isinstance(exc, DatabaseTargetError):  # a sentence naming the file already
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        why = str(exc.strerror or exc)
        return f"Could not write {exc.filename}: {why}" + ("" if why.endswith(".") else ".")
    return str(exc)


class WorkbookActions(QObject):
    """Export to Excel, data-return workbooks and importing workbooks, for one window."""

    taskStarting = Signal(object)

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.setObjectName("workbookActions")
        self.app = app
        self.task: BackgroundTask | None = None

    # ---------------------------------------------------------------- export
    def export_audit(self) -> None:
        session = self.app.session
        if session is None:
            self._status("Open an audit to export it.")
            return
        audit = session.audit
        dept = self.app.store.department(audit.department_id)
        self._export([audit.id], f"{dept.abbreviation or dept.name} {audit.cycle}", "this audit")

    def export_cycle(self, cycle: str | None = None) -> None:
        audits = self.app.store.audits()
        if cycle is None:
            session = self.app.session
            cycle = session.audit.cycle if session is not None else self._ask_cycle(audits)
        if cycle is None:
            return
        ids = [a.id for a in audits if a.cycle == cycle]
        self._export(ids, f"Baseline {cycle}", f"the {cycle} cycle")

    def export_workspace(self) -> None:
        ids = [a.id for a in self.app.store.audits()]
        self._export(ids, "Baseline workspace", "the whole workspace")

    def _ask_cycle(self, audits: list[Audit]) -> str | None:
        cycles = sorted({a.cycle for a in audits})
        if not cycles:
            self._nothing_to_export()
            return None
        current = self.app.current_audit_id()
        default = next((a.cycle for a in audits if a.id == current), audits[-1].cycle)
        dialog = CycleDialog(cycles, default, self.app.widget)
        return dialog.cycle.currentText() if self.app.run_dialog(dialog) else None

    def _nothing_to_export(self) -> None:
        QMessageBox.information(
            self.app.widget, "Nothing to export", "This workspace has no audits to export yet."
        )

    def _export(self, audit_ids: Sequence[str], stem: str, what: str) -> None:
        if not audit_ids:
            self._nothing_to_export()
            return
        if self._busy():
            return
        path = self._choose(f"Export {what} to Excel", True, file_name(stem), spreadsheet=True)
        if path is None:
            return
        from exporters.audit_workbook import ExportResult, export_audits

        self.app.flush_edits()
        ids, workspace, tasks = list(audit_ids), self.app.store.path, self.app.tasks

        def work(progress: Callable[[int, int], None]) -> ExportResult:
            with tasks.open_store(workspace) as store:  # this thread's own connection
                return export_audits(store, ids, path, progress=progress)

        count = len(ids)
        task = self._start(
            "Export to Excel",
            f"Exporting {count} audit{'s' if count != 1 else ''} to {path.name}…",
            work,
            lambda done, total: (
                f"Saving {path.name}…"
                if done >= total
                else f"Exported {done} of {total} audits to {path.name}…"
            ),
        )
        task.succeeded.connect(self._exported)
        task.failed.connect(lambda exc: self._failed("Export failed", exc))
        task.cancelled.connect(
            lambda: self._status(f"Export cancelled: {path.name} was not written.")
        )
        task.start()

    def _exported(self, result: Any) -> None:
        audits = f"{result.audits} audit{'s' if result.audits != 1 else ''}"
        self._status(f"Exported {audits} to {result.path} ({result.cells:,} cells).")

    # ---------------------------------------------------------------- data return
    def data_return(self) -> None:
        app, store = self.app, self.app.store
        departments = store.departments()
        if not departments:
            QMessageBox.information(
                app.widget, "No departments", "Add a department first: a data return is for one."
            )
            return
        session = app.session
        dialog = DataReturnDialog(
            departments,
            store.audits(),
            department_id=(
                session.audit.department_id if session is not None else app.current_department_id()
            ),
            cycle=session.audit.cycle if session is not None else None,
            parent=app.widget,
        )
        if not app.run_dialog(dialog):
            return
        choice = dialog.choice()
        dept = store.department(choice.department_id)
        path = self._choose(
            "Save the data-return workbook",
            True,
            file_name(f"{dept.abbreviation or dept.name} {choice.cycle} data return"),
        )
        if path is None:
            return
        from exporters.data_return import write_data_return

        self.app.flush_edits()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_data_return(
                store, choice.department_id, choice.cycle, path, prefill=choice.prefill
            )
        except (ValueError, OSError, WorkspaceError) as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.critical(app.widget, "Could not write the data return", error_text(exc))
            return
        QApplication.restoreOverrideCursor()
        self._status(
            f"Data return for {dept.name}, {choice.cycle}, written to {written}. "
            "Import it when the department sends it back."
        )

    # ---------------------------------------------------------------- import
    def import_workbook(self) -> None:
        if self._busy():
            return
        path = self._choose("Import a workbook", False, "*.xlsx")
        if path is None:
            return
        self.import_workbook_path(path)

    def import_workbook_path(self, path: Path) -> None:
        """Read and preview one of the app's own workbooks, already chosen (the import wizard)."""
        if self._busy():
            return
        from importers.own_workbook import read_own_workbook

        task = self._start(
            "Import workbook",
            f"Reading {path.name}…",
            lambda progress: read_own_workbook(path, progress=progress),
            lambda done, total: f"Reading {path.name}: sheet {done} of {total}…",
        )
        task.succeeded.connect(self._preview)
        task.failed.connect(lambda exc: self._failed("Cannot import the workbook", exc))
        task.cancelled.connect(lambda: self._status("Import cancelled: nothing was changed."))
        task.start()

    def _preview(self, contents: WorkbookContents) -> None:
        from importers.workbook_import import plan_import
        from ui.import_preview import ImportPreviewDialog

        self.app.flush_edits()
        try:
            plan = plan_import(self.app.store, contents)
        except WorkspaceError as exc:
            QMessageBox.critical(self.app.widget, "Cannot import the workbook", str(exc))
            return
        dialog = ImportPreviewDialog(plan, self.app.widget)
        accepted = self.app.run_dialog(dialog)
        dialog.deleteLater()
        if not plan.changes_anything:
            self._status(f"Nothing to import: the workspace already holds {contents.path.name}.")
        elif not accepted:
            self._status("Import cancelled: nothing was changed.")
        else:
            self._apply(plan)

    def _apply(self, plan: ImportPlan) -> None:
        """Write the plan; the open audit is closed around it and reopened with its new content."""
        from importers.workbook_import import apply_import

        app = self.app
        open_id = app.session.audit.id if app.session is not None else None
        touched = {p.target.id for p in plan.audits if p.target is not None and p.changes}
        if open_id in touched:
            app.close_audit(show_welcome=False)
        try:
            result = apply_import(app.store, plan)
        except WorkspaceError as exc:
            QMessageBox.critical(app.widget, "Import failed", str(exc))
            return
        finally:  # the open views follow through WorkspaceEvents
            if open_id is not None and app.session is None:
                app.open_audit(open_id)
                if app.session is None:
                    app.close_audit()  # the welcome page, not a form without an audit
        self._status(result.summary())

    # ---------------------------------------------------------------- plumbing
    def _start(
        self, title: str, label: str, work: Work, step_text: Callable[[int, int], str]
    ) -> BackgroundTask:
        task = self.app.tasks.start(title, label, work, kind="workbook", step_text=step_text)
        self.task = task

        def ended() -> None:
            if self.task is task:
                self.task = None
            task.deleteLater()

        task.finished.connect(ended)
        self.taskStarting.emit(task)
        return task

    def _busy(self) -> bool:
        if self.task is not None and self.task.is_running():
            self._status("Wait for the current export or import to finish.")
            return True
        return False

    def _failed(self, title: str, exc: BaseException) -> None:
        from importers.own_workbook import WorkbookError

        if not isinstance(exc, WorkbookError | WorkspaceError | OSError | ValueError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        QMessageBox.critical(self.app.widget, title, error_text(exc))

    def _choose(self, title: str, save: bool, name: str, spreadsheet: bool = False) -> Path | None:
        """A workbook path from the window's chooser, starting in the last folder used;
        `spreadsheet`: an export, which may be OpenDocument (named .ods) as well as .xlsx."""
        folder = keys.start_folder(self.app.settings, keys.WORKBOOK_FOLDER)
        chosen = self.app.choose_path(title, save, str(Path(folder) / name))
        if chosen is None:
            return None
        path = Path(chosen)
        kept = (".xlsx", ".ods") if spreadsheet else (".xlsx",)
        if save and path.suffix.lower() not in kept:
            path = path.with_name(path.name + ".xlsx")
        keys.write(self.app.settings, keys.WORKBOOK_FOLDER, str(path.parent))
        return path

    def _status(self, message: str) -> None:
        self.app.status(message, STATUS_MS)


class CycleDialog(QDialog):
    """Which cycle to export, when no audit is open to say."""

    def __init__(self, cycles: list[str], default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a cycle")
        self.cycle = cycle_combo(self, cycles, default)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Export every audit of &cycle:", self.cycle)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)


@dataclass(frozen=True)
class DataReturnChoice:
    department_id: str
    cycle: str
    prefill: bool


class DataReturnDialog(QDialog):
    """A data-return workbook for one department and cycle, blank or pre-filled."""

    def __init__(
        self,
        departments: list[Department],
        audits: list[Audit],
        *,
        department_id: str | None = None,
        cycle: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data-return workbook")
        self.audits = audits
        self.department = QComboBox(self)
        self.department.setAccessibleName("Department")
        for dept in departments:
            self.department.addItem(dept.display, dept.id)
        if department_id:
            self.department.setCurrentIndex(max(0, self.department.findData(department_id)))
        self.cycle = QComboBox(self)
        self.cycle.setEditable(True)
        self.cycle.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cycle.setAccessibleName("Cycle")
        self.cycle.addItems(sorted({a.cycle for a in audits}))
        if cycle is None:
            cycle = audits[-1].cycle if audits else ""
        self.cycle.setCurrentText(cycle)
        line = self.cycle.lineEdit()
        if line is not None:
            line.setPlaceholderText("e.g. 2015 review")
        self.prefill = QCheckBox(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        as_error(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save workbook…")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Department:", self.department)
        form.addRow("&Cycle:", self.cycle)
        form.addRow("", self.prefill)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "A workbook the department fills in and sends back. Import it into the "
                "cycle's audit with File ▸ Import… (Ctrl+I).",
                self,
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.department.currentIndexChanged.connect(self._update_prefill)
        self.cycle.currentTextChanged.connect(self._update_prefill)
        self._update_prefill()

    def source(self) -> Audit | None:
        """The audit a pre-filled return starts from: this cycle's, else the latest."""
        dept = self.department.currentData()
        own = [a for a in self.audits if a.department_id == dept]
        cycle = self.cycle.currentText().strip()
        return next((a for a in own if a.cycle == cycle), own[-1] if own else None)

    def _update_prefill(self) -> None:
        source = self.source()
        self.prefill.setEnabled(source is not None)
        if source is None:
            self.prefill.setChecked(False)
            self.prefill.setText("Pre-fill from the latest audit (none yet)")
        else:
            self.prefill.setText(f"Pre-fill from the latest audit ({source.cycle})")

    def choice(self) -> DataReturnChoice:
        return DataReturnChoice(
            str(self.department.currentData()),
            self.cycle.currentText().strip(),
            self.prefill.isChecked() and self.prefill.isEnabled(),
        )

    def _accept(self) -> None:
        if self.department.currentData() is None:
            self.message.setText("Add a department first.")
        elif not self.choice().cycle:
            self.message.setText("Give the cycle a label, such as '2015 review'.")
        else:
            self.accept()


def workbook_actions(app: AppContext) -> WorkbookActions:
    """The window's one WorkbookActions, made on first use."""
    found = app.widget.findChild(WorkbookActions, "workbookActions")
    return found if isinstance(found, WorkbookActions) else WorkbookActions(app)
