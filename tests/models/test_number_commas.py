"""A comma in a typed, pasted or imported number separates thousands, and nothing else.

'1.234,56' (a number from a European-locale spreadsheet) was read as £1.23 and '0,5' as 5:
every comma was dropped. A comma anywhere but between groups of three digits is refused,
naming what is wanted, so a figure is never silently a thousand times off.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.validation import InvalidAnswer, parse_text
from tests.models.test_validation import f


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("money", "1.234,56"),
        ("money", "£1,2,3"),
        ("money", "12,34"),
        ("ratio", "0,5"),
        ("ratio", "1,5"),
        ("count", "1,5"),
        ("pct", "12,5%"),
        ("money", "£1,5m"),
        ("money", "1 234,56"),
        ("money", "1,0000"),
        ("money", ",500"),
        ("money", "1,000,00"),
    ],
)
def test_a_comma_that_is_not_a_thousands_separator_is_refused(question: str, text: str) -> None:
    with pytest.raises(InvalidAnswer) as info:
        parse_text(f(question), text)
    assert "comma" in str(info.value) and repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        ("money", "£1,250,000.50", 1_250_000.5),
        ("money", "1,000", 1000.0),
        ("ratio", "-1,000.5", -1000.5),
        ("money", "£1,500k", 1_500_000.0),
        ("money", "£ 1,234,567", 1_234_567.0),
        ("count", "5,000,000", 5_000_000),
        ("pct", "12.5%", 12.5),
        ("ratio", "999", 999.0),
        ("money", "1 234 567", 1_234_567.0),
    ],
)
def test_thousands_separators_still_read(question: str, text: str, value: float) -> None:
    assert parse_text(f(question), text) == value


@given(st.integers(0, 10**12), st.integers(0, 99))
def test_any_amount_written_with_separators_reads_back_exactly(pounds: int, pence: int) -> None:
    assert parse_text(f("money"), f"£{pounds:,}.{pence:02d}") == pounds + pence / 100
