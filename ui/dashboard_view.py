"""The cycle dashboard: every department's audit for one cycle, side by side, sortable.

Rows show at once from answers and row counts (models/dashboard.quick_row); the headline
indicators, which read every table row, are filled in while the event loop is idle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exporters.dashboard_workbook import write_dashboard_workbook
from exporters.report_blocks import rating
from models.cycle_summary import NO_AUDIT, cycles
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
    cycle_dashboard,
    full_row,
    full_rows,
    table_values,
)
from models.formatting import (
    MISSING,
    format_count,
    format_datetime,
    format_maturity,
    format_points,
    format_share,
)
from models.records import STATUS_LABELS, Audit
from models.store import Store
from ui.frozen_column import FrozenColumn

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # a number, a casefolded text, or None (blank)
AUDIT_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # the row's audit id, or None
PENDING = "…"  # an indicator still being worked out
ALL_STATUSES = "All statuses"
NOT_SUBMITTED = "Not submitted"  # draft or no audit
FILL_SLICE_S = 0.02  # indicator work per turn of the event loop: the window stays responsive
FILL_BATCH = 4  # audits scored between writes of their kept figures (one disk sync each)
FILL_UNSHOWN_MS = 200  # when the table is not painted (hidden), start the indicators anyway
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_INK = QBrush(QColor("#0b0c0c"))  # dark text on the light rating tints, whatever the theme

PathChooser = Callable[..., Path | None]  # (title, save, suggested path) -> chosen path


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
    number = None if isinstance(value, bool) else value
    if column.kind == MATURITY:
        return format_maturity(number)
    if column.kind in (PERCENT, SHARE):
        return format_share(number)
    if column.kind == COUNT:
        return format_count(number)
    if column.kind == DIFFERENCE:
        return format_points(number)
    if column.kind == FLAG:
        said = row.flag_text(column)  # Not answered / Conflicting are said, never Yes or No
        return said if said is not None else MISSING
    return MISSING if value is None else str(value)


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

    def set_dashboard(self, dashboard: Dashboard | None) -> None:
        self.beginResetModel()
        self.dashboard = dashboard
        self.columns = list(dashboard.columns) if dashboard else []
        self.rows = list(dashboard.rows) if dashboard else []
        self._by_department = {r.department.id: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def replace_row(self, row: DashboardRow) -> bool:
        """Show a recomputed row in place of its department's; False if not shown here."""
        index = self._by_department.get(row.department.id)
        if index is None:
            return False
        self.rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.columns) - 1))
        return True

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


def _choose_save_path(title: str, save: bool, suggested: str = "") -> Path | None:
    name, _ = QFileDialog.getSaveFileName(None, title, suggested, "Excel workbooks (*.xlsx)")
    return Path(name) if name else None


class CycleDashboard(QWidget):
    """Every department for one cycle: maturity by section, indicators, completion, status.

    Signals:
        auditActivated(str): the user opened a row (double-click or Enter): its audit id.
        figuresReady(): every shown row's indicators have been worked out.
        exported(str): the view was written to this .xlsx path.
    """

    auditActivated = Signal(str)
    figuresReady = Signal()
    exported = Signal(str)

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        choose_path: PathChooser = _choose_save_path,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.choose_path = choose_path
        self._pending: list[str] = []  # audit ids whose indicators are still to be worked out
        self._scored: dict[str, tuple[Audit, DashboardRow]] = {}  # full rows, by audit id
        self.setObjectName("cycleDashboard")
        self.setAccessibleName("Cycle dashboard")

        self.cycle_combo = QComboBox()
        self.cycle_combo.setAccessibleName("Audit cycle")
        self.cycle_combo.setMinimumContentsLength(16)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter departments (Ctrl+F)")
        self.filter_edit.setAccessibleName("Filter departments by name")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Show departments with status")
        self.status_combo.addItems([ALL_STATUSES, NOT_SUBMITTED, *STATUS_LABELS.values(), NO_AUDIT])
        self.export_button = QPushButton("E&xport to Excel…")
        self.export_button.setAccessibleName("Export this view to Excel")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Departments shown")

        self.model = DashboardModel(self)
        self.proxy = DashboardFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Departments in the cycle")
        self.view.setAccessibleDescription(
            "One row per department. Enter or double-click opens its audit."
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header.setMinimumHeight(2 * header.fontMetrics().lineSpacing() + 12)  # two-line titles
        self.frozen = FrozenColumn(self.view)  # the department stays in view when scrolled

        top = QHBoxLayout()
        for text, buddy, stretch in (
            ("&Cycle:", self.cycle_combo, 0),
            ("&Filter:", self.filter_edit, 1),
            ("S&tatus:", self.status_combo, 0),
        ):
            label = QLabel(text)
            label.setBuddy(buddy)
            top.addWidget(label)
            top.addWidget(buddy, stretch)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.timeout.connect(self._fill_some)
        self._fill_after_paint = False  # the first rows are painted before indicator work
        self.view.viewport().installEventFilter(self)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_filter)

        self.view.activated.connect(self._activated)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.status_combo.currentTextChanged.connect(self._status_changed)
        self.export_button.clicked.connect(self.export)
        self._load_cycles()
        self.cycle_combo.currentTextChanged.connect(self._cycle_chosen)
        self._show_cycle(self.cycle_combo.currentText())

    # ------------------------------------------------------------------ public API
    def cycle(self) -> str:
        """The cycle shown ('' in a workspace without audits)."""
        return self.model.dashboard.cycle if self.model.dashboard else ""

    def set_cycle(self, label: str) -> None:
        """Show this cycle (ValueError if the workspace has no audit in it)."""
        if self.cycle_combo.findText(label) < 0:
            self._load_cycles()
        index = self.cycle_combo.findText(label)
        if index < 0:
            raise ValueError(f"No audits in the cycle {label!r}.")
        if index == self.cycle_combo.currentIndex():
            self._show_cycle(label)
        else:
            self.cycle_combo.setCurrentIndex(index)  # shows it through _cycle_chosen

    def refresh(self) -> None:
        """Re-read cycles and every row (audits unchanged since last scored are not rescored)."""
        current = self.cycle()
        self._load_cycles()
        if current and self.cycle_combo.findText(current) >= 0:
            self.set_cycle(current)
        else:
            self._show_cycle(self.cycle_combo.currentText())

    def audit_changed(self, audit_id: str) -> None:
        """Recompute one audit's row after an edit elsewhere (a new audit or cycle too)."""
        try:
            audit = self.store.audit(audit_id)
        except KeyError:  # deleted
            self._scored.pop(audit_id, None)
            self.refresh()
            return
        if self.cycle_combo.findText(audit.cycle) < 0:
            self._load_cycles()
        if audit.cycle != self.cycle():
            self._scored.pop(audit_id, None)
            if not self.cycle():
                self.refresh()
            return
        row = self._score(audit)
        if audit_id in self._pending:
            self._pending.remove(audit_id)
        if not self.model.replace_row(row):  # a department added since: show everything again
            self.refresh()
        self._update_count()

    def figures_complete(self) -> bool:
        """True once every shown row's indicators have been worked out."""
        return not self._pending

    def finish_figures(self) -> None:
        """Work out every pending indicator now (before an export, say)."""
        while self._pending:
            self._fill_one(len(self._pending))
        self._fill_timer.stop()
        self.figuresReady.emit()

    def stop(self) -> None:
        """Stop working out figures: the workspace is about to close under this view."""
        self._fill_timer.stop()
        self._pending = []

    def shown_rows(self) -> list[DashboardRow]:
        """The rows as the view shows them: filtered and in sort order."""
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    def export_to(self, path: Path | str) -> Path:
        """Write the view as shown (sorted, filtered) to an .xlsx file."""
        self.finish_figures()
        columns = self.model.columns
        sort_column = self.proxy.sortColumn()
        sorted_by = ""
        if 0 <= sort_column < len(columns):
            order = self.proxy.sortOrder() == Qt.SortOrder.AscendingOrder
            sorted_by = f"{columns[sort_column].title}, {'ascending' if order else 'descending'}"
        notes = [
            ("Cycle", self.cycle()),
            ("Departments shown", f"{self.proxy.rowCount()} of {self.model.rowCount()}"),
            ("Name filter", self.filter_edit.text().strip() or "none"),
            ("Status shown", self.status_combo.currentText()),
            ("Sorted by", sorted_by or "department"),
            ("Exported", format_datetime(datetime.now())),
            (
                "Maturity",
                "1 (weak) to 5 (strong). Green 3.5 and above, Amber 2.5 to 3.4, Red below 2.5.",
            ),
        ]
        written = write_dashboard_workbook(
            path, columns, table_values(columns, self.shown_rows()), notes=notes
        )
        self.exported.emit(str(written))
        return written

    def export(self) -> None:
        """Ask where to save, then export the view (the Export button)."""
        if not self.model.columns:
            return
        name = f"Dashboard {self.cycle()}.xlsx".replace("/", "-")
        path = self.choose_path("Export the dashboard to Excel", True, name)
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            self.export_to(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export to Excel", f"The workbook was not written: {exc}")

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # ------------------------------------------------------------------ internals
    def _load_cycles(self) -> None:
        """The workspace's cycles, newest first, keeping the current choice."""
        current = self.cycle_combo.currentText()
        labels = list(reversed(cycles(self.store)))
        self.cycle_combo.blockSignals(True)
        self.cycle_combo.clear()
        self.cycle_combo.addItems(labels)
        if current in labels:
            self.cycle_combo.setCurrentIndex(labels.index(current))
        self.cycle_combo.blockSignals(False)
        self.cycle_combo.setEnabled(bool(labels))

    def _cycle_chosen(self, label: str) -> None:
        self._show_cycle(label)

    def _show_cycle(self, label: str) -> None:
        """Rows at once from answers; cached full rows where the audit is unchanged."""
        self._fill_timer.stop()
        self._fill_after_paint = False
        self._pending = []
        if not label:
            self.model.set_dashboard(None)
            self.frozen.sync()
            self._update_count()
            return
        dashboard = cycle_dashboard(self.store, label, indicators=False)
        rows = []
        for row in dashboard.rows:
            cached = self._scored.get(row.audit_id or "")
            if row.audit is not None and cached is not None and cached[0] == row.audit:
                row = replace(cached[1], department=row.department)
            elif row.audit is not None and row.indicators is None:
                self._pending.append(row.audit.id)
            rows.append(row)
        self.model.set_dashboard(replace(dashboard, rows=rows))
        self._size_columns()
        self.frozen.sync()
        self._update_count()
        if self._pending:
            self._fill_after_paint = True
            self._fill_timer.start(FILL_UNSHOWN_MS)
        else:
            self.figuresReady.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Start the indicator work once the first rows have been painted."""
        if self._fill_after_paint and event.type() == QEvent.Type.Paint:
            self._fill_after_paint = False
            self._fill_timer.start(0)
        return False

    def _score(self, audit: Audit) -> DashboardRow:
        row = full_row(self.store, audit.id)
        self._scored[audit.id] = (row.audit or audit, row)
        return row

    def _fill_one(self, count: int = 1) -> None:
        """Work out `count` pending audits; their figures are kept in one write."""
        audits = []
        for audit_id in self._pending[:count]:
            try:
                audits.append(self.store.audit(audit_id))
            except KeyError:
                continue  # deleted meanwhile
        del self._pending[:count]
        for row in full_rows(self.store, audits):
            assert row.audit is not None
            self._scored[row.audit.id] = (row.audit, row)
            self.model.replace_row(row)

    def _fill_some(self) -> None:
        """Indicators for a few audits per turn of the event loop, then yield."""
        start = time.perf_counter()
        while self._pending and time.perf_counter() - start < FILL_SLICE_S:
            self._fill_one(FILL_BATCH)
        if self._pending:
            self._fill_timer.start(0)
        else:
            self.figuresReady.emit()

    def _size_columns(self) -> None:
        """Widths from the header text (cheap: no pass over every cell), never cutting it."""
        header = self.view.horizontalHeader()
        metrics = header.fontMetrics()  # the header's own (bold) font, plus the sort arrow
        for i, column in enumerate(self.model.columns):
            lines = _two_lines(column.title).split("\n")
            width = max(metrics.horizontalAdvance(line) for line in lines) + 40
            if column.key == DEPARTMENT:
                width = max(
                    width, metrics.horizontalAdvance("Department for Business, Energy & In")
                )
            elif column.key == "status":
                width = max(width, metrics.horizontalAdvance(NO_AUDIT) + 16)
            header.resizeSection(i, max(width, 64))

    def _update_count(self) -> None:
        total = self.model.rowCount()
        if not total:
            self.count_label.setText("No audits yet: add one from the Audit menu.")
            return
        audited = sum(1 for r in self.model.rows if r.audit is not None)
        self.count_label.setText(
            f"Showing {self.proxy.rowCount()} of {total} departments; "
            f"{audited} audited in {self.cycle()}."
        )

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _status_changed(self, status: str) -> None:
        self.proxy.set_status(status)
        self._update_count()

    def _activated(self, index: QModelIndex) -> None:
        audit_id = index.data(AUDIT_ROLE)
        if audit_id:
            self.auditActivated.emit(str(audit_id))
