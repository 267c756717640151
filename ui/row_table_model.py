"""The item model behind a table question (roles, workforce, contracts, programmes).

Edits made through setData become undoable commands that commit to the store; the
apply_* methods mirror a committed change in the view and are called only by commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from models.questionnaire import Field, Question
from models.records import Row
from models.validation import InvalidAnswer, error_for, exact_number, format_value, parse_text
from models.values import is_empty

if TYPE_CHECKING:
    from ui.audit_session import AuditSession

Index = QModelIndex | QPersistentModelIndex
_MISSING = QBrush(QColor("#fff4d6"))
_INVALID = QBrush(QColor("#fde2e1"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = {"integer", "decimal", "currency", "percentage"}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_HORIZONTAL = Qt.Orientation.Horizontal
FIRST_PAGE = 100  # rows read before a table is first shown
LOAD_CHUNK = 1000  # rows read per idle turn of the event loop afterwards
_ROLES_SERVED = frozenset({_DISPLAY, _EDIT, _ALIGN, _TOOLTIP, _BACKGROUND})


def edit_text(column: Field, value: Any) -> str:
    """A stored value as text to edit or copy: every digit, no thousands separators."""
    if is_empty(value):
        return ""
    if column.type in ("integer", "decimal", "percentage"):
        return exact_number(value)
    if column.type == "currency":
        return f"{value:.2f}"
    return format_value(column, value)


class RowTableModel(QAbstractTableModel):
    """Rows of one table question.

    A long table opens with its first page of rows; once that is on screen the rest is
    read in chunks while the event loop is idle, or sooner when the view scrolls there
    (Qt's fetchMore).
    Anything that needs the whole table reads `rows`, which finishes loading first.

    Signals:
        editRejected(str): typed or pasted text did not fit a column; the message says where.
    """

    editRejected = Signal(str)

    def __init__(
        self, session: AuditSession, question: Question, rows: list[Row], total: int | None = None
    ) -> None:
        super().__init__(session)
        self.session = session
        self.question = question
        self.columns = question.columns
        self._rows = rows
        self._total = len(rows) if total is None else max(total, len(rows))
        self._loader = QTimer(self)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_chunk)

    def load_rest_when_idle(self) -> None:
        """Read the remaining rows a chunk per idle turn (the view calls this once painted)."""
        if len(self._rows) < self._total and not self._loader.isActive():
            self._loader.start()

    def stop_loading(self) -> None:
        """The audit is closing: read nothing more."""
        self._loader.stop()
        self._total = len(self._rows)

    @property
    def rows(self) -> list[Row]:
        """Every row, in order (loading any not read yet)."""
        self.ensure_loaded()
        return self._rows

    @property
    def row_total(self) -> int:
        """How many rows the table has, loaded or not."""
        return self._total

    def ensure_loaded(self) -> None:
        if len(self._rows) < self._total:
            self._fetch(self._total - len(self._rows))

    def _load_chunk(self) -> None:
        self._fetch(LOAD_CHUNK)

    def _fetch(self, count: int) -> None:
        start = len(self._rows)
        more = self.session.store.rows(
            self.session.audit.id, self.question.id, start=start, limit=count
        )
        if more:
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
        if not more or len(self._rows) >= self._total:
            self._total = len(self._rows)
            self._loader.stop()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch(LOAD_CHUNK)

    # ---------------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: plain int roles, no enums.
        if role not in _ROLES_SERVED or not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self._rows[index.row()].cells.get(column.id)
        if role == _DISPLAY:
            return format_value(column, value)
        if role == _EDIT:
            return edit_text(column, value)
        if role == _ALIGN:
            return _RIGHT if column.type in _NUMERIC else None
        problem = self.cell_problem(column, value)
        if role == _TOOLTIP:
            return problem or column.help or None
        if problem is None:
            return None
        return _MISSING if is_empty(value) else _INVALID

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation is not _HORIZONTAL:  # row numbers: asked for once per row, keep it cheap
            if role == _DISPLAY:
                return section + 1
            if role == _TOOLTIP and 0 <= section < len(self._rows):  # asked for on hover only
                from ui.history_dialog import source_line

                where = source_line(self.session.store, self._rows[section].id).strip()
                return where or None
            return None
        column = self.columns[section]
        if role == _DISPLAY:
            return column.label + (" *" if column.required else "")
        if role == _TOOLTIP:
            tip = column.help or column.label
            return tip + ("\nRequired." if column.required else "")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.session.read_only:  # signed off, or the workspace is open read-only
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.session.read_only:
            return False
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        try:
            parsed = value if not isinstance(value, str) else parse_text(column, value)
        except InvalidAnswer as exc:
            self.editRejected.emit(f"Row {index.row() + 1}, {column.label}: {exc}")
            return False
        old = row.cells.get(column.id)
        if old == parsed and type(old) is type(parsed):
            return True
        from ui.commands import EditTableCommand

        self.session.undo_stack.push(
            EditTableCommand(self, [(row.id, column.id, old, parsed)], text=f"edit {column.label}")
        )
        return True

    # ---------------------------------------------------------------- checks
    @staticmethod
    def cell_problem(column: Field, value: Any) -> str | None:
        if is_empty(value):
            return f"{column.label} is required." if column.required else None
        return error_for(column, value)

    def row_index(self, row_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.id == row_id:
                return i
        raise KeyError(row_id)

    # ---------------------------------------------------------------- applying committed edits
    def apply_cells(self, changes: Sequence[tuple[str, str, Any]]) -> None:
        col_index = {c.id: i for i, c in enumerate(self.columns)}
        for row_id, column_id, value in changes:
            r = self.row_index(row_id)
            cells = self._rows[r].cells
            if is_empty(value):
                cells.pop(column_id, None)
            else:
                cells[column_id] = value
            idx = self.index(r, col_index[column_id])
            self.dataChanged.emit(idx, idx)
        if changes:
            self.session.cells_changed(self.question.id)

    def apply_insert(self, position: int, rows: Sequence[Row]) -> None:
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self._rows[position:position] = list(rows)
        self._total += len(rows)
        self._renumber(position)
        self.endInsertRows()
        self.session.rows_changed(self.question.id, self._total)

    def apply_remove(self, row_ids: Sequence[str]) -> None:
        for row_id in row_ids:
            r = self.row_index(row_id)
            self.beginRemoveRows(QModelIndex(), r, r)
            del self._rows[r]
            self._total -= 1
            self.endRemoveRows()
        self._renumber(0)
        self.session.rows_changed(self.question.id, self._total)

    def apply_move(self, source: int, target: int) -> None:
        dest = target + 1 if target > source else target
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), dest)
        row = self._rows.pop(source)
        self._rows.insert(target, row)
        self._renumber(min(source, target))
        self.endMoveRows()

    def _renumber(self, start: int) -> None:
        for i in range(start, len(self._rows)):
            self._rows[i].position = i
