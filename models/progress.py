"""Progress reporting and cancelling for long work (imports, exports, verifying), without Qt.

The one definition the importers, the exporters and the ui share: work takes a `Progress`
callback and calls it with (done, total) now and then; once the user has pressed Cancel
that call raises `Cancelled`. Work that cannot raise where it reports (a reader that turns
every exception into a file error) polls a `CancelToken` instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Called with (done, total); total may be 0 when unknown. Raises Cancelled to stop the work.
Progress = Callable[[int, int], None]
# Polled during long work; True means stop (the work raises Cancelled).
ShouldCancel = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


def no_progress(done: int, total: int) -> None:
    """The default: report nothing, never cancel."""


def stage(progress: Progress, start: int, end: int, scale: int = 100) -> Progress:
    """Progress for one stage of longer work: its (done, total) maps onto start..end of scale."""

    def report(done: int, total: int) -> None:
        fraction = done / total if total > 0 else 0.0
        progress(start + round((end - start) * min(1.0, fraction)), scale)

    return report


class CancelToken:
    """One piece of work's Cancel button, safe to press from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled once Cancel has been pressed (call between steps of the work)."""
        if self._event.is_set():
            raise Cancelled()

    def reporting(self, report: Progress) -> Progress:
        """`report` for work that must stop at its next progress call once cancelled."""

        def progress(done: int, total: int) -> None:
            self.check()
            report(done, total)

        return progress
