"""Data-quality rules: the format refused when malformed, and each shipped rule worked by hand."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.data_quality import (
    DataQualityNote,
    audit_notes,
    check_audit,
    combine_notes,
    cycle_start,
    stored_audit_notes,
)
from models.questionnaire import (
    DefinitionError,
    Questionnaire,
    current_questionnaire,
    parse_questionnaire,
)
from models.store import Store
from tests.models.helpers import definition

QUESTIONS = """
- id: total
  type: currency
  label: Total spend
- id: part
  type: currency
  label: Part of it
- id: happened
  type: yesno
  label: Did it happen?
- id: when
  type: date
  label: When?
- id: people
  type: table
  label: People
  row_label: person
  columns:
    - {id: ref, label: Reference, type: text}
    - {id: low, label: Floor, type: currency}
    - {id: high, label: Ceiling, type: currency}
    - id: status
      label: Status
      type: single_choice
      options: [{value: "vacant", label: Vacant}, {value: "filled", label: Filled}]
    - {id: holder, label: Holder, type: text}
    - {id: ends, label: Ends, type: date}
"""


def with_rules(rules: str) -> str:
    return definition(QUESTIONS) + "data_quality:\n" + textwrap.indent(textwrap.dedent(rules), "  ")


def refused(rules: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        parse_questionnaire(with_rules(rules), source="x.yaml")
    return info.value


MALFORMED = [
    (
        "no id",
        "- {message: M, when: {question: total, above: 1}}",
        "data_quality rule #1",
    ),
    (
        "no message",
        "- {id: r, when: {question: total, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "unknown severity",
        "- {id: r, message: M, severity: fatal, when: {question: total, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "unknown key",
        "- {id: r, message: M, colour: red, when: {question: total, above: 1}}",
        "data_quality rule 'r'",
    ),
    ("neither when nor unique", "- {id: r, message: M}", "data_quality rule 'r'"),
    (
        "unknown table",
        "- {id: r, message: M, table: nobody, when: {column: low, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "a question, not a table",
        "- {id: r, message: M, table: total, when: {column: low, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "unknown column",
        "- {id: r, message: M, table: people, when: {column: pay, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "unknown question",
        "- {id: r, message: M, when: {question: nowhere, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "a table compared as a question",
        "- {id: r, message: M, when: {question: people, answered: true}}",
        "data_quality rule 'r'",
    ),
    (
        "ordering text",
        "- {id: r, message: M, table: people, when: {column: holder, above: 1}}",
        "data_quality rule 'r'",
    ),
    (
        "money against a date",
        "- {id: r, message: M, table: people, when: {column: low, above: {column: ends}}}",
        "data_quality rule 'r'",
    ),
    (
        "an option the column lacks",
        "- {id: r, message: M, table: people, when: {column: status, equals: retired}}",
        "data_quality rule 'r'",
    ),
    (
        "the cycle start against money",
        "- {id: r, message: M, when: {question: total, below: {audit: cycle_start}}}",
        "data_quality rule 'r'",
    ),
    (
        "two operators",
        "- {id: r, message: M, when: {question: total, above: 1, below: 9}}",
        "data_quality rule 'r'",
    ),
    ("unique without a table", "- {id: r, message: M, unique: [ref]}", "data_quality rule 'r'"),
    (
        "duplicate id",
        "- {id: r, message: M, when: {question: total, above: 1}}\n"
        "- {id: r, message: N, when: {question: part, above: 1}}",
        "data_quality rule 'r'",
    ),
]


@pytest.mark.parametrize(("case", "rules", "where"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_rule_is_refused_naming_the_rule(case: str, rules: str, where: str) -> None:
    error = refused(rules)
    assert error.source == "x.yaml"
    assert error.where == where
    assert str(error).startswith(f"x.yaml: {where}: ")


def test_data_quality_must_be_a_list() -> None:
    text = definition(QUESTIONS) + "data_quality: {id: r}\n"
    with pytest.raises(DefinitionError, match="'data_quality' must be a list"):
        parse_questionnaire(text, source="x.yaml")


def parsed(rules: str) -> Questionnaire:
    return parse_questionnaire(with_rules(rules), source="x.yaml")


def test_a_file_without_rules_has_none() -> None:
    assert parse_questionnaire(definition(QUESTIONS), source="x.yaml").data_quality == ()


def rule_ids(notes: list[DataQualityNote]) -> list[str]:
    return [n.rule_id for n in notes]


def test_row_rule_names_the_row_and_columns_and_ignores_blanks() -> None:
    q = parsed(
        "- {id: floor, message: Floor above ceiling., table: people,"
        " when: {column: low, above: {column: high}}}"
    )
    rows: list[dict[str, Any]] = [
        {"low": 10.0, "high": 20.0},  # fine
        {"low": 30.0, "high": 20.0},  # breaks it
        {"low": 30.0},  # ceiling blank: not a note
        {},  # blank row
        {"low": 20.0, "high": 20.0},  # equal is fine
    ]
    notes = check_audit(q, {}, {"people": rows})
    assert [(n.rule_id, n.rows, n.columns) for n in notes] == [
        ("floor", (2,), ("Floor", "Ceiling"))
    ]
    assert notes[0].text == "S, person 2 (Floor, Ceiling): Floor above ceiling."


def test_unique_names_every_row_of_each_duplicate_set() -> None:
    q = parsed("- {id: dup, message: Same reference., table: people, unique: ref}")
    rows = [{"ref": "A1"}, {"ref": "B2"}, {"ref": " a1"}, {}, {}, {"ref": "B2"}, {"ref": "A1"}]
    notes = check_audit(q, {}, {"people": rows})
    assert [n.rows for n in notes] == [(1, 3, 7), (2, 6)]
    assert notes[0].place == "S, persons 1, 3 and 7 (Reference)"


def test_question_rule_fires_only_on_two_answers() -> None:
    q = parsed(
        "- {id: part, message: Part above total., when: {question: part, above: {question: total}}}"
    )
    assert rule_ids(check_audit(q, {"total": 10.0, "part": 11.0}, {})) == ["part"]
    assert check_audit(q, {"total": 10.0, "part": 10.0}, {}) == []
    assert check_audit(q, {"part": 11.0}, {}) == []
    assert check_audit(q, {"total": 10.0}, {}) == []
    note = check_audit(q, {"total": 10.0, "part": 11.0}, {})[0]
    assert note.rows == () and note.columns == ("Part of it", "Total spend")


def test_answered_false_looks_for_a_blank_but_equals_never_matches_one() -> None:
    q = parsed(
        """\
        - id: no_date
          message: Happened but no date.
          when: {all: [{question: happened, equals: true}, {question: when, answered: false}]}
        - id: date_not_happened
          message: A date for something that did not happen.
          when: {all: [{question: happened, equals: false}, {question: when, answered: true}]}
        """
    )
    assert rule_ids(check_audit(q, {"happened": True}, {})) == ["no_date"]
    assert check_audit(q, {"happened": True, "when": "2013-01-01"}, {}) == []
    assert rule_ids(check_audit(q, {"happened": False, "when": "2013-01-01"}, {})) == [
        "date_not_happened"
    ]
    assert check_audit(q, {"when": "2013-01-01"}, {}) == []  # happened unanswered
    assert check_audit(q, {}, {}) == []


def test_dates_compare_with_the_cycle_start() -> None:
    q = parsed(
        "- {id: ended, message: Ended., table: people,"
        " when: {column: ends, below: {audit: cycle_start}}}"
    )
    rows = [{"ends": "2012-12-31"}, {"ends": "2013-01-01"}, {}, {"ends": "2015-06-30"}]
    assert [n.rows for n in check_audit(q, {}, {"people": rows}, "2013 baseline")] == [(1,)]
    assert check_audit(q, {}, {"people": rows}, "Baseline") == []  # no year: no guess
    assert cycle_start("2014 review") == "2014-01-01"
    assert cycle_start("2013-14") == "2013-01-01"
    assert cycle_start("Cycle 12345") is None


def test_bad_stored_data_raises_no_note_and_no_error() -> None:
    q = parsed(
        "- {id: floor, message: M., table: people, when: {column: low, above: {column: high}}}"
    )
    rows = [{"low": "lots", "high": 1.0}, {"low": True, "high": 0.0}]
    assert check_audit(q, {}, {"people": rows}) == []


def test_combine_notes_lists_conflicts_first() -> None:
    q = parsed("- {id: part, message: M., when: {question: part, above: {question: total}}}")
    ours = check_audit(q, {"total": 1.0, "part": 2.0}, {})
    conflict = DataQualityNote(
        "c", "warning", "Answer and table disagree.", "s", "S", "happened", kind="conflict"
    )
    assert combine_notes(ours, [conflict]) == [conflict, *ours]


# ---------------------------------------------------------------- the shipped rules

Q = current_questionnaire()
Rows = dict[str, list[dict[str, Any]]]


def roles(*rows: dict[str, Any]) -> Rows:
    return {"senior_roles": list(rows)}


def staff(*rows: dict[str, Any]) -> Rows:
    return {"workforce_mix": list(rows)}


def whole(*rows: dict[str, Any]) -> Rows:
    return {"department_workforce": list(rows)}


def contracts(*rows: dict[str, Any]) -> Rows:
    return {"contracts": list(rows)}


def programmes(*rows: dict[str, Any]) -> Rows:
    return {"major_programmes": list(rows)}


VACANT, FILLED = {"vacant_or_interim": "vacant"}, {"vacant_or_interim": "filled"}
DATA_PERM = {"profession_family": "data", "staff_type": "permanent"}
DATA_CONTRACTOR = {"profession_family": "data", "staff_type": "contractor"}
REVIEWED, NOT_REVIEWED = {"independent_review_done": True}, {"independent_review_done": False}
DATED = {"review_date": "2013-02-01"}
DWP_EO = {"body": "DWP", "month": "2014-03", "staff_group": "payroll", "grade_group": "eo"}
DWP_AGENCY = {**DWP_EO, "staff_group": "agency", "grade_group": "all_grades", "fte": 4.0}

# (rule, answers that break it, rows that break it, answers that pass, rows that pass)
SHIPPED: list[tuple[str, dict[str, Any], Rows, dict[str, Any], Rows]] = [
    ("pay_floor_above_ceiling", {}, roles({"pay_floor": 9e4, "pay_ceiling": 8e4}),
     {}, roles({"pay_floor": 8e4, "pay_ceiling": 9e4}, {"pay_floor": 9e4})),
    ("vacant_post_with_holder", {}, roles({**VACANT, "post_holder_name": "A. Person"}),
     {}, roles(VACANT, {**FILLED, "post_holder_name": "B"})),
    ("vacant_post_on_board", {}, roles({**VACANT, "board_member": True}),
     {}, roles({**VACANT, "board_member": False}, {"board_member": True})),
    ("duplicate_post_reference", {}, roles({"post_ref": "D1"}, {"post_ref": "D1"}),
     {}, roles({"post_ref": "D1"}, {"post_ref": "D2"}, {}, {})),
    ("fte_above_headcount", {}, staff({"headcount": 10, "fte": 10.5}),
     {}, staff({"headcount": 10, "fte": 9.5}, {"fte": 3.0})),
    ("duplicate_workforce_group", {}, staff(DATA_PERM, DATA_PERM),
     {}, staff(DATA_PERM, DATA_CONTRACTOR)),
    ("department_fte_above_headcount", {}, whole({"headcount": 10, "fte": 10.5}),
     {}, whole({"headcount": 10, "fte": 9.5}, {"fte": 3.0})),
    ("duplicate_department_workforce_row", {}, whole(DWP_EO, DWP_EO),
     {}, whole(DWP_EO, DWP_AGENCY, {**DWP_EO, "month": "2014-04"})),
    ("grade_group_for_non_payroll", {}, whole({"staff_group": "agency", "grade_group": "eo"}),
     {}, whole(DWP_AGENCY, {"staff_group": "agency", "fte": 1.0})),
    ("contract_total_below_annual", {}, contracts({"annual_value": 2e6, "total_value": 1e6}),
     {}, contracts({"annual_value": 2e6, "total_value": 8e6}, {"annual_value": 2e6})),
    ("contract_ended_before_cycle", {}, contracts({"end_date": "2012-03-31"}),
     {}, contracts({"end_date": "2016-03-31"}, {})),
    ("review_date_without_review", {}, programmes({**NOT_REVIEWED, **DATED}),
     {}, programmes({**REVIEWED, **DATED}, DATED)),
    ("review_without_date", {}, programmes(REVIEWED),
     {}, programmes(NOT_REVIEWED, {})),
    ("cloud_spend_above_total", {"total_tech_spend": 1e6, "cloud_spend": 2e6}, {},
     {"total_tech_spend": 1e6, "cloud_spend": 1e6}, {}),
    ("framework_spend_above_total", {"total_tech_spend": 1e6, "framework_spend": 2e6}, {},
     {"framework_spend": 2e6}, {}),
    ("gcloud_spend_above_framework", {"framework_spend": 1e6, "gcloud_spend": 2e6}, {},
     {"framework_spend": 3e6, "gcloud_spend": 2e6}, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "bad", "bad_rows", "good", "good_rows"), SHIPPED, ids=[s[0] for s in SHIPPED]
)
def test_each_shipped_rule_fires_on_its_case_only(
    rule: str,
    bad: dict[str, Any],
    bad_rows: Rows,
    good: dict[str, Any],
    good_rows: Rows,
) -> None:
    assert rule_ids(check_audit(Q, bad, bad_rows, "2013 baseline")) == [rule]
    assert check_audit(Q, good, good_rows, "2013 baseline") == []


def test_every_shipped_rule_is_exercised() -> None:
    assert {r.id for r in Q.data_quality} == {s[0] for s in SHIPPED}


def test_notes_read_back_from_the_store(store: Store) -> None:
    dept = store.add_department("Department for Testing")
    audit = store.create_audit(dept.id, "2014 review", Q)
    store.insert_rows(audit.id, "contracts", 0, [
        {"supplier": "S", "service": "Hosting", "annual_value": 5e6, "total_value": 2e6},
        {"supplier": "T", "service": "Desktop", "end_date": "2013-06-30"},
    ])  # fmt: skip
    store.set_answer(audit.id, "total_tech_spend", 1e6)
    store.set_answer(audit.id, "cloud_spend", 3e6)
    texts = [n.text for n in stored_audit_notes(store, audit.id)]
    assert texts == [
        "Contracts and suppliers, contract 1 “S” (Total value (£), Annual value (£)): "
        "The total value is less than the annual value.",
        "Contracts and suppliers, contract 2 “T” (End date): The contract ended before the year of "
        "this audit; remove it, or correct the end date if it has been extended.",
        "Money, questions “How much of that was spent on cloud services?” and “What was the "
        "department's total technology spend in the last full financial year?”: Cloud spend is "
        "more than the total technology spend it is part of.",
    ]


@pytest.mark.parametrize(
    ("rule", "bad", "bad_rows"), [s[:3] for s in SHIPPED], ids=[s[0] for s in SHIPPED]
)
def test_blanking_any_cell_or_answer_of_a_firing_case_stops_it(
    rule: str, bad: dict[str, Any], bad_rows: Rows
) -> None:
    """A rule rests on recorded facts: take any one of them away and the note goes."""
    for question_id in bad:
        answers = {k: v for k, v in bad.items() if k != question_id}
        assert check_audit(Q, answers, bad_rows, "2013 baseline") == [], question_id
    for table_id, rows in bad_rows.items():
        for i, row in enumerate(rows):
            for column_id in row:
                blanked = [dict(r) for r in rows]
                del blanked[i][column_id]
                notes = check_audit(Q, bad, {table_id: blanked}, "2013 baseline")
                assert notes == [], (i, column_id)


_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "vacant", "filled", "2012-01-01", "2030-12-31", "D1", "data", "x"]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([t.id for t in Q.table_questions()]),
        st.lists(
            st.dictionaries(
                st.sampled_from(sorted({c.id for t in Q.table_questions() for c in t.columns})),
                _ANY_VALUE,
            ),
            max_size=6,
        ),
    ),
    st.dictionaries(
        st.sampled_from(["total_tech_spend", "cloud_spend", "framework_spend", "gcloud_spend"]),
        _ANY_VALUE,
    ),
)
def test_any_stored_values_give_notes_on_real_rows_and_no_error(
    tables: Rows, answers: dict[str, Any]
) -> None:
    """Odd stored data (wrong types, blanks) never breaks the check, and notes name real rows."""
    answers = {k: v for k, v in answers.items() if v is not None}
    for note in check_audit(Q, answers, tables, "2014 review"):
        count = len(tables.get(note.subject_id, [])) if note.rows else 0
        assert all(1 <= n <= count for n in note.rows)
        assert note.severity == "warning" and note.message


def test_an_answer_its_table_contradicts_is_an_open_note_first() -> None:
    """Answered No to 'CIO on board' beside a filled CIO post on the board: a conflict note."""
    cio = {"role_type": "cio", "board_member": True, **FILLED}
    answers = {"cio_on_board": False}
    notes = audit_notes(Q, answers, roles(cio), "2013 baseline")
    assert [(n.kind, n.rule_id) for n in notes][:1] == [("conflict", "cio_on_board")]
    assert "Resolve before sign-off" in notes[0].message
    assert notes[0].subject_id == "cio_on_board"
    # agreeing, or unanswered, is no conflict
    assert not [
        n for n in audit_notes(Q, {"cio_on_board": True}, roles(cio)) if n.kind == "conflict"
    ]
    assert not [n for n in audit_notes(Q, {}, roles(cio)) if n.kind == "conflict"]
