"""The app's own .ods workbooks read back through the same calls as openpyxl's read-only
workbooks (sheetnames, book[name].iter_rows), so importers/own_workbook.py reads an .ods
export exactly as it reads the .xlsx one.

content.xml is parsed with lxml without entities, DTDs or network; numbers come back as
written (an integer as int, a float with every digit), dates as dates, text with its spaces,
tabs and line breaks. Repeated rows and cells (what LibreOffice writes after an edit) are
expanded, with trailing empty ones dropped, so a re-saved file cannot make millions of rows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from importers.file_guards import inspect_file
from importers.sheet_extent import MAX_SPACES
from importers.source_table import ImportFileError

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_CONTENT = 512 * 1024 * 1024  # content.xml larger than this is refused, not parsed
MAX_REPEAT = 10_000  # more repeated empty rows or cells than this are the sheet's blank end


class OdsError(ValueError):
    """The file is not a readable OpenDocument spreadsheet; the message says why."""


def is_ods_file(path: Path) -> bool:
    """Whether the file is an ODS package (by its mimetype member, not its name)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").strip() == ODS_MIMETYPE
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


class _Cell:
    """A cell as openpyxl's read-only cells give it: a value and a number format."""

    __slots__ = ("number_format", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.number_format = "General"


class OdsSheet:
    """One sheet's rows, as tuples of values."""

    def __init__(self, title: str, rows: list[tuple[Any, ...]]) -> None:
        self.title = title
        self.rows = rows

    def iter_rows(
        self, max_row: int | None = None, values_only: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        rows = self.rows if max_row is None else self.rows[:max_row]
        for row in rows:
            yield row if values_only else tuple(_Cell(v) for v in row)


class OdsWorkbook:
    """Every sheet of an .ods file, read at once (the app's exports are read whole anyway)."""

    def __init__(self, path: Path) -> None:
        self.sheets = read_sheets(path)

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def __getitem__(self, name: str) -> OdsSheet:
        return self.sheets[name]

    def __contains__(self, name: object) -> bool:
        return name in self.sheets

    def close(self) -> None:
        """Nothing is held open (as openpyxl's read-only workbook needs closing)."""


def read_sheets(path: Path) -> dict[str, OdsSheet]:
    """Each table of the spreadsheet's content.xml, by name, in order."""
    try:  # the import guards first: repeats and runs of spaces are sized before expanding
        inspect_file(path)
    except ImportFileError as exc:
        raise OdsError(str(exc)) from None
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.read("mimetype").strip() != ODS_MIMETYPE:
                raise OdsError(f"{path.name} is not an OpenDocument spreadsheet (.ods).")
            info = archive.getinfo("content.xml")
            if info.file_size > MAX_CONTENT:
                raise OdsError(f"{path.name} is too large to read ({info.file_size:,} bytes).")
            with archive.open(info) as content:
                return _parse(content)
    except KeyError as exc:
        raise OdsError(f"{path.name} is not an OpenDocument spreadsheet ({exc}).") from None
    except zipfile.BadZipFile as exc:
        raise OdsError(f"{path.name} is damaged ({exc}).") from None
    except etree.XMLSyntaxError as exc:
        raise OdsError(f"{path.name} is damaged: its content.xml is not XML ({exc}).") from None


def _parse(content: Any) -> dict[str, OdsSheet]:
    sheets: dict[str, OdsSheet] = {}
    events = etree.iterparse(
        content,
        events=("end",),
        tag=f"{{{TABLE}}}table",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
    for _event, table in events:
        name = table.get(f"{{{TABLE}}}name", "")
        sheets[name] = OdsSheet(name, _rows(table))
        table.clear()
    return sheets


def _rows(table: Any) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    pending_blank = 0
    for row in table.iter(f"{{{TABLE}}}table-row"):
        repeat = int(row.get(f"{{{TABLE}}}number-rows-repeated", "1"))
        values = _cells(row)
        if not any(v is not None for v in values):
            pending_blank += min(repeat, MAX_REPEAT)
            continue
        rows.extend([()] * pending_blank)
        pending_blank = 0
        rows.extend([values] * min(repeat, MAX_REPEAT))
    return rows


def _cells(row: Any) -> tuple[Any, ...]:
    values: list[Any] = []
    pending_blank = 0
    for cell in row:
        tag = etree.QName(cell).localname
        if tag not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
        value = _value(cell) if tag == "table-cell" else None
        if value is None:
            pending_blank += min(repeat, MAX_REPEAT)
            continue
        values.extend([None] * pending_blank)
        pending_blank = 0
        values.extend([value] * min(repeat, MAX_REPEAT))
    return tuple(values)


def _value(cell: Any) -> Any:
    kind = cell.get(f"{{{OFFICE}}}value-type")
    if kind is None:
        return None
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(f"{{{OFFICE}}}value", "")
        try:  # as openpyxl reads an .xlsx number: an integer unless it has a point or exponent
            return float(raw) if any(c in raw for c in ".eEnN") else int(raw)
        except ValueError:
            return _text(cell) or None
    if kind == "date":
        raw = cell.get(f"{{{OFFICE}}}date-value", "")
        try:
            return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            return raw or None
    if kind == "boolean":
        return cell.get(f"{{{OFFICE}}}boolean-value", "") == "true"
    if kind == "string" and cell.get(f"{{{OFFICE}}}string-value") is not None:
        return cell.get(f"{{{OFFICE}}}string-value")
    return _text(cell)


def _text(cell: Any) -> str:
    """The cell's paragraphs as lines, with <text:s>, <text:tab> and line breaks expanded."""
    lines = []
    for paragraph in cell.iterchildren(f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
        lines.append(_inline(paragraph))
    return "\n".join(lines)


def _inline(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "s":
            count = child.get(f"{{{TEXT}}}c", "1")  # the guard refused longer runs
            parts.append(" " * min(int(count) if count.isdigit() else 1, MAX_SPACES))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag in ("span", "a", "p"):
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
