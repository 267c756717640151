"""What a sample column's values look like (money, dates, grades, ...) and how well they suit it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from importers.header_detect import cell_text, is_numberish
from importers.source_table import CellValue
from models.questionnaire import Field

_GRADE_LIKE = re.compile(
    r"^(aa|ao|eo|heo|seo|g ?[67]|grade ?[67]|scs ?(pay band ?)?[1-4]a?|pb ?[1-4]|of ?-?[6-9]"
    r"|deputy director|director( general)?|permanent secretary)$",
    re.I,
)
_RAG_LIKE = re.compile(r"^(green|amber|red|amber ?[/-] ?(green|red)|[gar]|a ?/ ?[gr])$", re.I)
_YESNO_LIKE = re.compile(r"^(yes|no|y|n|true|false)$", re.I)
_MONEY_MARK = re.compile(r"£|\d\s*(k|m|bn|million)\b", re.I)


def values_kind(values: Sequence[CellValue]) -> dict[str, float]:
    """Shares of a sample column that look like money, dates, grades, fractions and so on."""
    texts = [cell_text(v) for v in values]
    filled = [(v, t) for v, t in zip(values, texts, strict=True) if t]
    if not filled:
        return {}
    n = len(filled)
    kinds = {
        "money": sum(1 for v, t in filled if _MONEY_MARK.search(t) or _big_number(v, t)) / n,
        "date": sum(1 for v, t in filled if isinstance(v, date) or _looks_date(t)) / n,
        "grade": sum(1 for _, t in filled if _GRADE_LIKE.match(t.strip())) / n,
        "fraction": sum(1 for v, t in filled if _fraction(v, t)) / n,
        "rag": sum(1 for _, t in filled if _RAG_LIKE.match(t.strip())) / n,
        "yesno": sum(1 for _, t in filled if _YESNO_LIKE.match(t.strip())) / n,
        "number": sum(1 for v, _ in filled if is_numberish(v)) / n,
    }
    return kinds


def _number(value: CellValue, text: str) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(text.replace(",", "").replace("£", ""))
    except ValueError:
        return None


def _big_number(value: CellValue, text: str) -> bool:
    number = _number(value, text)
    return number is not None and abs(number) >= 1000


def _fraction(value: CellValue, text: str) -> bool:
    number = _number(value, text)
    return number is not None and 0 <= number <= 1


_DATE_TEXT = re.compile(
    r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$"
    r"|^(\d{1,2} )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ -]\d{2,4}$",
    re.I,
)


def _looks_date(text: str) -> bool:
    return bool(_DATE_TEXT.match(text.strip()))


def value_fit(column: Field, kinds: dict[str, float]) -> tuple[float, str]:
    """How well sample values suit a column's type: (score, why), negative when they clash."""
    if not kinds:
        return 0.0, ""
    if column.type == "currency":
        if kinds["money"] >= 0.6:
            return 0.3, "values look like money"
        return (-0.2, "values do not look like money") if kinds["number"] < 0.3 else (0.0, "")
    if column.type == "date":
        if kinds["date"] >= 0.6:
            return 0.3, "values look like dates"
        return -0.2, "values do not look like dates"
    if column.type in ("integer", "decimal", "percentage"):
        if column.id == "fte" and kinds["fraction"] >= 0.8:
            return 0.3, "values are fractions from 0 to 1"
        if kinds["number"] >= 0.6:
            return 0.15, "values are numbers"
        return -0.2, "values are not numbers"
    if column.reference == "grades":
        return (0.35, "values look like grades") if kinds["grade"] >= 0.5 else (0.0, "")
    if column.reference == "rag":
        return (0.35, "values look like RAG ratings") if kinds["rag"] >= 0.5 else (0.0, "")
    if column.type == "yesno":
        return (0.3, "values are yes or no") if kinds["yesno"] >= 0.6 else (0.0, "")
    if column.type in ("text", "long_text") and kinds["number"] >= 0.9:
        return -0.1, "values are numbers"
    return 0.0, ""
