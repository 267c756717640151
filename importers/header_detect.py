"""Find a sheet's header under title rows and notes; split stacked headers into levels."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from importers.source_table import CellValue, HeaderLayout

SCAN_ROWS = 60

MAX_BAND = 4  # header rows stacked above one another, at most
MAX_MERGES = 5_000  # merged ranges over the scanned rows looked at (a header has dozens)
_NUMBERISH = re.compile(
    r"""^\s*[-+(]?\s*[£$€]?\s*-?\s*
        (\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*
        (%|k|m|bn|million|billion)?\s*\)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_DATEISH = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2}([ T][\d:.]+)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4})\s*$"
)
_MARKERS = frozenset(
    {"[c]", "[x]", "[z]", "..", "-", "n/d", "na", "n/a", "[u]", "[low]", "*", "x", "c"}
)
_LEVEL_BREAK = re.compile(r"\s*[;:]\s*\n\s*")
_SPACES = re.compile(r"\s+")


def cell_text(value: CellValue) -> str:
    """A cell as trimmed text: whole floats without '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def is_blank(value: CellValue) -> bool:
    return cell_text(value) == ""


def is_numberish(value: CellValue) -> bool:
    """True for values that look like data rather than a heading: numbers, dates, markers."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | datetime | date | time | timedelta):
        return True
    text = cell_text(value)
    if not text:
        return False
    return bool(_NUMBERISH.match(text)) or bool(_DATEISH.match(text)) or text.lower() in _MARKERS


def collapse(text: str) -> str:
    """Whitespace runs (newlines included) as one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


class _Row:
    """What a scanned row looks like, for telling headers from titles and data."""

    def __init__(self, values: Sequence[CellValue]) -> None:
        self.texts = [cell_text(v) for v in values]
        filled = [i for i, t in enumerate(self.texts) if t]
        self.filled = len(filled)
        self.width = filled[-1] + 1 if filled else 0
        self.numbers = sum(1 for v in values if is_numberish(v))
        self.longest = max((len(t) for t in self.texts), default=0)

    @property
    def blank(self) -> bool:
        return self.filled == 0

    @property
    def texty(self) -> bool:
        """Mostly words, at least two cells: what a header row looks like."""
        if self.filled < 2:
            return False
        return (self.filled - self.numbers) / self.filled >= 0.7

    @property
    def data_like(self) -> bool:
        return self.filled >= 1 and self.numbers >= 1


def detect_header(
    rows: Sequence[Sequence[CellValue]],
    *,
    sheet: str,
    merged: Sequence[tuple[int, int, int, int]] = (),
) -> HeaderLayout | None:
    """The header of a sheet from its first rows, or None when nothing looks like one."""
    merged = _clipped(merged, min(len(rows), SCAN_ROWS))
    scanned = [_Row(r) for r in _with_vertical_merges(rows[:SCAN_ROWS], merged)]
    header = _find_header_row(scanned)
    if header is None:
        return None
    band = _band_above(scanned, header, merged)
    data_width = max((r.width for r in scanned[header + 1 : header + 12] if not r.blank), default=0)
    width = max(scanned[header].width, data_width)
    grid = _header_grid(rows, band, width, merged)
    parts = _column_parts(grid, width)
    return HeaderLayout(
        sheet=sheet,
        header_rows=tuple(band),
        first_data_row=header + 1,
        parts=parts,
    )


def _clipped(
    merged: Sequence[tuple[int, int, int, int]], rows: int
) -> list[tuple[int, int, int, int]]:
    """The merged ranges that reach the scanned rows, cut off at the last of them, and at
    most MAX_MERGES: a range down to row 1,048,576 must not cost a million steps."""
    clipped: list[tuple[int, int, int, int]] = []
    for r1, c1, r2, c2 in merged:
        if r1 >= rows or r2 < r1 or c2 < c1:
            continue
        clipped.append((r1, c1, min(r2, rows - 1), c2))
        if len(clipped) >= MAX_MERGES:
            break
    return clipped


def _with_vertical_merges(
    rows: Sequence[Sequence[CellValue]], merged: Sequence[tuple[int, int, int, int]]
) -> list[list[CellValue]]:
    """Rows with a vertically merged cell's text repeated down its first column, for scanning."""
    filled = [list(r) for r in rows]
    for r1, c1, r2, _c2 in merged:
        if r2 <= r1 or r1 >= len(filled) or c1 >= len(filled[r1]):
            continue
        for r in range(r1 + 1, min(r2, len(filled) - 1) + 1):
            row = filled[r]
            row.extend([None] * (c1 + 1 - len(row)))
            if is_blank(row[c1]):
                row[c1] = filled[r1][c1]
    return filled


def _next_rows(scanned: Sequence[_Row], start: int, count: int) -> list[_Row]:
    found: list[_Row] = []
    for row in scanned[start:]:
        if row.blank:
            continue
        found.append(row)
        if len(found) == count:
            break
    return found


def _find_header_row(scanned: Sequence[_Row]) -> int | None:
    """The first wide, mostly-text row with data under it; failing that, a wide text table's top."""
    any_numbers = any(r.numbers for r in scanned)
    for i, row in enumerate(scanned):
        if not row.texty:
            continue
        below = _next_rows(scanned, i + 1, 5)
        if not below or row.filled < 0.5 * max(r.width for r in below):
            continue
        if any_numbers:
            # Data follows at once (numbers, dates or markers), perhaps after one label row.
            if below[0].data_like or (
                below[0].filled == 1 and len(below) > 1 and below[1].data_like
            ):
                return i
            continue
        if below[0].filled >= max(2, 0.5 * row.filled):
            return i
    return None


def _merge_lookup(
    merged: Sequence[tuple[int, int, int, int]], band: Sequence[int], width: int
) -> dict[tuple[int, int], tuple[int, int]]:
    """Each merged cell of the header band's (row, col) -> the top-left cell holding its
    value. Merged ranges never overlap in a real workbook, so the steps stay within the
    band's cells; overlapping ones past that are left out."""
    lookup: dict[tuple[int, int], tuple[int, int]] = {}
    steps = 2 * len(band) * width
    for r1, c1, r2, c2 in merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 20000:
            continue
        for r in band:
            if r1 <= r <= r2:
                for c in range(c1, min(c2, width - 1) + 1):
                    lookup[(r, c)] = (r1, c1)
                steps -= max(0, min(c2, width - 1) + 1 - c1)
        if steps < 0:
            break
    return lookup


def _band_above(
    scanned: Sequence[_Row], header: int, merged: Sequence[tuple[int, int, int, int]]
) -> list[int]:
    """The header row plus the spanning header rows stacked directly above it."""
    merged_rows = {r for r1, c1, r2, c2 in merged if c2 > c1 for r in range(r1, r2 + 1)}
    band = [header]
    row = header - 1
    while row >= 0 and len(band) < MAX_BAND:
        above = scanned[row]
        if above.blank or above.numbers or above.longest > 80:
            break
        if any(t.endswith(":") for t in above.texts if t):
            break  # "Prepared by:" and the like: a note, not a level of the header
        spans = row in merged_rows or above.filled < scanned[header].filled
        if above.filled < 2 and row not in merged_rows:
            break
        if above.filled < 2 and above.width <= 1:
            break
        if not spans:
            break
        band.insert(0, row)
        row -= 1
    return band


def _header_grid(
    rows: Sequence[Sequence[CellValue]],
    band: Sequence[int],
    width: int,
    merged: Sequence[tuple[int, int, int, int]],
) -> list[list[str]]:
    """The band's texts with merged or spanning cells filled in across their columns."""
    lookup = _merge_lookup(merged, band, width)

    def text_at(r: int, c: int) -> str:
        r0, c0 = lookup.get((r, c), (r, c))
        source = rows[r0] if r0 < len(rows) else ()
        return cell_text(source[c0]) if c0 < len(source) else ""

    grid = [[text_at(r, c) for c in range(width)] for r in band]
    if merged or len(band) < 2:
        return grid
    # No merge information (CSV, or a reader without it): a blank right of a filled
    # cell in an upper band row continues that cell's span, within its parent's span.
    originals = [list(row) for row in grid]
    for level in range(len(grid) - 1):
        for c in range(1, width):
            if originals[level][c]:
                continue
            new_parent = any(originals[up][c] for up in range(level))
            if not new_parent and grid[level][c - 1]:
                grid[level][c] = grid[level][c - 1]
    return grid


def _column_parts(grid: Sequence[Sequence[str]], width: int) -> tuple[tuple[str, ...], ...]:
    """Each column's header levels: stacked rows, then stacked text inside a cell."""
    split_lines = _stacks_on_newlines([text for row in grid for text in row])
    columns: list[tuple[str, ...]] = []
    for c in range(width):
        parts: list[str] = []
        for level in range(len(grid)):
            for part in _split_cell(grid[level][c], split_lines):
                if part and (not parts or parts[-1] != part):
                    parts.append(part)
        columns.append(tuple(parts))
    return tuple(columns)


def _split_cell(text: str, split_lines: bool) -> list[str]:
    """One cell's text as levels ('A;\\nB' -> A, B); one name broken by a newline stays whole."""
    if not text:
        return []
    pieces = _LEVEL_BREAK.split(text)
    result: list[str] = []
    for piece in pieces:
        if split_lines:
            result.extend(collapse(p) for p in piece.split("\n"))
        else:
            result.append(collapse(piece))
    return [p for p in result if p]


def _stacks_on_newlines(texts: Sequence[str]) -> bool:
    """Whether plain newlines separate levels: 3+ lines per cell with repeated first lines."""
    stacked = [t for t in texts if "\n" in t and not _LEVEL_BREAK.search(t)]
    if len(stacked) < 3:
        return False
    if sum(1 for t in stacked if len(t.strip().split("\n")) >= 3) < 0.5 * len(stacked):
        return False
    firsts = Counter(collapse(t.strip().split("\n")[0]).lower() for t in stacked)
    return firsts.most_common(1)[0][1] >= 2
