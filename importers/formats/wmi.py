"""Workforce management information (WMI): monthly headcount and FTE per body and staff
group, 2011-2025, in every layout (importers/formats/wmi_header.py reads the headers).

Each body's row becomes one row per staff group (payroll grade groups, agency, interim
managers, specialist contractors, consultants, other contingent labour). The file's own
total columns are not rows: they check the rows (payroll headcount per body). Totals rows,
template rows of zeros and earlier months of a months-as-rows file are left out, with why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from importers.cell_cleaning import clean_text
from importers.column_mapping import ColumnMapping
from importers.formats import wmi_header
from importers.formats.base import Format, Recognition, empty_mapping
from importers.formats.wmi_header import (
    ID_ROLES,
    WmiColumn,
    classify,
    find_header,
    is_period_level,
    name_unnamed,
)
from importers.formats.wmi_values import (
    MONTH_NAMES,
    cover_month,
    month_of,
    nothing,
    number,
    period_of,
    row_month,
    unread_month,
)
from importers.normalise import normalise_for
from importers.row_kinds import is_notes_row, is_totals_row
from importers.rows import cell, problem, provenance
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook
from models.questionnaire import Question, Questionnaire

_FIRST_OF_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])-01")
NO_ROW_MONTH = "no month that can be read (listed as a problem)"
PAYROLL_NOTE = (
    "payroll staff are recorded as Permanent civil servant: WMI does not separate "
    "fixed-term appointments"
)
# Questionnaire version 2 keeps the whole department's staff in their own table; version 1
# has only the technology workforce table, which takes WMI only when the user confirms it.
DEPARTMENT_TABLE = "department_workforce"
TECHNOLOGY_TABLE = "workforce_mix"
GRADE_OPTIONS = {
    "AO/AA": "ao_aa",
    "EO": "eo",
    "SEO/HEO": "seo_heo",
    "Grade 6/7": "grade_6_7",
    "SCS": "scs",
    "Other": "other",
}
NO_MONTH = (
    "the file does not say which month its figures are for: the Month column is left "
    "blank, to be filled in"
)
LEFT_OUT = {
    "total": "the file's own total: used to check the rows, not imported as a row",
    "grand_total": "the file's own grand total: not imported as a row",
    "cost": "a monthly cost for the whole body, not per staff group: not imported "
    "(enter annual costs by hand)",
    "contracts": "a number of consultancy contracts, not people: not imported",
    "comment": "free-text comments: not imported (read them in the file)",
    "other": "not a column of the WMI return Baseline knows: not imported",
    "unnamed": "no header and not where the WMI template puts a body's name: not imported",
}


@dataclass(frozen=True)
class Pair:
    """One staff group of a WMI return: its headcount and FTE columns."""

    group: str  # "payroll" or "non-payroll"
    published_group: str
    subgroup: str
    kind: str  # grade group (payroll) or staff type (non-payroll)
    headcount: int | None
    fte: int | None

    @property
    def payroll(self) -> bool:
        return self.group == "payroll"


def pairs_of(columns: Sequence[WmiColumn]) -> list[Pair]:
    """The count columns grouped into (headcount, FTE) pairs, in the file's order."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for col in columns:
        if col.role != "count":
            continue
        entry = found.setdefault(
            (col.group, col.subgroup),
            {"published": col.published_group, "kind": col.kind},
        )
        entry.setdefault(col.measure, col.index)
    pairs: list[Pair] = []
    for (group, sub), e in found.items():
        last = pairs[-1] if pairs else None
        if (  # 'Intermin Managers Headcount' beside 'Interim Managers Full-time Equivalent'
            last is not None and last.fte is None and "headcount" not in e and e.get("fte")
            and (last.group, last.kind) == (group, e["kind"]) and e["kind"]
        ):  # fmt: skip
            pairs[-1] = Pair(group, last.published_group, last.subgroup, last.kind,
                             last.headcount, e["fte"])  # fmt: skip
            continue
        pairs.append(Pair(group, e["published"], sub, e["kind"], e.get("headcount"), e.get("fte")))
    return pairs


def target_of(questionnaire: Questionnaire) -> str:
    """The department-wide table when the questionnaire has one, else the technology table."""
    if questionnaire.has_question(DEPARTMENT_TABLE):
        return DEPARTMENT_TABLE
    return TECHNOLOGY_TABLE


class WorkforceManagementInformation(Format):
    """Monthly WMI returns: one row per body, headcount and FTE per staff group."""

    id = "wmi"
    title = "Workforce management information (monthly)"
    target = TECHNOLOGY_TABLE  # version 1; see target_of
    editable = False
    whole_department = (
        "workforce management information counts every member of staff of each body "
        "(all grades and staff groups), not its technology staff"
    )

    def recognise(
        self,
        book: SourceBook,
        sheet: str,
        rows: Sequence[Sequence[CellValue]],
        header: HeaderLayout | None,
        questionnaire: Questionnaire,
    ) -> Recognition | None:
        if not questionnaire.has_question(target_of(questionnaire)):
            return None
        found = find_header(rows, sheet)
        if found is None:
            return None
        columns = classify(found)
        counts = [c for c in columns if c.role == "count"]
        if len(counts) < 4 or not any(c.group == "payroll" and c.kind for c in counts):
            return None
        sample = rows[found.first_data_row :]
        columns, id_note = name_unnamed(columns, sample)
        # A CSV's "sheet" is its file name, which need not name the month it holds.
        named = book.kind != "csv"
        rec = _recognition(self, found, columns, sample, questionnaire, id_note, named)
        if rec.extra["period"] is None:  # the return workbook says it on its cover sheet
            rec.extra["period"] = cover_month(book)
        if rec.extra["period"] is not None:
            year, month = rec.extra["period"]
            rec.notes.insert(0, f"figures for {MONTH_NAMES[month - 1]} {year}")
        elif rec.target == DEPARTMENT_TABLE and "month" not in rec.mapping.source_fields:
            rec.notes.append(NO_MONTH)
        return rec

    def extract(
        self,
        rec: Recognition,
        rows: Iterable[Sequence[CellValue]],
        table: Question,
        mapping: ColumnMapping,
    ) -> Iterator[ExtractedRow]:
        return _Extractor(rec, table, mapping).run(rows)


def _letter(index: int) -> str:
    from importers.source_table import column_letter

    return column_letter(index)


def _recognition(
    fmt: WorkforceManagementInformation,
    header: HeaderLayout,
    columns: list[WmiColumn],
    sample: Sequence[Sequence[CellValue]],
    questionnaire: Questionnaire,
    id_note: str,
    sheet_names_month: bool = True,
) -> Recognition:
    table = questionnaire.question(target_of(questionnaire))
    mapping = empty_mapping(table, header, "Workforce management information")
    mapping.source_fields = {c.role: c.index for c in columns if c.role in ID_ROLES}
    pairs = pairs_of(columns)
    average = any(is_period_level(p) for parts in header.parts for p in parts)
    fields = mapping.source_fields
    months_as_rows = "month" in fields and "organisation" not in fields
    notes = [
        "each organisation row becomes one row per staff group (payroll grade groups and "
        "non-payroll types) with its headcount and FTE",
    ]
    if table.id == DEPARTMENT_TABLE:
        notes.append(
            f"the figures are for the whole department ({fmt.whole_department}): they go "
            f"into {table.label!r}, kept apart from the technology workforce"
        )
    else:
        notes.append(PAYROLL_NOTE)
        notes.append(f"the figures are for the whole department: {fmt.whole_department}")
    if id_note:
        notes.append(id_note)
    if average:
        notes.append(
            "the figures are averages over the period the header names, not one month: "
            "headcounts are rounded to whole people, FTE kept as published"
        )
    if months_as_rows:
        notes.append(
            "one row per month and no organisation column: the latest month is imported, "
            "earlier months are left out (one month per audit)"
        )
    left_out: dict[int, str] = {}
    blocking: list[str] = []
    width_with_data = max((len(r) for r in sample[:50]), default=0)
    for col in columns:
        if col.role in ID_ROLES:
            continue
        if col.role == "count":
            if not col.kind:
                blocking.append(
                    f"column {_letter(col.index)} {header.names[col.index]!r}: staff group "
                    f"{col.subgroup!r} is not one WMI has used: map or accept it"
                )
            continue
        has_text = bool(header.parts[col.index]) if col.index < header.width else False
        has_data = col.index < width_with_data and any(
            clean_text(cell(r, col.index)) for r in sample[:50]
        )
        if has_text or has_data:
            left_out[col.index] = LEFT_OUT.get(col.role, LEFT_OUT["other"])
    totals = [header.names[i] for i, why in left_out.items() if why == LEFT_OUT["total"]]
    if totals:
        notes.append(
            "total columns are sums of the others: not imported as rows, used to check them ("
            + ", ".join(repr(t) for t in totals)
            + ")"
        )
    costs = [header.names[i] for i, why in left_out.items() if why == LEFT_OUT["cost"]]
    if costs:
        notes.append(
            "cost columns are monthly totals per organisation, not per row: not imported — "
            "enter annual costs by hand (" + ", ".join(repr(c) for c in costs) + ")"
        )
    rest = [
        header.names[i] or _letter(i)
        for i, why in left_out.items()
        if why not in (LEFT_OUT["total"], LEFT_OUT["cost"])
    ]
    if rest:
        notes.append("not imported: " + ", ".join(repr(o) for o in rest))
    organisation = "organisation" in mapping.source_fields or months_as_rows
    period = period_of(header.sheet if sheet_names_month else "", sample, mapping)
    has_data = any(
        (number(cell(r, p.headcount)) or 0) > 0 for r in sample[:50] for p in pairs if p.headcount
    )
    return Recognition(
        layout_id=fmt.id,
        title=fmt.title,
        sheet=header.sheet,
        header=header,
        target=table.id,
        mapping=mapping,
        confidence=0.97 if organisation else 0.6,
        notes=notes,
        tech_filter=False,
        editable=False,
        format=fmt,
        left_out=left_out,
        blocking=blocking,
        order=(0 if has_data else 1, -(period[0] * 12 + period[1]) if period else 0),
        extra={
            "columns": columns,
            "pairs": pairs,
            "average": average,
            "months_as_rows": months_as_rows,
            "period": period,
        },
    )


class _Extractor:
    """Walks a WMI sheet once: data rows unpivoted, totals and template rows told apart."""

    def __init__(self, rec: Recognition, table: Question, mapping: ColumnMapping) -> None:
        self.rec = rec
        self.table = table
        self.mapping = mapping
        self.pairs: list[Pair] = rec.extra["pairs"]
        self.columns: list[WmiColumn] = rec.extra["columns"]
        self.counted = [c.index for c in self.columns if c.role in ("count", "total")]
        self.sums: dict[int, float] = {}
        self.rows_summed = 0
        fields = mapping.source_fields
        self.organisation = fields.get("organisation")
        self.month = fields.get("month") if rec.extra["months_as_rows"] else None

    def run(self, rows: Iterable[Sequence[CellValue]]) -> Iterator[ExtractedRow]:
        first = self.rec.header.first_data_row
        numbered = [(i + 1, row) for i, row in enumerate(rows)]
        data = numbered[first:]
        again, repeated = wmi_header.joined_at(data, numbered[first - 1][1] if first else ())
        latest = self._latest_month([(n, r) for n, r in data if again is None or n < again])
        for source_row, row in data:
            if (again is not None and source_row >= again) or source_row in repeated:
                yield from wmi_header.under_second_header(source_row, row, again, repeated)
                continue
            yield from self._row(source_row, row, latest)

    def _latest_month(self, data: list[tuple[int, Sequence[CellValue]]]) -> tuple[int, int] | None:
        if self.month is None:
            return None
        months = [row_month(cell(row, self.month)) for _, row in data]
        return max((m for m in months if m), default=None)

    def _row(
        self, source_row: int, row: Sequence[CellValue], latest: tuple[int, int] | None
    ) -> Iterator[ExtractedRow]:
        sheet = {"sheet": self.rec.sheet}
        values = {i: number(cell(row, i)) for i in self.counted}
        figures = any(v for v in values.values())
        label = clean_text(cell(row, self.organisation)) if self.organisation is not None else ""
        if not figures and not label:
            if is_notes_row(row, self.rec.header.width):
                yield ExtractedRow(source_row, {}, sheet, skip="notes row")
            return  # blank, or a template row of zeros: nothing in it
        if label and is_totals_row([label]):
            yield ExtractedRow(source_row, {}, sheet, skip="totals row")
            return
        if self.month is not None:
            month = row_month(cell(row, self.month))
            if month is None:  # figures with no month: said, and the import stops there
                if is_totals_row([clean_text(cell(row, self.month))]):
                    yield ExtractedRow(source_row, {}, sheet, skip="totals row")
                    return
                why = problem(self.rec.header, self.month, unread_month(cell(row, self.month)))
                yield ExtractedRow(source_row, {}, sheet, skip=NO_ROW_MONTH, problems=[why])
                return
            if month != latest:
                shown = clean_text(cell(row, self.month))
                yield ExtractedRow(
                    source_row, {}, sheet, skip=f"an earlier month ({shown}) than the latest"
                )
                return
        elif not label and self.rows_summed:
            if self._sums_rows_above(values):
                why = "totals row (the sums of the rows above)"
            elif not self._dated(row):
                why = "figures under the data with no organisation, year or month: not a return"
            else:
                why = ""
            if why:
                yield ExtractedRow(source_row, {}, sheet, skip=why)
                return
        for index, value in values.items():
            self.sums[index] = self.sums.get(index, 0.0) + (value or 0.0)
        self.rows_summed += 1
        yield from self._unpivot(source_row, row)

    def _dated(self, row: Sequence[CellValue]) -> bool:
        """Whether the row gives its own year or month (a body's return with no name)."""
        fields = self.mapping.source_fields
        return any(clean_text(cell(row, fields.get(k))) for k in ("year", "month") if k in fields)

    def _sums_rows_above(self, values: dict[int, float | None]) -> bool:
        """An unlabelled row whose filled figures are the sums of the rows above it."""
        filled = [(i, v) for i, v in values.items() if v is not None]
        if not filled:
            return False
        return all(abs(self.sums.get(i, 0.0) - v) <= 0.5 + 1e-6 * abs(v) for i, v in filled)

    def _unpivot(self, source_row: int, row: Sequence[CellValue]) -> Iterator[ExtractedRow]:
        base = provenance(self.rec, self.mapping, row)
        if self.rec.extra["period"] and "month" not in base:
            year, month = self.rec.extra["period"]
            base["period"] = f"{year}-{month:02d}"
        department = str(base.get("department", ""))
        whole = self.table.id == DEPARTMENT_TABLE
        body, month = _body_and_month(base) if whole else ("", "")
        headcount_field = self.table.column("headcount")
        fte_field = self.table.column("fte")
        produced: list[ExtractedRow] = []
        for pair in self.pairs:
            raw_count, raw_fte = cell(row, pair.headcount), cell(row, pair.fte)
            if nothing(raw_count) and nothing(raw_fte):
                continue
            cells: dict[str, Any] = {}
            problems: list[str] = []
            for column, index, raw in (
                (headcount_field, pair.headcount, raw_count),
                (fte_field, pair.fte, raw_fte),
            ):
                if index is None or nothing(raw):
                    continue  # text that is not a number goes on, to be listed as a problem
                figure = number(raw)
                if column is headcount_field and self.rec.extra["average"] and figure is not None:
                    raw = math.floor(figure + 0.5)
                value, note, ok = normalise_for(column, raw)
                if not ok:
                    problems.append(problem(self.rec.header, index, note))
                elif value is not None:
                    cells[column.id] = value
            source = dict(base)
            group = pair.published_group or (
                "Payroll staff" if pair.payroll else "Non-payroll staff"
            )
            source["measure"] = f"{group}; {pair.subgroup}"
            if whole:  # the department-wide table: body, month, staff group, grade group
                cells.update({k: v for k, v in (("body", body), ("month", month)) if v})
                cells["staff_group"] = "payroll" if pair.payroll else pair.kind
                grade = GRADE_OPTIONS.get(pair.kind, "") if pair.payroll else "all_grades"
                if grade:
                    cells["grade_group"] = grade
                if pair.payroll:
                    source["grade_group"] = pair.kind  # as published
                source["staff_type"] = group if pair.payroll else pair.subgroup
            elif pair.payroll:
                cells["staff_type"] = "permanent"
                source["grade_group"] = pair.kind
                source["staff_type"] = group
            else:
                source["staff_type"] = pair.subgroup
                cells["staff_type"] = pair.kind
            produced.append(ExtractedRow(source_row, cells, source, department, problems))
        if not produced:
            said = sorted({clean_text(cell(row, i)) for i in self.counted} - {""})
            shown = f" ({', '.join(repr(t) for t in said[:3])})" if said else ""
            why = f"no staff figures: every headcount and FTE cell is blank or nil{shown}"
            yield ExtractedRow(source_row, {}, base, department, skip=why)
            return
        produced[0].check = self._check(row, base)
        yield from produced

    def _check(self, row: Sequence[CellValue], source: dict[str, Any]) -> tuple[bool, str] | None:
        """Payroll headcount by grade group against the file's own payroll total column."""
        total = next(
            (
                c.index
                for c in self.columns
                if c.role == "total" and c.group == "payroll" and c.measure == "headcount"
            ),
            None,
        )
        if total is None:
            return None
        body = source.get("organisation") or "(no organisation named)"
        stated = number(cell(row, total))
        grades = [number(cell(row, p.headcount)) for p in self.pairs if p.payroll and p.headcount]
        added = sum(v for v in grades if v is not None)
        if stated is None:
            return False, f"{body}: the file gives no payroll total to check against"
        ok = abs(added - stated) <= 0.5
        shown = clean_text(cell(row, total))
        if ok:
            return True, f"{body}: payroll headcount {added:,.6g} matches the file's total"
        return False, (
            f"{body}: payroll headcounts add up to {added:,.6g} but the file's total column "
            f"says {shown}"
        )


def _body_and_month(source: dict[str, Any]) -> tuple[str, str]:
    """A return row's body (organisation, else its department) and month as YYYY-MM."""
    body = str(source.get("organisation") or source.get("department") or "")
    period = str(source.get("period", ""))
    if period:
        return body, period
    said = str(source.get("month", ""))
    if _FIRST_OF_MONTH.fullmatch(said):  # a Month column of dates, kept as '2020-04-01'
        found: tuple[int, int] | None = (int(said[:4]), int(said[5:7]))
    else:
        found = month_of(f"{said} {source.get('year', '')}") or month_of(said)
    return body, f"{found[0]}-{found[1]:02d}" if found else ""
