"""Honest completion: a table row counts only when its required cells are filled.

A section is complete when every visible required question is answered, and a required
table is answered by its minimum number of complete rows: one blank row, or an imported
row with a required cell blank, does not tick it. What the submit check lists as blank
comes from here too, by table, row and column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.questionnaire import Question, Questionnaire
from models.validation import visible_questions
from models.values import is_empty

if TYPE_CHECKING:
    from models.store import Store

Cells = Mapping[str, Any]


@dataclass(frozen=True)
class BlankCell:
    """A required cell left blank: the table, the 1-based row number and the column."""

    table_id: str
    table_label: str
    row: int
    column_id: str
    column_label: str

    @property
    def text(self) -> str:
        """'Senior technology roles, row 3: Grade'."""
        return f"{self.table_label}, row {self.row}: {self.column_label}"


def row_complete(table: Question, cells: Cells) -> bool:
    """Every required column of the row has a value."""
    return all(not is_empty(cells.get(c.id)) for c in table.columns if c.required)


def complete_row_counts(
    questionnaire: Questionnaire, rows: Mapping[str, Sequence[Cells]]
) -> dict[str, int]:
    """Complete rows per table: what section_progress and missing_required should be given."""
    counts = {}
    for table in questionnaire.table_questions():
        required = [c.id for c in table.columns if c.required]  # row_complete, once per table
        counts[table.id] = sum(
            1
            for cells in rows.get(table.id, ())
            if all(not is_empty(cells.get(c)) for c in required)
        )
    return counts


def stored_rows(
    store: Store, audit_id: str, questionnaire: Questionnaire
) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows of a stored audit as cell dicts, keyed by table id."""
    return {
        table.id: [row.cells for row in store.rows(audit_id, table.id)]
        for table in questionnaire.table_questions()
    }


def stored_complete_row_counts(
    store: Store, audit_id: str, questionnaire: Questionnaire
) -> dict[str, int]:
    """complete_row_counts of a stored audit, counted in SQLite without reading the rows.

    The same rule as row_complete (a cell is blank when absent, null, '' or []), so the
    dashboard's first paint and the form's section list stay quick on large tables.
    """
    counts = {}
    for table in questionnaire.table_questions():
        required = [c.id for c in table.columns if c.required]
        sql = "SELECT count(*) FROM table_rows WHERE audit_id = ? AND question_id = ?"
        params: list[Any] = [audit_id, table.id]
        for column_id in required:  # blank as is_empty says: absent, null, '' or []
            sql += (
                " AND CASE coalesce(json_type(cells, ?1), 'null')"
                " WHEN 'null' THEN 0 WHEN 'text' THEN json_extract(cells, ?1) != ''"
                " WHEN 'array' THEN json_array_length(cells, ?1) > 0 ELSE 1 END"
            ).replace("?1", f"?{len(params) + 1}")
            params.append(f'$."{column_id}"')
        counts[table.id] = int(store.conn.execute(sql, params).fetchone()[0])
    return counts


def _table_title(questionnaire: Questionnaire, table: Question) -> str:
    return questionnaire.section(table.section_id).title if table.section_id else table.label


def blank_required_cells(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    rows: Mapping[str, Sequence[Cells]],
) -> list[BlankCell]:
    """Required cells left blank in the visible tables, in form order, row by row."""
    shown = visible_questions(questionnaire, answers)
    blanks = []
    for table in questionnaire.table_questions():
        if table.id not in shown:
            continue
        title = _table_title(questionnaire, table)
        for number, cells in enumerate(rows.get(table.id, ()), 1):
            for column in table.columns:
                if column.required and is_empty(cells.get(column.id)):
                    blanks.append(BlankCell(table.id, title, number, column.id, column.label))
    return blanks
