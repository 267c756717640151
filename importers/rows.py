"""Rows of any table through a column mapping: provenance, totals and notes rows, cell by cell.

Shared by the generic column mapper and the formats in importers/formats/, which add their
own knowledge through the Format hooks (skip, before, derive).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from importers.cell_cleaning import clean_text, missing_reason
from importers.column_mapping import ColumnMapping
from importers.normalise import Converter, Result, converter, unreadable
from importers.reference_matching import grade_group
from importers.row_kinds import is_notes_row, is_totals_row
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, column_letter
from models.questionnaire import Field, Question

if TYPE_CHECKING:
    from importers.formats.base import Format, Recognition


def cell(row: Sequence[CellValue], index: int | None) -> CellValue:
    """The value at `index`, or None past the row's end or for no column."""
    if index is None or index >= len(row):
        return None
    return row[index]


_PLAIN_TYPES = frozenset({str, int, float, type(None)})  # hashable, and cheap to cache by value


def _uncached_source_text(value: CellValue) -> str:
    return "" if missing_reason(value) is not None else clean_text(value)


# Source fields repeat down a file (the same organisation, unit, grade on every row):
# cleaning each distinct value once keeps a 100,000-row plan to a fraction of a second.
_source_text = functools.lru_cache(maxsize=65_536)(_uncached_source_text)
_grade_group = functools.lru_cache(maxsize=4096)(grade_group)


def provenance(
    rec: Recognition, mapping: ColumnMapping, row: Sequence[CellValue]
) -> dict[str, Any]:
    """The row's own granularity: organisation, unit, grade, … (only what is filled)."""
    fields = mapping.source_fields
    reader = _READER
    if reader is None or reader[0] is not fields or reader[1] != fields:
        reader = _reader(fields)
    _, _, names, pick, top = reader
    if fields and top < len(row):
        # Rows repeat the same few organisations, units and grades: each distinct set of
        # source cells (and their types: 1, 1.0 and True read differently) is read once.
        values = pick(row)
        key = (rec.sheet, names, values, tuple(map(type, values)) if len(fields) > 1
               else type(values))  # fmt: skip
        try:
            found = _SOURCES.get(key)
        except TypeError:  # an unhashable cell from some reader: read it as it is
            return _provenance(rec.sheet, fields, row)
        if found is None:
            if len(_SOURCES) > _SOURCES_LIMIT:
                _SOURCES.clear()
            found = _SOURCES[key] = _provenance(rec.sheet, fields, row)
        return dict(found)  # the caller's own: formats add to it
    return _provenance(rec.sheet, fields, row)


_SOURCES: dict[tuple[Any, ...], dict[str, Any]] = {}
_SOURCES_LIMIT = 65_536
# The source fields last read: (the dict, a copy to tell if it changed since, their names,
# what picks their cells from a row, the highest index).
_Reader = tuple[dict[str, int], dict[str, int], tuple[str, ...], Callable[[Any], Any], int]
_READER: _Reader | None = None


def _reader(fields: dict[str, int]) -> _Reader:
    global _READER
    top = max(fields.values(), default=-1)
    indexes = list(fields.values())
    pick: Callable[[Any], Any] = itemgetter(*indexes) if indexes else tuple
    _READER = (fields, dict(fields), tuple(fields), pick, top)
    return _READER


def _provenance(sheet: str, fields: dict[str, int], row: Sequence[CellValue]) -> dict[str, Any]:
    source: dict[str, Any] = {"sheet": sheet}
    width = len(row)
    for name, index in fields.items():
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


def row_kind(row: Sequence[CellValue], width: int) -> str | None:
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


def problem(header: HeaderLayout, index: int, note: str | None) -> str:
    """'column F 'Headcount': not a whole number' — where a value was left blank, and why."""
    name = header.names[index] if index < header.width else ""
    where = f"column {column_letter(index)}" + (f" {name!r}" if name else "")
    return f"{where}: {note or 'value not understood'}"


def mapped_row(
    rec: Recognition,
    mapping: ColumnMapping,
    table: Question,
    row: Sequence[CellValue],
    source_row: int,
    bound: list[Bound] | None = None,
    fmt: Format | None = None,
) -> ExtractedRow:
    """One source row through the mapping, with the format's own skips and derived cells."""
    source = provenance(rec, mapping, row)
    department = str(source.get("department", ""))
    vacant = False
    if fmt is not None:
        skip, vacant = fmt.before(rec, mapping, row)
        if skip is not None:
            return ExtractedRow(source_row, {}, source, department, skip=skip)
    cells: dict[str, Any] = {}
    problems: list[str] = []
    reasons: list[str] = []
    width = len(row)
    # normalise_for, cell by cell, without its look-up; each column's results for the text
    # and decimal cells it has seen are kept (equal floats read alike: 0.0 and -0.0 too;
    # whole numbers are not, as 1 == 1.0 == True as keys).
    for column_id, index, _, unit, convert, seen in bound or bound_columns(table, mapping):
        raw = row[index] if index < width else None
        if raw is None or (vacant and column_id == "post_holder_name"):
            continue  # normalise_for gives a blank cell (None, None, True): nothing to do
        kept = seen if type(raw) is str or type(raw) is float else None
        result = kept.get(raw) if kept is not None else None
        if result is None:
            try:
                result = convert(raw, unit)
            except Exception as exc:  # never raise: an odd cell must not stop an import
                result = unreadable(raw, exc)
            if kept is not None:
                if len(kept) > _SEEN_LIMIT:
                    kept.clear()
                kept[raw] = result
        value, note, ok = result
        if not ok:
            problems.append(problem(rec.header, index, note))
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
    if fmt is not None:
        fmt.derive(rec, cells, source)
    return ExtractedRow(source_row, cells, source, department, problems)


# (column id, source index, field, unit, the field's converter, its results for the text
# and decimal cells seen so far, or None when results must not be shared).
Bound = tuple[str, int, Field, float, Converter, dict[CellValue, Result] | None]
_SEEN_LIMIT = 50_000


def bound_columns(table: Question, mapping: ColumnMapping) -> list[Bound]:
    """Each mapped column the table has, with what converts its cells."""
    key = (id(table), tuple(mapping.mapped.items()), tuple(mapping.units.items()))
    found = _BOUND.get(key)
    if found is None or found[0] is not table:
        bound: list[Bound] = []
        for column_id, index in mapping.mapped.items():
            with contextlib.suppress(KeyError):
                field_ = table.column(column_id)
                # A multi-choice value is a list: each row gets its own.
                seen: dict[CellValue, Result] | None = {}
                if field_.type == "multi_choice":
                    seen = None
                unit = mapping.units.get(column_id, 1.0)
                bound.append((column_id, index, field_, unit, converter(field_), seen))
        found = _BOUND[key] = (table, bound)
    return found[1]


_BOUND: dict[tuple[Any, ...], tuple[Question, list[Bound]]] = {}
