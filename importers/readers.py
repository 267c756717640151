"""Opens a foreign spreadsheet or CSV as rows of cells, after file_guards has vetted it."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import python_calamine as calamine
from charset_normalizer import from_bytes

from importers.file_guards import (
    MAX_ROWS,
    PASSWORD_MESSAGE,
    column_number,
    inspect_file,
    refuse_grid,
    utf16_without_bom,
    xlsx_sheet_parts,
)
from importers.source_table import (
    CellValue,
    ImportCancelled,
    ImportFileError,
    SourceBook,
)
from models.progress import Progress, ShouldCancel

__all__ = ["MAX_ROWS", "CalamineBook", "CsvBook", "open_source"]

CHUNK = 1024 * 1024
POLL_EVERY = 1000  # rows between cancel polls and progress calls
SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


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
                raise ImportCancelled()
    return digest.hexdigest()


def _rows_named(numbers: list[int]) -> str:
    """'row 3', 'rows 3, 7', or the first ten then 'and N more'."""
    shown = ", ".join(str(n) for n in numbers[:10])
    if len(numbers) > 10:
        shown += f" and {len(numbers) - 10:,} more"
    return f"rows {shown}" if len(numbers) > 1 else f"row {shown}"


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
        if kind in ("xlsx", "xlsm"):
            self.warnings.extend(uncalculated_formula_warnings(path, should_cancel))

    def _error(self, exc: Exception, sheet: str | None = None, row: int | None = None) -> Exception:
        if isinstance(exc, ImportCancelled | ImportFileError):
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
            row: list[CellValue] = pad + list(cells)
            while row and row[-1] == "":
                row.pop()
            if number % POLL_EVERY == 0:
                self._poll(number, total)  # Cancel raised here goes to the caller as it is
            yield row

    def _poll(self, done: int, total: int) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise ImportCancelled()
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


# An opening <c …> that is not self-closing, up to its </c>: a self-closing (styled, empty)
# cell must not start a match, or each one scans ahead to the next </c> (quadratic).
_CELL = re.compile(rb"<(?:\w+:)?c(?:\s[^>]*)?(?<!/)>.*?</(?:\w+:)?c>", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})\d')  # a cell in column AA onwards (rows have digits)


def uncalculated_formula_warnings(path: Path, should_cancel: ShouldCancel | None) -> list[str]:
    """A warning for each xlsx sheet with formulas whose results were never saved."""
    try:
        return _uncalculated_formula_warnings(path, should_cancel)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise ImportFileError(
            path, f"is damaged or incomplete (the zip container cannot be read): {exc}"
        ) from None


def _uncalculated_formula_warnings(path: Path, should_cancel: ShouldCancel | None) -> list[str]:
    warnings = []
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
                count, rows, columns = _scan_sheet(stream, should_cancel)
            if rows - 1 > MAX_ROWS:
                raise ImportFileError(
                    path,
                    f"has about {rows:,} rows; Baseline imports at most {MAX_ROWS:,} rows "
                    "from one sheet — split the file",
                    sheet=sheet,
                )
            refuse_grid(path, sheet, rows, columns)
            if count:
                warnings.append(
                    f"sheet {sheet!r} has {count:,} formula{'s' if count > 1 else ''} with no "
                    "saved results (the file was never calculated): open and save it in Excel "
                    "first; those cells are blank"
                )
    return warnings


def _scan_sheet(stream: IO[bytes], should_cancel: ShouldCancel | None) -> tuple[int, int, int]:
    """Formulas without saved results, and the last row and column the cells really reach."""
    count = 0
    rows = columns = 1
    buffer = b""
    while True:
        chunk = stream.read(CHUNK)
        if should_cancel is not None and should_cancel():
            raise ImportCancelled()
        buffer += chunk
        cut = buffer.rfind(b"</c>") if chunk else len(buffer)
        if cut < 0:
            if len(buffer) > 16 * CHUNK:
                buffer = b""
            if not chunk:
                break
            continue
        block, buffer = buffer[: cut + 4], buffer[cut + 4 :]
        for found in _ROW_NUMBER.finditer(block, max(0, block.rfind(b"<row ") - 1)):
            rows = max(rows, int(found.group(1)))
        wide = set(_WIDE_CELL.findall(block))  # plain substring search: fast on 100k rows
        if wide:
            columns = max(columns, *(column_number(letters) for letters in wide))
        if (b"<f" in block or b":f" in block) and _FORMULA.search(block):
            for cell in _CELL.finditer(block):
                text = cell.group()
                if _FORMULA.search(text) and not _VALUE.search(text):
                    count += 1
        if not chunk:
            break
    return count, rows, columns


# --- CSV and other delimited text ---------------------------------------------------------------

# A number with a decimal comma and optional dots between thousands: '0,5', '1.234,50'.
_CONTINENTAL = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d{1,2}|\d+,\d{4,}")
# A number with commas between thousands and an optional decimal point: '1,234.50', '0.5'.
_BRITISH = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{1,2}|\d+\.\d{4,}")
_CONTINENTAL_CELL = re.compile(
    r"\s*[£€]?\s*-?\s*[£€]?\d{1,3}(?:\.\d{3})*(?:,\d+)?\s*%?\s*|\s*-?\d+,\d+\s*"
)


def _british(cell: str) -> str:
    """A continental number cell in British form ('1.234,50' -> '1234.50'); others as they are."""
    if "," not in cell and "." not in cell:
        return cell
    if _CONTINENTAL_CELL.fullmatch(cell):
        return cell.replace(".", "").replace(",", ".")
    return cell


class CsvBook:
    """A delimited text file streamed through the csv module, one sheet named after the file."""

    kind = "csv"

    def __init__(
        self,
        path: Path,
        checksum: str,
        *,
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
    ) -> None:
        self.path = path
        self.checksum = checksum
        self.warnings: list[str] = []
        self._progress = progress
        self._should_cancel = should_cancel
        self._size = path.stat().st_size
        self._sheet = path.stem or path.name
        utf8_rows, other_rows, nul_rows = self._scan()
        self.delimiter = self._sniff_delimiter()
        self._explain(utf8_rows, other_rows, nul_rows)
        self.decimal_comma = self.delimiter != "," and self._uses_decimal_comma()
        if self.decimal_comma:
            self.warnings.append(
                "numbers are written with a decimal comma and dots between thousands "
                "('1.234,50'): read as 1234.50"
            )

    def _uses_decimal_comma(self) -> bool:
        """Whether the numbers in the first rows are continental ('1.234,50', '0,5')."""
        continental = british = 0
        with self.path.open("rb") as handle:
            reader = csv.reader(self._text_lines(handle), delimiter=self.delimiter)
            for _, row in zip(range(200), reader, strict=False):
                for cell in row:
                    text = cell.strip().lstrip("£€-")
                    if _CONTINENTAL.fullmatch(text):
                        continental += 1
                    elif _BRITISH.fullmatch(text):
                        british += 1
        return continental > british

    # The scan reads the bytes once: counts lines, finds NULs, and settles the encoding.
    def _scan(self) -> tuple[list[int], list[int], list[int]]:
        with self.path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
        self._utf16: str | None = None
        self._fallback = "cp1252"
        self._mixed = False
        self._strip_nul = False
        self._cr_only = b"\n" not in head and b"\r" in head
        if head.startswith(codecs.BOM_UTF8):
            self.encoding: str | None = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.encoding = self._utf16 = "utf-16"
        elif bare := utf16_without_bom(head):
            self.encoding = self._utf16 = bare
        else:
            self.encoding = "utf-8"
        newline = b"\r" if self._cr_only else b"\n"
        if self._utf16:
            newline = newline.decode().encode("utf-16-le")
            if self._utf16 == "utf-16-be" or head.startswith(codecs.BOM_UTF16_BE):
                newline = newline[::-1]
        lines, plain = self._count_lines(newline)
        data_rows = max(lines - 1, 0)
        if data_rows > MAX_ROWS:
            raise ImportFileError(
                self.path,
                f"has about {data_rows:,} rows; Baseline imports at most {MAX_ROWS:,} rows from "
                "one sheet — split the file",
            )
        utf8_rows: list[int] = []  # physical lines, 0-based
        other_rows: list[int] = []
        nul_rows: list[int] = []
        other_sample = bytearray()
        if not plain and not self._utf16:
            with self.path.open("rb") as handle:
                for count, raw in enumerate(self._raw_lines(handle)):
                    if count % POLL_EVERY == 0 and self._should_cancel and self._should_cancel():
                        raise ImportCancelled()
                    if b"\x00" in raw:
                        nul_rows.append(count)
                    if raw.isascii():
                        continue
                    try:
                        raw.decode("utf-8")
                    except UnicodeDecodeError:
                        other_rows.append(count)
                        if len(other_sample) < SNIFF_BYTES:
                            other_sample += raw
                    else:
                        utf8_rows.append(count)
        if other_rows:
            self._fallback = self._guess_fallback(bytes(other_sample))
            if not utf8_rows and self.encoding == "utf-8":
                self.encoding = self._fallback
            else:
                self._mixed = True
                if len(utf8_rows) <= len(other_rows) and self.encoding == "utf-8":
                    self.encoding = self._fallback
        self._strip_nul = bool(nul_rows)
        return utf8_rows, other_rows, nul_rows

    def _explain(self, utf8_rows: list[int], other_rows: list[int], nul_rows: list[int]) -> None:
        """Warnings naming the rows read in a second encoding and the rows that held NULs."""
        if self._mixed:
            base = self.encoding or "utf-8"
            fallback = ENCODING_NAMES.get(self._fallback, self._fallback)
            if base == self._fallback:
                odd, odd_name, base_name = utf8_rows, "UTF-8", fallback
            else:
                odd, odd_name, base_name = other_rows, fallback, "UTF-8"
            numbers = self._record_numbers(odd)
            were = "were" if len(numbers) > 1 else "was"
            self.warnings.append(
                f"{_rows_named(numbers)} {were} {odd_name}, the rest {base_name}; "
                "each row was read in its own encoding"
            )
        if nul_rows:
            self.warnings.append(
                f"{_rows_named(self._record_numbers(nul_rows))} held NUL bytes (invisible "
                "control characters); they were removed"
            )

    def _count_lines(self, newline: bytes) -> tuple[int, bool]:
        """Physical lines, counted in chunks, and whether every byte was plain ASCII with no NUL."""
        lines = 0
        plain = True
        ends_with_newline = False
        carry = b""
        with self.path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                if self._should_cancel is not None and self._should_cancel():
                    raise ImportCancelled()
                data = carry + chunk
                # a two-byte UTF-16 newline may straddle chunks; keep one byte back
                carry = data[-1:] if len(newline) > 1 else b""
                body = data[:-1] if carry else data
                lines += body.count(newline)
                if plain and (not chunk.isascii() or b"\x00" in chunk):
                    plain = False
                ends_with_newline = data.endswith(newline)
        return lines + (0 if ends_with_newline else 1), plain

    def _guess_fallback(self, sample: bytes) -> str:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            best = from_bytes(sample).best()
            if best is not None and best.encoding:
                return str(best.encoding)
            return "latin-1"
        return "cp1252"

    def _record_numbers(self, physical: list[int]) -> list[int]:
        """1-based CSV row numbers for 0-based physical lines (quoted newlines shift them)."""
        wanted = set(physical)
        found: list[int] = []
        line = 0
        record = 0
        counter = _LineCounter(self)
        reader = csv.reader(counter, delimiter=self.delimiter)
        try:
            for _ in reader:
                record += 1
                while line < counter.lines:
                    if line in wanted:
                        found.append(record)
                    line += 1
        except csv.Error:
            pass
        finally:
            counter.close()
        while line < counter.lines:
            if line in wanted:
                found.append(record + 1)
            line += 1
        return sorted(set(found)) or [n + 1 for n in physical]

    def _raw_lines(self, handle: IO[bytes]) -> Iterator[bytes]:
        if not self._cr_only:
            yield from handle
            return
        tail = b""
        while chunk := handle.read(CHUNK):
            pieces = (tail + chunk).split(b"\r")
            tail = pieces.pop()
            for piece in pieces:
                yield piece + b"\r"
        if tail:
            yield tail

    def _decode(self, raw: bytes) -> str:
        if self._strip_nul:
            raw = raw.replace(b"\x00", b"")
        if raw.isascii():
            return raw.decode("ascii")
        if self._mixed or self.encoding in ("utf-8", "utf-8-sig"):
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                if not self._mixed:
                    raise
        return raw.decode(self._fallback, "replace")

    def _text_lines(self, handle: IO[bytes]) -> Iterator[str]:
        if self._utf16:
            encoding = "utf-16" if self._utf16 == "utf-16" else self._utf16
            text = io.TextIOWrapper(handle, encoding=encoding, newline="")
            try:
                yield from text
            finally:
                text.detach()
            return
        first = True
        for raw in self._raw_lines(handle):
            if first and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            first = False
            yield self._decode(raw)

    def _sniff_delimiter(self) -> str:
        if self.path.suffix.lower() in (".tsv", ".tab"):
            return "\t"
        with self.path.open("rb") as handle:
            sample_lines: list[str] = []
            size = 0
            try:
                for line in self._text_lines(handle):
                    sample_lines.append(line)
                    size += len(line)
                    if size >= SNIFF_BYTES:
                        break
            except UnicodeDecodeError:
                return ","
        sample = "".join(sample_lines)
        if not sample.strip():
            return ","
        # csv.Sniffer's quote regex backtracks badly on long quoted text (a 23 KB WMI
        # return took seconds): it sees the first 4 KB, the fallback counts the header.
        sniffed = "".join(_first_chars(sample_lines, SNIFF_BYTES // 16))
        try:
            found = csv.Sniffer().sniff(sniffed, delimiters=DELIMITERS).delimiter
        except csv.Error:
            found = ""
        header = sample_lines[0] if sample_lines else ""
        if found and (found in header or "," not in header):
            return found
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","

    def sheet_names(self) -> list[str]:
        return [self._sheet]

    def row_count(self, sheet: str) -> int | None:
        return None  # quoted values may hold newlines, so lines are not rows

    def rows(self, sheet: str) -> Iterator[list[CellValue]]:
        if sheet != self._sheet:
            raise ImportFileError(self.path, "has no sheet of that name", sheet=sheet)
        record = 0
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise ImportFileError(
                self.path, f"cannot be read again: it was moved, deleted or locked ({exc.strerror})"
            ) from None
        with handle:
            reader = csv.reader(self._text_lines(handle), delimiter=self.delimiter)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise ImportFileError(self.path, _csv_problem(exc), row=record + 1) from None
                except UnicodeDecodeError as exc:
                    name = ENCODING_NAMES.get(self.encoding or "", self.encoding)
                    raise ImportFileError(
                        self.path,
                        f"is not valid {name} text here ({exc.reason})",
                        row=record + 1,
                    ) from None
                record += 1
                if record > MAX_ROWS + 1:
                    raise ImportFileError(
                        self.path,
                        f"has more than {MAX_ROWS:,} rows; Baseline imports at most "
                        f"{MAX_ROWS:,} rows from one sheet — split the file",
                        row=record,
                    )
                if record % POLL_EVERY == 0:
                    if self._should_cancel is not None and self._should_cancel():
                        raise ImportCancelled()
                    if self._progress is not None:
                        self._progress(handle.tell(), self._size)
                yield [_british(c) for c in row] if self.decimal_comma else list(row)
        if self._progress is not None:
            self._progress(self._size, self._size)

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        return []

    def close(self) -> None:
        """Nothing stays open between calls: each rows() opens and closes the file."""


def _first_chars(lines: list[str], limit: int) -> list[str]:
    """Whole lines from the start, up to about `limit` characters (at least one line)."""
    taken: list[str] = []
    size = 0
    for line in lines:
        if taken and size + len(line) > limit:
            break
        taken.append(line)
        size += len(line)
    return taken


class _LineCounter:
    """Feeds decoded lines to csv.reader while counting how many it has taken."""

    def __init__(self, book: CsvBook) -> None:
        self.lines = 0
        self._handle = book.path.open("rb")
        self._lines: Iterator[str] = book._text_lines(self._handle)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.lines += 1
        return line

    def close(self) -> None:
        self._handle.close()


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            'a value is longer than 131,072 characters — usually a quote mark (") that is '
            "never closed, so the rest of the file runs together"
        )
    return f"the CSV cannot be read here ({text})"
