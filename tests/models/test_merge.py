"""Merging audit packages between two workspaces edited independently."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import lifecycle
from models.audit_history import ELSEWHERE, MERGED, last_signed_off, status_changes
from models.audit_package import read_package, write_package
from models.merge import (
    MINE,
    THEIRS,
    UnresolvedConflictsError,
    apply_merge,
    plan_merge,
)
from models.questionnaire import Questionnaire
from models.store import Store, WorkspaceWriteError, copy_workspace
from models.verify import verify


class Pair:
    """Two workspaces that share one audit through a package, as two auditors would."""

    def __init__(self, tmp_path: Path, questionnaire: Questionnaire) -> None:
        self.dir = tmp_path
        self.a = Store(tmp_path / "a.sqlite")
        self.b = Store(tmp_path / "b.sqlite")
        self.a.actor, self.b.actor = "ann", "bob"
        dept = self.a.add_department("Home Office", "HO", "home-office")
        self.audit = self.a.create_audit(dept.id, "2013 baseline", questionnaire, "Ann").id
        self.a.set_answer(self.audit, "digital_leader_post", "Chief Digital Officer")
        self.a.set_answer(self.audit, "board_tech_expert_count", 2)
        self.a.set_comment(self.audit, "digital_leader_post", "from the org chart")
        self.rows = [
            r.id
            for r in self.a.insert_rows(
                self.audit,
                "senior_roles",
                0,
                [  # complete rows: a row with a required cell blank answers nothing (issue 15)
                    {"post_ref": f"R{i}", "job_title": t, "role_type": t.lower(), "grade": "scs2"}
                    | {"employment_type": "permanent"}
                    for i, t in enumerate(["CIO", "CTO", "CDO"])
                ],
            )
        ]
        self.count = 0
        self.send(self.a, self.b)

    def package(self, source: Store) -> Path:
        self.count += 1
        path = self.dir / f"p{self.count}.baseline-package"
        write_package(source, path, [self.audit])
        return path

    def send(self, source: Store, target: Store, **how: str) -> None:
        apply_merge(target, read_package(self.package(source)), **how)  # type: ignore[arg-type]

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def pair(tmp_path: Path, questionnaire: Questionnaire) -> Iterator[Pair]:
    shared = Pair(tmp_path, questionnaire)
    yield shared
    shared.close()


def state(store: Store, audit_id: str) -> tuple[object, ...]:
    """Everything a merge could change: content, status, history and absorbed ids."""
    conn = store.conn
    return (
        store.content_hash(audit_id),
        store.audit(audit_id).status,
        conn.execute("SELECT count(*) FROM history").fetchone()[0],
        conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[0],
    )


def table(store: Store, audit_id: str) -> list[tuple[str, str]]:
    return [
        (r.cells.get("post_ref", ""), r.cells.get("job_title", ""))
        for r in store.rows(audit_id, "senior_roles")
    ]


def test_a_new_audit_arrives_whole_with_its_department(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    assert b.content_hash(audit) == a.content_hash(audit)
    assert b.audit(audit).auditor == "Ann"
    assert [d.govuk_id for d in b.departments()] == ["home-office"]
    assert table(b, audit) == [("R0", "CIO"), ("R1", "CTO"), ("R2", "CDO")]
    # Their change ids are absorbed; what the merge wrote here is not a change of b's own.
    absorbed = b.conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[0]
    assert (
        absorbed
        == a.conn.execute("SELECT count(*) FROM history WHERE origin IS NOT NULL").fetchone()[0]
    )
    own = b.conn.execute("SELECT count(*) FROM history WHERE origin IS NOT NULL").fetchone()[0]
    assert own == 0
    notes = {n for (n,) in b.conn.execute("SELECT DISTINCT note FROM history")}
    assert notes == {"merged from p1.baseline-package"}


def test_importing_the_same_package_twice_changes_nothing(pair: Pair) -> None:
    pair.a.set_answer(pair.audit, "digital_leader_post", "CIO")
    path = pair.package(pair.a)
    apply_merge(pair.b, read_package(path))
    before = state(pair.b, pair.audit)
    report = apply_merge(pair.b, read_package(path))
    assert state(pair.b, pair.audit) == before
    assert report.changed_audit_ids == []
    assert "Nothing new" in report.summary()
    assert plan_merge(pair.b, read_package(path)).audits[0].action == "unchanged"


def test_disjoint_edits_combine_on_both_sides(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_answer(audit, "digital_leader_post", "Director General Digital")
    a.set_cell(audit, pair.rows[0], "grade", "scs2")
    a.insert_rows(audit, "senior_roles", 0, [{"post_ref": "A", "job_title": "CISO"}])
    b.set_answer(audit, "board_tech_expert_count", 4)
    b.set_comment(audit, "digital_leader_post", "")
    b.set_cell(audit, pair.rows[1], "grade", "scs1")
    b.delete_rows(audit, "senior_roles", [pair.rows[2]])
    b.insert_rows(audit, "senior_roles", 2, [{"post_ref": "B", "job_title": "CTO deputy"}])

    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.conflicts == []
    pair.send(a, b)
    pair.send(b, a)
    for store in (a, b):
        assert store.answers(audit)["digital_leader_post"] == "Director General Digital"
        assert store.answers(audit)["board_tech_expert_count"] == 4
        assert store.comments(audit) == {}
        grades = {
            r.cells["post_ref"]: r.cells.get("grade") for r in store.rows(audit, "senior_roles")
        }
        assert grades == {"A": None, "R0": "scs2", "R1": "scs1", "B": None}
        assert [r.position for r in store.rows(audit, "senior_roles")] == [0, 1, 2, 3]
    assert a.content_hash(audit) == b.content_hash(audit)
    assert table(a, audit)[:2] == [("A", "CISO"), ("R0", "CIO")]


def test_conflicting_answers_are_reported_and_nothing_is_written_until_chosen(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_answer(audit, "digital_leader_post", "CDO (Ann)")
    b.set_answer(audit, "digital_leader_post", "CDIO (Bob)")
    a.set_answer(audit, "board_tech_expert_count", 5)  # not in conflict
    package = read_package(pair.package(a))
    plan = plan_merge(b, package)
    [conflict] = plan.conflicts
    assert (conflict.kind, conflict.item) == ("answer", "digital_leader_post")
    assert (conflict.mine.value, conflict.mine.who) == ("CDIO (Bob)", "bob")
    assert (conflict.theirs.value, conflict.theirs.who) == ("CDO (Ann)", "ann")
    assert "mine:   CDIO (Bob)" in plan.summary()

    before = state(b, audit)
    with pytest.raises(UnresolvedConflictsError) as raised:
        apply_merge(b, package)
    assert [c.key for c in raised.value.conflicts] == [conflict.key]
    assert state(b, audit) == before  # not even the answer without a conflict

    apply_merge(b, package, {conflict.key: THEIRS})
    assert b.answers(audit)["digital_leader_post"] == "CDO (Ann)"
    assert b.answers(audit)["board_tech_expert_count"] == 5
    # Sent back, Ann's workspace fast-forwards: no conflict comes back.
    back = read_package(pair.package(b))
    assert plan_merge(a, back).conflicts == []


def test_keeping_mine_in_a_conflict_flows_back_to_the_other_side(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_comment(audit, "digital_leader_post", "Ann's note")
    b.set_comment(audit, "digital_leader_post", "Bob's note")
    pair.send(a, b, take=MINE)
    assert b.comments(audit)["digital_leader_post"] == "Bob's note"
    pair.send(b, a)
    assert a.comments(audit)["digital_leader_post"] == "Bob's note"
    assert a.content_hash(audit) == b.content_hash(audit)
    # Nothing left to exchange either way.
    assert plan_merge(b, read_package(pair.package(a))).audits[0].action == "unchanged"


def test_same_change_on_both_sides_is_no_conflict(pair: Pair) -> None:
    pair.a.set_answer(pair.audit, "cio_on_board", True)
    pair.b.set_answer(pair.audit, "cio_on_board", True)
    plan = plan_merge(pair.b, read_package(pair.package(pair.a)))
    assert plan.conflicts == [] and plan.audits[0].combined == 1


def test_a_row_deleted_on_one_side_and_edited_on_the_other_is_a_conflict(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.delete_rows(audit, "senior_roles", [pair.rows[1]])
    b.set_cell(audit, pair.rows[1], "job_title", "Chief Technology Officer")
    package = read_package(pair.package(a))
    [conflict] = plan_merge(b, package).conflicts
    assert (conflict.kind, conflict.item) == ("row", pair.rows[1])
    assert conflict.theirs.value is None
    assert conflict.mine.value["job_title"] == "Chief Technology Officer"
    apply_merge(b, package, {conflict.key: THEIRS})
    assert table(b, audit) == [("R0", "CIO"), ("R2", "CDO")]
    assert [r.position for r in b.rows(audit, "senior_roles")] == [0, 1]


def test_a_deleted_row_stays_deleted_when_the_other_side_did_not_touch_it(pair: Pair) -> None:
    pair.b.delete_rows(pair.audit, "senior_roles", [pair.rows[0]])
    pair.a.set_answer(pair.audit, "cio_on_board", False)
    pair.send(pair.a, pair.b)
    assert table(pair.b, pair.audit) == [("R1", "CTO"), ("R2", "CDO")]
    pair.send(pair.b, pair.a)
    assert table(pair.a, pair.audit) == [("R1", "CTO"), ("R2", "CDO")]


def test_status_fast_forwards_and_a_signed_off_package_brings_its_content(
    pair: Pair, questionnaire: Questionnaire
) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_answer(audit, "digital_leader_post", "Final answer")
    for status in ("submitted", "reviewed", "signed_off"):
        a.set_status(audit, status)
    pair.send(a, b)
    assert b.audit(audit).status == "signed_off"
    assert b.answers(audit)["digital_leader_post"] == "Final answer"
    assert b.audit(audit).content_hash == a.audit(audit).content_hash != ""


def test_a_signed_off_audit_here_is_not_changed_by_a_package(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    for status in ("submitted", "reviewed", "signed_off"):
        b.set_status(audit, status)
    a.set_answer(audit, "digital_leader_post", "Late change")
    before = state(b, audit)
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.audits[0].action == "skip"
    assert "signed off here" in plan.audits[0].reason
    report = apply_merge(b, plan.package)
    assert state(b, audit) == before
    assert "Reopen" in report.summary()
    # Reopened, the same package merges.
    lifecycle.apply(b, audit, "reopen", reason="take Ann's change")
    apply_merge(b, plan.package)
    assert b.answers(audit)["digital_leader_post"] == "Late change"


def test_a_sign_off_elsewhere_does_not_swallow_changes_made_here(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    for status in ("submitted", "reviewed", "signed_off"):
        a.set_status(audit, status)
    b.set_answer(audit, "digital_leader_post", "Bob's later edit")
    before = state(b, audit)
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.audits[0].action == "skip"
    assert "sign-off did not include" in plan.audits[0].reason
    apply_merge(b, plan.package)
    assert state(b, audit) == before


def test_an_audit_made_separately_for_the_same_cycle_is_reported_not_guessed(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b:
        for store in (a, b):
            dept = store.add_department("Cabinet Office", "CO", "cabinet-office")
            audit = store.create_audit(dept.id, "2013", questionnaire)
            store.set_answer(audit.id, "digital_leader_post", store.path.stem)
        write_package(a, tmp_path / "a.zip", [a.audits()[0].id])
        report = apply_merge(b, read_package(tmp_path / "a.zip"))
        assert report.added == [] and len(report.skipped) == 1
        assert "already has another audit" in report.skipped[0]
        assert [x.id for x in b.audits()] != [x.id for x in a.audits()]
        assert b.answers(b.audits()[0].id)["digital_leader_post"] == "b"


def test_a_package_from_this_workspace_changes_nothing(pair: Pair) -> None:
    pair.a.set_answer(pair.audit, "board_tech_expert_count", 3)
    before = pair.a.content_hash(pair.audit)
    history = pair.a.conn.execute("SELECT count(*) FROM history").fetchone()
    plan = plan_merge(pair.a, read_package(pair.package(pair.a)))
    assert plan.conflicts == []
    pair.send(pair.a, pair.a)
    assert pair.a.content_hash(pair.audit) == before
    assert pair.a.conn.execute("SELECT count(*) FROM history").fetchone() == history


def test_a_copy_of_the_workspace_file_merges_back(pair: Pair, tmp_path: Path) -> None:
    """A colleague takes a copy of the file: the copies share their past and their
    workspace id, yet the changes each makes afterwards are told apart."""
    copy = tmp_path / "copy.sqlite"
    copy_workspace(pair.a.path, copy)
    with Store(copy) as colleague:
        colleague.actor = "cat"
        colleague.set_answer(pair.audit, "board_tech_expert_count", 5)
        pair.a.set_comment(pair.audit, "digital_leader_post", "checked with HR")
        pair.send(colleague, pair.a)
        assert pair.a.answers(pair.audit)["board_tech_expert_count"] == 5
        assert pair.a.comments(pair.audit)["digital_leader_post"] == "checked with HR"
        pair.send(pair.a, colleague)
        assert colleague.content_hash(pair.audit) == pair.a.content_hash(pair.audit)


def test_a_read_only_workspace_is_refused_before_anything(pair: Pair) -> None:
    pair.a.set_answer(pair.audit, "digital_leader_post", "x")
    package = read_package(pair.package(pair.a))
    path = pair.b.path
    pair.b.close()
    with Store(path, read_only=True) as ro, pytest.raises(WorkspaceWriteError, match="read-only"):
        apply_merge(ro, package)
    pair.b = Store(path)
    assert pair.b.answers(pair.audit)["digital_leader_post"] == "Chief Digital Officer"


# ---------------------------------------------------------------- sign-off and lifecycle

REQUIRED = {  # with Pair's senior roles, every required question of the shipped form
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


def complete(pair: Pair, questionnaire: Questionnaire) -> None:
    """Answer every required question in a and share that with b."""
    for question_id, value in REQUIRED.items():
        pair.a.set_answer(pair.audit, question_id, value)
    mix = {"profession_family": "data", "staff_type": "permanent", "headcount": 4}
    pair.a.insert_rows(pair.audit, "workforce_mix", 0, [mix])
    assert lifecycle.missing_for_submission(pair.a, pair.a.audit(pair.audit), questionnaire) == []
    pair.send(pair.a, pair.b)


def sign_off(store: Store, audit: str, questionnaire: Questionnaire) -> None:
    for move in ("submit", "review", "sign_off"):
        lifecycle.apply(store, audit, move, questionnaire=questionnaire)


def test_a_sign_off_is_not_merged_over_rows_placed_differently_here(pair: Pair) -> None:
    """The rows' cells agree, but b moved one: signed off, b would hold an order the
    signer never saw."""
    a, b, audit = pair.a, pair.b, pair.audit
    b.move_row(audit, "senior_roles", pair.rows[0], 2)
    for status in ("submitted", "reviewed", "signed_off"):
        a.set_status(audit, status)
    before = state(b, audit)
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.audits[0].action == "skip"
    assert "the order of the rows of" in plan.audits[0].reason
    report = apply_merge(b, plan.package)
    assert state(b, audit) == before and b.audit(audit).status == "draft"
    assert report.updated == [] and "sign-off did not include" in report.skipped[0]
    # Sent the other way, nothing is lost: a is signed off, so b's move waits for a reopen.
    assert plan_merge(a, read_package(pair.package(b))).audits[0].action == "skip"


def test_a_sign_off_whose_content_differs_from_its_hash_is_undone_whole(
    pair: Pair, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """The package's content no longer hashes to what was signed (changed behind the app's
    back after sign-off): merging it would sign off content nobody signed."""
    a, audit = pair.a, pair.audit
    a.set_answer(audit, "digital_leader_post", "Signed text")
    for status in ("submitted", "reviewed", "signed_off"):
        a.set_status(audit, status)
    a.conn.execute("UPDATE audits SET content_hash = ? WHERE id = ?", ["0" * 64, audit])
    a.conn.commit()
    package = read_package(pair.package(a))

    before = state(pair.b, audit)
    report = apply_merge(pair.b, package)
    assert state(pair.b, audit) == before
    assert pair.b.answers(audit)["digital_leader_post"] == "Chief Digital Officer"
    [skipped] = report.skipped
    assert "signed off with different content than merging would give here" in skipped
    assert "0000 0000 0000 0000" in skipped and "nothing of it was merged" in skipped
    assert report.updated == [] and report.changed_audit_ids == []

    # Arriving as a new audit, it is refused the same way and nothing of it is added.
    with Store(tmp_path / "c.sqlite") as c:
        report = apply_merge(c, package)
        assert report.added == [] and "different content" in report.skipped[0]
        assert c.audits() == [] and c.departments() == []
        assert c.conn.execute("SELECT count(*) FROM history").fetchone()[0] == 0
        assert c.conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[0] == 0


def test_a_sign_off_arriving_new_keeps_its_hash_and_signer(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """b has the department already (its own id): the audit hashes the same there, and the
    sign-off is credited to the one who made it, not to whoever merged it."""
    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b:
        a.actor, b.actor = "ann", "bob"
        dept = a.add_department("Home Office", "HO", "home-office")
        mine = b.add_department("Home Office", "HO", "home-office")
        audit = a.create_audit(dept.id, "2013", questionnaire).id
        a.set_answer(audit, "digital_leader_post", "CDO")
        a.set_status(audit, "signed_off")
        write_package(a, tmp_path / "p1.zip", [audit])
        assert apply_merge(b, read_package(tmp_path / "p1.zip")).added == ["Home Office, 2013"]
        assert b.audit(audit).department_id == mine.id
        assert b.audit(audit).status == "signed_off"
        assert b.audit(audit).content_hash == a.audit(audit).content_hash == b.content_hash(audit)
        assert verify(b).ok, verify(b).text()
        signed = [c for c in status_changes(b, audit) if c.new == "signed_off"]
        assert [(c.who, c.source) for c in signed if c.source != MERGED] == [("ann", ELSEWHERE)]
        assert all(c.who != "bob" or c.source == MERGED for c in status_changes(b, audit))
        credited = last_signed_off(b, audit)  # what the read-only banner names
        assert credited is not None and credited.who == "ann"
        brought = [c.note for c in status_changes(b, audit) if c.source == MERGED]
        assert brought and all(n == "merged from p1.zip" for n in brought)
        # Sent back, a has it all already.
        write_package(b, tmp_path / "p2.zip", [audit])
        assert "Nothing new" in apply_merge(a, read_package(tmp_path / "p2.zip")).summary()
        assert verify(a).ok, verify(a).text()


def test_a_sign_off_sent_back_after_a_reopen_is_no_conflict(pair: Pair) -> None:
    """a signs off and sends; a reopens with a reason; b sends back without edits: b's copy
    of the sign-off is a's own move, not b's, so it neither conflicts with nor undoes the
    reopen."""
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_status(audit, "signed_off")
    pair.send(a, b)
    assert b.audit(audit).status == "signed_off"
    mine = b.conn.execute(
        "SELECT count(*) FROM history WHERE kind = 'status' AND origin IS NOT NULL"
    ).fetchone()[0]
    assert mine == 0  # b's sign-off is brought in, not made in b
    [signed] = [c for c in status_changes(b, audit) if c.new == "signed_off" and c.origin]
    assert (signed.who, signed.source) == ("ann", ELSEWHERE)

    lifecycle.apply(a, audit, "reopen", reason="fix a typo")
    back = read_package(pair.package(b))
    plan = plan_merge(a, back)
    assert plan.conflicts == [] and plan.audits[0].action == "unchanged"
    apply_merge(a, back)
    assert a.audit(audit).status == "draft"
    assert verify(a).ok and verify(b).ok


def test_a_sign_off_redone_elsewhere_brings_its_new_content(
    pair: Pair, questionnaire: Questionnaire
) -> None:
    """Signed off on both sides; a reopens, edits and signs off again: b takes the new
    content with the new sign-off, without reopening it first."""
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_status(audit, "signed_off")
    pair.send(a, b)
    lifecycle.apply(a, audit, "reopen", reason="late figure")
    a.set_answer(audit, "board_tech_expert_count", 7)
    a.set_status(audit, "signed_off")
    pair.send(a, b)
    assert b.audit(audit).status == "signed_off"
    assert b.answers(audit)["board_tech_expert_count"] == 7
    assert b.audit(audit).content_hash == a.audit(audit).content_hash == b.content_hash(audit)
    assert verify(b).ok, verify(b).text()


def test_a_submission_is_not_merged_over_a_required_answer_cleared_here(
    pair: Pair, questionnaire: Questionnaire
) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    complete(pair, questionnaire)
    b.set_answer(audit, "total_tech_spend", None)
    lifecycle.apply(a, audit, "submit", questionnaire=questionnaire)
    package = read_package(pair.package(a))
    plan = plan_merge(b, package)
    assert "kept as draft" in plan.audits[0].line()
    report = apply_merge(b, package)
    assert b.audit(audit).status == "draft"
    assert "total_tech_spend" not in b.answers(audit)  # nothing is overwritten for it
    [note] = report.notes
    assert "kept as draft: the package's “Submitted” would leave 1 required question(s)" in note
    assert "kept as draft" in report.summary() and "Nothing new" not in report.summary()
    before = state(b, audit)
    apply_merge(b, package)
    assert state(b, audit) == before  # the same package again changes nothing

    # Sent back, a takes the cleared answer, and so cannot stay submitted either.
    report = apply_merge(a, read_package(pair.package(b)))
    assert "total_tech_spend" not in a.answers(audit)
    assert a.audit(audit).status == "draft"
    assert "returned to draft: after merging, 1 required question(s) unanswered" in report.notes[0]
    [move] = [c for c in status_changes(a, audit) if c.old == "submitted"]
    assert move.new == "draft" and "returned to draft" in move.note
    assert verify(a).ok and verify(b).ok
    assert a.content_hash(audit) == b.content_hash(audit)


def test_a_review_here_returns_to_draft_when_the_package_clears_a_required_answer(
    pair: Pair, questionnaire: Questionnaire
) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    complete(pair, questionnaire)
    lifecycle.apply(b, audit, "submit", questionnaire=questionnaire)
    lifecycle.apply(b, audit, "review")
    a.set_answer(audit, "tech_spend_year", None)
    a.set_answer(audit, "governance_maturity", None)
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.audits[0].status == "draft"
    report = apply_merge(b, plan.package)
    assert b.audit(audit).status == "draft"
    assert "returned to draft: after merging, 2 required question(s)" in report.notes[0]
    assert verify(b).ok


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_during_a_merge_changes_nothing(pair: Pair) -> None:
    """A file-size limit makes SQLite's writes fail as a full disk does, part-way through
    a merge of thousands of rows: a clear message, and the workspace as it was."""
    pair.a.bulk_rows(
        pair.audit,
        "workforce_mix",
        [{"profession_family": "data", "headcount": n} for n in range(3000)],
    )
    pair.a.set_answer(pair.audit, "board_tech_expert_count", 7)
    package = pair.package(pair.a)
    before = pair.b.content_hash(pair.audit)
    history = pair.b.conn.execute("SELECT count(*) FROM history").fetchone()
    path = pair.b.path
    pair.b.close()
    script = (
        "import resource, signal, sys\n"
        "from models.store import Store, WorkspaceWriteError\n"
        "from models.audit_package import read_package\n"
        "from models.merge import apply_merge\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "store = Store(sys.argv[1])\n"
        "package = read_package(sys.argv[2])\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "try:\n"
        "    apply_merge(store, package)\n"
        "except WorkspaceWriteError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path), str(package)],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # ENOSPC reads as "the disk is full"; the file-size limit's EFBIG as an I/O error.
    assert "Could not merge" in out.stdout and "Nothing was changed" in out.stdout, (
        out.stdout + out.stderr
    )
    with Store(path) as b:
        assert b.content_hash(pair.audit) == before
        assert b.conn.execute("SELECT count(*) FROM history").fetchone() == history
        assert b.row_counts(pair.audit).get("workforce_mix", 0) == 0
        assert verify(b).ok
