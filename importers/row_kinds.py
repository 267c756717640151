"""Rows that are not data: totals that add up others, and footnotes under a table."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from importers.cell_cleaning import clean_text
from importers.cell_parsers import PLAIN_NUMBER
from importers.source_table import CellValue

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
    return type(value) is str and PLAIN_NUMBER.fullmatch(value.strip()) is not None


def is_totals_row(values: Sequence[CellValue]) -> bool:
    """A row whose first text cell says it adds up others: 'Total', 'Grand total', 'All'."""
    for value in values:
        if value is None:
            continue
        if type(value) is str:
            verdict = _text_says_total(value)
        elif type(value) in (int, float):
            continue
        else:
            verdict = _says_total(clean_text(value))
        if verdict is not None:
            return verdict
    return False


@functools.lru_cache(maxsize=4096)
def _text_says_total(value: str) -> bool | None:
    """_says_total for a text cell, None for one that is a plain number (skipped)."""
    return None if _is_number_cell(value) else _says_total(value)


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
