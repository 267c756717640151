"""Organograms publish undisclosed senior pay as 0 (data.gov.uk's exports of N/D): a pay
range of 0 to 0 is left blank and the row says so, never stored as a £0 pay band."""

from __future__ import annotations

import csv
from pathlib import Path

from importers.foreign_plan import read_foreign
from importers.formats.organogram import PAY_NOT_DISCLOSED
from models.questionnaire import Questionnaire

HEADER = [
    "Post Unique Reference", "Name", "Grade (or equivalent)", "Job Title",
    "Job/Team Function", "Parent Department", "Organisation", "Unit",
    "Reports to Senior Post", "FTE", "Actual Pay Floor (£)", "Actual Pay Ceiling (£)",
    "Professional/Occupational Group",
]  # fmt: skip
POSTS = [  # reference, name, floor, ceiling -> stored floor and ceiling, whether noted
    ("1", "N/D", "0", "0", None, None, True),
    ("2", "A. Person", "0.00", "", None, None, True),
    ("3", "B. Person", "85000", "89999", 85000.0, 89999.0, False),
    ("4", "N/D", "N/D", "N/D", None, None, False),
    ("5", "C. Person", "0", "4999", 0.0, 4999.0, False),  # a real band from nothing
]


def test_zero_to_zero_pay_is_not_disclosed(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "organogram-senior.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for ref, name, floor, ceiling, *_ in POSTS:
            out.writerow([ref, name, "SCS1", "Chief Information Officer", "Digital",
                          "Cabinet Office", "Cabinet Office", "Digital", "XX", "1", floor,
                          ceiling, "Digital"])  # fmt: skip
    foreign = read_foreign(path, questionnaire)
    try:
        recognition = foreign.recognitions[0]
        assert recognition.layout_id == "organogram_senior"
        assert any("0 to 0 is pay not disclosed" in note for note in recognition.notes)
        rows = foreign.rows_for(0, recognition.mapping, questionnaire)
    finally:
        foreign.close()
    got = {
        row.cells["post_ref"]: (
            row.cells.get("pay_floor"),
            row.cells.get("pay_ceiling"),
            row.note == PAY_NOT_DISCLOSED,
        )
        for row in rows
    }
    assert got == {ref: (floor, ceiling, noted) for ref, _, _, _, floor, ceiling, noted in POSTS}
    assert all(not row.problems for row in rows)
