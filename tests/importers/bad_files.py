"""Builders that write good and hostile foreign files into a test's tmp_path, small and fast."""

from __future__ import annotations

import random
import struct
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def xlsx(path: Path, rows: Iterable[Sequence[Any]], *, title: str = "Data") -> Path:
    """A real workbook written by openpyxl: one sheet holding rows (formulas stay uncalculated)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    book.close()
    return path


def typed_xlsx(path: Path) -> Path:
    """A workbook with text, whole and fractional numbers, a date, a datetime and a boolean."""
    return xlsx(
        path,
        [
            ["Supplier", "Annual value", "End date", "Signed", "Active"],
            ["Acme Ltd", 1234.5, date(2026, 3, 31), datetime(2021, 4, 1, 9, 30), True],
            ["Widgets plc", 20000, date(2027, 1, 15), datetime(2022, 5, 2, 0, 0), False],
        ],
    )


def raw_xlsx(path: Path, sheet_xml: bytes, *, title: str = "Data") -> Path:
    """An xlsx whose only worksheet is the given XML, packed by hand with zipfile."""
    parts = _package_parts(title)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def _package_parts(title: str) -> dict[str, bytes]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ).encode(),
    }


def sheet_xml(rows: Sequence[Sequence[float]], *, dimension: str | None = None) -> bytes:
    """Worksheet XML of numeric rows, optionally declaring a (possibly false) dimension."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}"><v>{v}</v></c>' for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">{dim}'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def entity_bomb_xlsx(path: Path) -> Path:
    """A real workbook whose sheet1.xml is replaced by a billion-laughs document."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return raw_xlsx(path, bomb)


def ratio_bomb_xlsx(path: Path, megabytes: int = 24) -> Path:
    """An xlsx whose sheet XML really inflates from a few KB to `megabytes` MB of spaces."""
    parts = _package_parts("Data")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def forge_declared_size(path: Path, member: str, size: int) -> Path:
    """Rewrites one entry's uncompressed size in the zip's central directory (a lying archive)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return path
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} not in {path}")


def million_row_xlsx(path: Path) -> Path:
    """A small xlsx that declares 1,000,001 rows in its <dimension>, as a huge sheet would."""
    return raw_xlsx(path, sheet_xml([[1, 2], [3, 4]], dimension="A1:B1000001"))


def million_row_csv(path: Path) -> Path:
    """A real CSV with a header and 1,000,000 data rows (about 8 MB)."""
    with path.open("wb") as handle:
        handle.write(b"id,value\n")
        block = b"1,22\n" * 100_000
        for _ in range(10):
            handle.write(block)
    return path


def wide_xlsx(path: Path, columns: int = 16_384) -> Path:
    """A workbook whose header row fills every column Excel allows."""
    return xlsx(path, [[f"c{i}" for i in range(columns)], list(range(columns))])


def formula_xlsx(path: Path) -> Path:
    """openpyxl writes formulas without cached results: as if never calculated."""
    return xlsx(path, [["a", "b"], [1, "=A2+1"], [2, "=A3+1"], [3, "=SUM(A2:A3)"]])


def duplicate_header_csv(path: Path) -> Path:
    path.write_bytes(b"Name,Value,Value,Name\nx,1,2,y\n")
    return path


def mixed_encoding_csv(path: Path) -> Path:
    """Rows 3 and 5 were pasted in as UTF-8; the rest is Windows-1252."""
    lines = [
        "Supplier,Value",
        "Caf\u00e9 Ltd,\u00a3100",
        "Na\u00efve plc,\u00a3200",
        "Plain Ltd,300",
        "\u00c9cole SA,\u00a3400",
        "S\u00e9ance Ltd,\u00a3500",
    ]
    encodings = ["cp1252", "cp1252", "utf-8", "cp1252", "utf-8", "cp1252"]
    path.write_bytes(
        b"".join((ln + "\r\n").encode(e) for ln, e in zip(lines, encodings, strict=True))
    )
    return path


def nul_csv(path: Path) -> Path:
    """A UTF-8 CSV with stray NUL bytes in rows 2 and 4."""
    path.write_bytes(b"Name,Value\nAl\x00pha,1\nBeta,2\nGam\x00ma,\x003\n")
    return path


def utf16_csv(path: Path) -> Path:
    path.write_bytes("Name\tValue\n\u00a3 money\t5\n".encode("utf-16"))
    return path


def text_named(path: Path) -> Path:
    path.write_text("Supplier,Value\nAcme,100\n", encoding="utf-8")
    return path


def random_bytes(path: Path, size: int = 4096, seed: int = 7) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def truncated(path: Path, source: Path) -> Path:
    """The first half of a real file, as an interrupted download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# --- OLE2 compound files, written by hand ------------------------------------------------------


def cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal version-3 compound file (the .xls / encrypted-Office container) with up to
    three streams; each non-empty stream is padded to 4096 bytes so it needs no mini stream."""
    assert len(streams) <= 3
    fat = [FATSECT, END]  # sector 0 is the FAT, sector 1 the directory
    body = b""
    entries: list[tuple[str, int, int]] = []
    for name, data in streams.items():
        if not data:
            entries.append((name, END, 0))
            continue
        size = max(len(data), 4096)
        padded = data.ljust(size, b"\0")
        padded += b"\0" * (-len(padded) % SECTOR)
        count = len(padded) // SECTOR
        start = len(fat)
        fat += [start + i + 1 for i in range(count - 1)] + [END]
        entries.append((name, start, size))
        body += padded
    assert len(fat) <= SECTOR // 4
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    directory = _dir_entry("Root Entry", 5, END, 0, child=1 if entries else NOSTREAM)
    for index, (name, start, size) in enumerate(entries, start=1):
        right = index + 1 if index < len(entries) else NOSTREAM
        directory += _dir_entry(name, 2, start, size, right=right)
    directory = directory.ljust(SECTOR, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))
    )
    assert len(header) == SECTOR
    path.write_bytes(header + fat_sector + directory + body)
    return path


def _dir_entry(
    name: str, kind: int, start: int, size: int, *, child: int = NOSTREAM, right: int = NOSTREAM
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def encrypted_workbook(path: Path) -> Path:
    """What Excel saves for a password-protected .xlsx: an OLE2 file of encryption streams."""
    return cfb(path, {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b""})


def _record(kind: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def xls(
    path: Path,
    rows: Sequence[Sequence[str | float]],
    *,
    title: str = "Data",
    declared_rows: int | None = None,
) -> Path:
    """A real (minimal) BIFF8 .xls workbook: one sheet of shared-string and NUMBER cells.
    declared_rows overrides the row count its DIMENSIONS record claims (a damaged file)."""

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    strings: list[str] = []
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                strings.append(value)
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 0, len(strings) - 1))
            else:
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(text), 1) + text.encode("utf-16-le") for text in strings
    )
    name = title.encode("latin-1")
    head = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    tail = _record(0x00FC, sst) + _record(0x000A)
    sheet_offset = len(head) + 4 + 8 + len(name) + len(tail)
    boundsheet = _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(name), 0) + name)
    width = max((len(r) for r in rows), default=0)
    dimensions = _record(0x0200, struct.pack("<IIHHH", 0, declared_rows or len(rows), 0, width, 0))
    sheet = bof(0x0010) + dimensions + cells + _record(0x000A)
    return cfb(path, {"Workbook": head + boundsheet + tail + sheet})
