"""The import wizard's pages as plain widgets; ui/import_wizard.py fills them and reacts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from importers.column_mapping import ColumnMapping, Suggestion, header_unit
from importers.header_detect import cell_text
from importers.source_table import CellValue, column_letter
from ui.import_plan_model import AUDIT, CHECK, ROW, SHOWN, VALUES, WHY, PlanRowsModel
from ui.style import as_error, as_muted, as_normal

if TYPE_CHECKING:
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


class MappingRow:
    """One table column: its label, the source column chosen for it, why, and sample values."""

    def __init__(
        self, column_id: str, label: QLabel, combo: QComboBox, why: QLabel, samples: QLabel
    ):
        self.column_id = column_id
        self.label = label
        self.combo = combo
        self.why = why
        self.samples = samples


class ColumnsPage(QWidget):
    """Which column of the file feeds each column of the table; editable unless fixed."""

    mappingEdited = Signal()
    targetChosen = Signal(str)
    savedChosen = Signal(str)  # the name of a saved mapping the user picked

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.target = QComboBox(self)
        self.target.setAccessibleName("Table to import into")
        self.target_label = QLabel("Import into &table:", self)
        self.target_label.setBuddy(self.target)
        self.remembered = QLabel(self)
        self.remembered.setWordWrap(True)
        as_muted(self.remembered)
        self.saved = QComboBox(self)
        self.saved.setAccessibleName("Use a saved mapping")
        self.saved.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.saved.setMinimumWidth(200)
        self.saved_label = QLabel("Use a sa&ved mapping:", self)
        self.saved_label.setBuddy(self.saved)
        self.saved.activated.connect(self._saved_picked)
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 2)
        self.grid.setColumnStretch(3, 2)
        self.grid.setHorizontalSpacing(12)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.remember = QLineEdit(self)
        self.remember.setAccessibleName("Remember this mapping as")
        self.remember_label = QLabel("Remember this mapping &as:", self)
        self.remember_label.setBuddy(self.remember)
        self.rows: list[MappingRow] = []
        self.names: list[str] = []
        self.sample: Sequence[Sequence[CellValue]] = ()
        self.suggestions: dict[str, list[Suggestion]] = {}
        self.derived: dict[str, list[str]] = {}  # values the layout works out, per column
        self.mapping: ColumnMapping | None = None
        self.editable = True
        self.origin = ""  # why an unsuggested column was chosen: the layout, a saved mapping
        self.required: set[str] = set()  # the table's required columns, marked when unmapped
        self.target.activated.connect(lambda _i: self.targetChosen.emit(self.target.currentData()))
        top = QHBoxLayout()
        top.addWidget(self.target_label)
        top.addWidget(self.target, 1)
        top.addSpacing(16)
        top.addWidget(self.saved_label)
        top.addWidget(self.saved)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.remember_label)
        bottom.addWidget(self.remember, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.remembered)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def fill(
        self,
        recognition: Recognition,
        table: Question,
        tables: Sequence[Question],
        mapping: ColumnMapping,
        sample: Sequence[Sequence[CellValue]],
        suggestions: dict[str, list[Suggestion]],
        derived: dict[str, list[str]],
        *,
        remembered: str,
        remember_as: str,
        saved: Sequence[str] = (),
    ) -> None:
        """Show one recognition's mapping onto `table` (a copy of `mapping` is edited)."""
        generic = recognition.generic
        self.editable = recognition.editable
        self.names = recognition.header.names
        self.sample = sample
        self.suggestions = suggestions
        self.derived = derived
        self.mapping = ColumnMapping.from_json(mapping.to_json())
        self.origin = (
            "from your saved mapping"
            if remembered
            else ("" if generic else f"read by the {recognition.title} layout")
        )
        self.target.clear()
        for question in tables:
            self.target.addItem(f"{table_name(question)}: {question.label}", question.id)
        self.target.setCurrentIndex(max(0, self.target.findData(table.id)))
        self.target.setVisible(generic)
        self.target_label.setVisible(generic)
        if not recognition.editable:
            self.intro.setText(
                f"This file is a recognised layout ({recognition.title}). Baseline reads it by "
                "fixed rules, so its columns cannot be changed here"
                + (f": {recognition.notes[0]}." if recognition.notes else ".")
            )
        elif generic:
            self.intro.setText(
                f"Choose the column of the file that holds each column of {table_name(table)}. "
                "Columns marked * are required; sample values from the file are shown beside "
                "each choice."
            )
        else:
            self.intro.setText(
                f"Recognised as {recognition.title}. Check the columns; change one if it is "
                "wrong. Columns marked * are required."
            )
        self.remembered.setText(
            f"Using the mapping you saved as '{remembered}'." if remembered else ""
        )
        self.remembered.setVisible(bool(remembered))
        self.remember.setText(remember_as)
        self.remember.setVisible(generic)
        self.remember_label.setVisible(generic)
        self.saved.clear()
        self.saved.addItem("(choose one)", "")
        for name in saved:
            self.saved.addItem(name, name)
        self.saved.setCurrentIndex(max(0, self.saved.findData(remembered)))
        self.saved.setVisible(generic and bool(saved))
        self.saved_label.setVisible(generic and bool(saved))
        self._build_rows(table)

    def _saved_picked(self, _index: int) -> None:
        name = self.saved.currentData()
        if name:
            self.savedChosen.emit(name)

    def _build_rows(self, table: Question) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, deleted when control returns
                widget.deleteLater()
        self.rows = []
        bold = QFont(self.font())
        bold.setBold(True)
        for col, text in enumerate(("Column in Baseline", "From the file", "Why", "Sample values")):
            header = QLabel(text, self.grid_host)
            header.setFont(bold)
            self.grid.addWidget(header, 0, col)
        assert self.mapping is not None
        self.required = {c.id for c in table.columns if c.required}
        for number, column in enumerate(table.columns, start=1):
            label = QLabel(f"{column.label}{' *' if column.required else ''}", self.grid_host)
            combo = QComboBox(self.grid_host)
            combo.setAccessibleName(f"Source column for {column.label}")
            worked_out = not self.editable and bool(self.derived.get(column.id))
            combo.addItem("(worked out by the layout)" if worked_out else NOT_IN_FILE, None)
            for index, name in enumerate(self.names):
                combo.addItem(f"{column_letter(index)}: {name or '(no header)'}", index)
            chosen = self.mapping.columns.get(column.id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
            combo.setEnabled(self.editable)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
            label.setBuddy(combo)
            height = combo.sizeHint().height()
            label.setMinimumHeight(height)  # centred on its combo, however tall the row grows
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            why = QLabel(self.grid_host)
            why.setWordWrap(True)
            as_muted(why)
            samples = QLabel(self.grid_host)
            samples.setWordWrap(True)
            pad = max(0, (height - self.fontMetrics().lineSpacing()) // 2)
            why.setContentsMargins(0, pad, 0, 0)
            samples.setContentsMargins(0, pad, 0, 0)
            row = MappingRow(column.id, label, combo, why, samples)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._chosen(r))
            for col, widget in enumerate((label, combo, why, samples)):
                self.grid.addWidget(widget, number, col, Qt.AlignmentFlag.AlignTop)
            self.rows.append(row)
            self._describe(row)
        self.grid.setRowStretch(len(table.columns) + 1, 1)

    def _chosen(self, row: MappingRow) -> None:
        assert self.mapping is not None
        index = row.combo.currentData()
        self.mapping.columns[row.column_id] = index
        self.mapping.units.pop(row.column_id, None)
        if index is not None and index < len(self.names):
            unit = header_unit(self.names[index])
            if unit != 1.0:
                self.mapping.units[row.column_id] = unit
        self.origin = "chosen by you"
        self._describe(row, mine=True)
        self.mappingEdited.emit()

    def _describe(self, row: MappingRow, *, mine: bool = False) -> None:
        index = row.combo.currentData()
        found = self.suggestions.get(row.column_id, [])
        match = next((s for s in found if s.source_index == index), None)
        if index is None and self.derived.get(row.column_id):
            row.why.setText("worked out by the layout from other columns")
            row.samples.setText(" · ".join(self.derived[row.column_id]))
            return
        if index is None:
            best = found[0] if found else None
            closest = (
                f"closest: {column_letter(best.source_index)} ({best.why})"
                if best is not None and best.source_index is not None and self.editable
                else ""
            )
            constants = self.mapping.constants if self.mapping is not None else {}
            if row.column_id in self.required and row.column_id not in constants:
                needed = "required: the form will ask for it after the import"
                closest = f"{needed}; {closest}" if closest else needed
            row.why.setText(closest)
            row.samples.setText("")
            return
        if match is not None:
            row.why.setText(match.why)
        else:
            row.why.setText("chosen by you" if mine else self.origin)
        row.samples.setText(" · ".join(self.sample_values(index)) or "(blank in the first rows)")

    def sample_values(self, index: int) -> list[str]:
        values = (cell_text(r[index]) if index < len(r) else "" for r in self.sample)
        return list(islice((v for v in values if v.strip()), SAMPLES_SHOWN))

    def row(self, column_id: str) -> MappingRow:
        return next(r for r in self.rows if r.column_id == column_id)


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
        for combo in (self.department, self.cycle):
            combo.setMinimumWidth(360)
            combo.setMaximumWidth(520)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Department:", self.department)
        form.addRow("C&ycle:", self.cycle)
        form.addRow("", self.tech)
        form.addRow("", self.whole)
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
