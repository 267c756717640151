"""Vets a text (CSV) file before any parser: is it text, and is its shape small enough to read."""

from __future__ import annotations

from pathlib import Path

from importers.guard_common import MAX_CELLS
from importers.guard_common import mb as _mb
from importers.source_table import ImportFileError

TEXT_CHUNK = 1024 * 1024
MAX_TEXT_LINE = 4 * 1024 * 1024  # bytes in one line of a CSV: far beyond any real table row

_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"


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


def looks_like_text(head: bytes) -> bool:
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
