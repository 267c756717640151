"""Cleaning a cell's text, quoting it in messages, and the markers written for no value."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from importers.source_table import CellValue


class Unparsed(ValueError):
    """A cell that does not fit; str() is a short reason for the report, quoting the value."""


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


def shown(value: CellValue) -> str:
    """The value quoted for a message, cut short when long."""
    try:
        text = clean_text(value)
    except Exception:  # a message must never fail
        text = "?"
    if len(text) > 60:
        text = text[:57] + "…"
    return repr(text)


def match_key(text: str) -> str:
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


def missing_reason_cleaned(text: str) -> str | None:
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
        _RAW_MISSING[_spelling] = missing_reason_cleaned(_spelling) or "blank"
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
    return missing_reason_cleaned(clean_text(value))
