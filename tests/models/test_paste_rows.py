"""Whole rows from a spreadsheet: matched by header, only ever new rows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.paste_rows import header_map, plan_new_rows, whole_rows
from models.questionnaire import current_questionnaire

COLUMNS = current_questionnaire().question("senior_roles").columns


def test_a_header_in_any_order_maps_each_cell_to_its_column() -> None:
    ids = [c.id for c in COLUMNS]
    mapping = header_map(["Job title", "Post ref", "Notes"], COLUMNS)
    assert mapping == [ids.index("job_title"), ids.index("post_ref"), None]
    result = plan_new_rows(COLUMNS, 3, "Job title\tPost ref\tNotes\nCTO\tDIG-03\tx\n")
    assert result is not None
    plan, ignored = result
    assert plan.skipped_header and ignored == ["Notes"]
    assert plan.new_rows == [{"job_title": "CTO", "post_ref": "DIG-03"}]
    assert plan.problems == []


def test_one_value_that_starts_a_label_is_not_a_header() -> None:
    """'Vacant' begins 'Vacant or interim' but a single such cell is a value."""
    assert header_map(["Vacant"], COLUMNS) is None
    assert whole_rows([["DIG-01", "CTO"]], COLUMNS) is None  # a block, not whole rows


def test_a_bad_value_is_named_by_its_new_row_number_and_column() -> None:
    result = plan_new_rows(COLUMNS, 13, "Post reference\tFTE\nDIG-1\tlots\n")
    assert result is not None
    assert result[0].problems and result[0].problems[0].startswith("Row 13, FTE")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=15), min_size=1, max_size=5))
def test_whole_rows_never_change_a_stored_row(grid: list[list[str]]) -> None:
    text = "\n".join("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) for r in grid)
    result = plan_new_rows(COLUMNS, 1, text)
    if result is not None:
        assert result[0].changes == []
        assert all(set(row) <= {c.id for c in COLUMNS} for row in result[0].new_rows)
