"""Whether a question applies to an audit as answered, and why not, in words an analyst reads.

A question hidden by another answer (Digital Leader nominated changed to No) keeps its
stored answer, as the form does, but that answer is not current: exports say so beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from models.questionnaire import Question, Questionnaire
from models.validation import format_value, visible_questions
from models.values import is_empty

APPLIES = "Yes"
NOT_APPLYING = "No — hidden because "


def _state(form: Questionnaire, answers: Mapping[str, Any], shown: Set[str], ref: str) -> str:
    """'“Question?” is No': what the answer a condition reads is now."""
    if not form.has_question(ref):
        return f"“{ref}” is not in this questionnaire"
    question = form.question(ref)
    if ref not in shown:
        return f"“{question.label}” does not apply"
    value = answers.get(ref)
    if is_empty(value):
        return f"“{question.label}” is not answered"
    return f"“{question.label}” is {format_value(question, value)}"


def applies_text(
    form: Questionnaire, answers: Mapping[str, Any], shown: Set[str], question: Question
) -> str:
    """'Yes', or 'No — hidden because “…” is No' for a question the form does not show."""
    if question.id in shown:
        return APPLIES
    refs = dict.fromkeys(question.visible_if.refs()) if question.visible_if else {}
    reasons = [_state(form, answers, shown, ref) for ref in refs]
    return NOT_APPLYING + (" and ".join(reasons) or "the questionnaire hides it")


def not_applying(form: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str]:
    """Every question the form hides for these answers, with why (applies_text)."""
    shown = visible_questions(form, answers)
    return {
        q.id: applies_text(form, answers, shown, q) for q in form.questions() if q.id not in shown
    }
