"""Short, plain-English numbers for reports and findings: '£1.25m', '45%', '3.2', 'Up 4 pts'.

Every string here prints in the embedded Noto Sans. That font has no U+2212 minus sign and no
arrows or geometric shapes (▲ ▼ ◆ ↑ ↓ →), so negatives use the ASCII hyphen-minus ('-£1.2m')
and changes are written in words ('Up', 'Down', 'No change'), which also read without colour.
A missing figure is an en dash ('–').
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"
MINUS = "-"  # Noto Sans has no U+2212; Python and Excel both read the hyphen-minus as a sign

# (divisor, suffix, significant figures): money above £1m to three figures, thousands to two
_MONEY_UNITS = ((1e9, "bn", 3), (1e6, "m", 3), (1e3, "k", 2), (1.0, "", 0))


def _round(value: float, places: int) -> Decimal:
    """Round half away from zero, as a reader rounds (1.25 → 1.3), not as binary floats do."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(number: Decimal) -> str:
    """A rounded number without trailing zeros after the point ('1.50' → '1.5', '2.0' → '2')."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value) or math.isinf(value)


def format_money(pounds: float | None) -> str:
    """Pounds as a board paper writes them: '£1.23bn', '£350m', '£45.3m', '£12k', '£900', '–'.

    Millions and billions keep three significant figures, thousands two (they are rarely
    material at board level), pounds below £1,000 are whole; trailing zeros are dropped
    ('£2m', not '£2.00m'). A figure that rounds up to the next unit moves to it
    (£999,999,999 is '£1bn'). Negatives start with a hyphen-minus: '-£1.2m'.
    """
    if pounds is None or _missing(pounds):
        return MISSING
    sign = MINUS if pounds < 0 else ""
    amount = abs(pounds)
    text = ""
    for index, (divisor, suffix, figures) in enumerate(_MONEY_UNITS):
        if amount < divisor and divisor > 1.0:
            continue
        scaled = amount / divisor
        if figures:
            whole_digits = len(str(int(scaled))) if scaled >= 1 else 1
            places = max(figures - whole_digits, 0)
        else:
            places = 0
        rounded = _round(scaled, places)
        if rounded >= 1000 and index > 0:  # £999.96m rounds to 1000m: say £1bn
            previous_divisor, previous_suffix, _ = _MONEY_UNITS[index - 1]
            rounded = _round(amount / previous_divisor, 2)
            suffix = previous_suffix
        text = f"£{_group(_plain(rounded))}{suffix}"
        break
    return MISSING if not text else (text if text == "£0" else sign + text)


def _group(text: str) -> str:
    """Thousands separators on the whole part of a plain number ('1234.5' → '1,234.5')."""
    whole, dot, fraction = text.partition(".")
    return f"{int(whole):,}{dot}{fraction}"


def format_share(points: float | None) -> str:
    """A share stored as points (45 means 45%): '45%', '4.5%', '<0.1%', '–' when missing.

    Shares of 10% and more are whole; below 10% they keep one decimal, dropping '.0'.
    """
    if points is None or _missing(points):
        return MISSING
    size = abs(points)
    if 0 < size < 0.05:
        return f"{MINUS if points < 0 else ''}<0.1%"
    return f"{_plain(_round(points, 0 if size >= 9.95 else 1))}%"


def format_maturity(value: float | None) -> str:
    """A maturity score on the 1–5 scale to one decimal ('3.2', '4.0'), '–' when missing."""
    if value is None or _missing(value):
        return MISSING
    return f"{_round(value, 1):f}"


def format_change(delta: float | None, unit: str) -> str:
    """A change since the last audit in words, so it reads without colour or arrows.

    'Up 0.3', 'Down 1', 'No change'; with unit 'pts' (a change in a share, in percentage
    points) 'Up 4 pts', 'Down 4.5 pts', 'Up 1 pt'; any other unit is appended as given.
    The change is rounded to one decimal and a trailing '.0' dropped, so counts print whole
    ('Up 2') and a change that rounds to zero says 'No change'. None gives ''.
    """
    if delta is None or _missing(delta):
        return ""
    rounded = _round(delta, 1)
    if rounded == 0:
        return "No change"
    size = _plain(abs(rounded))
    word = "Up" if rounded > 0 else "Down"
    if not unit:
        return f"{word} {size}"
    if unit == "pts" and abs(rounded) == 1:
        unit = "pt"
    return f"{word} {size} {unit}"


def format_count(n: float | None) -> str:
    """A count or FTE with thousands separators: '1,234', '12.5', '–' when missing.

    Whole numbers print whole; fractional ones (FTE) keep one decimal.
    """
    if n is None or _missing(n):
        return MISSING
    if float(n).is_integer():
        return f"{int(n):,}"
    return _group(_plain(_round(n, 1)))
