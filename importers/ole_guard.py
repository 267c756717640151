"""Vets OLE2 compound files (.xls, encrypted OOXML) by their directory and declared sheet sizes."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from importers.guard_common import PASSWORD_MESSAGE, FileCheck
from importers.source_table import ImportFileError


def check_ole(path: Path, suffix: str) -> FileCheck:
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
