"""The import wizard's pages as plain widgets; ui/import_wizard.py fills them and reacts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from importers.counted_once import ALREADY
from ui.import_plan_model import AUDIT, CHECK, ROW, SHOWN, VALUES, WHY, PlanRowsModel
from ui.style import as_error, as_normal

if TYPE_CHECKING:
    from importers.foreign_plan import ForeignPlan
    from importers.layouts import Recognition
    from models.questionnaire import Question

NOT_IN_FILE = "(not in the file)"
CONFIDENCE_WORDS = ((0.85, "recognised"), (0.5, "likely"), (0.0, "guessed"))
SAMPLES_SHOWN = 3


def confidence_words(confidence: float) -> str:
    return next(word for floor, word in CONFIDENCE_WORDS if confidence >= floor)


def table_name(table: Question) -> str:
    """A table's short name, as the Excel export names its sheet ("Senior roles")."""
    return table.id.replace("_", " ").capitalize()


def recognition_text(recognition: Recognition) -> str:
    return f"{recognition.sheet} — {recognition.title} ({confidence_words(recognition.confidence)})"


def _read_only_text(parent: QWidget, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab leaves the box: it is for reading, not typing
    return box


class FilePage(QWidget):
    """Which file, how reading it went, and another file when it did not."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.file = QLabel(self)
        self.file.setWordWrap(True)
        self.file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.error = _read_only_text(self, "What is wrong with the file")
        self.error.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.error.hide()
        self.choose = QPushButton("&Choose another file…", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_error(self, text: str) -> None:
        as_error(self.status)
        self.status.setText("The file cannot be imported. Nothing was read or changed.")
        self.error.setPlainText(text)
        self.error.show()

    def show_status(self, text: str) -> None:
        as_normal(self.status)
        self.status.setText(text)
        self.error.hide()


class LayoutPage(QWidget):
    """The layouts recognised in the file's sheets, and what the chosen one means."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Layouts found")
        label = QLabel("&Read the file as:", self)
        label.setBuddy(self.list)
        self.notes = _read_only_text(self, "About this layout")
        notes_label = QLabel("&About this layout:", self)
        notes_label.setBuddy(self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addSpacing(8)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 2)

    def fill(self, recognitions: Sequence[Recognition]) -> None:
        self.list.clear()
        for recognition in recognitions:
            self.list.addItem(recognition_text(recognition))
        lines = min(max(len(recognitions), 2), 8)
        self.list.setMaximumHeight(self.list.sizeHintForRow(0) * lines + 2 * self.list.frameWidth())
        self.list.setCurrentRow(0)

    def show_notes(
        self, recognition: Recognition, warnings: Sequence[str], table: Question
    ) -> None:
        lines = [f"Rows go into the table {table_name(table)} ({table.label.rstrip('.')})."]
        lines += [f"• {note}" for note in recognition.notes]
        if warnings:
            lines.append("")
            lines.append("While reading the file:")
            lines += [f"• {warning}" for warning in warnings]
        self.notes.setPlainText("\n".join(lines))


class PlanTable(QTableView):
    """The preview's rows: Space ticks the current row in or out from any column, and Enter
    stays in the table instead of pressing Import (Import needs its button or Alt+I)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        current = self.currentIndex()
        if key == Qt.Key.Key_Space and current.isValid() and current.column() != CHECK:
            model = self.model()
            check = model.index(current.row(), CHECK)
            if model.flags(check) & Qt.ItemFlag.ItemIsUserCheckable:
                state = model.data(check, Qt.ItemDataRole.CheckStateRole)
                ticked = Qt.CheckState(state) == Qt.CheckState.Checked
                new = Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
                model.setData(check, new.value, Qt.ItemDataRole.CheckStateRole)
            event.accept()
            return
        super().keyPressEvent(event)


class PreviewPage(QWidget):
    """Where the rows go: department, cycle, the filter, and every row kept or left out."""

    def __init__(self, model: PlanRowsModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.department = QComboBox(self)
        self.department.setAccessibleName("Department")
        self.cycle = QComboBox(self)
        self.cycle.setEditable(True)
        self.cycle.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cycle.setAccessibleName("Cycle")
        line = self.cycle.lineEdit()
        if line is not None:
            line.setPlaceholderText("e.g. 2025")
        self.tech = QCheckBox("&Only technology posts and groups", self)
        # WMI and the like count whole departments: imported into a technology table only
        # when the user says so, knowing it.
        self.whole = QCheckBox(
            "These are whole-department figures (&all staff, not technology staff): "
            "import them all the same",
            self,
        )
        self.whole.hide()
        # Rows another file's import added for the same entries: replaced only when asked.
        self.correct = QCheckBox(
            "Rep&lace what other files added for the same entries (this is a corrected file)",
            self,
        )
        self.correct.hide()
        for combo in (self.department, self.cycle):
            combo.setMinimumWidth(360)
            combo.setMaximumWidth(520)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Department:", self.department)
        form.addRow("C&ycle:", self.cycle)
        form.addRow("", self.tech)
        form.addRow("", self.whole)
        form.addRow("", self.correct)
        self.repeat = QGroupBox(self)
        self.replace = QRadioButton("&Replace the rows it added", self.repeat)
        self.skip = QRadioButton("&Skip those audits", self.repeat)
        self.repeat_group = QButtonGroup(self)
        self.repeat_group.addButton(self.replace)
        self.repeat_group.addButton(self.skip)
        repeat_layout = QHBoxLayout(self.repeat)
        repeat_layout.addWidget(self.replace)
        repeat_layout.addWidget(self.skip)
        repeat_layout.addStretch(1)
        self.repeat.hide()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        self.refresh = QPushButton("Re&fresh preview", self)
        self.table = PlanTable(self)
        self.table.setModel(model)
        self.table.setAccessibleName("Rows of the file")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows and Space work in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        # Three wrapped lines per row, at a fixed height (no measuring 100,000 rows): the
        # values and reasons that tell rows apart are seen, not cut after their first words.
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(3 * self.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        for column, width in ((CHECK, 84), (ROW, 44), (AUDIT, 150), (VALUES, 290), (WHY, 270)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        table_label = QLabel(
            "Ro&ws (untick a row to leave it out; tick a row left out by the filter to keep it):",
            self,
        )
        table_label.setBuddy(self.table)
        table_label.setWordWrap(True)
        self.show_only = QComboBox(self)
        self.show_only.addItems(list(SHOWN))
        self.show_only.setAccessibleName("Show")
        self.show_only.currentTextChanged.connect(model.show_only)
        show_label = QLabel("S&how:", self)
        show_label.setBuddy(self.show_only)
        table_row = QHBoxLayout()
        table_row.addWidget(table_label, 1)
        table_row.addWidget(show_label)
        table_row.addWidget(self.show_only)
        self.blocked = QLabel(self)
        self.blocked.setWordWrap(True)
        as_error(self.blocked)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addStretch(0)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.refresh, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.repeat)
        layout.addLayout(summary_row)
        layout.addLayout(table_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.blocked)

    def show_choices(self, plan: ForeignPlan) -> None:
        """The plan's choices: replacing what other files added (rows held back as already
        imported from another file) and what to do with a file imported before."""
        self.correct.setVisible(bool(plan.replaces) or any(i.reason == ALREADY for i in plan.rows))
        if plan.repeats:
            names = ", ".join(
                f"{t.department.abbreviation or t.department.name} {t.cycle}" for t in plan.repeats
            )
            edited = sum(t.edited for t in plan.repeats)
            undo = (
                f" ({edited:,} of its rows edited since: replacing undoes those edits)"
                if edited
                else ""
            )
            self.repeat.setTitle(f"This file was imported into {names} before{undo}:")
            if self.repeat.isHidden():
                self.clear_repeat()
            self.repeat.show()
        else:
            self.repeat.hide()

    def repeat_choice(self) -> str | None:
        from models.foreign_imports import REPLACE, SKIP

        if self.replace.isChecked():
            return REPLACE
        if self.skip.isChecked():
            return SKIP
        return None

    def clear_repeat(self) -> None:
        self.repeat_group.setExclusive(False)
        self.replace.setChecked(False)
        self.skip.setChecked(False)
        self.repeat_group.setExclusive(True)


class ReportPage(QWidget):
    """What the import did, row by row, and a CSV copy of it."""

    def __init__(self, export: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        big = QFont(self.summary.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.summary.setFont(big)
        self.text = _read_only_text(self, "Import report")
        label = QLabel("The &report:", self)
        label.setBuddy(self.text)
        self.export = QPushButton("&Export report…", self)
        self.export.clicked.connect(export)
        row = QHBoxLayout()
        row.addWidget(self.export)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
