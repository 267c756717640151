"""Rows copied whole from a spreadsheet, pasted as new rows matched by their header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.questionnaire import Field
from models.table_paste import PastePlan, split_clipboard
from models.validation import InvalidAnswer, parse_text


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def column_named(cell: str, columns: Sequence[Field]) -> int | None:
    """The column a header cell names: its label, its id, or (3+ letters) the start of a label."""
    key = _key(cell)
    if not key:
        return None
    for i, column in enumerate(columns):
        if key in (_key(column.label), _key(column.id)):
            return i
    starts = [i for i, c in enumerate(columns) if len(key) >= 3 and _key(c.label).startswith(key)]
    return starts[0] if len(starts) == 1 else None


def header_map(cells: Sequence[str], columns: Sequence[Field]) -> list[int | None] | None:
    """Column per header cell when the row is a header, else None.

    A header names at least two columns (a single cell could be a value such as "Vacant")
    in at least a third of its filled cells (an export adds Department, Cycle and id
    columns); the other cells (or a repeat) map to None.
    """
    mapping: list[int | None] = []
    for cell in cells:
        target = column_named(cell, columns) if cell.strip() else None
        mapping.append(None if target in mapping else target)
    filled = sum(bool(c.strip()) for c in cells)
    named = sum(m is not None for m in mapping)
    if named < min(2, len(columns)) or 3 * named < filled:
        return None
    return mapping


def whole_rows(grid: Sequence[Sequence[str]], columns: Sequence[Field]) -> list[int | None] | None:
    """How whole copied rows map onto the columns, or None when the clipboard is a block.

    Rows are whole when the first one is a header naming at least two columns (any order,
    any subset), or when every row has exactly one cell per column (no header).
    """
    if not grid:
        return None
    mapping = header_map(grid[0], columns)
    if mapping is not None:
        return mapping
    if len(columns) > 1 and all(len(row) == len(columns) for row in grid):
        return list(range(len(columns)))
    return None


def plan_new_rows(
    columns: Sequence[Field], first_number: int, text: str
) -> tuple[PastePlan, list[str]] | None:
    """The new rows a whole-row clipboard adds (never a change to a stored row).

    Returns (plan, headers of copied columns this table has not), or None when the
    clipboard is not whole rows. Rows are numbered from `first_number` (the table's row
    count + 1) in the problems listed.
    """
    grid = split_clipboard(text)
    mapping = whole_rows(grid, columns)
    if mapping is None:
        return None
    header = header_map(grid[0], columns) is not None
    plan = PastePlan(skipped_header=header)
    unused = []
    if header:
        unused = [c for c, m in zip(grid[0], mapping, strict=True) if c.strip() and m is None]
    for offset, cells in enumerate(grid[1:] if header else grid):
        new_cells: dict[str, Any] = {}
        for raw, target in zip(cells, mapping, strict=False):
            if target is None:
                continue
            column = columns[target]
            try:
                value = parse_text(column, raw)
            except InvalidAnswer as exc:
                plan.problems.append(f"Row {first_number + offset}, {column.label}: {exc}")
                continue
            if value is not None:
                new_cells[column.id] = value
        if new_cells:
            plan.new_rows.append(new_cells)
    return plan, unused
