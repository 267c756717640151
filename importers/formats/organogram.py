"""data.gov.uk organograms, senior and junior staff, 2011 onwards (and data.gov.uk's own
converted exports with an index column and a `Grade` header)."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from importers.cell_cleaning import Unparsed, clean_text
from importers.column_mapping import ColumnMapping
from importers.formats.base import HeaderSpec, MappedFormat, Names, Recognition, extract_mapped
from importers.reference_matching import parse_staff_type
from importers.rows import cell
from importers.source_table import CellValue, ExtractedRow, HeaderLayout
from models.questionnaire import Question
from models.reference import reference_list


class SeniorOrganogram(MappedFormat):
    """Senior posts: one row per post, with grade, title, pay range and reporting line."""

    id = "organogram_senior"
    title = "data.gov.uk organogram (senior staff)"
    target = "senior_roles"
    tech_filter = True
    spec = HeaderSpec(
        required=(
            ("Post Unique Reference",),
            ("Grade (or equivalent)", "Grade"),
            ("Job Title",),
            ("Reports to Senior Post",),
            ("Actual Pay Floor (£)",),
        ),
        optional=(
            "Name", "Job/Team Function", "Parent Department", "Organisation", "Unit",
            "Contact Phone", "Contact E-mail", "Salary Cost of Reports (£)", "FTE",
            "Actual Pay Ceiling (£)", "Total Pay (£)", "Professional/Occupational Group",
            "Office Region", "Notes", "Valid?",
        ),
    )  # fmt: skip

    def map_columns(self, names: Names, mapping: ColumnMapping, notes: list[str]) -> None:
        cols = mapping.columns
        cols["post_ref"] = names.find("Post Unique Reference")
        cols["job_title"] = names.find("Job Title")
        cols["grade"] = names.find("Grade (or equivalent)", "Grade")
        cols["reports_to"] = names.find("Reports to Senior Post")
        cols["pay_floor"] = names.find("Actual Pay Floor (£)")
        cols["pay_ceiling"] = names.find("Actual Pay Ceiling (£)")
        cols["fte"] = names.find("FTE")
        cols["post_holder_name"] = names.find("Name")
        if names.find("Grade (or equivalent)") is None:
            notes.append("older organogram headers ('Grade' not 'Grade (or equivalent)')")
        notes.append(
            "role type is taken from the job title where it names one; employment type, "
            "board membership and time on contracts are not in organograms: fill them in"
        )
        notes.append("posts named 'Eliminated' are left out; 'Vacant' posts are marked vacant")
        if cols["pay_floor"] is not None or cols["pay_ceiling"] is not None:
            notes.append(
                "a pay range published as 0 to 0 is pay not disclosed (data.gov.uk writes N/D "
                "so): left blank, and the row says so"
            )

    def extract(
        self,
        rec: Recognition,
        rows: Iterable[Sequence[CellValue]],
        table: Question,
        mapping: ColumnMapping,
    ) -> Iterator[ExtractedRow]:
        pay = [
            i
            for i in (mapping.columns.get("pay_floor"), mapping.columns.get("pay_ceiling"))
            if i is not None
        ]
        undisclosed: set[int] = set()  # 1-based numbers of the rows whose pay reads 0 to 0

        def published(numbered: Iterable[Sequence[CellValue]]) -> Iterator[Sequence[CellValue]]:
            first = rec.header.first_data_row
            for number, row in enumerate(numbered, start=1):
                if pay and number > first and _zero_pay(row, pay):
                    row = list(row)
                    for index in pay:
                        if index < len(row):
                            row[index] = "N/D"
                    undisclosed.add(number)
                yield row

        for extracted in extract_mapped(rec, published(rows), table, mapping, self):
            if extracted.source_row in undisclosed:
                extracted.note = PAY_NOT_DISCLOSED
            yield extracted

    def before(
        self, rec: Recognition, mapping: ColumnMapping, row: Sequence[CellValue]
    ) -> tuple[str | None, bool]:
        # The Name column says whether the post exists and is filled, mapped or not.
        status = clean_text(cell(row, _column_named(rec.header, "Name"))).lower()
        if status == "eliminated":
            return "post eliminated", False
        return None, status == "vacant"

    def derive(self, rec: Recognition, cells: dict[str, Any], source: dict[str, Any]) -> None:
        if cells.get("role_type") is None:
            title = str(cells.get("job_title") or source.get("job_title") or "")
            role = role_type_from_title(title)
            if role:
                cells["role_type"] = role


PAY_NOT_DISCLOSED = "pay not disclosed (published as 0 to 0): left blank"


def _zero_pay(row: Sequence[CellValue], pay: Sequence[int]) -> bool:
    """Whether every pay cell given reads 0 (and one is): £0 is never a senior post's pay."""
    given = [row[i] for i in pay if i < len(row) and clean_text(row[i])]
    return bool(given) and all(_is_zero(value) for value in given)


def _is_zero(value: CellValue) -> bool:
    if type(value) is int or type(value) is float:
        return value == 0
    text = clean_text(value).replace("£", "").replace(",", "").strip()
    try:
        return float(text) == 0
    except ValueError:
        return False


class JuniorOrganogram(MappedFormat):
    """Junior staff: posts in FTE per unit, grade and generic job title."""

    id = "organogram_junior"
    title = "data.gov.uk organogram (junior staff)"
    target = "workforce_mix"
    tech_filter = True
    spec = HeaderSpec(
        required=(
            ("Reporting Senior Post",),
            ("Payscale Minimum (£)",),
            ("Generic Job Title",),
            ("Number of Posts in FTE",),
        ),
        optional=(
            "Parent Department", "Organisation", "Unit", "Grade", "Payscale Maximum (£)",
            "Professional/Occupational Group", "Office Region",
        ),
    )  # fmt: skip

    def map_columns(self, names: Names, mapping: ColumnMapping, notes: list[str]) -> None:
        mapping.columns["fte"] = names.find("Number of Posts in FTE")
        for name, key in (
            ("Generic Job Title", "job_title"),
            ("Payscale Minimum (£)", "payscale_min"),
            ("Payscale Maximum (£)", "payscale_max"),
        ):
            index = names.find(name)
            if index is not None:
                mapping.source_fields[key] = index
        notes.append(
            "junior-staff organograms give posts in FTE per unit and grade, not headcount, "
            "staff type or role family: fill those in or group the rows"
        )

    def derive(self, rec: Recognition, cells: dict[str, Any], source: dict[str, Any]) -> None:
        """Staff type only when the generic job title plainly says it (e.g. 'Interim manager')."""
        title = str(source.get("job_title", ""))
        if cells.get("staff_type") is None and _STAFF_WORDS.search(title):
            with contextlib.suppress(Unparsed):
                cells["staff_type"] = parse_staff_type(title)


_STAFF_WORDS = re.compile(
    r"\b(contractors?|agency|interims?|consultants?|consultancy|fixed[- ]term|secondees?|"
    r"loan|outsourced)\b",
    re.I,
)


@functools.lru_cache(maxsize=64)
def _column_named(header: HeaderLayout, name: str) -> int | None:
    return Names(header).find(name)


@functools.cache
def _role_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Role-type synonyms as whole-word patterns, longest first; acronyms must be capitals."""
    patterns: list[tuple[int, re.Pattern[str], str]] = []
    for item in reference_list("role_types").items:
        if item.value == "other":
            continue
        for synonym in {*item.synonyms, item.label}:
            words = r"\s+".join(re.escape(w) for w in synonym.split())
            flags = 0 if synonym.isupper() and len(synonym) <= 5 else re.IGNORECASE
            patterns.append((len(synonym), re.compile(rf"(?<!\w){words}(?!\w)", flags), item.value))
    patterns.sort(key=lambda p: -p[0])
    return tuple((p, v) for _, p, v in patterns)


def role_type_from_title(title: str) -> str | None:
    """The role type a job title names ('Chief Digital and Information Officer' -> 'cdio')."""
    if not title.strip():
        return None
    for pattern, value in _role_patterns():
        if pattern.search(title):
            return value
    return None
