"""Which questions the form shows for a set of answers (visible_if)."""

from __future__ import annotations

from typing import Any

import pytest

from models.questionnaire import parse_questionnaire
from models.validation import visible_questions
from tests.models.helpers import definition

# One question per operator, all depending on `a` (yes/no), `b` (single choice) or `m` (multi).
QUESTIONNAIRE = parse_questionnaire(
    definition(
        """
        - {id: a, type: yesno, label: A}
        - id: b
          type: single_choice
          label: B
          options: [{value: "x", label: X}, {value: "y", label: Y}, {value: "z", label: Z}]
        - id: m
          type: multi_choice
          label: M
          options: [{value: "p", label: P}, {value: "q", label: Q}]
        - {id: eq, type: text, label: Eq, visible_if: {question: a, equals: true}}
        - {id: ne, type: text, label: Ne, visible_if: {question: a, not_equals: false}}
        - {id: inn, type: text, label: In, visible_if: {question: b, in: [x, y]}}
        - {id: ans, type: text, label: Answered, visible_if: {question: b, answered: true}}
        - {id: unans, type: text, label: Unanswered, visible_if: {question: b, answered: false}}
        - {id: has_p, type: text, label: Has p, visible_if: {question: m, equals: p}}
        - id: both
          type: text
          label: Both
          visible_if: {all: [{question: a, equals: true}, {question: b, equals: z}]}
        - id: either
          type: text
          label: Either
          visible_if: {any: [{question: a, equals: true}, {question: b, equals: z}]}
        """
    ),
    source="visibility.yaml",
)
ALWAYS = {"a", "b", "m"}


@pytest.mark.parametrize(
    ("answers", "extra_visible"),
    [
        # Nothing answered: not_equals holds for a blank answer (a is not "no" yet), and
        # "answered: false" holds; everything else needs an answer.
        ({}, {"ne", "unans"}),
        ({"a": True}, {"eq", "ne", "unans", "either"}),
        ({"a": False}, {"unans"}),
        ({"b": "x"}, {"ne", "inn", "ans"}),
        ({"b": "z"}, {"ne", "ans", "either"}),
        ({"a": True, "b": "z"}, {"eq", "ne", "ans", "both", "either"}),
        ({"a": False, "b": "y"}, {"inn", "ans"}),
        # equals on a multiple choice means "among the ticked options"
        ({"m": ["q", "p"]}, {"ne", "unans", "has_p"}),
        ({"m": ["q"]}, {"ne", "unans"}),
        # A yes/no condition is not met by a number that happens to equal True.
        ({"a": 1}, {"ne", "unans"}),
    ],
)
def test_each_operator(answers: dict[str, Any], extra_visible: set[str]) -> None:
    assert visible_questions(QUESTIONNAIRE, answers) == ALWAYS | extra_visible


CHAIN = parse_questionnaire(
    definition(
        """
        - {id: a, type: yesno, label: A}
        - {id: b, type: yesno, label: B, visible_if: {question: a, equals: true}}
        - {id: c, type: text, label: C, visible_if: {question: b, equals: true}}
        - {id: d, type: text, label: D, visible_if: {question: b, not_equals: true}}
        - id: e
          type: text
          label: E
          visible_if: {any: [{question: a, equals: false}, {question: b, equals: true}]}
        """
    ),
    source="chain.yaml",
)


def test_chain_shows_everything_when_each_link_holds() -> None:
    assert visible_questions(CHAIN, {"a": True, "b": True}) == {"a", "b", "c", "e"}


def test_hiding_the_first_link_hides_the_whole_chain() -> None:
    # b still holds a stale True from before a was changed to False. b is hidden, so c (which
    # only asks b == True) must be hidden too, and d (b != True, which a blank b would
    # satisfy) as well: a condition on a hidden question is false.
    shown = visible_questions(CHAIN, {"a": False, "b": True})
    assert "c" not in shown
    assert "d" not in shown
    assert shown == {"a", "e"}


def test_any_still_holds_through_its_visible_branch() -> None:
    # a is True, so b is shown; e's first branch (a == False) fails, its second (b == True)
    # holds. With b answered False, e is hidden.
    assert "e" in visible_questions(CHAIN, {"a": True, "b": True})
    assert "e" not in visible_questions(CHAIN, {"a": True, "b": False})


def test_any_with_a_hidden_branch_uses_the_other_branch() -> None:
    # a is False: b is hidden, so "b == True" is false, but "a == False" holds on its own.
    assert "e" in visible_questions(CHAIN, {"a": False})
    assert "e" in visible_questions(CHAIN, {"a": False, "b": False})
