"""A maturity's rating is read from the figure as printed: '3.5' is Green, '2.5' Amber (F6).

3.47 printed '3.5' was rated Amber, though the key says Green is 3.5 and above; the
reports, the dashboard's tint, the heat map, the findings and the recommendations' evidence
now all take the rating from one place (models.formatting.maturity_band).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from exporters.report_blocks import RATINGS, rating
from models.formatting import AMBER, GREEN, RED, format_maturity, maturity_band, shown_maturity

MATURITY = st.floats(0, 5, allow_nan=False)


def test_hand_worked_ratings_follow_the_printed_figure() -> None:
    assert (format_maturity(3.47), rating(3.47)[0]) == ("3.5", "Green: good")
    assert (format_maturity(3.45), rating(3.45)[0]) == ("3.5", "Green: good")  # half up
    assert (format_maturity(3.44), rating(3.44)[0]) == ("3.4", "Amber: needs work")
    assert (format_maturity(2.45), rating(2.45)[0]) == ("2.5", "Amber: needs work")
    assert (format_maturity(2.44), rating(2.44)[0]) == ("2.4", "Red: weak")
    assert rating(None)[0] == "Not scored" and maturity_band(None) is None
    assert [maturity_band(v) for v in (1.0, 2.5, 3.49, 5.0)] == [RED, AMBER, GREEN, GREEN]
    assert rating(3.47)[1] == rating(3.5)[1]  # one tint for one printed figure
    assert shown_maturity(3.47) == 3.5 and shown_maturity(None) is None


@given(MATURITY)
def test_the_rating_matches_the_printed_figure_and_the_key(value: float) -> None:
    """Read the printed figure back and apply the key the reports print (3.5 and above …)."""
    printed = Decimal(format_maturity(value))
    assert printed == Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    expected = "Green" if printed >= Decimal("3.5") else "Amber" if printed >= 2.5 else "Red"
    assert rating(value)[0].startswith(expected)
    assert maturity_band(value) == expected.lower()
    tints = {rag: tint for _, rag, _, tint in RATINGS}
    assert rating(value)[1] == tints[expected]


@given(MATURITY, MATURITY)
def test_two_figures_printed_alike_are_rated_alike(first: float, second: float) -> None:
    if format_maturity(first) == format_maturity(second):
        assert rating(first) == rating(second)


def test_a_change_in_a_finding_is_between_the_figures_as_printed() -> None:
    """45.4% then 44.6% both print '45%': 'about the same', not 'up 1 percentage point'."""
    from models.findings import _gap, _since

    assert _since(45.4, 44.6, "2014 review") == ", about the same as in 2014 review"
    assert _since(45.5, 44.4, "2014 review") == ", up 2 percentage points since 2014 review"
    assert _gap(1.16, 1.11) == 0.1  # '1.2' against '1.1', not 0.0499…
    assert _gap(3.0, 2.7) == 0.3
