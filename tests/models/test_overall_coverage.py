"""Overall maturity carries its coverage and is marked provisional as a section is (day D1).

One answered question of the whole form gave "Overall maturity is 5.0 out of 5 (good)" with
no marker, restated as a key finding; the overall is the mean of the sections that have any
score, so the unanswered sections vanished from it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.cycle_summary import AuditFigures
from models.findings import key_findings
from models.questionnaire import current_questionnaire
from models.records import Audit
from models.scoring import Coverage, score_audit, score_sections
from models.validation import visible_questions
from tests.exporters.test_figures_agree import ANSWERS

Q = current_questionnaire()
ONE = {"digital_leader_nominated": True}


def _scoring_questions(answers: dict[str, Any]) -> int:
    shown = visible_questions(Q, answers)
    return sum(
        1
        for section in Q.sections
        if section.scored
        for q in section.questions
        if q.id in shown and q.score is not None
    )


def test_one_answer_of_the_whole_form_is_a_provisional_overall() -> None:
    scores = score_sections(Q, ONE)
    total = _scoring_questions(ONE)
    assert total > 7  # more than the one section's 7 scoring questions
    assert scores.overall == 5.0
    assert scores.overall_coverage == Coverage(1, total, True)
    assert scores.overall_coverage.marker == f"Provisional (1 of {total} answered)"
    assert score_audit(Q, ONE, {}).overall_coverage == scores.overall_coverage


def test_no_answer_has_no_overall_and_a_full_form_is_not_provisional() -> None:
    empty = score_sections(Q, {})
    assert empty.overall is None and empty.overall_coverage is not None
    assert empty.overall_coverage.answered == 0


def _audit_figures(answers: dict[str, Any]) -> AuditFigures:
    audit = Audit("a1", "d1", "Ministry of Justice", "2015 review", Q.id, Q.version)
    return AuditFigures(audit, Q, score_audit(Q, answers, {}), 10.0, 0)


def test_the_overall_finding_says_it_is_provisional() -> None:
    figures = _audit_figures(ONE)
    total = _scoring_questions(ONE)
    for medians in ({"overall": 5.0}, {"overall": 2.0}, {"overall": 4.9}):
        found = key_findings(figures, None, medians)
        said = [f.text for f in found if "Overall maturity" in f.text]
        assert said, medians
        for text in said:
            assert text.startswith(
                f"Overall maturity is 5.0 out of 5 (provisional: 1 of {total} answered)"
            ), text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS, st.sampled_from([{"overall": 1.0}, {"overall": 3.0}, {"overall": 5.0}, {}]))
def test_overall_coverage_adds_up_the_sections_and_no_finding_hides_it(
    answers: dict[str, Any], medians: dict[str, float]
) -> None:
    answers = {k: v for k, v in answers.items() if v is not None}
    scores = score_sections(Q, answers)
    covered = scores.overall_coverage
    assert covered is not None
    sections = [scores.section_coverage[s.id] for s in Q.sections if s.scored]
    assert covered.answered == sum(c.answered for c in sections)
    assert covered.total == sum(c.total for c in sections) == _scoring_questions(answers)
    thin = covered.answered < covered.total and covered.answered / covered.total < (
        Q.provisional_below
    )
    assert covered.provisional == thin
    for finding in key_findings(_audit_figures(answers), None, medians):
        if "Overall maturity is" in finding.text:
            assert ("provisional" in finding.text) == covered.provisional, finding.text
