"""The cell codec: the fast per-column encoders write exactly what to_cell writes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exporters.cells import cell_encoder, escape_text, to_cell, unescape_text
from tests.exporters.test_round_trip import FORM, TABLE, TRICKY, VALUES

FIELDS = [*(q for q in FORM.questions() if not q.is_table), *TABLE.columns]
# Also values a column does not expect (a number typed in a text column, and so on).
ANY_VALUE = st.one_of(st.none(), st.just(""), st.just([]), *VALUES.values())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), st.data())
def test_encoder_matches_to_cell(field: Any, data: st.DataObject) -> None:
    value = data.draw(st.one_of(VALUES[field.type], ANY_VALUE))
    assert cell_encoder(field)(value) == to_cell(field, value)


def test_escaping_round_trips_and_leaves_plain_text_alone() -> None:
    for text in TRICKY:
        assert unescape_text(escape_text(text)) == text
    assert escape_text("Plain £ text ŵ") == "Plain £ text ŵ"
    assert escape_text("a\x01b") == "a_x0001_b"
    assert escape_text("_x0041_") == "_x005F_x0041_"  # a literal escape stays literal
    assert unescape_text("_x005F_x0041_") == "_x0041_"
