"""Turning the cells of foreign spreadsheets into stored values, or saying plainly why not."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from importers.cell_cleaning import (
    Unparsed,
    clean_text,
    match_key,
    missing_reason,
    missing_reason_cleaned,
    shown,
)
from importers.cell_parsers import (
    FAST_NUMBER,
    MAX_INTEGER,
    PERCENT_POINTS,
    YES_NO_SPELLINGS,
    parse_date,
    parse_integer,
    parse_money,
    parse_number,
    parse_percentage,
    parse_yesno,
)
from importers.reference_matching import parse_choice
from importers.source_table import CellValue
from models.questionnaire import Field
from models.reference import reference_list
from models.validation import InvalidAnswer, number_range, validate

Result = tuple[Any, str | None, bool]

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
        return unreadable(value, exc)


def converter(field: Field) -> Converter:
    """The function normalise_for calls for this field's cells (not None), for callers that
    convert a column of cells: it may raise, where normalise_for gives `unreadable`."""
    entry = _CONVERTERS.get(id(field))
    if entry is None or entry[0] is not field:
        entry = _compile(field)
    return entry[1]


def unreadable(value: CellValue, exc: Exception) -> Result:
    """What normalise_for gives for a cell its converter failed on."""
    return None, f"{shown(value)} could not be read ({type(exc).__name__})", False


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
        return None, _range_message(field, value, original) or f"{shown(original)}: {exc}", False
    except (OverflowError, ValueError):
        return None, f"{shown(original)} is too large", False
    return value, None, True


def _range_message(field: Field, value: Any, original: CellValue) -> str | None:
    try:
        if field.minimum is not None and value < field.minimum:
            return f"{shown(original)} is below the minimum {field.minimum}"
        if field.maximum is not None and value > field.maximum:
            return f"{shown(original)} is above the maximum {field.maximum}"
    except TypeError:
        return None
    return None


def _missing_result(value: CellValue) -> Result | None:
    """The result for a blank or marker cell, or None when the cell holds something."""
    reason = missing_reason(value)
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
                number = parse_percentage(value, points=unit == PERCENT_POINTS)
            elif ftype == "integer":
                number = parse_integer(value)
                if abs(number) > MAX_INTEGER:
                    return None, f"{shown(value)} is too large", False
            else:
                number = parse_number(value)
        except Unparsed as exc:
            return None, str(exc), False
        return _checked(field, number, value)

    fast = FAST_NUMBER.get(ftype, FAST_NUMBER["number"]).fullmatch
    lowest, highest = number_range(field)  # within the sane bounds validate() sets
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
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
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
                return None, f"{shown(value)} is not a whole number", False
            number = int(number)
            if not -MAX_INTEGER <= number <= MAX_INTEGER:
                return None, f"{shown(value)} is too large", False
        elif percentage:
            # 0.45 is a fraction (Excel keeps 45% so), and so is 1 (100%), unless the column
            # holds whole percentages (unit PERCENT_POINTS): in a column of 5, 20, 1 the 1 is
            # 1%, whether the file gave it as 1 (CSV) or 1.0 (any spreadsheet).
            if not explicit and -1 <= number <= 1 and unit != PERCENT_POINTS:
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
            if spelling and match_key(spelling) not in by_key:
                by_key[match_key(spelling)] = option.value
    for option in field.options:
        by_key[match_key(option.label)] = option.value
    for option in field.options:
        by_key[match_key(option.value)] = option.value
    cache: dict[str, Result] = {}

    def decide(value: CellValue) -> Result:
        text = clean_text(value)
        if not text:
            return _BLANK
        found = by_key.get(match_key(text))
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
            return None, f"{shown(value)} is not one of the choices for {field.label!r}", False
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
        note = f"{shown(value)} recorded as its usual equivalent {field.option_label(equivalent)}"
        return equivalent, note, True
    return (
        None,
        f"{shown(value)} ({item.label}) is not one of the choices for {field.label!r}",
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
            answer = YES_NO_SPELLINGS.get(value)
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
            return None, f"{shown(value)} is not a level from 1 to 5", False
        if not 1 <= level <= 5:
            return None, f"{shown(value)} is not a level from 1 to 5", False
        return level, None, True

    return convert


def _text_converter(field: Field) -> Converter:
    limit = field.max_length
    checked = field.pattern is not None or field.type not in ("text", "long_text")

    def convert(value: CellValue, unit: float) -> Result:
        if type(value) is int and value.bit_length() > 10_000:
            return None, f"{shown(value)} is too long to be text", False
        text = clean_text(value)
        if not text:
            return _BLANK
        if type(value) is str:
            reason = missing_reason_cleaned(text)
            if reason is not None:
                return None, reason, True
        if limit is not None and len(text) > limit:
            return None, f"{shown(text)} is longer than {limit:,} characters", False
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
