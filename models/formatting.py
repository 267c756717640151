"""Every figure the app shows, in one place: the form, dashboard, workbooks and PDFs agree.

The rules (README, 'How figures are written'):

- Shares are whole percentages ('52%'), everywhere: prose, tables, charts, the dashboard,
  and the workbooks' '0%' number format. A share above 0 that rounds to 0 is '<1%'; one
  below 100 that rounds to 100 is '>99%', so neither is mistaken for none or all.
- Changes keep the precision of the figures they compare: shares in whole percentage
  points ('Down 30 points'), maturity to one decimal ('Up 0.3'), counts whole ('Up 2').
  Where the direction matters the words say which way is better ('Down 3 points (better)').
  A change that rounds to nothing at that precision is 'No change'.
- Money in prose to three significant figures ('£21.3m', '£950'); in tables in whole
  pounds ('£21,323,132'). Never both for one figure. Workbooks keep the pence.
- Maturity on the 1–5 scale to one decimal ('3.2', '4.0').
- Counts whole with thousands separators ('1,234'); FTE, which can be fractional, to one
  decimal ('12.5').
- Dates in words ('7 December 2026'), times after a comma ('7 December 2026, 14:05');
  workbooks hold real dates shown ISO ('2026-12-07').
- A missing figure is an en dash ('–').

Every string here prints in the embedded Noto Sans. That font has no U+2212 minus sign and no
arrows or geometric shapes (▲ ▼ ◆ ↑ ↓ →), so negatives use the ASCII hyphen-minus ('-£1.2m')
and changes are written in words ('Up', 'Down', 'No change'), which also read without colour.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

MISSING = "–"
MINUS = "-"  # Noto Sans has no U+2212; Python and Excel both read the hyphen-minus as a sign

# Workbook number formats, so a cell shows what the reports print for the same figure.
SHARE_FORMAT = "0%"  # the cell holds a fraction (0.5177), shown '52%'
POINTS_FORMAT = '+0" points";-0" points";0" points"'  # a difference of shares, in points
MATURITY_FORMAT = "0.0"
COUNT_FORMAT = "#,##0"
FTE_FORMAT = "#,##0.0"
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# Which way of a change is better: the words then say '(better)' or '(worse)'.
UP_IS_BETTER = "up"
DOWN_IS_BETTER = "down"

# (power of ten, suffix, significant figures): money above £1m to three figures, thousands to two
_MONEY_UNITS = ((9, "bn", 3), (6, "m", 3), (3, "k", 2), (0, "", 0))
_PENNY = Decimal("0.01")
# Room for every digit of any finite float (1.8e308 has 309) and its decimals: the default
# context's 28 digits made quantize fail on £1e28 (a traceback instead of a report).
_EXACT = Context(prec=800, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _round(value: float, places: int) -> Decimal:
    """Round half away from zero, as a reader rounds (1.25 → 1.3), not as binary floats do."""
    return _EXACT.quantize(Decimal(repr(value)), Decimal(1).scaleb(-places))


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
    amount = Decimal(repr(abs(float(pounds))))  # scaled in decimal: 1e40 / 1e9 is exact
    text = ""
    for index, (power, suffix, figures) in enumerate(_MONEY_UNITS):
        if power and amount < Decimal(1).scaleb(power):
            continue
        scaled = amount.scaleb(-power)
        places = max(figures - (scaled.adjusted() + 1 if scaled >= 1 else 1), 0)
        rounded = _EXACT.quantize(scaled, Decimal(1).scaleb(-places))
        if rounded >= 1000 and index > 0:  # £999.96m rounds to 1000m: say £1bn
            previous_power, suffix, _ = _MONEY_UNITS[index - 1]
            rounded = _EXACT.quantize(amount.scaleb(-previous_power), _PENNY)
        text = f"£{_group(_plain(rounded))}{suffix}"
        break
    return MISSING if not text else (text if text == "£0" else sign + text)


def format_pounds(pounds: float | None) -> str:
    """Money in a table: whole pounds with separators ('£21,323,132', '-£5'), '–' when missing."""
    if pounds is None or _missing(pounds):
        return MISSING
    rounded = _round(pounds, 0)
    text = f"£{abs(int(rounded)):,}"
    return MINUS + text if rounded < 0 else text


def _group(text: str) -> str:
    """Thousands separators on the whole part of a plain number ('1234.5' → '1,234.5')."""
    whole, dot, fraction = text.partition(".")
    return f"{int(whole):,}{dot}{fraction}"


def format_share(points: float | None) -> str:
    """A share stored as points (45 means 45%) as a whole percentage: '45%', '<1%', '>99%'.

    '–' when missing. Only a share of exactly 0 or 100 prints as '0%' or '100%'.
    """
    if points is None or _missing(points):
        return MISSING
    rounded = _round(points, 0)
    if points > 0 and rounded == 0:
        return "<1%"
    if points < 0 and rounded == 0:
        return f"{MINUS}<1%"
    if points < 100 and rounded == 100:
        return ">99%"
    return f"{_plain(rounded)}%"


def format_points(points: float | None) -> str:
    """A difference of two shares in whole percentage points, signed: '+12 points', '–'."""
    if points is None or _missing(points):
        return MISSING
    rounded = _round(points, 0)
    if rounded == 0:
        return "0 points"
    sign = "+" if rounded > 0 else MINUS
    return f"{sign}{_plain(abs(rounded))} point{'' if abs(rounded) == 1 else 's'}"


def format_maturity(value: float | None) -> str:
    """A maturity score on the 1–5 scale to one decimal ('3.2', '4.0'), '–' when missing."""
    if value is None or _missing(value):
        return MISSING
    return f"{_round(value, 1):f}"


# Maturity ratings (the key every report prints: Green 3.5 and above, Amber 2.5 to 3.4, Red
# below 2.5), read from the figure as printed: 3.47 prints '3.5' and so is Green.
GREEN, AMBER, RED = "green", "amber", "red"
GREEN_FROM, AMBER_FROM = Decimal("3.5"), Decimal("2.5")


def shown_maturity(value: float | None) -> float | None:
    """A maturity as printed (one decimal, half up): the figure ratings and changes use."""
    if value is None or _missing(value):
        return None
    return float(_round(value, 1))


def maturity_band(value: float | None) -> str | None:
    """GREEN, AMBER or RED for a maturity as format_maturity prints it; None unscored."""
    if value is None or _missing(value):
        return None
    printed = _round(value, 1)
    return GREEN if printed >= GREEN_FROM else AMBER if printed >= AMBER_FROM else RED


def shown_share(points: float) -> float:
    """A share as format_share prints it, in whole points (45.5 → 46.0): what a change uses."""
    return float(_round(points, 0))


def share_as_printed(points: float) -> float:
    """A share as format_share prints it, for arithmetic beside it: whole points, except a
    share printed '<1%' or '>99%', which keeps its exact value (0.4% is not 0%)."""
    shown = shown_share(points)
    return points if shown in (0.0, 100.0) and points != shown else shown


POINTS = "points"  # unit of a change in a share, in percentage points
MATURITY = "maturity"  # unit of a change in maturity (one decimal, up is better)


def format_change(delta: float | None, unit: str = "", *, better: str | None = None) -> str:
    """A change since the last audit in words, at the precision of the figures compared.

    unit 'points' (or 'pts'): a change in a share, in whole percentage points ('Up 4 points',
    'Down 1 point'). unit 'maturity': one decimal ('Up 0.3', 'Down 1.0').
    unit '': a count or FTE, whole ('Up 2') or to one decimal ('Up 0.5'). Any other unit is
    appended as given. `better` ('up' or 'down'; an indicator's 'higher' or 'lower' mean
    the same) adds '(better)' or '(worse)'. A change
    that rounds to zero says 'No change'; None gives ''.
    """
    if delta is None or _missing(delta):
        return ""
    plain = unit not in (MATURITY, POINTS, "pts")  # a count: whole, or one decimal if needed
    size_places = 0 if unit in (POINTS, "pts") else 1
    unit = POINTS if unit == "pts" else ("" if unit == MATURITY else unit)
    rounded = _round(delta, size_places)
    if rounded == 0:
        return "No change"
    size = _plain(abs(rounded)) if plain else f"{abs(rounded):f}"
    direction = UP_IS_BETTER if rounded > 0 else DOWN_IS_BETTER
    text = f"{'Up' if rounded > 0 else 'Down'} {size}"
    if unit:
        text += f" {'point' if unit == POINTS and abs(rounded) == 1 else unit}"
    better = {"higher": UP_IS_BETTER, "lower": DOWN_IS_BETTER}.get(better or "", better)
    if better in (UP_IS_BETTER, DOWN_IS_BETTER):
        text += " (better)" if direction == better else " (worse)"
    return text


def change_between(
    now: float | None, was: float | None, unit: str = "", *, better: str | None = None
) -> str:
    """format_change from `was` to `now` as both are printed: maturity 1.11 then 1.16 prints
    '1.1' then '1.2', so 'Up 0.1', never 'No change' beside them (review F13); shares
    in whole points, counts and FTE to one decimal. '' when either is missing."""
    if now is None or was is None or _missing(now) or _missing(was):
        return ""
    places = 0 if unit in (POINTS, "pts") else 1
    return format_change(float(_round(now, places) - _round(was, places)), unit, better=better)


def format_count(n: float | None) -> str:
    """A count or FTE with thousands separators: '1,234', '12.5', '–' when missing.

    Whole numbers print whole; fractional ones (FTE) keep one decimal.
    """
    if n is None or _missing(n):
        return MISSING
    if float(n).is_integer():
        return f"{int(Decimal(repr(n))):,}"  # 1e28 as written, not its binary 9,999…583,…
    return _group(_plain(_round(n, 1)))


def format_count_of(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular or plural: '1 programme', '1,234 programmes'."""
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"


def format_date(value: date | str | None) -> str:
    """A date in words: '7 December 2026'; ISO text is read, other text is returned as is.

    A stored moment (UTC text with a time) is dated by its local day, as format_datetime
    shows it: 23:30 UTC on 30 June is 1 July in London (review F14).
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, datetime):
        value = parse_moment(value) or value
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, str) and len(value) > 10:
        moment = parse_moment(value)
        if moment is not None:
            return f"{moment.day} {moment:%B %Y}"
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return f"{day.day} {day:%B %Y}"


def format_datetime(value: datetime | str | None, *, seconds: bool = False) -> str:
    """A moment in local time: '7 December 2026, 14:05' (stored UTC text is converted)."""
    moment = parse_moment(value)
    if moment is None:
        return MISSING if not value else str(value)
    return (
        f"{format_date(moment.date())}, {moment:%H:%M:%S}"
        if seconds
        else (f"{format_date(moment.date())}, {moment:%H:%M}")
    )


def parse_moment(value: datetime | str | None) -> datetime | None:
    """A stored timestamp (ISO text or datetime) as a naive local datetime, None if unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- workbook cells


def share_fraction(points: float | None) -> float | None:
    """A share in points (51.77) as the fraction a workbook cell holds (0.5177), exactly; a
    share above none (or short of all) stays above 0 (or below 1) however small the gap."""
    if points is None or _missing(points):
        return None
    fraction = float(Decimal(repr(float(points))) / 100)
    if fraction == 0.0 and points != 0:
        fraction = math.nextafter(0.0, math.copysign(1.0, points))
    elif fraction == 1.0 and points != 100:
        fraction = math.nextafter(1.0, 0.0 if points < 100 else 2.0)
    return fraction


def share_format(points: float | None) -> str:
    """A share cell's number format: '0%', or format_share's words as a literal wherever the
    '0%' Excel shows (from its 15 significant digits) would differ from them: '<1%' for a
    share above none, '>99%' for one short of all, so the cell shows what the reports print."""
    shown = format_share(points)
    fraction = share_fraction(points)
    if fraction is None:
        return SHARE_FORMAT
    excel = Decimal(f"{fraction:.15g}") * 100  # what Excel rounds for display
    return SHARE_FORMAT if shown == f"{_plain(_round(float(excel), 0))}%" else f'"{shown}"'


def to_pence(amount: float | None) -> float | None:
    """A sum of money (or FTE) rounded to pence, so no float noise reaches a cell."""
    if amount is None or _missing(amount):
        return None
    return float(_EXACT.quantize(Decimal(repr(float(amount))), _PENNY))


def exact_sum(values: list[float]) -> float:
    """Sum numbers as written (in decimal), so 0.1 + 0.2 is 0.3 and pence add up exactly."""
    total = Decimal(0)
    for value in values:
        total = _EXACT.add(total, Decimal(repr(float(value))))
    return float(total)
