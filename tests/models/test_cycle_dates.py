"""A file's dates against the cycle it is imported into."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from models.cycle_dates import cycle_year, date_warning, years_in


def test_a_2025_file_into_the_2014_cycle_is_warned_about() -> None:
    warning = date_warning("2014 review", "workforce-2025.xlsx", [])
    assert warning is not None
    assert "2025" in warning and "2014 review" in warning


def test_the_cycle_year_or_one_either_side_is_fine() -> None:
    assert date_warning("2014 review", "returns-2013-14.xlsx", []) is None
    assert date_warning("2013 baseline", "organogram.csv", ["31/03/2013", "2013-03-31"]) is None
    assert date_warning("2013 baseline", "organogram.csv", ["31/03/2012"]) is None


def test_no_year_on_either_side_says_nothing() -> None:
    assert date_warning("Spring review", "workforce-2025.xlsx", []) is None
    assert date_warning("2014 review", "workforce.xlsx", ["n/a"]) is None


def test_dates_in_cells_are_read_when_the_name_has_none() -> None:
    warning = date_warning("2014 review", "workforce.xlsx", ["2025-03-31", "31/03/2025"])
    assert warning is not None and "2025" in warning


def test_financial_years_count_both_years() -> None:
    assert years_in(["2012-13"]) == {2012: 1, 2013: 1}
    assert years_in(["2012/13", "20123"]) == {2012: 1, 2013: 1}
    assert cycle_year("2013 baseline") == 2013


@given(st.integers(2000, 2099), st.integers(2000, 2099))
def test_warned_exactly_when_more_than_a_year_apart(cycle: int, file_year: int) -> None:
    warning = date_warning(f"{cycle} review", f"data-{file_year}.xlsx", [])
    assert (warning is not None) == (abs(cycle - file_year) > 1)


def test_a_plans_cycles_and_cell_dates() -> None:
    from models.cycle_dates import date_warning_for

    values = ["Grade 7", 3, "2025-03-31", None, "2025-03-31"]
    warning = date_warning_for({"2014 review"}, "staff.csv", values)
    assert warning is not None and "2025" in warning
    assert date_warning_for({"2025 review"}, "staff.csv", values) is None
    assert date_warning_for(set(), "staff-2025.csv", values) is None
