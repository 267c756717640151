"""Building blocks both PDF reports use: small tables, RAG ratings, headings with bookmarks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from exporters.pdf_document import (
    ACCENT,
    FRAME_WIDTH,
    RULE,
    SHADE,
    Bookmark,
    Styles,
    bookmark_key,
    para,
    safe,
)
from exporters.pdf_fonts import SANS
from models.formatting import AMBER_FROM, GREEN_FROM, maturity_band

# Maturity ratings: always printed as words, the tint only repeats them (greyscale-safe).
RATINGS = (
    (float(GREEN_FROM), "Green", "Good", colors.HexColor("#cce2d8")),
    (float(AMBER_FROM), "Amber", "Needs work", colors.HexColor("#fff7bf")),
    (0.0, "Red", "Weak", colors.HexColor("#f6d7d2")),
)
NOT_SCORED = colors.HexColor("#f3f2f1")


def rating(maturity: float | None) -> tuple[str, colors.Color]:
    """The RAG word for a 1-5 maturity ("Green: good") and its background tint, from the
    figure as printed (models.formatting.maturity_band): '3.5' is Green however it rounds."""
    band = maturity_band(maturity)
    for _floor, rag, word, tint in RATINGS:
        if rag.lower() == band:
            return f"{rag}: {word.lower()}", tint
    return "Not scored", NOT_SCORED


def tint_hex(tint: colors.Color) -> str:
    """A tint as "#rrggbb", as the report content model carries it."""
    return "#" + str(tint.hexval())[2:].lower()


def heading(
    text: str, style: Any, level: int, *parts: str, outline: str | None = None
) -> list[Flowable]:
    """A heading with its PDF bookmark (outline level `level`)."""
    title = outline or text
    return [Bookmark(title, level, bookmark_key(*parts, title)), para(text, style)]


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    styles: Styles,
    widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    tints: Sequence[tuple[int, int, Any]] = (),
    frame_width: float = FRAME_WIDTH,
    bold_last: bool = False,
) -> Table:
    """A small table of text cells (escaped) with a dark header and light zebra rows.

    `widths` are shares of the frame width; `tints` are (column, row, colour) backgrounds.
    """
    total = sum(widths)
    col_widths = [frame_width * w / total for w in widths]
    right = set(numeric)
    data: list[list[Any]] = [
        [
            Paragraph(safe(h), styles.cell_head_right if i in right else styles.cell_head)
            for i, h in enumerate(header)
        ]
    ]
    for row in rows:
        data.append(
            [
                cell
                if isinstance(cell, Flowable)
                else para(cell, styles.cell_right if i in right else styles.cell)
                for i, cell in enumerate(row)
            ]
        )
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        # the table sets its cells' font even when every cell is a paragraph; keep it embedded
        ("FONT", (0, 0), (-1, -1), SANS, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, r), (-1, r), SHADE))
    for col, row_index, tint in tints:
        commands.append(("BACKGROUND", (col, row_index + 1), (col, row_index + 1), tint))
    if bold_last and rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT))
    table.setStyle(TableStyle(commands))
    return table


class ChangeCell(Flowable):  # type: ignore[misc]
    """A change since the last audit: a drawn arrow (the font has none) before the words.

    The arrow's shape says the direction (up, down, a bar for no change), so the cell reads
    without colour; the words carry the figure.
    """

    def __init__(self, text: str, style: Any) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.direction = (
            "up"
            if text.startswith("Up")
            else "down"
            if text.startswith("Down")
            else "same"
            if text.startswith("No change")
            else ""
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._para = para(self.text, self.style)
        indent = 10 if self.direction else 0
        _w, h = self._para.wrap(avail_width - indent, avail_height)
        self.width, self.height = avail_width, h
        return avail_width, h

    def draw(self) -> None:
        canv = self.canv
        size = self.style.fontSize
        top = self.height - self.style.leading
        mid = top + (self.style.leading - size) / 2 + size * 0.35
        canv.saveState()
        canv.setFillColor(self.style.textColor)
        if self.direction == "up":
            canv.drawPath(_triangle(canv, 0, mid - 3, 7, up=True), stroke=0, fill=1)
        elif self.direction == "down":
            canv.drawPath(_triangle(canv, 0, mid - 3, 7, up=False), stroke=0, fill=1)
        elif self.direction == "same":
            canv.rect(0, mid - 1, 7, 2, stroke=0, fill=1)
        canv.restoreState()
        self._para.drawOn(canv, 10 if self.direction else 0, 0)


def _triangle(canv: Any, x: float, y: float, size: float, *, up: bool) -> Any:
    path = canv.beginPath()
    if up:
        path.moveTo(x, y)
        path.lineTo(x + size, y)
        path.lineTo(x + size / 2, y + size * 0.85)
    else:
        path.moveTo(x, y + size * 0.85)
        path.lineTo(x + size, y + size * 0.85)
        path.lineTo(x + size / 2, y)
    path.close()
    return path
