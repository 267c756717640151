"""For random audits, every failed headline and every Red section is answered by a board-ready
recommendation linked to it (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.cycle_summary import AuditFigures
from models.findings import key_findings
from models.questionnaire import Question, current_questionnaire
from models.recommendation_rules import BOARD_FIELDS, RED_BELOW
from models.recommendations import finding_links, recommend
from models.records import Audit
from models.scoring import score_audit

Q = current_questionnaire()
AUDIT = Audit("a1", "d1", "Home Office", "2014 review", Q.id, Q.version)


def _answer(question: Question) -> st.SearchStrategy[Any] | None:
    """A strategy for any answer the form accepts, for the types rules and scores read."""
    values = sorted(question.option_values)
    if question.type == "yesno":
        return st.booleans()
    if question.type == "maturity":
        return st.integers(1, 5)
    if question.type == "single_choice" and values:
        return st.sampled_from(values)
    if question.type == "multi_choice" and values:
        return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)
    if question.type == "percentage":
        return st.integers(0, 100)
    return None


ANSWERABLE = {
    q.id: strategy for q in Q.questions() if not q.is_table and (strategy := _answer(q)) is not None
}


def _row(table_id: str) -> st.SearchStrategy[dict[str, Any]]:
    table = Q.question(table_id)
    cells: dict[str, st.SearchStrategy[Any]] = {}
    for column in table.columns:
        values = sorted(column.option_values)
        if column.type == "yesno":
            cells[column.id] = st.booleans()
        elif values and column.type == "single_choice":
            cells[column.id] = st.sampled_from(values)
        elif column.id in ("fte", "whole_life_cost"):
            cells[column.id] = st.integers(0, 40).map(float)
    return st.fixed_dictionaries({}, optional=cells)


AUDITS = st.tuples(
    st.fixed_dictionaries({}, optional=ANSWERABLE),
    st.fixed_dictionaries(
        {
            t: st.lists(_row(t), max_size=6)
            for t in ("senior_roles", "workforce_mix", "major_programmes")
        }
    ),
)


@settings(max_examples=150, deadline=None)
@given(AUDITS)
def test_every_failed_headline_and_red_section_gets_a_linked_recommendation(
    audit: tuple[dict[str, Any], dict[str, list[dict[str, Any]]]],
) -> None:
    answers, rows = audit
    score = score_audit(Q, answers, rows)
    figures = AuditFigures(AUDIT, Q, score, None, 0)
    findings = key_findings(figures, None, {}, limit=50)
    recs = recommend(Q, answers, score)
    links = finding_links(findings, recs)
    for index, finding in enumerate(findings):
        if finding.concern and any(ref.startswith("indicator:") for ref in finding.refs):
            assert links.get(index), finding.text
    for section_id, maturity in score.section_maturity.items():
        if maturity is not None and maturity < RED_BELOW:
            assert any(
                e.kind == "section" and e.ref == section_id for r in recs for e in r.evidence
            ), section_id
    for rec in recs:
        assert all(getattr(rec, key) for key in BOARD_FIELDS), rec.id
