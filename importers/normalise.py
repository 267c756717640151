"""Turning the cells of foreign spreadsheets into stored values, or saying plainly why not."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from importers.source_table import CellValue
from models.questionnaire import Field
from models.reference import ReferenceItem, reference_list
from models.validation import InvalidAnswer, validate

Result = tuple[Any, str | None, bool]


class Unparsed(ValueError):
    """A cell that does not fit; str() is a short reason for the report, quoting the value."""


@dataclass(frozen=True)
class Normalised:
    """A stored value (None = left blank) and why it is blank or was changed."""

    value: Any
    note: str | None = None


# --------------------------------------------------------------------------- text

# Zero-width characters and the BOM: invisible, never meant as content.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = "\"'“”‘’`"
_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "”": "”", "’": "’", "`": "`"}


def _whole_float_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value)


def clean_text(value: CellValue) -> str:
    """str() of a cell without stray spaces, invisible characters or wrapping quotes."""
    if value is None:
        return ""
    if type(value) is str:
        text = value
    elif isinstance(value, bool):
        return str(value)
    elif isinstance(value, float):
        return _whole_float_text(value)
    elif isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    elif isinstance(value, date | time):
        return value.isoformat()
    elif isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            return f"a {value.bit_length()}-bit number"
    else:
        text = str(value)
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    text = " ".join(text.split())
    if text and (text[0] in _QUOTES or text[-1] in _QUOTES):
        text = _strip_quotes(text)
    return text


def _strip_quotes(text: str) -> str:
    # Wrapping pairs, repeated ('""Foo""'), then one unmatched double quote at either end
    # and Excel's leading apostrophe that marks a cell as text.
    while len(text) >= 2 and _PAIRS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    if text and text[0] in '"“”' and text.count(text[0]) == 1:
        text = text[1:].strip()
    if text and text[-1] in '"“”' and text.count(text[-1]) == 1:
        text = text[:-1].strip()
    if len(text) > 1 and text[0] in "'‘" and text.count(text[0]) == 1:
        text = text[1:].strip()
    return text


def _show(value: CellValue) -> str:
    """The value quoted for a message, cut short when long."""
    try:
        text = clean_text(value)
    except Exception:  # a message must never fail
        text = "?"
    if len(text) > 60:
        text = text[:57] + "…"
    return repr(text)


def _key(text: str) -> str:
    """Lower-case letters and digits only: 'AMBER-GREEN' and 'Amber/Green' meet."""
    return _NON_ALNUM.sub("", text.lower().replace("&", "and"))


_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# --------------------------------------------------------------------------- missing markers

_MARKERS: dict[str, str] = {
    "[c]": "suppressed in the source",
    "[x]": "not available in the source",
    "[z]": "not applicable in the source",
    "*": "suppressed in the source",
    "..": "not available",
    "...": "not available",
    "…": "not available",
    "-": "no value",
    "--": "no value",
    "–": "no value",
    "—": "no value",
    "n/d": "not disclosed",
    "not disclosed": "not disclosed",
    "undisclosed": "not disclosed",
    "na": "not available",
    "n/a": "not available",
    "n.a.": "not available",
    "n.a": "not available",
    "not available": "not available",
    "not applicable": "not applicable",
    "not published": "not published",
    "unpublished": "not published",
    "withheld": "withheld",
    "redacted": "withheld",
    "not provided": "not provided",
    "not supplied": "not provided",
    "not recorded": "not recorded",
    "tbc": "to be confirmed",
    "tbd": "to be decided",
    "null": "no value",
    "#n/a": "a spreadsheet error",
    "#value!": "a spreadsheet error",
    "#ref!": "a spreadsheet error",
    "#div/0!": "a spreadsheet error",
    "#name?": "a spreadsheet error",
    "#num!": "a spreadsheet error",
    "#null!": "a spreadsheet error",
}


def _reason_for_text(text: str) -> str | None:
    """Missing reason for cleaned text, or None."""
    if not text:
        return "blank"
    low = text.lower()
    description = _MARKERS.get(low)
    if description is None:
        if low.startswith("exempt"):
            description = "exempt from publication"
        else:
            return None
    if low == description:
        return description
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"{description} ({shown})"


# Exact raw spellings looked up before any cleaning: the common case costs one dict get.
_RAW_MISSING: dict[str, str] = {"": "blank"}
for _marker in _MARKERS:
    for _spelling in {_marker, _marker.upper()}:
        _RAW_MISSING[_spelling] = _reason_for_text(_spelling) or "blank"
del _marker, _spelling


def missing_reason(value: CellValue) -> str | None:
    """Why a cell holds no value ('blank', 'suppressed in the source ([c])', …), or None."""
    if value is None:
        return "blank"
    if type(value) is not str:
        return None
    known = _RAW_MISSING.get(value)
    if known is not None:
        return known
    return _reason_for_text(clean_text(value))


# --------------------------------------------------------------------------- numbers

_PLAIN = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
# Fast paths for the shapes most cells take: '92799', '92,799', '-£1,234.56', '45%'.
_FAST = {
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
        raise Unparsed(f"{_show(original)} is too large to be {kind}")
    return -result if number.negative else result


def _number_from_cell(value: CellValue, kind: str, *, money: bool) -> tuple[float, bool]:
    """(number, had a multiplier suffix) from any cell; raises Unparsed."""
    if type(value) is int:
        try:
            return float(value), False
        except OverflowError:
            raise Unparsed(f"{_show(value)} is too large to be {kind}") from None
    if type(value) is float:
        if not math.isfinite(value):
            raise Unparsed(f"{_show(value)} is not {kind}")
        return value, False
    if type(value) is not str:
        raise Unparsed(f"{_show(value)} is not {kind}")
    text = clean_text(value)
    number = _split_number(text, money=money) if text else None
    if number is None:
        raise Unparsed(f"{_show(value)} is not {kind}")
    return _to_float(number, value, kind), number.suffix is not None


def parse_number(value: CellValue) -> float:
    """A number from '92,799', ' 1 234.5 ', '(1,200)', 12 or 12.5; raises Unparsed."""
    if type(value) is str and _PLAIN.fullmatch(value):
        return float(value)
    return _number_from_cell(value, "a number", money=False)[0]


_MAX_INTEGER = 2**63 - 1


def parse_integer(value: CellValue) -> int:
    """A whole number from '92,799', 92799 or 92799.0, exactly; raises Unparsed."""
    if type(value) is int:
        return value
    if type(value) is float:
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise Unparsed(f"{_show(value)} is not a whole number")
    if type(value) is not str:
        raise Unparsed(f"{_show(value)} is not a whole number")
    text = clean_text(value)
    number = _split_number(text, money=False) if text else None
    if number is None:
        raise Unparsed(f"{_show(value)} is not a whole number")
    try:
        exact = Decimal(number.digits)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise Unparsed(f"{_show(value)} is not a whole number") from None
    if exact != exact.to_integral_value():
        raise Unparsed(f"{_show(value)} is not a whole number")
    whole = int(exact)
    return -whole if number.negative else whole


def parse_money(value: CellValue, *, unit: float = 1.0) -> float:
    """Pounds to 2dp from '£233,913,511.57', '£1.2m', '1,234k', '(1,200)'; raises Unparsed.

    `unit` multiplies plain numbers (1e6 for a column published in £m); a written
    multiplier such as 'm' or 'k' wins over it.
    """
    if type(value) is bool:
        raise Unparsed(f"{_show(value)} is not an amount of money")
    number, suffixed = _number_from_cell(value, "an amount of money", money=True)
    if not suffixed:
        number *= unit
    result = round(number, 2)
    if not math.isfinite(result):
        raise Unparsed(f"{_show(value)} is too large to be an amount of money")
    return result + 0.0  # no -0.0


_PERCENT = re.compile(r"\s*(?:%|per\s*cent|percent|pc)$")


def parse_percentage(value: CellValue) -> float:
    """0-100 points from '45%', '45', '12.5 %' or a fraction 0.45 (a whole number such as
    1 is points, not a fraction); raises Unparsed."""
    if type(value) is bool:
        raise Unparsed(f"{_show(value)} is not a percentage")
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
        raise Unparsed(f"{_show(value)} is not a percentage") from None
    whole = type(value) is int or (type(cell) is str and "." not in cell)
    if not explicit and not whole and -1.0 <= number <= 1.0:
        number = round(number * 100.0, 10)
    return number + 0.0


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
        raise Unparsed(f"{_show(original)} is not a date") from None


def _serial_date(original: CellValue, serial: float) -> str:
    if not (_SERIAL_MIN <= serial <= _SERIAL_MAX):
        raise Unparsed(f"{_show(original)} is not a date")
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
            raise Unparsed(f"{_show(value)} is not a date")
        return _serial_date(value, value)
    if type(value) is not str:
        raise Unparsed(f"{_show(value)} is not a date")
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
    raise Unparsed(f"{_show(value)} is not a date")


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


_YES_NO_RAW = {
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
    raise Unparsed(f"{_show(value)} is not yes or no")


# --------------------------------------------------------------------------- reference lists


@functools.cache
def _choice_index(list_id: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Key -> value for a list's values, labels and synonyms, and keys that mean two things."""
    found: dict[str, set[str]] = {}
    for item in reference_list(list_id).items:
        for spelling in (item.value, item.label, *item.synonyms):
            key = _key(spelling)
            if key:
                found.setdefault(key, set()).add(item.value)
    index = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    clashes = {k: tuple(sorted(v)) for k, v in found.items() if len(v) > 1}
    return index, clashes


def _list_title(list_id: str) -> str:
    return reference_list(list_id).title


def parse_choice(value: CellValue, list_id: str) -> str:
    """A reference list's value for its value, label or a synonym, spelled loosely; raises Unparsed.

    Grades and staff types go through parse_grade and parse_staff_type.
    """
    if list_id == "grades":
        return parse_grade(value)
    if list_id == "staff_types":
        return parse_staff_type(value)
    if type(value) is not str:
        value = clean_text(value)
    return _choice_text(value, list_id)


@functools.lru_cache(maxsize=8192)
def _choice_text(value: str, list_id: str) -> str:
    index, clashes = _choice_index(list_id)
    key = _key(value)
    if key in index:
        return index[key]
    if key in clashes:
        raise Unparsed(f"{_show(value)} could mean {' or '.join(clashes[key])}")
    raise Unparsed(f"{_show(value)} is not in the list of {_list_title(list_id)}")


# Grades -------------------------------------------------------------------------------

_GROUP_ALIASES = {
    "scs": "SCS",
    "scslevel": "SCS",
    "scsall": "SCS",
    "seniorcivilservice": "SCS",
    "seniorcivilservants": "SCS",
    "grade67": "Grade 6/7",
    "grades67": "Grade 6/7",
    "grade6and7": "Grade 6/7",
    "grades6and7": "Grade 6/7",
    "grade76": "Grade 6/7",
    "g67": "Grade 6/7",
    "otherunknownunspecified": "Other",
}
_GRADE_SPLIT = re.compile(r"\s*(?:/|&|\+|,|\band\b|\bor\b|\bto\b)\s*")
_PARENS = re.compile(r"\(([^()]*)\)")
_LEADING_WORD = re.compile(r"^(.*?)\s*\d+[a-z]?$")


@functools.cache
def _grade_tables() -> tuple[dict[str, str], dict[str, str], dict[str, ReferenceItem]]:
    """(key -> grade, key -> publisher group, grade -> item)."""
    index, _clashes = _choice_index("grades")
    items = {item.value: item for item in reference_list("grades").items}
    members: dict[str, list[str]] = {}
    for item in items.values():
        members.setdefault(item.group, []).append(item.value)
    groups = {_key(name): name for name, values in members.items() if len(values) > 1}
    for name in list(members):
        if "/" in name:
            groups.setdefault(_key("/".join(reversed(name.split("/")))), name)
    for alias, name in _GROUP_ALIASES.items():
        groups.setdefault(alias, name)
    return index, groups, items


def _grade_lookup(text: str) -> str | None:
    index = _grade_tables()[0]
    key = _key(text)
    if key in index:
        return index[key]
    outer = _PARENS.sub(" ", text).strip()
    inner = [part.strip() for part in _PARENS.findall(text)]
    if not inner or outer == text:
        return None
    found = {index[k] for k in (_key(outer), *map(_key, inner)) if k in index}
    if len(found) == 1:
        return found.pop()
    return None


def _grade_parts(text: str) -> list[str]:
    """The grades a grouping such as 'Grade 6/7' or 'SEO/HEO' names (two or more), or []."""
    parts = [p for p in _GRADE_SPLIT.split(text) if p]
    if len(parts) < 2:
        return []
    prefix = _LEADING_WORD.match(parts[0].lower())
    found: list[str] = []
    for part in parts:
        grade = _grade_lookup(part)
        if grade is None and part.isdigit() and prefix is not None:
            grade = _grade_lookup(prefix[1] + " " + part)
        if grade is None:
            return []
        found.append(grade)
    return found if len(set(found)) > 1 else []


@functools.lru_cache(maxsize=4096)
def _grade_text(value: str) -> tuple[str | None, str | None]:
    """(grade, None) for one grade, (None, group or '') for a grouping, (None, None) if unknown."""
    text = clean_text(value)
    grade = _grade_lookup(text)
    if grade is not None:
        return grade, None
    _index, groups, items = _grade_tables()
    group = groups.get(_key(text))
    if group is not None:
        return None, group
    parts = _grade_parts(text)
    if parts:
        shared = {items[p].group for p in parts}
        return None, shared.pop() if len(shared) == 1 else ""
    return None, None


def parse_grade(value: CellValue) -> str:
    """A 'grades' value: 'G7' -> 'g7', 'SCS Pay Band 2' -> 'scs2'; a grouping raises Unparsed."""
    text = value if type(value) is str else clean_text(value)
    grade, group = _grade_text(text)
    if grade is not None:
        return grade
    if group is not None:
        raise Unparsed(f"{_show(value)} is a group of grades, not one grade")
    raise Unparsed(f"{_show(value)} is not a Civil Service grade")


def grade_group(value: CellValue) -> str | None:
    """The publishers' grouping of a grade or grouping text ('G7' -> 'Grade 6/7'), or None."""
    text = value if type(value) is str else clean_text(value)
    grade, group = _grade_text(text)
    if grade is not None:
        return _grade_tables()[2][grade].group or None
    return group or None


# Staff types -------------------------------------------------------------------------

_STAFF_WORD = re.compile(r"[a-z0-9]+")
_FUZZ = 0.88


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _staff_words(text: str) -> list[str]:
    low = text.lower().replace("&", " and ").replace("+", " and ")
    return [_singular(w) for w in _STAFF_WORD.findall(low)]


@functools.cache
def _staff_tables() -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(words -> value, sorted words -> value, (words, value) for fuzzy matching)."""
    exact: dict[str, set[str]] = {}
    unordered: dict[str, set[str]] = {}
    spellings: list[tuple[str, str]] = []
    for item in reference_list("staff_types").items:
        for spelling in (item.value.replace("_", " "), item.label, *item.synonyms):
            words = _staff_words(spelling)
            if not words:
                continue
            exact.setdefault(" ".join(words), set()).add(item.value)
            unordered.setdefault(" ".join(sorted(words)), set()).add(item.value)
            spellings.append((" ".join(words), item.value))
    return (
        {k: next(iter(v)) for k, v in exact.items() if len(v) == 1},
        {k: next(iter(v)) for k, v in unordered.items() if len(v) == 1},
        tuple(spellings),
    )


@functools.lru_cache(maxsize=4096)
def _staff_text(value: str) -> tuple[str | None, str]:
    """(staff type, '') or (None, why not); failures are cached too, fuzzy matching is slow."""
    try:
        return _staff_match(value), ""
    except Unparsed as exc:
        return None, str(exc)


def _staff_match(value: str) -> str:
    exact, unordered, spellings = _staff_tables()
    words = _staff_words(value)
    joined = " ".join(words)
    if joined in exact:
        return exact[joined]
    ordered = " ".join(sorted(words))
    if ordered in unordered:
        return unordered[ordered]
    if len(joined) >= 5:
        best: dict[str, float] = {}
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(joined)
        for spelling, staff_type in spellings:
            matcher.set_seq1(spelling)
            if matcher.real_quick_ratio() < _FUZZ or matcher.quick_ratio() < _FUZZ:
                continue
            ratio = matcher.ratio()
            if ratio >= _FUZZ and ratio > best.get(staff_type, 0.0):
                best[staff_type] = ratio
        if len(best) == 1:
            return next(iter(best))
        if len(best) > 1:
            raise Unparsed(f"{_show(value)} could be {' or '.join(sorted(best))}")
    raise Unparsed(f"{_show(value)} is not a known staff type")


def parse_staff_type(value: CellValue) -> str:
    """A 'staff_types' value from its spellings, plurals, '&'/'and', any word order or a near miss.

    Raises Unparsed rather than guess when nothing is close enough or two types are.
    """
    found, problem = _staff_text(value if type(value) is str else clean_text(value))
    if found is None:
        raise Unparsed(problem)
    return found


# --------------------------------------------------------------------------- rows

_TOTAL = re.compile(
    r"(?:grand\s*|sub\s*-?\s*|overall\s+)?totals?\b.*"
    r"|.+\s(?:grand\s*|sub\s*-?\s*)?totals?\s*:?"
    r"|all(?:\s+(?:departments|organisations|bodies|grades|professions|staff|employees))?"
)
_NOTE = re.compile(
    r"(?:\*|†|‡|\[\s*notes?\b|\[\s*\d+\s*\]|\(\s*\d+\s*\)\s|"
    r"(?:notes?|footnotes?|(?:data\s+)?sources?)(?:\s*\d+)?(?:[\s:.\-–)]|$))"
)


def _is_number_cell(value: CellValue) -> bool:
    if type(value) in (int, float):
        return True
    return type(value) is str and _PLAIN.fullmatch(value.strip()) is not None


def is_totals_row(values: Sequence[CellValue]) -> bool:
    """A row whose first text cell says it adds up others: 'Total', 'Grand total', 'All'."""
    for value in values:
        if value is None or _is_number_cell(value):
            continue
        verdict = _says_total(value if type(value) is str else clean_text(value))
        if verdict is not None:
            return verdict
    return False


@functools.lru_cache(maxsize=4096)
def _says_total(value: str) -> bool | None:
    """Whether a row's first text says it adds up others; None when it cleans to nothing."""
    text = clean_text(value)
    if not text:
        return None
    return _TOTAL.fullmatch(text.lower()) is not None


def _is_sentence(text: str) -> bool:
    """Five words or more, and long (over 40 characters) or ending with a full stop."""
    return text.count(" ") >= 4 and (len(text) > 40 or text.endswith("."))


def is_notes_row(values: Sequence[CellValue], width: int) -> bool:
    """A footnote, not data: one long sentence and the rest blank, or a 'Notes' first cell."""
    filled = [(i, clean_text(v)) for i, v in enumerate(values) if v is not None]
    filled = [(i, text) for i, text in filled if text]
    if not filled or len(filled) > 2:
        return False
    first = filled[0][1]
    if _NOTE.match(first.lower()):
        return True
    if width < 2:
        return False
    if len(filled) == 1:
        return len(first) > 40 and _is_sentence(first)
    # Two cells side by side at the left: a label or footnote number, then the sentence.
    return (
        width > 2
        and filled[1][0] == 1
        and len(first) <= 40
        and not _is_sentence(first)
        and _is_sentence(filled[1][1])
    )


# --------------------------------------------------------------------------- one cell for a field

Converter = Callable[[CellValue, float], Result]
_CONVERTERS: dict[int, tuple[Field, Converter]] = {}
_BLANK: Result = (None, None, True)
_CACHE_LIMIT = 50_000  # results kept per field for text cells that repeat (choices, dates)


def normalise_for(field: Field, value: CellValue, *, unit: float = 1.0) -> Result:
    """(stored value or None, note or None, ok) for a cell bound for a field; never raises.

    Blank cells give (None, None, True); missing markers (None, reason, True); values
    that do not fit (None, reason, False). Every value returned passes validate(field, …).
    """
    if value is None:
        return _BLANK
    entry = _CONVERTERS.get(id(field))
    if entry is None or entry[0] is not field:
        entry = _compile(field)
    try:
        return entry[1](value, unit)
    except Exception as exc:  # never raise: an odd cell must not stop an import
        return None, f"{_show(value)} could not be read ({type(exc).__name__})", False


def _compile(field: Field) -> tuple[Field, Converter]:
    if len(_CONVERTERS) > 512:
        _CONVERTERS.clear()
    maker = _MAKERS.get(field.type, _text_converter)
    entry = (field, maker(field))
    _CONVERTERS[id(field)] = entry
    return entry


def _checked(field: Field, value: Any, original: CellValue) -> Result:
    """The final check every stored value passes, with a message naming the cell."""
    try:
        validate(field, value)
    except InvalidAnswer as exc:
        return None, _range_message(field, value, original) or f"{_show(original)}: {exc}", False
    except (OverflowError, ValueError):
        return None, f"{_show(original)} is too large", False
    return value, None, True


def _range_message(field: Field, value: Any, original: CellValue) -> str | None:
    try:
        if field.minimum is not None and value < field.minimum:
            return f"{_show(original)} is below the minimum {field.minimum}"
        if field.maximum is not None and value > field.maximum:
            return f"{_show(original)} is above the maximum {field.maximum}"
    except TypeError:
        return None
    return None


def _missing_result(value: CellValue) -> Result | None:
    """The result for a blank or marker cell, or None when the cell holds something."""
    if value is None:
        return _BLANK
    if type(value) is not str:
        return None
    reason = _RAW_MISSING.get(value)
    if reason is None:
        reason = _reason_for_text(clean_text(value))
        if reason is None:
            return None
    return _BLANK if reason == "blank" else (None, reason, True)


def _number_converter(field: Field) -> Converter:
    ftype = field.type
    low = field.minimum if isinstance(field.minimum, int | float) else None
    high = field.maximum if isinstance(field.maximum, int | float) else None
    exotic = (field.minimum is not None and low is None) or (
        field.maximum is not None and high is None
    )

    def slow(value: CellValue, unit: float) -> Result:
        missing = _missing_result(value)
        if missing is not None:
            return missing
        number: float | int
        try:
            if ftype == "currency":
                number = parse_money(value, unit=unit)
            elif ftype == "percentage":
                number = parse_percentage(value)
            elif ftype == "integer":
                number = parse_integer(value)
                if abs(number) > _MAX_INTEGER:
                    return None, f"{_show(value)} is too large", False
            else:
                number = parse_number(value)
        except Unparsed as exc:
            return None, str(exc), False
        return _checked(field, number, value)

    fast = _FAST.get(ftype, _FAST["number"]).fullmatch
    lowest = -math.inf if low is None else low
    highest = math.inf if high is None else high
    integer, currency, percentage = ftype == "integer", ftype == "currency", ftype == "percentage"

    finite = math.isfinite

    def convert(value: CellValue, unit: float) -> Result:
        number: float | int
        explicit: object = None
        if type(value) is str:
            if value.isdigit() and value.isascii():
                number = int(value)
            else:
                match = fast(value)
                if match is None:
                    return slow(value, unit)
                sign, whole, fraction, explicit = match.groups()
                if "," in whole:
                    whole = whole.replace(",", "")
                number = float(whole + fraction) if fraction else int(whole)
                if sign:
                    number = -number
        elif type(value) is int:
            if not -_MAX_INTEGER <= value <= _MAX_INTEGER:
                return slow(value, unit)
            number = value
        elif type(value) is float:
            if not finite(value):
                return slow(value, unit)
            number = value
        else:
            return slow(value, unit)
        if currency:
            number = round(number * unit, 2) + 0.0
            if not finite(number):
                return _checked(field, number, value)
        elif integer:
            if number != int(number):
                return None, f"{_show(value)} is not a whole number", False
            number = int(number)
            if not -_MAX_INTEGER <= number <= _MAX_INTEGER:
                return None, f"{_show(value)} is too large", False
        elif percentage:
            # 0.45 is a fraction (Excel keeps 45% so); a whole number is points: in a column
            # of 5, 20, 1 the 1 is 1%, not 100%.
            if not explicit and -1 <= number <= 1 and type(number) is float:
                number = round(number * 100.0, 10)
            number = number + 0.0
        else:
            number = number + 0.0
        if lowest <= number <= highest and not exotic:
            return number, None, True
        return _checked(field, number, value)

    return convert


def _date_converter(field: Field) -> Converter:
    bounded = field.minimum is not None or field.maximum is not None
    cache: dict[str, Result] = {}

    def decide(value: CellValue) -> Result:
        missing = _missing_result(value)
        if missing is not None:
            return missing
        try:
            text = parse_date(value)
        except Unparsed as exc:
            return None, str(exc), False
        return _checked(field, text, value) if bounded else (text, None, True)

    def convert(value: CellValue, unit: float) -> Result:
        if type(value) is datetime:
            text = value.date().isoformat()
        elif type(value) is date:
            text = value.isoformat()
        elif type(value) is str:
            known = cache.get(value)
            if known is None:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                known = cache[value] = decide(value)
            return known
        else:
            return decide(value)
        return _checked(field, text, value) if bounded else (text, None, True)

    return convert


def _choice_converter(field: Field) -> Converter:
    list_id = field.reference
    options = field.option_values
    by_key = {}
    for option in field.options:
        # "G-Cloud (CloudStore or Digital Marketplace)": the words before the bracket are
        # what people write, and the bracket may hold another name for the same thing.
        head, _, rest = option.label.partition(" (")
        for spelling in (head, rest.rstrip(")")):
            if spelling and _key(spelling) not in by_key:
                by_key[_key(spelling)] = option.value
    for option in field.options:
        by_key[_key(option.label)] = option.value
    for option in field.options:
        by_key[_key(option.value)] = option.value
    cache: dict[str, Result] = {}

    def decide(value: CellValue) -> Result:
        text = clean_text(value)
        if not text:
            return _BLANK
        found = by_key.get(_key(text))
        if found is not None:
            return found, None, True
        problem: Unparsed | None = None
        if list_id:
            try:
                found = parse_choice(text, list_id)
            except Unparsed as exc:
                problem = exc
        if found is None:
            missing = _missing_result(text)
            if missing is not None:
                return missing
            if problem is not None:
                return None, str(problem), False
            return None, f"{_show(value)} is not one of the choices for {field.label!r}", False
        if found in options:
            return found, None, True
        return _outside_options(field, list_id or "", found, value)

    def convert(value: CellValue, unit: float) -> Result:
        if type(value) is not str:
            return decide(value)
        known = cache.get(value)
        if known is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            known = cache[value] = decide(value)
        return known

    return convert


def _outside_options(field: Field, list_id: str, found: str, value: CellValue) -> Result:
    """A list value the field does not offer: its declared equivalent, or a plain refusal."""
    item = reference_list(list_id).item(found)
    equivalent = item.attributes.get("scs_equivalent")
    if isinstance(equivalent, str) and equivalent in field.option_values:
        note = f"{_show(value)} recorded as its usual equivalent {field.option_label(equivalent)}"
        return equivalent, note, True
    return (
        None,
        f"{_show(value)} ({item.label}) is not one of the choices for {field.label!r}",
        False,
    )


def _multi_converter(field: Field) -> Converter:
    single = _choice_converter(field)

    def convert(value: CellValue, unit: float) -> Result:
        missing = _missing_result(value)
        if missing is not None:
            return missing
        chosen: list[str] = []
        for part in clean_text(value).split(";"):
            if not part.strip():
                continue
            result = single(part, unit)
            if not result[2]:
                return result
            if result[0] is not None and result[0] not in chosen:
                chosen.append(result[0])
        return _checked(field, chosen or None, value)

    return convert


def _yesno_converter(field: Field) -> Converter:
    def convert(value: CellValue, unit: float) -> Result:
        if type(value) is bool:
            return value, None, True
        if type(value) is str:
            answer = _YES_NO_RAW.get(value)
            if answer is not None:
                return answer, None, True
        missing = _missing_result(value)
        if missing is not None:
            return missing
        try:
            return parse_yesno(value), None, True
        except Unparsed as exc:
            return None, str(exc), False

    return convert


def _maturity_converter(field: Field) -> Converter:
    def convert(value: CellValue, unit: float) -> Result:
        missing = _missing_result(value)
        if missing is not None:
            return missing
        try:
            level = parse_integer(value)
        except Unparsed:
            return None, f"{_show(value)} is not a level from 1 to 5", False
        if not 1 <= level <= 5:
            return None, f"{_show(value)} is not a level from 1 to 5", False
        return level, None, True

    return convert


def _text_converter(field: Field) -> Converter:
    limit = field.max_length
    checked = field.pattern is not None or field.type not in ("text", "long_text")

    def convert(value: CellValue, unit: float) -> Result:
        if type(value) is int and value.bit_length() > 10_000:
            return None, f"{_show(value)} is too long to be text", False
        text = clean_text(value)
        if not text:
            return _BLANK
        if type(value) is str:
            reason = _RAW_MISSING.get(value) or _reason_for_text(text)
            if reason is not None:
                return None, reason, True
        if limit is not None and len(text) > limit:
            return None, f"{_show(text)} is longer than {limit:,} characters", False
        if checked:
            return _checked(field, text, value)
        return text, None, True

    return convert


_MAKERS: dict[str, Callable[[Field], Converter]] = {
    "currency": _number_converter,
    "decimal": _number_converter,
    "integer": _number_converter,
    "percentage": _number_converter,
    "date": _date_converter,
    "single_choice": _choice_converter,
    "multi_choice": _multi_converter,
    "yesno": _yesno_converter,
    "maturity": _maturity_converter,
    "text": _text_converter,
    "long_text": _text_converter,
}
