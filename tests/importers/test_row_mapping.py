"""Rows through a mapping read each cell exactly as normalise_for reads it on its own, and
each row's provenance as it is read afresh, whatever the per-column results kept."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from importers.cell_cleaning import clean_text, missing_reason
from importers.cell_parsers import PERCENT_POINTS, holds_points
from importers.column_mapping import ColumnMapping
from importers.formats.base import Recognition, extract_mapped
from importers.normalise import normalise_for
from importers.reference_matching import grade_group
from importers.rows import problem, provenance, row_kind
from importers.source_table import CellValue, HeaderLayout
from models.questionnaire import current_questionnaire

QUESTIONNAIRE = current_questionnaire()

# Cells that look alike and are not (1, 1.0, True; 0.0 and -0.0; '1' and ' 1 '), markers,
# words that are choices and words that are not, odd floats and long integers.
CELLS: list[CellValue] = [
    None, "", " ", 0, 1, 1.0, True, False, -0.0, 0.0, 0.5, 45.0, 1.5, -3, 2**70,
    math.nan, math.inf, "1", " 1 ", "1.0", "0.45", "45%", "£1,234.56", "-", "n/a", ".",
    "Data", "data", " Data ", "Contractor", "contractor", "Permanent", "Grade 7", "SCS1",
    "Yes", "no", "Total", "All departments", "Unit 3", "2024-03-31", "31/03/2024",
    date(2024, 3, 31), datetime(2024, 3, 31, 12, 30), "x" * 300, "Vacant", "=1+1",
]  # fmt: skip


def _recognition(table_id: str, width: int) -> tuple[Recognition, ColumnMapping]:
    table = QUESTIONNAIRE.question(table_id)
    parts = tuple((f"Column {i}",) for i in range(width))
    header = HeaderLayout("Sheet 1", (0,), 1, parts)
    columns: dict[str, int | None] = {c.id: i for i, c in enumerate(table.columns)}
    sources = {"organisation": len(columns), "grade": len(columns) + 1}
    units = {c.id: 1000.0 for c in table.columns if c.type == "currency"}
    mapping = ColumnMapping(table.id, columns, source_fields=sources, units=units)
    recognition = Recognition("generic", "Spreadsheet table", "Sheet 1", header, table.id,
                              mapping, 0.5)  # fmt: skip
    return recognition, mapping


def _expected(
    rec: Recognition,
    mapping: ColumnMapping,
    row: list[CellValue],
    units: dict[str, float] | None = None,
) -> dict[str, Any]:
    """One row read cell by cell with normalise_for, and its provenance read afresh; `units`
    the unit each column is read in (a percentage column of whole percentages: points)."""
    table = QUESTIONNAIRE.question(mapping.target)
    source: dict[str, Any] = {"sheet": rec.sheet}
    for name, index in mapping.source_fields.items():
        value = row[index] if index < len(row) else None
        text = "" if missing_reason(value) is not None else clean_text(value)
        if text:
            source[name] = text
    if "grade" in source and grade_group(source["grade"]):
        source["grade_group"] = grade_group(source["grade"])
    cells: dict[str, Any] = {}
    problems: list[str] = []
    for column_id, index in mapping.mapped.items():
        raw = row[index] if index < len(row) else None
        field = table.column(column_id)
        unit = (units or {}).get(column_id, mapping.units.get(column_id, 1.0))
        value, note, ok = normalise_for(field, raw, unit=unit)
        if not ok:
            problems.append(problem(rec.header, index, note))
        elif value is not None:
            cells[column_id] = value
    return {"cells": cells, "problems": problems, "source": source}


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same type (1 is not 1.0 is not True), NaN equal to itself."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b and (not isinstance(a, float) or str(a) == str(b))


@settings(max_examples=60, deadline=None)
@given(
    table_id=st.sampled_from([t.id for t in QUESTIONNAIRE.table_questions()]),
    grid=st.lists(st.lists(st.sampled_from(CELLS), min_size=0, max_size=16), max_size=25),
)
def test_each_row_reads_as_normalise_for_reads_each_cell(
    table_id: str, grid: list[list[CellValue]]
) -> None:
    """Kept results for repeated cells never change what a row gets, in any column type."""
    rec, mapping = _recognition(table_id, 16)
    table = QUESTIONNAIRE.question(table_id)
    rows: list[list[CellValue]] = [[f"Column {i}" for i in range(16)], *grid]
    got = {r.source_row: r for r in extract_mapped(rec, rows, table, mapping, None)}
    # A percentage column is judged whole (A4): any cell beyond -1..1 makes it whole percentages.
    data = [row for row in grid if row_kind(row, 16) is None]
    units = {
        c.id: PERCENT_POINTS
        for c in table.columns
        if c.type == "percentage"
        and holds_points(
            row[i] for row in data if (i := mapping.columns[c.id]) is not None and i < len(row)
        )
    }
    for number, row in enumerate(grid, start=2):
        kind = row_kind(row, 16)
        if kind == "blank":
            assert number not in got
            continue
        extracted = got[number]
        if kind is not None:
            assert extracted.skip == kind
            continue
        expected = _expected(rec, mapping, row, units)
        assert _same(extracted.source, expected["source"]), (row, extracted.source)
        if not expected["cells"] and not expected["problems"]:
            assert extracted.skip and extracted.skip.startswith("no values in the mapped")
            continue
        assert extracted.skip is None
        assert _same(extracted.cells, expected["cells"]), (row, extracted.cells)
        assert extracted.problems == expected["problems"]


def test_a_rows_provenance_is_its_own_to_change() -> None:
    """Rows with the same source cells get equal provenance, never one shared dict."""
    rec, mapping = _recognition("workforce_mix", 8)
    rows: list[list[CellValue]] = [[f"Column {i}" for i in range(8)]]
    rows += [["Data", "Contractor", 3, 2.5, 100.0, "Agency 1", "Grade 7"]] * 2
    table = QUESTIONNAIRE.question("workforce_mix")
    first, second = extract_mapped(rec, rows, table, mapping, None)
    assert first.source == second.source
    first.source["period"] = "2024-03"
    assert "period" not in second.source


def test_cells_equal_as_keys_keep_their_own_reading() -> None:
    """1, True and 1.0 are one dict key: each still reads as itself, in cells and provenance."""
    rec, mapping = _recognition("workforce_mix", 8)
    rows: list[list[CellValue]] = [[f"Column {i}" for i in range(8)]]
    rows += [["Data", "Contractor", v, v, v, v, "Grade 7"] for v in (1, True, 1.0, 1.5)]
    table = QUESTIONNAIRE.question("workforce_mix")
    read = list(extract_mapped(rec, rows, table, mapping, None))
    assert [r.source["organisation"] for r in read] == ["1", "True", "1", "1.5"]
    assert [r.cells.get("headcount") for r in read] == [1, None, 1, None]
    assert [type(r.cells.get("fte")) for r in read] == [float, type(None), float, float]


def test_source_fields_changed_in_place_are_read_as_they_now_are() -> None:
    """The wizard may edit a mapping's provenance columns in place: the next read follows."""
    rec, mapping = _recognition("workforce_mix", 8)
    row: list[CellValue] = ["Data", "Contractor", 3, 2.5, 100.0, "Agency 1", "Grade 7"]
    assert provenance(rec, mapping, row)["organisation"] == "Agency 1"
    mapping.source_fields["organisation"] = 6
    mapping.source_fields["unit"] = 5
    assert provenance(rec, mapping, row) == {
        "sheet": "Sheet 1", "organisation": "Grade 7", "grade": "Grade 7", "unit": "Agency 1",
        "grade_group": grade_group("Grade 7"),
    }  # fmt: skip
    other = ColumnMapping("workforce_mix", {}, source_fields={"unit": 0})
    assert provenance(rec, other, row) == {"sheet": "Sheet 1", "unit": "Data"}
    assert provenance(rec, mapping, row)["unit"] == "Agency 1"
