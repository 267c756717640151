"""Department renames and auditor changes travel in packages and merge like any other change."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from models.audit_package import read_package, write_package
from models.merge import MINE, THEIRS, UnresolvedConflictsError, apply_merge, plan_merge
from models.questionnaire import Questionnaire, current_questionnaire
from models.store import Store
from models.verify import verify
from tests.models.test_merge import Pair


@pytest.fixture
def pair(tmp_path: Path, questionnaire: Questionnaire) -> Iterator[Pair]:
    shared = Pair(tmp_path, questionnaire)
    yield shared
    shared.close()


def dept_name(store: Store, audit_id: str) -> str:
    return store.department(store.audit(audit_id).department_id).name


def test_a_department_renamed_on_one_side_is_merged(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.rename_department(a.audit(audit).department_id, "Home Office (renamed)")
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.audits[0].action == "merge"
    assert "department renamed to “Home Office (renamed)”" in plan.summary()
    report = apply_merge(b, read_package(pair.package(a)))
    assert dept_name(b, audit) == "Home Office (renamed)"
    assert "department renamed" in report.summary()
    # Absorbed: the same package again changes nothing, and sending back changes nothing.
    again = plan_merge(b, read_package(pair.package(a)))
    assert again.audits[0].action == "unchanged"
    assert plan_merge(a, read_package(pair.package(b))).audits[0].action == "unchanged"
    assert verify(b).ok


def test_an_auditor_change_is_merged_both_ways(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    b.set_audit_fields(audit, auditor="Bea")
    pair.send(b, a)
    assert a.audit(audit).auditor == "Bea"
    assert plan_merge(b, read_package(pair.package(a))).audits[0].action == "unchanged"


def test_an_unchanged_name_here_never_overwrites_a_rename_made_here(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    b.rename_department(b.audit(audit).department_id, "Home Office, renamed here")
    a.set_answer(audit, "board_tech_expert_count", 5)
    pair.send(a, b)
    assert dept_name(b, audit) == "Home Office, renamed here"
    assert b.answer(audit, "board_tech_expert_count") == 5


def test_different_renames_on_both_sides_are_a_conflict(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.rename_department(a.audit(audit).department_id, "Home Office A")
    a.set_audit_fields(audit, auditor="Ann Smith")
    b.rename_department(b.audit(audit).department_id, "Home Office B")
    b.set_audit_fields(audit, auditor="Ann Jones")
    path = pair.package(a)
    plan = plan_merge(b, read_package(path))
    kinds = sorted(c.kind for c in plan.conflicts)
    assert kinds == ["audit", "department"]
    assert "Department name" in plan.summary() and "Auditor" in plan.summary()
    before = (dept_name(b, audit), b.audit(audit).auditor)
    with pytest.raises(UnresolvedConflictsError):
        apply_merge(b, read_package(path))
    assert (dept_name(b, audit), b.audit(audit).auditor) == before
    apply_merge(b, read_package(path), take=MINE)
    assert (dept_name(b, audit), b.audit(audit).auditor) == before
    apply_merge(a, read_package(pair.package(b)), take=THEIRS)
    assert (dept_name(a, audit), a.audit(audit).auditor) == before
    # Now both hold the same: nothing left to merge either way.
    assert plan_merge(b, read_package(pair.package(a))).conflicts == []
    assert plan_merge(a, read_package(pair.package(b))).conflicts == []


def test_the_same_rename_on_both_sides_is_no_conflict(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.rename_department(a.audit(audit).department_id, "Home Office 2")
    b.rename_department(b.audit(audit).department_id, "Home Office 2")
    plan = plan_merge(b, read_package(pair.package(a)))
    assert plan.conflicts == []


def test_a_new_audit_of_a_renamed_department_joins_it(
    pair: Pair, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    a, audit = pair.a, pair.audit
    dept = a.audit(audit).department_id
    a.rename_department(dept, "Home Office Digital")
    new = a.create_audit(dept, "2014 baseline", questionnaire, "Ann").id
    path = tmp_path / "new.baseline-package"
    write_package(a, path, [new])
    apply_merge(pair.b, read_package(path))  # b has the department under a's id
    assert [d.name for d in pair.b.departments()] == ["Home Office Digital"]
    assert pair.b.audit(new).department_id == pair.b.audit(audit).department_id
    # c made its own Home Office (another id, no GOV.UK id): the recorded rename leads there.
    with Store(tmp_path / "c.sqlite") as c:
        own = c.add_department("Home Office").id
        apply_merge(c, read_package(path))
        assert [(d.id, d.name) for d in c.departments()] == [(own, "Home Office Digital")]
        assert c.audit(new).department_id == own


def test_a_department_id_of_another_department_is_still_refused(
    pair: Pair, questionnaire: Questionnaire
) -> None:
    a, b = pair.a, pair.b
    other = b.add_department("Cabinet Office", "CO", "cabinet-office")
    path = pair.package(a)
    package = read_package(path)
    package.audits[0].department = package.audits[0].department.__class__(
        other.id, "Home Office", "HO", "", ""
    )
    plan = plan_merge(b, package)
    assert plan.audits[0].action == "skip"
    assert "Cabinet Office" in plan.audits[0].reason
    assert b.department(other.id).name == "Cabinet Office"


def test_the_merge_command_lists_a_rename_conflict_and_takes_a_side(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.rename_department(a.audit(audit).department_id, "Home Office A")
    b.rename_department(b.audit(audit).department_id, "Home Office B")
    path = pair.package(a)
    b.close()
    db = str(pair.dir / "b.sqlite")
    assert main(["merge", str(path), "--db", db]) == 1
    out = capsys.readouterr().out
    assert "Department name" in out and "Home Office A" in out and "Home Office B" in out
    assert main(["merge", str(path), "--db", db, "--take", "theirs"]) == 0
    with Store(pair.dir / "b.sqlite") as again:
        assert dept_name(again, audit) == "Home Office A"
    pair.b = Store(pair.dir / "b.sqlite")  # for the fixture to close


def test_an_audit_signed_off_again_there_after_a_rename_verifies_here(pair: Pair) -> None:
    a, b, audit = pair.a, pair.b, pair.audit
    a.set_status(audit, "signed_off")
    pair.send(a, b)
    a.set_status(audit, "draft", note="auditor left")
    a.set_audit_fields(audit, auditor="Ann Smith")
    a.rename_department(a.audit(audit).department_id, "Home Office Digital")
    a.set_status(audit, "signed_off")
    assert verify(a).ok
    pair.send(a, b)
    assert (b.audit(audit).auditor, dept_name(b, audit)) == ("Ann Smith", "Home Office Digital")
    assert b.audit(audit).status == "signed_off"
    assert verify(b).ok, verify(b).text()


def test_an_auditor_change_into_an_audit_signed_off_here_waits_for_a_reopen(
    pair: Pair,
) -> None:
    """A signed-off audit keeps the auditor its sign-off covered (as it keeps its content):
    the package's change is not merged, and says why, until the audit is reopened here."""
    a, b, audit = pair.a, pair.b, pair.audit
    b.set_status(audit, "signed_off")
    a.set_audit_fields(audit, auditor="Ann Smith")
    path = pair.package(a)
    before = b.conn.execute("SELECT count(*) FROM history").fetchone()
    report = apply_merge(b, read_package(path))
    assert b.audit(audit).auditor == "Ann" and b.audit(audit).status == "signed_off"
    assert report.updated == [] and "changes its auditor to “Ann Smith”" in report.skipped[0]
    assert b.conn.execute("SELECT count(*) FROM history").fetchone() == before
    assert verify(b).ok, verify(b).text()
    b.set_status(audit, "draft", note="to take the auditor")
    apply_merge(b, read_package(path))
    assert b.audit(audit).auditor == "Ann Smith"
    assert verify(b).ok, verify(b).text()


NAMES = ("Home Office", "Home Office A", "Home Office B")
AUDITORS = ("Ann", "Bea", "Cy")
RENAMES = st.lists(
    st.tuples(st.sampled_from(("department", "auditor")), st.integers(0, 2)), max_size=3
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mine=RENAMES, theirs=RENAMES, side=st.sampled_from((MINE, THEIRS)))
def test_random_renames_on_both_sides_merge_like_answers(
    mine: list[tuple[str, int]], theirs: list[tuple[str, int]], side: str
) -> None:
    """Changed on one side only: arrives; differently on both: a conflict that the choice
    decides; a second import changes nothing; both ways, both sides hold the same."""
    with tempfile.TemporaryDirectory() as folder:
        pair = Pair(Path(folder), current_questionnaire())
        try:
            a, b, audit = pair.a, pair.b, pair.audit
            dept = a.audit(audit).department_id
            for store, steps in ((b, mine), (a, theirs)):
                for what, n in steps:
                    if what == "department" and store.department(dept).name != NAMES[n]:
                        store.rename_department(dept, NAMES[n])
                    elif what == "auditor":
                        store.set_audit_fields(audit, auditor=AUDITORS[n])
            here = (b.department(dept).name, b.audit(audit).auditor)
            there = (a.department(dept).name, a.audit(audit).auditor)
            path = pair.package(a)
            plan = plan_merge(b, read_package(path))
            for index, (changed_here, changed_there) in enumerate(
                ((bool(_of(mine, "department")), bool(_of(theirs, "department"))),
                 (bool(_of(mine, "auditor")), bool(_of(theirs, "auditor"))))
            ):  # fmt: skip
                kind = ("department", "audit")[index]
                conflict = any(c.kind == kind for c in plan.conflicts)
                differ = here[index] != there[index]
                assert conflict == (changed_here and changed_there and differ), (kind, plan)
            apply_merge(b, read_package(path), take=side)
            after = (b.department(dept).name, b.audit(audit).auditor)
            for index in range(2):
                kind = ("department", "auditor")[index]
                if _of(theirs, kind) and not _of(mine, kind):
                    assert after[index] == there[index]
                elif _of(mine, kind) and not _of(theirs, kind):
                    assert after[index] == here[index]
                elif _of(mine, kind) and _of(theirs, kind):
                    assert after[index] == (here if side == MINE else there)[index]
            assert plan_merge(b, read_package(path)).audits[0].action == "unchanged"
            apply_merge(a, read_package(pair.package(b)))  # no conflict left: b knows a's
            assert (a.department(dept).name, a.audit(audit).auditor) == after
            assert verify(a).ok and verify(b).ok
        finally:
            pair.close()


def _of(steps: list[tuple[str, int]], kind: str) -> bool:
    """Whether the steps changed it (a rename to the name it has is no change)."""
    if kind == "department":
        names = ["Home Office"] + [NAMES[n] for k, n in steps if k == kind]
        return any(x != y for x, y in itertools.pairwise(names))
    auditors = ["Ann"] + [AUDITORS[n] for k, n in steps if k == kind]
    return any(x != y for x, y in itertools.pairwise(auditors))
