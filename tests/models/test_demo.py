"""Demo workspaces: the promised size, the same for the same seed, and every value valid."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from models.data_quality import stored_audit_notes
from models.demo import DemoSize, write_demo
from models.questionnaire import Questionnaire
from models.scoring import missing_required
from models.store import Store
from models.validation import error_for, visible_questions

SIZE = DemoSize(departments=3, cycles=2, roles=4, workforce=5, contracts=2, programmes=1)


def content(store: Store) -> list[Any]:
    """Everything in the workspace except generated ids and timestamps."""
    result = []
    for dept in store.departments():
        for audit in store.audits(dept.id):
            tables = {
                table: [r.cells for r in store.rows(audit.id, table)]
                for table in store.row_counts(audit.id)
            }
            result.append(
                (dept.name, dept.abbreviation, audit.cycle, audit.status, audit.auditor,
                 store.answers(audit.id), store.comments(audit.id), tables)
            )  # fmt: skip
    return result


def test_demo_has_the_requested_size(store: Store) -> None:
    assert write_demo(store, SIZE, seed=1) == 6  # 3 departments x 2 cycles
    departments = store.departments()
    assert len(departments) == 3
    assert len({d.name for d in departments}) == 3
    audits = store.audits()
    assert len(audits) == 6
    for audit in audits:
        # the latest cycle is on version 2, which adds the whole department's workforce
        latest = audit.cycle == "2014 review"
        assert audit.questionnaire_version == (2 if latest else 1)
        assert store.row_counts(audit.id) == {
            "senior_roles": 4,
            "workforce_mix": 5,
            **({"department_workforce": 5} if latest else {}),
            "contracts": 2,
            "major_programmes": 1,
        }
    by_cycle = sorted((a.cycle, a.status) for a in audits)
    # earlier cycles are signed off; the latest is still being worked on
    assert by_cycle == [("2013 baseline", "signed_off")] * 3 + [("2014 review", "draft")] * 3


def test_same_seed_same_demo(tmp_path: Path) -> None:
    stores = [Store(tmp_path / f"demo{i}.sqlite") for i in range(3)]
    try:
        write_demo(stores[0], SIZE, seed=42)
        write_demo(stores[1], SIZE, seed=42)
        write_demo(stores[2], SIZE, seed=43)
        first, again, other = (content(s) for s in stores)
        assert first == again
        assert first != other
        # fresh ids each time: the same content, not a copied file
        assert {a.id for a in stores[0].audits()}.isdisjoint(a.id for a in stores[1].audits())
    finally:
        for s in stores:
            s.close()


def test_every_demo_value_is_valid(store: Store, questionnaire: Questionnaire) -> None:
    write_demo(store, SIZE, seed=7)
    problems = []
    checked = 0
    for audit in store.audits():
        for question_id, value in store.answers(audit.id).items():
            error = error_for(questionnaire.question(question_id), value)
            checked += 1
            if error:
                problems.append(f"{audit.cycle} {question_id}={value!r}: {error}")
        for table in questionnaire.table_questions():
            for row in store.rows(audit.id, table.id):
                for column_id, value in row.cells.items():
                    error = error_for(table.column(column_id), value)
                    checked += 1
                    if error:
                        problems.append(f"{table.id}.{column_id}={value!r}: {error}")
    assert problems == []
    assert checked > 100  # the loop above really saw the data


def test_signed_off_demo_audits_are_complete(store: Store, questionnaire: Questionnaire) -> None:
    write_demo(store, SIZE, seed=3)
    signed_off = [a for a in store.audits() if a.status == "signed_off"]
    assert len(signed_off) == 3  # the first of two cycles, for each of 3 departments
    for audit in signed_off:
        missing = missing_required(
            questionnaire, store.answers(audit.id), store.row_counts(audit.id)
        )
        assert [q.id for q in missing] == [], audit.cycle


def test_demo_adds_to_a_workspace_without_repeating_departments(store: Store) -> None:
    tiny = DemoSize(departments=2, cycles=1, roles=1, workforce=1, contracts=1, programmes=1)
    write_demo(store, tiny)
    write_demo(store, tiny)
    names = [d.name for d in store.departments()]
    assert len(names) == 4
    assert len(set(names)) == 4


def test_demo_needs_something_to_write(store: Store) -> None:
    with pytest.raises(ValueError):
        write_demo(store, DemoSize(departments=0))
    assert store.departments() == []


def test_the_demo_passes_its_own_data_quality_rules(tmp_path: Path) -> None:
    """The first thing a new user sees raises no data-quality note (no notes are seeded)."""
    with Store(tmp_path / "demo.sqlite") as store:
        write_demo(store)  # the demo as `python main.py demo` writes it
        notes = {a.id: stored_audit_notes(store, a.id) for a in store.audits()}
        assert len(notes) == 12
        assert {k: [n.text for n in v] for k, v in notes.items() if v} == {}


@pytest.mark.parametrize("seed", [1, 2, 3, 2013])
def test_the_demo_reads_like_a_real_department(tmp_path: Path, seed: int) -> None:
    with Store(tmp_path / "demo.sqlite") as store:
        write_demo(store, DemoSize(departments=4, cycles=2), seed=seed)
        for audit in store.audits():
            roles = [r.cells for r in store.rows(audit.id, "senior_roles")]
            on_board = [r for r in roles if r.get("board_member") is True]
            assert 2 <= len(on_board) <= 4, audit.cycle
            kinds = [r.get("role_type") for r in roles]
            assert kinds.count("digital_leader") <= 1  # one of each leading post
            assert kinds.count("cio") + kinds.count("cdio") <= 1
            assert store.answer(audit.id, "board_tech_expert_count") in (None, 0, 1, 2, 3, 4)
            assert all(r.get("vacant_or_interim") != "vacant" for r in on_board)
            # no senior post is held by an admin and clerical agency worker
            assert all(r.get("employment_type") != "agency" for r in roles)
            for row in store.rows(audit.id, "major_programmes"):
                ref = row.cells.get("gmpp_id")
                assert ref is None or re.fullmatch(r"[A-Z]+_\d{4}", ref), ref
                assert row.cells["whole_life_cost"] >= 10_000_000  # major: tens of £m at least
                if row.cells.get("independent_review_done") is not True:
                    assert "review_date" not in row.cells
            for row in store.rows(audit.id, "contracts"):
                assert row.cells["total_value"] >= row.cells["annual_value"]
            owners = store.answer(audit.id, "framework_owners")
            assert owners is None or owners == ["none"] or "none" not in owners
            answers = store.answers(audit.id)
            for part, whole in (
                ("cloud_spend", "total_tech_spend"),
                ("gcloud_spend", "framework_spend"),
            ):
                if part in answers:
                    assert answers[part] <= answers[whole]


def test_the_demo_answers_only_what_the_form_shows(
    store: Store, questionnaire: Questionnaire
) -> None:
    """No stale answer to a hidden question (a Digital Leader on the board, none nominated)."""
    write_demo(store, DemoSize(departments=6, cycles=2), seed=2013)
    for audit in store.audits():
        answers = store.answers(audit.id)
        hidden = set(answers) - visible_questions(questionnaire, answers)
        assert hidden == set(), (audit.department_name, audit.cycle)
        if answers.get("digital_leader_nominated") is not True:
            roles = [r.cells for r in store.rows(audit.id, "senior_roles")]
            assert all(r.get("role_type") != "digital_leader" for r in roles)


def test_the_demo_history_names_its_auditors_not_the_login(store: Store) -> None:
    """A signed-off demo audit once read 'by root' under a header naming 'A. Auditor'."""
    from models.audit_history import last_signed_off

    login = store.actor
    write_demo(store, SIZE)
    audits = [a for d in store.departments() for a in store.audits(d.id)]
    signed = [a for a in audits if a.status == "signed_off"]
    assert signed
    for audit in signed:
        move = last_signed_off(store, audit.id)
        assert move is not None and move.who == audit.auditor
        assert audit.auditor in ("A. Auditor", "R. Huws", "P. Okafor")
    assert store.actor == login  # what is typed next is the person's at the keyboard
