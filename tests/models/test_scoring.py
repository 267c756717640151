"""Maturity, completion and indicators, checked against figures worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from models.questionnaire import parse_questionnaire
from models.scoring import (
    SectionProgress,
    missing_required,
    question_points,
    score_audit,
    section_progress,
)

SCORED = parse_questionnaire(
    """
id: scoring-test
version: 1
title: Scoring test
sections:
  - id: alpha
    title: Alpha
    questions:
      - {id: gate, type: yesno, label: Gate, score: {true: 5, false: 1}}
      - id: choice
        type: single_choice
        label: Choice
        options:
          - {value: "low", label: Low}
          - {value: "mid", label: Mid}
          - {value: "high", label: High}
        score: {low: 1, mid: 3, high: 5}
      - {id: level, type: maturity, label: Level, levels: [a, b, c, d, e], score: value}
      - id: spend_pct
        type: percentage
        label: Spend
        score: {bands: [{max: 20, points: 1}, {min: 20, max: 60, points: 3}, {min: 60, points: 5}]}
      - id: picks
        type: multi_choice
        label: Picks
        options: [{value: "a", label: A}, {value: "b", label: B}, {value: "c", label: C}]
        score: {per_selected: 2, max: 5}
      - id: follow
        type: yesno
        label: Follow-up
        visible_if: {question: gate, equals: true}
        score: {true: 5, false: 1}
      - {id: remark, type: text, label: Remark}
  - id: beta
    title: Beta
    questions:
      - {id: b1, type: yesno, label: B1, score: {true: 4, false: 2}}
      - id: b2
        type: integer
        label: B2
        score: {bands: [{max: 10, points: 2}, {min: 10, points: 4}]}
  - id: facts
    title: Facts
    scored: false
    questions:
      - id: leader_on_board
        type: yesno
        label: Leader on board
        visible_if: {question: gate, equals: true}
      - id: people
        type: table
        label: People
        columns:
          - id: kind
            label: Kind
            type: single_choice
            options:
              - {value: "perm", label: Permanent}
              - {value: "contractor", label: Contractor}
              - {value: "consultant", label: Consultant}
          - {id: fte, label: FTE, type: decimal}
          - id: role
            label: Role
            type: single_choice
            options:
              - {value: "digital_leader", label: Digital leader}
              - {value: "other", label: Other}
          - {id: board, label: Board member, type: yesno}
indicators:
  - id: contractor_share_fte
    label: Contractor share (FTE)
    kind: share
    table: people
    value_column: fte
    where: {column: kind, in: [contractor, consultant]}
  - id: contractor_share_rows
    label: Contractor share (rows)
    kind: share
    table: people
    where: {column: kind, equals: contractor}
  - id: leader_flag
    label: A digital leader sits on the board
    kind: flag
    sources:
      - {question: leader_on_board, equals: true}
      - table: people
        where: {all: [{column: role, equals: digital_leader}, {column: board, equals: true}]}
  - id: by_kind
    label: People by kind
    kind: group
    table: people
    group_column: kind
    value_column: fte
""",
    source="scoring.yaml",
)

PEOPLE = [
    {"kind": "perm", "fte": 1.0, "role": "digital_leader", "board": True},
    {"kind": "contractor", "fte": 0.5},
    {"kind": "consultant", "fte": 2.0},
    {"kind": "contractor"},  # no FTE given: counts as a row, weighs nothing
    {"kind": "perm", "fte": 1.5},
]


def test_section_means_and_overall() -> None:
    answers = {
        "gate": True,  # 5
        "choice": "mid",  # 3
        "level": 4,  # 4
        "spend_pct": 45.0,  # 20 <= 45 < 60: 3
        "picks": ["a", "b"],  # 2 per selected: 4
        "follow": True,  # visible because gate is yes: 5
        "remark": "not scored",
        "b1": False,  # 2
        "b2": 10,  # min is inclusive: 4
    }
    score = score_audit(SCORED, answers, {})
    # alpha: (5 + 3 + 4 + 3 + 4 + 5) / 6 = 24 / 6 = 4.0; beta: (2 + 4) / 2 = 3.0
    assert score.section_maturity == {"alpha": 4.0, "beta": 3.0}
    assert score.overall == 3.5  # (4.0 + 3.0) / 2
    assert score.question_points == {
        "gate": 5.0, "choice": 3.0, "level": 4.0, "spend_pct": 3.0, "picks": 4.0,
        "follow": 5.0, "b1": 2.0, "b2": 4.0,
    }  # fmt: skip


def test_means_are_rounded_to_two_places() -> None:
    # alpha: gate no (1), choice high (5), level 4: 10 / 3 = 3.333... -> 3.33
    score = score_audit(SCORED, {"gate": False, "choice": "high", "level": 4}, {})
    assert score.section_maturity["alpha"] == 3.33
    assert score.section_maturity["beta"] is None
    assert score.overall == 3.33  # beta has no answers, so only alpha counts


def test_hidden_questions_do_not_count() -> None:
    # follow holds a stale "yes" from when gate was yes; gate is now no, so follow is hidden.
    # Counted it would make alpha (1 + 5 + 5) / 3 = 3.67; not counted: (1 + 5) / 2 = 3.0.
    score = score_audit(SCORED, {"gate": False, "choice": "high", "follow": True}, {})
    assert score.section_maturity["alpha"] == 3.0
    assert "follow" not in score.question_points


def test_unscored_sections_are_absent() -> None:
    score = score_audit(SCORED, {"leader_on_board": True}, {"people": PEOPLE})
    assert set(score.section_maturity) == {"alpha", "beta"}
    assert score.overall is None  # nothing scored was answered


@pytest.mark.parametrize(
    ("question_id", "value", "points"),
    [
        ("spend_pct", 0.0, 1.0),
        ("spend_pct", 19.99, 1.0),
        ("spend_pct", 20.0, 3.0),  # min inclusive
        ("spend_pct", 59.99, 3.0),
        ("spend_pct", 60.0, 5.0),  # max exclusive
        ("spend_pct", 100.0, 5.0),
        ("picks", ["a"], 2.0),
        ("picks", ["a", "b", "c"], 5.0),  # 6, capped at 5
        ("choice", "low", 1.0),
        ("gate", False, 1.0),
        ("level", 2, 2.0),
        ("b2", 9, 2.0),
        ("gate", None, None),  # unanswered
        ("picks", [], None),
        ("remark", "anything", None),  # no rule
    ],
)
def test_question_points(question_id: str, value: Any, points: float | None) -> None:
    assert question_points(SCORED.question(question_id), value) == points


def test_per_selected_has_a_floor_of_one() -> None:
    q = parse_questionnaire(
        """
id: t
version: 1
title: T
sections:
  - id: s
    title: S
    questions:
      - id: m
        type: multi_choice
        label: M
        options: [{value: "a", label: A}, {value: "b", label: B}]
        score: {per_selected: 0.5}
""",
        source="floor.yaml",
    )
    # One option at half a point each is 0.5, raised to the floor of 1; two is still 1.0.
    assert question_points(q.question("m"), ["a"]) == 1.0
    assert score_audit(q, {"m": ["a", "b"]}, {}).section_maturity == {"s": 1.0}


def test_share_indicators() -> None:
    score = score_audit(SCORED, {}, {"people": PEOPLE})
    by_fte = score.indicators["contractor_share_fte"]
    # contractors and consultants: 0.5 + 2.0 + 0 = 2.5 FTE of 1.0 + 0.5 + 2.0 + 0 + 1.5 = 5.0
    assert (by_fte.numerator, by_fte.denominator, by_fte.value) == (2.5, 5.0, 50.0)
    by_rows = score.indicators["contractor_share_rows"]
    # without value_column rows are counted: 2 contractor rows of 5
    assert (by_rows.numerator, by_rows.denominator, by_rows.value) == (2.0, 5.0, 40.0)


def test_share_of_nothing_is_unknown() -> None:
    score = score_audit(SCORED, {}, {})
    assert score.indicators["contractor_share_fte"].value is None
    # FTE all blank: a total of 0 gives no share rather than a division by zero
    blank = score_audit(SCORED, {}, {"people": [{"kind": "contractor"}]})
    assert blank.indicators["contractor_share_fte"].value is None
    assert blank.indicators["contractor_share_rows"].value == 100.0


def test_group_indicator_counts_and_sums() -> None:
    rows = [*PEOPLE, {"fte": 0.25}]  # a row with no kind is grouped under ""
    value = score_audit(SCORED, {}, {"people": rows}).indicators["by_kind"]
    assert value.value == 6.0  # rows in all
    assert value.groups == {
        "perm": (2, 2.5),  # 1.0 + 1.5
        "contractor": (2, 0.5),  # 0.5 + nothing
        "consultant": (1, 2.0),
        "": (1, 0.25),
    }


@pytest.mark.parametrize(
    ("answers", "rows", "expected", "status"),
    [
        # the explicit answer decides
        ({"gate": True, "leader_on_board": True}, [], True, "answered"),
        ({"gate": True, "leader_on_board": False}, [], False, "answered"),
        # the table alone is evidence, not an answer: unanswered stays "not answered"
        # (was True and False before issue 15: the table was taken as the answer)
        ({}, PEOPLE, None, "not_answered"),
        ({}, PEOPLE[1:], None, "not_answered"),
        (
            {},
            [{"role": "other", "board": True}, {"role": "digital_leader", "board": False}],
            None,
            "not_answered",
        ),
        # an answer of No and a board-member row disagree: conflicting, neither Yes nor No
        # (was True before issue 15: either source sufficed)
        ({"gate": True, "leader_on_board": False}, PEOPLE, None, "conflicting"),
        ({"gate": True, "leader_on_board": True}, PEOPLE, True, "answered"),
        # nothing known either way
        ({}, [], None, "not_answered"),
    ],
)
def test_flag_indicator(
    answers: dict[str, Any], rows: list[dict[str, Any]], expected: Any, status: str
) -> None:
    found = score_audit(SCORED, answers, {"people": rows}).indicators["leader_flag"]
    assert found.value is expected
    assert found.status == status


def test_flag_ignores_a_stale_answer_to_a_hidden_question() -> None:
    # leader_on_board is asked only when gate is yes. Gate was changed to no after it was
    # answered yes: that "yes" is no longer on the form, so it is no evidence either way.
    answers = {"gate": False, "leader_on_board": True}
    assert score_audit(SCORED, answers, {}).indicators["leader_flag"].value is None


# ---------------------------------------------------------------- completion

PROGRESS = parse_questionnaire(
    """
id: progress-test
version: 1
title: Progress test
sections:
  - id: one
    title: One
    scored: false
    questions:
      - {id: r1, type: yesno, label: R1, required: true}
      - {id: r2, type: text, label: R2, required: true, visible_if: {question: r1, equals: true}}
      - {id: o1, type: integer, label: O1}
  - id: two
    title: Two
    scored: false
    questions:
      - id: tbl
        type: table
        label: Required table
        required: true
        min_rows: 2
        columns: [{id: x, label: X, type: text}]
      - id: opt_tbl
        type: table
        label: Optional table
        columns: [{id: x, label: X, type: text}]
""",
    source="progress.yaml",
)


def ids(questions: list[Any]) -> list[str]:
    return [q.id for q in questions]


def test_progress_skips_hidden_required_questions() -> None:
    answers = {"r1": False, "o1": 3}
    counts = {"tbl": 1, "opt_tbl": 1}
    progress = section_progress(PROGRESS, answers, counts)
    # one: r2 hidden (r1 is no), so r1 and o1 are shown and both answered; r1 is required.
    assert progress["one"] == SectionProgress("one", 2, 2, 1, 1)
    assert progress["one"].complete
    # two: tbl has 1 row of the 2 it needs, so it is not answered; opt_tbl needs 1 and has it.
    assert progress["two"] == SectionProgress("two", 1, 2, 0, 1)
    assert not progress["two"].complete
    assert ids(missing_required(PROGRESS, answers, counts)) == ["tbl"]


def test_progress_counts_questions_revealed_by_an_answer() -> None:
    answers = {"r1": True}
    counts = {"tbl": 2}
    progress = section_progress(PROGRESS, answers, counts)
    # r1 yes reveals r2: three shown, one answered; two required (r1, r2), one answered.
    assert progress["one"] == SectionProgress("one", 1, 3, 1, 2)
    assert progress["two"] == SectionProgress("two", 1, 2, 1, 1)
    assert ids(missing_required(PROGRESS, answers, counts)) == ["r2"]


def test_missing_required_in_form_order_when_nothing_is_answered() -> None:
    assert ids(missing_required(PROGRESS, {}, {})) == ["r1", "tbl"]
    progress = section_progress(PROGRESS, {}, {})
    assert progress["one"] == SectionProgress("one", 0, 2, 0, 1)


def test_a_table_with_no_min_rows_needs_one_row() -> None:
    progress = section_progress(PROGRESS, {}, {"opt_tbl": 0})
    assert progress["two"].answered == 0
