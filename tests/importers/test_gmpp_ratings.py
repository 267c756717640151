"""GMPP 2021-22 onwards publish the IPA's delivery confidence or, where the IPA did not
assess a project, its SRO's: the rating is kept as published (a Red programme must not
become 'not rated'), and each row says whose rating it is, in its stored source and in the
import report."""

from __future__ import annotations

import csv
from pathlib import Path

from importers.foreign_plan import (
    Choices,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from importers.formats.gmpp import SRO_USED
from importers.import_report import IMPORTED
from models.foreign_imports import provenance
from models.questionnaire import Questionnaire
from models.reference import departments
from models.store import Store

SCALE = (
    "\n(A Delivery Confidence Assessment of the project at a fixed point in time, using a "
    "three-point scale, Red – Amber – Green)"
)
HEADER = [
    "GMPP ID Number",
    "Project Name",
    "Department",
    "Annual Report Category",
    "IPA Delivery Confidence Assessment " + SCALE,
    "SRO Delivery Confidence Assessment " + SCALE,
    "TOTAL Baseline Whole Life Costs (£m) (including Non-Government Costs)",
]
EXEMPT = "Exempt under Section 43 of the Freedom of Information Act 2000 (Commercial Interests)"
PROJECTS = [  # name, IPA, SRO: what the rating must be, and whose
    ("Falcon IT Platform", "", "Red", "red", "SRO"),
    ("GOV.UK One Login", "Amber", "", "amber", "IPA"),
    ("Rosa Renewal", "", "Green", "green", "SRO"),
    ("Digital Borders", "Red", "Green", "red", "IPA"),  # both given: the IPA's is published
    ("Data Platform", "", "", None, None),  # neither: not rated, and not said to be anyone's
    ("Secure Hub", EXEMPT, EXEMPT, "not_assessed", "IPA"),
]


def write(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for number, (name, ipa, sro, _, _) in enumerate(PROJECTS, start=1):
            out.writerow([f"CO_{number:04}", name, "CO", "ICT", ipa, sro, "12.5"])
    return path


def test_the_sro_rating_is_kept_where_the_ipa_is_blank(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    entry = next(d for d in departments() if d.name == "Cabinet Office")
    store.add_department(entry.name, entry.abbreviation, entry.govuk_id)
    foreign = read_foreign(write(tmp_path / "gmpp_2024_co.csv"), questionnaire)
    try:
        plan = plan_foreign(
            WorkspaceFacts.of(store), foreign, Choices(cycle="2024 review"), questionnaire
        )
        assert plan.recognition.layout_id == "gmpp"
        assert any("keeps the SRO's rating" in note for note in plan.report.notes)
        # column F is read (as the SRO's rating), not listed as a column left out
        assert not any(line.startswith("column F") for line in plan.report.columns)
        report = apply_foreign(store, plan, questionnaire)
    finally:
        foreign.close()
    assert report.imported == len(PROJECTS)
    audit = store.audits()[0]
    stored = {}
    for row in store.rows(audit.id, "major_programmes"):
        found = provenance(store, row.id)
        assert found is not None
        stored[row.cells["name"]] = (
            row.cells.get("delivery_confidence"),
            found[2].get("rating_by"),
            found[1],
        )
    assert {name: value[:2] for name, value in stored.items()} == {
        name: (rating, by) for name, _, _, rating, by in PROJECTS
    }
    lines = {line.source_row: line.detail for line in report.lines if line.outcome == IMPORTED}
    for name, _, _, _, by in PROJECTS:
        assert (SRO_USED in lines[stored[name][2]]) == (by == "SRO"), name


def test_a_rating_read_as_not_assessed_keeps_its_published_words(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    foreign = read_foreign(write(tmp_path / "gmpp.csv"), questionnaire)
    try:
        recognition = foreign.recognitions[0]
        rows = foreign.rows_for(0, recognition.mapping, questionnaire)
    finally:
        foreign.close()
    secure = next(row for row in rows if row.cells["name"] == "Secure Hub")
    assert secure.cells["delivery_confidence"] == "not_assessed"
    assert secure.source["rating_published"] == EXEMPT


def test_the_real_2014_files_date_exempt_typo_is_not_assessed_not_a_problem(
    questionnaire: Questionnaire,
) -> None:
    """One 2014 project's rating cell reads 'Date exempt under section 43 …' (for 'Data
    exempt'): it stopped the whole file's import as an unreadable rating."""
    from tests.importers.foreign_files import SAMPLES

    foreign = read_foreign(SAMPLES / "gmpp" / "gmpp_2014_all_depts_transposed.csv", questionnaire)
    try:
        recognition = foreign.recognitions[0]
        rows = list(foreign.rows_for(0, recognition.mapping, questionnaire))
    finally:
        foreign.close()
    assert [p for row in rows for p in row.problems] == []
    typo = [r for r in rows if str(r.source.get("rating_published", "")).startswith("Date exempt")]
    assert len(typo) == 1
    assert typo[0].cells["delivery_confidence"] == "not_assessed"
