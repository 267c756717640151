"""Finds a foreign file's real kind and refuses hostile or unreadable ones before any parser."""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from defusedxml import ElementTree as SafeET

from importers.source_table import ImportFileError

MAX_ROWS = 250_000  # data rows accepted from one sheet
MAX_CELLS = 20_000_000  # rows x columns of one sheet: calamine holds the whole grid in memory
MAX_SPREADSHEET_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL = 1024 * 1024 * 1024  # declared uncompressed bytes, all entries together
MAX_ZIP_ENTRY = 512 * 1024 * 1024  # declared uncompressed bytes, one entry
MAX_ZIP_RATIO = 100  # compression ratio refused above this ...
RATIO_FLOOR = 10 * 1024 * 1024  # ... for entries that expand beyond this
MAX_UNDIMENSIONED_SHEET = 400 * 1024 * 1024  # worksheet XML with no <dimension>; ODS content.xml
XML_HEAD = 64 * 1024  # bytes of each XML part read for entity declarations
TEXT_SNIFF = 64 * 1024
TEXT_CHUNK = 1024 * 1024
MAX_TEXT_LINE = 4 * 1024 * 1024  # bytes in one line of a CSV: far beyond any real table row

SPREADSHEET_KINDS = ("xlsx", "xlsm", "xls", "ods")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt", ".tab")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

PASSWORD_MESSAGE = (
    "is password-protected: remove the password in Excel (File ▸ Info ▸ Protect Workbook) "
    "and import it again"
)
ENTITY_MESSAGE = (
    "contains an XML entity declaration (a possible entity-expansion attack); "
    "Excel never writes one"
)

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"\$?([A-Za-z]*)\$?(\d+)(?::\$?([A-Za-z]*)\$?(\d+))?\""
)
_ROOT_TAG = re.compile(rb"<[A-Za-z_]")
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"


@dataclass
class FileCheck:
    """What the guard found: the kind to read the file as, and anything worth telling the user."""

    kind: str
    warnings: list[str] = field(default_factory=list)
    sheet_rows: dict[str, int] = field(default_factory=dict)  # xlsx: rows each sheet declares


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
            return _check_ole(path, suffix)
        return _check_zip(path, suffix, size)
    refusal = _foreign_format(head)
    if refusal:
        raise ImportFileError(path, refusal)
    if _looks_like_text(head):
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


def check_text_shape(path: Path, chunk_size: int = TEXT_CHUNK) -> None:
    """Refuse a text file that would make more cells, or longer lines, than a sheet may hold.

    Counted in fixed chunks before any CSV parsing, so time and memory are bounded by the
    bytes read, not by how the parser would split them: a file of nothing but commas is
    refused after the first MAX_CELLS of them, not after holding all of them as cells.
    """
    separators = {b",": 0, b";": 0, b"\t": 0, b"|": 0}
    lines = 0
    run = 0  # bytes since the last line break, at chunk granularity
    read = 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            read += len(chunk)
            breaks = chunk.count(b"\n") or chunk.count(b"\r")
            lines += breaks
            last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
            if last < 0:
                run += len(chunk)
            else:
                first = max(chunk.find(b"\n"), chunk.find(b"\r"))
                if run + first > MAX_TEXT_LINE:
                    run += first
                else:
                    run = len(chunk) - last - 1
            if run > MAX_TEXT_LINE:
                raise ImportFileError(
                    path,
                    f"has a line of more than {_mb(MAX_TEXT_LINE)} (line {lines + 1:,}); no "
                    "table Baseline reads has rows that long, so it was not read further",
                )
            for sep in separators:
                separators[sep] += chunk.count(sep)
            cells = max(separators.values()) + lines
            if cells > MAX_CELLS:
                raise ImportFileError(
                    path,
                    f"holds more than {MAX_CELLS:,} cells in its first {_mb(read)}; Baseline "
                    f"reads at most {MAX_CELLS:,} cells from one sheet — split the file",
                )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


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


def _looks_like_text(head: bytes) -> bool:
    """True for bytes that read as text: UTF-16 (with or without a BOM) or few control bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if utf16_without_bom(head):
        return True
    # stray NULs are removed while reading (and reported), so judge the other bytes
    rest = head.replace(b"\x00", b"")
    if not rest:
        return False
    controls = len(rest) - len(rest.translate(None, _CONTROL_BYTES))
    return controls <= max(2, len(rest) // 20)


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit in every other byte, as in BOM-less UTF-16."""
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 4 or sample.count(0) < len(sample) // 3:
        return None
    if sample[1::2].count(0) >= len(sample) // 2 * 9 // 10 and 0 not in sample[0::2]:
        return "utf-16-le"
    if sample[0::2].count(0) >= len(sample) // 2 * 9 // 10 and 0 not in sample[1::2]:
        return "utf-16-be"
    return None


# --- OLE2 compound files: .xls, and encrypted OOXML --------------------------------------------


def _check_ole(path: Path, suffix: str) -> FileCheck:
    names = set(ole_stream_names(path))
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise ImportFileError(path, PASSWORD_MESSAGE)
    if "Workbook" in names or "Book" in names:
        check = FileCheck("xls")
        _check_xls_sheets(path, check)
        if suffix in (".xlsx", ".xlsm"):
            check.warnings.append(
                f"{path.name} is named {suffix} but is an older .xls workbook; read as .xls"
            )
        return check
    if "WordDocument" in names:
        raise ImportFileError(path, "is a Word document, not a spreadsheet")
    if "PowerPoint Document" in names:
        raise ImportFileError(path, "is a PowerPoint presentation, not a spreadsheet")
    raise ImportFileError(path, "is a Microsoft Office file but holds no Excel workbook")


OLE_DAMAGED = "is damaged or incomplete (its Office file structure cannot be read)"
XLS_MAX_ROWS, XLS_MAX_COLUMNS = 65_536, 256  # the .xls (BIFF8) grid


@dataclass
class OleEntry:
    """One storage or stream in a compound file's directory."""

    name: str
    start: int
    size: int


def ole_stream_names(path: Path) -> list[str]:
    """Names of every storage and stream in an OLE2 compound file, read from its directory."""
    return [entry.name for entry in _ole_directory(path)[0]]


def _ole_directory(path: Path) -> tuple[list[OleEntry], list[int], int]:
    """The directory entries, the sector allocation table and the sector size."""
    try:
        with path.open("rb") as handle:
            header = handle.read(512)
            if len(header) < 512:
                raise ImportFileError(path, OLE_DAMAGED)
            shift = struct.unpack_from("<H", header, 0x1E)[0]
            if shift not in (9, 12):
                raise ImportFileError(path, OLE_DAMAGED)
            sector_size = 1 << shift
            fat_count, first_dir = struct.unpack_from("<II", header, 0x2C)
            first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
            fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
            fat_sectors += _difat_chain(handle, sector_size, first_difat, difat_count)
            fat_sectors = fat_sectors[:fat_count] if fat_count else fat_sectors
            fat: list[int] = []
            for sector in fat_sectors[:4096]:
                block = _sector(handle, sector, sector_size)
                fat.extend(struct.unpack(f"<{sector_size // 4}I", block))
            entries: list[OleEntry] = []
            sector, seen = first_dir, set[int]()
            while sector < 0xFFFFFFFA and sector not in seen and len(seen) < 100_000:
                seen.add(sector)
                block = _sector(handle, sector, sector_size)
                for offset in range(0, sector_size, 128):
                    entry = block[offset : offset + 128]
                    length = struct.unpack_from("<H", entry, 64)[0]
                    kind = entry[66]
                    if kind in (1, 2, 5) and 2 <= length <= 64:
                        start, size = struct.unpack_from("<IQ", entry, 116)
                        name = entry[: length - 2].decode("utf-16-le", "replace")
                        entries.append(OleEntry(name, start, size))
                sector = fat[sector] if sector < len(fat) else 0xFFFFFFFE
    except (OSError, struct.error) as exc:
        raise ImportFileError(path, OLE_DAMAGED) from exc
    if not entries:
        raise ImportFileError(path, OLE_DAMAGED)
    return entries, fat, sector_size


def _ole_stream(path: Path, entry: OleEntry, fat: list[int], sector_size: int) -> bytes:
    """A stream's bytes by its sector chain (streams under 4 KiB live elsewhere: b"")."""
    if entry.size < 4096:
        return b""
    pieces: list[bytes] = []
    sector, seen = entry.start, set[int]()
    with path.open("rb") as handle:
        while sector < 0xFFFFFFFA and len(pieces) * sector_size < entry.size:
            if sector in seen or sector >= len(fat):
                raise ImportFileError(path, OLE_DAMAGED)
            seen.add(sector)
            pieces.append(_sector(handle, sector, sector_size))
            sector = fat[sector]
    data = b"".join(pieces)
    if len(data) < entry.size:
        raise ImportFileError(path, OLE_DAMAGED)
    return data[: entry.size]


def _check_xls_sheets(path: Path, check: FileCheck) -> None:
    """Refuses .xls sheets whose declared size is impossible or too big, before calamine sizes
    its grid from them (calamine aborts the whole program on absurd sizes)."""
    entries, fat, sector_size = _ole_directory(path)
    entry = next((e for e in entries if e.name in ("Workbook", "Book")), None)
    if entry is None or entry.name == "Book":
        return
    try:
        stream = _ole_stream(path, entry, fat, sector_size)
    except struct.error:
        raise ImportFileError(path, OLE_DAMAGED) from None
    if not stream:
        if entry.size > 4096:
            raise ImportFileError(path, OLE_DAMAGED)
        return  # a tiny workbook held in the mini stream: too small to declare a huge grid
    sheets: list[tuple[str, int]] = []
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4 : at + 4 + length]
        if kind == 0x0085 and len(body) >= 8:
            offset, cch = struct.unpack_from("<I", body)[0], body[6]
            flags = body[7] if len(body) > 7 else 0
            raw = body[8:]
            name = (
                raw[: cch * 2].decode("utf-16-le", "replace")
                if flags & 1
                else raw[:cch].decode("latin-1")
            )
            if body[5] == 0:  # a worksheet, not a chart or macro sheet
                sheets.append((name, offset))
        if kind == 0x000A:
            break
        at += 4 + length
    for name, offset in sheets:
        rows, columns = _xls_dimensions(path, stream, offset, name)
        check.sheet_rows[name] = rows
        if rows > XLS_MAX_ROWS or columns > XLS_MAX_COLUMNS:
            raise ImportFileError(
                path,
                f"is damaged: it says the sheet has {rows:,} rows and {columns:,} columns, "
                "more than an .xls file can hold",
                sheet=name,
            )


def _xls_dimensions(path: Path, stream: bytes, offset: int, sheet: str) -> tuple[int, int]:
    """(rows, columns) a BIFF8 sheet declares, read from its first records."""
    if offset + 4 > len(stream) or struct.unpack_from("<H", stream, offset)[0] != 0x0809:
        raise ImportFileError(
            path, f"{OLE_DAMAGED} (a sheet starts in the wrong place)", sheet=sheet
        )
    at = offset
    for _ in range(64):
        if at + 4 > len(stream):
            break
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == 0x0200 and length >= 14 and at + 18 <= len(stream):
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", stream, at + 4)
            if first_row > last_row or first_col > last_col:
                raise ImportFileError(
                    path, "is damaged: the sheet's declared size runs backwards", sheet=sheet
                )
            return last_row, last_col
        if kind == 0x000A:
            break
        at += 4 + length
    return 0, 0


def _difat_chain(handle: BinaryIO, sector_size: int, first: int, count: int) -> list[int]:
    sectors: list[int] = []
    per = sector_size // 4 - 1
    for _ in range(min(count, 1000)):
        if first >= 0xFFFFFFFA:
            break
        values = struct.unpack(f"<{per + 1}I", _sector(handle, first, sector_size))
        sectors.extend(s for s in values[:per] if s < 0xFFFFFFFA)
        first = values[per]
    return sectors


def _sector(handle: BinaryIO, number: int, size: int) -> bytes:
    handle.seek((number + 1) * size)
    data = handle.read(size)
    if len(data) < size:
        raise struct.error("sector beyond the end of the file")
    return data


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
                _check_worksheets(path, archive, heads, check)
            else:
                content = archive.getinfo("content.xml") if "content.xml" in names else None
                if content is not None and content.file_size > MAX_UNDIMENSIONED_SHEET:
                    raise ImportFileError(
                        path,
                        f"its sheets would expand to {_mb(content.file_size)} of XML; Baseline "
                        f"imports at most {MAX_ROWS:,} rows from one sheet — split the file",
                    )
            return check
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise ImportFileError(
            path, f"is damaged or incomplete (the zip container cannot be read): {exc}"
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ImportFileError(
            path, f"is damaged or uses a zip feature Baseline cannot read: {exc}"
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
