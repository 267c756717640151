"""The compare view's other mode: one audit against itself at a past moment."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt

from models.questionnaire import current_questionnaire
from models.store import Store
from ui.compare_view import CompareView


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[tuple[Store, str, datetime]]:
    """One audit answered, a moment noted, then an answer changed and a role added."""
    store = Store(tmp_path / "w.sqlite")
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
    store.set_answer(audit.id, "cio_on_board", False)
    store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "DIG-01"}])
    time.sleep(1.1)  # the picker and the summary work to the minute; history to the ms
    moment = datetime.now()
    time.sleep(0.05)
    store.set_answer(audit.id, "cio_on_board", True)
    store.insert_rows(audit.id, "senior_roles", 1, [{"post_ref": "DIG-02"}])
    yield store, audit.id, moment
    store.close()


def test_what_changed_since_a_moment_is_shown(qtbot, edited) -> None:
    store, audit_id, moment = edited
    view = CompareView(store)
    qtbot.addWidget(view)
    comparison = view.compare_since(audit_id, moment)
    assert comparison is not None
    assert view.past.isChecked() and not view.old_audit.isEnabled()
    text = view.summary.text()
    assert text.startswith("2014 review on ") and "→ 2014 review now" in text
    assert "1 answer changed" in text and "1 role added" in text
    assert view.answers_model is not None
    assert "cio_on_board" in [a.question_id for a in comparison.answers]


def test_ticking_the_option_by_keyboard_compares_with_the_past(qtbot, edited) -> None:
    store, audit_id, moment = edited
    view = CompareView(store)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.summary.text() != "", timeout=2000)
    assert "only one audit" in view.summary.text()  # two audits are needed otherwise
    view.moment.setDateTime(QDateTime(moment))
    view.past.setFocus()
    qtbot.keyClick(view.past, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "now" in view.summary.text(), timeout=2000)
    assert "1 answer changed" in view.summary.text()
    # an edit made elsewhere shows once the view is told
    store.set_answer(audit_id, "digital_leader_nominated", True)
    view.audit_changed(audit_id)
    assert "1 answer changed, 1 answer added" in view.summary.text()


def test_comparing_two_audits_after_a_past_moment_leaves_the_past_mode(qtbot, edited) -> None:
    """compare() after compare_since() shows two audits, and edits re-run that comparison."""
    store, audit_id, moment = edited
    dept = store.audit(audit_id).department_id
    later = store.create_audit(dept, "2015 review", current_questionnaire())
    view = CompareView(store)
    qtbot.addWidget(view)
    view.compare_since(audit_id, moment)
    comparison = view.compare(audit_id, later.id)
    assert comparison is not None
    assert not view.past.isChecked() and view.old_audit.isEnabled()
    store.set_answer(later.id, "cio_on_board", False)
    view.audit_changed(later.id)
    assert view.summary.text().startswith("2014 review → 2015 review")
