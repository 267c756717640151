"""One definition of an empty value and of a value in words, and every page saying it alike:
verify's messages and merge's conflict lists both say a missing value is 'blank'."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from models.merge_records import Version, show
from models.questionnaire import Questionnaire
from models.store import Store
from models.values import BLANK, in_words, is_empty
from models.verify import OUTSIDE, verify


def test_empty_is_absent_empty_text_or_an_empty_list() -> None:
    assert [is_empty(v) for v in (None, "", [])] == [True, True, True]
    assert [is_empty(v) for v in (0, 0.0, False, " ", "0", [None], [""])] == [False] * 7


def test_values_in_words_hand_worked() -> None:
    assert in_words(None) == in_words("") == in_words([]) == "blank"
    assert (in_words(True), in_words(False)) == ("Yes", "No")
    assert in_words(["g7", "scs1"]) == "g7, scs1"
    assert in_words(1234.5) == "1234.5"
    assert in_words({"post_ref": "DIG-01"}) == '{"post_ref": "DIG-01"}'
    assert in_words("Director General", quote_text=True) == '"Director General"'
    assert in_words("one  two\nthree " * 10, limit=12) == "one two thr…"
    assert in_words("blank", quote_text=True) == '"blank"'  # text never passes for no value


def test_a_list_of_blank_texts_is_said_as_that_list() -> None:
    """A list holding only empty text is a value (not blank), so it is never said as nothing."""
    assert in_words([""]) == '[""]'
    assert in_words([" "], limit=10) == '[" "]'
    assert in_words(["", "a"]) == ", a"  # any visible text: joined as before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(json_values, st.none() | st.integers(min_value=2, max_value=80))
def test_in_words_says_blank_exactly_for_empty_values(value: Any, limit: int | None) -> None:
    said = in_words(value, limit=limit, quote_text=True)
    assert (said == BLANK) is is_empty(value)
    assert said != ""
    if limit is not None and not isinstance(value, str):
        assert len(said) <= limit or said == BLANK


def test_merge_and_verify_say_a_missing_value_the_same_way(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """Merge once said '(blank)' and verify 'nothing' for the same thing."""
    cleared = show(Version({"post_ref": ""}), Version({"post_ref": "DIG-01"}), by=False)
    assert cleared == f"post_ref: {BLANK}"

    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "P. Okafor")
        (row,) = store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "DIG-01"}])
    conn = sqlite3.connect(path)  # as someone with the sqlite3 shell: recorded, not sealed
    conn.execute(
        "UPDATE table_rows SET cells = json_set(cells, '$.job_title', 'CDIO') WHERE id = ?",
        [row.id],
    )
    conn.commit()
    conn.close()
    with Store(path, read_only=True) as store:
        (problem,) = verify(store).problems
    assert problem.check == OUTSIDE
    assert problem.problem.endswith(f'job_title from {BLANK} to "CDIO"'), problem.problem
