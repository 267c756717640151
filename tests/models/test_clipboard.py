"""Clipboard text from Excel: header detection and which cells count as quoted."""

from __future__ import annotations

import pytest

from models.questionnaire import Field, Questionnaire
from models.table_paste import join_clipboard, plan_paste, split_clipboard

LAST_COLUMNS = 11  # senior_roles from Post status on: vacant_or_interim, post_holder_name


@pytest.fixture
def columns(questionnaire: Questionnaire) -> tuple[Field, ...]:
    return questionnaire.question("senior_roles").columns


def tsv(*rows: str) -> str:
    return "\r\n".join(rows) + "\r\n"  # as Excel puts it on the clipboard


def test_a_row_of_data_that_abbreviates_a_column_id_is_not_a_header(
    columns: tuple[Field, ...],
) -> None:
    """A value that merely begins a column id ("Vacant" and vacant_or_interim) is data, not a
    column name: the first vacant post must not be dropped as a header."""
    plan = plan_paste(columns, [], 0, LAST_COLUMNS, tsv("Vacant\t", "Filled\tAda Lovelace"))
    assert not plan.skipped_header
    assert plan.new_rows == [
        {"vacant_or_interim": "vacant"},
        {"vacant_or_interim": "filled", "post_holder_name": "Ada Lovelace"},
    ]


def test_header_is_skipped_when_the_paste_runs_past_the_last_column(
    columns: tuple[Field, ...],
) -> None:
    """Cells past the last column do not stop a header row from being recognised, so
    "Post holder's name" is never stored as a post holder's name."""
    text = tsv("Post status\tPost holder's name\tNotes", "Filled\tAda Lovelace\tfrom HR")
    plan = plan_paste(columns, [], 0, LAST_COLUMNS, text)
    assert plan.skipped_header
    assert plan.new_rows == [{"vacant_or_interim": "filled", "post_holder_name": "Ada Lovelace"}]
    assert plan.problems == [
        "1 pasted column(s) went past the last column (Post holder's name) and were not used."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'DIG-01\t"Acting" Chief Digital Officer\tCDIO\r\nDIG-02\t"Head of\nIT"\tHead of IT\r\n',
            [
                ["DIG-01", '"Acting" Chief Digital Officer', "CDIO"],
                ["DIG-02", "Head of\nIT", "Head of IT"],
            ],
            id="leading-quoted-word",
        ),
        pytest.param(
            'DIG-01\t"Acting Head of IT\tHead of IT\r\nDIG-02\tCTO\tCTO\r\n',
            [["DIG-01", '"Acting Head of IT', "Head of IT"], ["DIG-02", "CTO", "CTO"]],
            id="unbalanced-quote",
        ),
    ],
)
def test_cells_excel_did_not_quote_are_kept_as_written(
    text: str, expected: list[list[str]]
) -> None:
    """Excel quotes a cell only when it holds a line break (as SheetClip, which mimics it,
    does); other cells go on the clipboard as they are. A leading quoted word must survive,
    and an unbalanced quote must not swallow tabs and later rows."""
    assert split_clipboard(text) == expected


def test_join_clipboard_round_trips_through_split_clipboard() -> None:
    rows = [["A1", "Head of\nIT", '"Acting" CDO', "tab\tinside"], ["", "", "last", ""]]
    assert split_clipboard(join_clipboard(rows)) == rows
