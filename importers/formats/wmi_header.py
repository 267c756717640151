"""WMI headers of every year, 2011-2025: where the header is, and what each column is.

The columns have been the same twenty headcount/FTE pairs plus costs since 2011; what
changed is how the header is written (see tests/fixtures/samples/wmi/ORIGINS.md):
- stacked: group / sub-group / measure rows (sometimes a fourth 'Average totals …' row, or
  no group row), merged or '.'-filled blanks, under instruction and blank rows;
- flat: one row joining the levels with spaces ('Payroll staff AO/AA Headcount') or colons
  ('Payroll staff (AO/AA): headcount');
- one row of 'Group;↵Sub-group;↵Measure' cells (2022 onwards, also with colons).
Next year's variant is a new spelling in the tables below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from importers.cell_cleaning import clean_text
from importers.column_mapping import normalise_header
from importers.header_detect import SCAN_ROWS, cell_text, collapse
from importers.rows import cell
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, column_letter

# Measure words at the end of a header cell, normalised.
MEASURES = {
    "headcount": "headcount",
    "head count": "headcount",
    "full time equivalent": "fte",
    "full time equivalents": "fte",
    "fte": "fte",
}
_MEASURE_END = re.compile(r"(?:^|\s)(headcount|head count|full time equivalents?|fte)$")

# Payroll sub-groups as written over the years (normalised) -> grade group.
GRADE_GROUPS = {
    "ao aa": "AO/AA",
    "aa ao": "AO/AA",
    "admin officers admin assistants": "AO/AA",
    "administrative officers administrative assistants": "AO/AA",
    "administrative officers and assistants": "AO/AA",
    "eo": "EO",
    "executive officers": "EO",
    "executive officer": "EO",
    "seo heo": "SEO/HEO",
    "heo seo": "SEO/HEO",
    "higher executive officers senior executive officers": "SEO/HEO",
    "senior executive officers higher executive officers": "SEO/HEO",
    "grade 6 7": "Grade 6/7",
    "grades 6 7": "Grade 6/7",
    "grade 6 and 7": "Grade 6/7",
    "grade 7 6": "Grade 6/7",
    "g6 g7": "Grade 6/7",
    "scs": "SCS",
    "senior civil service": "SCS",
    "senior civil servants": "SCS",
}
# Non-payroll sub-groups (contingent labour and consultancy) -> staff type.
STAFF_GROUPS = {
    "agency staff clerical admin": "agency",
    "agency staff": "agency",
    "agency": "agency",
    "admin and clerical": "agency",
    "clerical and admin": "agency",
    "interim managers": "interim",
    "intermin managers": "interim",  # so spelled in the flat headers of 2012-2021
    "interim": "interim",
    "specialist contractors": "contractor",
    "interim managers and specialist contractors": "contractor",
    "interim managers and specialist contractors and medical": "contractor",
    "interim mangers and specialist contractors and medical": "contractor",  # FCDO 2025
    "consultants consultancy": "consultant",
    "consultants": "consultant",
    "consultancy": "consultant",
    "other contingent labour": "other_contingent",
    "other contingent": "other_contingent",
}
ORGANISATION = ("organisation name", "organisation", "name of organisation", "body")
ORGANISATION_TYPE = ("organisation type", "type of organisation")
DEPARTMENT = (
    "main parent or sponsoring department",
    "parent department",
    "department",
    "sponsoring department",
)
_COST_WORDS = re.compile(
    r"\b(cost|costs|paybill|salary|allowances|overtime|pension|national insurance|"
    r"performance payments)\b"
)
_GROUP = re.compile(
    r"^(?P<group>(?:number of )?non[- ]?payroll staff(?: \([^)]*\))?|payroll staff"
    r"|grand total(?: \(workforce numbers\))?)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_MEASURE_TEXT = re.compile(
    r"[\s:;(]*\b(head\s*count|full[\s-]*time\s+equivalents?|fte)\)?\s*$", re.IGNORECASE
)
_LEVELS = re.compile(r"\s*[;:]\s*")


@dataclass(frozen=True)
class WmiColumn:
    """One column of a WMI header: what it holds and, for counts, which staff group."""

    index: int
    role: str  # count, total, grand_total, cost, contracts, comment, id roles, other
    group: str = ""  # "payroll" or "non-payroll" for counts and totals
    published_group: str = ""  # the group as the file writes it
    subgroup: str = ""  # as published
    kind: str = ""  # grade group (payroll) or staff type (non-payroll); "" if unknown
    measure: str = ""  # "headcount" or "fte"


def _key(text: str) -> str:
    return normalise_header(text)


def _levels(text: str) -> list[str]:
    """A header cell's levels: 'A;↵B;↵C' and 'A:↵B:↵C' split; one line otherwise."""
    text = text.replace("\r", "")
    if re.search(r"[;:]\s*\n", text) or text.count(";") >= 1:
        pieces = _LEVELS.split(text)
    else:
        pieces = [text]
    return [collapse(p) for p in pieces if collapse(p) and collapse(p) != "."]


def _is_measure_cell(text: str) -> bool:
    return bool(_MEASURE_END.search(_key(text)))


def find_header(rows: Sequence[Sequence[CellValue]], sheet: str) -> HeaderLayout | None:
    """The WMI header of a sheet: the row of Headcount/FTE cells and the levels above it."""
    for i, row in enumerate(rows[:SCAN_ROWS]):
        texts = [cell_text(v) for v in row]
        measures = sum(1 for t in texts if t and _is_measure_cell(t))
        if measures < 4:
            continue
        stacked = sum(1 for t in texts if _key(t) in MEASURES) >= 4
        band = [i]
        if stacked:
            j = i - 1
            while j >= 0 and len(band) < 4:
                above = [cell_text(v) for v in rows[j]]
                filled = [t for t in above if t and t != "."]
                if len(filled) < 2 and not (filled and is_period_level(filled[0])):
                    break  # a title or an instruction, not a level of the header
                band.insert(0, j)
                j -= 1
        return HeaderLayout(sheet, tuple(band), i + 1, _parts(rows, band))
    return None


def _parts(rows: Sequence[Sequence[CellValue]], band: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    """Each column's levels, blanks under a spanning group or sub-group filled from the left."""
    width = max(len(rows[r]) for r in band)
    grid = []
    for r in band:
        texts = [cell_text(v) for v in rows[r]] + [""] * (width - len(rows[r]))
        grid.append(["" if t == "." else t for t in texts])
    originals = [list(line) for line in grid]
    for level in range(len(grid) - 1):
        for c in range(1, width):
            if originals[level][c]:
                continue
            new_parent = any(originals[up][c] for up in range(level))
            below = any(originals[down][c] for down in range(level + 1, len(grid)))
            if not new_parent and below and grid[level][c - 1]:
                grid[level][c] = grid[level][c - 1]
    columns: list[tuple[str, ...]] = []
    for c in range(width):
        parts: list[str] = []
        for level in range(len(grid)):
            for part in _levels(grid[level][c]):
                if not parts or _key(parts[-1]) != _key(part):
                    parts.append(part)
        columns.append(_flat(parts))
    return tuple(columns)


def _flat(parts: list[str]) -> tuple[str, ...]:
    """'Payroll staff AO/AA Headcount' -> ('Payroll staff', 'AO/AA', 'Headcount')."""
    if len(parts) == 1:
        text = parts[0]
        measure = _MEASURE_TEXT.search(text)
        group = _GROUP.match(text[: measure.start()] if measure else "")
        if measure and group:
            rest = group["rest"].strip(" :;-")
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1]
            return tuple(p for p in (group["group"], rest.strip(), measure.group(1)) if p)
    if len(parts) == 2 and _key(parts[1]) in MEASURES:
        # 'Payroll staff (AO/AA)' + 'headcount'; 'Non Payroll staff Interim …' + 'FTE'
        group = _GROUP.match(parts[0])
        rest = group["rest"].strip(" :;-") if group else ""
        if group and rest and _GROUP_NAMES.get(_key(group["group"])) in ("payroll", "non-payroll"):
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1]
            return (group["group"], rest, parts[1])
    return tuple(parts)


_GROUP_NAMES = {
    "payroll staff": "payroll",
    "non payroll staff": "non-payroll",
    "non payroll": "non-payroll",
    "number of non payroll staff": "non-payroll",
    "grand total": "grand",
    "grand total workforce numbers": "grand",
}


def _group_of(text: str) -> str:
    """'payroll', 'non-payroll' or 'grand' for a group level, '' for anything else."""
    return _GROUP_NAMES.get(_key(re.sub(r"\([^)]*\)", " ", text)), "")


def _subgroup_kind(text: str, group: str) -> tuple[str, str]:
    """(group, grade group or staff type) a sub-group names; ('', '') when not known."""
    key = _key(text)
    key = re.sub(r"^non payroll staff ", "", key)
    if key in GRADE_GROUPS:
        return "payroll", GRADE_GROUPS[key]
    if key in STAFF_GROUPS:
        return "non-payroll", STAFF_GROUPS[key]
    if key.startswith("other") and group != "non-payroll":
        return "payroll", "Other"
    if key.startswith("other contingent"):
        return "non-payroll", "other_contingent"
    return "", ""


def classify(header: HeaderLayout) -> list[WmiColumn]:
    """Every column of a WMI header, left to right, with the group read from context where
    the file leaves it out (no group row: grades, then 'Total Employees', then contingent)."""
    columns: list[WmiColumn] = []
    context = "payroll"
    for index, parts in enumerate(header.parts):
        parts = tuple(p for p in parts if not is_period_level(p))
        if not parts:
            columns.append(WmiColumn(index, "unnamed"))
            continue
        key = _key(" ".join(parts))
        end = _MEASURE_END.search(_key(parts[-1]))
        measure = MEASURES[end.group(1)] if end else ""
        if not measure:
            columns.append(WmiColumn(index, _other_role(key)))
            continue
        published = next((p for p in parts[:-1] if _group_of(p)), "")
        group = _group_of(published) if published else ""
        if "grand total" in key:
            columns.append(WmiColumn(index, "grand_total", "", published, measure=measure))
            continue
        if re.search(r"\btotals?\b", key):
            after_payroll = group == "non-payroll" or context == "non-payroll"
            if (group != "payroll" and after_payroll) or "contingent" in key:
                total_group = "non-payroll"
            else:
                total_group = "payroll"
            columns.append(WmiColumn(index, "total", total_group, published, measure=measure))
            if total_group == "payroll" and measure == "fte":
                context = "non-payroll"
            continue
        candidates = [p for p in parts[:-1] if not _group_of(p)]
        subgroup = candidates[-1] if candidates else ""
        found_group, kind = _subgroup_kind(subgroup, group or context)
        group = group or found_group or context
        if group == "non-payroll":
            context = "non-payroll"
        columns.append(WmiColumn(index, "count", group, published, subgroup, kind, measure))
    return columns


def is_period_level(text: str) -> bool:
    """'Average totals for the period April 2011 - March 2012': a level saying the figures
    are averages over a period, not a staff group."""
    return _key(text).startswith(("average totals", "average for the period", "sum total"))


def _other_role(key: str) -> str:
    """The role of a column that is not a headcount or FTE."""
    if key in ORGANISATION or key.startswith("organisation name"):
        return "organisation"
    if key in ORGANISATION_TYPE:
        return "organisation_type"
    if key in DEPARTMENT or key.startswith("main parent or sponsoring"):
        return "department"
    if key == "year":
        return "year"
    if key == "month":
        return "month"
    if "number of contracts" in key:
        return "contracts"
    if "comment" in key or key.startswith("notes"):
        return "comment"
    if _COST_WORDS.search(key):
        return "cost"
    return "other"


SECOND_HEADER = (
    "a second header row: another file joined below this one? The rows under it are not "
    "read: import each file on its own"
)


def header_again(row: Sequence[CellValue]) -> bool:
    """Whether a row under the data is a header again (four or more measure cells: 'Payroll
    staff AO/AA Headcount', 'Full-time equivalent'), as when two years' files are joined."""
    found = 0
    for value in row:
        if isinstance(value, str) and value and _MEASURE_END.search(_key(value)):
            found += 1
            if found >= 4:
                return True
    return False


def joined_at(
    data: Sequence[tuple[int, Sequence[CellValue]]], header_row: Sequence[CellValue]
) -> tuple[int | None, set[int]]:
    """Where another file's header starts under the data (None if nowhere), and the rows that
    repeat this header word for word (two months of one layout joined: read on under them)."""
    repeated: set[int] = set()
    mine = _texts(header_row)
    for source_row, row in data:
        if header_again(row):
            if _texts(row) != mine:
                return source_row, repeated
            repeated.add(source_row)
    return None, repeated


def _texts(row: Sequence[CellValue]) -> list[str]:
    texts = [cell_text(v) for v in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def under_second_header(
    source_row: int, row: Sequence[CellValue], again: int | None, repeated: set[int]
) -> Iterator[ExtractedRow]:
    """A repeat of the header is left out; another file's header is a problem (the import
    stops there) and the rows under it are left out."""
    if source_row in repeated and (again is None or source_row < again):
        yield ExtractedRow(source_row, {}, {}, skip="the header again (the same columns)")
    elif source_row == again:
        yield ExtractedRow(source_row, {}, {}, skip="a second header row", problems=[SECOND_HEADER])
    elif any(cell_text(v) for v in row):
        yield ExtractedRow(source_row, {}, {}, skip=f"under the second header at row {again}")


# The identifying columns a WMI row may have, in the template's order.
ID_ROLES = ("organisation", "organisation_type", "department", "year", "month")


def name_unnamed(
    columns: list[WmiColumn], sample: Sequence[Sequence[CellValue]]
) -> tuple[list[WmiColumn], str]:
    """Columns left of the counts with no header (BEIS 2020) are the template's organisation,
    type and department, in that order, when the file has no organisation column at all."""
    roles = {c.role for c in columns}
    if "organisation" in roles or "month" in roles:
        return columns, ""
    first_count = min(c.index for c in columns if c.role == "count")
    leading = [c for c in columns[:first_count] if c.role == "unnamed"]
    filled = [c for c in leading if any(clean_text(cell(r, c.index)) for r in sample[:20])]
    if not filled:
        return columns, ""
    named = {c.index: role for c, role in zip(filled, ID_ROLES[:3], strict=False)}
    result = [WmiColumn(c.index, named[c.index]) if c.index in named else c for c in columns]
    letters = ", ".join(column_letter(i) for i in named)
    return result, (
        f"columns {letters} have no header: read as organisation name, organisation type and "
        "parent department, the WMI template's order"
    )
