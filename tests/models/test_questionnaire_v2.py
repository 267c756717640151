"""Questionnaire version 2: the whole department's workforce kept apart from the technology
workforce, the two contractor shares compared, and version 1 audits carried forward by id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.foreign_imports import AuditRows, ImportSource, TableNotInVersionError, apply_rows
from models.formatting import format_points, format_share, share_as_printed
from models.questionnaire import (
    DefinitionError,
    current_questionnaire,
    get_questionnaire,
    load_questionnaire_file,
)
from models.scoring import score_audit
from models.store import Store

V1 = get_questionnaire("board-technology-baseline", 1)
V2 = get_questionnaire("board-technology-baseline", 2)
CONTINGENT = ("agency", "interim", "contractor", "consultant", "other_contingent")


def test_version_2_parses_and_keeps_every_version_1_id() -> None:
    assert (V2.id, V2.version) == ("board-technology-baseline", 2)
    for question in V1.questions():  # ids are never renamed or reused
        assert V2.question(question.id).type == question.type, question.id
    assert {i.id for i in V1.indicators} <= {i.id for i in V2.indicators}
    table = V2.question("department_workforce")
    assert table.section_id == "workforce" and not V1.has_question("department_workforce")
    assert [c.id for c in table.columns] == [
        "body", "month", "staff_group", "grade_group", "headcount", "fte", "cost",
    ]  # fmt: skip
    assert {r.id for r in V2.data_quality if r.table == "department_workforce"} == {
        "department_fte_above_headcount",
        "duplicate_department_workforce_row",
        "grade_group_for_non_payroll",
    }
    compared = {i.id: i for i in V2.indicators}
    share = compared["department_contractor_share_fte"]
    assert (share.kind, share.table, share.better) == ("share", "department_workforce", "lower")
    gap = compared["contractor_share_gap_fte"]
    assert (gap.kind, gap.of, gap.minus, gap.better) == (
        "difference", "contractor_share_fte", "department_contractor_share_fte", "lower",
    )  # fmt: skip
    assert share.definition and gap.definition


def test_new_audits_use_version_2(store: Store) -> None:
    assert current_questionnaire().version == 2
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2015 review", current_questionnaire())
    assert audit.questionnaire_version == 2


def test_copy_forward_from_version_1_starts_a_version_2_audit_with_answers_and_rows(
    store: Store,
) -> None:
    dept = store.add_department("Department for Work and Pensions", "DWP")
    old = store.create_audit(dept.id, "2014 review", V1)
    store.set_answer(old.id, "cio_on_board", True)
    store.set_answer(old.id, "total_tech_spend", 2_500_000.0)
    mix = [
        {"profession_family": "data", "staff_type": "contractor", "fte": 82.0, "headcount": 90},
        {"profession_family": "data", "staff_type": "permanent", "fte": 18.0},
    ]
    store.bulk_rows(old.id, "workforce_mix", mix)
    store.set_comment(old.id, "cio_on_board", "Seen in the minutes.")

    new = store.copy_forward(old.id, "2015 review", current_questionnaire())
    assert (new.questionnaire_version, new.copied_from) == (2, old.id)
    assert store.answers(new.id) == store.answers(old.id)
    assert [r.cells for r in store.rows(new.id, "workforce_mix")] == mix
    assert store.rows(new.id, "department_workforce") == []
    assert store.comments(new.id) == {}  # comments stay with the year they were written in
    assert store.audit(old.id).questionnaire_version == 1  # the old audit is left as it was


def whole(staff_group: str, fte: Any, grade: str = "all_grades") -> dict[str, Any]:
    row = {"body": "DWP", "month": "2015-03", "staff_group": staff_group, "grade_group": grade}
    return row if fte is None else {**row, "fte": fte}


def test_the_two_contractor_shares_compared_by_hand() -> None:
    """Technology: 30 of 100 FTE contractors (30%). Whole department: agency 60 + specialist
    contractors 40 of 900 + 60 + 40 = 1,000 FTE (10%); the row with no FTE is left out.
    Technology is 30 - 10 = 20 points above the department."""
    rows = {
        "workforce_mix": [
            {"profession_family": "data", "staff_type": "contractor", "fte": 30.0},
            {"profession_family": "data", "staff_type": "permanent", "fte": 70.0},
        ],
        "department_workforce": [
            whole("payroll", 900.0, "eo"),
            whole("agency", 60.0),
            whole("contractor", 40.0),
            whole("consultant", None),  # no FTE: out of both sides
        ],
    }
    found = score_audit(V2, {}, rows).indicators
    assert found["contractor_share_fte"].value == 30.0
    share = found["department_contractor_share_fte"]
    assert (share.value, share.numerator, share.denominator) == (10.0, 100.0, 1000.0)
    assert share.coverage is not None and share.coverage.text == "3 of 4 answered"
    gap = found["contractor_share_gap_fte"]
    assert (gap.kind, gap.value, gap.numerator, gap.denominator) == (
        "difference", 20.0, 30.0, 10.0,
    )  # fmt: skip
    # No department-wide rows: no department share, so no comparison; never a guess.
    alone = score_audit(V2, {}, {"workforce_mix": rows["workforce_mix"]}).indicators
    assert alone["department_contractor_share_fte"].value is None
    assert alone["contractor_share_gap_fte"].value is None
    # Version 1 has neither.
    assert "contractor_share_gap_fte" not in score_audit(V1, {}, rows).indicators


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["permanent", *CONTINGENT]), st.floats(0, 500)), max_size=6),
    st.lists(st.tuples(st.sampled_from(["payroll", *CONTINGENT]), st.floats(0, 5000)), max_size=6),
)
def test_the_comparison_is_always_the_technology_share_minus_the_departments(
    tech: list[tuple[str, float]], dept: list[tuple[str, float]]
) -> None:
    rows = {
        "workforce_mix": [{"staff_type": t, "fte": f} for t, f in tech],
        "department_workforce": [whole(g, f) for g, f in dept],
    }
    found = score_audit(V2, {}, rows).indicators
    a = found["contractor_share_fte"].value
    b = found["department_contractor_share_fte"].value
    gap = found["contractor_share_gap_fte"].value
    if a is None or b is None:
        assert gap is None
    else:
        # of the shares as printed: whole points, but '<1%' and '>99%' keep their value (F2)
        assert gap == share_as_printed(float(a)) - share_as_printed(float(b))
        assert -100 <= gap <= 100
        if format_share(a) == format_share(b):
            assert format_points(gap) == "0 points"  # the same printed share: no gap


@pytest.mark.parametrize(
    ("of", "minus", "message"),
    [
        ("no_such_share", "contractor_share_fte", "'no_such_share' is not a share indicator"),
        ("contractor_share_fte", "cio_on_board", "'cio_on_board' is not a share indicator"),
        ("contractor_share_fte", "contractor_share_fte", "needs 'of' and 'minus'"),
    ],
)
def test_a_difference_compares_two_shares_defined_before_it(
    tmp_path: Path, of: str, minus: str, message: str
) -> None:
    shipped = Path(__file__).parents[2] / "resources" / "questionnaires"
    text = (shipped / "board-technology-baseline-v2.yaml").read_text(encoding="utf-8")
    old = "    of: contractor_share_fte\n    minus: department_contractor_share_fte\n"
    assert old in text
    path = tmp_path / "board-technology-baseline-v3.yaml"
    path.write_text(text.replace(old, f"    of: {of}\n    minus: {minus}\n"), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire_file(path)
    assert "contractor_share_gap_fte" in str(caught.value) and message in str(caught.value)


def test_rows_for_a_table_a_version_1_audit_lacks_are_refused_whole(store: Store) -> None:
    """An import planned on version 2 cannot put department-wide rows into a version 1 audit:
    refused naming the audit and version, and nothing of the batch is written."""
    dept = store.add_department("Department for Work and Pensions", "DWP")
    old = store.create_audit(dept.id, "2014 review", V1)
    rows = [(whole("payroll", 900.0, "eo"), 2, {"organisation": "DWP"})]
    batch = AuditRows("department_workforce", dept.id, "2014 review", old.id, rows)
    source = ImportSource("wmi.csv", "0" * 64, "wmi")
    with pytest.raises(TableNotInVersionError) as caught:
        apply_rows(store, V2, source, [batch])
    assert "2014 review uses questionnaire version 1" in str(caught.value)
    assert "'department_workforce'" in str(caught.value)
    assert store.conn.execute("SELECT count(*) FROM table_rows").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
