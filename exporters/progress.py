"""Progress reporting and cancelling for long exports and imports, without Qt."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Called with (done, total); raises Cancelled to stop the work.
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


def no_progress(done: int, total: int) -> None:
    """The default: report nothing, never cancel."""


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when the block succeeds.

    A cancelled or failed export leaves no half-written workbook and keeps any old file.
    """
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield temp
        try:
            os.replace(temp, path)
        except OSError as exc:
            hint = " Is it open in Excel? Close it and try again." if path.exists() else ""
            raise OSError(exc.errno, f"{exc.strerror}.{hint}", str(path)) from None
    finally:
        temp.unlink(missing_ok=True)


def stage(progress: Progress, start: int, end: int, scale: int = 100) -> Progress:
    """Progress for one stage of longer work: its (done, total) maps onto start..end of scale."""

    def report(done: int, total: int) -> None:
        fraction = done / total if total > 0 else 0.0
        progress(start + round((end - start) * min(1.0, fraction)), scale)

    return report
