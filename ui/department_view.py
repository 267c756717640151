"""The department view: one department's audits over time, its trends and what changed.

Signals:
    auditActivated(str): the user opened an audit from the table (double-click or Enter).
    departmentShown(str): the view now shows this department (by id).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exporters.chart_inputs import (
    WORKFORCE_TABLE,
    contractor_share_series,
    describe_maturity_trend,
    describe_shares,
    describe_workforce,
    workforce_mix,
)
from exporters.pdf_charts import share_trend_chart, workforce_mix_chart
from exporters.trend_charts import maturity_trend_chart
from models.cycle_summary import AuditFigures
from models.department_lineage import cycle_as_named
from models.department_trends import (
    NO_EARLIER,
    DepartmentTrends,
    HeadlineChange,
    department_trends,
    rescored,
)
from models.formatting import format_maturity, format_share
from models.records import STATUS_LABELS
from models.store import Store
from ui.chart_widget import ChartWidget
from ui.style import as_muted

AUDIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHART_WIDTH = 460.0  # points: the drawings are made this wide and scaled to the column
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _completion(figures: AuditFigures) -> str:
    return format_share(figures.completion)


class AuditTrendModel(QAbstractTableModel):
    """The department's audits, oldest first: cycle, status, completion and maturity."""

    FIXED = ("Cycle", "Status", "Completion", "Overall maturity")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trends: DepartmentTrends | None = None
        self._sections: list[tuple[str, str]] = []  # (id, title)

    def set_trends(self, trends: DepartmentTrends | None) -> None:
        self.beginResetModel()
        self.trends = trends
        self._sections = [(s.id, s.title) for s in trends.sections] if trends else []
        self.endResetModel()

    def audit_id(self, row: int) -> str:
        assert self.trends is not None
        return self.trends.history[row].audit.id

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.trends is None else len(self.trends.history)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self._sections)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(self.FIXED):
                return self.FIXED[section]
            return self._sections[section - len(self.FIXED)][1]
        if role == Qt.ItemDataRole.ToolTipRole and section >= len(self.FIXED):
            return f"{self._sections[section - len(self.FIXED)][1]}: maturity, 1 to 5"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.trends is None:
            return None
        figures = self.trends.history[index.row()]
        column = index.column()
        if role == AUDIT_ID_ROLE:
            return figures.audit.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None if column < 2 else int(_RIGHT)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == 0:
            return figures.audit.cycle
        if column == 1:
            return STATUS_LABELS.get(figures.audit.status, figures.audit.status)
        if column == 2:
            return _completion(figures)
        if column == 3:
            return format_maturity(figures.score.overall)
        section_id = self._sections[column - len(self.FIXED)][0]
        return format_maturity(figures.score.section_maturity.get(section_id))


class HeadlineModel(QAbstractTableModel):
    """Headline figures of one audit with their change since the audit before, in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[HeadlineChange] = []
        self.since = "Change since last audit"

    def set_rows(self, rows: list[HeadlineChange], since: str) -> None:
        self.beginResetModel()
        self.rows, self.since = rows, since
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Indicator", "Now", self.since)[section] if 0 <= section < 3 else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT) if index.column() == 1 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.label, row.now, row.change)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return row.label
        return None


def _table(name: str, model: QAbstractTableModel) -> QTableView:
    """A read-only table the keyboard can reach and leave with Tab."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


def _fit_height(view: QTableView) -> None:
    """Make the table exactly as tall as its rows: the page scrolls, not the table."""
    rows = view.model().rowCount()
    height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(rows)) if rows else 0
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)


def _heading(text: str, level: int = 2) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * (1.35 if level == 1 else 1.1))
    label.setFont(font)
    label.setWordWrap(True)
    return label


class DepartmentView(QWidget):
    """One department over time: its audits, maturity and workforce trends, latest changes.

    Signals:
        auditActivated(str): an audit row was double-clicked or Enter pressed on it.
        departmentShown(str): the department now shown (by id).
    """

    auditActivated = Signal(str)
    departmentShown = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.trends: DepartmentTrends | None = None
        self.setObjectName("departmentView")
        self.setAccessibleName("Department view")

        self.department_combo = QComboBox()
        self.department_combo.setAccessibleName("Department")
        self.department_combo.setMinimumContentsLength(30)
        self.department_combo.currentIndexChanged.connect(self._combo_changed)
        pick = QLabel("&Department:")
        pick.setBuddy(self.department_combo)

        self.title = _heading("", level=1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")

        self.audits_model = AuditTrendModel(self)
        self.audits_table = _table("Audits over time", self.audits_model)
        header = self.audits_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.audits_table.activated.connect(self._row_activated)
        self.audits_table.selectionModel().currentRowChanged.connect(self._focus_changed)
        audits_help = QLabel("Double-click an audit, or press Enter on it, to open it.")
        as_muted(audits_help)

        self.headline_heading = _heading("Headline indicators")
        self.headline_model = HeadlineModel(self)
        self.headline_table = _table("Headline indicators", self.headline_model)
        hh = self.headline_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # Labels that share a start differ at the end ("… workforce (FTE)" / "(cost)"):
        # cut in the middle, so a narrow window still tells them apart.
        self.headline_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        self.maturity_heading = _heading("Maturity by section across cycles")
        self.maturity_chart = ChartWidget("Maturity by section across cycles")
        self.workforce_heading = _heading("Workforce by role family and staff type")
        self.workforce_chart = ChartWidget("Workforce by role family and staff type")
        self.share_heading = _heading("Contractor and consultant share across cycles")
        self.share_chart = ChartWidget("Contractor and consultant share across cycles")
        self.share_note = QLabel()
        self.share_note.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(pick)
        top.addWidget(self.department_combo)
        top.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.headline_heading)
        left.addWidget(self.headline_table)
        left.addSpacing(12)
        left.addWidget(self.workforce_heading)
        left.addWidget(self.workforce_chart)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.maturity_heading)
        right.addWidget(self.maturity_chart)
        right.addSpacing(12)
        right.addWidget(self.share_heading)
        right.addWidget(self.share_chart)
        right.addWidget(self.share_note)
        right.addStretch(1)
        columns = QGridLayout()
        columns.setHorizontalSpacing(24)
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)

        page = QWidget()
        body = QVBoxLayout(page)
        body.addWidget(self.title)
        body.addWidget(self.summary)
        body.addSpacing(6)
        body.addWidget(_heading("Audits over time"))
        body.addWidget(self.audits_table)
        body.addWidget(audits_help)
        body.addSpacing(12)
        body.addLayout(columns)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(scroll)
        self.refresh()

    # ------------------------------------------------------------------ public

    @property
    def department_id(self) -> str | None:
        """The department shown, None when the workspace has none."""
        value = self.department_combo.currentData()
        return str(value) if value is not None else None

    def show_department(self, department_id: str) -> None:
        """Show this department (choosing it in the combo too)."""
        index = self.department_combo.findData(department_id)
        if index < 0:
            self._fill_combo()
            index = self.department_combo.findData(department_id)
        if index < 0:
            raise KeyError(f"no department {department_id}")
        if index == self.department_combo.currentIndex():
            self._load()
        else:
            self.department_combo.setCurrentIndex(index)  # loads through _combo_changed

    def refresh(self) -> None:
        """Read the department list and the shown department's audits again."""
        self._fill_combo()
        self._load()

    def audit_changed(self, audit_id: str) -> None:
        """An audit was edited elsewhere: rescore it alone if it is one of those shown."""
        if self.trends is None:
            return
        try:
            self.trends.index_of(audit_id)
        except KeyError:
            try:
                audit = self.store.audit(audit_id)
            except KeyError:  # deleted: it may have been this department's
                self._load()
                return
            if audit.department_id == self.department_id:  # a new audit of this department
                self._load()
            return
        try:
            trends = rescored(self.store, self.trends, audit_id)
        except KeyError:  # deleted after all
            self._load()
            return
        self._show(trends)

    # ------------------------------------------------------------------ internals

    def _fill_combo(self) -> None:
        current = self.department_id
        combo = self.department_combo
        combo.blockSignals(True)
        combo.clear()
        for department in self.store.departments():
            combo.addItem(department.display, department.id)
        index = combo.findData(current) if current is not None else -1
        combo.setCurrentIndex(index if index >= 0 else (0 if combo.count() else -1))
        combo.blockSignals(False)

    def _combo_changed(self, _index: int) -> None:
        self._load()

    def _load(self) -> None:
        department_id = self.department_id
        trends = None if department_id is None else department_trends(self.store, department_id)
        self._show(trends, keep_focus=False)
        if department_id is not None:
            self.departmentShown.emit(department_id)

    def _show(self, trends: DepartmentTrends | None, keep_focus: bool = True) -> None:
        focus = self._focus_id() if keep_focus else None
        self.trends = trends
        self.audits_model.set_trends(trends)
        _fit_height(self.audits_table)
        self._show_summary()
        self._show_trend_charts()
        if trends is None or not trends.history:
            self._show_focus(None)
            return
        row = len(trends.history) - 1
        if focus is not None:
            row = next((i for i, f in enumerate(trends.history) if f.audit.id == focus), row)
        self.audits_table.selectRow(row)  # shows the headline and workforce of that audit
        self._show_focus(trends.history[row])

    def _focus_id(self) -> str | None:
        row = self.audits_table.currentIndex().row()
        if self.trends is None or not 0 <= row < len(self.trends.history):
            return None
        return self.trends.history[row].audit.id

    def _focus_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.trends is not None and 0 <= current.row() < len(self.trends.history):
            self._show_focus(self.trends.history[current.row()])

    def _row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.auditActivated.emit(self.audits_model.audit_id(index.row()))

    def _show_summary(self) -> None:
        trends = self.trends
        if trends is None:
            self.title.setText("No departments yet")
            self.summary.setText("Add a department (Audit ▸ Add department) to see it here.")
            return
        self.title.setText(trends.department.display)
        cycles = trends.cycles
        if not cycles:
            self.summary.setText("No audits for this department yet.")
        elif len(cycles) == 1:
            self.summary.setText(
                f"One audit, {cycles[0]}: {NO_EARLIER.lower()} to compare with, so "
                "changes and trends start with the next one."
            )
        else:
            self.summary.setText(f"{len(cycles)} audits, {cycles[0]} to {cycles[-1]}.")

    def _show_trend_charts(self) -> None:
        trends = self.trends
        history = list(trends.history) if trends else []
        sections = [(s.title, list(s.values)) for s in trends.sections] if trends else []
        cycles = trends.cycles if trends else []
        self.maturity_chart.set_drawing(
            maturity_trend_chart(cycles, sections, width=CHART_WIDTH),
            describe_maturity_trend(cycles, sections),
        )
        if len(history) < 2:
            self.share_chart.hide()
            self.share_note.setText(
                f"{NO_EARLIER}: the trend starts with the department's next audit."
                if history
                else "No audits yet."
            )
            self.share_note.show()
            return
        categories, series = contractor_share_series(history)
        self.share_chart.set_drawing(
            share_trend_chart(categories, series, width=CHART_WIDTH, height=170),
            describe_shares(categories, series),
        )
        self.share_note.hide()
        self.share_chart.show()

    def _show_focus(self, figures: AuditFigures | None) -> None:
        """The headline and workforce mix of one audit (the row chosen; the latest at first)."""
        if figures is None or self.trends is None:
            self.headline_heading.setText("Headline indicators")
            self.headline_model.set_rows([], "Change since last audit")
            self.workforce_heading.setText("Workforce by role family and staff type")
            self.workforce_chart.hide()
            _fit_height(self.headline_table)
            return
        audit = figures.audit
        before = self.trends.previous(audit.id)
        since = (
            f"Change since {cycle_as_named(before.audit, audit.department_id)}"
            if before
            else "Change since last audit"
        )
        self.headline_heading.setText(f"Headline indicators, {audit.cycle}")
        self.headline_model.set_rows(self.trends.headline(audit.id), since)
        _fit_height(self.headline_table)

        rows = {WORKFORCE_TABLE: [r.cells for r in self.store.rows(audit.id, WORKFORCE_TABLE)]}
        mix = workforce_mix(figures.questionnaire, rows)
        if mix is None:
            self.workforce_chart.hide()
            return
        self.workforce_heading.setText(
            f"Workforce by role family and staff type, {audit.cycle} ({mix.measure})"
        )
        self.workforce_chart.set_drawing(
            workforce_mix_chart(
                mix.families, mix.staff_types, mix.totals, measure=mix.measure, width=CHART_WIDTH
            ),
            describe_workforce(mix),
        )
        self.workforce_chart.show()
