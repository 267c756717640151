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

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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
from models.cycle_summary import NO_AUDIT, cycles
from models.dashboard import (
    DEPARTMENT,
    DashboardRow,
    cycle_dashboard,
    full_row,
    full_rows,
    table_values,
)
from models.formatting import format_datetime
from models.records import STATUS_LABELS, Audit
from models.store import Store
from ui.dashboard_model import (  # re-exported: tests and callers import them from here
    ALL_STATUSES,
    AUDIT_ROLE,
    NOT_SUBMITTED,
    PENDING,
    SORT_ROLE,
    DashboardFilter,
    DashboardModel,
    _two_lines,
    display_text,
    sort_key,
)
from ui.frozen_column import FrozenColumn

__all__ = [
    "AUDIT_ROLE",
    "PENDING",
    "SORT_ROLE",
    "CycleDashboard",
    "DashboardFilter",
    "DashboardModel",
    "display_text",
    "sort_key",
]

FILL_SLICE_S = 0.02  # indicator work per turn of the event loop: the window stays responsive
FILL_BATCH = 4  # audits scored between writes of their kept figures (one disk sync each)
FILL_UNSHOWN_MS = 200  # when the table is not painted (hidden), start the indicators anyway
FILL_SHOW_S = 0.25  # filled-in rows are shown at most this often (each showing repaints)
# Audits without kept figures are scored before the first paint for up to this long: one
# complete showing beats quick rows repainted with their indicators a moment later. A
# cycle that takes longer shows the rest at once and fills them in while the loop is idle.
SCORE_FIRST_S = 0.25

PathChooser = Callable[..., Path | None]  # (title, save, suggested path) -> chosen path


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
        self._shown_at = 0.0  # time.perf_counter() when filled-in rows were last shown
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
        self.model.show_changes()
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
        dashboard = cycle_dashboard(self.store, label, indicators=False, score_for=SCORE_FIRST_S)
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
            self._shown_at = time.perf_counter()
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
            self.model.replace_row(row, later=True)  # shown by _fill_some, a few at a time

    def _fill_some(self) -> None:
        """Indicators for a few audits per turn of the event loop, then yield."""
        start = time.perf_counter()
        while self._pending and time.perf_counter() - start < FILL_SLICE_S:
            self._fill_one(FILL_BATCH)
        now = time.perf_counter()
        if not self._pending or now - self._shown_at >= FILL_SHOW_S:
            self.model.show_changes()  # one repaint for many rows: painting costs as much
            self._shown_at = now
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
