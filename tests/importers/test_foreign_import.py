"""Foreign files into a real workspace: routing, filtering, repeats, provenance, all or nothing."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from importers.foreign_plan import (
    NOT_TECHNOLOGY,
    Choices,
    ForeignFile,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from importers.import_report import SKIPPED
from importers.source_table import ImportFileError
from models.foreign_imports import imported_rows, imports_of, provenance
from models.progress import Cancelled
from models.questionnaire import Questionnaire
from models.reference import departments
from models.store import Store
from models.verify import verify
from tests.importers import foreign_files as F


def _add(store: Store, name: str) -> str:
    entry = next(d for d in departments() if d.name == name)
    return store.add_department(entry.name, entry.abbreviation, entry.govuk_id).id


@pytest.fixture
def workspace(store: Store) -> Store:
    for name in (
        "Department for Work and Pensions",
        "Home Office",
        "Department for Education",
        "Ministry of Defence",
        "Cabinet Office",
    ):
        _add(store, name)
    return store


@pytest.fixture
def read(questionnaire: Questionnaire) -> Iterator[object]:
    opened: list[ForeignFile] = []

    def reader(path: Path) -> ForeignFile:
        foreign = read_foreign(path, questionnaire)
        opened.append(foreign)
        return foreign

    yield reader
    for foreign in opened:
        foreign.close()


def _plan(store: Store, foreign: ForeignFile, q: Questionnaire, **choices: object):  # type: ignore[no-untyped-def]
    choices.setdefault("whole_department", True)  # WMI: confirmed (tested on its own)
    return plan_foreign(WorkspaceFacts.of(store), foreign, Choices(**choices), q)  # type: ignore[arg-type]


def _counts(store: Store) -> tuple[int, int, int, int, int]:
    conn = store.conn
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("audits", "table_rows", "history", "imports", "imported_rows")
    )


def test_dwp_workforce_return_imports_with_its_figures_traceable(workspace, read, questionnaire):
    """The DWP January 2025 WMI: payroll headcount by grade group sums to the file's own
    total (92,799) and contingent labour is 818, each row traced to its source cell row."""
    foreign = read(F.DWP_WMI_CSV)
    plan = _plan(workspace, foreign, questionnaire, cycle="2025")
    report = apply_foreign(workspace, plan, questionnaire)
    dwp = workspace.find_department("DWP")
    assert dwp is not None
    audit = workspace.find_audit(dwp.id, "2025")
    assert audit is not None and audit.source.startswith("imported from 04_wmi_dwp_2025-01.csv")
    assert foreign.book.checksum[:12] in audit.source
    # Version 2: the whole department's staff go to their own table, not the technology one.
    assert audit.questionnaire_version == 2 and workspace.rows(audit.id, "workforce_mix") == []
    rows = workspace.rows(audit.id, "department_workforce")
    assert len(rows) == report.imported == 20
    own = []
    for row in rows:
        record, source_row, source = provenance(workspace, row.id)  # type: ignore[misc]
        assert record.checksum == foreign.book.checksum and record.file_name == F.DWP_WMI_CSV.name
        if source["organisation"] == "Department for Work and Pensions":
            own.append((row.cells, source_row, source))
    payroll = [c for c, _, s in own if c["staff_group"] == "payroll"]
    assert sum(c.get("headcount", 0) for c in payroll) == 92_799  # the file's Payroll Total
    assert {c["grade_group"] for c in payroll} >= {"ao_aa", "scs"}
    assert {(c["body"], c["month"]) for c, _, _ in own} == {
        ("Department for Work and Pensions", "2025-01")
    }
    contingent = [c for c, _, _ in own if c["staff_group"] != "payroll"]
    assert {c["grade_group"] for c in contingent} == {"all_grades"}
    assert sum(c.get("headcount", 0) for c in contingent) == 818  # Total Contingent labour
    assert {n for _, n, _ in own} == {2}  # DWP's own organisation row in the CSV
    assert verify(workspace).ok


def test_rows_are_routed_by_department_and_unknown_ones_reported(workspace, read, questionnaire):
    foreign = read(F.gmpp_xlsx(workspace.path.parent))
    plan = _plan(workspace, foreign, questionnaire, cycle="2013")
    routed = {r.department.name for r in plan.rows if r.imported and r.department}
    assert routed == {"Department for Work and Pensions", "Home Office"}  # "DWP" and "HO"
    reasons = [r.reason for r in plan.rows if not r.imported]
    assert any("'MoJ' is not in this workspace" in reason for reason in reasons)
    assert plan.report.skipped == len(reasons)


def test_a_chosen_department_leaves_other_departments_rows_out(workspace, read, questionnaire):
    foreign = read(F.CS_STATISTICS_CSV)
    plan = _plan(workspace, foreign, questionnaire, cycle="2023", department="DWP")
    assert {r.department.name for r in plan.rows if r.imported} == {  # type: ignore[union-attr]
        "Department for Work and Pensions"
    }
    left = plan.report.skipped_reasons()
    assert left["for Ministry of Defence, not Department for Work and Pensions"] > 0
    assert plan.report.imported + plan.report.skipped == len(plan.rows)


def test_technology_filter_is_visible_and_adjustable(workspace, read, questionnaire):
    foreign = read(F.organogram_senior_csv(workspace.path.parent))
    filtered = _plan(workspace, foreign, questionnaire, cycle="2024")
    everything = _plan(workspace, foreign, questionnaire, cycle="2024", tech_filter=False)
    assert filtered.tech_filter and filtered.importable < everything.importable
    left_out = [r for r in filtered.rows if r.reason == NOT_TECHNOLOGY]
    assert left_out, "the filter leaves posts out, each with its reason"
    assert all(r.technology for r in filtered.rows if r.imported)
    kept = left_out[0].row.source_row
    dropped = next(r.row.source_row for r in filtered.rows if r.imported)
    adjusted = _plan(
        workspace, foreign, questionnaire, cycle="2024", include={kept}, exclude={dropped}
    )
    states = {r.row.source_row: r.imported for r in adjusted.rows}
    assert states[kept] and not states[dropped]
    assert adjusted.importable == filtered.importable


def test_repeat_of_the_same_file_is_replaced_or_skipped_never_doubled(
    workspace, read, questionnaire
):
    foreign = read(F.DWP_WMI_CSV)
    apply_foreign(workspace, _plan(workspace, foreign, questionnaire, cycle="2025"), questionnaire)
    before = _counts(workspace)
    again = _plan(workspace, foreign, questionnaire, cycle="2025")
    assert [t.department.abbreviation for t in again.repeats] == ["DWP"]
    with pytest.raises(ValueError, match="imported into Department for Work and Pensions"):
        apply_foreign(workspace, again, questionnaire)
    assert _counts(workspace) == before
    skipped = apply_foreign(workspace, again, questionnaire, on_repeat="skip")
    assert skipped.imported == 0 and _counts(workspace) == before
    apply_foreign(workspace, again, questionnaire, on_repeat="replace")
    after = _counts(workspace)
    assert after[1] == before[1] and after[3] == before[3] and after[4] == before[4]
    audit = workspace.audits()[0]
    assert len(imports_of(workspace, audit.id)) == 1
    assert verify(workspace).ok


def test_a_signed_off_audit_gets_nothing_and_says_why(workspace, read, questionnaire):
    foreign = read(F.DWP_WMI_CSV)
    dwp = workspace.find_department("DWP")
    assert dwp is not None
    audit = workspace.create_audit(dwp.id, "2025", questionnaire)
    workspace.conn.execute("UPDATE audits SET status = 'signed_off' WHERE id = ?", [audit.id])
    plan = _plan(workspace, foreign, questionnaire, cycle="2025")
    assert plan.importable == 0
    assert set(plan.report.skipped_reasons()) == {
        "the Department for Work and Pensions audit for 2025 is signed off"
    }


def _big_csv(folder: Path, rows: int) -> Path:
    path = folder / "roles.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Post ref", "Job title", "Grade", "Department", "FTE"])
        for i in range(rows):
            writer.writerow([f"P{i}", "Chief Technology Officer", "SCS2", "DWP", "1"])
    return path


def test_cancel_while_writing_leaves_the_workspace_as_it_was(workspace, read, questionnaire):
    foreign = read(_big_csv(workspace.path.parent, 12_000))
    plan = _plan(workspace, foreign, questionnaire, cycle="2025")
    assert plan.importable == 12_000
    before = _counts(workspace)
    calls = []

    def stop_after_first_chunk(done: int, total: int) -> None:
        calls.append(done)

    with pytest.raises(Cancelled):
        apply_foreign(
            workspace,
            plan,
            questionnaire,
            progress=stop_after_first_chunk,
            should_cancel=lambda: bool(calls),
        )
    assert calls, "some rows were written before the cancel"
    assert _counts(workspace) == before  # the new audit, its rows and history all undone


def test_provenance_goes_with_a_deleted_row(workspace, read, questionnaire):
    foreign = read(F.DWP_WMI_CSV)
    apply_foreign(workspace, _plan(workspace, foreign, questionnaire, cycle="2025"), questionnaire)
    audit = workspace.audits()[0]
    record = imports_of(workspace, audit.id)[0]
    first = workspace.rows(audit.id, "department_workforce")[0]
    workspace.delete_rows(audit.id, "department_workforce", [first.id])
    assert provenance(workspace, first.id) is None
    assert len(imported_rows(workspace, record.id)) == 19


def test_nothing_is_half_written_when_the_database_refuses(workspace, read, questionnaire):
    """A failure part-way (here a trigger refusing the 3rd audit's rows) undoes the lot."""
    foreign = read(F.CS_STATISTICS_CSV)
    plan = _plan(workspace, foreign, questionnaire, cycle="2023")
    assert len(plan.targets) >= 3
    victim = plan.targets[2].department.id
    workspace.conn.execute(
        "CREATE TRIGGER test_refuse BEFORE INSERT ON audits WHEN NEW.department_id = "
        f"'{victim}' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    before = _counts(workspace)
    with pytest.raises(Exception, match="disk full"):
        apply_foreign(workspace, plan, questionnaire)
    assert _counts(workspace) == before


def test_report_lists_every_row_left_out_and_exports(workspace, read, questionnaire, tmp_path):
    foreign = read(F.CS_STATISTICS_CSV)
    plan = _plan(workspace, foreign, questionnaire, cycle="2023", department="DWP")
    report = apply_foreign(workspace, plan, questionnaire)
    assert report.imported + report.skipped == len(plan.rows)
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    body = lines[lines.index(["Source row", "Outcome", "Audit", "Detail"]) + 1 :]
    assert sum(1 for line in body if line[1] == SKIPPED) == report.skipped
    assert "9,0" in report.summary() or f"{report.skipped:,}" in report.summary()


def test_workspace_file_is_untouched_by_a_dry_run_plan(workspace, read, questionnaire):
    foreign = read(F.HOME_OFFICE_WMI_ODS)
    workspace.close()
    raw = sqlite3.connect(workspace.path)
    before = raw.execute("SELECT count(*) FROM history").fetchone()[0]
    with Store(workspace.path) as again:
        plan = _plan(again, foreign, questionnaire, cycle="2025")
        assert plan.importable > 0
    assert raw.execute("SELECT count(*) FROM history").fetchone()[0] == before
    raw.close()


def test_hand_made_prior_audit_workbook_imports_into_a_chosen_department(
    workspace, read, questionnaire
):
    """Title rows, merged header cells, money as text, text dates, totals and notes rows."""
    foreign = read(F.prior_audit_xlsx(workspace.path.parent))
    plan = _plan(workspace, foreign, questionnaire, cycle="2012", department="DfE")
    assert plan.mapping.target == "contracts"
    report = apply_foreign(workspace, plan, questionnaire)
    assert report.imported == 3
    assert report.skipped_reasons() == {"totals row": 1, "notes row": 1}
    dfe = workspace.find_department("Department for Education")
    assert dfe is not None
    audit = workspace.find_audit(dfe.id, "2012")
    assert audit is not None
    rows = {r.cells["supplier"]: r.cells for r in workspace.rows(audit.id, "contracts")}
    assert rows["Capgemini"]["annual_value"] == 1_200_000.0  # "£1.2m"
    assert rows["Capgemini"]["total_value"] == 6_000_000.0  # "£6m"
    assert rows["Capgemini"]["end_date"] == "2012-03-01"  # "March 2012"
    assert rows["Atos"]["annual_value"] == 1_234_000.0  # "1,234k"
    assert rows["Atos"]["end_date"] == "2014-03-31"  # "31/03/2014"
    assert rows["Kainos"]["route"] == "cloudstore_g_cloud"  # "G-Cloud"


def test_re_planning_a_tick_or_cycle_reuses_the_rows_already_read(
    workspace, read, questionnaire, tmp_path
):
    """A tick in the preview re-plans from the rows already extracted: the file is not read
    again (here it is gone from the disk), and a different mapping reads it afresh."""
    source = tmp_path / "copy.csv"
    source.write_bytes(F.DWP_WMI_CSV.read_bytes())
    foreign = read(source)
    first = _plan(workspace, foreign, questionnaire, cycle="2025")
    source.unlink()
    again = _plan(workspace, foreign, questionnaire, cycle="2026", exclude={2})
    assert again.importable == first.importable - 7  # DWP's own row gave 7 staff groups
    assert {t.cycle for t in again.targets} == {"2026"}
    changed = foreign.recognitions[0].mapping
    other = type(changed).from_json(changed.to_json())
    other.name = "changed"
    with pytest.raises(ImportFileError):
        _plan(workspace, foreign, questionnaire, cycle="2025", mapping=other)
