"""Questionnaire definitions: every broken file is refused naming the file and the place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from models.questionnaire import (
    DefinitionError,
    current_questionnaire,
    load_questionnaire_file,
    parse_questionnaire,
)
from tests.models.helpers import definition

# A table question the indicator and visible_if cases below refer to.
PEOPLE_TABLE = """
- id: people
  type: table
  label: People
  columns:
    - {id: name, label: Name, type: text}
    - {id: kind, label: Kind, type: single_choice, options: [{value: "perm", label: Perm}]}
    - {id: fte, label: FTE, type: decimal}
"""


def refused(text: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        parse_questionnaire(text, source="x.yaml")
    return info.value


def assert_names(error: DefinitionError, where: str, fragment: str) -> None:
    """The message reads '<file>: <place>: <what is wrong>'."""
    assert error.source == "x.yaml"
    assert error.where == where
    assert str(error).startswith(f"x.yaml: {where}: ")
    assert fragment in error.message


# (case, YAML text, the place the message must name, a fragment of what is wrong)
QUESTION_ERRORS = [
    (
        "unknown question type",
        definition("- {id: q, type: essay, label: Q}"),
        "question 'q'",
        "unknown type 'essay'",
    ),
    (
        "duplicate question id",
        definition("- {id: q, type: yesno, label: Q}\n- {id: q, type: text, label: Again}"),
        "question 'q'",
        "duplicate question id",
    ),
    (
        "choice without options",
        definition("- {id: c, type: single_choice, label: C}"),
        "question 'c'",
        "needs a non-empty 'options' list",
    ),
    (
        "unquoted yes/no option value",
        definition(
            "- {id: c, type: single_choice, label: C,"
            " options: [{value: yes, label: Yes}, {value: no, label: No}]}"
        ),
        "question 'c'",
        # YAML 1.1 reads the unquoted yes as the boolean True
        "option #1 value True must be a quoted snake_case string",
    ),
    (
        "unknown reference list",
        definition("- {id: g, type: single_choice, label: G, reference: pay_scales}"),
        "question 'g'",
        "reference list 'pay_scales' does not exist",
    ),
    (
        "visible_if refers to a later question",
        definition(
            "- {id: first, type: yesno, label: F, visible_if: {question: second, equals: true}}\n"
            "- {id: second, type: yesno, label: S}"
        ),
        "question 'first'",
        "visible_if refers to 'second', which is not an earlier question",
    ),
    (
        "visible_if refers to an unknown question",
        definition(
            "- {id: a, type: yesno, label: A}\n"
            "- {id: b, type: yesno, label: B, visible_if: {question: ghost, answered: true}}"
        ),
        "question 'b'",
        "visible_if refers to 'ghost'",
    ),
    (
        "visible_if refers to a table",
        definition(
            PEOPLE_TABLE
            + "- {id: b, type: yesno, label: B, visible_if: {question: people, answered: true}}"
        ),
        "question 'b'",
        "cannot refer to table question 'people'",
    ),
    (
        "visible_if compares a choice with a value it cannot hold",
        definition(
            "- {id: c, type: single_choice, label: C,"
            ' options: [{value: "red", label: Red}, {value: "green", label: Green}]}\n'
            "- {id: d, type: yesno, label: D, visible_if: {question: c, in: [red, blue]}}"
        ),
        "question 'd'",
        "'blue' is not an option of 'c'",
    ),
    (
        "visible_if compares yes/no with text",
        definition(
            "- {id: a, type: yesno, label: A}\n"
            '- {id: b, type: yesno, label: B, visible_if: {question: a, equals: "yes"}}'
        ),
        "question 'b'",
        "compare it with true or false",
    ),
    (
        "min greater than max",
        definition("- {id: n, type: integer, label: N, min: 10, max: 5}"),
        "question 'n'",
        "'min' is greater than 'max'",
    ),
    (
        "pattern on a number",
        definition("- {id: n, type: integer, label: N, pattern: '^[0-9]+$'}"),
        "question 'n'",
        "'pattern' is only for text",
    ),
    (
        "invalid regular expression",
        definition("- {id: t1, type: text, label: T, pattern: '([a-z'}"),
        "question 't1'",
        "'pattern' is not a valid regular expression",
    ),
    (
        "maturity with four levels",
        definition("- {id: m, type: maturity, label: M, levels: [one, two, three, four]}"),
        "question 'm'",
        "exactly five 'levels'",
    ),
    (
        "score on a table",
        definition(
            "- id: people\n  type: table\n  label: People\n  score: {true: 5}\n"
            "  columns: [{id: name, label: Name, type: text}]"
        ),
        "question 'people'",
        "table questions are not scored directly",
    ),
    (
        "score names an unknown option",
        definition(
            "- {id: c, type: single_choice, label: C,"
            ' options: [{value: "low", label: Low}, {value: "high", label: High}],'
            " score: {low: 1, high: 5, medium: 3}}",
            scored=True,
        ),
        "question 'c'",
        "score names unknown option(s): medium",
    ),
    (
        "points above 5",
        definition("- {id: a, type: yesno, label: A, score: {true: 6, false: 1}}", scored=True),
        "question 'a'",
        "points must be a number from 1 to 5, not 6",
    ),
    (
        "points below 1",
        definition(
            "- {id: n, type: integer, label: N, score: {bands: [{max: 3, points: 0}]}}",
            scored=True,
        ),
        "question 'n'",
        "points must be a number from 1 to 5, not 0",
    ),
    (
        "score band bound that is not a number",
        definition(
            "- {id: n, type: integer, label: N,"
            ' score: {bands: [{min: "ten", points: 2}, {points: 1}]}}',
            scored=True,
        ),
        "question 'n'",
        "score band #1 'min' must be a number",
    ),
    (
        "per_selected that is not a number",
        definition(
            "- {id: m, type: multi_choice, label: M, options: [{value: a, label: A}],"
            " score: {per_selected: lots}}",
            scored=True,
        ),
        "question 'm'",
        "'per_selected': a number above 0",
    ),
    (
        "max_selected that is not a whole number",
        definition(
            "- {id: m, type: multi_choice, label: M, options: [{value: a, label: A}],"
            ' max_selected: "two"}'
        ),
        "question 'm'",
        "'max_selected' must be a whole number",
    ),
    (
        "table without columns",
        definition("- {id: people, type: table, label: People}"),
        "question 'people'",
        "needs a non-empty 'columns' list",
    ),
    (
        "duplicate column ids",
        definition(
            "- id: people\n  type: table\n  label: People\n  columns:\n"
            "    - {id: name, label: Name, type: text}\n"
            "    - {id: name, label: Full name, type: text}"
        ),
        "question 'people'",
        "duplicate column id(s): name",
    ),
    (
        "unknown key on a question",
        definition("- {id: a, type: yesno, label: A, colour: blue}"),
        "question 'a'",
        "unknown key(s): colour",
    ),
    (
        "unknown key on a column",
        definition(
            "- id: people\n  type: table\n  label: People\n"
            "  columns: [{id: name, label: Name, type: text, width: 30}]"
        ),
        "question 'people' column 'name'",
        "unknown key(s): width",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [case[1:] for case in QUESTION_ERRORS],
    ids=[case[0] for case in QUESTION_ERRORS],
)
def test_question_errors_name_file_and_question(text: str, where: str, fragment: str) -> None:
    assert_names(refused(text), where, fragment)


INDICATOR_ERRORS = [
    (
        "share of an unknown table",
        "- {id: i, label: I, kind: share, table: staff, where: {column: kind, equals: perm}}",
        "'staff' is not a table question of this file",
    ),
    (
        "share over an unknown column",
        "- {id: i, label: I, kind: share, table: people, value_column: cost,"
        " where: {column: kind, equals: perm}}",
        "table 'people' has no column 'cost'",
    ),
    (
        "share filtered on an unknown column",
        "- {id: i, label: I, kind: share, table: people, where: {column: grade, equals: g7}}",
        "table 'people' has no column 'grade'",
    ),
    (
        "share summing a text column",
        "- {id: i, label: I, kind: share, table: people, value_column: name,"
        " where: {column: kind, equals: perm}}",
        "value_column 'name' is not numeric",
    ),
    (
        "group by an unknown column",
        "- {id: i, label: I, kind: group, table: people, group_column: grade}",
        "table 'people' has no column 'grade'",
    ),
    (
        "flag on an unknown question",
        "- {id: i, label: I, kind: flag, sources: [{question: ghost, equals: true}]}",
        "'ghost' is not a question of this file",
    ),
    (
        "unknown key on an indicator",
        "- {id: i, label: I, kind: group, table: people, group_column: kind, colour: red}",
        "unknown key(s): colour",
    ),
]


@pytest.mark.parametrize(
    ("indicators", "fragment"),
    [case[1:] for case in INDICATOR_ERRORS],
    ids=[case[0] for case in INDICATOR_ERRORS],
)
def test_indicator_errors_name_file_and_indicator(indicators: str, fragment: str) -> None:
    text = definition(PEOPLE_TABLE, indicators=indicators)
    assert_names(refused(text), "indicator 'i'", fragment)


def test_bad_yaml_names_file_and_line() -> None:
    # Line 3 holds a second ': ' inside a plain value, which YAML refuses.
    text = "id: t\nversion: 1\ntitle: a: b\nsections: []\n"
    assert_names(refused(text), "line 3", "not valid YAML")


@pytest.mark.parametrize(
    ("drop", "fragment"),
    [
        ("id: t\n", "'id' must be lowercase letters, digits and '-'"),
        ("version: 1\n", "'version' must be a whole number of at least 1"),
        ("title: T\n", "'title' is missing"),
    ],
    ids=["id", "version", "title"],
)
def test_missing_top_level_keys(drop: str, fragment: str) -> None:
    text = definition("- {id: a, type: yesno, label: A}")
    assert drop in text
    assert_names(refused(text.replace(drop, "", 1)), "top level", fragment)


def test_unknown_top_level_key() -> None:
    text = "owner: GDS\n" + definition("- {id: a, type: yesno, label: A}")
    assert_names(refused(text), "top level", "unknown key(s): owner")


def test_duplicate_section_id() -> None:
    text = textwrap.dedent(
        """\
        id: t
        version: 1
        title: T
        sections:
          - {id: s, title: S, scored: false, questions: [{id: a, type: yesno, label: A}]}
          - {id: s, title: Again, scored: false, questions: [{id: b, type: yesno, label: B}]}
        """
    )
    assert_names(refused(text), "section 's'", "duplicate section id")


def test_unknown_key_on_a_section() -> None:
    text = definition("- {id: a, type: yesno, label: A}").replace(
        "    title: S\n", "    title: S\n    weight: 2\n"
    )
    assert_names(refused(text), "section 's'", "unknown key(s): weight")


def test_scored_section_needs_a_scored_question() -> None:
    text = definition("- {id: a, type: yesno, label: A}", scored=True)
    assert_names(refused(text), "section 's'", "needs at least one question with 'score'")


def test_a_valid_definition_loads() -> None:
    # The counterpart of the cases above: the builder itself makes a usable definition.
    q = parse_questionnaire(
        definition(
            PEOPLE_TABLE + "- {id: a, type: yesno, label: A, score: {yes: 5, no: 1}}",
            scored=True,
            indicators="- {id: i, label: I, kind: group, table: people, group_column: kind}",
        ),
        source="x.yaml",
    )
    assert [x.id for x in q.questions()] == ["people", "a"]
    # YAML 1.1 reads yes/no as booleans, which is what yes/no answers are stored as.
    assert q.question("a").score is not None
    assert dict(q.question("a").score.mapping) == {True: 5.0, False: 1.0}
    assert q.source == "x.yaml"


def test_load_questionnaire_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "board-technology-baseline-v9.yaml"
    path.write_text(definition("- {id: q, type: essay, label: Q}"), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_questionnaire_file(path)
    assert str(info.value).startswith("board-technology-baseline-v9.yaml: question 'q': ")


def test_shipped_questionnaire_covers_the_domain_brief() -> None:
    q = current_questionnaire()
    assert q.id == "board-technology-baseline"
    assert [s.id for s in q.sections] == [
        "board",
        "strategy",
        "governance",
        "senior_roles",
        "workforce",
        "contracts",
        "programmes",
        "skills",
        "money",
    ]
    tables = {t.id: t.section_id for t in q.table_questions()}
    assert tables == {
        "senior_roles": "senior_roles",
        "workforce_mix": "workforce",
        "department_workforce": "workforce",
        "contracts": "contracts",
        "major_programmes": "programmes",
    }
    # Every scored section has something to score, and the indicators point at real tables.
    for section in q.sections:
        if section.scored:
            assert any(question.score for question in section.questions), section.id
    for indicator in q.indicators:
        if indicator.table is not None:
            assert q.question(indicator.table).is_table
