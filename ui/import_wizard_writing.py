"""The import wizard's last step: writing the plan (Import), its outcome, and the report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from importers.column_mapping import header_signature
from importers.source_table import ImportFileError
from ui.import_sources import (
    Cancel,
    copy_mapping,
)
from ui.import_tasks import import_work
from ui.import_wizard_frame import (
    CANCELLED_IMPORT,
    REPORT,
    WizardFrame,
)

if TYPE_CHECKING:
    from importers.import_report import ImportReport


class WritingStep(WizardFrame):
    """Import writes the previewed plan through the TaskRunner; the report page says how it went."""

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
        text = str(exc) or type(exc).__name__
        said = "nothing was changed" in text.lower()  # the store's own messages say it
        self.message = f"Import failed: {text}" + ("" if said else " Nothing was changed.")
        self.preview_page.blocked.setText(self.message)
        QMessageBox.critical(
            self, "Import failed", text + ("" if said else "\n\nNothing was changed.")
        )

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
