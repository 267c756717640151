"""A report chart (a reportlab Drawing) as a PNG image, for the Word report.

reportlab's own bitmap renderer now needs cairo, which no wheel brings; the charts use only
lines, polylines, rectangles, circles, polygons and strings in the embedded Noto font, so
Pillow (which reportlab already depends on) draws them here. Drawn at twice the size and
scaled down, edges are smooth; text is Pillow's own anti-aliased TrueType.
"""

from __future__ import annotations

import io
from functools import cache
from itertools import pairwise
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Circle, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from exporters.pdf_fonts import SANS, SANS_BOLD, SANS_ITALIC, font_dir, register_fonts

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
}
SUPERSAMPLE = 2


@cache
def _font(name: str, pixels: int) -> Any:
    return ImageFont.truetype(str(font_dir() / _FILES.get(name, _FILES[SANS])), pixels)


def _rgb(colour: Any) -> tuple[int, int, int] | None:
    if colour is None or not isinstance(colour, Color):
        return None
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


def drawing_png(drawing: Any, dpi: int = 180) -> bytes:
    """The drawing as PNG bytes at `dpi` on white (its size in points is kept: 72 per inch)."""
    register_fonts()
    final = dpi / 72
    scale = final * SUPERSAMPLE
    width = max(1, round(drawing.width * scale))
    height = max(1, round(drawing.height * scale))
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * scale, height - y * scale)

    for shape in _shapes(drawing):
        _draw(pen, shape, at, scale)
    out = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(out, "PNG", dpi=(dpi, dpi), compress_level=3)
    return out.getvalue()


def _shapes(node: Any) -> list[Any]:
    found: list[Any] = []
    for item in node.getContents():
        if isinstance(item, Group):
            found += _shapes(item)  # the charts never transform groups
        else:
            found.append(item)
    return found


def _draw(pen: Any, shape: Any, at: Any, scale: float) -> None:
    stroke = _rgb(getattr(shape, "strokeColor", None))
    fill = _rgb(getattr(shape, "fillColor", None))
    line = max(1, round((getattr(shape, "strokeWidth", 1) or 0) * scale))
    if isinstance(shape, String):
        _string(pen, shape, at, scale)
    elif isinstance(shape, Line):
        if stroke is not None:
            _polyline(pen, [at(shape.x1, shape.y1), at(shape.x2, shape.y2)], stroke, line, shape)
    elif isinstance(shape, PolyLine):
        points = shape.points
        xy = [at(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
        if stroke is not None and len(xy) >= 2:
            _polyline(pen, xy, stroke, line, shape)
    elif isinstance(shape, Polygon):
        points = shape.points
        xy = [at(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
        pen.polygon(xy, fill=fill, outline=stroke, width=line if stroke else 0)
    elif isinstance(shape, Rect):
        x0, y1 = at(shape.x, shape.y)
        x1, y0 = at(shape.x + shape.width, shape.y + shape.height)
        pen.rectangle([x0, y0, x1, y1], fill=fill, outline=stroke, width=line if stroke else 0)
    elif isinstance(shape, Circle):
        cx, cy = at(shape.cx, shape.cy)
        r = shape.r * scale
        box = [cx - r, cy - r, cx + r, cy + r]
        pen.ellipse(box, fill=fill, outline=stroke, width=line if stroke else 0)


def _polyline(pen: Any, xy: list[tuple[float, float]], colour: Any, width: int, shape: Any) -> None:
    dash = getattr(shape, "strokeDashArray", None)
    if not dash:
        pen.line(xy, fill=colour, width=width, joint="curve")
        return
    scale = width / max(getattr(shape, "strokeWidth", 1) or 1, 0.1)
    pattern = [max(1.0, d * scale) for d in dash]
    for (x0, y0), (x1, y1) in pairwise(xy):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        pos, index, on = 0.0, 0, True
        while pos < length:
            step = min(pattern[index % len(pattern)], length - pos)
            if on and length:
                a, b = pos / length, (pos + step) / length
                start = (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)
                end = (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)
                pen.line([start, end], fill=colour, width=width)
            pos += step
            index += 1
            on = not on


def _string(pen: Any, shape: Any, at: Any, scale: float) -> None:
    text = shape.text
    if not text:
        return
    name = shape.fontName or SANS
    size = shape.fontSize
    width = stringWidth(text, name, size)  # the width the chart was laid out with
    x = shape.x
    if shape.textAnchor == "middle":
        x -= width / 2
    elif shape.textAnchor == "end":
        x -= width
    font = _font(name, max(1, round(size * scale)))
    left, base = at(x, shape.y)
    pen.text((left, base), text, font=font, fill=_rgb(shape.fillColor) or (0, 0, 0), anchor="ls")
