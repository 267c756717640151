"""The workspace store: what is written is there when the file is opened again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.questionnaire import Questionnaire, parse_questionnaire
from models.records import Audit
from models.store import DuplicateAuditError, Store

LONG = "".join(chr(0x61 + i % 26) for i in range(32_767))  # Excel's cell limit, in characters


def new_audit(store: Store, questionnaire: Questionnaire, cycle: str = "2013 baseline") -> Audit:
    dept = store.add_department("Department for Transport", "DfT")
    return store.create_audit(dept.id, cycle, questionnaire, auditor="R. Huws")


def cells_in_order(store: Store, audit_id: str, table_id: str) -> list[dict[str, Any]]:
    rows = store.rows(audit_id, table_id)
    assert [r.position for r in rows] == list(range(len(rows))), "positions must be 0..n-1"
    return [r.cells for r in rows]


def test_everything_written_is_found_after_reopening(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    answers: dict[str, Any] = {
        "digital_leader_nominated": True,
        "cio_on_board": False,
        "board_tech_expert_count": 3,
        "scs_tech_policy_trained_pct": 45.5,
        "total_tech_spend": 1_250_000.5,
        "digital_strategy_date": "2013-03-31",
        "board_tech_item_frequency": "quarterly",
        "framework_owners": ["privacy", "security"],
        "board_capability_maturity": 4,
        "digital_leader_post": "Cyfarwyddwr Cyffredinol — ŵ ŷ Ŵ Ŷ 🚀",
        "senior_roles_notes": "First line\nSecond line\r\nThird\ttabbed",
        "workforce_source": LONG,
        "tech_spend_year": "=SUM(A1:A9)",
    }
    comments = {
        "cio_on_board": "Gwelwyd yng nghofnodion y bwrdd 👀\n— Siân",
        "total_tech_spend": '=HYPERLINK("http://example.com")',
    }
    cells = [
        {"post_ref": "DIG-01", "job_title": "Prif Swyddog Digidol ŵŷ", "grade": "scs2",
         "board_member": True, "fte": 0.6, "pay_floor": 98_000.0},
        {"post_ref": "=1+1", "job_title": "Line one\nLine two", "post_holder_name": "Zoë 🙂"},
    ]  # fmt: skip
    with Store(path) as store:
        dept = store.add_department("Llywodraeth Cymru ŵ", "LlC")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, auditor="Ŵyn Huws")
        for question_id, value in answers.items():
            store.set_answer(audit.id, question_id, value)
        for question_id, text in comments.items():
            store.set_comment(audit.id, question_id, text)
        written = store.insert_rows(audit.id, "senior_roles", 0, cells)
        store.set_audit_fields(audit.id, status="submitted")

    with Store(path) as reopened:
        assert reopened.departments() == [dept]
        found = reopened.audit(audit.id)
        assert (found.department_name, found.cycle, found.auditor, found.status) == (
            "Llywodraeth Cymru ŵ", "2013 baseline", "Ŵyn Huws", "submitted",
        )  # fmt: skip
        stored = reopened.answers(audit.id)
        assert stored == answers
        assert len(stored["workforce_source"]) == 32_767
        assert type(stored["total_tech_spend"]) is float
        assert type(stored["board_tech_expert_count"]) is int
        assert reopened.answer(audit.id, "tech_spend_year") == "=SUM(A1:A9)"
        assert reopened.comments(audit.id) == comments
        rows = reopened.rows(audit.id, "senior_roles")
        assert [(r.id, r.position, r.cells) for r in rows] == [
            (written[0].id, 0, cells[0]),
            (written[1].id, 1, cells[1]),
        ]
        assert reopened.row_counts(audit.id) == {"senior_roles": 2}


def test_blank_answers_clear(store: Store, questionnaire: Questionnaire) -> None:
    audit = new_audit(store, questionnaire)
    for blank in (None, "", []):
        store.set_answer(audit.id, "framework_owners", ["privacy"])
        store.set_answer(audit.id, "framework_owners", blank)
        assert store.answer(audit.id, "framework_owners") is None
        assert "framework_owners" not in store.answers(audit.id)


def test_answer_is_replaced_not_duplicated(store: Store, questionnaire: Questionnaire) -> None:
    audit = new_audit(store, questionnaire)
    store.set_answer(audit.id, "cio_on_board", True)
    store.set_answer(audit.id, "cio_on_board", False)
    assert store.answers(audit.id) == {"cio_on_board": False}


def test_comment_is_replaced_and_blank_removes_it(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit = new_audit(store, questionnaire)
    store.set_comment(audit.id, "cio_on_board", "Seen in draft minutes")
    store.set_comment(audit.id, "cio_on_board", "Seen in minutes")
    assert store.comments(audit.id) == {"cio_on_board": "Seen in minutes"}
    store.set_comment(audit.id, "cio_on_board", "")
    assert store.comments(audit.id) == {}


def test_duplicate_audit_for_the_same_cycle(store: Store, questionnaire: Questionnaire) -> None:
    audit = new_audit(store, questionnaire, "2013 baseline")
    with pytest.raises(DuplicateAuditError) as info:
        # surrounding spaces are trimmed, so this is the same cycle
        store.create_audit(audit.department_id, " 2013 baseline ", questionnaire)
    assert "Department for Transport" in str(info.value)
    assert "'2013 baseline'" in str(info.value)
    assert [a.id for a in store.audits()] == [audit.id]
    # another department may have the same cycle, and the same department another cycle
    other = store.add_department("Home Office")
    store.create_audit(other.id, "2013 baseline", questionnaire)
    store.create_audit(audit.department_id, "2014 review", questionnaire)
    assert len(store.audits()) == 3


def test_audit_and_department_need_names(store: Store, questionnaire: Questionnaire) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        store.add_department("   ")
    audit = new_audit(store, questionnaire)
    with pytest.raises(ValueError, match="cycle"):
        store.create_audit(audit.department_id, " ", questionnaire)
    with pytest.raises(ValueError, match="unknown status"):
        store.set_audit_fields(audit.id, status="approved")


def test_find_department_by_name_or_abbreviation(store: Store) -> None:
    dept = store.add_department("Department for Transport", "DfT")
    assert store.find_department("dft") == dept
    assert store.find_department("department for transport") == dept
    assert store.find_department(dept.id) == dept
    assert store.find_department("") is None  # an empty abbreviation matches nothing


def letters(store: Store, audit_id: str) -> list[str]:
    return [c["post_ref"] for c in cells_in_order(store, audit_id, "senior_roles")]


def with_rows(store: Store, questionnaire: Questionnaire, refs: str) -> Audit:
    audit = new_audit(store, questionnaire)
    store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": r} for r in refs])
    return audit


def test_insert_rows_in_the_middle_shifts_later_rows(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit = with_rows(store, questionnaire, "ABC")
    inserted = store.insert_rows(
        audit.id, "senior_roles", 1, [{"post_ref": "X"}, {"post_ref": "Y"}]
    )
    assert [(r.position, r.cells["post_ref"]) for r in inserted] == [(1, "X"), (2, "Y")]
    assert letters(store, audit.id) == ["A", "X", "Y", "B", "C"]
    # at the top and at the end
    store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "T"}])
    store.insert_rows(audit.id, "senior_roles", 6, [{"post_ref": "E"}])
    assert letters(store, audit.id) == ["T", "A", "X", "Y", "B", "C", "E"]


def test_insert_rows_keeps_given_ids(store: Store, questionnaire: Questionnaire) -> None:
    audit = new_audit(store, questionnaire)
    store.insert_rows(audit.id, "contracts", 0, [{"supplier": "BT plc"}], ids=["row-1"])
    assert [r.id for r in store.rows(audit.id, "contracts")] == ["row-1"]
    with pytest.raises(ValueError):
        store.insert_rows(audit.id, "contracts", 0, [{}, {}], ids=["only-one"])


def test_tables_and_audits_keep_their_own_rows(store: Store, questionnaire: Questionnaire) -> None:
    audit = with_rows(store, questionnaire, "AB")
    other = store.create_audit(audit.department_id, "2014 review", questionnaire)
    store.insert_rows(other.id, "senior_roles", 0, [{"post_ref": "Z"}])
    store.insert_rows(audit.id, "contracts", 0, [{"supplier": "BT plc"}])
    # inserting at the top of one table leaves the other table's positions alone
    store.insert_rows(audit.id, "contracts", 0, [{"supplier": "Fujitsu"}])
    assert letters(store, audit.id) == ["A", "B"]
    assert letters(store, other.id) == ["Z"]
    assert store.row_counts(audit.id) == {"senior_roles": 2, "contracts": 2}


def test_delete_rows_closes_the_gaps(store: Store, questionnaire: Questionnaire) -> None:
    audit = with_rows(store, questionnaire, "ABCDE")
    rows = store.rows(audit.id, "senior_roles")
    store.delete_rows(audit.id, "senior_roles", [rows[1].id, rows[3].id])
    assert letters(store, audit.id) == ["A", "C", "E"]  # cells_in_order checks 0, 1, 2
    store.delete_rows(audit.id, "senior_roles", [rows[0].id])
    assert letters(store, audit.id) == ["C", "E"]


@pytest.mark.parametrize(
    ("start", "to", "expected"),
    [
        (0, 2, ["B", "C", "A", "D"]),  # down
        (3, 0, ["D", "A", "B", "C"]),  # up to the top
        (1, 2, ["A", "C", "B", "D"]),  # one down
        (2, 1, ["A", "C", "B", "D"]),  # one up
        (0, 3, ["B", "C", "D", "A"]),  # to the bottom
        (2, 2, ["A", "B", "C", "D"]),  # nowhere
    ],
)
def test_move_row(
    store: Store, questionnaire: Questionnaire, start: int, to: int, expected: list[str]
) -> None:
    audit = with_rows(store, questionnaire, "ABCD")
    row = store.rows(audit.id, "senior_roles")[start]
    store.move_row(audit.id, "senior_roles", row.id, to)
    assert letters(store, audit.id) == expected


def test_move_unknown_row(store: Store, questionnaire: Questionnaire) -> None:
    audit = with_rows(store, questionnaire, "AB")
    with pytest.raises(KeyError):
        store.move_row(audit.id, "senior_roles", "no-such-row", 0)
    assert letters(store, audit.id) == ["A", "B"]


def test_set_and_clear_cells(store: Store, questionnaire: Questionnaire) -> None:
    audit = new_audit(store, questionnaire)
    [row] = store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "DIG-01", "fte": 1.0}])
    store.set_cell(audit.id, row.id, "grade", "scs2")
    store.set_cell(audit.id, row.id, "job_title", '=CONCAT("a","b") "quoted" ŵ 🚀')
    store.set_cell(audit.id, row.id, "board_member", False)
    store.set_cell(audit.id, row.id, "fte", 0.6)
    assert cells_in_order(store, audit.id, "senior_roles") == [
        {"post_ref": "DIG-01", "fte": 0.6, "grade": "scs2", "board_member": False,
         "job_title": '=CONCAT("a","b") "quoted" ŵ 🚀'},
    ]  # fmt: skip
    store.set_cell(audit.id, row.id, "grade", None)
    store.set_cell(audit.id, row.id, "job_title", "")
    assert cells_in_order(store, audit.id, "senior_roles") == [
        {"post_ref": "DIG-01", "fte": 0.6, "board_member": False}
    ]


def test_set_cells_writes_a_paste_at_once(store: Store, questionnaire: Questionnaire) -> None:
    audit = with_rows(store, questionnaire, "AB")
    a, b = store.rows(audit.id, "senior_roles")
    store.set_cells(
        audit.id, [(a.id, "grade", "g7"), (b.id, "grade", "g6"), (a.id, "post_ref", None)]
    )
    assert cells_in_order(store, audit.id, "senior_roles") == [
        {"grade": "g7"},
        {"post_ref": "B", "grade": "g6"},
    ]


REDUCED = """
id: board-technology-baseline
version: 2
title: Reduced
sections:
  - id: board
    title: Board
    questions:
      - {id: cio_on_board, type: yesno, label: CIO, score: {true: 5, false: 1}}
      - {id: brand_new, type: text, label: New this year}
  - id: senior_roles
    title: Senior roles
    scored: false
    questions:
      - id: senior_roles
        type: table
        label: Roles
        columns:
          - {id: post_ref, label: Post reference, type: text}
          - {id: grade, label: Grade, type: single_choice, reference: grades}
"""


def test_copy_forward(store: Store, questionnaire: Questionnaire) -> None:
    source = new_audit(store, questionnaire, "2013 baseline")
    store.set_answer(source.id, "cio_on_board", True)
    store.set_answer(source.id, "digital_leader_nominated", False)  # not in the reduced file
    store.set_comment(source.id, "cio_on_board", "From the 2013 minutes")
    store.insert_rows(
        source.id,
        "senior_roles",
        0,
        [
            {"post_ref": "DIG-01", "grade": "scs2", "fte": 1.0},  # fte: not in the reduced file
            {"post_ref": "DIG-02", "job_title": "Head of IT"},  # only a dropped column besides
        ],
    )
    store.insert_rows(source.id, "contracts", 0, [{"supplier": "BT plc"}])  # table dropped
    before = (
        store.audit(source.id),
        store.answers(source.id),
        store.comments(source.id),
        store.rows(source.id, "senior_roles"),
        store.rows(source.id, "contracts"),
    )

    reduced = parse_questionnaire(REDUCED, source="reduced.yaml")
    copy = store.copy_forward(source.id, "2014 review", reduced)

    assert copy.copied_from == source.id
    assert copy.source == "copied from 2013 baseline"
    assert (copy.cycle, copy.questionnaire_version, copy.auditor) == ("2014 review", 2, "R. Huws")
    assert store.answers(copy.id) == {"cio_on_board": True}
    assert store.comments(copy.id) == {}
    copied = store.rows(copy.id, "senior_roles")
    assert [(r.position, r.cells) for r in copied] == [
        (0, {"post_ref": "DIG-01", "grade": "scs2"}),
        (1, {"post_ref": "DIG-02"}),
    ]
    assert {r.id for r in copied}.isdisjoint(r.id for r in before[3])
    assert store.row_counts(copy.id) == {"senior_roles": 2}
    # the source is untouched
    after = (
        store.audit(source.id),
        store.answers(source.id),
        store.comments(source.id),
        store.rows(source.id, "senior_roles"),
        store.rows(source.id, "contracts"),
    )
    assert after == before
    # edits to the copy do not reach the source
    store.set_cell(copy.id, copied[0].id, "grade", "scs3")
    assert store.rows(source.id, "senior_roles")[0].cells["grade"] == "scs2"


def test_copy_forward_to_an_existing_cycle_writes_nothing(
    store: Store, questionnaire: Questionnaire
) -> None:
    source = with_rows(store, questionnaire, "AB")
    store.set_answer(source.id, "cio_on_board", True)
    store.create_audit(source.department_id, "2014 review", questionnaire)
    with pytest.raises(DuplicateAuditError):
        store.copy_forward(source.id, "2014 review", questionnaire)
    rows_in_file = store.db.execute("SELECT count(*) FROM table_rows").fetchone()[0]
    answers_in_file = store.db.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert (rows_in_file, answers_in_file, len(store.audits())) == (2, 1, 2)


def test_latest_audit_is_the_newest(store: Store, questionnaire: Questionnaire) -> None:
    first = new_audit(store, questionnaire, "2013 baseline")
    second = store.copy_forward(first.id, "2014 review", questionnaire)
    latest = store.latest_audit(first.department_id)
    assert latest is not None and latest.id == second.id
    found = store.find_audit(first.department_id, "2013 baseline")
    assert found is not None and found.id == first.id
    assert store.find_audit(first.department_id, "2015 review") is None


def test_move_row_past_the_end_goes_to_the_end_without_a_gap(
    store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Department for Education", "DfE")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    rows = store.insert_rows(audit.id, "contracts", 0, [{"supplier": s} for s in "ABC"])
    store.move_row(audit.id, "contracts", rows[0].id, 99)
    after = store.rows(audit.id, "contracts")
    assert [r.cells["supplier"] for r in after] == ["B", "C", "A"]
    assert [r.position for r in after] == [0, 1, 2]
    store.move_row(audit.id, "contracts", rows[0].id, -5)
    assert [r.cells["supplier"] for r in store.rows(audit.id, "contracts")] == ["A", "B", "C"]
