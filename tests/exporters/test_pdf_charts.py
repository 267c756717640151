"""Report charts and number formats, rendered into real PDFs and read back with pypdf."""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdf
import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.pdfbase import pdfmetrics

from exporters.pdf_charts import (
    distribution_chart,
    maturity_vs_median_chart,
    programmes_by_confidence_chart,
    share_trend_chart,
    workforce_mix_chart,
)
from exporters.pdf_fonts import SANS, register_fonts
from exporters.trend_charts import maturity_trend_chart
from models.report_numbers import (
    format_change,
    format_count,
    format_maturity,
    format_money,
    format_share,
)

WIDTH = 483.0  # the A4 frame: 595 pt less two 56 pt margins
WELSH = "Ŵyn Ŷwain – Cymru £"
LONG = "Digital, Data and Technology profession (including " + "very " * 60 + "long names)"

FAMILIES = [
    "Architecture",
    "Chief Digital and Data",
    "Data",
    "IT Operations",
    "Product and Delivery",
    "Quality Assurance Testing",
    "Software Development",
    "User-Centred Design",
    "Other",
]
STAFF_TYPES = [
    "Permanent civil servant",
    "Fixed-term",
    "Agency",
    "Interim manager",
    "Specialist contractor",
    "Consultant",
    "Other contingent labour",
    "Outsourced",
]
RAG = [
    ("Green", "#00703c", 2, 450_000_000.0),
    ("Amber/Green", "#85994b", 1, 60_000_000.0),
    ("Amber", "#ffdd00", 4, 2_340_000_000.0),
    ("Amber/Red", "#f47738", 3, 1_200_000_000.0),
    ("Red", "#d4351c", 1, 95_000_000.0),
]
SECTIONS = [
    ("Board capability", 3.2, 2.8),
    ("Strategy and alignment", 2.5, 2.9),
    ("Governance mechanisms", 4.0, 3.1),
    ("Senior technology roles", None, 2.6),
    ("Money", 1.8, None),
]
DEPARTMENTS: list[tuple[str, float | None]] = [
    ("Department for Work and Pensions", 3.4),
    ("Home Office", 2.8),
    ("HM Revenue & Customs", 3.1),
    ("Ministry of Justice", 2.5),
    ("Cabinet Office", 2.8),
    ("Department for Education", 2.1),
    ("Ministry of Defence", 2.8),
    ("Department for Culture, Media and Sport", None),
    ("Department for Transport", None),
]


def workforce_values() -> dict[tuple[str, str], float]:
    values: dict[tuple[str, str], float] = {}
    for f, family in enumerate(FAMILIES):
        for t, kind in enumerate(STAFF_TYPES):
            if (f + t) % 3:
                values[(family, kind)] = float(4 + (f * 7 + t * 5) % 23)
    values[("Software Development", "Permanent civil servant")] = 182.5
    values[("IT Operations", "Outsourced")] = 240.0
    return values


# --------------------------------------------------------------------------- helpers


def pdf_text(drawing: Drawing, tmp_path: Path, name: str = "chart.pdf") -> str:
    """The drawing rendered into a one-page PDF and its text read back, spaces normalised."""
    path = tmp_path / name
    renderPDF.drawToFile(drawing, str(path))
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("NotoSans" in f for f in fonts), fonts  # embedded, no Helvetica
    return " ".join(page.extract_text().split())


def walk(node: Any) -> Iterator[Any]:
    for item in getattr(node, "contents", []):
        yield item
        if isinstance(item, Group):
            yield from walk(item)


def strings(drawing: Drawing) -> list[Any]:
    return [s for s in walk(drawing) if isinstance(s, String)]


def texts(drawing: Drawing) -> list[str]:
    return [s.text for s in strings(drawing)]


def assert_fits(drawing: Drawing, width: float = WIDTH) -> None:
    """Every string and shape lies inside the drawing, which is exactly `width` wide."""
    assert drawing.width == pytest.approx(width)
    assert not any(
        isinstance(item, Group) and item.transform != (1, 0, 0, 1, 0, 0) for item in walk(drawing)
    )
    for s in strings(drawing):
        size = pdfmetrics.stringWidth(s.text, s.fontName, s.fontSize)
        left = {"start": s.x, "middle": s.x - size / 2, "end": s.x - size}[s.textAnchor]
        assert left >= -0.01, (s.text, left)
        assert left + size <= width + 0.01, (s.text, left + size, width)
        assert 0 <= s.y <= drawing.height - s.fontSize * 0.7, (s.text, s.y, drawing.height)
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -1 and y0 >= -1 and x1 <= width + 1 and y1 <= drawing.height + 1


def lightness(colour: Any) -> float:
    """CIE L* of a reportlab colour (0 black to 100 white)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    y = 0.2126 * linear(colour.red) + 0.7152 * linear(colour.green) + 0.0722 * linear(colour.blue)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


# --------------------------------------------------------------------------- report_format


@pytest.mark.parametrize(
    ("pounds", "expected"),
    [
        (1_234_000_000, "£1.23bn"),
        (1_200_000_000, "£1.2bn"),
        (350_000_000, "£350m"),
        (45_300_000, "£45.3m"),
        (1_250_000.50, "£1.25m"),
        (2_000_000, "£2m"),
        (12_400, "£12k"),
        (1_500, "£1.5k"),
        (900, "£900"),
        (0, "£0"),
        (-1_200_000, "-£1.2m"),
        (999_960_000, "£1bn"),
        (999_600, "£1m"),
        (1_234_000_000_000, "£1,234bn"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_format_money(pounds: float | None, expected: str) -> None:
    assert format_money(pounds) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (45, "45%"),
        (4.5, "5%"),
        (8.33, "8%"),
        (99.6, ">99%"),
        (45.3, "45%"),
        (45.5, "46%"),
        (9.96, "10%"),
        (0, "0%"),
        (100, "100%"),
        (0.04, "<1%"),
        (0.5, "1%"),
        (None, "–"),
    ],
)
def test_format_share(points: float | None, expected: str) -> None:
    assert format_share(points) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3.2, "3.2"), (3, "3.0"), (3.25, "3.3"), (None, "–")]
)
def test_format_maturity(value: float | None, expected: str) -> None:
    assert format_maturity(value) == expected


@pytest.mark.parametrize(
    ("delta", "unit", "expected"),
    [
        (4.0, "pts", "Up 4 points"),
        (4.5, "points", "Up 5 points"),
        (-1.0, "points", "Down 1 point"),
        (1.0, "maturity", "Up 1.0"),
        (-3.0, "points", "Down 3 points"),
        (0.3, "", "Up 0.3"),
        (-0.25, "", "Down 0.3"),
        (-0.04, "", "No change"),
        (0.0, "", "No change"),
        (3.2 - 2.2, "", "Up 1"),
        (2.0, "", "Up 2"),
        (None, "pts", ""),
    ],
)
def test_format_change(delta: float | None, unit: str, expected: str) -> None:
    assert format_change(delta, unit) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1234, "1,234"), (12.5, "12.5"), (1_234_567.25, "1,234,567.3"), (0, "0"), (None, "–")],
)
def test_format_count(n: float | None, expected: str) -> None:
    assert format_count(n) == expected


def test_every_formatted_character_is_in_the_embedded_font() -> None:
    register_fonts()
    glyphs = pdfmetrics.getFont(SANS).face.charToGlyph
    samples = [
        *(format_money(v) for v in (None, -1_234_000_000, 12_400, 900)),
        *(format_share(v) for v in (None, 0.01, 45)),
        format_maturity(None),
        *(format_change(d, u) for d in (-4.0, 0.0, 2.5) for u in ("", "pts")),
        format_count(1_234_567.5),
    ]
    missing = {ch for text in samples for ch in text if ord(ch) not in glyphs}
    assert not missing


# --------------------------------------------------------------------------- workforce mix


def test_workforce_mix_labels_legend_and_totals_print(tmp_path: Path) -> None:
    values = workforce_values()
    drawing = workforce_mix_chart(FAMILIES, STAFF_TYPES, values, width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    for name in [*FAMILIES, *STAFF_TYPES, "FTE"]:
        assert name in text
    software = sum(v for (f, _), v in values.items() if f == "Software Development")
    assert format_count(software) in texts(drawing)
    assert "182.5" in text and "240" in text  # segments wide enough carry their value


OKABE_ITO = {
    "0x0072b2", "0xe69f00", "0x009e73", "0xf0e442", "0xd55e00", "0x56b4e9", "0x000000",
    "0xcc79a7", "0x999999",
}  # fmt: skip


def hue(colour: Any) -> float | None:
    """Hue in degrees, None for a grey (black, white and greys have none)."""
    h, _l, sat = colorsys.rgb_to_hls(colour.red, colour.green, colour.blue)
    return None if sat < 0.1 or _l in (0.0, 1.0) else h * 360


def test_workforce_mix_tells_staff_types_apart_by_hue_not_only_shade() -> None:
    drawing = workforce_mix_chart(FAMILIES, STAFF_TYPES, workforce_values(), width=WIDTH)
    legend = [t for t in texts(drawing) if t in STAFF_TYPES]
    assert legend == STAFF_TYPES
    fills: dict[int, list[Any]] = {}
    for rect in (r for r in walk(drawing) if isinstance(r, Rect) and r.width == 12):
        fills.setdefault(round(rect.y), []).append(rect.fillColor)
    swatches = [c for row in sorted(fills, reverse=True) for c in fills[row]]
    assert len(swatches) == len(STAFF_TYPES)
    # colour-blind-safe hues, every one different
    assert {c.hexval() for c in swatches} <= OKABE_ITO
    assert len({c.hexval() for c in swatches}) == len(swatches)
    hues = [hue(c) for c in swatches]
    chromatic = [h for h in hues if h is not None]
    assert len(chromatic) >= 6
    for a, b in pairwise(swatches):
        # neighbours differ in hue (or one is a grey) and in lightness, so they part in grey too
        ha, hb = hue(a), hue(b)
        assert ha is None or hb is None or min(abs(ha - hb), 360 - abs(ha - hb)) >= 20
        assert abs(lightness(a) - lightness(b)) >= 12
    segments = [
        r
        for r in walk(drawing)
        if isinstance(r, Rect) and r.strokeColor is not None and r.width > 0
    ]
    assert segments and all(s.strokeColor.hexval() == "0xffffff" for s in segments)


def test_workforce_mix_numbers_tie_segments_to_the_key_without_colour() -> None:
    values = workforce_values()
    drawing = workforce_mix_chart(FAMILIES, STAFF_TYPES, values, width=WIDTH)
    shown = [t for t in STAFF_TYPES if any(v for (_, k), v in values.items() if k == t)]
    labels = texts(drawing)
    # the key's swatches are numbered 1..n in legend order
    for number in range(1, len(shown) + 1):
        assert str(number) in labels
    # a segment wide enough says which type it is and its figure: "n: value"
    numbered = [t for t in labels if re.fullmatch(r"\d+: [\d,.]+", t)]
    assert numbered
    for label in numbered:
        number, figure = label.split(": ")
        kind = shown[int(number) - 1]
        assert any(format_count(v) == figure for (_, k), v in values.items() if k == kind), label


def test_workforce_mix_with_long_and_welsh_names_fits(tmp_path: Path) -> None:
    families = [LONG, WELSH]
    kinds = [LONG + " staff", "Consultant"]
    values = {(LONG, LONG + " staff"): 12.0, (WELSH, "Consultant"): 3.5, (LONG, "Consultant"): 1}
    drawing = workforce_mix_chart(families, kinds, values, measure="headcount", width=WIDTH)
    assert_fits(drawing)
    assert any(t.endswith("…") for t in texts(drawing))
    text = pdf_text(drawing, tmp_path)
    assert WELSH in text and "headcount" in text and "16.5" not in text and "13" in text


@pytest.mark.parametrize(
    ("families", "kinds", "values"),
    [([], [], {}), (["Data"], ["Agency"], {}), (["Data"], ["Agency"], {("Data", "Agency"): 0.0})],
)
def test_workforce_mix_without_data_says_so(
    tmp_path: Path, families: list[str], kinds: list[str], values: dict[tuple[str, str], float]
) -> None:
    drawing = workforce_mix_chart(families, kinds, values, width=WIDTH)
    assert drawing.height < 30
    assert "No data recorded." in pdf_text(drawing, tmp_path)


def test_workforce_mix_keeps_an_explicit_height() -> None:
    drawing = workforce_mix_chart(FAMILIES, STAFF_TYPES, workforce_values(), width=300, height=260)
    assert drawing.height == pytest.approx(260)
    assert_fits(drawing, 300)


# --------------------------------------------------------------------------- share trend


def test_share_trend_labels_every_point_and_leaves_gaps(tmp_path: Path) -> None:
    categories = ["2013 baseline", "2014", "2015 refresh", "2016"]
    series: list[tuple[str, list[float | None]]] = [
        ("By FTE", [38.0, 41.5, None, 35.0]),
        ("By cost", [52.0, 49.0, 44.0, 36.0]),
    ]
    drawing = share_trend_chart(categories, series, width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    for label in [*categories, "By FTE", "By cost", "38%", "42%", "35%", "52%", "44%", "36%"]:
        assert label in text
    lines = [p for p in walk(drawing) if isinstance(p, PolyLine)]
    assert len(lines) == 2  # By FTE stops at the gap; its lone last point has no line
    assert lines[0].strokeDashArray != lines[1].strokeDashArray
    circles = [c for c in walk(drawing) if isinstance(c, Circle)]
    squares = [r for r in walk(drawing) if isinstance(r, Rect)]
    assert (len(circles), len(squares)) == (3 + 1, 4 + 1)  # a marker per point, one per key


def test_share_trend_with_a_single_cycle_shows_its_points(tmp_path: Path) -> None:
    drawing = share_trend_chart(
        ["2013 baseline"], [("By FTE", [38.0]), ("By cost", [61.0])], width=WIDTH
    )
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    assert "38%" in text and "61%" in text and "2013 baseline" in text


@pytest.mark.parametrize(
    "series",
    [[], [("By FTE", [None, None])], [("By FTE", [math.nan, None])]],
)
def test_share_trend_without_values_says_so(
    tmp_path: Path, series: list[tuple[str, list[float | None]]]
) -> None:
    drawing = share_trend_chart(["2013", "2014"], series, width=WIDTH)
    assert "No data recorded." in pdf_text(drawing, tmp_path)


def test_share_trend_with_many_long_cycles_and_series_fits(tmp_path: Path) -> None:
    categories = [f"{year} annual audit cycle for {WELSH}" for year in range(2013, 2023)]
    series: list[tuple[str, list[float | None]]] = [
        (name, [float((i * 7 + s * 13) % 90) for i in range(10)])
        for s, name in enumerate([WELSH, LONG, "Interims", "Consultants", "Agency"])
    ]
    drawing = share_trend_chart(categories, series, width=WIDTH, height=300)
    assert drawing.height == pytest.approx(300)
    assert_fits(drawing)
    assert WELSH in pdf_text(drawing, tmp_path)


# --------------------------------------------------------------------------- maturity


def test_maturity_vs_median_prints_values_medians_and_legend(tmp_path: Path) -> None:
    drawing = maturity_vs_median_chart(SECTIONS, subject="DWP", width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    for label in (
        "Board capability",
        "Senior technology roles",
        "DWP",
        "Cross-government median",
        "3.2 (median 2.8)",
        "4.0 (median 3.1)",
        "not scored (median 2.6)",
        "1.8",
    ):
        assert label in text
    assert "Money" in text and "(median –)" not in text


def test_maturity_axis_starts_at_1_and_bars_are_drawn_from_1() -> None:
    rows = [("Board", 3.0, 2.0), ("Skills", 1.0, None), ("Money", 5.0, 4.0)]
    drawing = maturity_vs_median_chart(rows, subject="DWP", width=WIDTH)
    ticks = {s.text: s.x for s in strings(drawing) if s.text in {"0", "1", "2", "3", "4", "5"}}
    assert sorted(ticks) == ["1", "2", "3", "4", "5"]  # no 0 on a 1-5 scale
    step = ticks["2"] - ticks["1"]
    assert all(math.isclose(ticks[str(n + 1)] - ticks[str(n)], step) for n in range(1, 5))
    bars = [
        r
        for r in walk(drawing)
        if isinstance(r, Rect)
        and r.fillColor is not None
        and r.fillColor.hexval() == "0x4f7cac"
        and r.height > 5
        and r.width != 10  # not the legend swatch
    ]
    bars.sort(key=lambda r: -r.y)  # top row first
    assert len(bars) == 3
    for bar, (_title, value, _median) in zip(bars, rows, strict=True):
        assert math.isclose(bar.x, ticks["1"])  # every bar starts at 1
        assert math.isclose(bar.x + bar.width, ticks["1"] + (value - 1) * step) or (
            value == 1.0 and bar.width <= 2  # a sliver, so a 1.0 still shows
        )


def test_maturity_trend_axis_starts_at_1() -> None:
    drawing = maturity_trend_chart(
        ["2013", "2014"], [("Board", [1.0, 3.0]), ("Skills", [2.0, 1.5])], width=WIDTH
    )
    ticks = {s.text: s.x for s in strings(drawing) if s.text in {"0", "1", "2", "3", "4", "5"}}
    assert sorted(ticks) == ["1", "2", "3", "4", "5"]
    step = ticks["2"] - ticks["1"]
    assert all(math.isclose(ticks[str(n + 1)] - ticks[str(n)], step) for n in range(1, 5))
    verticals = [ln for ln in walk(drawing) if isinstance(ln, Line) and ln.x1 == ln.x2]
    axis = verticals[-1]  # drawn last, over the gridlines
    assert math.isclose(axis.x1, ticks["1"])  # the axis is at 1, not at an unmarked 0


def test_maturity_vs_median_long_welsh_titles_fit(tmp_path: Path) -> None:
    rows = [(LONG, 2.0, 3.0), (WELSH, 5.0, 1.0)]
    drawing = maturity_vs_median_chart(rows, subject=LONG, width=WIDTH)
    assert_fits(drawing)
    assert WELSH in pdf_text(drawing, tmp_path)


@pytest.mark.parametrize("rows", [[], [("Board capability", None, None)]])
def test_maturity_vs_median_without_scores_says_so(
    tmp_path: Path, rows: list[tuple[str, float | None, float | None]]
) -> None:
    assert "No data recorded." in pdf_text(maturity_vs_median_chart(rows, width=WIDTH), tmp_path)


# --------------------------------------------------------------------------- programmes


def test_programmes_by_confidence_names_ratings_counts_and_money(tmp_path: Path) -> None:
    drawing = programmes_by_confidence_chart(RAG, width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    for label in (
        "Green",
        "Amber/Green",
        "Amber/Red",
        "Red",
        "3 programmes · £1.2bn",
        "1 programme · £95m",
        "4 programmes · £2.34bn",
    ):
        assert label in text
    bars = [r for r in walk(drawing) if isinstance(r, Rect)]
    counts = [count for _, _, count, _ in RAG]
    assert [b.width / bars[1].width for b in bars] == pytest.approx(counts)  # best first
    assert [b.fillColor.hexval() for b in bars] == [f"0x{c[1:]}" for _, c, _, _ in RAG]


def test_programmes_by_confidence_with_a_bad_colour_and_welsh_label(tmp_path: Path) -> None:
    rows = [(WELSH, "not a colour", 2, 0.0), (LONG, "#d4351c", 1, 5e9)]
    drawing = programmes_by_confidence_chart(rows, width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    assert WELSH in text and "2 programmes" in text and "1 programme · £5bn" in text


def test_programmes_by_confidence_without_programmes_says_so(tmp_path: Path) -> None:
    assert "No data recorded." in pdf_text(
        programmes_by_confidence_chart([], width=WIDTH), tmp_path
    )


# --------------------------------------------------------------------------- distribution


def test_distribution_marks_the_median_the_highlight_and_the_unscored(tmp_path: Path) -> None:
    drawing = distribution_chart(
        DEPARTMENTS, highlight="Department for Work and Pensions", width=WIDTH
    )
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    assert "Median 2.8" in text
    assert "Department for Work and Pensions 3.4" in text
    assert "2 not scored" in text
    for tick in "12345":
        assert tick in texts(drawing)
    dots = [c for c in walk(drawing) if isinstance(c, Circle)]
    assert len(dots) == 6  # seven scored, the highlighted one drawn as a diamond
    for a in dots:
        for b in dots:
            if a is not b:
                assert math.dist((a.cx, a.cy), (b.cx, b.cy)) >= a.r + b.r  # stacked, not hidden


def test_distribution_of_shares_with_a_welsh_highlight(tmp_path: Path) -> None:
    values = [(WELSH, 45.0), ("Home Office", 30.0), ("Cabinet Office", 30.0), (LONG, 80.0)]
    drawing = distribution_chart(values, scale=(0, 100), unit="%", highlight=WELSH, width=WIDTH)
    assert_fits(drawing)
    text = pdf_text(drawing, tmp_path)
    assert f"{WELSH} 45%" in text and "Median 38%" in text and "100%" in text


@pytest.mark.parametrize(
    ("values", "message"),
    [([], "No data recorded."), ([("Home Office", None), ("DWP", None)], "(2 not scored)")],
)
def test_distribution_without_scores_says_so(
    tmp_path: Path, values: list[tuple[str, float | None]], message: str
) -> None:
    drawing = distribution_chart(values, width=WIDTH)
    assert message in pdf_text(drawing, tmp_path)
    assert drawing.height < 30
