"""One formatting module: each figure's text reads back as the figure, at the stated precision."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.department_trends import indicator_text
from models.findings import _points
from models.formatting import (
    MISSING,
    POINTS,
    exact_sum,
    format_change,
    format_count,
    format_date,
    format_datetime,
    format_maturity,
    format_money,
    format_pounds,
    format_share,
    share_fraction,
    to_pence,
)
from models.scoring import IndicatorValue

shares = st.floats(0, 100, allow_nan=False)
money = st.floats(-1e12, 1e12, allow_nan=False)
UNITS = {"bn": 1e9, "m": 1e6, "k": 1e3, "": 1.0}


def test_hand_worked_cases() -> None:
    """The cases the board saw disagree: one figure, one text."""
    assert format_share(51.77) == "52%"
    assert format_share(8.33) == "8%"
    assert format_share(0.0) == "0%"
    assert format_share(0.4) == "<1%"
    assert format_share(99.6) == ">99%"
    assert format_share(100.0) == "100%"
    assert format_money(21_323_132.29) == "£21.3m"
    assert format_pounds(21_323_132.29) == "£21,323,132"
    assert format_pounds(-4.5) == "-£5"
    assert format_change(-30.2, POINTS) == "Down 30 points"
    assert format_change(-3, POINTS, better="down") == "Down 3 points (better)"
    assert format_change(4.4, POINTS, better="lower") == "Up 4 points (worse)"
    assert format_change(0.4, "maturity", better="up") == "Up 0.4 (better)"
    assert format_change(-1.0, "maturity") == "Down 1.0"
    assert format_change(0.2, POINTS) == "No change"
    assert format_date(date(2026, 12, 7)) == "7 December 2026"
    assert format_date("2026-12-07") == "7 December 2026"
    assert format_date("not a date") == "not a date"
    assert format_datetime(datetime(2026, 12, 7, 14, 5)) == "7 December 2026, 14:05"
    assert format_maturity(3.25) == "3.3"
    assert to_pence(298194387.11999995) == 298194387.12
    assert to_pence(4493.499999999999) == 4493.5
    assert exact_sum([0.1, 0.2]) == 0.3
    assert share_fraction(51.77) == 0.5177


@given(shares)
def test_a_share_reads_back_within_half_a_point(points: float) -> None:
    text = format_share(points)
    if text == "<1%":
        assert 0 < points < 0.5
    elif text == ">99%":
        assert 99.5 <= points < 100
    else:
        assert re.fullmatch(r"\d+%", text)
        assert abs(int(text[:-1]) - points) <= 0.5


@given(money)
def test_money_in_prose_reads_back_to_three_significant_figures(pounds: float) -> None:
    text = format_money(pounds)
    found = re.fullmatch(r"(-?)£([\d,]+(?:\.\d+)?)(bn|m|k|)", text)
    assert found, text
    sign = -1 if found.group(1) else 1
    value = sign * float(found.group(2).replace(",", "")) * UNITS[found.group(3)]
    if abs(pounds) < 1000:
        assert abs(value - pounds) <= 0.5
    elif abs(pounds) < 1e6:
        assert abs(value - pounds) <= 0.05 * abs(pounds) + 1  # two figures for thousands
    else:
        assert abs(value - pounds) <= 0.005 * abs(pounds)


@given(money)
def test_money_in_tables_reads_back_to_the_pound(pounds: float) -> None:
    text = format_pounds(pounds)
    found = re.fullmatch(r"(-?)£(\d{1,3}(?:,\d{3})*)", text)
    assert found, text
    value = (-1 if found.group(1) else 1) * int(found.group(2).replace(",", ""))
    assert abs(value - pounds) <= 0.5


@given(st.floats(1, 5, allow_nan=False))
def test_maturity_reads_back_to_one_decimal(value: float) -> None:
    text = format_maturity(value)
    assert re.fullmatch(r"\d\.\d", text)
    assert abs(float(text) - value) <= 0.05 + 1e-9


@given(st.floats(-100, 100, allow_nan=False), st.sampled_from([POINTS, "maturity", ""]))
def test_a_change_reads_back_at_the_precision_of_its_figures(delta: float, unit: str) -> None:
    text = format_change(delta, unit)
    tolerance = 0.5 if unit == POINTS else 0.05 + 1e-9
    if text == "No change":
        assert abs(delta) <= tolerance
        return
    found = re.fullmatch(r"(Up|Down) ([\d.]+)( points?)?", text)
    assert found, text
    value = float(found.group(2)) * (1 if found.group(1) == "Up" else -1)
    assert abs(value - delta) <= tolerance
    if unit == "maturity":
        assert re.fullmatch(r"\d+\.\d", found.group(2))  # one decimal, like the values
    if unit == POINTS:
        assert found.group(2).isdigit()  # whole, like the shares


@given(st.one_of(st.integers(0, 10**9), st.floats(0, 1e6, allow_nan=False)))
def test_a_count_reads_back(n: float) -> None:
    text = format_count(n)
    assert abs(float(text.replace(",", "")) - n) <= 0.05 + 1e-9 * n


@given(st.dates(date(1900, 1, 1), date(9999, 12, 31)))
def test_a_date_reads_back(day: date) -> None:
    assert datetime.strptime(format_date(day), "%d %B %Y").date() == day


@given(money)
def test_pence_carry_no_float_noise(amount: float) -> None:
    rounded = to_pence(amount)
    assert rounded is not None
    assert abs(rounded - amount) <= 0.005 + 1e-6 * abs(amount)
    assert Decimal(repr(rounded)).as_tuple().exponent >= -2  # type: ignore[operator]


@given(st.lists(st.decimals(-(10**9), 10**9, places=2, allow_nan=False), max_size=50))
def test_money_sums_exactly(amounts: list[Decimal]) -> None:
    assert Decimal(repr(exact_sum([float(a) for a in amounts]))) == sum(amounts, Decimal(0))


@given(shares)
def test_a_share_in_a_workbook_is_the_fraction(points: float) -> None:
    fraction = share_fraction(points)
    assert fraction is not None and math.isclose(fraction * 100, points, abs_tol=1e-9)


@given(shares)
def test_the_same_share_formats_the_same_everywhere(points: float) -> None:
    """Findings, trends and the dashboard all print a share through format_share."""
    value = IndicatorValue("s", "Share", "share", points, 1, 2)
    assert _points(points) == indicator_text(value) == format_share(points)


def test_missing_is_a_dash_everywhere() -> None:
    for text in (
        format_share(None),
        format_money(None),
        format_pounds(math.nan),
        format_maturity(None),
        format_count(None),
        format_date(None),
    ):
        assert text == MISSING
