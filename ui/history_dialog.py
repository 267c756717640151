"""Who changed an answer, row or the audit's status, when, from what to what: read from history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.audit_history import (
    ELSEWHERE,
    MERGED,
    OUTSIDE,
    Change,
    bursts,
    changes_to,
    status_changes,
    table_changes,
    value_text,
)
from models.content_hash import short
from models.formatting import format_datetime
from models.questionnaire import Questionnaire
from models.records import STATUS_LABELS, Audit
from models.store import Store
from ui.audit_session import AuditSession

COLUMNS = ("When", "Who", "What", "From", "To", "Note")
_MARKS = {
    ELSEWHERE: "made in another workspace, taken in from its package",
    MERGED: "brought in by a merge",
    OUTSIDE: "MADE OUTSIDE THE APP: not sealed into the history",
}
_TINTS = {ELSEWHERE: QColor("#e8f0fe"), MERGED: QColor("#eef6ee"), OUTSIDE: QColor("#fde2e1")}


@dataclass(frozen=True)
class HistoryLine:
    """One change as the dialog lists it."""

    when: str
    who: str
    what: str
    old: str
    new: str
    note: str
    source: str


def local_time(change: Change) -> str:
    return format_datetime(change.at, seconds=True)


def _sides(form: Questionnaire, change: Change) -> tuple[str, str, str]:
    """(what, from, to): a row change names only the cells that changed."""
    old, new = change.old, change.new
    if change.kind == "row":
        if change.moved_only:
            return "Moved", _row_number(change.old_position), _row_number(change.new_position)
        if isinstance(old, dict) and isinstance(new, dict):
            keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
            before = {k: old[k] for k in keys if k in old}
            after = {k: new[k] for k in keys if k in new}
            return (
                "Cells changed",
                value_text(form, change, before) if before else "",  # blank before
                value_text(form, change, after) if after else "",  # cleared
            )
        what = "Row added" if old is None else "Row deleted"
        return what, value_text(form, change, old), value_text(form, change, new)
    what = {"answer": "Answer", "comment": "Comment"}.get(change.kind, change.kind)
    return what, value_text(form, change, old), value_text(form, change, new)


def _row_number(position: int | None) -> str:
    return "" if position is None else f"row {position + 1}"


def lines_for(form: Questionnaire, changes: list[Change]) -> list[HistoryLine]:
    lines = []
    for change in changes:
        what, old, new = _sides(form, change)
        note = "; ".join(x for x in (change.note, _MARKS.get(change.source, "")) if x)
        who = change.who or ("unknown" if change.source == OUTSIDE else "")
        lines.append(HistoryLine(local_time(change), who, what, old, new, note, change.source))
    return lines


def move_word(change: Change) -> str:
    """A status change in the words of the lifecycle: Submitted, Reopened, Returned to draft."""
    if change.old is None:
        label = STATUS_LABELS.get(str(change.new), str(change.new))
        return "Recorded as " + label.lower() if change.note else "Created as " + label.lower()
    if change.new == "draft":
        return "Reopened" if change.old == "signed_off" else "Returned to draft"
    return STATUS_LABELS.get(str(change.new), str(change.new))


class HistoryDialog(QDialog):
    """A list of changes, newest first, each with who made it and where; read-only."""

    def __init__(
        self, title: str, subtitle: str, lines: list[HistoryLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("historyDialog")
        self.lines = lines
        heading = QLabel(subtitle, self)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading = heading
        self.table = QTableWidget(len(lines), len(COLUMNS), self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Close; arrows move in the list
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        for r, line in enumerate(lines):
            values = (line.when, line.who, line.what, line.old, line.new, line.note)
            tint = _TINTS.get(line.source)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if tint is not None:
                    item.setBackground(QBrush(tint))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c, width in enumerate((140, 120, 100, 190, 190)):
            self.table.setColumnWidth(c, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeRowsToContents()
        self.empty = QLabel("No changes have been recorded.", self)
        self.empty.setVisible(not lines)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.resize(1060, 460)

    def cell(self, row: int, column: str) -> str:
        item = self.table.item(row, COLUMNS.index(column))
        return item.text() if item is not None else ""


def record_dialog(
    session: AuditSession,
    question_id: str,
    row_id: str | None = None,
    parent: QWidget | None = None,
) -> HistoryDialog:
    """The history of an answer and its comment, of one table row, or of a whole table."""
    store, audit, form = session.store, session.audit, session.questionnaire
    question = form.question(question_id)
    where = f"{audit.department_name}, {audit.cycle}"
    if row_id is not None:
        changes = changes_to(store, audit.id, "row", row_id)
        rows = session.table_model(question_id).rows
        number = next((i + 1 for i, r in enumerate(rows) if r.id == row_id), None)
        noun = question.row_label
        title = f"History of {noun} {number}" if number else f"History of a deleted {noun}"
        where += source_line(store, row_id)
    elif question.is_table:
        changes = table_changes(store, audit.id, question_id)
        title = "History of this table"
    else:
        changes = bursts(changes_to(store, audit.id, "answer", question_id))
        changes += bursts(changes_to(store, audit.id, "comment", question_id))
        changes.sort(key=lambda c: c.at, reverse=True)
        title = "History of this answer"
        where += " · a burst of typing is one change"
    subtitle = f"{question.label}\n{where} · newest first"
    return HistoryDialog(title, subtitle, lines_for(form, changes), parent)


_SOURCE_NAMES = {
    "organisation": "organisation",
    "organisation_type": "type",
    "department": "department",
    "unit": "unit",
    "post_ref": "post",
    "grade": "grade",
    "grade_group": "grade group",
    "profession": "profession",
    "staff_type": "staff group",
    "job_title": "job title",
    "year": "year",
    "month": "month",
}


def source_line(store: Store, row_id: str) -> str:
    """Where an imported row came from, so each figure traces to its file and row; else ''."""
    from models.foreign_imports import provenance

    found = provenance(store, row_id)
    if found is None:
        return ""
    record, source_row, source = found
    sheet = source.get("sheet")
    place = (
        f"sheet {sheet!r}, row {source_row}"
        if sheet and sheet != Path(record.file_name).stem
        else f"row {source_row}"
    )
    detail = "; ".join(
        f"{label} {source[key]}" for key, label in _SOURCE_NAMES.items() if source.get(key)
    )
    text = f"\nImported from {record.file_name} (sha256 {record.checksum[:12]}), {place}"
    return text + (f": {detail}" if detail else "")


def audit_dialog(store: Store, audit: Audit, parent: QWidget | None = None) -> HistoryDialog:
    """The audit's lifecycle: submitted, reviewed, signed off, reopened, with the reasons."""
    timeline = status_changes(store, audit.id)[::-1]  # newest first, like the other lists
    lines = [
        HistoryLine(
            local_time(c),
            c.who or ("unknown" if c.source == OUTSIDE else ""),
            move_word(c),
            STATUS_LABELS.get(str(c.old), str(c.old or "")),
            STATUS_LABELS.get(str(c.new), str(c.new or "")),
            "; ".join(x for x in (c.note, _MARKS.get(c.source, "")) if x),
            c.source,
        )
        for c in timeline
    ]
    status = STATUS_LABELS.get(audit.status, audit.status)
    subtitle = f"{audit.department_name}, {audit.cycle} · now {status}"
    if audit.content_hash:
        subtitle += f" · content hash at sign-off {short(audit.content_hash)}"
    return HistoryDialog("Audit history", subtitle, lines, parent)


def show_history(
    session: AuditSession,
    question_id: str,
    row_id: str | None = None,
    parent: QWidget | None = None,
) -> HistoryDialog:
    """Open a record's history beside the form (from a context menu): it does not block."""
    dialog = record_dialog(session, question_id, row_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
