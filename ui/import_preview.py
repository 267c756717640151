"""The preview shown before a workbook is imported: what will change, and what will not be read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.style import as_error, as_muted

if TYPE_CHECKING:
    from importers.workbook_import import ImportPlan

Index = QModelIndex | QPersistentModelIndex

CHANGE_HEADERS = ("Audit", "What", "Where", "Before", "After")
PROBLEM_HEADERS = ("Sheet", "Cell", "Question", "Problem")
KIND_LABELS = {
    "answer": "Answer",
    "comment": "Comment",
    "row added": "Row added",
    "row removed": "Row removed",
    "row changed": "Row changed",
    "rows reordered": "Rows reordered",
    "audit": "Audit",
}
SUMMARY_LINES = 6  # audits listed before the summary scrolls
PROBLEM_LINES = 6  # problems listed before their table scrolls


class TextTableModel(QAbstractTableModel):
    """Read-only rows of text; a cell's full text is its tooltip when it is long."""

    def __init__(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ⏎ ".join(text.splitlines()) if "\n" in text else text
        if role == Qt.ItemDataRole.ToolTipRole and (len(text) > 40 or "\n" in text):
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def change_rows(plan: ImportPlan) -> list[list[str]]:
    """One row per change, in the plan's order: audit, what, where, before, after."""
    return [
        [p.title, KIND_LABELS.get(c.kind, c.kind.capitalize()), c.where, c.old, c.new]
        for p in plan.audits
        for c in p.changes
    ]


def problem_rows(plan: ImportPlan) -> list[list[str]]:
    return [[p.sheet, p.cell, p.question, p.message] for p in plan.problems]


def _table(model: TextTableModel, name: str, widths: Sequence[int], parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move in the list
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


WRAPPED_ROWS = 400  # up to this many rows wrap their text; longer tables keep one line


def readable(view: QTableView, *, stretch: int) -> None:
    """Whole values, not cut ones: one column takes the spare width, the last is not
    pushed off the edge, and cells wrap onto more lines (tooltips past WRAPPED_ROWS)."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    model = view.model()
    last = model.columnCount() - 1
    if last != stretch:
        view.setColumnWidth(last, max(view.columnWidth(last), 200))
    if model.rowCount() <= WRAPPED_ROWS:
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class ImportPreviewDialog(QDialog):
    """Lists what importing a workbook would change; nothing is written unless accepted.

    Values that failed validation are listed first, by sheet, cell and question: they are
    not imported, and accepting ("Import the rest") imports everything else.
    """

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        name = Path(plan.contents.path).name
        self.setWindowTitle(f"Import {name}")
        if plan.changes_anything:
            self.resize(980, 640)
        else:
            self.setMinimumWidth(520)  # a short message: the dialog fits it
        layout = QVBoxLayout(self)

        layout.addWidget(_heading(f"What importing {name} will do", self))
        self.summary = QLabel(plan.summary() or "The workbook holds no audit.", self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        if len(plan.audits) > SUMMARY_LINES:
            scroll = QScrollArea(self)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.summary)
            scroll.setMaximumHeight(self.fontMetrics().lineSpacing() * SUMMARY_LINES + 8)
            layout.addWidget(scroll)
        else:
            layout.addWidget(self.summary)

        self.problems_model = TextTableModel(PROBLEM_HEADERS, problem_rows(plan), self)
        self.problems_view: QTableView | None = None
        if plan.problems:
            count = len(plan.problems)
            warning = _heading(
                f"{count} value{'s' if count != 1 else ''} failed validation and will not be "
                "imported",
                self,
            )
            as_error(warning)
            layout.addWidget(warning)
            explain = QLabel(
                "The audit keeps what it already has for these. Correct them in the workbook "
                "and import it again, or import the rest now.",
                self,
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            self.problems_view = _table(
                self.problems_model, "Values that will not be imported", (130, 60, 260), self
            )
            readable(self.problems_view, stretch=3)
            shown = min(max(count, 2), PROBLEM_LINES)  # the table is as tall as its rows
            rows = self.problems_view.verticalHeader().defaultSectionSize() * shown
            header = self.problems_view.horizontalHeader().sizeHint().height()
            self.problems_view.setFixedHeight(rows + header + 4)
            layout.addWidget(self.problems_view)

        self.changes_model = TextTableModel(CHANGE_HEADERS, change_rows(plan), self)
        self.changes_view = _table(self.changes_model, "Changes", (170, 95, 300, 200), self)
        readable(self.changes_view, stretch=2)  # "Where" takes the room; Before/After wrap
        if len(plan.audits) == 1:
            self.changes_view.hideColumn(0)  # the one audit is named above
        count = self.changes_model.rowCount()
        if plan.changes_anything:
            layout.addWidget(_heading(f"Changes ({count})", self))
            layout.addWidget(self.changes_view, 3)
        else:
            self.changes_view.hide()
            nothing = QLabel(
                "Nothing to import: this workspace already holds everything in the workbook.",
                self,
            )
            nothing.setWordWrap(True)
            layout.addWidget(nothing)

        if plan.notes:
            layout.addWidget(_heading("Notes", self))
            notes = QLabel("\n".join(f"• {n}" for n in plan.notes), self)
            notes.setWordWrap(True)
            notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            as_muted(notes)
            layout.addWidget(notes)

        self.buttons = QDialogButtonBox(self)
        self.import_button: QPushButton | None = None
        if plan.changes_anything:
            text = "Import the rest" if plan.problems else "Import"
            self.import_button = self.buttons.addButton(
                text, QDialogButtonBox.ButtonRole.AcceptRole
            )
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            # With problems, accepting is a decision: Enter does not make it.
            (cancel if plan.problems else self.import_button).setDefault(True)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
