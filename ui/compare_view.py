"""The compare view: two audits of one department, what changed between them, side by side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.audit_compare import (
    ADDED,
    CHANGED,
    REMOVED,
    SAME,
    AnswerChange,
    AuditComparison,
    CompareError,
    TableComparison,
    compare_audits,
)
from models.audit_history import compare_with_past
from models.content_diff import display_text
from models.records import STATUS_LABELS, Audit
from models.store import Store
from ui.import_preview import TextTableModel
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
ANSWER_KINDS = {
    "changed": "Changed",
    "added": "+ Answered",
    "removed": "− Cleared",
    "comment changed": "Comment changed",
    "comment added": "+ Comment",
    "comment removed": "− Comment",
    "only earlier": "Only in earlier version",
    "only later": "Only in later version",
}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = {"integer", "decimal", "currency", "percentage"}
_SERVED = frozenset({_DISPLAY, _BACKGROUND, _FONT, _TOOLTIP, _ACCESSIBLE, _ALIGN})


def moment_of(edit: QDateTimeEdit) -> datetime:
    """The moment a date-time field shows, as Python's datetime."""
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return value


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
            return f"In {self.other_cycle}: {other or '(blank)'}"
        return f"{text or 'blank'}, changed; {other or 'blank'} in {self.other_cycle}"

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


class CompareView(QWidget):
    """Pick two audits of a department and see what changed: answers, comments, table rows.

    Signals:
        auditActivated(str): the user asked to open an audit (Enter or double-click on a
            side's table opens that side's audit; on the answers list, the later audit).
    """

    auditActivated = Signal(str)

    def stop(self) -> None:
        """Drop a comparison still to be made: the workspace is about to close."""
        self._deferred.stop()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.comparison: AuditComparison | None = None
        self.pages: dict[str, TablePage] = {}
        self._deferred = QTimer(self)
        self._deferred.setSingleShot(True)
        self._deferred.setInterval(0)
        self._deferred.timeout.connect(self._compare_chosen)

        self.department = QComboBox(self)
        self.department.setAccessibleName("Department")
        self.old_audit = QComboBox(self)
        self.old_audit.setAccessibleName("Earlier audit")
        self.new_audit = QComboBox(self)
        self.new_audit.setAccessibleName("Later audit")
        self.only_differences = QCheckBox("Show only &differences", self)
        self.only_differences.setChecked(True)
        self.only_differences.setToolTip("Hide table rows that are the same in both audits.")
        pickers = QGridLayout()
        for column, (text, combo) in enumerate(
            (
                ("De&partment", self.department),
                ("&Earlier audit", self.old_audit),
                ("&Later audit", self.new_audit),
            )
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            pickers.addWidget(label, 0, column)
            pickers.addWidget(combo, 1, column)
            pickers.setColumnStretch(column, 2 if combo is self.department else 1)
        pickers.addWidget(self.only_differences, 1, 3)
        # The later audit against itself at a past moment: what changed since then
        self.past = QCheckBox("&Or: the later audit as it was on", self)
        self.past.setToolTip(
            "Compare the later audit with itself as it stood at that moment: every change "
            "since, from the history the workspace records."
        )
        self.moment = QDateTimeEdit(QDateTime.currentDateTime().addDays(-1), self)
        self.moment.setCalendarPopup(True)
        self.moment.setDisplayFormat("d MMM yyyy HH:mm")
        self.moment.setAccessibleName("Moment to compare with")
        self.moment.setEnabled(False)
        pickers.addWidget(self.past, 2, 1, Qt.AlignmentFlag.AlignRight)
        pickers.addWidget(self.moment, 2, 2)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary of differences")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Differences")
        self.answers_view = read_only_table_view(self.tabs)
        self.answers_view.setAccessibleName("Changed answers and comments")
        self.answers_view.setWordWrap(True)
        self.answers_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.answers_view.horizontalHeader().setStretchLastSection(True)
        self.answers_view.activated.connect(self._answer_activated)
        self.answers_model: TextTableModel | None = None
        self.tabs.addTab(self.answers_view, "Answers")

        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        self.department.currentIndexChanged.connect(lambda _i: self._department_chosen())
        self.old_audit.currentIndexChanged.connect(lambda _i: self._deferred.start())
        self.new_audit.currentIndexChanged.connect(lambda _i: self._deferred.start())
        self.only_differences.toggled.connect(self._toggle_differences)
        self.past.toggled.connect(self._past_toggled)
        self.moment.dateTimeChanged.connect(lambda _d: self._deferred.start())
        self.reload()

    # ---------------------------------------------------------------- choosing audits
    def reload(self) -> None:
        """Read the departments again (the workspace changed), keeping the one shown."""
        keep = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        for dept in self.store.departments():
            self.department.addItem(dept.display, dept.id)
        at = self.department.findData(keep)
        self.department.setCurrentIndex(max(at, 0))
        self.department.blockSignals(False)
        self._department_chosen()

    def _department_chosen(self) -> None:
        dept_id = self.department.currentData()
        audits = self.store.audits(dept_id) if dept_id else []
        for combo, default in ((self.old_audit, -2), (self.new_audit, -1)):
            combo.blockSignals(True)
            combo.clear()
            for audit in audits:
                combo.addItem(_audit_text(audit), audit.id)
            combo.setCurrentIndex(max(len(audits) + default, 0) if audits else -1)
            combo.blockSignals(False)
        self._deferred.start()

    def _past_toggled(self, on: bool) -> None:
        self.old_audit.setEnabled(not on)
        self.moment.setEnabled(on)
        self._deferred.start()

    def _compare_chosen(self) -> None:
        old_id, new_id = self.old_audit.currentData(), self.new_audit.currentData()
        if self.past.isChecked() and new_id:
            self._run_past(new_id, moment_of(self.moment))
        elif not self.department.count():
            self._nothing("This workspace has no departments yet: there is nothing to compare.")
        elif self.new_audit.count() < 2:
            name = self.department.currentText()
            have = "no audits yet" if not self.new_audit.count() else "only one audit"
            self._nothing(f"{name} has {have}: there is nothing to compare yet.")
        else:
            self._run(old_id, new_id)

    def compare(self, old_id: str, new_id: str) -> AuditComparison | None:
        """Show what changed from audit `old_id` to `new_id`; None, with a message, if it cannot."""
        self._pick(new_id, old_id=old_id)
        return self._run(old_id, new_id)

    def compare_since(self, audit_id: str, moment: datetime) -> AuditComparison | None:
        """Show what changed in one audit since `moment` (a local time when naive)."""
        self._pick(audit_id, moment=moment)
        return self._run_past(audit_id, moment)

    def _pick(
        self, new_id: str, *, old_id: str | None = None, moment: datetime | None = None
    ) -> None:
        """Set the pickers to what is about to be shown, without their signals comparing."""
        self._deferred.stop()
        department_id = self.store.audit(new_id).department_id
        at = self.department.findData(department_id)
        if at < 0:
            self.reload()
            at = self.department.findData(department_id)
        if at != self.department.currentIndex():
            self.department.setCurrentIndex(at)  # fills the audit pickers
        past = moment is not None
        widgets = (self.old_audit, self.new_audit, self.past, self.moment)
        for widget in widgets:
            widget.blockSignals(True)
        if old_id is not None:
            self.old_audit.setCurrentIndex(self.old_audit.findData(old_id))
        self.new_audit.setCurrentIndex(self.new_audit.findData(new_id))
        self.past.setChecked(past)
        self.old_audit.setEnabled(not past)
        self.moment.setEnabled(past)
        if moment is not None:
            self.moment.setDateTime(QDateTime(moment))  # type: ignore[call-overload]
        for widget in widgets:
            widget.blockSignals(False)
        self._deferred.stop()

    def audit_changed(self, audit_id: str) -> None:
        """An audit was edited elsewhere: compare again if it is one of the two shown."""
        shown = self.comparison
        if shown is None or audit_id not in (shown.old.id, shown.new.id):
            return
        if self.past.isChecked():
            self._run_past(shown.new.id, moment_of(self.moment))
        else:
            self._run(shown.old.id, shown.new.id)

    def show_table(self, question_id: str) -> TablePage:
        """Bring a compared table's tab to the front."""
        page = self.pages[question_id]
        self.tabs.setCurrentWidget(page)
        return page

    # ---------------------------------------------------------------- showing a comparison
    def _run(self, old_id: str, new_id: str) -> AuditComparison | None:
        return self._shown(lambda: compare_audits(self.store, old_id, new_id))

    def _run_past(self, audit_id: str, moment: datetime) -> AuditComparison | None:
        return self._shown(lambda: compare_with_past(self.store, audit_id, moment))

    def _shown(self, work: Callable[[], AuditComparison]) -> AuditComparison | None:
        """The comparison shown, or its reason shown when it cannot be made."""
        try:
            comparison = work()
        except CompareError as exc:
            self._nothing(str(exc))
            return None
        self._show(comparison)
        return comparison

    def _nothing(self, message: str) -> None:
        self.comparison = None
        self.summary.setText(message)
        self._set_answers([], ("", ""))
        for page in self.pages.values():
            self.tabs.removeTab(self.tabs.indexOf(page))
            page.deleteLater()
        self.pages.clear()
        self.tabs.setTabText(0, "Answers")

    def _show(self, comparison: AuditComparison) -> None:
        self.comparison = comparison
        old, new = comparison.old, comparison.new
        cycles = (old.cycle, new.cycle)
        versions = ""
        if old.questionnaire_version != new.questionnaire_version:
            versions = (
                f" Questionnaire version {old.questionnaire_version} → "
                f"{new.questionnaire_version}: questions are matched by id."
            )
        self.summary.setText(f"{old.cycle} → {new.cycle}: {comparison.summary()}{versions}")
        self._set_answers(comparison.answers, cycles)
        self.tabs.setTabText(0, f"Answers ({len(comparison.answers)})")
        current = self.tabs.currentWidget()
        wanted = [t.question_id for t in comparison.tables]
        for question_id in list(self.pages):
            if question_id not in wanted:
                page = self.pages.pop(question_id)
                self.tabs.removeTab(self.tabs.indexOf(page))
                page.deleteLater()
        only = self.only_differences.isChecked()
        for position, table in enumerate(comparison.tables, 1):
            found = self.pages.get(table.question_id)
            if found is None:
                page = self.pages[table.question_id] = TablePage(self.tabs)
            else:
                page = found
                page.auditActivated.connect(self.auditActivated)
                self.tabs.insertTab(position, page, "")
            page.audit_ids = (old.id, new.id)
            page.set_table(table, cycles, only)
            self.tabs.setTabText(self.tabs.indexOf(page), f"{table.title} ({table.counts_text()})")
        if current is not None and self.tabs.indexOf(current) >= 0:
            self.tabs.setCurrentWidget(current)

    def _set_answers(self, answers: list[AnswerChange], cycles: tuple[str, str]) -> None:
        headers = ("Change", "Section", "Question", cycles[0] or "Earlier", cycles[1] or "Later")
        rows = [
            [
                ANSWER_KINDS.get(a.kind, a.kind),
                a.section + (f" ({a.note})" if a.note else ""),
                a.label,
                a.old,
                a.new,
            ]
            for a in answers
        ]
        old_model = self.answers_model
        self.answers_model = TextTableModel(headers, rows, self)
        self.answers_view.setModel(self.answers_model)
        for column, width in enumerate((150, 170, 380, 220)):
            self.answers_view.setColumnWidth(column, width)
        if old_model is not None:
            old_model.deleteLater()

    def _toggle_differences(self, only: bool) -> None:
        for page in self.pages.values():
            page.set_only_differences(only)

    def _answer_activated(self, _index: QModelIndex) -> None:
        if self.comparison is not None:
            self.auditActivated.emit(self.comparison.new.id)


def _audit_text(audit: Audit) -> str:
    return f"{audit.cycle} ({STATUS_LABELS.get(audit.status, audit.status)})"


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
