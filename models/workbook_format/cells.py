"""How a stored value becomes an Excel cell and back: one codec for the writer and the reader."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from models.formatting import DATE_FORMAT
from models.questionnaire import Field
from models.validation import InvalidAnswer, exact_number, parse_text, validate
from models.values import is_empty, yes_no
from models.workbook_format.long_text import fit, restore

# Excel cells hold at most this many characters.
MAX_CELL_TEXT = 32_767
_SHORT = MAX_CELL_TEXT // 2  # shorter (in characters) fits whatever its UTF-16 length

# Number formats by field type. Percentages are stored as points (45 = 45%), so the
# cell keeps the stored number and the format adds the sign: sums and pivots stay exact.
NUMBER_FORMATS = {
    "integer": "#,##0",
    "decimal": "General",
    "currency": '"£"#,##0.00',
    "percentage": 'General"%"',
    "maturity": "0",
    "date": DATE_FORMAT,  # real dates shown ISO, as every workbook the app writes
}
# Excel's calendar starts in 1900; earlier dates are written as ISO text.
_FIRST_EXCEL_DATE = date(1900, 3, 1)
_LAST_EXCEL_SERIAL = 2_958_465  # 31/12/9999

# OOXML escapes characters XML cannot carry as _xHHHH_ (and a literal "_xHHHH_" as
# "_x005F_xHHHH_"). openpyxl does neither, so the app does both, as Excel does.
_CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
# The underscore of "_xHHHH" is escaped when an underscore follows it, or a character whose
# own escape starts with one: "_x0041" then U+0001 must not come back as "A" and "x0001_".
_NEEDS_ESCAPE = re.compile(rf"_(?=x[0-9A-Fa-f]{{4}}(?:_|{_CONTROLS}))|{_CONTROLS}")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """Text as an OOXML string: control characters and literal _xHHHH_ escaped.

    Longer than a cell holds, it becomes the part that fits and a marker, the whole kept
    in the workbook's metadata (exporters/long_text.py), so nothing is cut.
    """
    if "_" not in text and text.isprintable():
        return text if len(text) <= _SHORT else fit(text)
    escaped = _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return escaped if len(escaped) <= _SHORT else fit(escaped)


def unescape_text(text: str) -> str:
    """The text an OOXML string stands for (inverse of escape_text; Excel writes the same),
    whole again when it is the start of a long text the workbook keeps the rest of."""
    if text.endswith(")]"):  # perhaps the start of a long text (exporters/long_text.py)
        text = restore(text)
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def to_cell(field: Field, value: Any) -> Any:
    """The Excel value for a stored value: numbers and dates typed, choices as their labels.

    Strings come back escaped and must be written as text cells (never as formulas).
    """
    if is_empty(value):
        return None
    ftype = field.type
    if ftype in ("integer", "decimal", "currency", "percentage", "maturity"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return escape_text(str(value))
    if ftype == "date" and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return escape_text(value)
        return day if day >= _FIRST_EXCEL_DATE else value
    if ftype == "yesno" and isinstance(value, bool):
        return yes_no(value)
    if ftype == "single_choice" and isinstance(value, str):
        return escape_text(field.option_label(value))
    if ftype == "multi_choice" and isinstance(value, list):
        return escape_text("; ".join(field.option_label(v) for v in value))
    return escape_text(value if isinstance(value, str) else str(value))


def cell_encoder(field: Field) -> Callable[[Any], Any]:
    """to_cell for one field, specialised once for the common values (big exports)."""
    ftype = field.type
    if ftype in ("integer", "decimal", "currency", "percentage", "maturity"):

        def number(value: Any) -> Any:
            kind = type(value)
            return value if kind is int or kind is float else to_cell(field, value)

        return number
    if ftype in ("text", "long_text"):

        def text(value: Any) -> Any:
            return escape_text(value) if type(value) is str and value else to_cell(field, value)

        return text
    if ftype == "single_choice":
        labels = {o.value: escape_text(o.label) for o in field.options}

        def choice(value: Any) -> Any:
            label = labels.get(value) if type(value) is str else None
            return label if label is not None else to_cell(field, value)

        return choice
    return lambda value: to_cell(field, value)


def from_cell(field: Field, raw: Any) -> Any:
    """The stored value for what a cell holds; raises InvalidAnswer with a message.

    Text answers come back exactly as written (no trimming), so a workbook the app wrote
    re-imports unchanged; everything else goes through the same parsing as typing.
    """
    if raw is None:
        return None
    ftype = field.type
    if isinstance(raw, str):
        text = unescape_text(raw)
        if ftype in ("text", "long_text"):
            value: Any = text if text.strip() else None
        else:
            value = parse_text(field, text)
            if value is None:
                return None
    elif isinstance(raw, bool):
        if ftype in ("text", "long_text"):
            return "TRUE" if raw else "FALSE"  # what Excel showed
        if ftype != "yesno":
            raise InvalidAnswer(f"{raw!r} is not {_expected(field)}.")
        value = raw
    elif isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        if ftype == "date":
            value = day.isoformat()
        elif ftype in ("text", "long_text"):
            value = day.strftime("%d/%m/%Y")
        else:
            raise InvalidAnswer(f"{day:%d/%m/%Y} is not {_expected(field)}.")
    elif isinstance(raw, int | float):
        if not _storable(raw):  # only a hand-made file holds these; Excel writes neither
            raise InvalidAnswer(f"{str(raw)[:20]} is not a number a workbook can hold.")
        value = _number_cell(field, raw)
    else:
        value = parse_text(field, str(raw))
    validate(field, value)
    return value


def _storable(number: int | float) -> bool:
    """A finite number within what a float holds (what validation and Excel can compare)."""
    if isinstance(number, float):
        return math.isfinite(number)
    return abs(number) < 10**300


def _number_cell(field: Field, raw: int | float) -> Any:
    ftype = field.type
    if ftype in ("integer", "maturity"):
        if raw != int(raw):
            raise InvalidAnswer(f"{exact_number(raw)} is not a whole number.")
        return int(raw)
    if ftype in ("decimal", "currency", "percentage"):
        return raw
    if ftype in ("text", "long_text"):
        return exact_number(raw)
    if ftype == "date":
        if raw == int(raw) and 1 <= raw <= _LAST_EXCEL_SERIAL:  # a date cell without its format
            return from_excel(raw).date().isoformat()
        raise InvalidAnswer(f"{exact_number(raw)} is not a date.")
    return parse_text(field, exact_number(raw))


def _expected(field: Field) -> str:
    return {
        "yesno": "yes or no",
        "date": "a date",
        "single_choice": "one of the choices",
        "multi_choice": "one of the choices",
    }.get(field.type, "a number")


def number_format(field: Field) -> str | None:
    """The cell format for a field's values, or None for text."""
    return NUMBER_FORMATS.get(field.type)
