"""The import wizard's Columns page: which column of the file goes into which table column."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from importers.column_mapping import ColumnMapping, Suggestion, header_unit
from importers.header_detect import cell_text
from importers.source_table import CellValue, column_letter
from ui.import_wizard_pages import NOT_IN_FILE, SAMPLES_SHOWN, table_name
from ui.style import as_muted

if TYPE_CHECKING:
    from importers.layouts import Recognition
    from models.questionnaire import Question


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
