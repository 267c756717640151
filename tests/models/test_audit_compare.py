"""Comparing two audits: hand-built audits on a real workspace file, differences worked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from models.audit_compare import (
    ADDED,
    CHANGED,
    REMOVED,
    SAME,
    CompareError,
    NothingToCompare,
    comparable_pair,
    compare_audits,
)
from models.questionnaire import Questionnaire, parse_questionnaire
from models.store import Store
from tests.models.helpers import definition

ROLE = {
    "job_title": "Chief Digital and Information Officer",
    "role_type": "cdio",
    "grade": "scs2",
    "employment_type": "permanent",
}


def role(post_ref: str, **cells: Any) -> dict[str, Any]:
    return {"post_ref": post_ref, **ROLE, **cells}


@pytest.fixture
def two_audits(store: Store, questionnaire: Questionnaire) -> tuple[str, str]:
    """2013: three roles; 2014: DIG-02 gone, DIG-03's grade up, DIG-04 new, rows reordered."""
    dept = store.add_department("Department for Transport", "DfT")
    old = store.create_audit(dept.id, "2013 baseline", questionnaire)
    new = store.create_audit(dept.id, "2014 review", questionnaire)
    store.insert_rows(old.id, "senior_roles", 0, [role("DIG-01"), role("DIG-02"), role("DIG-03")])
    store.insert_rows(
        new.id,
        "senior_roles",
        0,
        [role("DIG-03", grade="scs3"), role("dig-01 "), role("DIG-04", board_member=True)],
    )
    store.set_answer(old.id, "cio_on_board", False)
    store.set_answer(new.id, "cio_on_board", True)
    store.set_answer(old.id, "board_tech_expert_count", 2)  # cleared in 2014
    store.set_answer(new.id, "total_tech_spend", 1_250_000.5)  # answered in 2014
    store.set_answer(old.id, "digital_strategy_published", True)  # the same in both
    store.set_answer(new.id, "digital_strategy_published", True)
    store.set_comment(old.id, "cio_on_board", "Not on the board.")
    store.set_comment(new.id, "cio_on_board", "Joined the board in May.")
    return old.id, new.id


def test_changed_added_and_cleared_answers_read_as_the_auditor_typed_them(store, two_audits):
    result = compare_audits(store, *two_audits)

    got = [(a.kind, a.question_id, a.old, a.new) for a in result.answers]
    assert got == [
        (REMOVED, "board_tech_expert_count", "2", ""),
        (CHANGED, "cio_on_board", "No", "Yes"),
        ("comment changed", "cio_on_board", "Not on the board.", "Joined the board in May."),
        (ADDED, "total_tech_spend", "", "£1,250,000.50"),
    ]
    assert result.answers[1].section == "Board capability"


def test_roles_are_paired_by_post_reference_whatever_their_order_and_case(store, two_audits):
    roles = compare_audits(store, *two_audits).table("senior_roles")

    assert roles.key == ("post_ref",)
    refs = [
        (
            p.status,
            roles.old_rows[p.old].cells["post_ref"] if p.old is not None else None,
            roles.new_rows[p.new].cells["post_ref"] if p.new is not None else None,
        )
        for p in roles.pairs
    ]
    # Later order: DIG-03, dig-01, DIG-04; DIG-02 (old row 2) goes before the row after it.
    assert refs == [
        (REMOVED, "DIG-02", None),
        (CHANGED, "DIG-03", "DIG-03"),
        (CHANGED, "DIG-01", "dig-01 "),  # the key matches; the cell itself was retyped
        (ADDED, None, "DIG-04"),
    ]
    assert roles.pairs[1].changed == {"grade"}
    assert roles.pairs[2].changed == {"post_ref"}
    assert roles.counts_text() == "1 added, 1 removed, 2 changed"


def test_summary_counts_every_kind_of_difference(store, two_audits):
    summary = compare_audits(store, *two_audits).summary()

    assert summary == (
        "1 answer changed, 1 answer added, 1 answer cleared, 1 comment changed, "
        "1 role added, 1 role removed, 2 roles changed."
    )


def test_identical_rows_are_the_same_and_blank_cells_equal_missing_ones(store, questionnaire):
    dept = store.add_department("Cabinet Office")
    old = store.create_audit(dept.id, "2013", questionnaire)
    new = store.copy_forward(old.id, "2014", questionnaire)  # new row ids
    store.insert_rows(old.id, "senior_roles", 0, [role("A1", reports_to="")])
    store.insert_rows(new.id, "senior_roles", 0, [role("A1")])

    result = compare_audits(store, old.id, new.id)

    assert [p.status for p in result.table("senior_roles").pairs] == [SAME]
    assert result.summary() == (
        "No differences: both audits hold the same answers, comments and rows."
    )


def test_rows_without_a_key_pair_by_row_id_then_by_content(store, questionnaire):
    dept = store.add_department("Home Office")
    old = store.create_audit(dept.id, "2013", questionnaire)
    new = store.create_audit(dept.id, "2014", questionnaire)
    blank_ref = {"job_title": "Head of IT", "grade": "g6"}  # no post reference: no natural key
    store.insert_rows(old.id, "senior_roles", 0, [blank_ref, {"job_title": "CTO"}])
    store.insert_rows(new.id, "senior_roles", 0, [{"job_title": "CTO"}, dict(blank_ref)])

    roles = compare_audits(store, old.id, new.id).table("senior_roles")

    assert [(p.status, p.old, p.new) for p in roles.pairs] == [(SAME, 1, 0), (SAME, 0, 1)]


def test_a_renamed_post_reference_is_a_change_when_the_row_id_is_the_same(store, questionnaire):
    """Rows keep their ids when an export is imported back: the row id then pairs them."""
    from models.audit_compare import ComparedRow, compare_table

    table = questionnaire.question("senior_roles")
    old = [ComparedRow("r1", cells=role("DIG-01"))]
    new = [ComparedRow("r1", cells=role("DIG-1"))]

    roles = compare_table(table, table, old, new)

    assert [(p.status, p.changed) for p in roles.pairs] == [(CHANGED, {"post_ref"})]


V1 = definition(
    """
    - id: leader
      type: yesno
      label: Is there a digital leader?
    - id: retired
      type: text
      label: A question version 2 drops
    - id: people
      type: table
      label: People
      row_label: person
      columns:
        - {id: post_ref, label: Post, type: text}
        - {id: grade, label: Grade, type: text}
        - {id: old_note, label: Note, type: text}
    """
)
V2 = (
    V1.replace("version: 1", "version: 2")
    .replace(
        "      - id: retired\n        type: text\n        label: A question version 2 drops\n",
        "      - id: added\n        type: integer\n        label: A question new in version 2\n",
    )
    .replace("{id: old_note, label: Note, type: text}", "{id: fte, label: FTE, type: decimal}")
)


def test_questions_are_matched_by_id_across_questionnaire_versions(store):
    forms = {1: parse_questionnaire(V1), 2: parse_questionnaire(V2)}
    dept = store.add_department("Ministry of Justice")
    old = store.create_audit(dept.id, "2013", forms[1])
    new = store.create_audit(dept.id, "2014", forms[2])
    store.set_answer(old.id, "leader", False)
    store.set_answer(new.id, "leader", True)
    store.set_answer(old.id, "retired", "gone")
    store.set_answer(new.id, "added", 3)
    store.insert_rows(old.id, "people", 0, [{"post_ref": "P1", "grade": "G7", "old_note": "x"}])
    store.insert_rows(new.id, "people", 0, [{"post_ref": "P1", "grade": "G7", "fte": 1.0}])

    result = compare_audits(store, old.id, new.id, questionnaires=lambda _id, v: forms[v])

    got = [(a.kind, a.question_id, a.old, a.new, a.note) for a in result.answers]
    assert got == [
        (CHANGED, "leader", "No", "Yes", ""),
        ("only later", "added", "", "3", "only in version 2"),
        ("only earlier", "retired", "gone", "", "only in version 1"),
    ]
    people = result.table("people")
    # Only the columns both versions have count: Note and FTE are shown but not compared.
    assert [c.id for c in people.columns] == ["post_ref", "grade", "fte", "old_note"]
    assert people.compared == {"post_ref", "grade"}
    assert [p.status for p in people.pairs] == [SAME]
    assert "1 question only in version 1" in result.summary()
    assert "1 question only in version 2" in result.summary()


def test_a_department_with_one_audit_has_nothing_to_compare(store, questionnaire):
    dept = store.add_department("HM Treasury", "HMT")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)

    with pytest.raises(NothingToCompare) as raised:
        comparable_pair(store, dept.id)
    assert str(raised.value) == (
        "HM Treasury has only one audit (2013 baseline): there is nothing to compare it with yet."
    )
    with pytest.raises(NothingToCompare, match="two different audits"):
        compare_audits(store, audit.id, audit.id)


def test_audits_of_different_departments_are_refused(store, questionnaire):
    a = store.create_audit(store.add_department("Home Office").id, "2013", questionnaire)
    b = store.create_audit(store.add_department("Cabinet Office").id, "2013", questionnaire)

    with pytest.raises(CompareError, match="different departments"):
        compare_audits(store, a.id, b.id)


def test_comparable_pair_is_the_previous_and_the_latest_audit(store, questionnaire):
    dept = store.add_department("Department for Education", "DfE")
    first, second, third = (
        store.create_audit(dept.id, cycle, questionnaire) for cycle in ("2012", "2013", "2014")
    )

    assert [a.id for a in comparable_pair(store, dept.id)] == [second.id, third.id]
    assert first.id not in {a.id for a in comparable_pair(store, dept.id)}
