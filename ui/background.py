"""Long work off the GUI thread, with a window-modal progress dialog and Cancel.

The work is a plain function `work(progress)` from `exporters`/`importers`: it calls
`progress(done, total)` now and then, and that call raises `Cancelled` once the user has
pressed Cancel (models/progress.py). The work must not touch the GUI thread's `Store`
(SQLite connections stay on the thread that made them): it opens its own through
TaskRunner.open_store. Tasks are made by the window's TaskRunner (ui/app/tasks.py), never
directly, so that one shutdown ends them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QWidget

from models.progress import Cancelled, CancelToken, Progress

Work = Callable[[Progress], Any]

SHOW_AFTER_MS = 300  # quick work finishes without a dialog flashing up


class _WorkThread(QThread):
    """Runs the work once; the outcome is read after `finished`."""

    progressed = Signal(int, int)

    def __init__(self, work: Work, parent: QObject) -> None:
        super().__init__(parent)
        self.work = work
        self.token = CancelToken()
        self.outcome = "cancelled"
        self.value: Any = None

    def run(self) -> None:
        try:
            self.value = self.work(self._report)
            self.outcome = "succeeded"
        except Cancelled:
            self.outcome = "cancelled"
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            self.value = exc
            self.outcome = "failed"

    def _report(self, done: int, total: int) -> None:
        self.token.check()
        self.progressed.emit(done, total)


class BackgroundTask(QObject):
    """One piece of long work on its own thread, with a progress dialog and Cancel.

    The dialog shows only if the work takes longer than SHOW_AFTER_MS (never with
    `dialog=False`: work the user did not ask for, a backup). Exactly one of
    succeeded, failed or cancelled is emitted, after the thread has ended, then finished.

    Signals:
        progressed(int, int): done and total, as the work reports them.
        succeeded(object): the work's return value.
        failed(object): the exception the work raised (never Cancelled).
        cancelled(): the user cancelled and the work stopped.
        finished(): after any of the three above.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        label: str,
        work: Work,
        *,
        step_text: Callable[[int, int], str] | None = None,
        dialog: bool = True,
        kind: str = "",
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.kind = kind  # what the work is ("export", "backup"…), for TaskRunner.wait
        self.step_text = step_text
        self.worker = _WorkThread(work, self)
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._finished)
        self.done = False
        self.dialog: QProgressDialog | None = None
        self.bar: QProgressBar | None = None
        if dialog:
            self._make_dialog(parent, title, label)

    def _make_dialog(self, parent: QWidget, title: str, label: str) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        # The bar is driven directly: QProgressDialog.setValue() on a modal dialog spins a
        # nested event loop, which would deliver the outcome in the middle of an update.
        self.bar = QProgressBar(self.dialog)
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.dialog.setBar(self.bar)
        # Esc or the button cancels; Enter does not (a second press of the Enter that started
        # the work cancelled it).
        for button in self.dialog.findChildren(QPushButton):  # Qt's own, with its Esc key
            button.setAutoDefault(False)
            button.setDefault(False)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        if self.dialog is not None:
            self.dialog.setValue(0)  # starts the timer that shows the dialog after a moment
        self.worker.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self.worker.token.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    @property
    def cancel_requested(self) -> bool:
        return self.worker.token.cancelled

    @property
    def token(self) -> CancelToken:
        """This task's Cancel, for work that polls rather than reports (the importers)."""
        return self.worker.token

    def is_running(self) -> bool:
        return not self.done

    def wait(self) -> None:
        """Cancel and block until the thread has ended (the window is closing)."""
        self.cancel()
        self.worker.wait()

    def _progressed(self, done: int, total: int) -> None:
        if self.done or self.cancel_requested:
            return
        if total > 0 and self.bar is not None:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if self.step_text is not None and self.dialog is not None:
            self.dialog.setLabelText(self.step_text(done, total))
        self.progressed.emit(done, total)

    def _finished(self) -> None:
        self.worker.wait()  # `finished` is sent just before the thread ends
        self.done = True
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        outcome, value = self.worker.outcome, self.worker.value
        self.worker.value = None
        if outcome == "succeeded":
            self.succeeded.emit(value)
        elif outcome == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()
