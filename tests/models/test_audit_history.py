"""An audit as it stood at a past moment, rebuilt from the changes the triggers record."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import pytest

from models.audit_compare import NothingToCompare
from models.audit_history import compare_with_past, content_at, recorded_since
from models.questionnaire import Questionnaire
from models.store import Store

ROLES = "senior_roles"


def moment() -> datetime:
    """Now, with a little room either side so edits fall clearly before or after it."""
    time.sleep(0.01)
    now = datetime.now(UTC)
    time.sleep(0.01)
    return now


def test_an_audit_as_it_stood_between_edits(store: Store, questionnaire: Questionnaire) -> None:
    """Answers, comments, rows and cells come back as they were; later changes undone."""
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2014 review", questionnaire)
    store.set_answer(audit.id, "cio_on_board", False)
    store.set_comment(audit.id, "cio_on_board", "No CIO yet.")
    kept, gone = store.insert_rows(
        audit.id, ROLES, 0, [{"post_ref": "DIG-01", "grade": "scs2"}, {"post_ref": "DIG-02"}]
    )
    then = moment()
    store.set_answer(audit.id, "cio_on_board", True)
    store.set_answer(audit.id, "digital_leader_nominated", True)
    store.set_comment(audit.id, "cio_on_board", "")
    store.set_cell(audit.id, kept.id, "grade", "scs3")
    store.delete_rows(audit.id, ROLES, [gone.id])
    store.insert_rows(audit.id, ROLES, 1, [{"post_ref": "DIG-03"}])

    past = content_at(store, audit.id, [ROLES], then)
    assert past.answers == {"cio_on_board": False}
    assert past.comments == {"cio_on_board": "No CIO yet."}
    assert [r.cells for r in past.tables[ROLES]] == [
        {"post_ref": "DIG-01", "grade": "scs2"},
        {"post_ref": "DIG-02"},
    ]
    now = content_at(store, audit.id, [ROLES], datetime.now(UTC))
    assert now.answers == {"cio_on_board": True, "digital_leader_nominated": True}
    assert [r.cells["post_ref"] for r in now.tables[ROLES]] == ["DIG-01", "DIG-03"]


def test_what_changed_since_a_moment(store: Store, questionnaire: Questionnaire) -> None:
    """The compare view's "same audit before and after a date": each change in its place."""
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2014 review", questionnaire)
    store.set_answer(audit.id, "cio_on_board", False)
    first, second = store.insert_rows(
        audit.id, ROLES, 0, [{"post_ref": "A1", "grade": "g6"}, {"post_ref": "A2"}]
    )
    then = moment()
    store.set_answer(audit.id, "cio_on_board", True)
    store.set_cell(audit.id, first.id, "grade", "scs1")
    store.delete_rows(audit.id, ROLES, [second.id])
    store.insert_rows(audit.id, ROLES, 1, [{"post_ref": "A3"}])

    comparison = compare_with_past(store, audit.id, then)
    assert comparison.old.cycle.startswith("2014 review on ")
    assert comparison.new.cycle == "2014 review now"
    assert [(a.question_id, a.kind) for a in comparison.answers] == [("cio_on_board", "changed")]
    roles = comparison.table(ROLES)
    assert roles.counts_text() == "1 added, 1 removed, 1 changed"


def test_changes_made_behind_the_apps_back_are_recorded(
    store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Cabinet Office", "CO")
    audit = store.create_audit(dept.id, "2014 review", questionnaire)
    store.set_answer(audit.id, "cio_on_board", True)
    then = moment()
    with sqlite3.connect(store.path) as raw:
        raw.execute("UPDATE answers SET value = 'false' WHERE audit_id = ?", [audit.id])
    assert content_at(store, audit.id, [], then).answers == {"cio_on_board": True}
    assert store.answers(audit.id) == {"cio_on_board": False}


def test_an_audit_with_nothing_recorded_has_nothing_to_compare(
    store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("HM Treasury", "HMT")
    audit = store.create_audit(dept.id, "2014 review", questionnaire)
    assert recorded_since(store, audit.id) is None
    with pytest.raises(NothingToCompare, match="nothing to compare"):
        compare_with_past(store, audit.id, datetime.now(UTC))
    store.set_answer(audit.id, "cio_on_board", True)
    since = recorded_since(store, audit.id)
    assert since is not None and abs((datetime.now(UTC) - since).total_seconds()) < 60
