"""The table view under a table question: spreadsheet keys, and drop-downs that complete."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.frozen_column import FrozenColumn
from ui.keyboard import TabClosesPopup
from ui.row_table_model import RowTableModel

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    """Drop-down editors for choice and yes/no columns; plain text for the rest."""

    def __init__(self, model: RowTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.table_model.columns[index.column()]
        if column.type in ("single_choice", "yesno"):
            combo = QComboBox(parent)
            combo.addItem("", "")
            if column.type == "yesno":
                combo.addItem("Yes", "Yes")
                combo.addItem("No", "No")
            else:
                for opt in column.options:
                    combo.addItem(opt.label, opt.label)
            combo.setAccessibleName(column.label)
            combo.setAccessibleDescription("Type to complete, or Alt+Down for the list")
            # Typed text is read as paste reads it (grade synonyms: "SCS Pay Band 2" is SCS2),
            # not as the first item sharing its first letters.
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = QCompleter([combo.itemText(i) for i in range(combo.count())], combo)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            combo.setCompleter(completer)
            TabClosesPopup(combo, partial(self._finish_from_list, combo))
            line = combo.lineEdit()
            if line is not None:
                line.setAccessibleName(column.label)
                line.installEventFilter(self)  # Tab and Escape close the editor from its text
            return combo
        return super().createEditor(parent, option, index)

    def _finish_from_list(self, combo: QComboBox, _forward: bool) -> None:
        self._finish(combo)

    def _finish(self, combo: QComboBox) -> None:
        """Keep the cell's choice and close its editor (Tab from the open list)."""
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        combo = watched.parent() if isinstance(watched, QLineEdit) else None
        if (
            isinstance(combo, QComboBox)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.commitData.emit(combo)
                self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.RevertModelCache)
                return True
        return super().eventFilter(watched, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            editor.setCurrentIndex(max(0, editor.findData(text)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            typed = editor.currentText().strip()
            listed = editor.findText(typed, Qt.MatchFlag.MatchFixedString)
            value = editor.itemData(listed) if listed >= 0 else typed
            model.setData(index, value or "", Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class SheetView(QTableView):
    """A table view that handles the spreadsheet keys itself (paste, copy, clear)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen_column: FrozenColumn | None = None
        self.key_handlers: list[
            tuple[QKeySequence | QKeySequence.StandardKey, Callable[[], None]]
        ] = []

    def closeEditor(self, editor: QWidget, hint: QStyledItemDelegate.EndEditHint) -> None:
        """Tab in a cell editor commits and closes it; the next Tab leaves the table."""
        if hint in (
            QStyledItemDelegate.EndEditHint.EditNextItem,
            QStyledItemDelegate.EndEditHint.EditPreviousItem,
        ):
            hint = QStyledItemDelegate.EndEditHint.NoHint
        super().closeEditor(editor, hint)
        if self.frozen_column is not None:
            self.frozen_column.editing(False)

    def edit(self, index: Index, trigger: Any = None, event: Any = None) -> bool:  # type: ignore[override]
        """Edit a cell; a key cell is edited in place with the frozen overlay lifted."""
        if trigger is None:
            super().edit(index)
            return True
        opened = super().edit(index, trigger, event)
        if opened and index.column() == 0 and self.frozen_column is not None:
            self.frozen_column.editing(True)
        return opened

    def scrollTo(
        self,
        index: Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """Never leave the current cell under the frozen key column."""
        super().scrollTo(index, hint)
        if index.isValid() and index.column() > 0:
            left = self.columnViewportPosition(index.column())
            key_width = self.columnWidth(0)
            if left < key_width:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - (key_width - left))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            pressed = QKeySequence(event.keyCombination())
            for key, handler in self.key_handlers:
                if (
                    isinstance(key, QKeySequence)
                    and key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                ) or (not isinstance(key, QKeySequence) and event.matches(key)):
                    handler()
                    event.accept()
                    return
        super().keyPressEvent(event)
