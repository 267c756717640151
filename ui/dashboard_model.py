"""The cycle dashboard's data model: rows and columns as display text, tints and sort keys,
and the proxy that sorts (blanks last) and filters them. The view is ui/dashboard_view.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from exporters.report_blocks import rating
from models.cycle_summary import NO_AUDIT
from models.dashboard import (
    COUNT,
    DEPARTMENT,
    DIFFERENCE,
    FLAG,
    MATURITY,
    PERCENT,
    SHARE,
    Dashboard,
    DashboardColumn,
    DashboardRow,
)
from models.formatting import (
    MISSING,
    format_count,
    format_maturity,
    format_points,
    format_share,
)

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # a number, a casefolded text, or None (blank)
AUDIT_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # the row's audit id, or None
PENDING = "…"  # an indicator still being worked out
ALL_STATUSES = "All statuses"
NOT_SUBMITTED = "Not submitted"  # draft or no audit
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_INK = QBrush(QColor("#0b0c0c"))  # dark text on the light rating tints, whatever the theme


def _tint(maturity: float | None) -> QBrush:
    """The rating's tint (exporters/report_blocks.rating, as in the PDF heat map)."""
    colour = rating(maturity)[1]
    return QBrush(QColor.fromRgbF(colour.red, colour.green, colour.blue))


def _two_lines(title: str) -> str:
    """A long header split over two lines near its middle, so columns stay narrow."""
    if len(title) <= 14 or " " not in title:
        return title
    middle = len(title) // 2
    spaces = [i for i, ch in enumerate(title) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{title[:cut]}\n{title[cut + 1 :]}"


def display_text(row: DashboardRow, column: DashboardColumn) -> str:
    """A cell as the dashboard shows it: '3.4', '45%', 'Yes', '7'; '–' missing, '' no audit."""
    value = row.value(column)
    if column.key == DEPARTMENT or isinstance(value, str):
        return str(value)
    if row.audit is None:
        return ""
    if value is None and row.pending and column.key.startswith("indicator:"):
        return PENDING
    if value is None and _not_asked(row, column):
        return f"Not asked (version {row.audit.questionnaire_version})"
    number = None if isinstance(value, bool) else value
    if column.kind == MATURITY:
        return format_maturity(number)
    if column.kind in (PERCENT, SHARE):
        return format_share(number)
    if column.kind == COUNT:  # an empty table is unanswered (row.flag_text), never '0'
        said = row.flag_text(column)
        return said if said is not None else format_count(number)
    if column.kind == DIFFERENCE:
        return format_points(number)
    if column.kind == FLAG:
        said = row.flag_text(column)  # Not answered / Conflicting are said, never Yes or No
        return said if said is not None else MISSING
    return MISSING if value is None else str(value)


def _not_asked(row: DashboardRow, column: DashboardColumn) -> bool:
    """An indicator the audit's questionnaire version does not have (version 2's
    department-wide shares in a version 1 audit): not a missing figure."""
    form = row.questionnaire
    if form is None or not column.key.startswith("indicator:"):
        return False
    wanted = column.key.removeprefix("indicator:")
    return all(indicator.id != wanted for indicator in form.indicators)


def sort_key(row: DashboardRow, column: DashboardColumn) -> float | str | None:
    """What a column sorts on: numbers numerically, Yes above No, text ignoring case."""
    value = row.value(column)
    if value is None:
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return value.casefold()


class DashboardModel(QAbstractTableModel):
    """The dashboard's rows and columns; formatted text, tints and sort keys by role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dashboard: Dashboard | None = None
        self.columns: list[DashboardColumn] = []
        self.rows: list[DashboardRow] = []
        self._by_department: dict[str, int] = {}
        self._changed: set[int] = set()  # rows replaced `later`, not yet signalled

    def set_dashboard(self, dashboard: Dashboard | None) -> None:
        self.beginResetModel()
        self.dashboard = dashboard
        self.columns = list(dashboard.columns) if dashboard else []
        self.rows = list(dashboard.rows) if dashboard else []
        self._by_department = {r.department.id: i for i, r in enumerate(self.rows)}
        self._changed.clear()
        self.endResetModel()

    def replace_row(self, row: DashboardRow, *, later: bool = False) -> bool:
        """Show a recomputed row in place of its department's; False if not shown here.

        `later`: the view is told by show_changes(), once for many rows, so filling in a
        cycle's figures repaints the table a few times rather than once per batch.
        """
        index = self._by_department.get(row.department.id)
        if index is None:
            return False
        self.rows[index] = row
        if later:
            self._changed.add(index)
        else:
            self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.columns) - 1))
        return True

    def show_changes(self) -> None:
        """Tell the view about the rows replaced `later` since the last call, in one signal."""
        if self._changed and self.columns:
            first, last = min(self._changed), max(self._changed)
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
        self._changed.clear()

    def row_at(self, row: int) -> DashboardRow:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == _DISPLAY:
            return display_text(row, column)
        if role == SORT_ROLE:
            return sort_key(row, column)
        if role == AUDIT_ROLE:
            return row.audit_id
        if role == _ALIGN:
            if column.kind == MATURITY or column.kind == FLAG:
                return _CENTRE
            return _RIGHT if column.numeric else None
        maturity = column.kind == MATURITY and row.audit is not None
        if role == _BACKGROUND:
            return _tint(row.value(column)) if maturity else None  # type: ignore[arg-type]
        if role == _FOREGROUND:
            return _INK if maturity else None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == _ACCESSIBLE:
            text = display_text(row, column)
            if maturity:
                said = f"{text}, {rating(row.value(column))[0]}"  # type: ignore[arg-type]
                thin = row.provisional(column)
                return f"{said}, {thin}" if thin else said
            return text or "blank"
        return None

    def _tooltip(self, row: DashboardRow, column: DashboardColumn) -> str | None:
        """The rating word for maturity, a breakdown for counts, why a cell is blank."""
        if column.key == DEPARTMENT:
            return row.department.display
        if row.audit is None:
            return f"{row.department.name}: {NO_AUDIT.lower()}"
        if column.kind == MATURITY:
            value = row.value(column)
            word = rating(value)[0]  # type: ignore[arg-type]
            said = f"{column.title}: {format_maturity(value)} ({word})"  # type: ignore[arg-type]
            thin = row.provisional(column)  # thin evidence, said as the board report says it
            return f"{said}. {thin}" if thin else said
        if row.pending and column.key.startswith("indicator:"):
            return "Still being worked out from the audit's tables"
        if column.key == "status" and row.missing_required:
            return f"{row.missing_required} required answers missing"
        detail = row.breakdown(column) if column.kind == COUNT else ""
        said = f"{column.description}: {detail}" if detail else column.description
        thin = row.provisional(column)  # an indicator on thin evidence, as the report says
        return f"{said}. {thin}" if thin else said or None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == _DISPLAY:
            return _two_lines(column.title)
        if role in (_TOOLTIP, _ACCESSIBLE):
            return column.description or column.title
        return None


class DashboardFilter(QSortFilterProxyModel):
    """Sorting with blanks last either way, and filters on department name and status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._status = ALL_STATUSES

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DashboardModel)
        row = model.row_at(source_row)
        if self._text:
            names = f"{row.department.name}\n{row.department.abbreviation}".casefold()
            if self._text not in names:
                return False
        if self._status == ALL_STATUSES:
            return True
        if self._status == NOT_SUBMITTED:
            return row.audit is None or row.audit.status == "draft"
        return row.status == self._status

    def lessThan(self, left: Index, right: Index) -> bool:
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            if a is None and b is None:
                return self._by_name(left, right, ascending)
            return (a is None) != ascending  # blanks sort last in either order
        if isinstance(a, str) != isinstance(b, str):
            a, b = str(a), str(b)
        if a == b:
            return self._by_name(left, right, ascending)
        return bool(a < b)

    def _by_name(self, left: Index, right: Index, ascending: bool) -> bool:
        """Ties in department name order, whichever way the column sorts."""
        a = str(left.sibling(left.row(), 0).data(SORT_ROLE))
        b = str(right.sibling(right.row(), 0).data(SORT_ROLE))
        return (a < b) if ascending else (a > b)
