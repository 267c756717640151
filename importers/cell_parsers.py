"""Numbers, money, percentages, dates and yes/no read from cells, or Unparsed saying why not."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from importers.cell_cleaning import Unparsed, clean_text, shown
from importers.source_table import CellValue

# --------------------------------------------------------------------------- numbers

PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
# Fast paths for the shapes most cells take: '92799', '92,799', '-£1,234.56', '45%'.
FAST_NUMBER = {
    "number": re.compile(r"(-?)(\d{1,3}(?:,\d{3})+|\d{1,15})(\.\d{1,15})?()"),
    "currency": re.compile(r"(-?)£?(\d{1,3}(?:,\d{3})+|\d{1,15})(\.\d{1,15})?()"),
    "percentage": re.compile(r"(-?)(\d{1,3}(?:,\d{3})+|\d{1,15})(\.\d{1,15})?( ?%)?"),
}
_NUMBER_TAIL = re.compile(
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?(?P<frac>\.\d*)?"
    r"(?:e(?P<exp>[-+]?\d{1,3}))?"
    r"\s*(?P<suffix>k|thousands?|m|mn|mil|millions?|bn|b|billions?)?"
)
_SUFFIX = {
    "k": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_SIGNS = "+-−–"


@dataclass(frozen=True)
class _Number:
    negative: bool
    digits: str  # the number without sign or separators, as Decimal reads it
    suffix: str | None


def _split_number(text: str, *, money: bool) -> _Number | None:
    """Sign, digits and multiplier of a cleaned number, or None when it is not one."""
    s = text.lower()
    negative = False
    if s and s[0] in _SIGNS:
        negative = s[0] != "+"
        s = s[1:].lstrip()
    if money:
        if s.startswith("£"):
            s = s[1:].lstrip()
        elif s.startswith("gbp"):
            s = s[3:].lstrip()
        elif s.endswith("gbp"):
            s = s[:-3].rstrip()
    if s[:1] == "(" and s[-1:] == ")":
        if negative:
            return None
        negative = True
        s = s[1:-1].strip()
        if money and s.startswith("£"):
            s = s[1:].lstrip()
    if s and s[0] in _SIGNS:
        if negative or not money:
            return None
        negative = s[0] != "+"
        s = s[1:].lstrip()
    match = _NUMBER_TAIL.fullmatch(s)
    if match is None:
        return None
    whole, frac, exp, suffix = match["int"], match["frac"], match["exp"], match["suffix"]
    if whole is None and (frac is None or len(frac) < 2):
        return None
    if suffix is not None and (not money or exp is not None):
        return None
    digits = (whole or "0").replace(",", "").replace(" ", "") + (frac or "")
    if exp is not None:
        digits += "e" + exp
    return _Number(negative, digits, suffix)


def _to_float(number: _Number, original: CellValue, kind: str) -> float:
    result = float(number.digits)
    if number.suffix is not None:
        result *= _SUFFIX[number.suffix]
    if not math.isfinite(result):
        raise Unparsed(f"{shown(original)} is too large to be {kind}")
    return -result if number.negative else result


def _number_from_cell(value: CellValue, kind: str, *, money: bool) -> tuple[float, bool]:
    """(number, had a multiplier suffix) from any cell; raises Unparsed."""
    if type(value) is int:
        try:
            return float(value), False
        except OverflowError:
            raise Unparsed(f"{shown(value)} is too large to be {kind}") from None
    if type(value) is float:
        if not math.isfinite(value):
            raise Unparsed(f"{shown(value)} is not {kind}")
        return value, False
    number = _number_text(value, kind, money=money)
    return _to_float(number, value, kind), number.suffix is not None


def _number_text(value: CellValue, kind: str, *, money: bool) -> _Number:
    """The parts of a text cell that holds a number; raises Unparsed for any other cell."""
    if type(value) is not str:
        raise Unparsed(f"{shown(value)} is not {kind}")
    text = clean_text(value)
    number = _split_number(text, money=money) if text else None
    if number is None:
        raise Unparsed(f"{shown(value)} is not {kind}")
    return number


def parse_number(value: CellValue) -> float:
    """A number from '92,799', ' 1 234.5 ', '(1,200)', 12 or 12.5; raises Unparsed."""
    if type(value) is str and PLAIN_NUMBER.fullmatch(value):
        return float(value)
    return _number_from_cell(value, "a number", money=False)[0]


MAX_INTEGER = 2**63 - 1


def parse_integer(value: CellValue) -> int:
    """A whole number from '92,799', 92799 or 92799.0, exactly; raises Unparsed."""
    if type(value) is int:
        return value
    if type(value) is float:
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise Unparsed(f"{shown(value)} is not a whole number")
    number = _number_text(value, "a whole number", money=False)
    try:
        exact = Decimal(number.digits)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise Unparsed(f"{shown(value)} is not a whole number") from None
    if exact != exact.to_integral_value():
        raise Unparsed(f"{shown(value)} is not a whole number")
    whole = int(exact)
    return -whole if number.negative else whole


def parse_money(value: CellValue, *, unit: float = 1.0) -> float:
    """Pounds to 2dp from '£233,913,511.57', '£1.2m', '1,234k', '(1,200)'; raises Unparsed.

    `unit` multiplies plain numbers (1e6 for a column published in £m); a written
    multiplier such as 'm' or 'k' wins over it.
    """
    if type(value) is bool:
        raise Unparsed(f"{shown(value)} is not an amount of money")
    number, suffixed = _number_from_cell(value, "an amount of money", money=True)
    if not suffixed:
        number *= unit
    result = round(number, 2)
    if not math.isfinite(result):
        raise Unparsed(f"{shown(value)} is too large to be an amount of money")
    return result + 0.0  # no -0.0


_PERCENT = re.compile(r"\s*(?:%|per\s*cent|percent|pc)$")


# The unit a percentage column is read with when it holds whole percentages (some value
# above 1): none of its numbers is a fraction, so its 1 is 1%, not 100%.
PERCENT_POINTS = -1.0


def parse_percentage(value: CellValue, *, points: bool = False) -> float:
    """0-100 points from '45%', '45', '12.5 %' or a fraction 0.45; a number from -1 to 1
    is a fraction unless its column holds whole percentages (`points`); raises Unparsed."""
    if type(value) is bool:
        raise Unparsed(f"{shown(value)} is not a percentage")
    explicit = False
    cell: CellValue = value
    if type(value) is str:
        text = clean_text(value)
        stripped = _PERCENT.sub("", text.lower())
        explicit = stripped != text.lower()
        cell = stripped
    try:
        number = _number_from_cell(cell, "a percentage", money=False)[0]
    except Unparsed:
        raise Unparsed(f"{shown(value)} is not a percentage") from None
    if not explicit and not points and -1.0 <= number <= 1.0:
        number = round(number * 100.0, 10)
    return number + 0.0


def percentage_without_sign(value: CellValue) -> float | None:
    """The number a percentage cell holds with no % sign (None for '45%', blanks and
    text), to judge its column by: spreadsheets give 1 as 1.0, CSV as '1'."""
    if type(value) is bool or value is None:
        return None
    if type(value) is int or type(value) is float:
        return float(value) if math.isfinite(value) else None
    if type(value) is not str:
        return None
    text = clean_text(value)
    if _PERCENT.sub("", text.lower()) != text.lower():
        return None
    try:
        return _number_from_cell(text, "a percentage", money=False)[0]
    except Unparsed:
        return None


def holds_points(values: Iterable[CellValue]) -> bool:
    """Whether a percentage column holds whole percentages: any number (without a % sign)
    beyond -1 to 1 says so; a column of numbers all within it holds fractions."""
    for value in values:
        number = percentage_without_sign(value)
        if number is not None and abs(number) > 1.0:
            return True
    return False


# --------------------------------------------------------------------------- dates

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 29 Feb 1900
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_D_MON_Y = re.compile(
    _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})"
)
_MON_D_Y = re.compile(_WEEKDAY + r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MON_Y = re.compile(r"([a-z]{3,9})\.?[\s\-/.,']*(\d{4}|\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(original: CellValue, year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise Unparsed(f"{shown(original)} is not a date") from None


def _serial_date(original: CellValue, serial: float) -> str:
    if not (_SERIAL_MIN <= serial <= _SERIAL_MAX):
        raise Unparsed(f"{shown(original)} is not a date")
    return (_EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()


def parse_date(value: CellValue) -> str:
    """ISO 'YYYY-MM-DD' from a date, an Excel serial or UK-style text; raises Unparsed.

    Day-first only: '03/04/2013' is 3 April and '13/31/2013' is not a date.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is int:
        return _serial_date(value, value)
    if type(value) is float:
        if not math.isfinite(value):
            raise Unparsed(f"{shown(value)} is not a date")
        return _serial_date(value, value)
    if type(value) is not str:
        raise Unparsed(f"{shown(value)} is not a date")
    return _date_text(value)


@functools.lru_cache(maxsize=8192)
def _date_text(value: str) -> str:
    text = clean_text(value).lower()
    if match := _ISO.fullmatch(text):
        return _make_date(value, int(match[1]), int(match[3]), int(match[4]))
    if match := _DMY.fullmatch(text):
        return _make_date(value, _year(match[4]), int(match[3]), int(match[1]))
    if (match := _D_MON_Y.fullmatch(text)) and match[2] in _MONTHS:
        return _make_date(value, _year(match[3]), _MONTHS[match[2]], int(match[1]))
    if (match := _MON_D_Y.fullmatch(text)) and match[1] in _MONTHS:
        return _make_date(value, int(match[3]), _MONTHS[match[1]], int(match[2]))
    if (match := _MON_Y.fullmatch(text)) and match[1] in _MONTHS:
        return _make_date(value, _year(match[2]), _MONTHS[match[1]], 1)
    if _SERIAL_TEXT.fullmatch(text):
        return _serial_date(value, float(text))
    raise Unparsed(f"{shown(value)} is not a date")


# --------------------------------------------------------------------------- yes/no

_YES_NO = {
    "yes": True,
    "y": True,
    "true": True,
    "t": True,
    "1": True,
    "1.0": True,
    "no": False,
    "n": False,
    "false": False,
    "f": False,
    "0": False,
    "0.0": False,
}


YES_NO_SPELLINGS = {
    spelling: answer
    for word, answer in _YES_NO.items()
    for spelling in (word, word.upper(), word.title())
}


def parse_yesno(value: CellValue) -> bool:
    """True or False from yes/no/y/n/true/false/1/0 or a boolean cell; raises Unparsed."""
    if type(value) is bool:
        return value
    if type(value) is int or type(value) is float:
        if value in (0, 1):
            return bool(value)
    elif type(value) is str:
        answer = _YES_NO.get(clean_text(value).lower())
        if answer is not None:
            return answer
    raise Unparsed(f"{shown(value)} is not yes or no")
