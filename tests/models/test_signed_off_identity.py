"""A signed-off audit's department, cycle and auditor stay what its sign-off covered, on
every door: the store's own writes, raw SQL (migration v9's trigger) and merges."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from models.content_hash import content_hash, sign_off_record
from models.history_chain import seal
from models.migrations import LATEST_VERSION, migrate
from models.questionnaire import Questionnaire
from models.store import SignedOffError, Store
from models.verify import verify
from tests.models.test_merge import Pair


@pytest.fixture
def pair(tmp_path: Path, questionnaire: Questionnaire) -> Iterator[Pair]:
    shared = Pair(tmp_path, questionnaire)
    yield shared
    shared.close()


def _raw_updates(path: Path, audit_id: str) -> list[str]:
    """Which of the audit's identity columns raw SQL could change (none, while signed off)."""
    changed = []
    conn = sqlite3.connect(path)
    try:
        for column, value in (
            ("auditor", "Mallory"),
            ("cycle", "2099 review"),
            ("department_name", "Elsewhere"),
            ("department_id", "other"),
        ):
            try:
                conn.execute(f"UPDATE audits SET {column} = ? WHERE id = ?", [value, audit_id])
                changed.append(column)
            except sqlite3.IntegrityError as exc:
                assert "baseline: the audit is signed off" in str(exc)
        conn.rollback()
    finally:
        conn.close()
    return changed


def test_a_signed_off_audit_refuses_a_new_auditor_until_reopened(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "Ann").id
        store.set_status(audit, "signed_off")
        history = store.conn.execute("SELECT count(*) FROM history").fetchone()
        with pytest.raises(SignedOffError):
            store.set_audit_fields(audit, auditor="Mallory")
        assert store.audit(audit).auditor == "Ann"
        assert store.conn.execute("SELECT count(*) FROM history").fetchone() == history
        assert _raw_updates(store.path, audit) == []
        assert verify(store).ok
        store.set_status(audit, "draft", note="a new auditor")
        store.set_audit_fields(audit, auditor="Bea")  # reopened: it may change
        assert store.audit(audit).auditor == "Bea"
        assert verify(store).ok


def test_a_v8_workspace_upgrades_with_its_signed_off_audit_locked(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    migrate(sqlite_utils.Database(conn), 0, 8)
    now = "2024-01-01T00:00:00"
    conn.execute("BEGIN")
    conn.execute("INSERT INTO departments VALUES ('d1', 'Home Office', '', '', ?)", [now])
    conn.execute(
        "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
        " questionnaire_version, auditor, created_at, updated_at) VALUES"
        " ('a1', 'd1', 'Home Office', '2013', 'baseline', 1, 'Ann', ?, ?)",
        [now, now],
    )
    conn.execute("INSERT INTO answers VALUES ('a1', 'board_tech_expert_count', '3', ?)", [now])
    digest = content_hash(conn, "a1")
    conn.execute(
        "UPDATE audits SET status = 'signed_off', content_hash = ?, signed_as = ? WHERE id = 'a1'",
        [digest, sign_off_record(conn, "a1", digest)],
    )
    seal(conn, 0, "ann")
    conn.execute("COMMIT")
    assert _raw_updates(path, "a1") == ["auditor", "cycle", "department_name", "department_id"]
    conn.close()
    with Store(path) as upgraded:
        assert upgraded.schema_version == LATEST_VERSION == 9
        assert verify(upgraded).ok, verify(upgraded).text()
        with pytest.raises(SignedOffError):
            upgraded.set_audit_fields("a1", auditor="Mallory")
    assert _raw_updates(path, "a1") == []


def test_a_package_reopened_there_with_a_new_auditor_merges_into_a_signed_off_audit(
    pair: Pair,
) -> None:
    """Reopened in the package and given a new auditor: the reopen is taken first, then the
    auditor, so the audit here ends as the package has it."""
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_status(audit, "signed_off")
    pair.send(a, b)
    a.set_status(audit, "draft", note="auditor left")
    a.set_audit_fields(audit, auditor="Ann Smith")
    pair.send(a, b)
    assert (b.audit(audit).status, b.audit(audit).auditor) == ("draft", "Ann Smith")
    assert verify(b).ok, verify(b).text()
