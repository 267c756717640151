"""A compared table: each audit's rows side by side, what happened to each row and cell marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.audit_compare import ADDED, CHANGED, REMOVED, SAME, TableComparison
from models.content_diff import display_text
from models.values import BLANK
from ui.style import as_muted

Index = QModelIndex | QPersistentModelIndex
ABSENT = "absent"  # this side has no row where the other side has one
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # a row's status: added, removed, changed, ...
CHANGED_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # True for a cell whose value differs
MARKERS = {ADDED: "+ added", REMOVED: "− removed", CHANGED: "~ changed", SAME: "", ABSENT: "—"}
BACKGROUNDS = {
    ADDED: QBrush(QColor("#dcf2d8")),
    REMOVED: QBrush(QColor("#fadcdb")),
    CHANGED: QBrush(QColor("#fff4d1")),
    ABSENT: QBrush(QColor("#ececec")),
}
CHANGED_CELL = QBrush(QColor("#ffd966"))
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = {"integer", "decimal", "currency", "percentage"}
_SERVED = frozenset({_DISPLAY, _BACKGROUND, _FONT, _TOOLTIP, _ACCESSIBLE, _ALIGN})


class SideTableModel(QAbstractTableModel):
    """One audit's side of a compared table; row i is paired with row i of the other side.

    Column 0 says what happened to the row ("+ added", "− removed", "~ changed"), so the
    highlight never rests on colour alone; changed cells are also bold. Both sides filter
    rows the same way (set_only_differences) so they stay aligned.
    """

    def __init__(
        self, table: TableComparison, side: str, cycles: tuple[str, str], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.old_side = side == "old"
        self.rows = table.old_rows if self.old_side else table.new_rows
        self.other_rows = table.new_rows if self.old_side else table.old_rows
        self.cycle, self.other_cycle = cycles if self.old_side else cycles[::-1]
        self.columns = table.columns
        self.pairs = table.pairs
        self.shown = list(range(len(table.pairs)))
        self.bold = QFont(parent.font())
        self.bold.setBold(True)

    def set_only_differences(self, only: bool) -> None:
        self.beginResetModel()
        pairs = self.pairs
        self.shown = [i for i, p in enumerate(pairs) if not only or p.status != SAME]
        self.endResetModel()

    def status(self, row: int) -> str:
        pair = self.pairs[self.shown[row]]
        if (pair.old if self.old_side else pair.new) is None:
            return ABSENT
        return pair.status

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: plain int roles, no enums.
        if role not in _SERVED and role != STATUS_ROLE and role != CHANGED_ROLE:
            return None
        pair = self.pairs[self.shown[index.row()]]
        mine = pair.old if self.old_side else pair.new
        status = pair.status if mine is not None else ABSENT
        if role == STATUS_ROLE:
            return status
        col = index.column()
        if col == 0:
            if role == _DISPLAY:
                return MARKERS[status]
            if role == _FONT:
                return self.bold if status != SAME else None
            if role == _BACKGROUND:
                return BACKGROUNDS.get(status)
            if role == _TOOLTIP and status == ABSENT:
                return f"No matching row in {self.cycle}"
            return None
        column = self.columns[col - 1]
        changed = status == CHANGED and column.id in pair.changed
        if role == CHANGED_ROLE:
            return changed
        if mine is None:
            return BACKGROUNDS[ABSENT] if role == _BACKGROUND else None
        if role == _BACKGROUND:
            return CHANGED_CELL if changed else BACKGROUNDS.get(status)
        if role == _FONT:
            return self.bold if changed else None
        if role == _ALIGN:
            return _RIGHT if column.type in _NUMERIC else None
        text = display_text(column, self.rows[mine].cells.get(column.id))
        if role == _DISPLAY or not changed:
            return text if role in (_DISPLAY, _ACCESSIBLE) else None
        theirs = pair.new if self.old_side else pair.old
        other = display_text(column, self.other_rows[theirs].cells.get(column.id))  # type: ignore[index]
        if role == _TOOLTIP:
            return f"In {self.other_cycle}: {other or BLANK}"
        return f"{text or BLANK}, changed; {other or BLANK} in {self.other_cycle}"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Vertical:  # the row's number in its own audit
            pair = self.pairs[self.shown[section]]
            mine = pair.old if self.old_side else pair.new
            return "" if mine is None else str(mine + 1)
        if section == 0:
            return "Change"
        column = self.columns[section - 1]
        return column.label if column.id in self.table.compared else f"{column.label} (one version)"


class TablePage(QWidget):
    """A compared table: the earlier audit's rows on the left, the later audit's on the right.

    Signals:
        auditActivated(str): Enter or double-click on a side: that side's audit id.
    """

    auditActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audit_ids = ("", "")
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        legend = QLabel(
            "Change column: + added, − removed, ~ changed (changed cells in bold); "
            "— marks the side without the row.",
            self,
        )
        as_muted(legend)
        legend.setWordWrap(True)
        self.views: list[QTableView] = []
        self.titles: list[QLabel] = []
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for _ in range(2):
            side = QWidget(splitter)
            box = QVBoxLayout(side)
            box.setContentsMargins(0, 0, 0, 0)
            title = QLabel(side)
            title.setFont(_bold(title.font()))
            view = read_only_table_view(side)
            title.setBuddy(view)
            box.addWidget(title)
            box.addWidget(view)
            self.titles.append(title)
            self.views.append(view)
            side_index = len(self.views) - 1
            view.activated.connect(
                lambda _i, k=side_index: self.auditActivated.emit(self.audit_ids[k])
            )
        left, right = self.views
        for a, b in ((left, right), (right, left)):
            a.verticalScrollBar().valueChanged.connect(b.verticalScrollBar().setValue)
            a.horizontalScrollBar().valueChanged.connect(b.horizontalScrollBar().setValue)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(legend)
        layout.addWidget(splitter, 1)
        self.models: list[SideTableModel] = []

    def set_table(
        self, table: TableComparison, cycles: tuple[str, str], only_differences: bool
    ) -> None:
        old_models = self.models
        self.models = [SideTableModel(table, side, cycles, self) for side in ("old", "new")]
        what = table.title
        if table.only_in:
            what += f" (only in the {table.only_in} questionnaire version)"
        self.heading.setText(f"<b>{what}</b>: {table.counts_text()}")
        sides = zip(self.views, self.titles, self.models, cycles, strict=True)
        for view, title, model, cycle in sides:
            if only_differences:
                model.set_only_differences(True)
            view.setModel(model)
            view.setColumnWidth(0, 96)
            view.selectionModel().currentRowChanged.connect(self._follow)
            view.setAccessibleName(f"{table.title} in {cycle}")
            title.setText(f"{cycle}: {len(model.rows):,} {table.row_label}s")
        for model in old_models:
            model.deleteLater()

    def set_only_differences(self, only: bool) -> None:
        for model in self.models:
            model.set_only_differences(only)

    def _follow(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Keep the same row current on both sides, so keyboard moves go together."""
        for view in self.views:
            if view.model() is not current.model():
                here = view.currentIndex()
                if here.row() != current.row():
                    column = max(here.column(), 0)
                    view.setCurrentIndex(view.model().index(current.row(), column))


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def read_only_table_view(parent: QWidget) -> QTableView:
    """A read-only table view whose rows all have one height, so long tables show at once."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
    vheader = view.verticalHeader()
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(view.fontMetrics().height() + 8)
    hheader = view.horizontalHeader()
    hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    hheader.setDefaultSectionSize(130)
    hheader.setMinimumSectionSize(40)
    return view
