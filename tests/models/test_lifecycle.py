"""Draft → submitted → reviewed → signed off: each move, its guards, and the signed-off lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from models import lifecycle
from models.audit_history import status_changes
from models.content_hash import content_hash
from models.lifecycle import LifecycleError, MissingAnswersError, apply, is_read_only, moves
from models.questionnaire import Questionnaire
from models.store import SignedOffError, Store

# Every required question of the shipped questionnaire, answered (tables get rows below).
REQUIRED_ANSWERS = {
    "digital_leader_nominated": False,
    "board_capability_maturity": 3,
    "digital_strategy_published": True,
    "user_needs_maturity": 2,
    "independent_review_new_projects": True,
    "governance_maturity": 4,
    "senior_technical_skills_maturity": 2,
    "total_tech_spend": 1250000.0,
    "tech_spend_year": "2012-13",
}
ROLE = {
    "post_ref": "CIO1",
    "job_title": "Chief Information Officer",
    "role_type": "cio",
    "grade": "scs2",
    "employment_type": "permanent",
}
MIX = {"profession_family": "data", "staff_type": "permanent", "headcount": 4}


def _audit(store: Store, questionnaire: Questionnaire) -> str:
    dept = store.add_department("Department for Work and Pensions", "DWP")
    return store.create_audit(dept.id, "2013 baseline", questionnaire).id


def _complete(store: Store, audit_id: str) -> None:
    for question_id, value in REQUIRED_ANSWERS.items():
        store.set_answer(audit_id, question_id, value)
    store.insert_rows(audit_id, "senior_roles", 0, [ROLE])
    store.insert_rows(audit_id, "workforce_mix", 0, [MIX])


def _signed_off(store: Store, questionnaire: Questionnaire) -> str:
    audit_id = _audit(store, questionnaire)
    _complete(store, audit_id)
    apply(store, audit_id, "submit", questionnaire=questionnaire)
    apply(store, audit_id, "review")
    apply(store, audit_id, "sign_off")
    return audit_id


def _keys(store: Store, audit_id: str) -> list[str]:
    return [m.key for m in moves(store.audit(audit_id))]


def test_the_whole_lifecycle_and_the_moves_open_at_each_step(
    store: Store, questionnaire: Questionnaire
) -> None:
    store.actor = "Ruth Adeyemi"
    audit_id = _audit(store, questionnaire)
    assert _keys(store, audit_id) == ["submit"]
    _complete(store, audit_id)
    assert apply(store, audit_id, "submit", questionnaire=questionnaire).status == "submitted"
    assert _keys(store, audit_id) == ["review", "return"]
    assert apply(store, audit_id, lifecycle.REVIEW).status == "reviewed"
    assert _keys(store, audit_id) == ["sign_off", "return"]
    signed = apply(store, audit_id, "sign_off")
    assert signed.status == "signed_off" and is_read_only(signed)
    assert _keys(store, audit_id) == ["reopen"]
    reopened = apply(store, audit_id, "reopen", reason="Board asked for the 2013 figures")
    assert reopened.status == "draft" and not is_read_only(reopened)
    assert reopened.content_hash == ""  # only a signed-off audit carries one

    timeline = [(c.old, c.new, c.who, c.note) for c in status_changes(store, audit_id)]
    assert timeline == [
        (None, "draft", "Ruth Adeyemi", ""),  # created
        ("draft", "submitted", "Ruth Adeyemi", ""),
        ("submitted", "reviewed", "Ruth Adeyemi", ""),
        ("reviewed", "signed_off", "Ruth Adeyemi", ""),
        ("signed_off", "draft", "Ruth Adeyemi", "Board asked for the 2013 figures"),
    ]


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        ("draft", ["review", "sign_off", "return", "reopen"]),
        ("submitted", ["submit", "sign_off", "reopen"]),
        ("reviewed", ["submit", "review", "reopen"]),
        ("signed_off", ["submit", "review", "sign_off", "return"]),
    ],
)
def test_moves_the_status_does_not_allow_are_refused(
    store: Store, questionnaire: Questionnaire, status: str, refused: list[str]
) -> None:
    audit_id = _audit(store, questionnaire)
    _complete(store, audit_id)
    store.set_status(audit_id, status)
    before = len(status_changes(store, audit_id))
    for key in refused:
        with pytest.raises(LifecycleError, match="not "):
            apply(store, audit_id, key, questionnaire=questionnaire, reason="because")
        assert store.audit(audit_id).status == status
    assert len(status_changes(store, audit_id)) == before  # nothing recorded either


def test_submitting_lists_the_missing_required_questions_in_form_order(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_answer(audit_id, "board_capability_maturity", 3)
    store.set_answer(audit_id, "governance_maturity", 2)
    with pytest.raises(MissingAnswersError) as caught:
        apply(store, audit_id, "submit", questionnaire=questionnaire)
    assert [q.id for q in caught.value.missing] == [
        "digital_leader_nominated",
        "digital_strategy_published",
        "user_needs_maturity",
        "independent_review_new_projects",
        "senior_roles",
        "workforce_mix",
        "senior_technical_skills_maturity",
        "total_tech_spend",  # tech_spend_year is asked only once a spend is given
    ]
    assert "8 required question(s)" in str(caught.value)
    assert store.audit(audit_id).status == "draft"

    _complete(store, audit_id)
    store.delete_rows(
        audit_id, "workforce_mix", [r.id for r in store.rows(audit_id, "workforce_mix")]
    )
    with pytest.raises(MissingAnswersError) as caught:
        apply(store, audit_id, "submit", questionnaire=questionnaire)
    assert [q.id for q in caught.value.missing] == ["workforce_mix"]  # a table needs a row


def test_submitting_needs_the_questionnaire(store: Store, questionnaire: Questionnaire) -> None:
    audit_id = _audit(store, questionnaire)
    _complete(store, audit_id)
    with pytest.raises(LifecycleError, match="questionnaire"):
        apply(store, audit_id, "submit")
    assert store.audit(audit_id).status == "draft"


@pytest.mark.parametrize(("status", "key"), [("submitted", "return"), ("reviewed", "return"),
                                             ("signed_off", "reopen")])  # fmt: skip
def test_returning_and_reopening_need_a_reason_kept_in_history(
    store: Store, questionnaire: Questionnaire, status: str, key: str
) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_status(audit_id, status)
    for blank in ("", "   "):
        with pytest.raises(LifecycleError, match="needs a reason"):
            apply(store, audit_id, key, reason=blank)
    assert store.audit(audit_id).status == status
    apply(store, audit_id, key, reason="  Spend figure was for the wrong year  ")
    assert store.audit(audit_id).status == "draft"
    rows = store.conn.execute(
        "SELECT kind, item, old, new, note FROM history WHERE kind = 'status' ORDER BY seq DESC"
    ).fetchall()
    assert rows[0] == ("status", audit_id, status, "draft", "Spend figure was for the wrong year")


def test_sign_off_keeps_the_content_hash(store: Store, questionnaire: Questionnaire) -> None:
    audit_id = _signed_off(store, questionnaire)
    audit = store.audit(audit_id)
    assert len(audit.content_hash) == 64
    assert audit.content_hash == store.content_hash(audit_id) == content_hash(store.conn, audit_id)

    apply(store, audit_id, "reopen", reason="typo")
    store.set_answer(audit_id, "board_capability_maturity", 4)
    apply(store, audit_id, "submit", questionnaire=questionnaire)
    apply(store, audit_id, "review")
    again = apply(store, audit_id, "sign_off")
    assert again.content_hash == store.content_hash(audit_id) != audit.content_hash


def _writes(store: Store, audit_id: str) -> list[tuple[str, Callable[[], object]]]:
    row = store.rows(audit_id, "senior_roles")[0]
    second_mix = store.rows(audit_id, "workforce_mix")[1].id
    roles, mix = "senior_roles", "workforce_mix"
    return [
        ("set_answer", lambda: store.set_answer(audit_id, "board_capability_maturity", 5)),
        ("clear answer", lambda: store.set_answer(audit_id, "tech_spend_year", None)),
        ("set_comment", lambda: store.set_comment(audit_id, "cio_on_board", "late note")),
        ("insert_rows", lambda: store.insert_rows(audit_id, roles, 0, [{"post_ref": "X"}])),
        ("set_cell", lambda: store.set_cell(audit_id, row.id, "grade", "scs3")),
        ("set_cells", lambda: store.set_cells(audit_id, [(row.id, "fte", 0.5)])),
        ("delete_rows", lambda: store.delete_rows(audit_id, roles, [row.id])),
        ("move_row", lambda: store.move_row(audit_id, mix, second_mix, 0)),
        ("bulk_rows", lambda: store.bulk_rows(audit_id, "contracts", [{"supplier": "Acme"}])),
    ]


def test_signed_off_content_is_refused_by_the_store_and_allowed_after_reopening(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    _complete(store, audit_id)
    store.insert_rows(
        audit_id,
        "workforce_mix",
        1,
        [{"profession_family": "architecture", "staff_type": "permanent"}],
    )  # complete: a row with a required cell blank now stops submission (issue 15)
    apply(store, audit_id, "submit", questionnaire=questionnaire)
    apply(store, audit_id, "review")
    apply(store, audit_id, "sign_off")
    digest = store.content_hash(audit_id)
    history = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]

    for name, write in _writes(store, audit_id):
        with pytest.raises(SignedOffError, match="signed off"):
            write()
        assert store.content_hash(audit_id) == digest, name
    assert store.conn.execute("SELECT count(*) FROM history").fetchone()[0] == history

    apply(store, audit_id, "reopen", reason="Add the contracts")
    for name, write in _writes(store, audit_id):
        write()
        changed = store.content_hash(audit_id)
        assert changed != digest, name  # each write went through
        digest = changed
    assert store.answer(audit_id, "board_capability_maturity") == 5
    assert [r.cells for r in store.rows(audit_id, "contracts")] == [{"supplier": "Acme"}]


def test_the_lock_holds_for_a_plain_sqlite3_connection(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """Someone with the sqlite3 shell is refused too: the triggers guard the file itself."""
    audit_id = _signed_off(store, questionnaire)
    digest = store.content_hash(audit_id)
    conn = sqlite3.connect(store.path)
    try:
        for sql in (
            "UPDATE answers SET value = '5' WHERE audit_id = ?",
            "DELETE FROM answers WHERE audit_id = ?",
            "INSERT INTO answers (audit_id, question_id, value, updated_at)"
            " VALUES (?, 'cio_on_board', 'true', '')",
            "INSERT INTO comments (audit_id, question_id, text, updated_at)"
            " VALUES (?, 'cio_on_board', 'x', '')",
            "UPDATE table_rows SET cells = '{}' WHERE audit_id = ?",
            "UPDATE table_rows SET position = position + 1 WHERE audit_id = ?",
            "DELETE FROM table_rows WHERE audit_id = ?",
            "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
            " VALUES ('r', ?, 'contracts', 0, '{}', '')",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="signed off"):
                conn.execute(sql, [audit_id])
        conn.commit()
    finally:
        conn.close()
    assert store.content_hash(audit_id) == digest

    apply(store, audit_id, "reopen", reason="Correct the spend")
    conn = sqlite3.connect(store.path)
    try:
        conn.execute("UPDATE answers SET value = '2' WHERE audit_id = ? AND question_id ="
                     " 'governance_maturity'", [audit_id])  # fmt: skip
        conn.commit()
    finally:
        conn.close()
    assert store.answer(audit_id, "governance_maturity") == 2


def test_other_audits_stay_editable_while_one_is_signed_off(
    store: Store, questionnaire: Questionnaire
) -> None:
    signed = _signed_off(store, questionnaire)
    other = store.create_audit(store.audit(signed).department_id, "2014 review", questionnaire)
    store.set_answer(other.id, "board_capability_maturity", 1)
    store.insert_rows(other.id, "senior_roles", 0, [{"post_ref": "A"}])
    assert store.answer(other.id, "board_capability_maturity") == 1
    assert store.row_counts(other.id) == {"senior_roles": 1}
