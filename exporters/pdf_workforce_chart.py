"""The workforce-mix chart: one stacked bar per role family, numbered segments per staff type.

Same rules as exporters/pdf_charts.py; the stacked segments use the Okabe–Ito palette below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors

from exporters.chart_primitives import (
    AXIS,
    GRID,
    MUTED,
    SIZE,
    SMALL,
    WHITE,
    Shape,
    Swatch,
    _centred,
    _clean,
    _drawing,
    _empty,
    _finite,
    _fit,
    _Key,
    _legend,
    _nice_ticks,
    _on,
    _text,
    _width,
)
from exporters.pdf_fonts import SANS_BOLD, register_fonts
from models.formatting import format_count

# Stacked segments: the Okabe–Ito colour-blind-safe palette, in an order where each colour
# differs from the one before it in hue and by at least 12 in CIE lightness, so neighbouring
# segments part in grey too; each segment and key box also carries its type's number.
OKABE_ITO = (
    "#0072b2",  # blue, L* 46
    "#e69f00",  # orange, 71
    "#009e73",  # bluish green, 58
    "#f0e442",  # yellow, 89
    "#d55e00",  # vermillion, 54
    "#56b4e9",  # sky blue, 70
    "#000000",  # black, 0
    "#cc79a7",  # reddish purple, 61
    "#999999",  # grey, 63 (a ninth type only)
)


def _ramp(count: int) -> list[Any]:
    """`count` distinct colours in palette order (repeating past nine; the numbers still tell)."""
    return [colors.HexColor(OKABE_ITO[i % len(OKABE_ITO)]) for i in range(count)]


def _numbered_swatch(fill: Any, number: int) -> Swatch:
    """A key box carrying the number its segments carry too, so the key reads without colour."""

    def draw(x: float, base: float) -> list[Shape]:
        return [
            Rect(x, base - 2, 12, 10, fillColor=fill, strokeColor=None),
            _text(x + 6, base + 0.5, str(number), size=SMALL, anchor="middle", colour=_on(fill)),
        ]

    return draw


def workforce_mix_chart(
    families: Sequence[str],
    staff_types: Sequence[str],
    values: Mapping[tuple[str, str], float],
    *,
    measure: str = "FTE",
    width: float,
    height: float | None = None,
) -> Drawing:
    """One stacked bar per role family, segments per staff type, so the mix reads at a glance."""
    register_fonts()

    def value(family: str, kind: str) -> float:
        number = values.get((family, kind), 0.0)
        return float(number) if _finite(number) and number > 0 else 0.0

    types = [t for t in staff_types if any(value(f, t) for f in families)]
    if not families or not types:
        return _empty(width)
    fills = dict(zip(types, _ramp(len(types)), strict=True))
    totals = [sum(value(f, t) for t in types) for f in families]
    ticks = _nice_ticks(max(totals))

    numbers = {t: n for n, t in enumerate(types, 1)}
    keys = [_Key(_numbered_swatch(fills[t], numbers[t]), 12, t) for t in types]
    legend_height, legend = _legend(keys, width)
    axis_height = SIZE + 6
    top_pad = legend_height + 8
    row = 22.0
    if height is not None:
        row = max((height - top_pad - axis_height) / len(families), 6.0)
    bar = min(row * 0.68, 16.0)
    total_height = top_pad + row * len(families) + axis_height  # `height` unless too small

    label_room = min(max(_width(_clean(f)) for f in families) + 8, width * 0.32)
    total_room = max(_width(format_count(t), SIZE, SANS_BOLD) for t in totals) + 6
    x0, x1 = label_room, width - total_room
    scale = (x1 - x0) / ticks[-1]
    plot_top = total_height - top_pad
    plot_bottom = plot_top - row * len(families)

    shapes: list[Shape] = legend(total_height)
    for tick in ticks:
        x = x0 + tick * scale
        shapes.append(Line(x, plot_bottom, x, plot_top, strokeColor=GRID, strokeWidth=0.5))
        label = format_count(tick)
        shapes.append(
            _text(_centred(x, label, 0, width), plot_bottom - SIZE - 2, label, anchor="middle")
        )
    shapes.append(
        _text(x0 - 8, plot_bottom - SIZE - 2, _fit(measure, x0 - 8), anchor="end", colour=MUTED)
    )

    for index, family in enumerate(families):
        y = plot_top - row * (index + 0.5) - bar / 2
        shapes.append(_text(x0 - 8, y + bar / 2 - SIZE * 0.35, _fit(family, x0 - 8), anchor="end"))
        left = x0
        for kind in types:
            amount = value(family, kind)
            if not amount:
                continue
            span = amount * scale
            fill = fills[kind]
            shapes.append(
                Rect(left, y, span, bar, fillColor=fill, strokeColor=WHITE, strokeWidth=0.8)
            )
            # the key's number then the figure; just the number when the figure will not fit
            label = f"{numbers[kind]}: {format_count(amount)}"
            if _width(label, SMALL) + 4 > span:
                label = str(numbers[kind])
            if _width(label, SMALL) + 4 <= span and bar >= SMALL + 2:
                shapes.append(
                    _text(
                        left + span / 2,
                        y + bar / 2 - SMALL * 0.35,
                        label,
                        size=SMALL,
                        anchor="middle",
                        colour=_on(fill),
                    )
                )
            left += span
        shapes.append(
            _text(
                left + 4,
                y + bar / 2 - SIZE * 0.35,
                format_count(totals[index]),
                font=SANS_BOLD,
            )
        )
    shapes.append(Line(x0, plot_bottom, x0, plot_top, strokeColor=AXIS, strokeWidth=0.75))
    return _drawing(width, total_height, shapes)
