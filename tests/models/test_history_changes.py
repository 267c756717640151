"""The history of one answer, comment or row: who changed it, when, from what to what."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from models.audit_history import (
    ELSEWHERE,
    HERE,
    MERGED,
    OUTSIDE,
    bursts,
    changes_to,
    last_signed_off,
    status_changes,
    value_text,
)
from models.history_chain import workspace_id
from models.questionnaire import Questionnaire
from models.store import Store


def _audit(store: Store, questionnaire: Questionnaire) -> str:
    dept = store.add_department("HM Revenue and Customs", "HMRC")
    return store.create_audit(dept.id, "2013 baseline", questionnaire).id


def test_an_answers_changes_newest_first_with_who_and_values(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    store.actor = "Ifeoma Bello"
    store.set_answer(audit_id, "total_tech_spend", 1000.0)
    store.actor = "Gwilym Rhys"
    store.set_answer(audit_id, "total_tech_spend", 1250000.5)
    with store.recording(note="figures from the finance team"):
        store.set_answer(audit_id, "total_tech_spend", None)
    store.set_answer(audit_id, "cio_on_board", True)  # another question: not listed

    changes = changes_to(store, audit_id, "answer", "total_tech_spend")
    assert [(c.who, c.old, c.new, c.note) for c in changes] == [
        ("Gwilym Rhys", 1250000.5, None, "figures from the finance team"),
        ("Gwilym Rhys", 1000.0, 1250000.5, ""),
        ("Ifeoma Bello", None, 1000.0, ""),
    ]
    assert all(c.sealed and c.source == HERE and not c.from_another_workspace for c in changes)
    assert changes[0].at >= changes[1].at >= changes[2].at
    assert abs(datetime.now(UTC) - changes[0].at) < timedelta(minutes=1)
    ident = workspace_id(store.conn)
    assert all(c.origin and c.origin.startswith(f"{ident}:") for c in changes)

    spend = changes[1]
    assert value_text(questionnaire, spend, spend.old) == "£1,000.00"
    assert value_text(questionnaire, spend, spend.new) == "£1,250,000.50"
    assert value_text(questionnaire, changes[0], changes[0].new) == ""


def test_comments_and_rows_cells_and_moves(store: Store, questionnaire: Questionnaire) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_comment(audit_id, "cio_on_board", "See board minutes")
    store.set_comment(audit_id, "cio_on_board", "See board minutes, March")
    comments = changes_to(store, audit_id, "comment", "cio_on_board")
    assert [(c.old, c.new) for c in comments] == [
        ("See board minutes", "See board minutes, March"),
        (None, "See board minutes"),
    ]

    first, second = store.insert_rows(
        audit_id, "senior_roles", 0, [{"post_ref": "CIO1", "grade": "scs2"}, {"post_ref": "T1"}]
    )
    store.set_cell(audit_id, second.id, "grade", "g6")
    store.move_row(audit_id, "senior_roles", second.id, 0)
    rows = changes_to(store, audit_id, "row", second.id)
    assert [(c.old, c.new, c.old_position, c.new_position) for c in rows] == [
        ({"post_ref": "T1", "grade": "g6"}, {"post_ref": "T1", "grade": "g6"}, 1, 0),
        ({"post_ref": "T1"}, {"post_ref": "T1", "grade": "g6"}, 1, 1),
        (None, {"post_ref": "T1"}, None, 1),
    ]
    assert rows[0].moved_only and not rows[1].moved_only and not rows[2].moved_only
    assert value_text(questionnaire, rows[1], rows[1].new) == "Post reference: T1; Grade: Grade 6"
    store.delete_rows(audit_id, "senior_roles", [first.id])
    gone = changes_to(store, audit_id, "row", first.id)[0]
    assert gone.new is None and gone.old == {"post_ref": "CIO1", "grade": "scs2"}


def test_changes_made_outside_the_app_are_listed_unsealed(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_answer(audit_id, "governance_maturity", 2)
    conn = sqlite3.connect(store.path)
    try:
        conn.execute(
            "UPDATE answers SET value = '5' WHERE audit_id = ? AND question_id = ?",
            [audit_id, "governance_maturity"],
        )
        conn.commit()
    finally:
        conn.close()
    changes = changes_to(store, audit_id, "answer", "governance_maturity")
    assert [(c.old, c.new, c.sealed, c.source) for c in changes] == [
        (2, 5, False, OUTSIDE),
        (None, 2, True, HERE),
    ]
    assert changes[0].who == "" and changes[0].origin is None


def test_changes_taken_in_from_another_workspace_are_included_once(
    store: Store, questionnaire: Questionnaire
) -> None:
    """A merge writes their value as not ours (no origin) and keeps their change ids."""
    audit_id = _audit(store, questionnaire)
    store.actor = "Ana Costa"
    store.set_answer(audit_id, "user_needs_maturity", 1)
    ours = changes_to(store, audit_id, "answer", "user_needs_maturity")[0].origin
    assert ours is not None
    with store.recording(note="merged from laptop.baseline-package", own=False):
        store.set_answer(audit_id, "user_needs_maturity", 3)
    earlier = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    store.conn.executemany(
        "INSERT INTO absorbed_changes (audit_id, origin, kind, item, question_id, old, new,"
        " who, at, note) VALUES (?, ?, 'answer', 'user_needs_maturity', 'user_needs_maturity',"
        " ?, ?, ?, ?, '')",
        [
            (audit_id, "other-workspace:17", "1", "3", "Tomos Pryce", earlier),
            (audit_id, ours, None, "1", "Ana Costa", earlier),  # ours, come back round
        ],
    )
    store.conn.execute(
        "INSERT INTO absorbed_changes (audit_id, origin, kind, item, question_id, old, new,"
        " who, at) VALUES (?, 'other-workspace:18', 'answer', 'cio_on_board', 'cio_on_board',"
        " NULL, 'true', 'Tomos Pryce', ?)",
        [audit_id, earlier],
    )
    changes = changes_to(store, audit_id, "answer", "user_needs_maturity")
    assert [(c.who, c.old, c.new, c.source) for c in changes] == [
        ("Ana Costa", 1, 3, MERGED),
        ("Ana Costa", None, 1, HERE),
        ("Tomos Pryce", 1, 3, ELSEWHERE),
    ]
    assert changes[0].note == "merged from laptop.baseline-package"
    assert changes[2].from_another_workspace and changes[2].sealed
    assert changes[2].origin == "other-workspace:17"
    assert [c.origin for c in changes].count(ours) == 1


def test_the_status_timeline_and_the_last_sign_off(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    assert [(c.old, c.new) for c in status_changes(store, audit_id)] == [(None, "draft")]
    assert last_signed_off(store, audit_id) is None
    store.actor = "Morwenna Hale"
    store.set_status(audit_id, "submitted")
    store.set_status(audit_id, "signed_off")
    store.actor = "Deepak Rao"
    store.set_status(audit_id, "draft", note="wrong year's spend")
    store.set_status(audit_id, "signed_off")
    timeline = status_changes(store, audit_id)[1:]  # after its creation
    assert [(c.old, c.new, c.who, c.note) for c in timeline] == [
        ("draft", "submitted", "Morwenna Hale", ""),
        ("submitted", "signed_off", "Morwenna Hale", ""),
        ("signed_off", "draft", "Deepak Rao", "wrong year's spend"),
        ("draft", "signed_off", "Deepak Rao", ""),
    ]
    signed = last_signed_off(store, audit_id)
    assert signed == timeline[-1]
    assert value_text(questionnaire, timeline[1], timeline[1].new) == "Signed off"


def test_a_burst_of_typing_reads_as_one_change(store: Store, questionnaire: Questionnaire) -> None:
    """The form stores each keystroke; the history reads "from what to what"."""
    audit_id = _audit(store, questionnaire)
    store.actor = "Carys Lloyd"
    store.set_answer(audit_id, "digital_leader_post", "Dire")
    for text in ("Direc", "Director", "Director General"):
        store.set_answer(audit_id, "digital_leader_post", text)
    store.actor = "Obi Nwosu"
    store.set_answer(audit_id, "digital_leader_post", "Director General, Digital")
    store.set_answer(audit_id, "digital_leader_post", "Director General, Digital (x")
    store.set_answer(audit_id, "digital_leader_post", "Director General, Digital")
    recorded = changes_to(store, audit_id, "answer", "digital_leader_post")
    assert len(recorded) == 7
    assert [(c.who, c.old, c.new) for c in bursts(recorded)] == [
        ("Obi Nwosu", "Director General", "Director General, Digital"),
        ("Carys Lloyd", None, "Director General"),
    ]
    # Typed and then taken back within the burst: nothing changed, nothing listed.
    undone = [c for c in recorded if c.who == "Obi Nwosu"][:2]
    assert bursts(undone) == []
    # Far apart in time: two changes.
    apart = [recorded[0], replace(recorded[1], at=recorded[1].at - timedelta(minutes=5))]
    assert len(bursts(apart)) == 2
