"""Regressions found in review of the foreign import: repeats per sheet, units, percentages,
edits undone by a replace, GMPP projects without a category."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from importers.cell_parsers import holds_points, parse_percentage
from importers.foreign_plan import (
    Choices,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from models.questionnaire import Questionnaire
from models.store import Store
from models.verify import verify
from tests.importers import foreign_files as F

HEADER = ["Department", "Supplier", "Service", "Annual value", "End date"]


def _dwp(store: Store) -> str:
    return store.add_department(
        "Department for Work and Pensions", "DWP", "department-for-work-pensions"
    ).id


def _two_year_workbook(path: Path) -> Path:
    """One workbook, a sheet of contracts per year: both sheets go to the contracts table."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "2023"
    for row in (HEADER, ["DWP", "Acme", "Hosting", 1000, "31/03/2026"]):
        first.append(row)
    second = book.create_sheet("2024")
    for row in (HEADER, ["DWP", "Gamma", "Cloud", 3000, "31/03/2028"]):
        second.append(row)
    book.save(path)
    book.close()
    return path


def _import(store: Store, path: Path, q: Questionnaire, sheet: str = "", **kw: str) -> list[str]:
    foreign = read_foreign(path, q)
    try:
        choices = Choices(cycle="2025", whole_department=True)
        if sheet:
            choices.recognition = next(
                i for i, r in enumerate(foreign.recognitions) if r.sheet == sheet
            )
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, q)
        report = apply_foreign(store, plan, q, on_repeat=kw.get("on_repeat"))
        return report.notes
    finally:
        foreign.close()


def _suppliers(store: Store) -> list[str]:
    rows = store.conn.execute(
        "SELECT json_extract(cells, '$.supplier') FROM table_rows ORDER BY position"
    ).fetchall()
    return [r[0] for r in rows]


def test_second_sheet_of_a_workbook_is_not_a_repeat_of_the_first(store, questionnaire, tmp_path):
    """Same file, same table, different sheet: importing 2024 after 2023 keeps both."""
    _dwp(store)
    path = _two_year_workbook(tmp_path / "contracts.xlsx")
    _import(store, path, questionnaire, "2023")
    _import(store, path, questionnaire, "2024")  # was: ValueError 'imported before'
    assert _suppliers(store) == ["Acme", "Gamma"]
    # and 'replace' of the 2024 sheet replaces 2024's rows only, never 2023's
    _import(store, path, questionnaire, "2024", on_repeat="replace")
    assert _suppliers(store) == ["Acme", "Gamma"]
    assert verify(store).ok


def test_renamed_csv_is_still_a_repeat(store, questionnaire, tmp_path):
    """A CSV's 'sheet' is its file name: renaming the file must not defeat repeat detection."""
    _dwp(store)
    first = tmp_path / "contracts.csv"
    first.write_text(",".join(HEADER) + "\nDWP,Acme,Hosting,1000,31/03/2026\n", encoding="utf-8")
    _import(store, first, questionnaire)
    renamed = tmp_path / "contracts (1).csv"
    renamed.write_bytes(first.read_bytes())
    with pytest.raises(ValueError, match="imported into"):
        _import(store, renamed, questionnaire)
    assert _suppliers(store) == ["Acme"]


def test_gmpp_like_header_in_plain_pounds_is_not_multiplied_by_a_million(
    store, questionnaire, tmp_path
):
    """'Whole Life Cost (£)' says pounds: £25,000,000 must not become £25 trillion."""
    _dwp(store)
    path = tmp_path / "projects.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Department", "Project Name", "Delivery Confidence", "Whole Life Cost (£)"],
        ["DWP", "Digital Case Management", "Amber", 25_000_000],
    ):
        sheet.append(row)
    book.save(path)
    book.close()
    foreign = read_foreign(path, questionnaire)
    try:
        plan = plan_foreign(
            WorkspaceFacts.of(store),
            foreign,
            Choices(cycle="2025", tech_filter=False, whole_department=True),
            questionnaire,
        )  # fmt: skip
        assert plan.recognition.layout_id == "gmpp"
        assert plan.rows[0].row.cells["whole_life_cost"] == 25_000_000.0
    finally:
        foreign.close()


def test_real_gmpp_millions_still_scaled(store, questionnaire):
    """The fix above must keep the published '(£m)' columns in pounds."""
    _dwp(store)
    foreign = read_foreign(F.gmpp_xlsx(Path(store.path).parent), questionnaire)
    try:
        assert foreign.recognitions[0].mapping.units["whole_life_cost"] == 1e6
    finally:
        foreign.close()


def test_whole_percent_one_is_one_percent():
    """A column of whole percentages (5, 20, 1): '1' is 1%, not a fraction meaning 100%,
    whether it came as '1' (CSV), 1 or 1.0 (a spreadsheet); judged by the column."""
    assert holds_points(["5", "20", "1"]) and holds_points([5.0, 20.0, 1.0])
    assert parse_percentage("1", points=True) == 1.0
    assert parse_percentage(1, points=True) == 1.0
    assert parse_percentage(1.0, points=True) == 1.0
    assert parse_percentage("0.45") == 45.0  # a fraction, as Excel keeps 45%
    assert parse_percentage(0.45) == 45.0


def test_replace_says_how_many_rows_were_edited_since(store, questionnaire, tmp_path):
    """Replacing an earlier import undoes edits made to its rows since: the report says so."""
    _dwp(store)
    _import(store, F.DWP_WMI_CSV, questionnaire)
    audit = store.audits()[0]
    first, second = store.rows(audit.id, "department_workforce")[:2]
    store.set_cell(audit.id, first.id, "cost", 9_000.0)
    store.set_cell(audit.id, second.id, "cost", 12_000.0)
    foreign = read_foreign(F.DWP_WMI_CSV, questionnaire)
    try:
        plan = plan_foreign(
            WorkspaceFacts.of(store),
            foreign,
            Choices(cycle="2025", whole_department=True),
            questionnaire,
        )
        assert [t.edited for t in plan.repeats] == [2]
        report = apply_foreign(store, plan, questionnaire, on_repeat="replace")
    finally:
        foreign.close()
    assert any("2 of them edited since" in note for note in report.notes)


def test_gmpp_without_a_category_column_keeps_projects_named_for_technology(
    store, questionnaire, tmp_path
):
    _dwp(store)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["GMPP ID Number", "Project Name", "Department", "Delivery Confidence Assessment",
         "Whole Life Costs (£m)"]
    )  # fmt: skip
    sheet.append(["DWP-001", "Digital Case Management", "DWP", "Amber", 120])
    sheet.append(["DWP-002", "Estates Rationalisation", "DWP", "Green", 80])
    path = tmp_path / "gmpp-no-category.xlsx"
    book.save(path)
    foreign = read_foreign(path, questionnaire)
    try:
        plan = plan_foreign(
            WorkspaceFacts.of(store),
            foreign,
            Choices(cycle="2013", whole_department=True),
            questionnaire,
        )
    finally:
        foreign.close()
    kept = {r.row.cells.get("name"): r.imported for r in plan.rows}
    assert kept == {"Digital Case Management": True, "Estates Rationalisation": False}


def test_reimport_after_merge_is_a_repeat_not_a_double(store, questionnaire, tmp_path):
    """Import in workspace A, package to B, import the same file in B: B knows it is a repeat,
    and each merged row still says which file and row it came from."""
    from models.audit_package import read_package, write_package
    from models.foreign_imports import provenance
    from models.merge import apply_merge

    _dwp(store)
    _import(store, F.DWP_WMI_CSV, questionnaire)
    package = tmp_path / "dwp.baseline-package"
    write_package(store, package, [a.id for a in store.audits()])
    other = Store(tmp_path / "other.sqlite")
    try:
        _dwp(other)
        apply_merge(other, read_package(package))
        rows = other.rows(other.audits()[0].id, "department_workforce")
        assert len(rows) == 20
        found = provenance(other, rows[0].id)
        assert found is not None and found[0].file_name == F.DWP_WMI_CSV.name
        foreign = read_foreign(F.DWP_WMI_CSV, questionnaire)
        try:
            plan = plan_foreign(
                WorkspaceFacts.of(other),
                foreign,
                Choices(cycle="2025", whole_department=True),
                questionnaire,
            )
            assert [t.repeats for t in plan.targets] == [1]
            apply_foreign(other, plan, questionnaire, on_repeat="replace")
        finally:
            foreign.close()
        assert other.conn.execute("SELECT count(*) FROM table_rows").fetchone()[0] == 20
        assert verify(other).ok
        apply_merge(other, read_package(package))  # merging again changes nothing twice
        assert other.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    finally:
        other.close()
