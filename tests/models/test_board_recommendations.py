"""Board-ready recommendations: an owner, a timescale, a measure and a decision for each, one for
every Red section and failed headline, each linked to the finding it answers.

Audits are real workspace files scored as the board report scores them (tests/models/
test_findings.py's helpers); the rules are the shipped questionnaire's.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.cycle_summary import cycle_section_medians, department_history
from models.findings import key_findings
from models.questionnaire import DefinitionError, Questionnaire, current_questionnaire
from models.recommendation_rules import BOARD_FIELDS, RED_BELOW
from models.recommendations import finding_links, recommend
from models.scoring import question_points, score_audit
from models.store import Store
from tests.models.test_findings import COMPLETE, make_audit, post, staff
from tests.models.test_recommendations import parsed, refused, rule

SCORED = [s.id for s in current_questionnaire().sections if s.scored]


def test_every_shipped_rule_names_owner_timescale_measure_and_decision(
    questionnaire: Questionnaire,
) -> None:
    for item in questionnaire.recommendations:
        for key in BOARD_FIELDS:
            assert getattr(item, key).strip(), (item.id, key)
        assert item.timescale.startswith("Within "), item.id
        # "Priority 1: act now" is due within 6 months, "act this year" within 12
        months = int(item.timescale.split()[1])
        assert months <= {1: 6, 2: 12, 3: 12}[item.priority], item.id


def _lowest_answer(questionnaire: Questionnaire, section_id: str) -> dict[str, Any]:
    """One answer to the section's first scored question, the one earning fewest points."""
    for question in questionnaire.section(section_id).questions:
        if question.score is None or question.visible_if is not None:
            continue
        candidates: list[Any] = [1, 0, False, True, *sorted(question.option_values)]
        candidates += [[v] for v in sorted(question.option_values)]
        worked = []
        for value in candidates:
            try:
                points = question_points(question, value)
            except (TypeError, KeyError):
                continue
            if points is not None:
                worked.append((points, repr(value), value))
        if worked:
            return {question.id: min(worked)[2]}
    raise AssertionError(f"section {section_id} has no scored question")


@pytest.mark.parametrize("section_id", SCORED)
def test_a_red_section_yields_a_recommendation(
    questionnaire: Questionnaire, section_id: str
) -> None:
    answers = _lowest_answer(questionnaire, section_id)
    score = score_audit(questionnaire, answers, {})
    maturity = score.section_maturity[section_id]
    assert maturity is not None and maturity < RED_BELOW  # rated Red by the report
    recs = recommend(questionnaire, answers, score)
    answering = [
        r for r in recs if any(e.kind == "section" and e.ref == section_id for e in r.evidence)
    ]
    assert len(answering) == 1, [r.id for r in recs]
    title = questionnaire.section(section_id).title
    assert answering[0].evidence[0].label == f"{title}: maturity"
    assert answering[0].evidence[0].value.endswith("out of 5 (Red)")
    assert answering[0].owner and answering[0].decision


def test_an_amber_section_gets_no_section_recommendation(questionnaire: Questionnaire) -> None:
    # Board capability (5 + 1) / 2 = 3.0: Amber, so not the Red-section rule
    answers = {"digital_leader_nominated": True, "board_capability_maturity": 1}
    recs = recommend(questionnaire, answers, score_audit(questionnaire, answers, {}))
    assert all(e.kind != "section" for r in recs for e in r.evidence)


def _findings_and_recs(store: Store, audit_id: str) -> tuple[list[Any], list[Any]]:
    history = department_history(store, audit_id)
    figures = history[-1]
    medians = cycle_section_medians(store, figures.audit.cycle)
    findings = key_findings(figures, None, medians, limit=20)
    answers = store.answers(audit_id)
    return findings, recommend(figures.questionnaire, answers, figures.score)


def test_the_cio_finding_gets_a_recommendation_linked_to_it(
    store: Store, questionnaire: Questionnaire
) -> None:
    answers = {**COMPLETE, "cio_on_board": False}
    audit_id = make_audit(store, questionnaire, answers=answers, senior=[post("digital_leader")])
    findings, recs = _findings_and_recs(store, audit_id)
    cio = next(i for i, f in enumerate(findings) if "No CIO" in f.text)
    links = finding_links(findings, recs)
    assert [recs[r].id for r in links[cio]] == ["business_led_cio_on_board"]
    rec = recs[links[cio][0]]
    assert rec.owner == "Permanent Secretary"
    assert rec.timescale == "Within 6 months"


def test_every_failed_headline_is_answered_by_a_recommendation(
    store: Store, questionnaire: Questionnaire
) -> None:
    """Leader and CIO off the board, a quarter of senior posts interim, a fifth vacant,
    contractors a fifth of the workforce, a Red programme and a Red section."""
    answers = {
        **COMPLETE,
        "digital_leader_nominated": False,  # board: (1 + 1) / 2 = 1.0, Red
        "cio_on_board": False,
    }
    senior = [
        post("digital_leader"),
        post("cio", employment="interim"),
        post("cdo", status="vacant"),
        post("cto"),
    ]
    audit_id = make_audit(
        store,
        questionnaire,
        answers=answers,
        senior=senior,
        workforce=staff(permanent=8.0, contractor=2.0),
        programmes=[{"name": "Big system", "delivery_confidence": "red"}],
    )
    findings, recs = _findings_and_recs(store, audit_id)
    links = finding_links(findings, recs)
    failed = [f for f in findings if f.concern and f.refs]
    assert len(failed) >= 6, [f.text for f in findings]
    for index, finding in enumerate(findings):
        if finding in failed:
            assert links.get(index), finding.text
    assert "improve_board_section" in [r.id for r in recs]


def test_a_rule_without_an_owner_is_refused() -> None:
    text = "- {id: r, title: T, text: X., priority: 1, when: {question: led, equals: false}}"
    error = refused(text)
    assert "'owner' is missing" in error.message


@pytest.mark.parametrize(
    ("when", "fragment"),
    [
        ("{section: nowhere, below: 2.5}", "'nowhere' is not a section"),
        ("{section: s, below: 2.5}", "is not scored"),
        ("{indicator: by_kind, includes: [nothing_like_it]}", "no group 'nothing_like_it'"),
        ("{indicator: by_kind, includes: []}", "'includes: [...]'"),
    ],
)
def test_section_and_group_comparisons_are_checked(when: str, fragment: str) -> None:
    with pytest.raises(DefinitionError) as info:
        parsed(rule(when))
    assert fragment in info.value.message, info.value.message


def test_an_empty_decision_is_refused() -> None:
    text = rule("{question: led, equals: false}").replace("decision: Agree it.", "decision: ' '")
    assert "'decision' must be non-empty text" in refused(text).message
