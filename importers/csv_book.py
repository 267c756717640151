"""Delimited text (CSV, semicolon, tab or bar separated) streamed as one sheet of rows."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from importers.file_guards import MAX_ROWS, utf16_without_bom
from importers.source_table import (
    CHUNK,
    POLL_EVERY,
    CellValue,
    ImportFileError,
)
from models.progress import Cancelled, Progress, ShouldCancel

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def _rows_named(numbers: list[int]) -> str:
    """'row 3', 'rows 3, 7', or the first ten then 'and N more'."""
    shown = ", ".join(str(n) for n in numbers[:10])
    if len(numbers) > 10:
        shown += f" and {len(numbers) - 10:,} more"
    return f"rows {shown}" if len(numbers) > 1 else f"row {shown}"


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
                        raise Cancelled()
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
                    raise Cancelled()
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
            last_line = [""]

            def lines() -> Iterator[str]:
                for line in self._text_lines(handle):
                    last_line[0] = line
                    yield line

            reader = csv.reader(lines(), delimiter=self.delimiter)
            held: list[CellValue] | None = None  # the row read last, yielded once it is not
            width_before = 0  # cells in the row before it
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    if held is not None:
                        self._refuse_cut_off(held, width_before, last_line[0], record)
                        yield held
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
                        raise Cancelled()
                    if self._progress is not None:
                        self._progress(handle.tell(), self._size)
                if held is not None:
                    width_before = len(held)
                    yield held
                held = [_british(c) for c in row] if self.decimal_comma else list(row)
        if self._progress is not None:
            self._progress(self._size, self._size)

    def _refuse_cut_off(self, last: list[CellValue], before: int, line: str, record: int) -> None:
        """Refuses a file that stops part-way through its last row (an interrupted
        download): no line end after it, and fewer cells than the row before it."""
        if line.endswith(("\n", "\r")) or len(last) < 2 or len(last) >= before:
            return
        raise ImportFileError(
            self.path,
            f"stops part-way through its last row ({len(last)} of {before} cells, no line "
            "end): the file looks cut off, as by an interrupted download — get the whole "
            "file again",
            row=record,
        )

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
