"""The import preview's table: one line per planned row, read lazily (a file may have 100,000)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from importers.foreign_plan import BY_YOU, NOT_TECHNOLOGY

if TYPE_CHECKING:
    from importers.foreign_plan import ForeignPlan, PlannedRow, Target
    from models.questionnaire import Field, Question

Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Import?", "Row", "Audit", "Values", "Why", "Values left blank")
CHECK, ROW, AUDIT, VALUES, WHY, PROBLEMS = range(len(HEADERS))
IMPORT_BRUSH = QBrush(QColor("#e6f4ea"))  # pale green
LEFT_OUT_BRUSH = QBrush(QColor("#f1f1f1"))  # pale grey
PROBLEM_BRUSH = QBrush(QColor("#fdf0d5"))  # pale amber
NOT_TECH = NOT_TECHNOLOGY

Toggle = Callable[["PlannedRow", bool], None]  # (row, keep it) — the wizard re-plans


# What the preview can show: every row, or only those a reviewer of a big file looks for.
SHOWN: dict[str, Callable[[PlannedRow], bool]] = {
    "All rows": lambda item: True,
    "Rows to import": lambda item: bool(item.imported),
    "Rows left out": lambda item: not item.imported,
    "Rows with values left blank": lambda item: bool(item.row.problems),
}


def toggleable(item: PlannedRow) -> bool:
    """Rows the user may tick or untick: imported ones, and those left out only by a choice."""
    return item.imported or item.reason in (BY_YOU, NOT_TECH)


class PlanRowsModel(QAbstractTableModel):
    """Planned rows: kept or left out (in words and colour), where they go, and why."""

    def __init__(self, toggle: Toggle, parent: Any = None) -> None:
        super().__init__(parent)
        self.toggle = toggle
        self.shown = "All rows"
        self.all_rows: list[PlannedRow] = []
        self.rows: list[PlannedRow] = []  # those shown
        self.targets: dict[str, Target] = {}
        self.table: Question | None = None
        self._values: dict[int, str] = {}  # row index -> formatted values, filled as shown

    def set_plan(self, plan: ForeignPlan | None, table: Question | None) -> None:
        self.beginResetModel()
        self.all_rows = list(plan.rows) if plan is not None else []
        self.rows = self._filtered()
        self.targets = {t.department.id: t for t in plan.targets} if plan is not None else {}
        self.table = table
        self._values = {}
        self.endResetModel()

    def show_only(self, shown: str) -> None:
        """Show every row, or only those to import, left out, or with values left blank."""
        self.beginResetModel()
        self.shown = shown if shown in SHOWN else "All rows"
        self.rows = self._filtered()
        self._values = {}
        self.endResetModel()

    def _filtered(self) -> list[PlannedRow]:
        keep = SHOWN[self.shown]
        return self.all_rows if self.shown == "All rows" else [r for r in self.all_rows if keep(r)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == CHECK and toggleable(self.rows[index.row()]):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (VALUES, WHY, PROBLEMS):
            text = self._text(index.row(), item, column)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.CheckStateRole and column == CHECK:
            return Qt.CheckState.Checked if item.imported else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == PROBLEMS and item.row.problems:
                return PROBLEM_BRUSH
            return IMPORT_BRUSH if item.imported else LEFT_OUT_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != CHECK:
            return False
        item = self.rows[index.row()]
        if not toggleable(item):
            return False
        keep = (
            Qt.CheckState(value) == Qt.CheckState.Checked
            if isinstance(value, int)
            else (value == Qt.CheckState.Checked)
        )
        if keep == item.imported:
            return False
        self.toggle(item, keep)
        return True

    # ---------------------------------------------------------------- text
    def _text(self, number: int, item: PlannedRow, column: int) -> str:
        if column == CHECK:
            return "Import" if item.imported else "Left out"
        if column == ROW:
            return str(item.row.source_row)
        if column == AUDIT:
            return self.audit_text(item)
        if column == VALUES:
            text = self._values.get(number)
            if text is None:
                text = self._values[number] = self.values_text(item)
            return text
        if column == WHY:
            return item.reason or item.technology or source_text(item)
        if column == PROBLEMS:
            return ("⚠ " + "; ".join(item.row.problems)) if item.row.problems else ""
        return ""

    def audit_text(self, item: PlannedRow) -> str:
        dept = item.department
        if dept is None:
            return ""
        target = self.targets.get(dept.id)
        name = dept.abbreviation or dept.name
        if target is None or not item.imported:
            return name
        new = " (new audit)" if target.audit_id is None else ""
        return f"{name}, {target.cycle}{new}" if target.cycle else name

    def values_text(self, item: PlannedRow) -> str:
        cells = item.row.cells
        order = [c.id for c in self.table.columns] if self.table is not None else []
        ids = [c for c in order if c in cells] + [c for c in cells if c not in order]
        parts = []
        for column_id in ids:
            column = _column(self.table, column_id)
            label = column.label if column is not None else column_id.replace("_", " ")
            parts.append(f"{label}: {value_text(column, cells[column_id])}")
        return " · ".join(parts)


def source_text(item: PlannedRow) -> str:
    """Where in the source an imported row comes from: organisation, unit, staff group."""
    source = item.row.source
    parts = [str(source[k]) for k in ("organisation", "unit", "measure") if source.get(k)]
    return f"from {'; '.join(parts)}" if parts else ""


def _column(table: Question | None, column_id: str) -> Field | None:
    if table is None:
        return None
    try:
        return table.column(column_id)
    except KeyError:
        return None


def value_text(column: Field | None, value: Any) -> str:
    """A stored value as the form would show it: option labels, yes/no, 24,370."""
    if column is not None and column.options:
        return column.option_label(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)
