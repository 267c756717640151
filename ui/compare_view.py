"""The compare view: two audits of one department, what changed between them, side by side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.audit_compare import (
    AnswerChange,
    AuditComparison,
    CompareError,
    compare_audits,
)
from models.audit_history import compare_with_past
from models.records import STATUS_LABELS, Audit
from models.store import Store
from ui.compare_tables import TablePage, read_only_table_view
from ui.import_preview import TextTableModel

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


def moment_of(edit: QDateTimeEdit) -> datetime:
    """The moment a date-time field shows, as Python's datetime."""
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return value


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
        self.answers_view.viewport().installEventFilter(self)  # widths follow the room
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
                page.auditActivated.connect(self.auditActivated)
                self.tabs.insertTab(position, page, "")
            else:
                page = found
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
        self._fit_answer_columns()
        if old_model is not None:
            old_model.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.answers_view.viewport():
            self._fit_answer_columns()
        return super().eventFilter(watched, event)

    def _fit_answer_columns(self) -> None:
        """Change, section, question, then both values: shrunk together to the room there is
        (a 1366 px screen scaled 1.5 leaves ~900), so the two values stay in view."""
        widths = (150, 170, 380, 220)
        room = self.answers_view.viewport().width()
        scale = min(1.0, room / (sum(widths) + 220))  # the last value column stretches
        for column, width in enumerate(widths):
            self.answers_view.setColumnWidth(column, max(60, int(width * scale)))

    def _toggle_differences(self, only: bool) -> None:
        for page in self.pages.values():
            page.set_only_differences(only)

    def _answer_activated(self, _index: QModelIndex) -> None:
        if self.comparison is not None:
            self.auditActivated.emit(self.comparison.new.id)


def _audit_text(audit: Audit) -> str:
    return f"{audit.cycle} ({STATUS_LABELS.get(audit.status, audit.status)})"
