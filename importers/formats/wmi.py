"""Workforce management information (WMI): monthly headcount, FTE and costs per body."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from importers.column_mapping import ColumnMapping, normalise_header
from importers.formats.base import Format, Names, Recognition, empty_mapping
from importers.normalise import (
    Unparsed,
    clean_text,
    grade_group,
    missing_reason,
    normalise_for,
    parse_staff_type,
)
from importers.rows import cell, problem, provenance, row_kind
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook
from models.questionnaire import Question, Questionnaire

PAYROLL_NOTE = (
    "payroll staff are recorded as Permanent civil servant: WMI does not separate "
    "fixed-term appointments"
)
_key = normalise_header


@dataclass(frozen=True)
class _WmiPair:
    """One (group, sub-group) of a WMI return: its headcount and FTE columns."""

    group: str
    subgroup: str
    headcount: int | None
    fte: int | None
    payroll: bool


def _confidence(names: Names) -> float:
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
    header: HeaderLayout,
    names: Names,
    questionnaire: Questionnaire,
    confidence: float,
    fmt: Format,
) -> Recognition:
    table = questionnaire.question("workforce_mix")
    mapping = empty_mapping(table, header, "Workforce management information")
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
        format=fmt,
    )


def _wmi_rows(
    rec: Recognition,
    mapping: ColumnMapping,
    table: Question,
    row: Sequence[CellValue],
    source_row: int,
) -> Iterator[ExtractedRow]:
    """One organisation row unpivoted: a row per staff group with headcount or FTE."""
    base = provenance(rec, mapping, row)
    department = str(base.get("department", ""))
    headcount_field = table.column("headcount")
    fte_field = table.column("fte")
    pairs, _, _ = _wmi_pairs(rec.header)
    produced = False
    for pair in pairs:
        raw_count, raw_fte = cell(row, pair.headcount), cell(row, pair.fte)
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
                problems.append(problem(rec.header, index, note))
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


class WorkforceManagementInformation(Format):
    """Monthly WMI returns: one row per body, headcount and FTE per staff group."""

    id = "wmi"
    title = "Workforce management information (monthly)"
    target = "workforce_mix"
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
        if header is None or not questionnaire.has_question(self.target):
            return None
        names = Names(header)
        confidence = _confidence(names)
        if not confidence:
            return None
        return _wmi_recognition(header, names, questionnaire, confidence, self)

    def extract(
        self,
        rec: Recognition,
        rows: Iterable[Sequence[CellValue]],
        table: Question,
        mapping: ColumnMapping,
    ) -> Iterator[ExtractedRow]:
        width = rec.header.width
        for index, row in enumerate(rows):
            if index < rec.header.first_data_row:
                continue
            source_row = index + 1
            kind = row_kind(row, width)
            if kind == "blank":
                continue
            if kind is not None:
                yield ExtractedRow(source_row, {}, {"sheet": rec.sheet}, skip=kind)
                continue
            yield from _wmi_rows(rec, mapping, table, row, source_row)
