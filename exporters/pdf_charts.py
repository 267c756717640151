"""Board-report charts as reportlab Drawings that read in greyscale and without colour vision.

Every chart labels its values directly, names its categories in words (RAG ratings included),
orders its legend as its segments are stacked, tells series apart by marker shape and dash
pattern as well as colour, and cuts user-typed names with an ellipsis so nothing leaves the
drawing. Titles are not drawn: the report puts a heading above each chart. Empty data gives a
one-line drawing saying so instead of raising. Each chart is exactly `width` wide; a given
`height` is kept unless it is too small for the rows, when the chart takes the least it needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect

from exporters.chart_primitives import (
    _SERIES,
    AXIS,
    BLACK,
    GRID,
    INK,
    MATURITY_FLOOR,
    MATURITY_TOP,
    MID_BLUE,
    MUTED,
    NO_DATA,
    ROW_GAP,
    SIZE,
    WHITE,
    Shape,
    _box_swatch,
    _centred,
    _clean,
    _drawing,
    _empty,
    _finite,
    _fit,
    _hex,
    _Key,
    _legend,
    _line_swatch,
    _luminance,
    _marker,
    _marker_swatch,
    _nice_ticks,
    _text,
    _width,
    _wrap,
)
from exporters.pdf_fonts import SANS, SANS_BOLD, register_fonts
from exporters.pdf_workforce_chart import OKABE_ITO as OKABE_ITO
from exporters.pdf_workforce_chart import workforce_mix_chart as workforce_mix_chart
from models.cycle_summary import MEDIAN_OF_AT_LEAST
from models.formatting import format_count, format_maturity, format_money, format_share

# --------------------------------------------------------------------------- share trend


def share_trend_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: float,
    height: float | None = None,
) -> Drawing:
    """Shares (points, 45 = 45%) across audit cycles, every point labelled, gaps left as gaps."""
    register_fonts()
    count = len(categories)
    lines = [
        (name, [v if _finite(v) else None for v in list(points)[:count]] + [None] * count)
        for name, points in series
    ]
    lines = [(name, points[:count]) for name, points in lines if any(_finite(v) for v in points)]
    if not count or not lines:
        return _empty(width)

    styles = [_SERIES[i % len(_SERIES)] for i in range(len(lines))]
    keys = [
        _Key(_line_swatch(_hex(c), kind, dash), 26, _clean(name))
        for (name, _), (c, kind, dash) in zip(lines, styles, strict=True)
    ]
    legend_height, legend = _legend(keys, width)

    biggest = max(v for _, points in lines for v in points if v is not None)
    ticks = [0.0, 25.0, 50.0, 75.0, 100.0] if biggest > 60 else _nice_ticks(biggest * 1.1)
    if biggest > 100:
        ticks = _nice_ticks(biggest)
    top_value = ticks[-1]

    y_room = max(_width(format_share(t)) for t in ticks) + 6
    x0, x1 = y_room, width
    slot = (x1 - x0) / count
    cat_lines = [_wrap(c, slot - 6, 3) for c in categories]
    cat_height = (SIZE + ROW_GAP) * max(len(c) for c in cat_lines) + 4
    top_pad = legend_height + 6 + SIZE + 6  # room for labels above the highest point
    plot = 150.0 if height is None else max(height - top_pad - cat_height, 30.0)
    total_height = top_pad + plot + cat_height
    y0 = cat_height

    def at(index: int, share: float) -> tuple[float, float]:
        clamped = min(max(share, 0.0), top_value)
        return x0 + slot * (index + 0.5), y0 + plot * clamped / top_value

    shapes: list[Shape] = legend(total_height)
    for tick in ticks:
        y = y0 + plot * tick / top_value
        colour, stroke = (AXIS, 0.75) if tick == 0 else (GRID, 0.5)
        shapes.append(Line(x0, y, x1, y, strokeColor=colour, strokeWidth=stroke))
        shapes.append(
            _text(x0 - 5, y - SIZE * 0.35, format_share(tick), anchor="end", colour=MUTED)
        )
    for index, label_lines in enumerate(cat_lines):
        x = x0 + slot * (index + 0.5)
        for line_no, line in enumerate(label_lines):
            y = y0 - 4 - SIZE - line_no * (SIZE + ROW_GAP)
            shapes.append(_text(_centred(x, line, x0, x1), y, line, anchor="middle"))

    for (_, points), (c, _kind, dash) in zip(lines, styles, strict=True):
        colour = _hex(c)
        run: list[float] = []
        for index, share in enumerate([*points, None]):
            if share is not None:
                run += list(at(index, share))
                continue
            if len(run) >= 4:
                line = PolyLine(run, strokeColor=colour, strokeWidth=1.5, fillColor=None)
                if dash:
                    line.strokeDashArray = list(dash)
                shapes.append(line)
            run = []

    labels: list[Shape] = []
    ceiling = total_height - legend_height - 2
    for index in range(count):
        x = x0 + slot * (index + 0.5)
        here: list[tuple[float, float, int]] = []
        for s, (_, points) in enumerate(lines):
            share = points[index]
            if share is not None:
                here.append((at(index, share)[1], share, s))
        here.sort(reverse=True)
        taken = [(x - 4.5, x + 4.5, y - 4.5, y + 4.5) for y, _, _ in here]  # the markers
        for rank, (y, share, s) in enumerate(here):
            c, kind, _dash = styles[s]
            shapes.append(_marker(kind, x, y, 7.5, _hex(c)))
            text = format_share(share)
            box, anchor, base = _place_point_label(
                x,
                y,
                _width(text),
                taken,
                prefer_below=0 < rank == len(here) - 1,
                floor=y0 + 1,
                ceiling=ceiling,
                right_edge=width,
            )
            taken.append(box)
            labels.append(_text(base[0], base[1], text, anchor=anchor, colour=_hex(c)))
    shapes += labels
    return _drawing(width, total_height, shapes)


Box = tuple[float, float, float, float]  # left, right, bottom, top


def _place_point_label(
    x: float,
    y: float,
    text_width: float,
    taken: Sequence[Box],
    *,
    prefer_below: bool,
    floor: float,
    ceiling: float,
    right_edge: float,
) -> tuple[Box, str, tuple[float, float]]:
    """Where a point's value label goes: above, below or right of it, clear of the others."""
    cap = SIZE * 0.75  # the height of digits and %
    half = text_width / 2
    left = min(max(x - half, 0.0), right_edge - text_width)
    above = ((left, left + text_width, y + 6, y + 6 + cap), "middle", (left + half, y + 6))
    below_base = y - 6 - cap
    below = (
        (left, left + text_width, below_base, below_base + cap),
        "middle",
        (left + half, below_base),
    )
    side_x = min(x + 7, right_edge - text_width)
    side_base = y - cap / 2
    side = ((side_x, side_x + text_width, side_base, side_base + cap), "start", (side_x, side_base))
    options = [below, above, side] if prefer_below else [above, below, side]

    def clash(box: Box) -> float:
        outside = max(floor - box[2], 0.0) + max(box[3] - ceiling, 0.0)
        overlap = sum(
            max(0.0, min(box[1], o[1]) - max(box[0], o[0]) + 1)
            * max(0.0, min(box[3], o[3]) - max(box[2], o[2]) + 1)
            for o in taken
        )
        return outside * 100 + overlap

    return min(options, key=lambda option: clash(option[0]))


# --------------------------------------------------------------------------- maturity


def maturity_vs_median_chart(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    subject: str = "This department",
    width: float,
    height: float | None = None,
) -> Drawing:
    """Each section's maturity as a bar with the cross-government median marked on it."""
    register_fonts()
    if not rows or not any(_finite(v) or _finite(m) for _, v, m in rows):
        return _empty(width)

    def words(value: float | None, median: float | None) -> str:
        text = format_maturity(value) if _finite(value) else "not scored"
        return f"{text} (median {format_maturity(median)})" if _finite(median) else text

    texts = [words(v, m) for _, v, m in rows]
    keys = [
        _Key(_box_swatch(MID_BLUE), 10, _clean(subject) or "This department"),
        _Key(_marker_swatch("diamond", BLACK), 10, "Cross-government median"),
    ]
    legend_height, legend = _legend(keys, width)
    axis_height = SIZE + 6
    top_pad = legend_height + 8
    row = 21.0
    if height is not None:
        row = max((height - top_pad - axis_height) / len(rows), 6.0)
    bar = min(row * 0.6, 12.0)
    total_height = top_pad + row * len(rows) + axis_height

    label_room = min(max(_width(_clean(t)) for t, _, _ in rows) + 8, width * 0.36)
    value_room = min(max(_width(t) for t in texts) + 8, width * 0.3)
    x0, x1 = label_room, width - value_room
    scale = (x1 - x0) / (MATURITY_TOP - MATURITY_FLOOR)
    plot_top = total_height - top_pad
    plot_bottom = plot_top - row * len(rows)

    def x_of(level: float) -> float:
        """Maturity runs 1 to 5: the axis starts at 1, so a bar's length is its distance above 1."""
        return x0 + (min(max(level, MATURITY_FLOOR), MATURITY_TOP) - MATURITY_FLOOR) * scale

    shapes: list[Shape] = legend(total_height)
    for level in range(int(MATURITY_FLOOR), int(MATURITY_TOP) + 1):
        x = x_of(level)
        shapes.append(Line(x, plot_bottom, x, plot_top, strokeColor=GRID, strokeWidth=0.5))
        label_x = _centred(x, str(level), 0, width)
        shapes.append(
            _text(label_x, plot_bottom - SIZE - 2, str(level), anchor="middle", colour=MUTED)
        )
    shapes.append(_text(x0 - 8, plot_bottom - SIZE - 2, "Maturity", anchor="end", colour=MUTED))
    for index, (title, value, median) in enumerate(rows):
        mid = plot_top - row * (index + 0.5)
        base = mid - SIZE * 0.35
        shapes.append(_text(x0 - 8, base, _fit(title, x0 - 8), anchor="end"))
        if _finite(value):
            span = max(x_of(float(value or 0)) - x0, 1.5)  # a sliver at 1, so it still shows
            shapes.append(Rect(x0, mid - bar / 2, span, bar, fillColor=MID_BLUE, strokeColor=None))
        if _finite(median):
            x = x_of(float(median or 0))
            shapes.append(_marker("diamond", x, mid, min(bar, 10.0) + 1, BLACK))
        colour = INK if _finite(value) else MUTED
        shapes.append(_text(x1 + 8, base, _fit(texts[index], value_room - 8), colour=colour))
    shapes.append(Line(x0, plot_bottom, x0, plot_top, strokeColor=AXIS, strokeWidth=0.75))
    return _drawing(width, total_height, shapes)


# --------------------------------------------------------------------------- programmes


def programmes_by_confidence_chart(
    rows: Sequence[tuple[str, str, int, float]],
    *,
    width: float,
    height: float | None = None,
) -> Drawing:
    """How many major programmes, and how much money, sit at each delivery confidence rating."""
    register_fonts()
    if not rows or not any(count > 0 for _, _, count, _ in rows):
        return _empty(width)

    def words(count: int, cost: float) -> str:
        text = f"{count:,} programme{'' if count == 1 else 's'}"
        return f"{text} · {format_money(cost)}" if _finite(cost) and cost > 0 else text

    texts = [words(count, cost) for _, _, count, cost in rows]
    row = 22.0
    if height is not None:
        row = max((height - 4) / len(rows), 6.0)
    bar = min(row * 0.64, 14.0)
    total_height = row * len(rows) + 4

    label_room = min(max(_width(_clean(r[0])) for r in rows) + 8, width * 0.3)
    value_room = min(max(_width(t) for t in texts) + 8, width * 0.4)
    x0, x1 = label_room, width - value_room
    most = max(count for _, _, count, _ in rows)
    scale = (x1 - x0) / most
    plot_top = total_height - 2

    shapes: list[Shape] = []
    for index, (label, colour, count, _) in enumerate(rows):
        mid = plot_top - row * (index + 0.5)
        base = mid - SIZE * 0.35
        shapes.append(_text(x0 - 8, base, _fit(label, x0 - 8), anchor="end"))
        span = max(count, 0) * scale
        fill = _hex(colour)
        edge = MUTED if _luminance(fill) > 0.6 else None  # pale fills need an edge on paper
        if span:
            shapes.append(
                Rect(
                    x0, mid - bar / 2, span, bar, fillColor=fill, strokeColor=edge, strokeWidth=0.5
                )
            )
        shapes.append(
            _text(x0 + span + 6, base, _fit(texts[index], x1 - x0 - span + value_room - 6))
        )
    bottom = plot_top - row * len(rows)
    shapes.append(Line(x0, bottom, x0, plot_top, strokeColor=AXIS, strokeWidth=0.75))
    return _drawing(width, total_height, shapes)


# --------------------------------------------------------------------------- distribution


def distribution_chart(
    values: Sequence[tuple[str, float | None]],
    *,
    scale: tuple[float, float] = (1.0, 5.0),
    unit: str = "",
    highlight: str | None = None,
    width: float,
    height: float | None = None,
) -> Drawing:
    """Every department's value as a dot on one scale, with the median and one named department."""
    register_fonts()
    scored = [(name, float(v)) for name, v in values if v is not None and _finite(v)]
    missing = len(values) - len(scored)
    if not scored:
        message = NO_DATA if not missing else f"{NO_DATA[:-1]} ({missing:,} not scored)."
        return _empty(width, message)

    def words(value: float) -> str:
        return format_share(value) if unit == "%" else f"{format_maturity(value)}{unit}"

    low, high = scale
    if not high > low:
        low, high = min(v for _, v in scored), max(v for _, v in scored) + 1.0
    pad = 8.0
    x0, x1 = pad, width - pad

    def x_of(value: float) -> float:
        return x0 + (x1 - x0) * (min(max(value, low), high) - low) / (high - low)

    radius = 4.0
    target = next((i for i, (name, _) in enumerate(scored) if name == highlight), None)
    # the highlighted department stacks last, on top of its pile, so its leader crosses no dot
    ordered = sorted(range(len(scored)), key=lambda i: (i == target, scored[i][1]))
    levels: list[list[float]] = []
    level_of: dict[int, int] = {}
    for i in ordered:
        x = x_of(scored[i][1])
        level = next(
            (k for k, xs in enumerate(levels) if all(abs(x - o) >= 2 * radius + 0.5 for o in xs)),
            len(levels),
        )
        if level == len(levels):
            levels.append([])
        levels[level].append(x)
        level_of[i] = level

    row_height = SIZE + 6
    note_height = SIZE + 6
    axis_height = SIZE + 8
    label_rows = 1 + (target is not None)
    step = 2 * radius + 1
    dots = step * len(levels) + 4
    if height is not None:
        dots = max(height - label_rows * row_height - note_height - axis_height, 2 * radius + 4)
        step = min(step, (dots - 4) / max(len(levels), 1))
    total_height = label_rows * row_height + dots + axis_height + note_height
    axis_y = note_height + axis_height
    dots_top = axis_y + dots

    shapes: list[Shape] = [Line(x0, axis_y, x1, axis_y, strokeColor=AXIS, strokeWidth=0.75)]
    if high - low <= 10 and float(low).is_integer() and float(high).is_integer():
        tick_values = [low + i for i in range(int(high - low) + 1)]
    else:
        tick_values = [low + t for t in _nice_ticks(high - low) if low + t <= high + 1e-9]
    for tick in tick_values:
        x = x_of(tick)
        text = format_share(tick) if unit == "%" else f"{format_count(tick)}{unit}"
        shapes.append(Line(x, axis_y, x, axis_y - 3, strokeColor=AXIS, strokeWidth=0.75))
        shapes.append(
            _text(
                _centred(x, text, 0, width), axis_y - 4 - SIZE, text, anchor="middle", colour=MUTED
            )
        )

    if len(scored) >= MEDIAN_OF_AT_LEAST:  # the median of one or two is not one (as tables)
        median_value = _median([v for _, v in scored])
        mx = x_of(median_value)
        line = Line(mx, axis_y, mx, dots_top + 2, strokeColor=INK, strokeWidth=0.8)
        line.strokeDashArray = [2, 1.5]
        shapes.append(line)
        label = f"Median {words(median_value)}"
        shapes.append(
            _text(
                _centred(mx, label, 0, width),
                total_height - row_height + 4,
                label,
                font=SANS_BOLD,
                anchor="middle",
            )
        )

    for i, (_, value) in enumerate(scored):
        if i == target:
            continue
        y = axis_y + radius + 2 + level_of[i] * step
        shapes.append(
            Circle(x_of(value), y, radius, fillColor=MID_BLUE, strokeColor=WHITE, strokeWidth=0.8)
        )
    if target is not None:
        name, value = scored[target]
        x = x_of(value)
        y = axis_y + radius + 2 + level_of[target] * step
        label_y = total_height - 2 * row_height + 4
        shapes.append(Line(x, y + radius + 2, x, label_y - 3, strokeColor=INK, strokeWidth=0.6))
        shapes.append(_marker("diamond", x, y, 2 * radius + 3, BLACK))
        text = f"{_fit(name, width * 0.6)} {words(value)}"
        shapes.append(
            _text(_centred(x, text, 0, width, SIZE), label_y, text, font=SANS, anchor="middle")
        )

    note = f"Each dot is one of {len(scored):,} departments"
    if len(scored) == 1:
        note = "The dot is the one department scored"
    if len(scored) < MEDIAN_OF_AT_LEAST:
        note += f"; no median of fewer than {MEDIAN_OF_AT_LEAST}"
    if missing:
        note += f"; {missing:,} not scored"
    if highlight is not None and target is None:
        note += f"; {_clean(highlight)} not scored"
    shapes.append(_text(0, 3, _fit(note + ".", width), colour=MUTED))
    return _drawing(width, total_height, shapes)


def _median(numbers: Sequence[float]) -> float:
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
