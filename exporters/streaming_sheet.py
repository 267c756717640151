"""A write-only openpyxl sheet whose columns each carry one fixed cell format.

openpyxl's write-only mode builds a styled cell object per value, hashes its style on
every write and writes each cell through nested XML contexts, which makes formatted
exports about twice as slow as XlsxWriter. Here each column's style id is looked up
once and each row goes to openpyxl's XML stream as one element, in the markup openpyxl
itself writes. Everything else (styles, tables, the zip) is openpyxl's. Relies on
WriteOnlyWorksheet._values_to_row and WorksheetWriter.write_row (openpyxl 3.1, pinned);
tests read the output back.

Column widths fit what was written: each column keeps its widest text and its largest
and smallest number, and when the sheet closes the widths written as placeholders at the
top of the sheet's XML are overwritten, in place, with the width of the widest formatted
value (see fitted_width), so a number never shows as ### and short text is not clipped.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
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
from openpyxl.xml.functions import Element, SubElement  # lxml's, as openpyxl's stream is

from exporters.widths import fitted_width, header_width

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MUTED_COLOUR = "FF808080"  # grey: a row that is kept but does not apply


class StreamingSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """Rows of plain values; strings are always text cells, never formulas."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._letters: list[str] = []
        self._column_styles: list[str | None] = []  # style id per column, as XML text
        self._header_styles: list[str | None] = []
        self._row_styles: list[str | None] = []  # the styles of the row being written
        self.rows_written = 0
        self.headers: list[str] = []
        self.widths: list[float] = []
        self.wrapped: list[bool] = []
        self._styles: dict[tuple[str | None, bool], str | None] = {}
        self._column_looks: list[tuple[str | None, bool, bool, bool]] = []  # fmt, wrap, top, indent
        self._muted: dict[tuple[str | None, bool, bool, bool], str | None] = {}
        self._fit: list[bool] = []  # columns whose width is fitted to their values on close
        self._formats: list[set[str | None]] = []  # every number format used in the column
        self._text_len: list[int] = []
        self._high: list[float] = []
        self._low: list[float] = []

    def setup(
        self,
        headers: Sequence[str],
        formats: Sequence[str | None],
        widths: Sequence[float],
        *,
        hidden: Sequence[str] = (),
        wrap: Sequence[str] = (),
        fit: bool = True,
    ) -> None:
        """Set the columns before the first row: header row, formats, widths, hidden ones.

        A width is the least the column gets: with `fit`, a column neither hidden nor
        wrapped widens on close to its widest formatted value, and every column starts
        wide enough for the longest word of its header.
        """
        self.headers = list(headers)
        for i, (header, fmt, width) in enumerate(zip(headers, formats, widths, strict=True), 1):
            dims = self.column_dimensions[get_column_letter(i)]
            width = max(width, header_width(header))
            fitted = fit and header not in hidden and header not in wrap and i < _MAX_FITTED
            dims.width = _placeholder(i) if fitted else width
            if header in hidden:
                dims.hidden = True
            self._fit.append(fitted)
            self._formats.append({fmt})
            self._text_len.append(0)
            self._high.append(0.0)
            self._low.append(0.0)
            align = (header in wrap, True) if wrap else (False, False)
            # Text just right of a number column starts a space in, so '8%' and 'Yes' part.
            indent = fmt is None and i > 1 and formats[i - 2] is not None
            self._letters.append(get_column_letter(i))
            self._column_looks.append((fmt, align[0], align[1], indent))
            self._column_styles.append(
                self._style_id(fmt, wrap=align[0], top=align[1], indent=indent)
            )
            # A number's header sits over it, on the right, as Excel aligns numbers.
            self._header_styles.append(
                self._style_id(None, bold=True, wrap=True, right=fmt is not None, indent=indent)
            )
            self.widths.append(width)
        self.wrapped = [h in wrap for h in headers]
        self.freeze_panes = "A2"
        lines = max(
            (wrapped_lines(h, w) for h, w in zip(headers, self.widths, strict=True)), default=1
        )
        if lines > 1:
            self.row_dimensions[1].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)
        fit_to_page_width(self)
        self._write(self._header_styles, self.headers)
        self._text_len[:] = [0] * len(self.headers)  # headers wrap: only values set widths

    def _style_id(
        self,
        fmt: str | None,
        *,
        bold: bool = False,
        wrap: bool = False,
        top: bool = False,
        right: bool = False,
        indent: bool = False,
        muted: bool = False,
    ) -> str | None:
        if fmt is None and not bold and not wrap and not top and not indent and not muted:
            return None
        cell = WriteOnlyCell(self)
        if fmt:
            cell.number_format = fmt
        if bold or muted:
            cell.font = Font(bold=bold, italic=muted, color=MUTED_COLOUR if muted else None)
        if wrap or top or indent:
            cell.alignment = Alignment(
                wrap_text=wrap,
                vertical="top" if wrap or top else None,
                horizontal="right" if right else ("left" if indent else None),
                indent=1 if indent else 0,
            )
        return str(cell.style_id)

    def add_row(
        self,
        values: Sequence[Any],
        formats: dict[int, str | None] | None = None,
        *,
        muted: bool = False,
    ) -> None:
        """Append one row; `formats` overrides the column format of some cells (0-based);
        a `muted` row is grey italic (an answer that no longer applies).

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
        styles = self._column_styles
        if formats:
            styles = list(styles)
            top = any(self.wrapped)
            for index, fmt in formats.items():
                self._formats[index].add(fmt)
                wrap = top and self.wrapped[index]
                if (fmt, wrap) not in self._styles:
                    self._styles[(fmt, wrap)] = self._style_id(fmt, wrap=wrap, top=top)
                styles[index] = self._styles[(fmt, wrap)]
        if muted:
            styles = [self._muted_style(i, (formats or {})) for i in range(len(styles))]
        self._write(styles, values)
        self.rows_written += 1

    def _muted_style(self, index: int, formats: dict[int, str | None]) -> str | None:
        """Column `index`'s look (or its overriding format) in grey italic, made once."""
        fmt, wrap, top, indent = self._column_looks[index]
        if index in formats:
            fmt, indent = formats[index], False
        key = (fmt, wrap, top, indent)
        if key not in self._muted:
            self._muted[key] = self._style_id(fmt, wrap=wrap, top=top, indent=indent, muted=True)
        return self._muted[key]

    def _write(self, styles: list[str | None], values: Sequence[Any]) -> None:
        self._row_styles = styles
        self.append(values)

    def _get_writer(self) -> None:
        super()._get_writer()
        self._writer.write_row = self._write_row  # rows go straight to XML (see the docstring)

    def _values_to_row(self, values: Sequence[Any], row_idx: int) -> Sequence[Any]:
        return values

    def _write_row(self, xf: Any, values: Sequence[Any], row_idx: int) -> None:
        """One <row>: strings as inline text (never formulas), numbers with every digit."""
        r = str(row_idx)
        attrs = {"r": r}
        if row_idx in self.row_dimensions:
            attrs.update(self.row_dimensions[row_idx])
        row = Element("row", attrs)
        epoch = self.parent.epoch
        text_len, high, low = self._text_len, self._high, self._low
        for i, (letter, style, value) in enumerate(
            zip(self._letters, self._row_styles, values, strict=False)
        ):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                cell = SubElement(row, "c", r=letter + r, t="inlineStr")
                text = SubElement(SubElement(cell, "is"), "t")
                if value != value.strip():
                    text.set(XML_SPACE, "preserve")
                text.text = value
                if len(value) > text_len[i]:
                    text_len[i] = len(value)
            else:
                cell = SubElement(row, "c", r=letter + r, t="n")
                if isinstance(value, date):
                    value = to_excel(value, epoch)
                if value > high[i]:
                    high[i] = value
                elif value < low[i]:
                    low[i] = value
                # openpyxl would write "%.16g", dropping a float's 17th digit and rounding
                # big integers; repr keeps every digit.
                SubElement(cell, "v").text = repr(value)
            if style is not None:
                cell.set("s", style)
        xf.write(row)

    def close(self) -> None:
        """Finish the sheet's XML, then put the fitted widths over the placeholders."""
        super().close()
        if self.rows_written < 1 or not any(self._fit):  # the header row only: starting widths
            widths = {i: self.widths[i - 1] for i, f in enumerate(self._fit, 1) if f}
        else:
            widths = {
                i: fitted_width(
                    self.widths[i - 1],
                    self._text_len[i - 1],
                    (self._high[i - 1], self._low[i - 1]),
                    self._formats[i - 1],
                )
                for i, fitted in enumerate(self._fit, 1)
                if fitted
            }
        self.fitted_widths = widths
        if widths:
            _overwrite_widths(self._writer.out, widths)

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


_MAX_FITTED = 1000  # columns beyond this keep their starting width (placeholders 100.001-100.999)


def _placeholder(index: int) -> float:
    """A width no real column has, naming its column, overwritten on close."""
    return 100 + index / 1000


_COLS = re.compile(rb"<cols>.*?</cols>", re.DOTALL)


def _overwrite_widths(path: str, widths: dict[int, float]) -> None:
    """Replace each placeholder width in the sheet XML's <cols> with its fitted width.

    The new text has exactly the placeholder's length, so the file is changed in place.
    """
    with open(path, "r+b") as file:
        head = file.read(1 << 16)
        found = _COLS.search(head)
        if found is None:
            return
        cols = found.group(0)
        for index, width in widths.items():
            old = f'width="{_placeholder(index):.16g}"'.encode()
            size = len(old) - len('width=""')
            whole = len(str(int(width)))
            new = f'width="{width:.{size - whole - 1}f}"'.encode()
            if len(new) == len(old):
                cols = cols.replace(old, new, 1)
        file.seek(found.start())
        file.write(cols)


def add_streaming_sheet(workbook: Workbook, title: str) -> StreamingSheet:
    """A new StreamingSheet at the end of a write-only workbook."""
    sheet = StreamingSheet(workbook, title)
    workbook._sheets.append(sheet)
    return sheet


def discard(workbook: Workbook) -> None:
    """Close and delete the temporary files of an abandoned write-only workbook."""
    if not hasattr(workbook, "_sheets"):
        return  # an OdsBook (exporters/ods_book.py) keeps its rows in memory
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


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a bold header takes wrapped between words in a column this wide."""
    per_line = max(1, int(width) - 1)  # bold characters are about a digit wide
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size > per_line:
            lines, used = lines + 1, 0
        used = size if not used else used + 1 + size
        lines += (size - 1) // per_line  # a word longer than the line breaks inside it
    return lines


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
