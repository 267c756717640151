"""The cell codec: the fast per-column encoders write exactly what to_cell writes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.workbook_format.cells import cell_encoder, escape_text, to_cell, unescape_text
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


def test_an_escape_lookalike_before_a_control_character_comes_back_as_typed() -> None:
    """'_x0041' then U+0001 was written '_x0041_x0001_' and read back as 'A', 'x0001_'."""
    assert escape_text("_x0041\x01") == "_x005F_x0041_x0001_"
    assert unescape_text(escape_text("_x0041\x01")) == "_x0041\x01"
    assert escape_text("_x0041") == "_x0041"  # nothing follows it: nothing to mistake


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["_", "x", "0041", "_x0041", "\x01", "\uffff", "a"]), max_size=12))
def test_any_mix_of_underscores_lookalikes_and_controls_round_trips(parts: list[str]) -> None:
    text = "".join(parts)
    assert unescape_text(escape_text(text)) == text
