"""Long tables for report appendices, drawn row by row and split at page ends.

reportlab's `Table`/`LongTable` measure every cell as a flowable and re-measure the rest of
the table at each page break; an appendix of 20,000 rows takes tens of seconds that way.
`RowsTable` wraps each cell's text once, keeps running row heights, and finds each page
break by bisection, so a long appendix costs little more than drawing its strings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from exporters.pdf_document import ACCENT, INK, RULE, SHADE, fit_text
from exporters.pdf_fonts import SANS, SANS_BOLD, register_fonts

PAD = 3.0
MIN_ROWS = 2  # the fewest rows a page may hold of a table that runs over a page break


@dataclass(frozen=True)
class Column:
    """One column of a RowsTable: its heading, share of the width and alignment."""

    label: str
    weight: float = 1.0
    numeric: bool = False


class _Laid:
    """A whole table's wrapped cells and running row heights, shared by its page pieces."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        width: float,
        font_size: float,
        max_lines: int,
    ) -> None:
        total = sum(c.weight for c in columns) or 1.0
        self.rows = rows  # the texts as given (the benchmark lays them out the slow way too)
        self.columns = list(columns)
        self.widths = [width * c.weight / total for c in columns]
        self.font_size = font_size
        self.leading = font_size * 1.3
        self.head_lines = [
            _wrap(c.label, SANS_BOLD, font_size, w - 2 * PAD, 2)
            for c, w in zip(columns, self.widths, strict=True)
        ]
        self.head_height = max(len(lines) for lines in self.head_lines) * self.leading + 2 * PAD
        self.cells: list[list[list[str]]] = []
        heights: list[float] = []
        inner = [w - 2 * PAD for w in self.widths]
        for row in rows:
            wrapped = [
                _wrap(text, SANS, font_size, room, max_lines)
                for text, room in zip(row, inner, strict=True)
            ]
            self.cells.append(wrapped)
            heights.append(max(len(lines) for lines in wrapped) * self.leading + 2 * PAD)
        self.ends = [0.0, *accumulate(heights)]  # ends[i]: height of rows [0, i)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """The cell's lines: word-wrapped to the width, at most max_lines, the last cut with '…'."""
    text = " ".join(str(text).split())
    if not text:
        return [""]
    if stringWidth(text, font, size) <= width:
        return [text]
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit_text(lines[-1] + " …", font, size, width)
    return [fit_text(line, font, size, width) for line in lines] or [""]


class RowsTable(Flowable):  # type: ignore[misc]
    """A table of plain-text rows with a repeated header, split at page ends."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        width: float,
        font_size: float = 7.5,
        max_lines: int = 3,
        _laid: _Laid | None = None,
        _span: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        register_fonts()
        self.laid = _laid or _Laid(columns, rows, width, font_size, max_lines)
        self.start, self.end = _span or (0, len(self.laid.cells))
        self.width = width
        self.height = self._height(self.start, self.end)

    def _height(self, start: int, end: int) -> float:
        return self.laid.head_height + self.laid.ends[end] - self.laid.ends[start]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        ends = self.laid.ends
        limit = ends[self.start] + avail_height - self.laid.head_height
        stop = bisect_right(ends, limit, lo=self.start, hi=self.end + 1) - 1
        if stop >= self.end:
            return [self]
        # no page holds a lone row: leave at least MIN_ROWS behind for the next page (widow)
        # and put at least MIN_ROWS on this one (orphan), or start the table on the next page
        stop = min(stop, self.end - MIN_ROWS)
        if stop - self.start < min(MIN_ROWS, self.end - self.start):
            return []  # start on the next page
        return [self._piece(self.start, stop), self._piece(stop, self.end)]

    def _piece(self, start: int, end: int) -> RowsTable:
        return RowsTable(
            self.laid.columns, (), width=self.width, _laid=self.laid, _span=(start, end)
        )

    def draw(self) -> None:
        canv: Any = self.canv
        laid = self.laid
        size, leading = laid.font_size, laid.leading
        ascent = size * 0.8
        top = self.height
        # header
        canv.setFillColor(ACCENT)
        canv.rect(0, top - laid.head_height, self.width, laid.head_height, stroke=0, fill=1)
        text = canv.beginText()
        text.setFont(SANS_BOLD, size)
        text.setFillColor(colors.white)
        x, first = 0.0, top - PAD - ascent
        for lines, width, column in zip(laid.head_lines, laid.widths, laid.columns, strict=True):
            _put(text, lines, x, width, first, leading, column.numeric, SANS_BOLD, size)
            x += width
        canv.drawText(text)
        # zebra shading first, then all the text in one text object
        y = top - laid.head_height
        canv.setFillColor(SHADE)
        row_tops = []
        for i in range(self.start, self.end):
            height = laid.ends[i + 1] - laid.ends[i]
            if (i - self.start) % 2 == 1:
                canv.rect(0, y - height, self.width, height, stroke=0, fill=1)
            row_tops.append(y)
            y -= height
        text = canv.beginText()
        text.setFont(SANS, size)
        text.setFillColor(INK)
        for i, row_top in zip(range(self.start, self.end), row_tops, strict=True):
            x, first = 0.0, row_top - PAD - ascent
            for lines, width, column in zip(laid.cells[i], laid.widths, laid.columns, strict=True):
                _put(text, lines, x, width, first, leading, column.numeric, SANS, size)
                x += width
        canv.drawText(text)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(0, y, self.width, y)


def _put(
    text: Any,
    lines: list[str],
    x: float,
    width: float,
    baseline: float,
    leading: float,
    right: bool,
    font: str,
    size: float,
) -> None:
    for line in lines:
        if line:
            left = x + width - PAD - stringWidth(line, font, size) if right else x + PAD
            text.setTextOrigin(left, baseline)
            text.textOut(line)
        baseline -= leading
