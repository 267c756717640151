"""Issue 15, for random audits: no finding, recommendation or printed indicator states a fact
about an unanswered question, and a flag is the explicit answer whenever one is given and
the table does not contradict it (and 'Conflicting' only when it does)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.cycle_summary import AuditFigures
from models.demo import _answer
from models.department_trends import indicator_text
from models.findings import key_findings
from models.questionnaire import current_questionnaire
from models.recommendations import recommend
from models.records import Audit
from models.scoring import score_audit
from models.validation import error_for, visible_questions
from models.values import is_empty

FORM = current_questionnaire()
ROLE_TYPES = ("cio", "cdio", "cto", "digital_leader", "head_of_it")
FLAGS = {
    "cio_on_board": ("cio_on_board", ("cio", "cdio"), ("CIO",)),
    "digital_leader_on_board": (
        "digital_leader_on_board",
        ("digital_leader",),
        ("digital leader",),
    ),
}

roles = st.lists(
    st.fixed_dictionaries(
        {
            "role_type": st.sampled_from(ROLE_TYPES),
            "board_member": st.sampled_from((True, False, None)),
            "vacant_or_interim": st.sampled_from(("filled", "vacant", "interim", None)),
            "employment_type": st.sampled_from(("permanent", "interim", "contractor", None)),
            "grade": st.sampled_from(("scs2", "g7", "ao", None)),
        }
    ),
    max_size=6,
)


def _answers(seed: int, share: float) -> dict[str, Any]:
    """A random audit: each question answered with probability `share`, valid values only."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    for question in FORM.questions():
        if question.is_table or rng.random() > share:
            continue
        value = _answer(question, rng, rng.random())
        if value is not None and error_for(question, value) is None:
            answers[question.id] = value
    return answers


def _figures(answers: dict[str, Any], rows: list[dict[str, Any]]) -> AuditFigures:
    audit = Audit("a", "d", "Home Office", "2013", FORM.id, FORM.version)
    score = score_audit(FORM, answers, {"senior_roles": rows})
    return AuditFigures(audit, FORM, score, None, 0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), share=st.floats(0, 1), rows=roles)
def test_no_sentence_states_a_fact_about_an_unanswered_question(
    seed: int, share: float, rows: list[dict[str, Any]]
) -> None:
    answers = _answers(seed, share)
    shown = visible_questions(FORM, answers)
    figures = _figures(answers, rows)
    texts = [f.text for f in key_findings(figures, None, {}, limit=50)]

    for indicator_id, (question_id, types, words) in FLAGS.items():
        flag = figures.score.indicators[indicator_id]
        given_answer = answers.get(question_id) if question_id in shown else None
        ruled_out = (
            indicator_id == "digital_leader_on_board"
            and answers.get("digital_leader_nominated") is False
        )
        said = indicator_text(flag)
        if given_answer is None and not ruled_out:
            # unanswered: never Yes or No, in the figure or in a finding
            assert flag.value is None and said == "Not answered"
            assert not any(w.lower() in t.lower() for t in texts for w in words)
            continue
        answer = bool(given_answer) if given_answer is not None else False
        held = [
            r
            for r in rows
            if r["role_type"] in types
            and r["board_member"] is True
            and r["vacant_or_interim"] != "vacant"
        ]
        denied = [r for r in rows if r["role_type"] in types and r["board_member"] is False]
        disagrees = bool(held) if not answer else bool(denied and not held)
        if disagrees:
            assert flag.value is None and said.startswith("Conflicting")
            # said as a conflict to resolve, never as a fact either way
            about = [t for t in texts for w in words if w.lower() in t.lower()]
            assert about and all("Conflicting — resolve before sign-off" in t for t in about)
        else:
            assert flag.value is answer and said == ("Yes" if answer else "No")

    # every recommendation rests on answers the form shows, or on computed indicators
    for rec in recommend(FORM, answers, figures.score):
        for evidence in rec.evidence:
            if evidence.kind == "question":
                assert evidence.ref in shown and not is_empty(answers.get(evidence.ref))
            elif evidence.kind == "section":
                assert figures.score.section_maturity[evidence.ref] is not None
            else:
                assert figures.score.indicators[evidence.ref].value is not None
