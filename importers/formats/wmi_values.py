"""WMI cell values and months: figures, the markers written for none, the month a sheet
or its return workbook's cover describes."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from itertools import islice

from importers.cell_cleaning import clean_text, missing_reason
from importers.column_mapping import ColumnMapping
from importers.rows import cell
from importers.source_table import CellValue, SourceBook

_NOTHING = frozenset({"", ".", "-", "–", "nil", "none", "n/a", "na", "..", "x", "[x]"})
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# A month's name or usual abbreviation as a word of its own ('decc_2012' and 'Mayor 2016'
# name no month), then its year: 'Jan 21', 'April_2024', 'Data_Sheet_June_2022', 'Sept 2024'.
_MONTH_YEAR = re.compile(
    r"(?<![a-z])(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
    r"[\s_\-./']*(\d{4}|\d{2})(?!\d)",
    re.I,
)


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) a sheet name or cell names: 'Jan 21', 'April_2024', 'Apr-20'."""
    match = _MONTH_YEAR.search(text)
    if match is None or match.group(1).lower()[:3] not in _MONTHS:
        return None
    year = int(match.group(2))
    return (year + 2000 if year < 100 else year), _MONTHS[match.group(1).lower()[:3]]


def row_month(value: CellValue) -> tuple[int, int] | None:
    """The month a months-as-rows cell names; a date only when it is the 1st (Excel and
    LibreOffice read 'Apr-20' as the 20th of April this year, not as April 2020)."""
    if isinstance(value, date):  # a datetime too
        return (value.year, value.month) if value.day == 1 else None
    return month_of(clean_text(value))


def unread_month(value: CellValue) -> str:
    """Why a months-as-rows row's month cannot be read, for the report."""
    if isinstance(value, date):
        day = f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
        return (
            f"{day} is a day, not a month (a spreadsheet may have read 'Apr-20' as the 20th "
            "of April): write the month as text, such as 'Apr-2020'"
        )
    text = clean_text(value)
    if not text:
        return "no month given: the row's figures cannot be placed in a month"
    return f"{text!r} is not a month (such as 'Apr-20' or 'April 2020')"


def number(value: CellValue) -> float | None:
    """A count cell as a number; None for blank and the markers WMI uses for nothing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = clean_text(value)
    if text.lower() in _NOTHING:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def nothing(value: CellValue) -> bool:
    """Blank, or a marker WMI writes for none ('.', '-', 'NIL', 'N/A'): not a figure."""
    if value is None:
        return True
    if isinstance(value, str):
        text = clean_text(value).lower()
        return text in _NOTHING or missing_reason(value) is not None
    return False


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def cover_month(book: SourceBook) -> tuple[int, int] | None:
    """'Reference month:' on the return workbook's cover sheet, when it is filled in."""
    for sheet in book.sheet_names():
        if "cover" not in sheet.lower():
            continue
        for row in islice(book.rows(sheet), 40):
            texts = [c for c in row if c is not None and clean_text(c)]
            if not texts or not clean_text(texts[0]).lower().startswith("reference month"):
                continue
            value = texts[1] if len(texts) > 1 else None
            if isinstance(value, date):
                return value.year, value.month
            return month_of(clean_text(value)) if value is not None else None
    return None


def period_of(
    sheet: str, sample: Sequence[Sequence[CellValue]], mapping: ColumnMapping
) -> tuple[int, int] | None:
    """The month a sheet describes: its Year and Month cells, else its name."""
    year_i, month_i = mapping.source_fields.get("year"), mapping.source_fields.get("month")
    if year_i is not None and month_i is not None:
        for row in sample[:5]:
            year = number(cell(row, year_i))
            found = month_of(f"{clean_text(cell(row, month_i))} {int(year) if year else ''}")
            if found:
                return found
    return month_of(sheet)
