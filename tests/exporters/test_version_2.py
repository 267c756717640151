"""Version 1 and version 2 audits side by side: one workbook, data returns, the board report,
merge and compare each read both, and a version 1 audit's rows land in their own columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.board_report import write_board_report
from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.audit_compare import ADDED, REMOVED, compare_audits
from models.audit_content import read_content
from models.audit_package import read_package, write_package
from models.merge import apply_merge
from models.questionnaire import get_questionnaire
from models.records import Audit
from models.store import Store
from tests.exporters import header_index, sample_audit
from tests.exporters.test_board_report import pages_text

V1 = get_questionnaire("board-technology-baseline", 1)
V2 = get_questionnaire("board-technology-baseline", 2)
# The whole department: 900 payroll + 60 agency + 40 specialist contractors = 1,000 FTE, of
# which 100 contingent (10%). The sample's technology workforce is 25% contractors by FTE.
WHOLE = [
    {"body": "Department for Transport", "month": "2014-03", "staff_group": "payroll",
     "grade_group": "eo", "headcount": 950, "fte": 900.0, "cost": 2_100_000.0},
    {"body": "Department for Transport", "month": "2014-03", "staff_group": "agency",
     "grade_group": "all_grades", "headcount": 64, "fte": 60.0},
    {"body": "DVLA", "month": "2014-03", "staff_group": "contractor",
     "grade_group": "all_grades", "headcount": 40, "fte": 40.0},
]  # fmt: skip


def both(store: Store) -> tuple[Audit, Audit]:
    """The sample audit on version 1 (2013) and on version 2 (2014) with the whole
    department's workforce."""
    old = sample_audit(store, V1, cycle="2013 baseline")
    new = sample_audit(store, V2, cycle="2014 review")
    store.insert_rows(new.id, "department_workforce", 0, WHOLE)
    return old, store.audit(new.id)


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    book = load_workbook(path)
    ws = book[name]
    index = header_index(ws)
    rows = [{h: ws.cell(r, c).value for h, c in index.items()} for r in range(2, ws.max_row + 1)]
    book.close()
    return rows


def test_one_workbook_of_both_versions_reads_back_unchanged_and_edits_land_right(
    store: Store, tmp_path: Path
) -> None:
    old, new = both(store)
    path = tmp_path / "both.xlsx"
    export_audits(store, [old.id, new.id], path)

    mix = sheet_rows(path, "Workforce mix")
    assert [r["Cycle"] for r in mix].count("2013 baseline") == 2  # version 1's rows are here
    first_old = next(r for r in mix if r["Cycle"] == "2013 baseline")
    stored = {r.id: r.cells for r in store.rows(old.id, "workforce_mix")}
    assert first_old["FTE"] == stored[first_old["Row ID"]]["fte"]  # under its own column
    whole = sheet_rows(path, "Department workforce")
    assert {r["Cycle"] for r in whole} == {"2014 review"}  # version 1 has no such table
    assert sorted(r["FTE"] for r in whole) == [40.0, 60.0, 900.0]
    assert {r["Month"] for r in whole} == {"2014-03"}

    before = (read_content(store, old.id), read_content(store, new.id))
    assert not plan_import(store, read_own_workbook(path)).changes_anything

    # Change one FTE of each version's workforce in the workbook and import it.
    book = load_workbook(path)
    edits = [("Workforce mix", "2013 baseline", 11.0)]
    edits.append(("Department workforce", "2014 review", 41.0))
    for name, cycle, fte in edits:
        ws = book[name]
        index = header_index(ws)
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, index["Cycle"]).value == cycle)
        ws.cell(row, index["FTE"]).value = fte
    book.save(path)
    plan = plan_import(store, read_own_workbook(path))
    assert not plan.problems
    apply_import(store, plan)
    assert store.audit(old.id).questionnaire_version == 1
    assert store.audit(new.id).questionnaire_version == 2
    assert 11.0 in [r.cells.get("fte") for r in store.rows(old.id, "workforce_mix")]
    assert store.rows(old.id, "department_workforce") == []
    assert 41.0 in [r.cells.get("fte") for r in store.rows(new.id, "department_workforce")]
    after = (read_content(store, old.id), read_content(store, new.id))
    assert after != before


def test_data_returns_of_either_version_round_trip(store: Store, tmp_path: Path) -> None:
    old, new = both(store)
    for audit, has_whole in ((old, False), (new, True)):
        path = tmp_path / f"return-{audit.questionnaire_version}.xlsx"
        write_data_return(store, audit.department_id, audit.cycle, path, prefill=True)
        book = load_workbook(path)
        assert ("Department workforce" in book.sheetnames) is has_whole
        book.close()
        plan = plan_import(store, read_own_workbook(path))
        assert not plan.problems and not plan.changes_anything, audit.cycle


def test_board_report_of_a_version_2_audit_prints_the_comparison(
    store: Store, tmp_path: Path
) -> None:
    _, new = both(store)
    out = tmp_path / "board.pdf"
    write_board_report(store, new.id, out)
    text = " ".join(pages_text(out))
    assert "Contingent labour share of the whole department's staff (FTE) 10%" in text
    # technology 25% minus the department's 10%: 15 points
    assert "Technology contractor share above the whole department's (FTE, points) +15 points" in (
        text
    )
    assert "minus the contingent labour share of the whole department's workforce" in text
    assert "Workforce and contractor mix: Department workforce" in text


def test_board_report_of_a_version_1_audit_has_no_comparison(store: Store, tmp_path: Path) -> None:
    old, _ = both(store)
    out = tmp_path / "board.pdf"
    write_board_report(store, old.id, out)
    text = " ".join(pages_text(out))
    assert "whole department's staff" not in text and "Department workforce" not in text


def test_merge_and_compare_read_both_versions(store: Store, tmp_path: Path) -> None:
    old, new = both(store)
    comparison = compare_audits(store, old.id, new.id)
    whole = comparison.table("department_workforce")
    assert (whole.count(ADDED), whole.count(REMOVED), whole.only_in) == (3, 0, "later")
    assert whole.title == "Workforce and contractor mix: Department workforce"  # not twice the
    assert comparison.table("workforce_mix").title == (  # section's title for two tables
        "Workforce and contractor mix: Workforce mix"
    )
    mix = comparison.table("workforce_mix")
    assert (mix.count(ADDED), mix.count(REMOVED)) == (0, 0)  # the same rows, in both versions

    package = tmp_path / "dft.baseline-package"
    write_package(store, package, [old.id, new.id])
    other = Store(tmp_path / "other.sqlite")
    try:
        apply_merge(other, read_package(package))
        versions = {a.cycle: a.questionnaire_version for a in other.audits()}
        assert versions == {"2013 baseline": 1, "2014 review": 2}
        merged = next(a for a in other.audits() if a.cycle == "2014 review")
        assert [r.cells for r in other.rows(merged.id, "department_workforce")] == WHOLE
    finally:
        other.close()
