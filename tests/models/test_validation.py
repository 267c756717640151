"""Turning what an auditor types into stored values, checking them, and showing them again."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.questionnaire import Field, parse_questionnaire
from models.validation import LARGEST_NUMBER, InvalidAnswer, format_value, parse_text, validate
from tests.models.helpers import definition

QUESTIONNAIRE = parse_questionnaire(
    definition(
        r"""
        - {id: yn, type: yesno, label: Yes or no}
        - {id: count, type: integer, label: Count, min: 0, max: 5000000}
        - {id: ratio, type: decimal, label: Ratio}
        - {id: money, type: currency, label: Money, min: 0}
        - {id: pct, type: percentage, label: Share}
        - {id: when, type: date, label: When, min: "2000-01-01", max: "2030-12-31"}
        - id: colour
          type: single_choice
          label: Colour
          options: [{value: "red", label: Red}, {value: "amber_green", label: Amber and green}]
        - {id: grade, type: single_choice, label: Grade, reference: grades}
        - id: areas
          type: multi_choice
          label: Areas
          max_selected: 2
          options:
            - {value: "privacy", label: Privacy}
            - {value: "security", label: Security}
            - {value: "open_standards", label: Open standards}
        - id: year
          type: text
          label: Financial year
          max_length: 20
          pattern: '^(19|20)\d{2}-\d{2}$'
          pattern_message: Write the financial year as, for example, 2012-13.
        - {id: title, type: text, label: Title, max_length: 10}
        - {id: notes, type: long_text, label: Notes, max_length: 20}
        - {id: level, type: maturity, label: Level, levels: [one, two, three, four, five]}
        """
    ),
    source="validation.yaml",
)


def f(question_id: str) -> Field:
    return QUESTIONNAIRE.question(question_id)


def refused(question_id: str, text: str) -> str:
    with pytest.raises(InvalidAnswer) as info:
        parse_text(f(question_id), text)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("t", True),
        ("1", True),
        (" no ", False),
        ("N", False),
        ("false", False),
        ("F", False),
        ("0", False),
    ],
)
def test_yes_no_spellings(text: str, expected: bool) -> None:
    assert parse_text(f("yn"), text) is expected


def test_yes_no_refuses_other_words() -> None:
    assert refused("yn", "maybe") == "'maybe' is not yes or no."


@pytest.mark.parametrize("question_id", [q.id for q in QUESTIONNAIRE.questions()])
def test_blank_is_no_answer(question_id: str) -> None:
    assert parse_text(f(question_id), "   ") is None


def test_integer_with_thousands_separators() -> None:
    value = parse_text(f("count"), "1,250,000")
    assert value == 1_250_000
    assert type(value) is int


def test_integer_refuses_a_fraction() -> None:
    assert refused("count", "12.5") == "'12.5' is not a whole number."


def test_integer_refuses_words() -> None:
    assert refused("count", "twelve") == "'twelve' is not a number."


def test_integer_bounds() -> None:
    assert refused("count", "-1") == "Must be at least 0."
    assert refused("count", "5,000,001") == "Must be at most 5,000,000."
    assert parse_text(f("count"), "5,000,000") == 5_000_000  # bounds are inclusive


def test_currency_with_pound_sign_and_separators() -> None:
    assert parse_text(f("money"), "£1,250,000.50") == 1_250_000.5


def test_currency_as_people_write_it() -> None:
    # "£1.2m" in the form, a paste and on the command line: the exact amount (issue 20)
    assert parse_text(f("money"), "£1.2m") == 1_200_000.0
    assert parse_text(f("money"), "£250k") == 250_000.0
    assert parse_text(f("money"), "1.5bn") == 1_500_000_000.0
    assert parse_text(f("money"), "£0.1 M") == 100_000.0
    assert refused("money", "£m") == "'£m' is not an amount in pounds."
    assert refused("money", "1.2mm") == "'1.2mm' is not an amount in pounds."
    assert refused("count", "2k") == "'2k' is not a number."  # only pounds take a unit


def test_currency_rounds_to_pence() -> None:
    # 10.499 is 10.50 to the nearest penny
    assert parse_text(f("money"), "£10.499") == 10.5


def test_currency_bounds_message_has_pound_sign() -> None:
    assert refused("money", "-£5") == "Must be at least £0."
    assert refused("money", "five pounds") == "'five pounds' is not an amount in pounds."


def test_percentages() -> None:
    assert parse_text(f("pct"), "45%") == 45.0
    assert parse_text(f("pct"), "45 %") == 45.0
    assert parse_text(f("pct"), "12.5") == 12.5
    # percentage bounds default to 0..100
    assert refused("pct", "101%") == "Must be at most 100%."
    assert refused("pct", "-1%") == "Must be at least 0%."


@pytest.mark.parametrize("text", ["31/03/2013", "2013-03-31", "31.03.2013", "2013-3-31"])
def test_dates_in_either_order_are_stored_iso(text: str) -> None:
    assert parse_text(f("when"), text) == "2013-03-31"


def test_impossible_date_refused() -> None:
    message = refused("when", "31/02/2013")
    assert message == "'31/02/2013' is not a date; write it as 31/03/2013 or 2013-03-31."


def test_date_bounds() -> None:
    assert refused("when", "31/12/1999") == "Must be on or after 2000-01-01."
    assert refused("when", "2031-01-01") == "Must be on or before 2030-12-31."


@pytest.mark.parametrize(
    ("question_id", "text", "expected"),
    [
        ("colour", "red", "red"),  # by value
        ("colour", "RED", "red"),
        ("colour", "Amber and green", "amber_green"),  # by label
        ("colour", "  amber   AND green ", "amber_green"),  # spacing and case do not matter
        ("grade", "SCS2 (Director)", "scs2"),  # the reference list's label
        ("grade", "SCS Pay Band 2", "scs2"),  # synonyms from resources/reference/grades.yaml
        ("grade", "G7", "g7"),
        ("grade", "Grade 7", "g7"),
        ("grade", "Director General", "scs3"),
        ("grade", "scs pb1", "scs1"),
    ],
)
def test_choices(question_id: str, text: str, expected: str) -> None:
    assert parse_text(f(question_id), text) == expected


def test_unknown_choice_refused() -> None:
    assert refused("grade", "Grade 9") == "'Grade 9' is not one of the choices for 'Grade'."


def test_multi_choice_separated_by_semicolons() -> None:
    assert parse_text(f("areas"), "Privacy; open_standards;") == ["privacy", "open_standards"]
    assert refused("areas", "privacy; security; open standards") == "Choose at most 2."
    assert "'Identity'" in refused("areas", "privacy; Identity")


def test_text_pattern() -> None:
    assert parse_text(f("year"), " 2012-13 ") == "2012-13"
    assert refused("year", "2012/13") == "Write the financial year as, for example, 2012-13."


def test_text_max_length() -> None:
    assert parse_text(f("title"), "0123456789") == "0123456789"
    assert refused("title", "0123456789A") == "Keep it to 10 characters (11 now)."


def test_long_text_keeps_its_layout() -> None:
    assert parse_text(f("notes"), "  one\ntwo  ") == "  one\ntwo  "
    assert refused("notes", "x" * 21) == "Keep it to 20 characters (21 now)."


def test_maturity_levels() -> None:
    assert parse_text(f("level"), "3") == 3
    assert refused("level", "6") == "Choose a level from 1 to 5."
    assert refused("level", "high") == "'high' is not a level from 1 to 5."


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("yn", "yes", "Answer yes or no."),
        ("count", True, "Enter a number."),
        ("count", 2.5, "Enter a whole number."),
        ("ratio", float("nan"), "Enter a number."),
        ("when", "2013-02-31", "'2013-02-31' is not a date."),
        ("grade", "scs9", "'scs9' is not one of the choices."),
        ("areas", "privacy", "Choose from the listed options."),
        ("title", 12, "Enter text."),
        ("level", 0, "Choose a level from 1 to 5."),
    ],
)
def test_validate_refuses_stored_values_of_the_wrong_kind(
    question_id: str, value: Any, message: str
) -> None:
    with pytest.raises(InvalidAnswer) as info:
        validate(f(question_id), value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("question_id", "value", "shown"),
    [
        ("yn", True, "Yes"),
        ("yn", False, "No"),
        ("count", 1_250_000, "1,250,000"),
        ("ratio", 0.6, "0.6"),
        ("ratio", 1234567.5, "1,234,567.5"),
        ("ratio", 0.1 + 0.2, "0.30000000000000004"),
        ("ratio", -2.0, "-2"),
        ("money", 1_250_000.5, "£1,250,000.50"),
        ("money", 0.0, "£0.00"),
        ("pct", 45.0, "45%"),
        ("pct", 12.345678, "12.345678%"),
        ("when", "2013-03-31", "31/03/2013"),
        ("colour", "amber_green", "Amber and green"),
        ("grade", "scs2", "SCS2 (Director)"),
        ("areas", ["privacy", "open_standards"], "Privacy; Open standards"),
        ("year", "2012-13", "2012-13"),
        ("notes", "two\nlines", "two\nlines"),
        ("level", 4, "4"),
    ],
)
def test_format_value_round_trips_through_parse_text(
    question_id: str, value: Any, shown: str
) -> None:
    field = f(question_id)
    assert format_value(field, value) == shown
    back = parse_text(field, shown)
    assert back == value
    assert type(back) is type(value)


def test_format_value_of_nothing_is_blank() -> None:
    assert all(format_value(q, None) == "" for q in QUESTIONNAIRE.questions())


@settings(max_examples=200, database=None, deadline=None)
@given(st.floats(-LARGEST_NUMBER, LARGEST_NUMBER, allow_nan=False))
def test_any_decimal_survives_display_and_re_entry(value: float) -> None:
    # What the table editor copies is format_value; pasting it back must not change the number.
    assert parse_text(f("ratio"), format_value(f("ratio"), value)) == value


@settings(max_examples=200, database=None, deadline=None)
@given(st.floats(min_value=0, max_value=100))
def test_any_percentage_survives_display_and_re_entry(value: float) -> None:
    assert parse_text(f("pct"), format_value(f("pct"), value)) == value


@settings(max_examples=200, database=None, deadline=None)
@given(st.integers(min_value=0, max_value=10**13).map(lambda pence: pence / 100))
def test_any_amount_in_pence_survives_display_and_re_entry(value: float) -> None:
    assert parse_text(f("money"), format_value(f("money"), value)) == value
