"""Charts of one department across its audits, drawn with the board report's chart helpers.

Same rules as exporters/pdf_charts.py (values labelled, shapes as well as colour, user text
cut to fit, exactly `width` wide), so the app and the PDF can show the same drawing.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line

from exporters.chart_primitives import (
    AXIS,
    GRID,
    INK,
    MATURITY_FLOOR,
    MATURITY_TOP,
    MUTED,
    NAVY,
    SIZE,
    WHITE,
    Shape,
    Swatch,
    _clean,
    _drawing,
    _empty,
    _finite,
    _fit,
    _Key,
    _legend,
    _marker,
    _text,
    _width,
)
from exporters.pdf_fonts import register_fonts
from models.formatting import MATURITY, change_between, format_maturity


def _shape_swatch(kind: str, fill: object, edge: object, size: float) -> Swatch:
    def draw(x: float, base: float) -> list[Shape]:
        return [_marker(kind, x + 5, base + 3, size, fill, edge)]

    return draw


def maturity_trend_chart(
    cycles: Sequence[str],
    sections: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: float,
    height: float | None = None,
) -> Drawing:
    """Each section's maturity on one 1-5 row: first audit, those between, and the latest.

    The latest value is written at the row's end with its change since the first audit in
    words; the first audit is an open square, audits between are small dots, the latest a
    filled diamond, and a line joins first to latest, so direction reads without colour.
    """
    register_fonts()
    count = len(cycles)
    rows = [
        (title, [v if _finite(v) else None for v in list(values)[:count]])
        for title, values in sections
    ]
    if not count or not rows or not any(v is not None for _, values in rows for v in values):
        return _empty(width)

    first, last = _clean(cycles[0]), _clean(cycles[-1])
    keys: list[_Key] = []
    if count > 1:
        keys.append(_Key(_shape_swatch("square", WHITE, MUTED, 7.5), 10, f"{first} (first audit)"))
    if count > 2:
        keys.append(_Key(_shape_swatch("circle", AXIS, WHITE, 5.5), 10, "Audits between"))
    latest_key = f"{last}, with change since {first}" if count > 1 else last
    keys.append(_Key(_shape_swatch("diamond", NAVY, WHITE, 9), 10, latest_key))
    legend_height, legend = _legend(keys, width)

    def words(values: Sequence[float | None]) -> str:
        latest, start = values[-1], values[0]
        if latest is None:
            return "not scored"
        text = format_maturity(latest)
        if count > 1 and start is not None:
            text += f" ({change_between(latest, start, MATURITY)})"
        return text

    texts = [words(values) for _, values in rows]
    axis_height = SIZE + 6
    top_pad = legend_height + 8
    row = 21.0
    if height is not None:
        row = max((height - top_pad - axis_height) / len(rows), 6.0)
    total_height = top_pad + row * len(rows) + axis_height

    label_room = min(max(_width(_clean(t)) for t, _ in rows) + 8, width * 0.36)
    value_room = min(max(_width(t) for t in texts) + 10, width * 0.3)
    x0, x1 = label_room, width - value_room
    scale = (x1 - x0) / (MATURITY_TOP - MATURITY_FLOOR)
    plot_top = total_height - top_pad
    plot_bottom = plot_top - row * len(rows)

    def x_of(value: float) -> float:
        """The axis starts at 1, the bottom of the maturity scale."""
        return x0 + (min(max(value, MATURITY_FLOOR), MATURITY_TOP) - MATURITY_FLOOR) * scale

    shapes: list[Shape] = legend(total_height)
    for level in range(int(MATURITY_FLOOR), int(MATURITY_TOP) + 1):
        x = x_of(level)
        shapes.append(Line(x, plot_bottom, x, plot_top, strokeColor=GRID, strokeWidth=0.5))
        shapes.append(_text(x, plot_bottom - SIZE - 2, str(level), anchor="middle", colour=MUTED))
    shapes.append(_text(x0 - 8, plot_bottom - SIZE - 2, "Maturity", anchor="end", colour=MUTED))
    for index, (title, values) in enumerate(rows):
        mid = plot_top - row * (index + 0.5)
        base = mid - SIZE * 0.35
        shapes.append(_text(x0 - 8, base, _fit(title, x0 - 8), anchor="end"))
        start, latest = values[0], values[-1]
        if count > 1 and start is not None and latest is not None:
            shapes.append(
                Line(x_of(start), mid, x_of(latest), mid, strokeColor=MUTED, strokeWidth=1.2)
            )
        for value in values[1:-1]:
            if value is not None:
                shapes.append(_marker("circle", x_of(value), mid, 5.5, AXIS, WHITE))
        if count > 1 and start is not None:
            shapes.append(_marker("square", x_of(start), mid, 7.5, WHITE, MUTED))
        if latest is not None:
            shapes.append(_marker("diamond", x_of(latest), mid, 10, NAVY, WHITE))
        colour = INK if latest is not None else MUTED
        shapes.append(_text(x1 + 10, base, _fit(texts[index], value_room - 10), colour=colour))
    shapes.append(Line(x0, plot_bottom, x0, plot_top, strokeColor=AXIS, strokeWidth=0.75))
    return _drawing(width, total_height, shapes)
