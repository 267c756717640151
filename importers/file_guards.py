"""Finds a foreign file's real kind and refuses hostile or unreadable ones before any parser."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from defusedxml import ElementTree as SafeET

from importers.csv_guard import (
    MAX_TEXT_LINE,
    TEXT_CHUNK,
    check_text_shape,
    looks_like_text,
    utf16_without_bom,
)
from importers.guard_common import MAX_CELLS, PASSWORD_MESSAGE, FileCheck
from importers.guard_common import mb as _mb
from importers.ole_guard import (
    OLE_DAMAGED,
    XLS_MAX_COLUMNS,
    XLS_MAX_ROWS,
    check_ole,
    ole_stream_names,
)
from importers.sheet_extent import scan_ods_content
from importers.source_table import ImportFileError

__all__ = [
    "MAX_CELLS",
    "MAX_ROWS",
    "MAX_TEXT_LINE",
    "OLE_DAMAGED",
    "PASSWORD_MESSAGE",
    "TEXT_CHUNK",
    "XLS_MAX_COLUMNS",
    "XLS_MAX_ROWS",
    "FileCheck",
    "check_file",
    "check_text_shape",
    "column_number",
    "inspect_file",
    "ole_stream_names",
    "refuse_grid",
    "utf16_without_bom",
    "xlsx_sheet_parts",
]

MAX_ROWS = 250_000  # data rows accepted from one sheet
MAX_SPREADSHEET_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL = 1024 * 1024 * 1024  # declared uncompressed bytes, all entries together
MAX_ZIP_ENTRY = 512 * 1024 * 1024  # declared uncompressed bytes, one entry
MAX_ZIP_RATIO = 100  # compression ratio refused above this ...
RATIO_FLOOR = 10 * 1024 * 1024  # ... for entries that expand beyond this
MAX_UNDIMENSIONED_SHEET = 400 * 1024 * 1024  # worksheet XML with no <dimension>; ODS content.xml
XML_HEAD = 64 * 1024  # bytes of each XML part read for entity declarations
TEXT_SNIFF = 64 * 1024

SPREADSHEET_KINDS = ("xlsx", "xlsm", "xls", "ods")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt", ".tab")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

ENTITY_MESSAGE = (
    "contains an XML entity declaration (a possible entity-expansion attack); "
    "Excel never writes one"
)

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"\$?([A-Za-z]*)\$?(\d+)(?::\$?([A-Za-z]*)\$?(\d+))?\""
)
_ROOT_TAG = re.compile(rb"<[A-Za-z_]")
_UNIQUE_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\suniqueCount\s*=\s*[\"']\s*(\d+)")
SMALLEST_STRING = 5  # bytes of the shortest shared string, <si/>


def check_file(path: Path) -> str:
    """The file's real kind from its bytes; ImportFileError for anything unsafe or unreadable."""
    return inspect_file(path).kind


def inspect_file(path: Path) -> FileCheck:
    """Like check_file, with the warnings and declared sheet sizes found on the way."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(path, "the file does not exist (was it moved or renamed?)")
    special = _special_kind(path)
    if special:
        raise ImportFileError(path, f"is {special}, not a file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(TEXT_SNIFF)
    except OSError as exc:
        raise ImportFileError(path, f"cannot be opened: {exc.strerror or exc}") from None
    if size == 0:
        raise ImportFileError(path, "the file is empty")
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGICS) or head.startswith(OLE_MAGIC):
        if size > MAX_SPREADSHEET_BYTES:
            raise ImportFileError(
                path,
                f"is {_mb(size)}; Baseline reads spreadsheets up to "
                f"{_mb(MAX_SPREADSHEET_BYTES)} — split the file",
            )
        if head.startswith(OLE_MAGIC):
            return check_ole(path, suffix)
        return _check_zip(path, suffix, size)
    refusal = _foreign_format(head)
    if refusal:
        raise ImportFileError(path, refusal)
    if looks_like_text(head):
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            what = "an OpenDocument spreadsheet" if suffix == ".ods" else "an Excel workbook"
            raise ImportFileError(
                path, f"is plain text, not {what}; if it is CSV, import it as .csv"
            )
        check_text_shape(path)
        return FileCheck("csv")
    if suffix in TEXT_EXTENSIONS:
        raise ImportFileError(path, "is not a text file (it is full of binary bytes), so not a CSV")
    raise ImportFileError(
        path, "is not a spreadsheet or a text file: its first bytes match no format Baseline reads"
    )


def _special_kind(path: Path) -> str:
    """What a path is when it is not a regular file ("a folder", "a named pipe (FIFO)"), else ""."""
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _foreign_format(head: bytes) -> str | None:
    """Why a well-known non-spreadsheet (or unreadable spreadsheet) format is refused."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"%pdf"):
        return "is a PDF document, not a spreadsheet"
    if start.startswith((b"<!doctype html", b"<html", b"<table")):
        return "is a web page (HTML) with a spreadsheet name; open it in Excel and save it as .xlsx"
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx"
    if start.startswith((b"{\\rtf",)):
        return "is a Word (RTF) document, not a spreadsheet"
    return None


# --- zip containers: .xlsx, .xlsm, .ods --------------------------------------------------------


def _check_zip(path: Path, suffix: str, size: int) -> FileCheck:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_zip_sizes(path, infos, size)
            names = {info.filename for info in infos}
            kind = _zip_kind(path, archive, names, suffix)
            heads = _check_xml_parts(path, archive, infos)
            check = FileCheck(kind)
            if kind in ("xlsx", "xlsm"):
                _check_shared_strings(path, infos, heads)
                _check_worksheets(path, archive, heads, check)
            else:
                content = archive.getinfo("content.xml") if "content.xml" in names else None
                if content is not None and content.file_size > MAX_UNDIMENSIONED_SHEET:
                    raise ImportFileError(
                        path,
                        f"its sheets would expand to {_mb(content.file_size)} of XML; Baseline "
                        f"imports at most {MAX_ROWS:,} rows from one sheet — split the file",
                    )
                if content is not None:
                    _check_ods_sheets(path, archive, content, check)
            return check
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise ImportFileError(
            path, f"is damaged or incomplete (the zip container cannot be read): {exc}"
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ImportFileError(
            path, f"is damaged or uses a zip feature Baseline cannot read: {exc}"
        ) from None
    except RuntimeError as exc:  # zipfile's "File … is encrypted, password required"
        raise ImportFileError(
            path, f"has parts marked as encrypted, or is damaged, and cannot be read: {exc}"
        ) from None


def _check_zip_sizes(path: Path, infos: list[zipfile.ZipInfo], size: int) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError(
            path,
            f"holds {len(infos):,} zip entries (a workbook has a few dozen); "
            "refused as a likely zip bomb",
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_TOTAL:
        raise ImportFileError(
            path, f"would expand to {_mb(total)} from {_mb(size)}; refused as a likely zip bomb"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ZIP_ENTRY or (
            info.file_size > RATIO_FLOOR and ratio > MAX_ZIP_RATIO
        ):
            raise ImportFileError(
                path,
                f"would expand to {_mb(info.file_size)} in {info.filename!r} "
                f"({ratio:,.0f} times its stored size); refused as a likely zip bomb",
            )
        if info.compress_size > size:
            raise ImportFileError(
                path, "is damaged or incomplete (the zip container's sizes do not add up)"
            )


def _zip_kind(path: Path, archive: zipfile.ZipFile, names: set[str], suffix: str) -> str:
    if "mimetype" in names:
        mimetype = archive.open("mimetype").read(200).strip()
        if mimetype == ODS_MIMETYPE:
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            raise ImportFileError(path, "is an OpenDocument text document, not a spreadsheet")
        raise ImportFileError(path, "is an OpenDocument file, not a spreadsheet")
    if "xl/workbook.bin" in names:
        raise ImportFileError(
            path, "is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx"
        )
    if "xl/workbook.xml" in names:
        types = b""
        if "[Content_Types].xml" in names:
            with archive.open("[Content_Types].xml") as part:
                types = part.read(XML_HEAD)
        if suffix == ".xlsm" or b"macroEnabled.main" in types:
            return "xlsm"
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        raise ImportFileError(path, "is a Word document, not a spreadsheet")
    if any(name.startswith("ppt/") for name in names):
        raise ImportFileError(path, "is a PowerPoint presentation, not a spreadsheet")
    if "[Content_Types].xml" in names:
        raise ImportFileError(path, "is damaged or incomplete: it holds no workbook")
    raise ImportFileError(path, "is a zip archive, not a spreadsheet; unzip it first")


def _check_xml_parts(
    path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> dict[str, bytes]:
    """Reads the first 64 KiB of every XML part; refuses DTDs. Returns each part's head."""
    heads: dict[str, bytes] = {}
    for info in infos:
        name = info.filename.lower()
        if info.is_dir() or not name.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            head = part.read(XML_HEAD)
        text = head
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head[:512]):
            encoding = utf16_without_bom(head[:512]) or "utf-16"
            text = head.decode(encoding, "replace").encode("utf-8", "replace")
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            raise ImportFileError(path, f"{ENTITY_MESSAGE} (in {info.filename})")
        if info.file_size > XML_HEAD and not _ROOT_TAG.search(text):
            raise ImportFileError(
                path,
                f"{info.filename} starts with over 64 KiB of XML preamble; Excel never writes "
                "that (refused as a possible entity-expansion attack)",
            )
        heads[info.filename] = text
    return heads


def column_number(letters: bytes | str) -> int:
    """1-based column number for spreadsheet letters: A -> 1, XFD -> 16384; 0 for none."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


def refuse_grid(path: Path, sheet: str, rows: int, columns: int) -> None:
    """Refuses a sheet whose grid (rows x columns, empty cells included) is too big to hold."""
    if rows * columns > MAX_CELLS:
        raise ImportFileError(
            path,
            f"spans {rows:,} rows by {columns:,} columns ({rows * columns:,} cells, blanks "
            f"included); Baseline reads at most {MAX_CELLS:,} cells from one sheet — delete "
            "the unused rows and columns or split the file",
            sheet=sheet,
        )


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for each sheet of an xlsx, in workbook order."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_name in archive.namelist():
        for rel in SafeET.fromstring(archive.read(rels_name)):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = _normalise_member(target)
    parts = []
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
        parts.append((element.get("name", ""), targets.get(rel_id, "")))
    return parts


def _normalise_member(target: str) -> str:
    out: list[str] = []
    for piece in target.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _check_worksheets(
    path: Path, archive: zipfile.ZipFile, heads: dict[str, bytes], check: FileCheck
) -> None:
    try:
        parts = xlsx_sheet_parts(archive)
    except Exception as exc:  # defusedxml and ElementTree raise several kinds for bad XML
        raise ImportFileError(
            path, f"is damaged: its list of sheets cannot be read ({type(exc).__name__})"
        ) from None
    names = {info.filename: info for info in archive.infolist()}
    for sheet, member in parts:
        info = names.get(member)
        if info is None:
            continue
        match = _DIMENSION.search(heads.get(member, b""))
        if match:
            first = int(match.group(2))
            last = int(match.group(4) or match.group(2))
            if match.group(3) is not None and (
                first > last or column_number(match.group(1)) > column_number(match.group(3))
            ):
                raise ImportFileError(
                    path, "is damaged: the sheet's declared size runs backwards", sheet=sheet
                )
            check.sheet_rows[sheet] = last
            if last - first > MAX_ROWS:
                raise ImportFileError(
                    path,
                    f"has about {last:,} rows; Baseline imports at most "
                    f"{MAX_ROWS:,} rows from one sheet — split the file",
                    sheet=sheet,
                )
            columns = column_number(match.group(3) or match.group(1)) or 1
            refuse_grid(path, sheet, last, columns)
        elif info.file_size > MAX_UNDIMENSIONED_SHEET:
            raise ImportFileError(
                path,
                f"would expand to {_mb(info.file_size)} of XML and does not say "
                f"how many rows it has; Baseline imports at most {MAX_ROWS:,} rows from one "
                "sheet — split the file",
                sheet=sheet,
            )


def _check_ods_sheets(
    path: Path, archive: zipfile.ZipFile, content: zipfile.ZipInfo, check: FileCheck
) -> None:
    """Refuses an .ods sheet whose repeated rows and cells expand past what Baseline holds."""
    with archive.open(content) as stream:
        extents = scan_ods_content(path, stream, None)
    for sheet, rows, columns in extents:
        check.sheet_rows[sheet] = rows
        if rows - 1 > MAX_ROWS:
            raise ImportFileError(
                path,
                f"has about {rows:,} rows; Baseline imports at most "
                f"{MAX_ROWS:,} rows from one sheet — split the file",
                sheet=sheet,
            )
        refuse_grid(path, sheet, rows, columns)


def _check_shared_strings(
    path: Path, infos: list[zipfile.ZipInfo], heads: dict[str, bytes]
) -> None:
    """Refuses a shared-strings part declaring more strings than it can hold: calamine sets
    memory aside for the declared count before reading one (2,000,000,000 asks for 48 GB)."""
    for info in infos:
        found = _UNIQUE_COUNT.search(heads.get(info.filename, b""))
        if found is None:
            continue
        declared = int(found.group(1)) if len(found.group(1)) <= 12 else 10**12
        room = min(info.file_size // SMALLEST_STRING, MAX_CELLS)
        if declared > room:
            raise ImportFileError(
                path,
                f"is damaged: {info.filename} declares {declared:,} distinct strings, more "
                f"than its {info.file_size:,} bytes can hold; refused before reading it",
            )
