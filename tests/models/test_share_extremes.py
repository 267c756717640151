"""A share above none is never printed '0%', one short of all never '100%' (review F2).

The reference is worked out from the numerator and denominator as fractions, never from the
float the app keeps, so a figure rounded before formatting (as to 2 places it was) shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from models.formatting import format_share, share_format, share_fraction
from models.questionnaire import current_questionnaire
from models.scoring import compute_indicator, exact_share
from models.validation import LARGEST_NUMBER, LARGEST_POUNDS

Q = current_questionnaire()


def expected_share(part: float, total: float) -> str:
    """What a reader writes for part of total, from the exact fraction."""
    true = Fraction(part) * 100 / Fraction(total)
    whole = int(Decimal(true.numerator / Decimal(true.denominator)).quantize(1, ROUND_HALF_UP))
    if part == 0:
        return "0%"
    if part == total:
        return "100%"
    if whole == 0:
        return "<1%"
    if whole == 100:
        return ">99%"
    return f"{whole}%"


def test_hand_worked_shares_at_the_ends() -> None:
    """1 contractor FTE of 40,001 is 0.0025%: '<1%', not '0%' (it was rounded to 0.0)."""
    assert format_share(exact_share(1, 40_001)) == "<1%"
    assert format_share(exact_share(39_999.6, 40_001)) == ">99%"  # 99.9965%
    assert format_share(exact_share(399_985, 400_000)) == ">99%"  # 99.99625%, was 100.0
    assert format_share(exact_share(1, 200)) == "1%"  # 0.5% rounds half up
    assert format_share(exact_share(199, 200)) == ">99%"  # 99.5%
    assert format_share(exact_share(0, 5)) == "0%"
    assert format_share(exact_share(5, 5)) == "100%"
    assert exact_share(1, 250) == 0.4 and exact_share(249_000, 250_000) == 99.6
    assert exact_share(1, 0) is None
    share = exact_share(1, 40_001)
    assert share is not None and 0 < share < 0.01
    assert 0 < share_fraction(share) < 0.0001 and share_format(share) == '"<1%"'  # type: ignore[operator]


def test_the_indicator_keeps_the_share_unrounded() -> None:
    contractors = next(i for i in Q.indicators if i.id == "contractor_share_fte")
    rows = {
        "workforce_mix": [
            {"profession_family": "data", "staff_type": "permanent", "fte": 40_000.0},
            {"profession_family": "data", "staff_type": "contractor", "fte": 1.0},
        ]
    }
    found = compute_indicator(contractors, {}, rows, Q)
    assert (found.numerator, found.denominator) == (1.0, 40_001.0)
    assert isinstance(found.value, float) and found.value > 0
    assert format_share(found.value) == "<1%"


FTE = st.integers(0, LARGEST_NUMBER * 10).map(lambda tenths: tenths / 10)
POUNDS = st.integers(0, LARGEST_POUNDS * 100).map(lambda pence: pence / 100)


@example((1.0, 40_000.0))
@example((39_999.6, 1.4))
@example((1.0, 199.0))
@example((1.0, 0.0))
@example((0.0, 3.0))
@given(st.one_of(st.tuples(FTE, FTE), st.tuples(POUNDS, POUNDS), st.tuples(FTE, POUNDS)))
def test_any_share_prints_as_the_exact_fraction_rounds(pair: tuple[float, float]) -> None:
    """Part and the rest, each any value a cell can hold: the printed share is the true one."""
    part, rest = pair
    total = part + rest  # as scoring adds the rows, in floats
    share = exact_share(part, total)
    if not total:
        assert share is None
        return
    assert share is not None
    assert format_share(share) == expected_share(part, total)
    fraction = share_fraction(share)
    assert fraction is not None
    assert (fraction > 0) == (part > 0) and (fraction < 1) == (part < total)
    # the workbook cell shows the same words, whatever Excel's 15 digits round it to
    shown = share_format(share)
    if shown != "0%":
        assert shown == f'"{expected_share(part, total)}"'
    else:
        excel = (Decimal(f"{fraction:.15g}") * 100).quantize(1, ROUND_HALF_UP)
        assert f"{excel}%" == expected_share(part, total)


@given(st.floats(0, 100, exclude_min=True, exclude_max=True))
def test_a_share_strictly_between_none_and_all_never_prints_0_or_100(points: float) -> None:
    shown = format_share(points)
    assert shown not in ("0%", "100%")
    if points < 0.5:
        assert shown == "<1%"
    if points >= 99.5:
        assert shown == ">99%"
    assert share_format(points) == "0%" or share_format(points) == f'"{shown}"'
