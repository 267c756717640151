"""A write-only openpyxl sheet whose columns each carry one fixed cell format.

openpyxl's write-only mode builds a styled cell object per value and hashes its style on
every write, which makes formatted exports about twice as slow as unformatted ones. Here
each column's style id is looked up once and one reusable cell per column carries the
values to openpyxl's own XML writer, so the output is what openpyxl writes, only faster.
Relies on WriteOnlyWorksheet._values_to_row (openpyxl 3.1); tests read the output back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo


class _ColumnCell:
    """What openpyxl's cell writer reads from a cell, reused for every row of one column."""

    __slots__ = (
        "_comment",
        "_value",
        "column",
        "coordinate",
        "data_type",
        "has_style",
        "hyperlink",
        "letter",
        "row",
        "style_id",
    )

    def __init__(self, column: int, style_id: int | None) -> None:
        self.column = column
        self.letter = get_column_letter(column)
        self.style_id = style_id
        self.has_style = style_id is not None
        self._comment = None
        self.hyperlink = None
        self._value: Any = None
        self.data_type = "n"
        self.coordinate = ""
        self.row = 0


class StreamingSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """Rows of plain values; strings are always text cells, never formulas."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._columns: list[_ColumnCell] = []
        self._header: list[_ColumnCell] = []
        self.rows_written = 0
        self.headers: list[str] = []
        self.widths: list[float] = []
        self.wrapped: list[bool] = []
        self._styles: dict[tuple[str | None, bool], int | None] = {}
        self._override: dict[int, int | None] = {}

    def setup(
        self,
        headers: Sequence[str],
        formats: Sequence[str | None],
        widths: Sequence[float],
        *,
        hidden: Sequence[str] = (),
        wrap: Sequence[str] = (),
    ) -> None:
        """Set the columns before the first row: header row, formats, widths, hidden ones."""
        self.headers = list(headers)
        for i, (header, fmt, width) in enumerate(zip(headers, formats, widths, strict=True), 1):
            dims = self.column_dimensions[get_column_letter(i)]
            dims.width = width
            if header in hidden:
                dims.hidden = True
            align = (header in wrap, True) if wrap else (False, False)
            self._columns.append(_ColumnCell(i, self._style_id(fmt, wrap=align[0], top=align[1])))
            self._header.append(_ColumnCell(i, self._style_id(None, bold=True, wrap=True)))
            self.widths.append(width)
        self.wrapped = [h in wrap for h in headers]
        self.freeze_panes = "A2"
        header_height = row_height(list(zip(headers, widths, strict=True)))
        if header_height:
            self.row_dimensions[1].height = header_height
        fit_to_page_width(self)
        self._write(self._header, self.headers)

    def _style_id(
        self, fmt: str | None, *, bold: bool = False, wrap: bool = False, top: bool = False
    ) -> int | None:
        if fmt is None and not bold and not wrap and not top:
            return None
        cell = WriteOnlyCell(self)
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = Font(bold=True)
        if wrap or top:
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        return int(cell.style_id)

    def add_row(self, values: Sequence[Any], formats: dict[int, str | None] | None = None) -> None:
        """Append one row; `formats` overrides the column format of some cells (0-based).

        Rows with wrapped columns get a height that shows their text: Excel and
        LibreOffice do not always fit rows to wrapped text when opening a file.
        """
        if any(self.wrapped):
            height = row_height(
                [
                    (v, w)
                    for v, w, wrapped in zip(values, self.widths, self.wrapped, strict=False)
                    if wrapped and isinstance(v, str)
                ]
            )
            if height:
                self.row_dimensions[self.rows_written + 2].height = height
        if formats:
            self._override = {}
            top = any(self.wrapped)
            for index, fmt in formats.items():
                wrap = top and self.wrapped[index]
                if (fmt, wrap) not in self._styles:
                    self._styles[(fmt, wrap)] = self._style_id(fmt, wrap=wrap, top=top)
                self._override[index + 1] = self._styles[(fmt, wrap)]
            self._write(self._columns, values)
            self._override = {}
        else:
            self._write(self._columns, values)
        self.rows_written += 1

    def _write(self, cells: list[_ColumnCell], values: Sequence[Any]) -> None:
        self._cells, self._values = cells, values
        self.append(values)

    def _values_to_row(self, values: Sequence[Any], row_idx: int) -> Iterator[_ColumnCell]:
        row = str(row_idx)
        epoch = self.parent.epoch
        for cell, value in zip(self._cells, values, strict=False):
            if value is None:
                continue
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "="
            elif isinstance(value, date):
                cell.data_type = "n"
                value = to_excel(value, epoch)
            else:
                cell.data_type = "n"
                # openpyxl writes numbers with "%.16g", dropping a float's 17th digit and
                # rounding big integers; repr keeps every digit Excel can hold.
                value = repr(value)
            cell._value = value
            cell.coordinate = cell.letter + row
            if self._override and cell.column in self._override:
                default = cell.style_id
                cell.style_id = self._override[cell.column]
                cell.has_style = cell.style_id is not None
                yield cell
                cell.style_id, cell.has_style = default, default is not None
                continue
            yield cell

    def add_table(self, name: str, style: str = "TableStyleMedium2") -> None:
        """Make the written rows an Excel table (filters, banding); a plain filter when empty."""
        last = get_column_letter(len(self.headers))
        if self.rows_written == 0:
            self.auto_filter.ref = f"A1:{last}1"
            return
        ref = f"A1:{last}{self.rows_written + 1}"
        table = Table(
            displayName=name,
            ref=ref,
            autoFilter=AutoFilter(ref=ref),
            tableStyleInfo=TableStyleInfo(name=style, showRowStripes=True),
        )
        table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(self.headers, 1)]
        self.tables.add(table)


def add_streaming_sheet(workbook: Workbook, title: str) -> StreamingSheet:
    """A new StreamingSheet at the end of a write-only workbook."""
    sheet = StreamingSheet(workbook, title)
    workbook._sheets.append(sheet)
    return sheet


def discard(workbook: Workbook) -> None:
    """Close and delete the temporary files of an abandoned write-only workbook."""
    for sheet in workbook._sheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        if not sheet.closed:
            with contextlib.suppress(Exception):  # already failing; the temp files still go
                sheet.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def fit_to_page_width(sheet: Any) -> None:
    """Print landscape, one page wide, with the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def row_height(cells: Sequence[tuple[Any, float]]) -> float | None:
    """The height that shows every (text, column width) cell wrapped; None for one line."""
    lines = 1
    for text, width in cells:
        if not isinstance(text, str) or not text:
            continue
        per_line = max(1, int(width * 1.25))  # characters of average width per column unit
        count = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, count)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT) if lines > 1 else None
