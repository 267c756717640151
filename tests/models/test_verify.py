"""verify names each edit made behind the app's back, with its audit and record; an untouched
workspace (built by hand, the demo, one upgraded from schema v4) verifies clean.

Every tampering goes through a plain sqlite3 connection, as someone with the sqlite3 shell.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from models.demo import write_demo
from models.history_chain import CHAINED, GENESIS, link_hash
from models.migrations import migrate
from models.questionnaire import Questionnaire
from models.store import Store
from models.verify import (
    CHAIN,
    CONTENT,
    DATABASE,
    OUTSIDE,
    SIGNED_OFF,
    WORKSPACE,
    Problem,
    VerifyReport,
    verify,
)

HO_2013 = "Home Office — 2013 baseline"
HO_2014 = "Home Office — 2014 review"
CIO = "(cio_on_board)"


@dataclass
class Workspace:
    """A small workspace with every kind of recorded change, and its ids."""

    path: Path
    draft: str  # the 2013 audit: answers, a comment, three role rows, edits and a move
    signed: str  # the 2014 audit, signed off
    rows: list[str]  # the draft's role rows, in the order they were added


@pytest.fixture
def workspace(tmp_path: Path, questionnaire: Questionnaire) -> Workspace:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "P. Okafor")
        store.set_answer(audit.id, "cio_on_board", True)
        store.set_answer(audit.id, "digital_leader_post", "Director General ŵ")
        store.set_comment(audit.id, "cio_on_board", "Seen in the March minutes")
        rows = store.insert_rows(
            audit.id,
            "senior_roles",
            0,
            [{"post_ref": "DIG-01"}, {"post_ref": "DIG-02"}, {"post_ref": "DIG-03"}],
        )
        store.set_cell(audit.id, rows[1].id, "post_ref", "DIG-2B")
        store.move_row(audit.id, "senior_roles", rows[2].id, 0)
        store.set_answer(audit.id, "digital_leader_post", "Director General, Digital")
        signed = store.create_audit(dept.id, "2014 review", questionnaire, "R. Huws")
        store.set_answer(signed.id, "cio_on_board", True)
        store.set_status(signed.id, "signed_off")
    return Workspace(path, audit.id, signed.id, [r.id for r in rows])


def shell(path: Path, *statements: str, put_back: bool = True) -> None:
    """Run SQL as the sqlite3 shell would: no app, no seal, committed.

    A trigger dropped to get round it is put back afterwards, as a careful forger would,
    unless `put_back` is False (then verify reports the missing trigger as well).
    """
    conn = sqlite3.connect(path)
    try:
        dropped = []
        for sql in statements:
            if sql.startswith("DROP TRIGGER "):
                name = sql.removeprefix("DROP TRIGGER ").strip()
                dropped += conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
                ).fetchall()
            conn.execute(sql)
        if put_back:
            for (definition,) in dropped:
                conn.execute(definition)
        conn.commit()
    finally:
        conn.close()


def query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def seq_of(path: Path, audit_id: str, kind: str, item: str, which: str = "max") -> int:
    rows = query(
        path,
        f"SELECT {which}(seq) FROM history WHERE audit_id = ? AND kind = ? AND item = ?",
        audit_id,
        kind,
        item,
    )
    return int(rows[0][0])


def check(path: Path) -> VerifyReport:
    with Store(path, read_only=True) as store:
        return verify(store)


def only(report: VerifyReport, count: int = 1) -> list[Problem]:
    assert len(report.problems) == count, [
        (p.check, p.audit, p.record, p.problem) for p in report.problems
    ]
    return report.problems


# ---------------------------------------------------------------- clean workspaces
def test_an_untouched_workspace_verifies_clean(workspace: Workspace) -> None:
    report = check(workspace.path)
    assert report.problems == []
    assert report.ok and report.chain_intact
    changes = int(query(workspace.path, "SELECT count(*) FROM history")[0][0])
    assert (report.audits, report.changes, report.sealed, report.signed_off) == (
        2, changes, changes, 1,
    )  # fmt: skip
    assert report.summary() == f"OK: 2 audits, {changes} recorded changes, chain intact"


def test_the_demo_workspace_verifies_clean(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    with Store(path, durable=False) as store:
        audits = write_demo(store)  # the demo as `python main.py demo` writes it
    report = check(path)
    assert report.problems == []
    assert (report.audits, report.signed_off) == (audits, audits // 2)
    assert report.changes > 100


def write_v4_workspace(path: Path) -> None:
    """A workspace as schema v4 left it: history recorded by triggers, no chain, no sign-off
    lock; one audit signed off."""
    conn = sqlite3.connect(path)
    migrate(sqlite_utils.Database(conn), 0, target=4)
    conn.execute(
        "INSERT INTO departments (id, name, abbreviation, govuk_id, created_at)"
        " VALUES ('d1', 'Home Office', 'HO', 'home-office', '2013-01-02T00:00:00')"
    )
    for audit_id, cycle, status in (
        ("a1", "2013 baseline", "signed_off"),
        ("a2", "2014 review", "draft"),
    ):
        conn.execute(
            "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
            " questionnaire_version, status, auditor, created_at, updated_at)"
            " VALUES (?, 'd1', 'Home Office', ?, 'board-technology-baseline', 1, ?,"
            " 'P. Okafor', '2013-01-02T00:00:00', '2013-01-03T00:00:00')",
            [audit_id, cycle, status],
        )
        conn.execute(
            "INSERT INTO answers VALUES (?, 'cio_on_board', 'true', '2013-01-03T00:00:00')",
            [audit_id],
        )
        conn.execute(
            "INSERT INTO table_rows VALUES (?, ?, 'senior_roles', 0,"
            " '{\"post_ref\":\"DIG-01\"}', '2013-01-03T00:00:00')",
            [f"r-{audit_id}", audit_id],
        )
    conn.execute("UPDATE answers SET value = 'false' WHERE audit_id = 'a2'")
    conn.execute("INSERT INTO comments VALUES ('a2', 'cio_on_board', 'Checked', '2013-01-04')")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()


def test_a_workspace_upgraded_from_v4_verifies_clean_and_then_catches_tampering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    write_v4_workspace(path)
    with Store(path) as store:  # upgraded to the chain
        store.set_answer("a2", "digital_leader_post", "Director General")
    report = check(path)
    assert report.problems == []
    assert (report.audits, report.signed_off) == (2, 1)
    assert report.changes == report.sealed >= 6

    shell(
        path,
        "UPDATE answers SET value = 'true' WHERE audit_id = 'a2' AND question_id = 'cio_on_board'",
    )
    (problem,) = only(check(path))
    assert (problem.check, problem.audit_id, problem.audit) == (OUTSIDE, "a2", HO_2014)
    assert problem.record.endswith(CIO)
    assert problem.problem.endswith("from No to Yes")


# ---------------------------------------------------------------- 2. changes outside the app
def test_a_value_updated_in_the_shell_is_reported_with_its_audit_record_and_time(
    workspace: Workspace,
) -> None:
    shell(
        workspace.path,
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.draft}'"
        " AND question_id = 'cio_on_board'",
    )
    seq, at = query(workspace.path, "SELECT seq, at FROM history WHERE hash IS NULL")[0]
    (problem,) = only(check(workspace.path))
    assert problem.check == OUTSIDE
    assert (problem.audit_id, problem.audit) == (workspace.draft, HO_2013)
    assert problem.record.startswith("answer to 'Does a Chief Information Officer")
    assert problem.record.endswith(CIO)
    assert problem.problem == f"changed outside the app (history entry {seq}): from Yes to No"
    assert (problem.when, problem.seq) == (at, seq)
    assert problem.when_text == f"{str(at)[:10]} {str(at)[11:19]} UTC"


def test_rows_reordered_in_the_shell_are_reported_as_moved(workspace: Workspace) -> None:
    # DIG-03 was moved to the top in the app; swap the first two rows behind its back
    first, second = workspace.rows[2], workspace.rows[0]
    shell(
        workspace.path,
        f"UPDATE table_rows SET position = 1 - position WHERE id IN ('{first}', '{second}')",
    )
    problems = only(check(workspace.path), 2)
    assert {p.check for p in problems} == {OUTSIDE}
    assert {p.audit_id for p in problems} == {workspace.draft}
    by_record = {p.record: p.problem for p in problems}
    assert set(by_record) == {
        f"row 2 of Senior technology roles (row id {first})",
        f"row 1 of Senior technology roles (row id {second})",
    }
    assert by_record[f"row 2 of Senior technology roles (row id {first})"].endswith(
        "moved from row 1 to row 2"
    )
    assert by_record[f"row 1 of Senior technology roles (row id {second})"].endswith(
        "moved from row 2 to row 1"
    )


def test_a_status_set_in_the_shell_is_reported_and_the_missing_content_hash_too(
    workspace: Workspace,
) -> None:
    shell(workspace.path, f"UPDATE audits SET status = 'signed_off' WHERE id = '{workspace.draft}'")
    problems = only(check(workspace.path), 2)
    assert {(p.check, p.audit_id) for p in problems} == {
        (OUTSIDE, workspace.draft),
        (SIGNED_OFF, workspace.draft),
    }
    status = next(p for p in problems if p.check == OUTSIDE)
    assert status.record == "status of the audit"
    assert status.problem.endswith("from Draft to Signed off")
    missing = next(p for p in problems if p.check == SIGNED_OFF)
    assert "signed off but has no content hash" in missing.problem


# ---------------------------------------------------------------- 3. content vs history
def test_a_value_updated_with_the_history_triggers_dropped_is_reported(
    workspace: Workspace,
) -> None:
    seq = seq_of(workspace.path, workspace.draft, "answer", "digital_leader_post")
    shell(
        workspace.path,
        "DROP TRIGGER answers_update_history",
        "UPDATE answers SET value = '\"Nobody\"' WHERE question_id = 'digital_leader_post'",
    )
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id, problem.seq) == (CONTENT, workspace.draft, seq)
    assert problem.record.endswith("(digital_leader_post)")
    assert problem.problem.startswith(
        'holds "Nobody", but its recorded history says "Director General, Digital"'
    )
    assert f"(history entry {seq})" in problem.problem


def test_rows_reordered_with_the_triggers_dropped_are_reported(workspace: Workspace) -> None:
    first, second = workspace.rows[2], workspace.rows[0]
    shell(
        workspace.path,
        "DROP TRIGGER table_rows_update_history",
        f"UPDATE table_rows SET position = 1 - position WHERE id IN ('{first}', '{second}')",
    )
    problems = only(check(workspace.path), 2)
    assert {(p.check, p.audit_id) for p in problems} == {(CONTENT, workspace.draft)}
    by_record = {p.record: p.problem for p in problems}
    moved = by_record[f"row 2 of Senior technology roles (row id {first})"]
    assert moved.startswith("is row 2, but its recorded history puts it at row 1")
    back = by_record[f"row 1 of Senior technology roles (row id {second})"]
    assert back.startswith("is row 1, but its recorded history puts it at row 2")


def test_a_row_deleted_with_the_triggers_dropped_is_reported_missing(
    workspace: Workspace,
) -> None:
    row = workspace.rows[1]
    shell(
        workspace.path,
        "DROP TRIGGER table_rows_delete_history",
        f"DELETE FROM table_rows WHERE id = '{row}'",
    )
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id) == (CONTENT, workspace.draft)
    assert problem.record == f"row 3 of Senior technology roles (row id {row})"
    assert problem.problem.startswith('is missing, but its recorded history says it holds {"')
    assert "DIG-2B" in problem.problem


def test_an_answer_added_with_the_triggers_dropped_is_reported(workspace: Workspace) -> None:
    shell(
        workspace.path,
        "DROP TRIGGER answers_insert_history",
        f"INSERT INTO answers VALUES ('{workspace.draft}', 'digital_leader_on_board', 'true', '')",
    )
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id) == (CONTENT, workspace.draft)
    assert problem.record.startswith("answer to ")
    assert problem.record.endswith("(digital_leader_on_board)")
    assert problem.problem.startswith("is not in the recorded history")


# ---------------------------------------------------------------- 1. the chain
def test_an_edited_history_entry_is_reported(workspace: Workspace) -> None:
    # the first answer to digital_leader_post; a later change follows it, so content agrees
    seq = seq_of(workspace.path, workspace.draft, "answer", "digital_leader_post", "min")
    shell(workspace.path, f"UPDATE history SET new = '\"Permanent Secretary\"' WHERE seq = {seq}")
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id, problem.audit) == (CHAIN, workspace.draft, HO_2013)
    assert problem.record.startswith(f"history entry {seq} (answer to ")
    assert problem.record.endswith("(digital_leader_post))")
    assert problem.problem == "was changed after it was recorded: it no longer matches its seal"
    assert problem.seq == seq


def test_content_changed_and_history_edited_to_match_is_reported_on_the_entry(
    workspace: Workspace,
) -> None:
    seq = seq_of(workspace.path, workspace.draft, "answer", "cio_on_board")
    shell(
        workspace.path,
        "DROP TRIGGER answers_update_history",
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.draft}'"
        " AND question_id = 'cio_on_board'",
        f"UPDATE history SET new = 'false' WHERE seq = {seq}",
    )
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id, problem.seq) == (CHAIN, workspace.draft, seq)
    assert problem.record.endswith(f"{CIO})")


def test_a_deleted_history_entry_is_reported(workspace: Workspace) -> None:
    seq = seq_of(workspace.path, workspace.draft, "answer", "digital_leader_post", "min")
    shell(workspace.path, f"DELETE FROM history WHERE seq = {seq}")
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id, problem.audit) == (CHAIN, "", WORKSPACE)
    assert problem.record == f"history entry {seq}"
    assert problem.problem.startswith(f"was deleted: entry {seq + 1}, which followed")
    assert not check(workspace.path).chain_intact


def test_the_latest_history_entries_deleted_are_reported(workspace: Workspace) -> None:
    last = int(query(workspace.path, "SELECT max(seq) FROM history")[0][0])
    shell(workspace.path, f"DELETE FROM history WHERE seq >= {last - 1}")  # sign-off, answer
    problems = only(check(workspace.path), 3)
    removed = next(p for p in problems if p.check == CHAIN)
    assert (removed.audit, removed.record) == (WORKSPACE, f"history entries {last - 1}–{last}")
    assert removed.problem.startswith("the latest recorded changes were removed")
    # the 2014 answer's only recorded change went with them
    unrecorded = next(p for p in problems if p.check == CONTENT and p.seq == 0)
    assert unrecorded.audit_id == workspace.signed
    assert unrecorded.record.endswith(CIO)
    assert unrecorded.problem.startswith("is not in the recorded history")
    # and so did the sign-off: the status now disagrees with the creation left behind
    status = next(p for p in problems if p.check == CONTENT and p.seq != 0)
    assert status.audit_id == workspace.signed
    assert status.problem.startswith("is Signed off, but its recorded history says Draft")


def test_reordered_history_entries_are_reported_as_moved(workspace: Workspace) -> None:
    first = seq_of(workspace.path, workspace.draft, "comment", "cio_on_board")
    second = first + 1  # the first role row added
    shell(
        workspace.path,
        f"UPDATE history SET seq = -1 WHERE seq = {first}",
        f"UPDATE history SET seq = {first} WHERE seq = {second}",
        f"UPDATE history SET seq = {second} WHERE seq = -1",
    )
    problems = only(check(workspace.path), 2)
    assert {(p.check, p.audit_id) for p in problems} == {(CHAIN, workspace.draft)}
    by_seq = {p.seq: p for p in problems}
    assert by_seq[first].record.startswith(f"history entry {first} (row ")
    assert by_seq[first].problem.startswith(f"was moved: it was recorded as entry {second}")
    assert by_seq[second].record.startswith(f"history entry {second} (comment on ")
    assert by_seq[second].problem.startswith(f"was moved: it was recorded as entry {first}")


def test_independent_breaks_are_each_reported(workspace: Workspace) -> None:
    early = seq_of(workspace.path, workspace.draft, "answer", "digital_leader_post", "min")
    late = seq_of(workspace.path, workspace.signed, "answer", "cio_on_board")
    shell(
        workspace.path,
        f"UPDATE history SET at = '2012-01-01T00:00:00.000' WHERE seq = {early}",
        f"UPDATE history SET who = 'someone else' WHERE seq = {late}",
    )
    problems = only(check(workspace.path), 2)
    assert [(p.check, p.seq) for p in sorted(problems, key=lambda p: p.seq)] == [
        (CHAIN, early),
        (CHAIN, late),
    ]
    assert {p.audit_id for p in problems} == {workspace.draft, workspace.signed}


def test_a_deleted_unsealed_entry_hides_nothing(workspace: Workspace) -> None:
    shell(
        workspace.path,
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.draft}'"
        " AND question_id = 'cio_on_board'",
    )
    ((seq,),) = query(workspace.path, "SELECT seq FROM history WHERE hash IS NULL")
    shell(workspace.path, f"DELETE FROM history WHERE seq = {seq}")
    problems = only(check(workspace.path), 2)
    deleted = next(p for p in problems if p.check == CHAIN)
    assert (deleted.record, deleted.audit) == (f"history entry {seq}", WORKSPACE)
    assert "outside the app" in deleted.problem
    content = next(p for p in problems if p.check == CONTENT)
    assert content.audit_id == workspace.draft and content.record.endswith(CIO)
    assert content.problem.startswith("holds No, but its recorded history says Yes")


def test_a_removed_record_of_the_chain_end_is_reported(workspace: Workspace) -> None:
    shell(workspace.path, "DELETE FROM meta WHERE key = 'history_head'")
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.record) == (CHAIN, "the end of the sealed history")


def rewrite_chain(path: Path) -> None:
    """What a determined forger does: seal the whole history again, and its recorded end."""
    conn = sqlite3.connect(path)
    try:
        previous, last = GENESIS, 0
        rows = conn.execute(f"SELECT {', '.join(CHAINED)} FROM history ORDER BY seq").fetchall()
        for fields in rows:
            previous, last = link_hash(previous, fields), fields[0]
            conn.execute("UPDATE history SET hash = ? WHERE seq = ?", [previous, last])
        conn.execute("UPDATE meta SET value = ? WHERE key = 'history_head'", [f"{last}:{previous}"])
        conn.commit()
    finally:
        conn.close()


def test_a_forged_chain_is_caught_only_by_the_content_hash_of_a_signed_off_audit(
    workspace: Workspace,
) -> None:
    shell(
        workspace.path,
        "DROP TRIGGER answers_update_signed_off",
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.signed}'",
    )
    rewrite_chain(workspace.path)  # the outside change is now sealed as if the app made it
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id, problem.audit) == (
        SIGNED_OFF, workspace.signed, HO_2014,
    )  # fmt: skip
    assert problem.problem.startswith("changed after sign-off")


# ---------------------------------------------------------------- 4. signed-off audits
def test_a_signed_off_audit_changed_behind_the_lock_is_reported(workspace: Workspace) -> None:
    shell(
        workspace.path,
        "DROP TRIGGER answers_update_signed_off",
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.signed}'",
    )
    problems = only(check(workspace.path), 2)
    assert {(p.check, p.audit_id, p.audit) for p in problems} == {
        (OUTSIDE, workspace.signed, HO_2014),
        (SIGNED_OFF, workspace.signed, HO_2014),
    }
    hashed = next(p for p in problems if p.check == SIGNED_OFF)
    assert hashed.record == "content hash taken at sign-off"
    with Store(workspace.path, read_only=True) as store:
        kept = store.audit(workspace.signed).content_hash
    assert kept[:4] in hashed.problem


def test_a_signed_off_audit_without_its_content_hash_is_reported(workspace: Workspace) -> None:
    shell(workspace.path, f"UPDATE audits SET content_hash = '' WHERE id = '{workspace.signed}'")
    (problem,) = only(check(workspace.path))
    assert (problem.check, problem.audit_id) == (SIGNED_OFF, workspace.signed)
    assert "no content hash" in problem.problem


# ---------------------------------------------------------------- 5. the database file
def test_a_foreign_key_failure_is_reported(workspace: Workspace) -> None:
    shell(
        workspace.path,
        "INSERT INTO comments VALUES ('no-such-audit', 'cio_on_board', 'Orphan', 'now')",
    )
    problems = only(check(workspace.path), 2)
    database = next(p for p in problems if p.check == DATABASE)
    assert database.audit == WORKSPACE
    assert database.record.startswith("comments record ")
    assert "audits record that does not exist" in database.problem
    outside = next(p for p in problems if p.check == OUTSIDE)
    assert outside.audit == "audit no-such-audit (no longer in the workspace)"


def test_an_index_out_of_step_with_its_table_is_reported(workspace: Workspace) -> None:
    # quick_check (run when a workspace opens) does not compare indexes with their tables;
    # integrity_check does. Point the index's definition at other columns, as the shell can.
    shell(
        workspace.path,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX audits_by_department ON audits (cycle)'"
        " WHERE name = 'audits_by_department'",
    )
    problems = check(workspace.path).problems
    database = [p for p in problems if p.check == DATABASE]
    assert database, problems
    assert all(p.audit == WORKSPACE for p in database)
    assert any("audits_by_department" in p.problem for p in database)


# ---------------------------------------------------------------- reading only
def file_state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("read_only", [True, False])
def test_verify_never_writes_to_the_workspace(workspace: Workspace, read_only: bool) -> None:
    shell(workspace.path, f"UPDATE audits SET content_hash = '' WHERE id = '{workspace.signed}'")
    before = file_state(workspace.path)
    with Store(workspace.path, read_only=read_only) as store:
        assert not verify(store).ok
        assert not store.conn.in_transaction
    assert file_state(workspace.path) == before


def test_a_cancelled_verify_leaves_no_transaction_open(workspace: Workspace) -> None:
    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done >= 15:
            raise Stop

    with Store(workspace.path, read_only=True) as store:
        with pytest.raises(Stop):
            verify(store, progress)
        assert not store.conn.in_transaction


def test_problems_are_grouped_by_audit_workspace_first(workspace: Workspace) -> None:
    seq = seq_of(workspace.path, workspace.draft, "answer", "digital_leader_post", "min")
    shell(
        workspace.path,
        f"DELETE FROM history WHERE seq = {seq}",
        f"UPDATE audits SET content_hash = '' WHERE id = '{workspace.signed}'",
        f"UPDATE answers SET value = 'false' WHERE audit_id = '{workspace.draft}'"
        " AND question_id = 'cio_on_board'",
    )
    report = check(workspace.path)
    groups = report.by_audit()
    assert [(audit_id, label, len(found)) for audit_id, label, found in groups] == [
        ("", WORKSPACE, 1),
        (workspace.draft, HO_2013, 1),
        (workspace.signed, HO_2014, 1),
    ]
    assert report.summary().startswith("3 problems found")


def test_a_dropped_trigger_and_a_status_set_behind_the_apps_back_are_reported(
    workspace: Workspace,
) -> None:
    """Someone drops the status trigger and signs a draft off with a freshly computed hash."""
    from models.content_hash import content_hash

    conn = sqlite3.connect(workspace.path)
    digest = content_hash(conn, workspace.draft)
    conn.close()
    shell(
        workspace.path,
        "DROP TRIGGER audits_status_history",
        f"UPDATE audits SET status = 'signed_off', content_hash = '{digest}'"
        f" WHERE id = '{workspace.draft}'",
        put_back=False,
    )
    problems = only(check(workspace.path), 3)  # the sign-off's record of what it covered too
    signed = next(p for p in problems if p.check == SIGNED_OFF)
    assert signed.record == "department, cycle and auditor at sign-off"
    trigger = next(p for p in problems if p.check == DATABASE)
    assert (trigger.audit, trigger.record) == (WORKSPACE, "trigger audits_status_history")
    assert trigger.problem.startswith("is missing")
    status = next(p for p in problems if p.check == CONTENT)
    assert (status.audit_id, status.record) == (workspace.draft, "status of the audit")
    assert status.problem.startswith("is Signed off, but its recorded history says Draft")


def test_an_audit_added_without_its_creation_recorded_is_reported(workspace: Workspace) -> None:
    shell(
        workspace.path,
        "DROP TRIGGER audits_insert_history",
        "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
        " questionnaire_version, status, created_at, updated_at) SELECT 'forged', department_id,"
        " department_name, '2015', questionnaire_id, questionnaire_version, 'draft', 'x', 'x'"
        f" FROM audits WHERE id = '{workspace.draft}'",
        put_back=False,
    )
    problems = only(check(workspace.path), 2)
    assert {(p.check, p.audit_id, p.record) for p in problems} == {
        (DATABASE, "", "trigger audits_insert_history"),
        (CONTENT, "forged", "status of the audit"),
    }
