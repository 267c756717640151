"""Opens a foreign spreadsheet or CSV as rows of cells, after file_guards has vetted it.

Workbooks are read here through calamine; delimited text in importers/csv_book.py.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine as calamine

from importers.csv_book import CsvBook
from importers.file_guards import (
    MAX_ROWS,
    PASSWORD_MESSAGE,
    inspect_file,
    refuse_grid,
    xlsx_sheet_parts,
)
from importers.sheet_extent import scan_xlsx_sheet
from importers.source_table import (
    CHUNK,
    POLL_EVERY,
    CellValue,
    ImportFileError,
    SourceBook,
)
from models.progress import Cancelled, Progress, ShouldCancel

__all__ = ["MAX_ROWS", "CalamineBook", "CsvBook", "open_source"]


def open_source(
    path: Path,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> SourceBook:
    """Vets the file, then opens it with the reader its real kind needs."""
    path = Path(path)
    check = inspect_file(path)
    checksum = file_checksum(path, should_cancel)
    book: CsvBook | CalamineBook
    if check.kind == "csv":
        book = CsvBook(path, checksum, progress=progress, should_cancel=should_cancel)
    else:
        book = CalamineBook(
            path, check.kind, checksum, progress=progress, should_cancel=should_cancel
        )
    book.warnings[:0] = check.warnings
    return book


def file_checksum(path: Path, should_cancel: ShouldCancel | None = None) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if should_cancel is not None and should_cancel():
                raise Cancelled()
    return digest.hexdigest()


# --- workbooks through calamine -----------------------------------------------------------------


class CalamineBook:
    """An xlsx, xlsm, xls or ods workbook read with calamine; sheets load whole, one at a time."""

    def __init__(
        self,
        path: Path,
        kind: str,
        checksum: str,
        *,
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.checksum = checksum
        self.encoding: str | None = None
        self.warnings: list[str] = []
        self._progress = progress
        self._should_cancel = should_cancel
        self._sheets: dict[str, Any] = {}
        # Sized from every cell reference before calamine builds any sheet's grid.
        formulas = (
            uncalculated_formula_warnings(path, should_cancel) if kind in ("xlsx", "xlsm") else []
        )
        try:
            if path.suffix.lower().lstrip(".") == kind:
                self._book = calamine.CalamineWorkbook.from_path(str(path))
            else:  # misnamed: calamine picks its reader by extension on paths, by bytes on files
                with path.open("rb") as handle:
                    self._book = calamine.CalamineWorkbook.from_filelike(handle)
        except Exception as exc:  # calamine raises its own errors and bare ValueErrors
            raise self._error(exc) from None
        self._names: list[str] = []
        for meta in self._book.sheets_metadata:
            if str(meta.typ) != str(calamine.SheetTypeEnum.WorkSheet):
                self.warnings.append(f"sheet {meta.name!r} is a chart, not a table; it is left out")
                continue
            self._names.append(meta.name)
            if str(meta.visible) != str(calamine.SheetVisibleEnum.Visible):
                self.warnings.append(
                    f"sheet {meta.name!r} is hidden in the workbook; it is listed all the same"
                )
        self.warnings.extend(formulas)

    def _error(self, exc: Exception, sheet: str | None = None, row: int | None = None) -> Exception:
        if isinstance(exc, Cancelled | ImportFileError):
            return exc
        detail = str(exc).strip() or type(exc).__name__
        if isinstance(exc, calamine.PasswordError) or "password" in detail.lower():
            return ImportFileError(self.path, PASSWORD_MESSAGE)
        if isinstance(exc, calamine.ZipError):
            message = f"is damaged or incomplete (the zip container cannot be read): {detail}"
        elif isinstance(exc, calamine.XmlError):
            message = f"is damaged: part of its XML cannot be read ({detail})"
        else:
            message = f"is damaged or cannot be read as {self.kind.upper()} ({detail})"
        return ImportFileError(self.path, message, sheet=sheet, row=row)

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def _sheet(self, name: str) -> Any:
        if name not in self._names:
            raise ImportFileError(self.path, "has no sheet of that name", sheet=name)
        if name not in self._sheets:
            try:
                sheet = self._book.get_sheet_by_name(name)
            except Exception as exc:
                raise self._error(exc, sheet=name) from None
            if sheet.height - 1 > MAX_ROWS:
                raise ImportFileError(
                    self.path,
                    f"has about {sheet.height:,} rows; Baseline imports at most "
                    f"{MAX_ROWS:,} rows from one sheet — split the file",
                    sheet=name,
                )
            self._sheets.clear()  # keep one sheet in memory at a time
            self._sheets[name] = sheet
        return self._sheets[name]

    def row_count(self, sheet: str) -> int | None:
        loaded = self._sheet(sheet)
        end = loaded.end
        return 0 if end is None else int(end[0]) + 1

    def rows(self, sheet: str) -> Iterator[list[CellValue]]:
        loaded = self._sheet(sheet)
        start = loaded.start
        pad: list[CellValue] = [""] * (int(start[1]) if start is not None else 0)
        total = self.row_count(sheet) or 0
        number = 0
        cells_by_row = loaded.iter_rows()
        while True:
            try:
                cells = next(cells_by_row)
            except StopIteration:
                return
            except Exception as exc:  # only calamine's own failures mean a damaged file
                raise self._error(exc, sheet=sheet, row=number + 1) from None
            number += 1
            # calamine hands over a new list per row: it becomes the row, uncopied.
            row: list[CellValue] = cells if type(cells) is list else list(cells)
            if pad:
                row = pad + row
            while row and row[-1] == "":
                row.pop()
            if number % POLL_EVERY == 0:
                self._poll(number, total)  # Cancel raised here goes to the caller as it is
            yield row

    def _poll(self, done: int, total: int) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise Cancelled()
        if self._progress is not None:
            self._progress(done, total)

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        try:
            ranges = self._sheet(sheet).merged_cell_ranges
        except (AttributeError, calamine.CalamineError):
            return []
        return [(int(a[0]), int(a[1]), int(b[0]), int(b[1])) for a, b in ranges or []]

    def close(self) -> None:
        self._sheets.clear()
        self._book.close()


def uncalculated_formula_warnings(path: Path, should_cancel: ShouldCancel | None) -> list[str]:
    """A warning for each xlsx sheet with formulas whose results were never saved."""
    return [
        f"sheet {sheet!r} has {count:,} formula{'s' if count > 1 else ''} with no saved results "
        "(the file was never calculated): open and save it in Excel first; those cells are blank"
        for sheet, count in uncalculated_formulas(path, should_cancel)
    ]


def uncalculated_formulas(path: Path, should_cancel: ShouldCancel | None) -> list[tuple[str, int]]:
    """(sheet, formulas whose results were never saved) for each xlsx sheet with any, each
    sheet sized from what its cells reach first (refused past the limits)."""
    try:
        return _uncalculated_formulas(path, should_cancel)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise ImportFileError(
            path, f"is damaged or incomplete (the zip container cannot be read): {exc}"
        ) from None


def _uncalculated_formulas(path: Path, should_cancel: ShouldCancel | None) -> list[tuple[str, int]]:
    found = []
    with zipfile.ZipFile(path) as archive:
        try:
            parts = xlsx_sheet_parts(archive)
        except Exception:  # the guard already read this list; calamine reports real damage
            return []
        members = set(archive.namelist())
        for sheet, member in parts:
            if member not in members:
                continue
            with archive.open(member) as stream:
                count, rows, columns = scan_xlsx_sheet(stream, should_cancel)
            if rows - 1 > MAX_ROWS:
                raise ImportFileError(
                    path,
                    f"has about {rows:,} rows; Baseline imports at most {MAX_ROWS:,} rows "
                    "from one sheet — split the file",
                    sheet=sheet,
                )
            refuse_grid(path, sheet, rows, columns)
            if count:
                found.append((sheet, count))
    return found
