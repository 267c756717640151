"""The store tells its listeners after every commit, which audits it changed, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.change_events import WorkspaceChange
from models.questionnaire import Questionnaire
from models.store import Store


def heard(store: Store) -> list[WorkspaceChange]:
    changes: list[WorkspaceChange] = []
    store.changes.add(changes.append)
    return changes


def test_each_write_is_heard_once_naming_the_audits_it_changed(
    store: Store, questionnaire: Questionnaire
) -> None:
    changes = heard(store)
    dept = store.add_department("Home Office", "HO")
    assert changes == [WorkspaceChange(frozenset(), "add the department")]
    assert changes[-1].lists_changed()
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    assert changes[-1] == WorkspaceChange(
        frozenset({audit.id}), "create the audit", frozenset({"status"})
    )
    assert changes[-1].lists_changed()
    store.set_answer(audit.id, "board_capability_maturity", 3)
    assert changes[-1].audit_ids == {audit.id} and not changes[-1].lists_changed()
    copied = store.copy_forward(audit.id, "2014 review", questionnaire, "Ann")
    assert changes[-1].audit_ids == {copied.id} and changes[-1].lists_changed()
    store.set_audit_fields(audit.id, auditor="Bea")  # an audit field: history names the item
    assert changes[-1].audit_ids == {audit.id} and changes[-1].kinds == {"audit"}
    assert changes[-1].lists_changed()
    store.rename_department(dept.id, "Home Office (renamed)")  # history names the department
    assert changes[-1].audit_ids == frozenset() and changes[-1].kinds == {"department"}
    assert changes[-1].lists_changed()
    assert len(changes) == 6


def test_nested_writes_are_heard_once_after_the_outer_commit(
    store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Home Office")
    first = store.create_audit(dept.id, "2013", questionnaire)
    second = store.create_audit(dept.id, "2014", questionnaire)
    changes = heard(store)
    with store.transaction("both"):
        store.set_answer(first.id, "board_capability_maturity", 2)
        store.set_answer(second.id, "board_capability_maturity", 4)
        assert changes == []  # nothing is heard before the commit
    assert [(c.audit_ids, c.action) for c in changes] == [({first.id, second.id}, "both")]
    assert not changes[0].lists_changed()  # answers only


def test_a_write_rolled_back_is_not_heard(store: Store, questionnaire: Questionnaire) -> None:
    dept = store.add_department("Home Office")
    audit = store.create_audit(dept.id, "2013", questionnaire)
    changes = heard(store)
    with pytest.raises(RuntimeError), store.transaction("fails"):
        store.set_answer(audit.id, "board_capability_maturity", 2)
        raise RuntimeError("stop")
    assert changes == []


def test_keeping_figures_is_not_a_change_anyone_sees(
    store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Home Office")
    audit = store.create_audit(dept.id, "2013", questionnaire)
    changes = heard(store)
    store.cache_figures([(audit.id, "fingerprint", "{}")])
    assert store.cached_figures(audit.id, "fingerprint") == "{}"
    assert changes == []


def test_a_listener_removed_hears_nothing_and_a_store_without_listeners_costs_nothing(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "w.sqlite") as store:
        changes = heard(store)
        store.changes.remove(changes.append)
        assert not store.changes
        store.add_department("Home Office")
        assert changes == []
