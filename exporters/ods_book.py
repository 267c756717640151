"""The app's workbooks as OpenDocument spreadsheets (.ods), written with odfpy.

`OdsBook` and `OdsSheet` take exactly the calls the XLSX writer makes on its streaming
openpyxl sheets (setup with headers, Excel number formats, widths, hidden and wrapped
columns; add_row with per-cell formats; add_table; sheet_state), so the export's layout and
cell codec (exporters/audit_workbook.py, exporters/cells.py) are defined once and written
twice. Excel number formats are translated to ODF data styles (ods_formats.py); column
widths are fitted to the values as in the XLSX; the metadata sheet is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from odf.config import (
    ConfigItem,
    ConfigItemMapEntry,
    ConfigItemMapIndexed,
    ConfigItemMapNamed,
    ConfigItemSet,
)
from odf.element import Text as OdfText
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import (
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import (
    DatabaseRange,
    DatabaseRanges,
    Table,
    TableCell,
    TableColumn,
    TableHeaderRows,
    TableRow,
)
from odf.text import P, S, Tab

from exporters.ods_formats import DataStyles
from exporters.widths import fitted_width, header_width

CM_PER_UNIT = 0.2  # an Excel character unit (a digit in the default font), in centimetres
ODS_SUFFIX = ".ods"


def is_ods(path: Path | str) -> bool:
    """Whether a workbook at `path` is written as OpenDocument (named .ods) or as .xlsx."""
    return Path(path).suffix.lower() == ODS_SUFFIX


class OdsSheet:
    """One sheet's columns and rows, kept until the book is saved."""

    def __init__(self, book: OdsBook, title: str) -> None:
        self.book, self.title = book, title
        self.headers: list[str] = []
        self.formats: list[str | None] = []
        self.widths: list[float] = []
        self.hidden: list[bool] = []
        self.wrapped: list[bool] = []
        self.rows: list[tuple[Sequence[Any], dict[int, str | None] | None]] = []
        self.muted: set[int] = set()  # indexes of grey rows (answers that do not apply)
        self.table_name = ""
        self.sheet_state = "visible"
        self.rows_written = 0

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
        """The columns, as StreamingSheet.setup takes them."""
        self.headers = list(headers)
        self.formats = list(formats)
        self.widths = [max(w, header_width(h)) for h, w in zip(headers, widths, strict=True)]
        self.hidden = [h in hidden for h in headers]
        self.wrapped = [h in wrap for h in headers]
        self.fit = fit

    def add_row(
        self,
        values: Sequence[Any],
        formats: dict[int, str | None] | None = None,
        *,
        muted: bool = False,
    ) -> None:
        """Append one row; `formats` overrides the column format of some cells (0-based);
        a `muted` row is grey italic, as StreamingSheet writes it."""
        if muted:
            self.muted.add(len(self.rows))
        self.rows.append((list(values), formats))
        self.rows_written += 1

    def add_table(self, name: str, style: str = "") -> None:
        """Filter buttons over the header and rows (a database range, as LibreOffice makes)."""
        self.table_name = name

    # ------------------------------------------------------------------ writing
    def column_widths(self) -> list[float]:
        """Each column widened to its widest text or formatted number (as the XLSX)."""
        count = len(self.headers)
        text_len = [0] * count
        high = [0.0] * count
        low = [0.0] * count
        used: list[set[str | None]] = [{f} for f in self.formats]
        for values, formats in self.rows:
            for i, value in enumerate(values[:count]):
                if isinstance(value, str):
                    text_len[i] = max(text_len[i], len(value))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    high[i], low[i] = max(high[i], value), min(low[i], value)
            for i, fmt in (formats or {}).items():
                used[i].add(fmt)
        return [
            fitted_width(self.widths[i], text_len[i], (high[i], low[i]), used[i])
            if self.fit and not self.hidden[i] and not self.wrapped[i] and self.rows
            else self.widths[i]
            for i in range(count)
        ]

    def element(self, styles: _Styles) -> Table:
        table = Table(
            name=self.title,
            stylename=styles.hidden_table if self.sheet_state != "visible" else styles.table,
        )
        for width, hidden in zip(self.column_widths(), self.hidden, strict=True):
            column = TableColumn(stylename=styles.column(width))
            if hidden:
                column.setAttribute("visibility", "collapse")
            table.addElement(column)
        head = TableRow()
        for index, header in enumerate(self.headers):
            cell = TableCell(valuetype="string", stylename=styles.header(self.formats[index]))
            _text(cell, header)
            head.addElement(cell)
        header_rows = TableHeaderRows()  # repeated at the top of every printed page
        header_rows.addElement(head)
        table.addElement(header_rows)
        column_styles = [
            styles.cell(fmt, wrap=wrapped, top=any(self.wrapped))
            for fmt, wrapped in zip(self.formats, self.wrapped, strict=True)
        ]
        for number, (values, formats) in enumerate(self.rows):
            row = TableRow()
            muted = number in self.muted
            for index, value in enumerate(values):
                style = column_styles[index] if index < len(column_styles) else None
                if (formats and index in formats) or muted:
                    wrapped = index < len(self.wrapped) and self.wrapped[index]
                    if formats and index in formats:
                        fmt = formats[index]
                    else:
                        fmt = self.formats[index] if index < len(self.formats) else None
                    style = styles.cell(fmt, wrap=wrapped, top=any(self.wrapped), muted=muted)
                row.addElement(_cell(value, style))
            table.addElement(row)
        return table


class OdsBook:
    """A workbook of OdsSheets, written as one .ods file by `save`."""

    write_only = True  # as the openpyxl workbook the XLSX writer streams to

    def __init__(self) -> None:
        self.sheets: list[OdsSheet] = []

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    def add_sheet(self, title: str) -> OdsSheet:
        sheet = OdsSheet(self, title)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path | str) -> None:
        document = OpenDocumentSpreadsheet()
        styles = _Styles(document)
        ranges = DatabaseRanges()
        for sheet in self.sheets:
            document.spreadsheet.addElement(sheet.element(styles))
            if sheet.table_name:
                last = _column_letter(len(sheet.headers))
                quoted = "'" + sheet.title.replace("'", "''") + "'"
                target = f"{quoted}.A1:{quoted}.{last}{sheet.rows_written + 1}"
                ranges.addElement(
                    DatabaseRange(
                        name=sheet.table_name,
                        targetrangeaddress=target,
                        displayfilterbuttons="true",
                    )
                )
        if ranges.childNodes:
            document.spreadsheet.addElement(ranges)
        document.settings.addElement(_view_settings(self.sheets))
        document.save(str(path))


def add_sheet(workbook: Any, title: str) -> Any:
    """A new sheet at the end of a write-only workbook: an OdsSheet or a StreamingSheet."""
    if isinstance(workbook, OdsBook):
        return workbook.add_sheet(title)
    from exporters.streaming_sheet import add_streaming_sheet

    return add_streaming_sheet(workbook, title)


# Row 1 frozen, as the .xlsx's freeze_panes "A2": LibreOffice's per-sheet view settings
# (settings.xml). VerticalSplitMode 2 is a frozen split between rows, at row
# VerticalSplitPosition; the bottom pane (ActiveSplitRange 2) scrolls from PositionBottom.
FROZEN_HEADER = (
    ("CursorPositionX", "int", "0"),
    ("CursorPositionY", "int", "1"),
    ("HorizontalSplitMode", "short", "0"),
    ("VerticalSplitMode", "short", "2"),
    ("HorizontalSplitPosition", "int", "0"),
    ("VerticalSplitPosition", "int", "1"),
    ("ActiveSplitRange", "short", "2"),
    ("PositionLeft", "int", "0"),
    ("PositionRight", "int", "0"),
    ("PositionTop", "int", "0"),
    ("PositionBottom", "int", "1"),
)


def _view_settings(sheets: Sequence[OdsSheet]) -> ConfigItemSet:
    """The view settings: each sheet with a header row has it frozen; the first shown
    sheet is the one the file opens on."""
    tables = ConfigItemMapNamed(name="Tables")
    for sheet in sheets:
        if sheet.headers:
            entry = ConfigItemMapEntry(name=sheet.title)
            for name, kind, value in FROZEN_HEADER:
                entry.addElement(_item(name, kind, value))
            tables.addElement(entry)
    view = ConfigItemMapEntry()
    view.addElement(_item("ViewId", "string", "view1"))
    view.addElement(tables)
    shown = [s.title for s in sheets if s.sheet_state == "visible"]
    if shown:
        view.addElement(_item("ActiveTable", "string", shown[0]))
    views = ConfigItemMapIndexed(name="Views")
    views.addElement(view)
    settings = ConfigItemSet(name="ooo:view-settings")
    settings.addElement(views)
    return settings


def _item(name: str, kind: str, value: str) -> ConfigItem:
    item = ConfigItem(name=name, type=kind)
    item.addText(value)
    return item


class _Styles:
    """Automatic styles, made once each: columns by width, cells by format and alignment."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.data = DataStyles(document)
        self._made: dict[Any, str] = {}
        # printed as the .xlsx is: landscape A4, one page wide
        layout = PageLayout(name="Landscape")
        layout.addElement(
            PageLayoutProperties(
                printorientation="landscape",
                pagewidth="29.7cm",
                pageheight="21cm",
                scaletox="1",
                scaletoy="0",
            )
        )
        document.automaticstyles.addElement(layout)
        document.masterstyles.addElement(MasterPage(name="Sheets", pagelayoutname=layout))
        shown = Style(name="TableShown", family="table", masterpagename="Sheets")
        shown.addElement(TableProperties(display="true"))
        hidden = Style(name="TableHidden", family="table", masterpagename="Sheets")
        hidden.addElement(TableProperties(display="false"))
        document.automaticstyles.addElement(shown)
        document.automaticstyles.addElement(hidden)
        self.table, self.hidden_table = "TableShown", "TableHidden"

    def column(self, width: float) -> str:
        key = ("column", round(width, 1))
        if key not in self._made:
            name = f"co{len(self._made)}"
            style = Style(name=name, family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width * CM_PER_UNIT:.3f}cm"))
            self.document.automaticstyles.addElement(style)
            self._made[key] = name
        return self._made[key]

    def header(self, fmt: str | None) -> str:
        key = ("header", fmt is not None)
        if key not in self._made:
            name = f"ce{len(self._made)}"
            style = Style(name=name, family="table-cell")
            style.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
            style.addElement(TextProperties(fontweight="bold"))
            if fmt is not None:  # a number's header sits over it, on the right
                style.addElement(ParagraphProperties(textalign="end"))
            self.document.automaticstyles.addElement(style)
            self._made[key] = name
        return self._made[key]

    def cell(self, fmt: str | None, *, wrap: bool, top: bool, muted: bool = False) -> str | None:
        key = ("cell", fmt, wrap, top, muted)
        if fmt is None and not wrap and not top and not muted:
            return None
        if key not in self._made:
            name = f"ce{len(self._made)}"
            attrs: dict[str, str] = {"family": "table-cell", "name": name}
            if fmt is not None and fmt != "General":
                attrs["datastylename"] = self.data.style(fmt)
            style = Style(**attrs)
            if wrap or top:
                props = {"verticalalign": "top"}
                if wrap:
                    props["wrapoption"] = "wrap"
                style.addElement(TableCellProperties(**props))
            if muted:
                style.addElement(TextProperties(color="#808080", fontstyle="italic"))
            self.document.automaticstyles.addElement(style)
            self._made[key] = name
        return self._made[key]


def _cell(value: Any, style: str | None) -> TableCell:
    attrs: dict[str, Any] = {}
    if style is not None:
        attrs["stylename"] = style
    if value is None or value == "":
        return TableCell(**attrs)
    if isinstance(value, str):
        cell = TableCell(valuetype="string", **attrs)
        _text(cell, value)
        return cell
    if isinstance(value, bool):
        return TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attrs)
    if isinstance(value, datetime):
        return TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
    if isinstance(value, date):
        return TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
    # repr keeps every digit of a float, and an integer as an integer ("12", not "12.0")
    return TableCell(valuetype="float", value=repr(value), **attrs)


def _text(cell: TableCell, text: str) -> None:
    """The text as one paragraph per line, runs of spaces and tabs kept (ODF collapses
    plain whitespace); a carriage return is written as OOXML's _x000D_, which the reader
    (exporters/cells.unescape_text) turns back into one, as for .xlsx."""
    for line in text.replace("\r", "_x000D_").split("\n"):
        paragraph = P()
        _runs(paragraph, line)
        cell.addElement(paragraph)


class _Kept(OdfText):  # type: ignore[misc]
    """Text written as given, escaped: odfpy's own turns characters XML merely discourages
    (U+007F-U+009F, U+1FFFE…) into U+FFFD; the cell codec has already escaped the ones XML
    cannot carry at all."""

    def toXml(self, level: int, f: Any) -> None:
        if self.data:
            f.write(escape(self.data))


def _runs(paragraph: P, line: str) -> None:
    buffer: list[str] = []
    index = 0

    def flush() -> None:
        if buffer:
            paragraph.appendChild(_Kept("".join(buffer)))
            buffer.clear()

    while index < len(line):
        char = line[index]
        if char == "\t":
            flush()
            paragraph.addElement(Tab())
            index += 1
            continue
        if char == " ":
            run = index
            while run < len(line) and line[run] == " ":
                run += 1
            count = run - index
            leading = index == 0 or run == len(line)
            if count == 1 and not leading:
                buffer.append(" ")
            else:  # ODF keeps one plain space between words; more need <text:s/>
                if not leading:
                    buffer.append(" ")
                    count -= 1
                flush()
                paragraph.addElement(S(c=count) if count > 1 else S())
            index = run
            continue
        buffer.append(char)
        index += 1
    flush()


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
