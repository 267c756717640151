"""The whole department's contingent share counts each body's latest month only: months are
never added together (a body's partial January beside its March made the share a third of any
month's), and bodies reporting different months each count once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.batch_scoring import score_audit_fast
from models.formatting import exact_sum
from models.questionnaire import DefinitionError, get_questionnaire, load_questionnaire_file
from models.scoring import score_audit

V2 = get_questionnaire("board-technology-baseline", 2)
CONTINGENT = ("agency", "interim", "contractor", "consultant", "other_contingent")
SHARE = "department_contractor_share_fte"

row = st.fixed_dictionaries(
    {
        "body": st.sampled_from(["DWP", "dwp ", "The Pensions Regulator", "HSE"]),
        "month": st.sampled_from(["2014-01", "2014-02", "2014-03", None]),
        "staff_group": st.sampled_from(["payroll", *CONTINGENT]),
        "grade_group": st.just("all_grades"),
        "fte": st.one_of(st.none(), st.integers(0, 500).map(float)),
    }
)


def _body(r: dict[str, Any]) -> str:
    return " ".join(r["body"].split()).casefold()


def _cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if v is not None} for r in rows]


@settings(max_examples=150, deadline=None)
@given(st.lists(row, max_size=12))
def test_the_share_is_of_each_bodys_latest_month(rows: list[dict[str, Any]]) -> None:
    cells = _cells(rows)
    found = score_audit(V2, {}, {"department_workforce": cells}).indicators[SHARE]
    # by hand: each body (case and spacing ignored) at its latest month
    latest: dict[str, str] = {}
    for r in cells:
        if "month" in r:
            key = " ".join(r["body"].split()).casefold()
            latest[key] = max(latest.get(key, r["month"]), r["month"])
    # a body with no month in any row is one return (a WMI file naming no month): counted whole
    counted = [
        r
        for r in cells
        if "fte" in r
        and (r["month"] == latest[_body(r)] if "month" in r else _body(r) not in latest)
    ]
    total = exact_sum([r["fte"] for r in counted])
    part = exact_sum([r["fte"] for r in counted if r["staff_group"] in CONTINGENT])
    if total == 0:
        assert found.value is None
    else:
        assert found.value == pytest.approx(100 * part / total)
    # one audit scored alone and in a batch agree, bit for bit
    fast = score_audit_fast(V2, {}, {"department_workforce": cells}).indicators[SHARE]
    assert (fast.value, fast.numerator, fast.denominator, fast.coverage) == (
        found.value,
        found.numerator,
        found.denominator,
        found.coverage,
    )


def test_latest_names_two_columns_of_the_table(tmp_path: Path) -> None:
    source = "resources/questionnaires/board-technology-baseline-v2.yaml"
    from pathlib import Path

    text = Path(source).read_text(encoding="utf-8")
    bad = text.replace("latest: {period: month, per: body}", "latest: {period: month, per: nobody}")
    assert bad != text
    path = tmp_path / "board-technology-baseline-v2.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DefinitionError, match="nobody"):
        load_questionnaire_file(path)


def test_a_return_naming_no_month_is_counted_whole() -> None:
    """A WMI file that names no month leaves Month blank: its one return is the share (it had
    no figure, '0 of 4 answered'); beside a body's dated months a blank month is unanswered."""
    undated = [
        {"body": "DWP", "staff_group": "payroll", "grade_group": "eo", "fte": 900.0},
        {"body": "DWP", "staff_group": "payroll", "grade_group": "scs", "fte": 50.0},
        {"body": "DWP", "staff_group": "agency", "grade_group": "all_grades", "fte": 50.0},
        {"body": "HSE", "staff_group": "payroll", "grade_group": "eo", "fte": 400.0},
    ]
    for score in (score_audit, score_audit_fast):
        share = score(V2, {}, {"department_workforce": undated}).indicators[SHARE]
        assert (share.numerator, share.denominator) == (50.0, 1400.0)
        assert share.coverage is not None and share.coverage.text == "4 of 4 answered"
    dated = [{**undated[3], "month": "2014-03"}, {**undated[3], "fte": 100.0}]
    share = score_audit(V2, {}, {"department_workforce": undated[:3] + dated}).indicators[SHARE]
    # HSE's undated row cannot be told from its March: unanswered, as before
    assert (share.numerator, share.denominator) == (50.0, 1400.0)
    assert share.coverage is not None and share.coverage.text == "4 of 5 answered"
