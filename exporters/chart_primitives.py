"""The drawing primitives every PDF chart shares: colours, text fitting, markers, legends.

Same rules as exporters/pdf_charts.py: user text on one line cut with an ellipsis, colours
that read in greyscale, shapes as well as colour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from exporters.pdf_fonts import SANS, register_fonts

Shape = Any  # reportlab shapes are untyped
Swatch = Callable[[float, float], list[Shape]]  # (left, baseline) → shapes about 10 pt high

INK = colors.HexColor("#0b0c0c")
MUTED = colors.HexColor("#505a5f")  # 7:1 on white, still legible when photocopied
GRID = colors.HexColor("#d8dadb")
AXIS = colors.HexColor("#8a9196")
NAVY = colors.HexColor("#1d3557")
MID_BLUE = colors.HexColor("#4f7cac")  # light enough for a black marker to stand out on it
WHITE = colors.white
BLACK = colors.black

MATURITY_FLOOR, MATURITY_TOP = 1.0, 5.0  # the maturity scale: axes start at 1, not 0
SIZE = 8.0  # labels
SMALL = 7.0  # values inside bar segments
ROW_GAP = 3.0  # between legend rows and label lines
NO_DATA = "No data recorded."


# Line series: colour, marker, dash pattern; shape and dash alone tell them apart in grey.
_SERIES = (
    ("#1d3557", "circle", None),
    ("#1f7a72", "square", (5, 2.5)),
    ("#5a6268", "triangle", (1.2, 2)),
    ("#8b4a1c", "diamond", (6, 2, 1.2, 2)),
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]+")


# --------------------------------------------------------------------------- text helpers


def _clean(text: object) -> str:
    """User text on one line: control characters and line breaks become single spaces."""
    return " ".join(_CONTROL.sub(" ", "" if text is None else str(text)).split())


def _width(text: str, size: float = SIZE, font: str = SANS) -> float:
    return float(stringWidth(text, font, size))


def _fit(text: object, room: float, size: float = SIZE, font: str = SANS) -> str:
    """The text on one line, cut with an ellipsis so it is at most `room` points wide."""
    clean = _clean(text)
    if _width(clean, size, font) <= room:
        return clean
    low, high = 0, len(clean)
    while low < high:
        mid = (low + high + 1) // 2
        if _width(clean[:mid].rstrip() + "…", size, font) <= room:
            low = mid
        else:
            high = mid - 1
    cut = clean[:low].rstrip()
    return cut + "…" if _width(cut + "…", size, font) <= room else ""


def _wrap(text: object, room: float, lines: int, size: float = SIZE) -> list[str]:
    """The text in at most `lines` lines of `room` points, the last cut with an ellipsis."""
    words = _clean(text).split(" ")
    out: list[str] = []
    while words and len(out) < lines - 1:
        take = 1
        while take < len(words) and _width(" ".join(words[: take + 1]), size) <= room:
            take += 1
        if _width(words[0], size) > room:  # one long word: cut it on the last line instead
            break
        out.append(" ".join(words[:take]))
        words = words[take:]
    if words:
        out.append(_fit(" ".join(words), room, size))
    return [line for line in out if line]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = SIZE,
    font: str = SANS,
    anchor: str = "start",
    colour: Any = INK,
) -> Shape:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def _centred(x: float, text: str, lo: float, hi: float, size: float = SIZE) -> float:
    """The x of a middle-anchored label moved inwards so it stays between lo and hi."""
    half = _width(text, size) / 2
    return min(max(x, lo + half), hi - half)


# --------------------------------------------------------------------------- shape helpers


def _hex(value: str, fallback: str = "#b1b4b6") -> Any:
    try:
        return colors.HexColor(value)
    except (ValueError, TypeError, AttributeError):
        return colors.HexColor(fallback)


def _luminance(colour: Any) -> float:
    """Relative luminance (WCAG), to pick white or black text on a fill."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )


def _on(fill: Any) -> Any:
    """Text colour with the better contrast on `fill`."""
    return WHITE if _luminance(fill) < 0.18 else INK  # where the two contrasts cross


def _marker(kind: str, x: float, y: float, size: float, fill: Any, edge: Any = WHITE) -> Shape:
    """A marker centred on (x, y) about `size` points across, outlined to lift it off lines."""
    h = size / 2
    style = {"fillColor": fill, "strokeColor": edge, "strokeWidth": 0.8}
    if kind == "circle":
        return Circle(x, y, h, **style)
    if kind == "square":
        return Rect(x - h * 0.9, y - h * 0.9, h * 1.8, h * 1.8, **style)
    if kind == "triangle":
        return Polygon(
            [x - h * 1.1, y - h * 0.9, x + h * 1.1, y - h * 0.9, x, y + h * 1.1], **style
        )
    return Polygon([x, y - h * 1.2, x + h * 1.0, y, x, y + h * 1.2, x - h * 1.0, y], **style)


def _nice_ticks(top: float, target: int = 4) -> list[float]:
    """Round tick values from 0 up to at least `top` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _drawing(width: float, height: float, shapes: Sequence[Shape]) -> Drawing:
    drawing = Drawing(width, height)
    # without these the renderer first selects Helvetica, which the PDF then lists unembedded
    drawing.initialFontName = SANS
    drawing.initialFontSize = SIZE
    for shape in shapes:
        drawing.add(shape)
    return drawing


def _empty(width: float, message: str = NO_DATA) -> Drawing:
    """The small drawing an empty chart becomes."""
    register_fonts()
    return _drawing(width, 18, [_text(0, 5, _fit(message, width, 9), size=9, colour=MUTED)])


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class _Key:
    swatch: Swatch
    swatch_width: float
    label: str


def _legend(keys: Sequence[_Key], width: float) -> tuple[float, Callable[[float], list[Shape]]]:
    """Lay out a left-to-right legend that wraps; returns its height and a drawer from top y."""
    row_height = SIZE + 5
    placed: list[tuple[float, int, _Key, str]] = []
    x, row = 0.0, 0
    for key in keys:
        room = width - key.swatch_width - 4
        label = _fit(key.label, room)
        need = key.swatch_width + 4 + _width(label)
        if x > 0 and x + need > width:
            x, row = 0.0, row + 1
        placed.append((x, row, key, label))
        x += need + 14
    height = (row + 1) * row_height if placed else 0.0

    def draw(top: float) -> list[Shape]:
        shapes: list[Shape] = []
        for left, line, key, label in placed:
            base = top - (line + 1) * row_height + 4
            shapes += key.swatch(left, base)
            shapes.append(_text(left + key.swatch_width + 4, base, label))
        return shapes

    return height, draw


def _box_swatch(fill: Any) -> Swatch:
    def draw(x: float, base: float) -> list[Shape]:
        return [Rect(x, base - 1, 10, 8.5, fillColor=fill, strokeColor=None)]

    return draw


def _marker_swatch(kind: str, fill: Any) -> Swatch:
    def draw(x: float, base: float) -> list[Shape]:
        return [_marker(kind, x + 5, base + 3, 8, fill)]

    return draw


def _line_swatch(colour: Any, kind: str, dash: Sequence[float] | None) -> Swatch:
    def draw(x: float, base: float) -> list[Shape]:
        line = Line(x, base + 3, x + 26, base + 3, strokeColor=colour, strokeWidth=1.5)
        if dash:
            line.strokeDashArray = list(dash)
        return [line, _marker(kind, x + 13, base + 3, 7, colour)]

    return draw
