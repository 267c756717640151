"""Typed answers: turning what an auditor types into a stored value, and checking stored values."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from models.questionnaire import Condition, Field, Question, Questionnaire
from models.reference import reference_list
from models.values import is_empty, yes_no

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
)


# The largest amount or number any answer or cell may hold: far beyond any real figure (all
# of government spends about £1.2 trillion a year), small enough to keep pence exact in a float
# and for every report to print it.
LARGEST_POUNDS = 10**13  # £10 trillion
LARGEST_NUMBER = 10**12  # FTE, headcounts, counts, decimals
COMMENT_LIMIT = 100_000  # characters: a long note kept whole (split over Excel cells), where
# 1.2 M took a board report minutes (a 100,000 one lays out in seconds)


NOT_UNICODE = (
    "The text holds a character that is not valid Unicode (a lone surrogate, as bytes that "
    "are not UTF-8 or a JSON \\ud800 give): retype it."
)


# The longest a label may be: the longest GOV.UK organisation name is 99 characters; a
# 200,000-character name imported from a file made every board report fail to lay out.
LABEL_LIMITS = {"department name": 200, "abbreviation": 40, "cycle label": 100, "auditor": 200}


def checked_label(text: str, what: str) -> str:
    """clean_label, refused (ValueError naming what) when longer than LABEL_LIMITS[what]."""
    cleaned = clean_label(text)
    limit = LABEL_LIMITS[what]
    if len(cleaned) > limit:
        raise ValueError(
            f"A {what} is at most {limit:,} characters ({len(cleaned):,} given: "
            f"{cleaned[:40]!r}…). Nothing was changed."
        )
    return cleaned


def clean_label(text: str) -> str:
    """A name or label (department, abbreviation, cycle, auditor) as every door stores it:
    NFC; controls and line breaks as spaces; zero-width and direction characters dropped
    (else 'Department for Work and Pensions' + U+200B is a second, identical-looking DWP);
    a lone surrogate as U+FFFD; runs of whitespace as one space."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() and text.isprintable():
        return " ".join(text.split())
    kept = []
    for ch in text:
        kind = unicodedata.category(ch)
        if kind == "Cf":
            continue
        kept.append(" " if kind in ("Cc", "Zl", "Zp") else "\ufffd" if kind == "Cs" else ch)
    return " ".join("".join(kept).split())


def _encodable(text: str) -> bool:
    """False for text SQLite cannot store: a lone surrogate has no UTF-8 form."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class InvalidAnswer(ValueError):
    """A value that does not fit its question; the message is for the auditor."""


# Pounds as people write them: £250k, £1.2m, £1.5bn (the exact amount, as Decimal scales it).
_POUNDS_SCALE = re.compile(r"(?P<number>.*\d\.?)(?P<unit>k|m|bn)", re.IGNORECASE)
_SCALES = {"k": 3, "m": 6, "bn": 9}


# A comma only between groups of three digits: '1,234.5', never '1,5' or '1.234,56'.
_COMMAS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?([a-z]+|%)?", re.IGNORECASE)


def _number(text: str, field: Field) -> float:
    compact = text.strip().replace("£", "").replace(" ", "")
    if "," in compact and not _COMMAS.fullmatch(compact):  # dropped, '0,5' was read as 5
        raise InvalidAnswer(
            f"{text.strip()!r} is not a number as written here: a comma separates thousands "
            "(1,234,567); decimals take a point (1.5)."
        )
    cleaned = compact.replace(",", "")
    if field.type == "percentage":
        cleaned = cleaned.removesuffix("%")
    scale = 0
    scaled = _POUNDS_SCALE.fullmatch(cleaned) if field.type == "currency" else None
    if scaled:
        cleaned, scale = scaled["number"], _SCALES[scaled["unit"].lower()]
    try:
        number = Decimal(cleaned).scaleb(scale)
    except InvalidOperation:
        kind = {"currency": "an amount in pounds", "percentage": "a percentage"}.get(
            field.type, "a number"
        )
        raise InvalidAnswer(f"{text.strip()!r} is not {kind}.") from None
    if not number.is_finite():
        raise InvalidAnswer(f"{text.strip()!r} is not a number.")
    return float(number) + 0.0  # '-0' is 0: no negative zero stored, shown '£-0.00'


def parse_text(field: Field, text: str) -> Any:
    """The stored value for text an auditor typed or pasted (None when blank).

    Choice text may be an option's value or label (case-insensitive); several choices
    are separated by ';'. Raises InvalidAnswer with a message for the auditor.
    """
    text = text.strip() if field.type != "long_text" else text
    if text.strip() == "":
        return None
    ftype = field.type
    if ftype == "yesno":
        low = text.lower()
        if low in _TRUE:
            value: Any = True
        elif low in _FALSE:
            value = False
        else:
            raise InvalidAnswer(f"{text!r} is not yes or no.")
    elif ftype == "integer":
        number = _number(text, field)
        if number != int(number):
            raise InvalidAnswer(f"{text!r} is not a whole number.")
        value = int(number)
    elif ftype in ("decimal", "currency", "percentage"):
        value = _number(text, field)
        if ftype == "currency":
            value = round(value, 2) + 0.0  # -0.001 rounds to -0.0
    elif ftype == "maturity":
        try:
            value = int(text)
        except ValueError:
            raise InvalidAnswer(f"{text!r} is not a level from 1 to 5.") from None
    elif ftype == "date":
        value = _parse_date(text)
    elif ftype == "single_choice":
        value = _choice(field, text)
    elif ftype == "multi_choice":
        value = [_choice(field, part) for part in text.split(";") if part.strip()]
    else:
        value = text
    validate(field, value)
    return value


def _parse_date(text: str) -> str:
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                break
    raise InvalidAnswer(f"{text!r} is not a date; write it as 31/03/2013 or 2013-03-31.")


def _choice(field: Field, text: str) -> str:
    wanted = " ".join(text.split()).lower()
    for option in field.options:
        if wanted in (option.value.lower(), option.label.lower()):
            return option.value
    if field.reference:
        for item in reference_list(field.reference).items:
            if any(wanted == " ".join(s.split()).lower() for s in item.synonyms):
                return item.value
    raise InvalidAnswer(f"{text.strip()!r} is not one of the choices for {field.label!r}.")


def validate(field: Field, value: Any) -> None:
    """Raise InvalidAnswer when a stored value breaks the field's type or constraints."""
    if is_empty(value):
        return
    ftype = field.type
    if ftype == "yesno":
        if not isinstance(value, bool):
            raise InvalidAnswer("Answer yes or no.")
    elif ftype in ("integer", "decimal", "currency", "percentage"):
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            raise InvalidAnswer("Enter a number.")
        unit = "%" if ftype == "percentage" else ""
        money = "£" if ftype == "currency" else ""
        largest = LARGEST_POUNDS if ftype == "currency" else LARGEST_NUMBER
        if not -largest <= value <= largest:  # before int(): 10**400 is an int, not a float
            side = "most" if value > 0 else "least"
            sign = "" if value > 0 else "-"
            raise InvalidAnswer(f"Must be at {side} {sign}{money}{largest:,}{unit}.")
        if ftype == "integer" and value != int(value):
            raise InvalidAnswer("Enter a whole number.")
        if field.minimum is not None and value < field.minimum:
            raise InvalidAnswer(f"Must be at least {money}{field.minimum:,}{unit}.")
        if field.maximum is not None and value > field.maximum:
            raise InvalidAnswer(f"Must be at most {money}{field.maximum:,}{unit}.")
    elif ftype == "maturity":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise InvalidAnswer("Choose a level from 1 to 5.")
    elif ftype == "date":
        if not isinstance(value, str):
            raise InvalidAnswer("Enter a date.")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise InvalidAnswer(f"{value!r} is not a date.") from None
        if field.minimum is not None and value < field.minimum:
            raise InvalidAnswer(f"Must be on or after {field.minimum}.")
        if field.maximum is not None and value > field.maximum:
            raise InvalidAnswer(f"Must be on or before {field.maximum}.")
    elif ftype == "single_choice":
        if value not in field.option_values:
            raise InvalidAnswer(f"{value!r} is not one of the choices.")
    elif ftype == "multi_choice":
        if not isinstance(value, list) or any(v not in field.option_values for v in value):
            raise InvalidAnswer("Choose from the listed options.")
        problem = exclusive_problem(field, value)
        if problem:
            raise InvalidAnswer(problem)
        if field.min_selected is not None and len(value) < field.min_selected:
            raise InvalidAnswer(f"Choose at least {field.min_selected}.")
        if field.max_selected is not None and len(value) > field.max_selected:
            raise InvalidAnswer(f"Choose at most {field.max_selected}.")
    elif ftype in ("text", "long_text"):
        if not isinstance(value, str):
            raise InvalidAnswer("Enter text.")
        if not _encodable(value):
            raise InvalidAnswer(NOT_UNICODE)
        if field.max_length is not None and len(value) > field.max_length:
            raise InvalidAnswer(f"Keep it to {field.max_length:,} characters ({len(value):,} now).")
        if field.pattern and not re.fullmatch(field.pattern, value):
            raise InvalidAnswer(field.pattern_message or "Not in the expected format.")


def number_range(field: Field) -> tuple[float, float]:
    """The lowest and highest number validate() takes for a number field: its own bounds
    within the sane ones, for a fast path that checks a range instead of calling validate()."""
    largest = float(LARGEST_POUNDS if field.type == "currency" else LARGEST_NUMBER)
    low = field.minimum if isinstance(field.minimum, int | float) else -largest
    high = field.maximum if isinstance(field.maximum, int | float) else largest
    return max(float(low), -largest), min(float(high), largest)


def comment_problem(text: Any) -> str | None:
    """Why a comment cannot be kept (not text, or longer than COMMENT_LIMIT), or None: every
    door checks it, as answers are checked, so one imported comment cannot stall a report."""
    if not isinstance(text, str):
        return "a comment is text"
    if not _encodable(text):
        return NOT_UNICODE
    if len(text) > COMMENT_LIMIT:
        return f"Keep a comment to {COMMENT_LIMIT:,} characters ({len(text):,} now)."
    return None


def exclusive_problem(field: Field, value: Any) -> str | None:
    """Why a multiple choice breaks its exclusive option ("None of these" with others), or None."""
    if field.type != "multi_choice" or not isinstance(value, list):
        return None
    alone = [v for v in value if v in field.exclusive_values]
    if alone and len(set(value)) > 1:
        return f"{field.option_label(alone[0])!r} cannot be chosen with other options."
    return None


def error_for(field: Field, value: Any) -> str | None:
    """The validation message for a value, or None when it is fine."""
    try:
        validate(field, value)
    except InvalidAnswer as exc:
        return str(exc)
    return None


def format_value(field: Field, value: Any) -> str:
    """A stored value as an auditor reads it (also what parse_text accepts back)."""
    if is_empty(value):
        return ""
    ftype = field.type
    if ftype == "yesno":
        return yes_no(bool(value))
    if isinstance(value, float):
        value += 0.0  # a negative zero stored before is shown 0, never '£-0.00' or '-0%'
    if ftype == "currency":
        return f"£{round(value, 2) + 0.0:,.2f}"  # -0.004 is '£0.00', not '£-0.00'
    if ftype == "percentage":
        return f"{exact_number(value)}%"
    if ftype == "integer":
        return f"{value:,}" if isinstance(value, int) else str(value)
    if ftype == "decimal":
        return exact_number(value, grouped=True)
    if ftype == "date":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    if ftype == "single_choice":
        return field.option_label(value)
    if ftype == "multi_choice":
        return "; ".join(field.option_label(v) for v in value)
    return str(value)


def exact_number(value: Any, *, grouped: bool = False) -> str:
    """Every digit of a number, without exponent or trailing zeros (1234567.5, not 1.23457e+06)."""
    try:
        number = Decimal(repr(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{number:,f}" if grouped else f"{number:f}"


# --------------------------------------------------------------------------- conditions


def condition_holds(cond: Condition, lookup: Mapping[str, Any]) -> bool:
    """Evaluate a condition against answers (or a row's cells) keyed by id."""
    if cond.op == "all":
        return all(condition_holds(c, lookup) for c in cond.children)
    if cond.op == "any":
        return any(condition_holds(c, lookup) for c in cond.children)
    value = lookup.get(cond.ref)
    if cond.op == "answered":
        return (not is_empty(value)) is cond.value
    if is_empty(value):
        return cond.op == "not_equals"
    if cond.op == "equals":
        return _matches(value, cond.value)
    if cond.op == "not_equals":
        return not _matches(value, cond.value)
    return any(_matches(value, v) for v in cond.value)  # in


_PREDICATES: dict[int, tuple[Condition, Callable[[Mapping[str, Any]], bool]]] = {}


def row_predicate(cond: Condition) -> Callable[[Mapping[str, Any]], bool]:
    """condition_holds as a function of one row, for testing thousands of rows.

    Comparisons of a column with text choices (the usual indicator filter) become a set
    lookup; anything else is condition_holds itself, so the answer is always the same.
    """
    known = _PREDICATES.get(id(cond))
    if known is not None and known[0] is cond:
        return known[1]
    predicate = _compile(cond)
    _PREDICATES[id(cond)] = (cond, predicate)
    return predicate


def _compile(cond: Condition) -> Callable[[Mapping[str, Any]], bool]:
    if cond.op in ("all", "any"):
        parts = [_compile(c) for c in cond.children]
        if cond.op == "all":
            return lambda row: all(p(row) for p in parts)
        return lambda row: any(p(row) for p in parts)
    expected = [cond.value] if cond.op == "equals" else cond.value
    if cond.op in ("equals", "in") and all(isinstance(v, str) for v in expected):
        wanted, ref = frozenset(expected), cond.ref

        def text_in(row: Mapping[str, Any]) -> bool:
            value = row.get(ref)
            if isinstance(value, str):
                return value != "" and value in wanted  # as _matches: str == str, not bools
            return condition_holds(cond, row)

        return text_in
    return lambda row: condition_holds(cond, row)


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(value, list):
        return expected in value
    return isinstance(value, bool) == isinstance(expected, bool) and value == expected


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> set[str]:
    """Ids of the questions shown for these answers; a hidden question hides its dependants."""
    shown: set[str] = set()

    def holds(cond: Condition) -> bool:
        # A comparison with a hidden question is false; the rest of an `any` may still hold.
        if cond.op == "all":
            return all(holds(c) for c in cond.children)
        if cond.op == "any":
            return any(holds(c) for c in cond.children)
        return cond.ref in shown and condition_holds(cond, answers)

    for question in questionnaire.questions():
        if question.visible_if is None or holds(question.visible_if):
            shown.add(question.id)
    return shown


def is_answered(
    question: Question, answers: Mapping[str, Any], row_counts: Mapping[str, int]
) -> bool:
    if question.is_table:
        return row_counts.get(question.id, 0) >= max(question.min_rows, 1)
    return not is_empty(answers.get(question.id))
