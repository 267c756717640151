"""The shapes every foreign-spreadsheet step passes along: where a value came from, and why not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

# What a reader hands over for one cell: CSV gives text, calamine gives typed values.
CellValue = str | int | float | bool | datetime | date | time | timedelta | None

CHUNK = 1024 * 1024  # bytes read at a time
POLL_EVERY = 1000  # rows between cancel polls and progress calls


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ImportFileError(Exception):
    """A file that cannot be read or imported; the message names the file and where in it."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.sheet = sheet
        self.row = row  # 1-based, as the spreadsheet shows it
        self.column = column  # 0-based index; shown as a letter
        super().__init__(str(self))

    def where(self) -> str:
        parts = [self.path.name]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {column_letter(self.column)}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class SourceBook(Protocol):
    """An opened foreign file: one or more sheets of rows, read lazily where the format allows."""

    path: Path
    kind: str  # "csv", "xlsx", "xlsm", "xls" or "ods"
    checksum: str  # SHA-256 of the file's bytes, hex
    encoding: str | None  # CSV only: the encoding it was decoded with
    warnings: list[str]  # what the reader noticed and worked round, for the import report

    def sheet_names(self) -> list[str]: ...

    def row_count(self, sheet: str) -> int | None:
        """Rows in the sheet if known without reading it all, else None."""
        ...

    def rows(self, sheet: str) -> Iterator[list[CellValue]]:
        """Every row from the top, ragged rows allowed; raises ImportFileError with the row."""
        ...

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged cells as (first_row, first_col, last_row, last_col), 0-based, inclusive."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class HeaderLayout:
    """Where a sheet's header sits and what each column is called."""

    sheet: str
    header_rows: tuple[int, ...]  # 0-based indexes of the stacked header rows
    first_data_row: int  # 0-based
    parts: tuple[tuple[str, ...], ...]  # per column: its header split into levels

    @property
    def names(self) -> list[str]:
        """Each column's header as one line: its levels joined by '; '."""
        return ["; ".join(p for p in column if p) for column in self.parts]

    @property
    def width(self) -> int:
        return len(self.parts)


@dataclass(slots=True)  # no __dict__: an import makes one per row
class ExtractedRow:
    """One row bound for an audit table, traced to its source row."""

    source_row: int  # 1-based row number as the spreadsheet shows it
    cells: dict[str, Any]  # target column id -> stored value
    source: dict[str, Any]  # the source's own granularity: organisation, unit, grade, …
    department: str = ""  # department text the row names, for routing; "" when none
    problems: list[str] = field(default_factory=list)  # values kept blank, with why
    skip: str | None = None  # why the row is left out, or None to import it
    # The source row checked against the file's own totals: (agrees, what was compared).
    check: tuple[bool, str] | None = None
    note: str = ""  # where a value came from when not its usual column (the SRO's rating)
