"""Pasting rows copied from Excel into a table question: what changes, is added, or is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.questionnaire import Field
from models.records import Row
from models.validation import InvalidAnswer, parse_text


@dataclass
class PastePlan:
    """The effect of a paste, worked out before anything is written."""

    changes: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # row id, col, old, new
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_header: bool = False

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_rows


def split_clipboard(text: str) -> list[list[str]]:
    """Split clipboard text as Excel and LibreOffice write it.

    Cells are separated by tabs and rows by line breaks. A cell is quoted only when it
    holds a line break, a tab or starts with a quote; such a cell starts with '"', ends
    with '"' right before a tab, a line break or the end, and doubles its inner quotes.
    Anything else (a quote inside a cell, an unbalanced quote) is kept as written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    rows: list[list[str]] = [[]]
    i, n = 0, len(text)
    while True:
        cell, i = _read_cell(text, i)
        rows[-1].append(cell)
        if i >= n:
            return rows
        if text[i] == "\n":
            rows.append([])
        i += 1  # past the tab or line break


def join_clipboard(rows: Sequence[Sequence[str]]) -> str:
    """Rows as Excel puts them on the clipboard: what split_clipboard reads back unchanged."""

    def quoted(cell: str) -> str:
        if "\t" in cell or "\n" in cell or "\r" in cell or cell.startswith('"'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join("\t".join(quoted(c) for c in row) + "\n" for row in rows)


def _read_cell(text: str, start: int) -> tuple[str, int]:
    """One cell from `start`; returns it and the index of the separator after it."""
    if text.startswith('"', start):
        j = start + 1
        parts = []
        while True:
            close = text.find('"', j)
            if close < 0:
                break  # never closed: not a quoted cell
            if text.startswith('""', close):
                parts.append(text[j:close] + '"')
                j = close + 2
                continue
            after = close + 1
            if after == len(text) or text[after] in "\t\n":
                parts.append(text[j:close])
                return "".join(parts), after
            break  # a quote inside the cell, e.g. '"Acting" CDO': not a quoted cell
    ends = [k for k in (text.find("\t", start), text.find("\n", start)) if k >= 0]
    stop = min(ends) if ends else len(text)
    return text[start:stop], stop


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _is_header(cells: Sequence[str], columns: Sequence[Field]) -> bool:
    """True when every filled cell names its column set: a label, its start, or an exact id.

    "Post ref" names "Post reference"; a value that merely begins a column id ("Vacant"
    and vacant_or_interim) does not. Cells past the last column are not considered.
    """
    labels = [_key(c.label) for c in columns]
    ids = {_key(c.id) for c in columns}
    filled = [_key(c) for c in cells[: len(columns)] if _key(c)]

    def names_a_column(cell: str) -> bool:
        return cell in ids or any(
            cell == label or (len(cell) >= 3 and label.startswith(cell)) for label in labels
        )

    return bool(filled) and all(names_a_column(c) for c in filled)


def plan_paste(
    columns: Sequence[Field],
    rows: Sequence[Row],
    start_row: int,
    start_col: int,
    text: str,
) -> PastePlan:
    """Overwrite from (start_row, start_col) and append rows past the end.

    Cells that do not parse are left as they were and listed in `problems`, named by
    table row number and column label. Columns past the last one are reported, not dropped
    silently.
    """
    plan = PastePlan()
    grid = split_clipboard(text)
    if grid and _is_header(grid[0], columns[start_col:]):
        grid = grid[1:]
        plan.skipped_header = True
    extra_columns = 0
    for offset, cells in enumerate(grid):
        target = start_row + offset
        existing = rows[target] if target < len(rows) else None
        new_cells: dict[str, Any] = {}
        for j, raw in enumerate(cells):
            col_index = start_col + j
            if col_index >= len(columns):
                if raw.strip():
                    extra_columns = max(extra_columns, col_index - len(columns) + 1)
                continue
            column = columns[col_index]
            try:
                value = parse_text(column, raw)
            except InvalidAnswer as exc:
                plan.problems.append(f"Row {target + 1}, {column.label}: {exc}")
                continue
            if existing is None:
                if value is not None:
                    new_cells[column.id] = value
            else:
                old = existing.cells.get(column.id)
                if old != value or type(old) is not type(value):
                    plan.changes.append((existing.id, column.id, old, value))
        if existing is None:
            plan.new_rows.append(new_cells)
    if extra_columns:
        plan.problems.append(
            f"{extra_columns} pasted column(s) went past the last column "
            f"({columns[-1].label}) and were not used."
        )
    return plan
