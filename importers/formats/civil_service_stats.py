"""Civil Service statistics (department × profession × grade), as the ACSES data browser
publishes them: headcount, FTE and salaries, '[c]' for suppressed cells, notes at the end."""

from __future__ import annotations

import re
from collections.abc import Sequence

from importers.cell_cleaning import clean_text
from importers.column_mapping import ColumnMapping
from importers.formats.base import HeaderSpec, MappedFormat, Names, Recognition
from importers.rows import cell
from importers.source_table import CellValue

CS_STATS_NOTE = (
    "civil servants in post are payroll staff: recorded as Permanent civil servant "
    "(the statistics do not separate fixed-term appointments)"
)


class CivilServiceStatistics(MappedFormat):
    """One row per department, profession and grade; only staff in post are imported."""

    id = "cs_statistics"
    title = "Civil Service statistics"
    target = "workforce_mix"
    tech_filter = True
    spec = HeaderSpec(
        required=(
            ("Parent_department",),
            ("Profession_of_post", "Responsibility_level_ungrouped", "Responsibility_level"),
            ("Headcount",),
        ),
        optional=("Status", "Year", "FTE", "Mean_salary", "Median_salary",
                  "Responsibility_level_ungrouped", "Profession_of_post"),
    )  # fmt: skip

    def map_columns(self, names: Names, mapping: ColumnMapping, notes: list[str]) -> None:
        mapping.columns["headcount"] = names.find("Headcount")
        mapping.columns["fte"] = names.find("FTE")
        mapping.constants["staff_type"] = "permanent"
        notes.append(CS_STATS_NOTE)
        salary = [n for n in ("Mean_salary", "Median_salary") if names.find(n) is not None]
        if salary:
            notes.append(f"{' and '.join(salary)} are averages per person, not costs: not imported")
        notes.append(
            "'[c]' (suppressed) cells are left blank; the notes rows at the end are skipped"
        )
        if names.find("Status") is not None:
            notes.append(
                "only rows with status 'In post' are imported: entrants and leavers are not"
            )

    def before(
        self, rec: Recognition, mapping: ColumnMapping, row: Sequence[CellValue]
    ) -> tuple[str | None, bool]:
        """Notes rows (no year) and entrants or leavers (not staff in post) are left out."""
        year = mapping.source_fields.get("year")
        if year is not None and not re.fullmatch(r"\d{4}", clean_text(cell(row, year))):
            return "notes row", False
        status_index = mapping.source_fields.get("status")
        status = clean_text(cell(row, status_index))
        if status_index is not None and status and status.lower() != "in post":
            return f"status {status!r}: only staff in post are imported", False
        return None, False
