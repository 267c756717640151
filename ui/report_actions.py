"""The Report menu: an audit's board report and a cycle's cross-government summary, as PDFs.

Each report is typeset off the GUI thread (see ui/background.py) on its own `Store` of the
same file, into a temporary folder that the preview then owns and removes when it closes.
Nothing is saved anywhere the user can see until they choose Save as in the preview.

Signals (ReportActions):
    taskStarting(object): a BackgroundTask is about to start its thread.
    previewShown(object): a PdfPreviewDialog has been shown.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from exporters.report_options import WORD_SUFFIX, ReportResult
from models.progress import Progress
from models.records import Audit
from models.store import Store, WorkspaceError
from ui.app import settings as keys
from ui.background import BackgroundTask
from ui.pdf_preview import PdfPreviewDialog
from ui.report_dialogs import BoardReportDialog, SummaryReportDialog

if TYPE_CHECKING:
    from ui.app.context import AppContext

STATUS_MS = 15000
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

Writer = Callable[[Store, Path, Progress], ReportResult]


def pdf_name(stem: str) -> str:
    """A report's file name from its title ("DWP 2014 review board report" → "….pdf")."""
    return (_UNSAFE.sub("-", stem).strip(" .") or "Baseline report") + ".pdf"


@dataclass
class ReportJob:
    """One report being made: what it is, and the temporary file it is written to."""

    kind: str  # "Board report", "Cross-government summary"
    subject: str  # "DWP 2014 review", "2014 review"
    file_name: str  # suggested when saving
    folder: tempfile.TemporaryDirectory[str]
    path: Path
    saved: Path | None = None  # a Word report is written straight to the file chosen

    @property
    def title(self) -> str:
        return f"{self.kind} — {self.subject}"


class ReportActions(QObject):
    """Board reports and cross-government summaries, made, previewed and saved, for one window."""

    taskStarting = Signal(object)
    previewShown = Signal(object)

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.app = app
        self.task: BackgroundTask | None = None
        self.job: ReportJob | None = None
        self.previews: list[PdfPreviewDialog] = []  # kept, or Python would collect them
        app.tasks.shuttingDown.connect(self.shutdown)

    # ---------------------------------------------------------------- the two reports
    def board_report(self) -> None:
        app = self.app
        session = app.session
        if session is None:
            self._status("Open an audit to make its board report.")
            return
        if self._busy():
            return
        audit = session.audit
        dept = app.store.department(audit.department_id)
        dialog = BoardReportDialog(f"{dept.display}, {audit.cycle}", app.widget)
        accepted = app.run_dialog(dialog)
        options, word = dialog.options(), dialog.as_word()
        dialog.deleteLater()
        if not accepted:
            return
        from exporters.board_report import write_board_report

        short = f"{dept.abbreviation or dept.name} {audit.cycle}"
        audit_id = audit.id
        self._make(
            "Board report",
            short,
            f"{short} board report",
            lambda store, path, progress: write_board_report(
                store, audit_id, path, options, progress
            ),
            word=word,
        )

    def summary_report(self) -> None:
        app = self.app
        audits = app.store.audits()
        if not audits:
            QMessageBox.information(
                app.widget,
                "Nothing to report",
                "This workspace has no audits yet: the summary compares a cycle's audits.",
            )
            return
        if self._busy():
            return
        cycles = sorted({a.cycle for a in audits})
        dialog = SummaryReportDialog(cycles, self._default_cycle(audits), app.widget)
        accepted = app.run_dialog(dialog)
        cycle, options, word = dialog.chosen_cycle(), dialog.options(), dialog.as_word()
        dialog.deleteLater()
        if not accepted:
            return
        from exporters.summary_report import write_summary_report

        self._make(
            "Cross-government summary",
            cycle,
            f"Cross-government summary {cycle}",
            lambda store, path, progress: write_summary_report(
                store, cycle, path, options, progress
            ),
            word=word,
        )

    def _default_cycle(self, audits: list[Audit]) -> str:
        """The open audit's cycle, else the one chosen in the navigator, else the latest."""
        session = self.app.session
        if session is not None:
            return session.audit.cycle
        current = self.app.current_audit_id()
        return next((a.cycle for a in audits if a.id == current), audits[-1].cycle)

    # ---------------------------------------------------------------- making one
    def _make(self, kind: str, subject: str, stem: str, write: Writer, word: bool = False) -> None:
        self.app.flush_edits()
        name = pdf_name(stem)
        folder = tempfile.TemporaryDirectory(prefix="baseline-report-")
        job = ReportJob(kind, subject, name, folder, Path(folder.name) / name)
        if word:  # no preview: written straight to the file chosen, replaced when complete
            chosen = self._choose(name[: -len(".pdf")] + WORD_SUFFIX, word=True)
            if chosen is None:
                folder.cleanup()
                return
            job.path = job.saved = chosen
        workspace, tasks = self.app.store.path, self.app.tasks

        def work(progress: Progress) -> ReportResult:
            with tasks.open_store(workspace) as store:  # this thread's own connection
                return write(store, job.path, progress)

        label = f"Making the {kind.lower()} for {subject}…"
        task = tasks.start(kind, label, work, kind="report")
        self.task, self.job = task, job
        task.succeeded.connect(functools.partial(self._made, job))
        task.failed.connect(functools.partial(self._failed, job))
        task.cancelled.connect(functools.partial(self._cancelled, job))
        task.finished.connect(functools.partial(self._ended, task))
        self.taskStarting.emit(task)
        task.start()

    def _made(self, job: ReportJob, result: ReportResult) -> None:
        if job.saved is not None:
            job.folder.cleanup()
            self._status(f"{job.title}: saved as Word to {result.path}.")
            return
        preview = PdfPreviewDialog(
            result.path, job.title, job.file_name, choose=self._choose, folder=job.folder,
            parent=self.app.widget,
        )  # fmt: skip
        if preview.load_error is not None:
            preview.release()
            preview.deleteLater()
            QMessageBox.critical(
                self.app.widget, f"Could not show the {job.kind.lower()}", preview.load_error
            )
            return
        self.previews.append(preview)
        preview.finished.connect(functools.partial(self._closed, preview))
        preview.show()
        preview.raise_()
        preview.activateWindow()
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        self._status(f"{job.title}: {pages}, shown in a preview. Save it from there (Ctrl+S).")
        self.previewShown.emit(preview)

    def _failed(self, job: ReportJob, exc: BaseException) -> None:
        job.folder.cleanup()
        if not isinstance(exc, WorkspaceError | OSError | ValueError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        if isinstance(exc, OSError):
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            text = f"Could not write the report in {job.folder.name}: {reason}."
        else:
            text = str(exc) or type(exc).__name__
        QMessageBox.critical(self.app.widget, f"Could not make the {job.kind.lower()}", text)

    def _cancelled(self, job: ReportJob) -> None:
        job.folder.cleanup()
        self._status(f"{job.kind} cancelled: nothing was made.")

    def _ended(self, task: BackgroundTask) -> None:
        if self.task is task:
            self.task, self.job = None, None
        task.deleteLater()

    def _closed(self, preview: PdfPreviewDialog, _result: int = 0) -> None:
        if preview in self.previews:
            self.previews.remove(preview)
        preview.deleteLater()

    # ---------------------------------------------------------------- plumbing
    def _busy(self) -> bool:
        if self.task is not None and self.task.is_running():
            self._status("Wait for the report being made to finish.")
            return True
        return False

    def shutdown(self) -> None:
        """Stop a report being made and close every preview (the window is closing: the
        task runner's shuttingDown)."""
        if self.task is not None and self.task.is_running():
            self.task.wait()
            if self.job is not None:
                self.job.folder.cleanup()
        for preview in list(self.previews):
            preview.close()

    def _choose(self, name: str, word: bool = False) -> Path | None:
        """Where to save a report, from the window's chooser, starting in the last folder used."""
        settings = self.app.settings
        folder = keys.start_folder(settings, keys.REPORT_FOLDER)
        what = "Word (.docx)" if word else "PDF"
        chosen = self.app.choose_path(f"Save the report as {what}", True, str(Path(folder) / name))
        if chosen is None:
            return None
        path = Path(chosen)
        suffix = WORD_SUFFIX if word else ".pdf"
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        keys.write(settings, keys.REPORT_FOLDER, str(path.parent))
        return path

    def _status(self, message: str) -> None:
        self.app.status(message, STATUS_MS)
