"""Random edits on two workspaces, then merged both ways: no answer is ever lost silently.

Each side applies a random sequence of edits to a shared audit (answers set and cleared,
comments, rows added, edited, moved and deleted). The test keeps its own account of what
each side changed and checks the merge against it: a value changed on one side only
arrives; values changed differently on both are conflicts; a second import changes
nothing; and once the packages have gone both ways the two workspaces hold the same.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.audit_package import read_package, write_package
from models.merge import apply_merge, plan_merge
from models.questionnaire import current_questionnaire
from models.store import Store

QUESTIONS = ("digital_leader_post", "digital_strategy_url", "tech_spend_year")
VALUES = (None, "a", "b", "c")  # few, so both sides often pick the same by chance
TABLE = "senior_roles"

Edit = tuple[str, Any, Any]
edits = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(QUESTIONS), st.sampled_from(VALUES)),
        st.tuples(st.just("comment"), st.sampled_from(QUESTIONS), st.sampled_from(VALUES)),
        st.tuples(st.just("add"), st.integers(0, 6), st.sampled_from(VALUES[1:])),
        st.tuples(st.just("edit"), st.integers(0, 6), st.sampled_from(VALUES[1:])),
        st.tuples(st.just("delete"), st.integers(0, 6), st.none()),
        st.tuples(st.just("move"), st.integers(0, 6), st.integers(0, 6)),
    ),
    max_size=10,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """Workspaces a and b sharing one audit (a made it, b took it in from a package)."""
    folder = tmp_path_factory.mktemp("shared")
    with Store(folder / "a.sqlite", durable=False) as a, Store(folder / "b.sqlite") as b:
        dept = a.add_department("Home Office", "HO")
        audit = a.create_audit(dept.id, "2013", current_questionnaire()).id
        a.set_answer(audit, QUESTIONS[0], "a")
        a.set_comment(audit, QUESTIONS[1], "b")
        a.insert_rows(audit, TABLE, 0, [{"job_title": v} for v in ("a", "b", "c")])
        write_package(a, folder / "base.zip", [audit])
        apply_merge(b, read_package(folder / "base.zip"))
    yield folder / "a.sqlite", folder / "b.sqlite", audit


class Side:
    """One workspace, and the test's own record of what it changed since the shared state."""

    def __init__(self, store: Store, audit: str) -> None:
        self.store, self.audit = store, audit
        self.touched: set[tuple[str, str]] = set()

    def values(self) -> dict[tuple[str, str], Any]:
        s, audit = self.store, self.audit
        found: dict[tuple[str, str], Any] = {("answer", q): v for q, v in s.answers(audit).items()}
        found.update({("comment", q): t for q, t in s.comments(audit).items()})
        found.update({("row", r.id): r.cells for r in s.rows(audit, TABLE)})
        return found

    def apply(self, edit: Edit) -> None:
        s, audit = self.store, self.audit
        kind, where, value = edit
        before = self.values()
        rows = s.rows(audit, TABLE)
        if kind == "answer":
            s.set_answer(audit, where, value)
        elif kind == "comment":
            s.set_comment(audit, where, value or "")
        elif kind == "add":
            s.insert_rows(audit, TABLE, min(where, len(rows)), [{"job_title": value}])
        elif rows and kind == "edit":
            s.set_cell(audit, rows[where % len(rows)].id, "job_title", value)
        elif rows and kind == "delete":
            s.delete_rows(audit, TABLE, [rows[where % len(rows)].id])
        elif rows and kind == "move":
            s.move_row(audit, TABLE, rows[where % len(rows)].id, value)
        after = self.values()
        self.touched |= {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def content(store: Store, audit: str) -> tuple[object, ...]:
    rows = store.rows(audit, TABLE)
    return (
        store.answers(audit),
        store.comments(audit),
        {r.id: r.cells for r in rows},
        [r.position for r in rows],
    )


def footprint(store: Store, audit: str) -> tuple[object, ...]:
    conn = store.conn
    return (
        store.content_hash(audit),
        conn.execute("SELECT count(*) FROM history").fetchone()[0],
        conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[0],
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mine=edits, theirs=edits, take=st.sampled_from(["mine", "theirs"]))
def test_no_change_is_lost_whatever_both_sides_do(
    template: tuple[Path, Path, str], mine: list[Edit], theirs: list[Edit], take: str
) -> None:
    a_file, b_file, audit = template
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(a_file, folder / "a.sqlite")
        shutil.copy(b_file, folder / "b.sqlite")
        with (
            Store(folder / "a.sqlite", durable=False) as a_store,
            Store(folder / "b.sqlite", durable=False) as b_store,
        ):
            a, b = Side(a_store, audit), Side(b_store, audit)
            shared = a.values()
            assert b.values() == shared
            for edit in theirs:
                a.apply(edit)
            for edit in mine:
                b.apply(edit)
            a_values, b_values = a.values(), b.values()

            # b takes in a's package.
            write_package(a_store, folder / "a.zip", [audit])
            package = read_package(folder / "a.zip")
            plan = plan_merge(b_store, package)
            both = a.touched & b.touched
            expected = {k for k in both if a_values.get(k) != b_values.get(k)}
            assert {(c.kind, c.item) for c in plan.conflicts} == expected
            apply_merge(b_store, package, take=take)
            merged = b.values()
            for key in shared.keys() | a_values.keys() | b_values.keys():
                if key in expected:
                    want = (a_values if take == "theirs" else b_values).get(key)
                elif key in a.touched:
                    want = a_values.get(key)
                else:  # changed only here, or by nobody: b's value
                    want = b_values.get(key)
                assert merged.get(key) == want, key

            # The same package again changes nothing.
            before = footprint(b_store, audit)
            apply_merge(b_store, read_package(folder / "a.zip"))
            assert footprint(b_store, audit) == before

            # b's package back to a: nothing to decide, and both hold the same.
            write_package(b_store, folder / "b.zip", [audit])
            back = read_package(folder / "b.zip")
            assert plan_merge(a_store, back).conflicts == []
            apply_merge(a_store, back)
            assert content(a_store, audit)[:3] == content(b_store, audit)[:3]
            assert a_store.content_hash(audit) == b_store.content_hash(audit)
