"""'-0' typed is stored as 0 and shown '0%' / '£0.00', never '-0%' / '£-0.00' (review F20)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.questionnaire import current_questionnaire
from models.validation import format_value, parse_text

Q = current_questionnaire()
SPEND = Q.question("total_tech_spend")  # currency, at least 0
TRAINED = Q.question("scs_tech_policy_trained_pct")  # percentage
FTE = Q.question("workforce_mix").column("fte")  # decimal


@pytest.mark.parametrize(
    ("field", "typed", "shown"),
    [
        (SPEND, "-0", "£0.00"),
        (SPEND, "£-0.00", "£0.00"),
        (SPEND, "-0.004", "£0.00"),  # rounds to pence: -0.0
        (SPEND, "-0k", "£0.00"),
        (TRAINED, "-0", "0%"),
        (TRAINED, "-0%", "0%"),
        (FTE, "-0.0", "0"),
    ],
)
def test_negative_zero_is_stored_and_shown_as_zero(field, typed: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    value = parse_text(field, typed)
    assert value == 0 and math.copysign(1.0, value) == 1.0
    assert format_value(field, value) == shown
    assert format_value(field, -0.0) == shown  # stored before: shown as 0 too


@given(st.floats(-1e12, 1e12, allow_nan=False), st.sampled_from([SPEND, TRAINED, FTE]))
def test_no_number_is_shown_as_minus_zero(value: float, field) -> None:  # type: ignore[no-untyped-def]
    shown = format_value(field, value)
    digits = shown.replace("£", "").replace("%", "").replace(",", "").replace("-", "")
    if float(digits) == 0:
        assert not shown.startswith("-") and "£-" not in shown, shown
