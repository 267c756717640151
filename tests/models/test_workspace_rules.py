"""The optional workspace rule: whoever submits an audit may not sign it off."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.lifecycle import LifecycleError, apply
from models.migrations import LATEST_VERSION
from models.questionnaire import Questionnaire
from models.store import Store, WorkspaceError
from models.workspace_rules import separate_sign_off, set_separate_sign_off, submitted_by
from tests.models.test_lifecycle import _audit, _complete


def _reviewed(store: Store, questionnaire: Questionnaire, submitter: str) -> str:
    audit_id = _audit(store, questionnaire)
    _complete(store, audit_id)
    store.actor = submitter
    apply(store, audit_id, "submit", questionnaire=questionnaire)
    store.actor = "R. Reviewer"
    apply(store, audit_id, "review")
    return audit_id


def test_off_by_default_the_submitter_may_sign_off(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    with Store(tmp_path / "w.sqlite") as store:
        audit_id = _reviewed(store, questionnaire, "A. Auditor")
        assert not separate_sign_off(store)
        store.actor = "A. Auditor"
        assert apply(store, audit_id, "sign_off").status == "signed_off"


def test_with_the_rule_on_the_submitter_is_refused_and_someone_else_signs(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "w.sqlite"
    with Store(path) as store:
        set_separate_sign_off(store, True)
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        audit_id = _reviewed(store, questionnaire, "A. Auditor")
        assert submitted_by(store, audit_id) == "A. Auditor"
        store.actor = " a. auditor "  # the same name, typed differently
        with pytest.raises(LifecycleError, match="requires someone else to sign it off"):
            apply(store, audit_id, "sign_off")
        assert store.audit(audit_id).status == "reviewed"
    with Store(path) as store:  # the rule is the workspace's: it survives reopening
        assert separate_sign_off(store)
        assert version == LATEST_VERSION  # kept in meta: no schema change
        store.actor = "B. Signer"
        assert apply(store, audit_id, "sign_off").status == "signed_off"
        set_separate_sign_off(store, False)
        assert not separate_sign_off(store)


def test_a_read_only_workspace_cannot_change_its_rule(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "w.sqlite"
    Store(path).close()
    with Store(path, read_only=True) as store, pytest.raises(WorkspaceError):
        set_separate_sign_off(store, True)
