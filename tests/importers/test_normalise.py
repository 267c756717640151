"""Cell normalisers: the spellings real government files use, and refusals instead of guesses."""

from __future__ import annotations

import csv
import math
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.cell_cleaning import Unparsed, clean_text, missing_reason
from importers.cell_parsers import (
    parse_date,
    parse_integer,
    parse_money,
    parse_number,
    parse_percentage,
    parse_yesno,
)
from importers.normalise import normalise_for
from importers.reference_matching import grade_group, parse_choice, parse_grade, parse_staff_type
from importers.row_kinds import is_notes_row, is_totals_row
from models.questionnaire import Field, current_questionnaire
from models.validation import validate

CSSTATS = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "samples"
    / "08_csstats_2023_parentdept_x_profession_x_grade.csv"
)


def column(column_id: str) -> Field:
    for table in current_questionnaire().table_questions():
        for col in table.columns:
            if col.id == column_id:
                return col
    raise KeyError(column_id)


@pytest.mark.parametrize(
    ("text", "grade", "group"),
    [
        ("Grade 7", "g7", "Grade 6/7"),
        ("G7", "g7", "Grade 6/7"),
        ("grade7", "g7", "Grade 6/7"),
        ("SCS Pay Band 2", "scs2", "SCS"),
        ("SCS2", "scs2", "SCS"),
        ("SCS 2", "scs2", "SCS"),
        ("PB2", "scs2", "SCS"),
        ("Director", "scs2", "SCS"),
        ("Deputy Director", "scs1", "SCS"),
        ("OF-7", "of7", "Other"),
        ("OF7", "of7", "Other"),
        (" heo (d) ", "heo", "SEO/HEO"),
        ("SCS Pay Band 1 (Deputy Director)", "scs1", "SCS"),
        ("Other, unknown, unspecified", "other", "Other"),
    ],
)
def test_grades_are_recognised_in_their_real_spellings(text: str, grade: str, group: str) -> None:
    assert parse_grade(text) == grade
    assert grade_group(text) == group


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Grade 6/7", "Grade 6/7"),
        ("G6/G7", "Grade 6/7"),
        ("SEO/HEO", "SEO/HEO"),
        ("HEO/SEO", "SEO/HEO"),
        ("AO/AA", "AO/AA"),
        ("SCS", "SCS"),
        ("SCS level", "SCS"),
    ],
)
def test_groupings_of_grades_are_not_taken_for_one_grade(text: str, group: str) -> None:
    with pytest.raises(Unparsed, match="is a group of grades, not one grade"):
        parse_grade(text)
    assert grade_group(text) == group


@pytest.mark.parametrize("text", ["Band A", "Grade 8", "Director (SCS1)", ""])
def test_unknown_or_contradictory_grades_are_refused(text: str) -> None:
    with pytest.raises(Unparsed):
        parse_grade(text)


@pytest.mark.parametrize(
    ("text", "staff_type"),
    [
        ("Contractor", "contractor"),
        ("interim manager", "interim"),
        ("Consultants/consultancy", "consultant"),
        ("Admin and Clerical", "agency"),
        ("Interim Managers & Specialist Contractors & Medical", "contractor"),
        ("Interim Managers and Specialist Contractors and Medical", "contractor"),
        ("Permanent", "permanent"),
        ("Other Contingent labour", "other_contingent"),
        ("contractors, specialist", "contractor"),  # words in any order, plural
        ("Contracters", "contractor"),  # a near miss
        ("Interim manger", "interim"),
        ("FIXED-TERM CONTRACTS", "fixed_term"),
    ],
)
def test_staff_types_from_synonyms_and_light_fuzz(text: str, staff_type: str) -> None:
    assert parse_staff_type(text) == staff_type


@pytest.mark.parametrize("text", ["Staff", "Total Contingent labour", "Volunteer", "", "xyz"])
def test_staff_types_are_not_guessed(text: str) -> None:
    with pytest.raises(Unparsed):
        parse_staff_type(text)


@pytest.mark.parametrize(
    ("value", "list_id", "expected"),
    [
        ("Amber/Green", "rag", "amber_green"),
        ("AMBER-GREEN", "rag", "amber_green"),
        ("amber green", "rag", "amber_green"),
        ("Exempt under Section 43", "rag", "not_assessed"),
        ("Chief Digital & Information Officer", "role_types", "cdio"),
        ("  CIO ", "role_types", "cio"),
        ("Architects", "ddat_families", "architecture"),
        ("G7", "grades", "g7"),
        ("Contractors", "staff_types", "contractor"),
    ],
)
def test_reference_choices_loosely_spelled(value: str, list_id: str, expected: str) -> None:
    assert parse_choice(value, list_id) == expected


def test_a_choice_that_is_not_on_the_list_names_no_guess() -> None:
    with pytest.raises(Unparsed) as caught:
        parse_choice("Amberish", "rag")
    assert "'Amberish'" in str(caught.value)
    assert "amber" not in str(caught.value).replace("'Amberish'", "")


@pytest.mark.parametrize(
    ("value", "pounds"),
    [
        ("£1.2m", 1_200_000.0),
        ("1.2m", 1_200_000.0),
        ("£1.2 million", 1_200_000.0),
        ("1.2bn", 1_200_000_000.0),
        ("£1.5bn", 1_500_000_000.0),
        ("1,234k", 1_234_000.0),
        ("£1,234K", 1_234_000.0),
        ("£233,913,511.57", 233_913_511.57),
        ("(1,200)", -1200.0),
        ("(£1,200)", -1200.0),
        ("-£1.00", -1.0),
        ("£-1.00", -1.0),
        ("£ 5", 5.0),
        ("\u00a3\u00a05\u00a0", 5.0),
        (12, 12.0),
        (12.345, 12.35),
        ("1.23E+08", 123_000_000.0),
    ],
)
def test_money(value: Any, pounds: float) -> None:
    assert parse_money(value) == pounds


@pytest.mark.parametrize(
    "value", ["12abc", "1.2.3", "£", "", "1,2345", "£1.2mm", "12%", True, math.nan, math.inf, None]
)
def test_money_that_is_not_money(value: Any) -> None:
    with pytest.raises(Unparsed, match="is not an amount of money"):
        parse_money(value)


def test_money_in_millions_unless_the_cell_says_otherwise() -> None:
    assert parse_money("12.5", unit=1e6) == 12_500_000.0
    assert parse_money(12.5, unit=1e6) == 12_500_000.0
    assert parse_money("£12.5k", unit=1e6) == 12_500.0


@pytest.mark.parametrize(
    ("value", "number"),
    [("92,799", 92799.0), (" 1 234.5 ", 1234.5), (12, 12.0), (12.5, 12.5), ("(1,200)", -1200.0)],
)
def test_numbers(value: Any, number: float) -> None:
    assert parse_number(value) == number


@pytest.mark.parametrize("value", ["£5", "5k", "nan", "inf", "1_000", True, "", date(2020, 1, 1)])
def test_not_numbers(value: Any) -> None:
    with pytest.raises(Unparsed):
        parse_number(value)


def test_integers_must_be_whole() -> None:
    assert parse_integer("92,799") == 92799
    assert parse_integer(92799.0) == 92799
    assert parse_integer("12,345,678,901,234,567,890") == 12345678901234567890
    for value in ("1.5", 1.5, True, "x"):
        with pytest.raises(Unparsed):
            parse_integer(value)


@pytest.mark.parametrize(
    ("value", "points"),
    [("45%", 45.0), ("45", 45.0), (0.45, 45.0), ("0.45", 45.0), ("12.5 %", 12.5), (0.07, 7.0)],
)
def test_percentages_on_a_0_to_100_scale(value: Any, points: float) -> None:
    assert parse_percentage(value) == points


@pytest.mark.parametrize("value", ["%", "45%%", "high", True, math.nan])
def test_not_percentages(value: Any) -> None:
    with pytest.raises(Unparsed, match="is not a percentage"):
        parse_percentage(value)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (43405, "2018-11-01"),
        (43405.75, "2018-11-01"),
        (41364, "2013-03-31"),
        ("43405", "2018-11-01"),
        ("March 2012", "2012-03-01"),
        ("2017-11-01 00:00:00", "2017-11-01"),
        ("2017-11-01", "2017-11-01"),
        ("31/03/2013", "2013-03-31"),
        ("31.03.2013", "2013-03-31"),
        ("31-Mar-2013", "2013-03-31"),
        ("31 March 2013", "2013-03-31"),
        ("Mar-12", "2012-03-01"),
        ("Mar 2012", "2012-03-01"),
        ("03/04/2013", "2013-04-03"),
        (datetime(2017, 11, 1, 13, 5), "2017-11-01"),
        (date(2013, 3, 31), "2013-03-31"),
    ],
)
def test_dates(value: Any, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize(
    "value",
    ["13/31/2013", "2012-13", "31/02/2013", "Smarch 2012", "soon", 19999, 80001, True, math.nan],
)
def test_dates_never_guessed(value: Any) -> None:
    with pytest.raises(Unparsed, match="is not a date"):
        parse_date(value)


@pytest.mark.parametrize("value", [time(9, 30), timedelta(days=3)])
def test_times_and_durations_are_not_dates(value: Any) -> None:
    with pytest.raises(Unparsed):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("[c]", "suppressed in the source ([c])"),
        ("N/D", "not disclosed (N/D)"),
        ("NA", "not available (NA)"),
        (" n/a ", "not available (n/a)"),
        ("-", "no value (-)"),
        ("..", "not available (..)"),
        ("[x]", "not available in the source ([x])"),
        ("[z]", "not applicable in the source ([z])"),
        ("Not published", "not published"),
        ("withheld", "withheld"),
        (
            "Exempt under Section 43 of the FOI Act",
            "exempt from publication (Exempt under Section 43 of the FOI Act)",
        ),
        ("", "blank"),
        ("  \u00a0", "blank"),
        (None, "blank"),
    ],
)
def test_missing_markers(value: Any, reason: str) -> None:
    assert missing_reason(value) == reason


@pytest.mark.parametrize("value", ["Foo", "0", 0, 0.0, False, "Nathan", "Exemplar Ltd"])
def test_values_are_not_missing(value: Any) -> None:
    assert missing_reason(value) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ('"Foo"', "Foo"),
        ("'Foo'", "Foo"),
        ('""Foo""', "Foo"),
        ("“Foo”", "Foo"),
        ('"Foo', "Foo"),
        ("'0123", "0123"),
        ("O'Brien", "O'Brien"),
        ("Foo  bar\u00a0", "Foo bar"),
        ("\u200bFoo \ufeff", "Foo"),
        ("Head of\nIT  ", "Head of IT"),
        (12.0, "12"),
        (12.5, "12.5"),
        (None, ""),
        (datetime(2017, 11, 1), "2017-11-01"),
    ],
)
def test_clean_text(value: Any, text: str) -> None:
    assert clean_text(value) == text


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        (True, True),
        (1, True),
        ("No", False),
        (0, False),
    ],
)
def test_yes_no(value: Any, answer: int) -> None:
    assert parse_yesno(value) is bool(answer)


@pytest.mark.parametrize("value", ["maybe", 2, "", None])
def test_not_yes_or_no(value: Any) -> None:
    with pytest.raises(Unparsed):
        parse_yesno(value)


@pytest.mark.parametrize(
    ("row", "total"),
    [
        (["Total", 1, 2], True),
        (["Grand total", None, 5], True),
        (["", "TOTAL:", 3], True),
        (["Totals"], True),
        (["Sub-total", "4"], True),
        ([2023, "All", 5], True),
        (["Cabinet Office total", 5], True),
        (["Total Contingent labour:", 7], True),
        (["DWP", "Total", 5], False),
        (["Totally Digital Ltd", 5], False),
        (["Allied Health", 5], False),
        (["In post", "2023", "Welsh Government"], False),
        ([None, "", None], False),
    ],
)
def test_totals_rows(row: list[Any], total: bool) -> None:
    assert is_totals_row(row) is total


@pytest.mark.parametrize(
    ("row", "notes"),
    [
        (["Notes", "Figures are rounded."], True),
        (["Source: ONS", None, None], True),
        (["Note 1", "", ""], True),
        (["*", "Provisional", ""], True),
        (["[note 3]", "", ""], True),
        (["", "", "Figures for 2013 are provisional and will be revised next year", ""], True),
        (["Capita", "IT services", "2013", "5"], False),
        (["Capita plc", "", "", ""], False),
        (["G7", "Director General, Digital Data and Technology", "Yes", "£100"], False),
        (["", "", "", ""], False),
    ],
)
def test_notes_rows(row: list[Any], notes: bool) -> None:
    assert is_notes_row(row, 4) is notes


def test_real_notes_rows_at_the_end_of_civil_service_statistics() -> None:
    with CSSTATS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    first_note = next(i for i, row in enumerate(rows) if row and row[0] == "Notes")
    trailing = rows[first_note:]
    sentences = [
        row for row in trailing if (row[0] == "" or row[0] in header) and len(row[1].split()) >= 5
    ]
    assert len(sentences) >= 15
    for row in sentences:
        assert is_notes_row(row, len(header)), row
    assert is_notes_row(rows[first_note], len(header))
    data = rows[1:first_note]
    assert len(data) > 9000
    assert not any(is_notes_row(row, len(header)) for row in data)
    assert not any(is_totals_row(row) for row in data)


# --------------------------------------------------------------------------- normalise_for


@pytest.mark.parametrize(
    ("column_id", "value", "stored", "ok"),
    [
        ("grade", "SCS Pay Band 2", "scs2", True),
        ("grade", "OF-7", "of7", True),
        ("grade", "Unknown", "other", True),
        ("grade", "Grade 6/7", None, False),
        ("grade", "N/D", None, True),
        ("employment_type", "Interim Managers", "interim", True),
        ("staff_type", "Consultants/consultancy", "consultant", True),
        ("delivery_confidence", "AMBER-GREEN", "amber_green", True),
        ("delivery_confidence", "Exempt under Section 43", "not_assessed", True),
        ("vacant_or_interim", "Vacant", "vacant", True),
        ("route", "G-Cloud", "cloudstore_g_cloud", True),  # the words before the bracket
        ("route", "Cloud", None, False),
        ("annual_cost", "£233,913,511.57", 233913511.57, True),
        ("annual_cost", "£1.2m", 1_200_000.0, True),
        ("annual_cost", "-£1.00", None, False),
        ("annual_cost", "[c]", None, True),
        ("annual_cost", True, None, False),
        ("headcount", "92,799", 92799, True),
        ("headcount", 92799.0, 92799, True),
        ("headcount", "12.5", None, False),
        ("fte", "0.8", 0.8, True),
        ("fte", 1.5, None, False),  # a senior post's FTE is 0-1
        ("contract_mgmt_pct", "45%", 45.0, True),
        ("contract_mgmt_pct", 0.45, 45.0, True),
        ("contract_mgmt_pct", "150%", None, False),
        ("end_date", 41364, "2013-03-31", True),
        ("end_date", "March 2012", "2012-03-01", True),
        ("end_date", time(9, 0), None, False),
        ("board_member", "Y", True, True),
        ("board_member", "perhaps", None, False),
        ("supplier", ' "Capita  plc" ', "Capita plc", True),
        ("supplier", "x" * 201, None, False),
        ("supplier", None, None, True),
        ("supplier", "NA", None, True),
    ],
)
def test_normalise_for_questionnaire_columns(
    column_id: str, value: Any, stored: Any, ok: bool
) -> None:
    field = column(column_id)
    result, note, fine = normalise_for(field, value)
    assert (result, fine) == (stored, ok)
    assert result is not None or value is None or note
    validate(field, result)


def test_fte_above_one_names_the_maximum() -> None:
    assert normalise_for(column("fte"), 1.5) == (None, "'1.5' is above the maximum 1", False)
    assert normalise_for(column("annual_cost"), "-£1.00") == (
        None,
        "'-£1.00' is below the minimum 0",
        False,
    )
    assert normalise_for(column("supplier"), "x" * 201)[1] == (
        f"'{'x' * 57}…' is longer than 200 characters"
    )


def test_gmpp_costs_in_millions() -> None:
    assert normalise_for(column("whole_life_cost"), "12.5", unit=1e6) == (12_500_000.0, None, True)
    assert normalise_for(column("whole_life_cost"), 12.5, unit=1e6) == (12_500_000.0, None, True)


def test_blank_cells_have_no_note() -> None:
    for value in (None, "", "   ", "\u00a0"):
        assert normalise_for(column("headcount"), value) == (None, None, True)


# --------------------------------------------------------------------------- properties

CELL_VALUES = st.one_of(
    st.text(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.none(),
    st.sampled_from(["[c]", "£1.2m", "45%", "0.45", "(1,200)", "G7", "Amber/Green", "Yes", "-"]),
)
TABLE_COLUMNS = [
    col for table in current_questionnaire().table_questions() for col in table.columns
]


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(TABLE_COLUMNS),
    value=CELL_VALUES,
    unit=st.sampled_from([1.0, 1e3, 1e6]),
)
def test_normalise_for_never_raises_and_keeps_only_valid_values(
    field: Field, value: Any, unit: float
) -> None:
    stored, note, ok = normalise_for(field, value, unit=unit)
    assert isinstance(ok, bool)
    if ok:
        validate(field, stored)
    else:
        assert stored is None
    if stored is None and missing_reason(value) != "blank":
        assert note


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_money_round_trips(pounds: float) -> None:
    sign = "-" if pounds < 0 else ""
    written = f"{sign}£{abs(pounds):,.2f}"
    half_a_penny_and_float_spacing = 0.005 + 2e-4
    assert parse_money(written) == pytest.approx(pounds, abs=half_a_penny_and_float_spacing)
    assert parse_money(written) == float(f"{pounds:.2f}")
    assert parse_money(f"{pounds:,.2f}") == float(f"{pounds:.2f}")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_round_trip(number: int) -> None:
    assert parse_integer(f"{number:,}") == number
    assert parse_integer(str(number)) == number
