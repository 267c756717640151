"""Files for the import wizard: chosen, dropped, read on a worker thread, and cancelled."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QFileDialog

from importers.column_mapping import ColumnMapping
from importers.source_table import CellValue, SourceBook
from models.progress import Cancelled, CancelToken, Progress
from ui.app import settings as keys

if TYPE_CHECKING:
    from importers.foreign_plan import ForeignFile
    from importers.layouts import Recognition
    from ui.app.context import AppContext

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
FILTER = "Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods);;All files (*)"
SAMPLE_ROWS = 40  # rows kept per sheet for mapping suggestions and sample values


def dropped_spreadsheet(mime: QMimeData | None) -> Path | None:
    """The one local spreadsheet file being dragged, or None (several, remote, another kind)."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in SUFFIXES else None


def choose_spreadsheet(app: AppContext) -> Path | None:
    """A spreadsheet chosen by the user (tests inject the window's own chooser)."""
    folder = keys.start_folder(app.settings, keys.WORKBOOK_FOLDER)
    if not app.native_chooser:
        chosen = app.choose_path("Import a spreadsheet", False, str(Path(folder) / "*.csv"))
    else:
        name, _ = QFileDialog.getOpenFileName(app.widget, "Import a spreadsheet", folder, FILTER)
        chosen = Path(name) if name else None
    if chosen is None:
        return None
    keys.write(app.settings, keys.WORKBOOK_FOLDER, str(Path(chosen).parent))
    return Path(chosen)


class Cancel:
    """Cancel for one piece of work as a flag the importers poll, and progress that never raises.

    Readers turn any exception raised inside them into a file error, so Cancel travels as the
    task's flag and comes back as Cancelled. An opened file keeps the callbacks it was
    read with and calls them again when planning reads its rows: `detach` silences them.
    """

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.token = CancelToken()  # replaced by the task's own in ImportWizard._start
        self.live = True

    def report(self, done: int, total: int) -> None:
        if not self.live or self.progress is None:
            return
        with contextlib.suppress(Cancelled):  # the flag is set: the next poll stops the work
            self.progress(done, total)

    def should_cancel(self) -> bool:
        return self.live and self.token.cancelled

    def detach(self) -> None:
        self.live = False


def first_rows(book: SourceBook, recognition: Recognition) -> list[list[CellValue]]:
    from importers.layouts import sheet_rows

    start = recognition.header.first_data_row
    iterator = sheet_rows(book, recognition)  # as its format reads them (GMPP 2014 turned)
    try:
        return list(islice(iterator, start, start + SAMPLE_ROWS))
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


@dataclass
class Read:
    """A file read on the worker thread: the file and a few data rows per recognised sheet."""

    foreign: ForeignFile
    samples: list[list[list[CellValue]]] = field(default_factory=list)


def copy_mapping(mapping: ColumnMapping) -> ColumnMapping:
    return ColumnMapping.from_json(mapping.to_json())
