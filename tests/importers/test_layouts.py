"""Known layouts recognised and extracted; every figure checked against the source by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from importers.column_mapping import ColumnMapping
from importers.layouts import Recognition, extract_rows, recognise, role_type_from_title
from importers.readers import open_source
from importers.source_table import ExtractedRow
from importers.tech_filter import technology_reason
from models.questionnaire import Questionnaire, get_questionnaire
from tests.importers import foreign_files as ff

# Version 1 has no department-wide table: WMI goes to the technology table, confirmed.
V1 = get_questionnaire("board-technology-baseline", 1)


def _recognise(path: Path, questionnaire: Questionnaire, sheet: str | None = None) -> Recognition:
    book = open_source(path)
    try:
        found = recognise(book, questionnaire, sheets=[sheet] if sheet else None)
    finally:
        book.close()
    assert found, f"nothing recognised in {path.name}"
    return found[0]


def _extract(
    path: Path,
    questionnaire: Questionnaire,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
) -> tuple[Recognition, list[ExtractedRow]]:
    book = open_source(path)
    try:
        rec = recognise(book, questionnaire, sheets=[sheet] if sheet else None)[0]
        iterator = book.rows(rec.sheet)
        try:
            rows = list(extract_rows(rec, iterator, questionnaire, mapping=mapping))
        finally:
            close = getattr(iterator, "close", None)
            if close:
                close()
    finally:
        book.close()
    return rec, rows


def _by_source_row(rows: list[ExtractedRow], number: int) -> list[ExtractedRow]:
    return [r for r in rows if r.source_row == number]


# ------------------------------------------------------------------ recognition


@pytest.mark.parametrize(
    ("builder", "sheet", "layout", "target"),
    [
        (ff.organogram_senior_csv, None, "organogram_senior", "senior_roles"),
        (
            ff.organogram_older_xlsx,
            "(final data) senior-staff",
            "organogram_senior",
            "senior_roles",
        ),
        (
            ff.organogram_older_xlsx,
            "(final data) junior-staff",
            "organogram_junior",
            "workforce_mix",
        ),
        (ff.gmpp_xlsx, None, "gmpp", "major_programmes"),
        (ff.wmi_older_xlsx, None, "wmi", "department_workforce"),  # version 2
        (ff.prior_audit_xlsx, None, "generic", "contracts"),
        (ff.generic_roles_csv, None, "generic", "senior_roles"),
    ],
)
def test_recognise_built_files(
    tmp_path: Path,
    questionnaire: Questionnaire,
    builder: object,
    sheet: str | None,
    layout: str,
    target: str,
) -> None:
    path = builder(tmp_path)  # type: ignore[operator]
    rec = _recognise(path, questionnaire, sheet)
    assert (rec.layout_id, rec.target) == (layout, target)
    assert 0 < rec.confidence <= 1
    assert rec.tech_filter is (layout in ("organogram_senior", "organogram_junior", "gmpp"))


def test_recognise_real_samples(questionnaire: Questionnaire) -> None:
    dwp = _recognise(ff.DWP_WMI_CSV, questionnaire)
    assert dwp.layout_id == "wmi" and dwp.editable is False and dwp.tech_filter is False
    home_office = _recognise(ff.HOME_OFFICE_WMI_ODS, questionnaire)
    assert (home_office.layout_id, home_office.sheet) == ("wmi", "Data_Sheet")
    stats = _recognise(ff.CS_STATISTICS_CSV, questionnaire)
    assert stats.layout_id == "cs_statistics" and stats.tech_filter is True
    # The generic table is never preferred over a known layout.
    assert dwp.confidence > 0.6 and stats.confidence > 0.6


def test_workbook_sheets_sorted_best_first_and_blank_sheet_left_out(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    book = open_source(ff.organogram_older_xlsx(tmp_path))
    try:
        found = recognise(book, questionnaire)
    finally:
        book.close()
    assert [r.sheet for r in found] == ["(final data) senior-staff", "(final data) junior-staff"]
    assert found[0].confidence >= found[1].confidence


# ------------------------------------------------------------------ WMI


def test_dwp_wmi_unpivots_payroll_and_non_payroll() -> None:
    rec, rows = _extract(ff.DWP_WMI_CSV, V1)
    dwp = _by_source_row(rows, 2)
    payroll = [r for r in dwp if r.cells["staff_type"] == "permanent"]
    # Read from the file: AO/AA, EO, SEO/HEO, Grade 6/7, SCS, Other headcounts.
    assert [r.cells["headcount"] for r in payroll] == [24370, 49787, 13907, 4441, 294, 0]
    assert sum(r.cells["headcount"] for r in payroll) == 92799  # the file's Payroll Total
    assert payroll[0].cells["fte"] == 20998.63
    assert [r.source["grade_group"] for r in payroll] == [
        "AO/AA", "EO", "SEO/HEO", "Grade 6/7", "SCS", "Other",
    ]  # fmt: skip
    non_payroll = [r for r in dwp if r.cells["staff_type"] != "permanent"]
    # Admin and Clerical and Other Contingent labour are blank for DWP: no rows.
    assert [(r.cells["staff_type"], r.cells["headcount"]) for r in non_payroll] == [
        ("contractor", 818)
    ]
    assert (
        non_payroll[0].source["staff_type"] == "Interim Managers & Specialist Contractors & Medical"
    )
    first = payroll[0]
    assert first.department == "Department for Work and Pensions"
    assert first.source["organisation"] == "Department for Work and Pensions"
    assert first.source["organisation_type"] == "Ministerial Department"
    assert (first.source["year"], first.source["month"]) == ("2025", "January")
    assert all(not r.problems and r.skip is None for r in rows)
    # The Pensions Regulator reports payroll only under 'Other, unknown, unspecified'.
    regulator = _by_source_row(rows, 4)
    assert [(r.source.get("grade_group"), r.cells["headcount"]) for r in regulator] == [
        ("Other", 947),
        (None, 78),
        (None, 1),
    ]
    # ... 947, 918.68 (Other), 947, 919 (Total), 78, 75.78 (Admin and Clerical), blank
    # Interim/Specialist, 1, 1 (Other Contingent labour).
    assert [r.cells["staff_type"] for r in regulator] == ["permanent", "agency", "other_contingent"]
    assert regulator[1].cells["fte"] == 75.78
    notes = " ".join(rec.notes)
    assert "Payroll staff; Total; Headcount" in notes and "monthly totals" in notes
    assert "Consultancy; Number of Contracts" in notes


def test_home_office_ods() -> None:
    _, rows = _extract(ff.HOME_OFFICE_WMI_ODS, V1)
    # Row 3, Disclosure and Barring Service: AO/AA headcount 432, FTE 327.72; SCS 10.
    dbs = _by_source_row(rows, 3)
    assert dbs[0].source["organisation"] == "Disclosure and Barring Service"
    assert (dbs[0].cells["headcount"], dbs[0].cells["fte"]) == (432, 327.72)
    scs = [r for r in dbs if r.source.get("grade_group") == "SCS"]
    assert scs[0].cells["headcount"] == 10
    # Row 2, Home Office (excl agencies): Admin and Clerical headcount 2691 -> agency.
    home = _by_source_row(rows, 2)
    agency = [r for r in home if r.cells["staff_type"] == "agency"]
    assert agency[0].cells["headcount"] == 2691
    assert home[0].department == "Home Office"


def test_older_wmi_with_stacked_header(tmp_path: Path) -> None:
    rec, rows = _extract(ff.wmi_older_xlsx(tmp_path), V1)
    assert rec.layout_id == "wmi"
    dfe = _by_source_row(rows, 5)
    payroll = [r.cells["headcount"] for r in dfe if r.cells["staff_type"] == "permanent"]
    assert payroll == [120, 900, 1500, 1100, 95, 0] and sum(payroll) == 3715
    agency = _by_source_row(rows, 6)
    assert [(r.cells["staff_type"], r.cells["headcount"], r.cells["fte"]) for r in agency][-3:] == [
        ("agency", 0, 0.0),
        ("contractor", 25, 25.0),
        ("other_contingent", 3, 2.4),
    ]
    assert {r.department for r in rows} == {"Department for Education"}


# ------------------------------------------------------------------ CS statistics


def test_cs_statistics_rows_by_hand(questionnaire: Questionnaire) -> None:
    rec, rows = _extract(ff.CS_STATISTICS_CSV, questionnaire)
    by_row = {r.source_row: r for r in rows}
    # Line 3: In post, Attorney General's Departments, Commercial, EO, 5, 5, [c], [c].
    eo = by_row[3]
    assert eo.cells == {"headcount": 5, "fte": 5.0, "staff_type": "permanent"}
    assert eo.department == "Attorney General's Departments"
    assert (eo.source["profession"], eo.source["grade"]) == ("Commercial", "EO")
    assert technology_reason(eo.source) is None
    # Line 30: ... Digital, Data and Technology, EO, 30, 25.
    ddat = by_row[30]
    assert (ddat.cells["headcount"], ddat.cells["fte"]) == (30, 25.0)
    assert technology_reason(ddat.source) == "profession 'Digital, Data and Technology'"
    # Line 2: AO with every figure '[c]': nothing to import, and the reason says why.
    assert by_row[2].skip is not None and "[c]" in by_row[2].skip
    # Leavers and entrants are not staff in post.
    assert by_row[9033].skip is not None and "New entrant CS" in by_row[9033].skip
    # The notes block at the end of the file.
    assert [by_row[n].skip for n in (9034, 9045, 9057)] == ["notes row"] * 3
    assert not any(r.problems for r in rows)
    assert any("Mean_salary" in n for n in rec.notes)


# ------------------------------------------------------------------ organograms


def test_organogram_senior_csv(tmp_path: Path, questionnaire: Questionnaire) -> None:
    rec, rows = _extract(ff.organogram_senior_csv(tmp_path), questionnaire)
    by_ref = {r.source["post_ref"]: r for r in rows}
    top = by_ref["DWP001"].cells
    assert top["reports_to"] == "XX" and top["grade"] == "scs4"
    assert top["pay_floor"] == 180000.0 and top["post_holder_name"] == "Peter Schofield"
    cdio = by_ref["DWP010"]
    assert cdio.cells["role_type"] == "cdio" and cdio.cells["grade"] == "scs3"
    assert "post_holder_name" not in cdio.cells  # N/D: not disclosed
    cto = by_ref["DWP011"].cells
    assert cto["vacant_or_interim"] == "vacant" and "post_holder_name" not in cto
    assert (cto["pay_floor"], cto["pay_ceiling"]) == (98000.0, 162500.0)
    cyber = by_ref["DWP012"].cells
    assert (cyber["pay_ceiling"], cyber["fte"], cyber["role_type"]) == (117800.0, 0.8, "ciso")
    assert by_ref["DWP020"].skip == "post eliminated"
    assert "employment_type" not in top  # not in the source: not guessed
    assert {r.department for r in rows} == {"Department for Work and Pensions", "Cabinet Office"}
    tech = {ref for ref, r in by_ref.items() if r.skip is None and technology_reason(r.source)}
    assert tech == {"DWP010", "DWP011", "DWP012", "CO020"}
    assert technology_reason(by_ref["CO020"].source) == (
        "job title 'Chief Data Officer' is the DDaT role 'Chief data officer'"
    )
    assert not any(r.problems for r in rows)
    assert rec.editable


def test_older_organogram_workbook(tmp_path: Path, questionnaire: Questionnaire) -> None:
    path = ff.organogram_older_xlsx(tmp_path)
    rec, senior = _extract(path, questionnaire, "(final data) senior-staff")
    assert any("'Grade' not 'Grade (or equivalent)'" in n for n in rec.notes)
    director = senior[1].cells
    assert (director["grade"], director["role_type"], director["post_ref"]) == (
        "scs2",
        "head_of_it",
        "2",
    )
    assert senior[2].cells["grade"] == "scs1" and senior[2].cells["vacant_or_interim"] == "vacant"
    _, junior = _extract(path, questionnaire, "(final data) junior-staff")
    assert [r.cells.get("fte") for r in junior] == [3.5, 12.0, 2.0]
    assert "headcount" not in junior[0].cells and "staff_type" not in junior[0].cells
    assert junior[0].source["unit"] == "ICT Directorate"
    assert junior[0].source["grade_group"] == "Grade 6/7"
    assert junior[0].source["reporting_senior_post"] == "2"
    assert [bool(technology_reason(r.source)) for r in junior] == [True, True, False]


def test_role_type_from_title() -> None:
    assert role_type_from_title("Chief Digital and Information Officer") == "cdio"
    assert role_type_from_title("Group CIO") == "cio"
    assert role_type_from_title("Director of Finance") is None
    assert role_type_from_title("Scio coordinator") is None  # acronyms must be whole words


# ------------------------------------------------------------------ GMPP and generic


def test_gmpp_millions_and_exemptions(tmp_path: Path, questionnaire: Questionnaire) -> None:
    rec, rows = _extract(ff.gmpp_xlsx(tmp_path), questionnaire)
    assert rec.mapping.units["whole_life_cost"] == 1e6
    by_id = {r.cells["gmpp_id"]: r for r in rows}
    uc = by_id["DWP-0001"]
    assert uc.cells["whole_life_cost"] == 2418100000.0  # 2418.1 £m
    assert uc.cells["delivery_confidence"] == "amber_red"
    assert uc.cells["name"] == "Universal Credit Programme" and uc.department == "DWP"
    esmcp = by_id["HO-0042"]
    assert "whole_life_cost" not in esmcp.cells and not esmcp.problems  # Section 43
    assert "whole_life_cost" not in by_id["DWP-0009"].cells and not by_id["DWP-0009"].problems
    assert by_id["DH-0003"].cells["whole_life_cost"] == 16270000.0  # '16.27' as text
    assert by_id["MOJ-0007"].cells["delivery_confidence"] == "amber_green"
    assert rec.format is not None
    tech = sorted(i for i, r in by_id.items() if rec.format.technology(r.source))
    assert tech == ["DH-0003", "DWP-0001", "DWP-0009", "HO-0042"]


def test_prior_audit_generic_contracts(tmp_path: Path, questionnaire: Questionnaire) -> None:
    rec, rows = _extract(ff.prior_audit_xlsx(tmp_path), questionnaire)
    assert rec.layout_id == "generic" and rec.target == "contracts"
    data = [r for r in rows if r.skip is None]
    assert [r.cells["supplier"] for r in data] == ["Capgemini", "Atos", "Kainos"]
    assert data[0].cells["annual_value"] == 1200000.0  # '£1.2m'
    assert data[1].cells["annual_value"] == 1234000.0  # '1,234k'
    assert data[0].cells["end_date"] == "2012-03-01"  # 'March 2012'
    assert data[2].cells["end_date"] == "2013-09-01"
    assert data[1].cells["total_value"] == 4936000.0
    assert [(r.source_row, r.skip) for r in rows if r.skip] == [
        (9, "totals row"),
        (10, "notes row"),
    ]


def test_unreadable_value_names_column_and_header(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "roles.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ff.GENERIC_ROLES_HEADER)
        writer.writerow(["R-01", "CIO", "SCS2", "abc", "£120,000", ""])
        writer.writerow(["R-02", "CTO", "SCS1", "£76,000", "£90,000", ""])
    _, rows = _extract(path, questionnaire)
    assert rows[0].cells["pay_ceiling"] == 120000.0 and "pay_floor" not in rows[0].cells
    assert len(rows[0].problems) == 1
    assert rows[0].problems[0].startswith("column D 'Pay band min': ")
    assert "abc" in rows[0].problems[0]
    assert rows[1].problems == []


def test_edited_mapping_and_constants_are_used(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = ff.generic_roles_csv(tmp_path)
    columns: dict[str, int | None] = {"post_ref": 0, "job_title": 1}
    mapping = ColumnMapping(
        target="senior_roles", columns=columns, constants={"employment_type": "interim"}
    )
    _, rows = _extract(path, questionnaire, mapping=mapping)
    assert rows[2].cells == {
        "post_ref": "R-03",
        "job_title": "Enterprise Architect",
        "employment_type": "interim",
    }


def test_organogram_names_decide_status_even_when_not_imported(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = ff.organogram_senior_csv(tmp_path)
    book = open_source(path)
    try:
        rec = recognise(book, questionnaire)[0]
    finally:
        book.close()
    mapping = ColumnMapping.from_json(rec.mapping.to_json())
    mapping.columns["post_holder_name"] = None  # personal data left out
    _, rows = _extract(path, questionnaire, mapping=mapping)
    by_ref = {r.source["post_ref"]: r for r in rows}
    assert by_ref["DWP020"].skip == "post eliminated"
    assert by_ref["DWP011"].cells["vacant_or_interim"] == "vacant"
    assert all("post_holder_name" not in r.cells for r in rows)
    assert all("Peter Schofield" not in r.source.values() for r in rows)
