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
    counted = [
        r
        for r in cells
        if "month" in r
        and "fte" in r
        and r["month"] == latest[" ".join(r["body"].split()).casefold()]
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
