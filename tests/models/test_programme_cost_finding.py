"""The programmes finding states a whole-life cost only for the programmes costed (review F3).

'3 of 3 major programmes, worth £100m over their whole lives, …' summed one recorded cost
and two blanks (as 0) and said it of all three.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from exporters.board_report import write_board_report
from models.cycle_summary import AuditFigures
from models.findings import key_findings
from models.formatting import format_money
from models.questionnaire import current_questionnaire
from models.records import Audit
from models.scoring import score_audit
from models.store import Store

Q = current_questionnaire()
RATINGS = ["red", "amber_red", "amber", "green", None]


def _finding(programmes: list[dict[str, Any]]) -> str | None:
    audit = Audit("a1", "d1", "Department for Work and Pensions", "2015 review", Q.id, Q.version)
    figures = AuditFigures(audit, Q, score_audit(Q, {}, {"major_programmes": programmes}), 50, 0)
    said = [f.text for f in key_findings(figures, None, {}, limit=20) if "programme" in f.text]
    return said[0] if said else None


def _programme(rating: str | None, cost: float | None, n: int = 0) -> dict[str, Any]:
    row: dict[str, Any] = {"name": f"P{n}"}
    if rating is not None:
        row["delivery_confidence"] = rating
    if cost is not None:
        row["whole_life_cost"] = cost
    return row


def test_one_costed_of_three_says_so() -> None:
    text = _finding(
        [_programme("red", 100_000_000.0), _programme("red", None), _programme("amber_red", None)]
    )
    assert text == (
        "3 of 3 major programmes have delivery confidence rated Red or Amber/Red; "
        "the 1 of 3 with a recorded whole-life cost is worth £100m."
    )


def test_two_costed_of_three_are_worth_their_sum() -> None:
    text = _finding(
        [_programme("red", 100e6), _programme("amber_red", 50e6), _programme("red", None)]
    )
    assert text is not None and text.endswith(
        "; the 2 of 3 with a recorded whole-life cost are worth £150m."
    )


def test_all_costed_keeps_the_short_sentence_and_none_costed_states_no_cost() -> None:
    assert _finding([_programme("red", 100e6), _programme("green", None)]) == (
        "1 of 2 major programmes, worth £100m over their whole lives, has delivery "
        "confidence rated Red or Amber/Red."
    )
    assert _finding([_programme("red", None), _programme("red", None)]) == (
        "2 of 2 major programmes have delivery confidence rated Red or Amber/Red."
    )


PROGRAMMES = st.lists(
    st.tuples(
        st.sampled_from(RATINGS),
        st.one_of(st.none(), st.integers(0, 10**12).map(lambda p: p / 100)),
    ),
    max_size=8,
)


@given(PROGRAMMES)
def test_any_cost_stated_is_the_sum_of_the_costs_recorded_for_the_programmes_it_names(
    programmes: list[tuple[str | None, float | None]],
) -> None:
    rows = [_programme(r, c, n) for n, (r, c) in enumerate(programmes)]
    text = _finding(rows)
    poor = [(r, c) for r, c in programmes if r in ("red", "amber_red")]
    if not poor:
        assert text is None
        return
    assert text is not None
    costed = [c for _, c in poor if c is not None]
    assert text.startswith(f"{len(poor)} of {len(programmes)} major programme")
    worth = format_money(sum(costed))
    if not costed or sum(costed) <= 0:
        assert "£" not in text
    elif len(costed) == len(poor):
        assert f"worth {worth} over their whole lives" in text
    else:
        assert text.endswith(
            f"; the {len(costed)} of {len(poor)} with a recorded whole-life cost "
            f"{'is' if len(costed) == 1 else 'are'} worth {worth}."
        )


def test_board_report_and_its_chart_state_no_sum_with_blanks_as_a_whole(tmp_path: Path) -> None:
    """The PDF and Word summary carry the sentence; the chart gives no £ for a group with a
    blank cost (it said '2 programmes · £100m' of two Red ones, one costed)."""
    rows = [_programme("red", 100e6, 1), _programme("red", None, 2), _programme("amber_red", None)]
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
        store.bulk_rows(audit.id, "major_programmes", rows)
        write_board_report(store, audit.id, tmp_path / "r.pdf")
        write_board_report(store, audit.id, tmp_path / "r.docx")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    )
    sentence = (
        "3 of 3 major programmes have delivery confidence rated Red or Amber/Red; "
        "the 1 of 3 with a recorded whole-life cost is worth £100m."
    )
    assert sentence in text and "worth £100m over their whole lives" not in text
    assert "2 programmes · £100m" not in text and "2 programmes" in text
    words = " ".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert sentence in re.sub(r"\s+", " ", words)
