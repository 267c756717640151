"""Known public layouts (organograms, WMI, GMPP, Civil Service statistics) and their extraction."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from importers.column_mapping import (
    ColumnMapping,
    header_unit,
    mapping_score,
    normalise_header,
    suggest_mapping,
    suggest_source_fields,
)
from importers.header_detect import SCAN_ROWS, detect_header
from importers.normalise import (
    Unparsed,
    clean_text,
    grade_group,
    is_notes_row,
    is_totals_row,
    missing_reason,
    normalise_for,
    parse_staff_type,
)
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook, column_letter
from models.questionnaire import Field, Question, Questionnaire
from models.reference import reference_list

SAMPLE_ROWS = 40  # data rows given to suggest_mapping to judge values
PAYROLL_NOTE = (
    "payroll staff are recorded as Permanent civil servant: WMI does not separate "
    "fixed-term appointments"
)
CS_STATS_NOTE = (
    "civil servants in post are payroll staff: recorded as Permanent civil servant "
    "(the statistics do not separate fixed-term appointments)"
)


@dataclass
class Recognition:
    """What a sheet was taken for, how it maps onto a table, and how sure that is."""

    layout_id: str
    title: str
    sheet: str
    header: HeaderLayout
    target: str
    mapping: ColumnMapping
    confidence: float
    notes: list[str] = field(default_factory=list)
    tech_filter: bool = False
    editable: bool = True


# ------------------------------------------------------------------ recognising


def _key(text: str) -> str:
    return normalise_header(text)


class _Names:
    """A header's column names, normalised, for finding known columns."""

    def __init__(self, header: HeaderLayout) -> None:
        self.header = header
        self.keys = [_key(n) for n in header.names]
        self.part_keys = [tuple(_key(p) for p in parts) for parts in header.parts]

    def find(self, *names: str) -> int | None:
        """The first column whose whole name is one of these."""
        wanted = [_key(n) for n in names]
        for name in wanted:
            for index, key in enumerate(self.keys):
                if key == name:
                    return index
        return None

    def containing(self, *words: str) -> int | None:
        """The first column whose name contains one of these phrases."""
        for phrase in (_key(w) for w in words):
            for index, key in enumerate(self.keys):
                if f" {phrase} " in f" {key} ":
                    return index
        return None


@dataclass(frozen=True)
class _Layout:
    """A known layout: the names it must have, the names it may have, and what it is."""

    layout_id: str
    title: str
    target: str
    required: tuple[tuple[str, ...], ...]  # each entry: alternatives, matched whole or contained
    optional: tuple[str, ...]
    tech_filter: bool
    editable: bool = True
    contains: bool = False  # required names may be contained in a longer header


KNOWN_LAYOUTS = (
    _Layout(
        "organogram_senior",
        "data.gov.uk organogram (senior staff)",
        "senior_roles",
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
        tech_filter=True,
    ),
    _Layout(
        "organogram_junior",
        "data.gov.uk organogram (junior staff)",
        "workforce_mix",
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
        tech_filter=True,
    ),
    _Layout(
        "gmpp",
        "Government Major Projects Portfolio",
        "major_programmes",
        required=(
            ("Project Name",),
            ("Delivery Confidence",),
            ("Whole Life Cost", "Whole Life Costs"),
        ),
        optional=("GMPP ID Number", "Department", "Annual Report Category", "Start Date",
                  "End Date", "Description / Aims"),
        tech_filter=True,
        contains=True,
    ),
    _Layout(
        "cs_statistics",
        "Civil Service statistics",
        "workforce_mix",
        required=(
            ("Parent_department",),
            ("Profession_of_post", "Responsibility_level_ungrouped", "Responsibility_level"),
            ("Headcount",),
        ),
        optional=("Status", "Year", "FTE", "Mean_salary", "Median_salary",
                  "Responsibility_level_ungrouped", "Profession_of_post"),
        tech_filter=True,
    ),
)  # fmt: skip


def _layout_confidence(layout: _Layout, names: _Names) -> float:
    """0 unless every required name is there; then more the more optional names agree."""
    for alternatives in layout.required:
        finder = names.containing if layout.contains else names.find
        if finder(*alternatives) is None:
            return 0.0
    if not layout.optional:
        return 1.0
    present = sum(1 for name in layout.optional if names.find(name) is not None)
    return round(0.8 + 0.2 * present / len(layout.optional), 3)


def _wmi_confidence(names: _Names) -> float:
    """WMI: payroll and non-payroll groups measured in headcount and FTE, per organisation."""
    groups = {parts[0] for parts in names.part_keys if len(parts) >= 2}
    measures = {parts[-1] for parts in names.part_keys if len(parts) >= 2}
    if "payroll staff" not in groups or "non payroll staff" not in groups:
        return 0.0
    if not measures & {"headcount", "full time equivalent", "fte"}:
        return 0.0
    if names.find("Organisation name", "Organisation") is None:
        return 0.6
    return 0.97


def recognise(
    book: SourceBook, questionnaire: Questionnaire, *, sheets: Sequence[str] | None = None
) -> list[Recognition]:
    """What each sheet with a header looks like, best first; sheets without one are left out."""
    found: list[Recognition] = []
    for sheet in sheets if sheets is not None else book.sheet_names():
        rows = _first_rows(book, sheet, SCAN_ROWS + SAMPLE_ROWS)
        header = detect_header(rows[:SCAN_ROWS], sheet=sheet, merged=book.merged_ranges(sheet))
        if header is None:
            continue
        sample = rows[header.first_data_row : header.first_data_row + SAMPLE_ROWS]
        found.append(recognise_header(header, sample, questionnaire))
    found.sort(key=lambda r: -r.confidence)
    return found


def _first_rows(book: SourceBook, sheet: str, count: int) -> list[list[CellValue]]:
    iterator = book.rows(sheet)
    try:
        return list(islice(iterator, count))
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def recognise_header(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], questionnaire: Questionnaire
) -> Recognition:
    """The best layout for a detected header: a known public one, else a generic mapping."""
    names = _Names(header)
    best: tuple[float, Recognition] | None = None
    wmi = _wmi_confidence(names)
    if wmi and questionnaire.has_question("workforce_mix"):
        best = (wmi, _wmi_recognition(header, names, questionnaire, wmi))
    for layout in KNOWN_LAYOUTS:
        confidence = _layout_confidence(layout, names)
        if not confidence or not questionnaire.has_question(layout.target):
            continue
        if best is None or confidence > best[0]:
            best = (
                confidence,
                _known_recognition(layout, header, names, questionnaire, confidence),
            )
    if best is not None:
        return best[1]
    return _generic_recognition(header, sample, questionnaire)


def _generic_recognition(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], questionnaire: Questionnaire
) -> Recognition:
    """Any other table: the questionnaire table its columns fit best, by total suggestion score."""
    scored: list[tuple[float, ColumnMapping, Question]] = []
    for table in questionnaire.table_questions():
        mapping, suggestions = suggest_mapping(header, sample, table)
        scored.append((mapping_score(mapping, suggestions), mapping, table))
    if not scored:
        raise ValueError("the questionnaire has no table questions to import into")
    score, mapping, table = max(scored, key=lambda s: s[0])
    required = [c.id for c in table.columns if c.required] or [c.id for c in table.columns]
    covered = sum(1 for c in required if mapping.columns.get(c) is not None)
    confidence = 0.0
    if mapping.mapped:
        average = score / len(mapping.mapped)
        confidence = round(min(0.6, 0.6 * average * (0.5 + 0.5 * covered / len(required))), 3)
    notes = [f"no known layout: columns matched to {table.label!r} by their headers"]
    if not mapping.mapped:
        notes = ["no column matched any table: choose the columns by hand"]
    return Recognition(
        layout_id="generic",
        title="Spreadsheet table",
        sheet=header.sheet,
        header=header,
        target=table.id,
        mapping=mapping,
        confidence=confidence,
        notes=notes,
        tech_filter=False,
        editable=True,
    )


def _known_recognition(
    layout: _Layout,
    header: HeaderLayout,
    names: _Names,
    questionnaire: Questionnaire,
    confidence: float,
) -> Recognition:
    table = questionnaire.question(layout.target)
    mapping = ColumnMapping(
        target=table.id,
        columns={c.id: None for c in table.columns},
        source_fields=suggest_source_fields(header),
        name=layout.title,
    )
    notes: list[str] = []
    builder = _MAPPERS[layout.layout_id]
    builder(names, mapping, notes)
    return Recognition(
        layout_id=layout.layout_id,
        title=layout.title,
        sheet=header.sheet,
        header=header,
        target=table.id,
        mapping=mapping,
        confidence=confidence,
        notes=notes,
        tech_filter=layout.tech_filter,
        editable=layout.editable,
    )


def _map_senior(names: _Names, mapping: ColumnMapping, notes: list[str]) -> None:
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


def _map_junior(names: _Names, mapping: ColumnMapping, notes: list[str]) -> None:
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


def _map_gmpp(names: _Names, mapping: ColumnMapping, notes: list[str]) -> None:
    cols = mapping.columns
    cols["name"] = names.find("Project Name")
    cols["gmpp_id"] = names.find("GMPP ID Number", "GMPP ID")
    cost = names.containing("Whole Life Cost", "Whole Life Costs")
    cols["whole_life_cost"] = cost
    if cost is not None:
        header = names.header.names[cost]
        unit = header_unit(header)
        if unit == 1.0 and not re.search(r"£|\bgbp\b|\bpounds?\b", header, re.IGNORECASE):
            unit = 1e6  # GMPP publishes £m; a header that says plain pounds is taken at its word
        mapping.units["whole_life_cost"] = unit
        if unit == 1e6:
            notes.append("whole-life costs are published in £ millions: stored in pounds")
    cols["delivery_confidence"] = names.containing("Delivery Confidence")
    cols["sro"] = names.find("SRO", "Senior Responsible Owner", "SRO name")
    category = names.find("Annual Report Category", "Category")
    if category is not None:
        mapping.source_fields["category"] = category
    if cols["name"] is not None:  # a project named for its technology counts without a category
        mapping.source_fields["project"] = cols["name"]
    notes.append(
        "'NA' and Section 43 exemptions in cost columns are left blank; independent "
        "review is not in the GMPP data: fill it in"
    )


def _map_cs_statistics(names: _Names, mapping: ColumnMapping, notes: list[str]) -> None:
    mapping.columns["headcount"] = names.find("Headcount")
    mapping.columns["fte"] = names.find("FTE")
    mapping.constants["staff_type"] = "permanent"
    notes.append(CS_STATS_NOTE)
    salary = [n for n in ("Mean_salary", "Median_salary") if names.find(n) is not None]
    if salary:
        notes.append(f"{' and '.join(salary)} are averages per person, not costs: not imported")
    notes.append("'[c]' (suppressed) cells are left blank; the notes rows at the end are skipped")
    if names.find("Status") is not None:
        notes.append("only rows with status 'In post' are imported: entrants and leavers are not")


_MAPPERS: dict[str, Callable[[_Names, ColumnMapping, list[str]], None]] = {
    "organogram_senior": _map_senior,
    "organogram_junior": _map_junior,
    "gmpp": _map_gmpp,
    "cs_statistics": _map_cs_statistics,
}


# ------------------------------------------------------------------ WMI


@dataclass(frozen=True)
class _WmiPair:
    """One (group, sub-group) of a WMI return: its headcount and FTE columns."""

    group: str
    subgroup: str
    headcount: int | None
    fte: int | None
    payroll: bool


def _wmi_pairs(header: HeaderLayout) -> tuple[list[_WmiPair], list[str], list[str]]:
    """The importable pairs, the total columns left out, and the other columns left out."""
    pairs: dict[tuple[str, str], dict[str, int]] = {}
    order: list[tuple[str, str]] = []
    totals: list[str] = []
    others: list[str] = []
    for index, parts in enumerate(header.parts):
        name = header.names[index]
        if len(parts) < 2:
            continue
        group, measure = _key(parts[0]), _key(parts[-1])
        subgroup = parts[1] if len(parts) >= 3 else ""
        if group.startswith("grand total"):
            totals.append(name)
            continue
        if group not in ("payroll staff", "non payroll staff"):
            others.append(name)
            continue
        if _key(subgroup).startswith("total"):
            totals.append(name)
            continue
        kind = {"headcount": "headcount", "full time equivalent": "fte", "fte": "fte"}.get(measure)
        if kind is None or not subgroup:
            others.append(name)
            continue
        key = (parts[0], subgroup)
        if key not in pairs:
            pairs[key] = {}
            order.append(key)
        pairs[key].setdefault(kind, index)
    result = [
        _WmiPair(
            group=group,
            subgroup=sub,
            headcount=pairs[(group, sub)].get("headcount"),
            fte=pairs[(group, sub)].get("fte"),
            payroll=_key(group) == "payroll staff",
        )
        for group, sub in order
    ]
    return result, totals, others


def _wmi_recognition(
    header: HeaderLayout, names: _Names, questionnaire: Questionnaire, confidence: float
) -> Recognition:
    table = questionnaire.question("workforce_mix")
    mapping = ColumnMapping(
        target=table.id,
        columns={c.id: None for c in table.columns},
        source_fields=suggest_source_fields(header),
        name="Workforce management information",
    )
    organisation = names.find("Organisation name", "Organisation")
    if organisation is not None:
        mapping.source_fields["organisation"] = organisation
    department = names.find("Main, parent or sponsoring department")
    if department is not None:
        mapping.source_fields["department"] = department
    pairs, totals, others = _wmi_pairs(header)
    notes = [
        "each organisation row becomes one row per staff group (payroll grade groups and "
        "non-payroll types) with its headcount and FTE",
        PAYROLL_NOTE,
    ]
    if totals:
        notes.append(
            "total columns are sums of the others: not imported as rows ("
            + ", ".join(repr(t) for t in totals)
            + ")"
        )
    costs = [o for o in others if "cost" in _key(o) or "paybill" in _key(o)]
    rest = [o for o in others if o not in costs]
    if costs:
        notes.append(
            "cost columns are monthly totals per organisation, not per row: not imported — "
            "enter annual costs by hand (" + ", ".join(repr(c) for c in costs) + ")"
        )
    if rest:
        notes.append("not imported: " + ", ".join(repr(o) for o in rest))
    if not pairs:
        confidence = min(confidence, 0.3)
        notes.append("no headcount or FTE columns found under the staff groups")
    return Recognition(
        layout_id="wmi",
        title="Workforce management information (monthly)",
        sheet=header.sheet,
        header=header,
        target=table.id,
        mapping=mapping,
        confidence=confidence,
        notes=notes,
        tech_filter=False,
        editable=False,
    )


# ------------------------------------------------------------------ extracting


def _cell(row: Sequence[CellValue], index: int | None) -> CellValue:
    if index is None or index >= len(row):
        return None
    return row[index]


def _provenance(
    rec: Recognition, mapping: ColumnMapping, row: Sequence[CellValue]
) -> dict[str, Any]:
    """The row's own granularity: organisation, unit, grade, … (only what is filled)."""
    source: dict[str, Any] = {"sheet": rec.sheet}
    width = len(row)
    for name, index in mapping.source_fields.items():
        value = row[index] if index < width else None
        cached = type(value) in _PLAIN_TYPES
        text = _source_text(value) if cached else _uncached_source_text(value)
        if text:
            source[name] = text
    if "grade" in source and "grade_group" not in source:
        group = _grade_group(source["grade"])
        if group:
            source["grade_group"] = group
    return source


_PLAIN_TYPES = frozenset({str, int, float, type(None)})  # hashable, and cheap to cache by value


def _uncached_source_text(value: CellValue) -> str:
    return "" if missing_reason(value) is not None else clean_text(value)


# Source fields repeat down a file (the same organisation, unit, grade on every row):
# cleaning each distinct value once keeps a 100,000-row plan to a fraction of a second.
_source_text = functools.lru_cache(maxsize=65_536)(_uncached_source_text)
_grade_group = functools.lru_cache(maxsize=4096)(grade_group)


def _row_kind(row: Sequence[CellValue], width: int) -> str | None:
    """'blank', 'totals row', 'notes row' or None for a data row."""
    if len(row) - row.count("") - row.count(None) > 2:  # most rows: counted in C
        return "totals row" if is_totals_row(row) else None
    filled = [v for v in row if v is not None and v != "" and not (type(v) is str and v.isspace())]
    if not filled or all(clean_text(v) == "" for v in filled):
        return "blank"
    if is_totals_row(filled):
        return "totals row"
    if is_notes_row(row, width):  # a note is a cell or two, not a row
        return "notes row"
    return None


def extract_rows(
    rec: Recognition,
    rows: Iterable[Sequence[CellValue]],
    questionnaire: Questionnaire,
    *,
    mapping: ColumnMapping | None = None,
) -> Iterator[ExtractedRow]:
    """Rows bound for the recognised table, each traced to its source row, or why it is left out."""
    mapping = mapping or rec.mapping
    table = questionnaire.question(mapping.target)
    width = rec.header.width
    bound = _bound_columns(table, mapping)
    for index, row in enumerate(rows):
        if index < rec.header.first_data_row:
            continue
        source_row = index + 1
        kind = _row_kind(row, width)
        if kind == "blank":
            continue
        if kind is not None:
            yield ExtractedRow(source_row, {}, {"sheet": rec.sheet}, skip=kind)
            continue
        if rec.layout_id == "wmi":
            yield from _wmi_rows(rec, mapping, table, row, source_row)
        else:
            yield _mapped_row(rec, mapping, table, row, source_row, bound)


def _problem(rec: Recognition, index: int, note: str | None) -> str:
    name = rec.header.names[index] if index < rec.header.width else ""
    where = f"column {column_letter(index)}" + (f" {name!r}" if name else "")
    return f"{where}: {note or 'value not understood'}"


def _mapped_row(
    rec: Recognition,
    mapping: ColumnMapping,
    table: Question,
    row: Sequence[CellValue],
    source_row: int,
    bound: list[tuple[str, int, Field, float]] | None = None,
) -> ExtractedRow:
    source = _provenance(rec, mapping, row)
    department = str(source.get("department", ""))
    if rec.layout_id == "cs_statistics" and (skip := _cs_statistics_skip(mapping, row)):
        return ExtractedRow(source_row, {}, {"sheet": rec.sheet}, skip=skip)
    cells: dict[str, Any] = {}
    problems: list[str] = []
    reasons: list[str] = []
    vacant = False
    if rec.layout_id == "organogram_senior":
        # The Name column says whether the post exists and is filled, mapped or not.
        status = clean_text(_cell(row, _column_named(rec.header, "Name"))).lower()
        if status == "eliminated":
            return ExtractedRow(source_row, {}, source, department, skip="post eliminated")
        vacant = status == "vacant"
    width = len(row)
    for column_id, index, column, unit in bound or _bound_columns(table, mapping):
        raw = row[index] if index < width else None
        if vacant and column_id == "post_holder_name":
            continue
        value, note, ok = normalise_for(column, raw, unit=unit)
        if not ok:
            problems.append(_problem(rec, index, note))
        elif value is not None:
            cells[column_id] = value
        elif note and note not in reasons:
            reasons.append(note)
    if not cells and not problems:
        why = "no values in the mapped columns"
        if reasons:
            why += f" ({'; '.join(reasons)})"
        return ExtractedRow(source_row, {}, source, department, skip=why)
    if vacant and cells.get("vacant_or_interim") is None:
        cells["vacant_or_interim"] = "vacant"
    for column_id, constant in mapping.constants.items():
        if cells.get(column_id) is None:
            cells[column_id] = constant
    if rec.layout_id == "organogram_senior":
        _derive_senior(cells, source)
    elif rec.layout_id == "organogram_junior":
        _derive_junior(cells, source)
    return ExtractedRow(source_row, cells, source, department, problems)


def _bound_columns(table: Question, mapping: ColumnMapping) -> list[tuple[str, int, Field, float]]:
    """(column id, source index, field, unit) for each mapped column the table has."""
    key = (id(table), tuple(mapping.mapped.items()), tuple(mapping.units.items()))
    found = _BOUND.get(key)
    if found is None or found[0] is not table:
        bound = []
        for column_id, index in mapping.mapped.items():
            with contextlib.suppress(KeyError):
                field_ = table.column(column_id)
                bound.append((column_id, index, field_, mapping.units.get(column_id, 1.0)))
        found = _BOUND[key] = (table, bound)
    return found[1]


_BOUND: dict[tuple[Any, ...], tuple[Question, list[tuple[str, int, Field, float]]]] = {}


@functools.lru_cache(maxsize=64)
def _column_named(header: HeaderLayout, name: str) -> int | None:
    return _Names(header).find(name)


def _cs_statistics_skip(mapping: ColumnMapping, row: Sequence[CellValue]) -> str | None:
    """Notes rows (no year) and entrants or leavers (not staff in post) are left out."""
    year = mapping.source_fields.get("year")
    if year is not None and not re.fullmatch(r"\d{4}", clean_text(_cell(row, year))):
        return "notes row"
    status_index = mapping.source_fields.get("status")
    status = clean_text(_cell(row, status_index))
    if status_index is not None and status and status.lower() != "in post":
        return f"status {status!r}: only staff in post are imported"
    return None


def _derive_senior(cells: dict[str, Any], source: dict[str, Any]) -> None:
    if cells.get("role_type") is None:
        role = role_type_from_title(str(cells.get("job_title") or source.get("job_title") or ""))
        if role:
            cells["role_type"] = role


_STAFF_WORDS = re.compile(
    r"\b(contractors?|agency|interims?|consultants?|consultancy|fixed[- ]term|secondees?|"
    r"loan|outsourced)\b",
    re.I,
)


def _derive_junior(cells: dict[str, Any], source: dict[str, Any]) -> None:
    """Staff type only when the generic job title plainly says it (e.g. 'Interim manager')."""
    title = str(source.get("job_title", ""))
    if cells.get("staff_type") is None and _STAFF_WORDS.search(title):
        with contextlib.suppress(Unparsed):
            cells["staff_type"] = parse_staff_type(title)


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


def _wmi_rows(
    rec: Recognition,
    mapping: ColumnMapping,
    table: Question,
    row: Sequence[CellValue],
    source_row: int,
) -> Iterator[ExtractedRow]:
    """One organisation row unpivoted: a row per staff group with headcount or FTE."""
    base = _provenance(rec, mapping, row)
    department = str(base.get("department", ""))
    headcount_field = table.column("headcount")
    fte_field = table.column("fte")
    pairs, _, _ = _wmi_pairs(rec.header)
    produced = False
    for pair in pairs:
        raw_count, raw_fte = _cell(row, pair.headcount), _cell(row, pair.fte)
        if clean_text(raw_count) == "" and clean_text(raw_fte) == "":
            continue
        if missing_reason(raw_count) is not None and missing_reason(raw_fte) is not None:
            continue
        cells: dict[str, Any] = {}
        problems: list[str] = []
        for column, index, raw in (
            (headcount_field, pair.headcount, raw_count),
            (fte_field, pair.fte, raw_fte),
        ):
            if index is None:
                continue
            value, note, ok = normalise_for(column, raw)
            if not ok:
                problems.append(_problem(rec, index, note))
            elif value is not None:
                cells[column.id] = value
        source = dict(base)
        source["measure"] = f"{pair.group}; {pair.subgroup}"
        if pair.payroll:
            cells["staff_type"] = "permanent"
            source["grade_group"] = grade_group(pair.subgroup) or pair.subgroup
            source["staff_type"] = pair.group
        else:
            source["staff_type"] = pair.subgroup
            try:
                cells["staff_type"] = parse_staff_type(pair.subgroup)
            except Unparsed as exc:
                problems.append(f"staff group {pair.subgroup!r}: {exc}")
        produced = True
        yield ExtractedRow(source_row, cells, source, department, problems)
    if not produced:
        yield ExtractedRow(source_row, {}, base, department, skip="no values in the mapped columns")
