"""A spreadsheet-like editor for a table question: typed cells, drop-downs, paste from Excel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.records import Row
from models.table_paste import join_clipboard, plan_paste
from ui.commands import DeleteRowsCommand, EditTableCommand, InsertRowsCommand, MoveRowCommand
from ui.row_table_model import RowTableModel, edit_text
from ui.signals import disconnect_quietly
from ui.style import as_error, as_normal

Index = QModelIndex | QPersistentModelIndex

_EDITING = ("add", "duplicate", "delete", "up", "down", "paste", "paste_over", "clear")
_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)
_WIDTHS = {
    "text": 170, "long_text": 240, "single_choice": 170, "multi_choice": 200, "yesno": 80,
    "integer": 90, "decimal": 90, "currency": 120, "percentage": 90, "date": 105,
}  # fmt: skip


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
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            editor.setCurrentIndex(max(0, editor.findData(text)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData() or "", Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class SheetView(QTableView):
    """A table view that handles the spreadsheet keys itself (paste, copy, clear)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key_handlers: list[
            tuple[QKeySequence | QKeySequence.StandardKey, Callable[[], None]]
        ] = []

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


class TableEditor(QWidget):
    """Toolbar, table view and message line for one table question."""

    def __init__(self, model: RowTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.session = model.session
        noun = model.question.row_label

        self.view = SheetView(self)
        self.view.setObjectName(f"table_{model.question.id}")
        self.view.setAccessibleName(model.question.label)
        self.view.setModel(model)
        self.view.setItemDelegate(ChoiceDelegate(model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(_EDIT_TRIGGERS)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(True)
        vheader = self.view.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(24)
        hheader = self.view.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hheader.setStretchLastSection(True)
        self._apply_widths()
        self.view.setMinimumHeight(380)

        self.message = QLabel(self)
        self.message.setObjectName("tableMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel(self)
        model.editRejected.connect(self.show_problem)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.actions: dict[str, QAction] = {}  # type: ignore[assignment]  # shadows QWidget.actions()
        self.buttons: dict[str, QToolButton] = {}
        specs = [
            ("add", f"Add {noun}", QKeySequence(Qt.Key.Key_Insert), self.add_row),
            ("duplicate", "Duplicate", QKeySequence("Ctrl+D"), self.duplicate_rows),
            ("delete", "Delete", QKeySequence("Ctrl+Delete"), self.delete_rows),
            ("up", "Move up", QKeySequence("Alt+Up"), lambda: self.move_row(-1)),
            ("down", "Move down", QKeySequence("Alt+Down"), lambda: self.move_row(1)),
            ("paste", "Paste as new rows", QKeySequence("Ctrl+Shift+V"), self.paste_new_rows),
            ("paste_over", "Paste", QKeySequence(QKeySequence.StandardKey.Paste), self.paste),
            ("copy", "Copy", QKeySequence(QKeySequence.StandardKey.Copy), self.copy),
            ("clear", "Clear cells", QKeySequence(Qt.Key.Key_Delete), self.clear_cells),
        ]
        for key, text, shortcut, slot in specs:
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.actions[key] = action
            if key in ("copy", "clear", "paste_over"):
                continue
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(
                f"{text} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.view.key_handlers = [
            (QKeySequence.StandardKey.Paste, self.paste),
            (QKeySequence("Ctrl+Shift+V"), self.paste_new_rows),
            (QKeySequence.StandardKey.Copy, self.copy),
            (QKeySequence.StandardKey.Delete, self.clear_cells),
        ]
        self.session.rowsChanged.connect(self._rows_changed)
        self._rows_changed(model.question.id)
        self.view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.view.viewport():
            self.model.load_rest_when_idle()  # the first page is on screen: read the rest
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- helpers
    def _apply_widths(self) -> None:
        """Widths from each column's type and label, never from measuring thousands of cells."""
        metrics = self.view.fontMetrics()
        for i, column in enumerate(self.model.columns):
            label_width = metrics.horizontalAdvance(column.label + " * ") + 16
            self.view.setColumnWidth(i, max(_WIDTHS.get(column.type, 120), label_width))

    def bind(self, model: RowTableModel) -> None:
        """Edit the same table question of another audit."""
        if model is self.model:
            return
        disconnect_quietly(self.model.editRejected, self.show_problem)
        disconnect_quietly(self.session.rowsChanged, self._rows_changed)
        old_selection = self.view.selectionModel()
        self.model, self.session = model, model.session
        self.view.setModel(model)
        if old_selection is not None:
            old_selection.deleteLater()
        delegate = self.view.itemDelegate()
        if isinstance(delegate, ChoiceDelegate):
            delegate.table_model = model
        self._apply_widths()
        model.editRejected.connect(self.show_problem)
        self.session.rowsChanged.connect(self._rows_changed)
        self.message.clear()
        self._rows_changed(model.question.id)

    def _rows_changed(self, table_id: str) -> None:
        if table_id == self.model.question.id:
            n = self.model.row_total
            noun = self.model.question.row_label
            self.count_label.setText(f"{n:,} {noun}{'s' if n != 1 else ''}")

    def show_problem(self, text: str) -> None:
        as_error(self.message)
        self.message.setText(text)

    def show_info(self, text: str) -> None:
        as_normal(self.message)
        self.message.setText(text)

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        current = self.view.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(rows)

    def _push(self, command: Any) -> bool:
        """Push an edit; False when it was refused (read-only, or the store said no)."""
        if self.session.read_only:
            self.show_problem("This audit cannot be changed now: it is read-only.")
            return False
        self.session.undo_stack.push(command)
        return bool(getattr(command, "applied", True))

    def set_read_only(self, read_only: bool) -> None:
        """Signed off (or the workspace open read-only): browse and copy, change nothing."""
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only else _EDIT_TRIGGERS
        )
        for key in _EDITING:
            self.actions[key].setEnabled(not read_only)

    def current_row_id(self) -> str | None:
        """The id of the row holding the current cell (None: no current cell)."""
        current = self.view.currentIndex()
        if not current.isValid() or current.row() >= len(self.model.rows):
            return None
        return self.model.rows[current.row()].id

    def _context_menu(self, pos: QPoint) -> None:
        from ui.history_dialog import show_history

        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        row_id = self.model.rows[index.row()].id
        menu = QMenu(self)
        menu.addAction(
            f"History of this {self.model.question.row_label}…",
            lambda: show_history(self.session, self.model.question.id, row_id, self.window()),
        )
        menu.addSeparator()
        for key in ("copy", "paste_over", "add", "duplicate", "delete"):
            menu.addAction(self.actions[key])
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # ---------------------------------------------------------------- actions
    def add_row(self) -> None:
        rows = self.selected_rows()
        position = rows[-1] + 1 if rows else len(self.model.rows)
        self._push(
            InsertRowsCommand(self.model, position, [{}], f"add {self.model.question.row_label}")
        )
        self.view.setCurrentIndex(self.model.index(position, 0))
        self.view.setFocus()

    def duplicate_rows(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        cells = [dict(self.model.rows[r].cells) for r in rows]
        for cell in cells:
            for column in self.model.columns:
                if column.personal_data:
                    cell.pop(column.id, None)  # a duplicate is a new post, not the same person
        self._push(InsertRowsCommand(self.model, rows[-1] + 1, cells, "duplicate rows"))

    def delete_rows(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        if self._push(DeleteRowsCommand(self.model, [self.model.rows[r] for r in rows])):
            self.show_info(f"Deleted {len(rows)} — Undo (Ctrl+Z) brings them back.")

    def move_row(self, step: int) -> None:
        current = self.view.currentIndex()
        if not current.isValid():
            return
        source, target = current.row(), current.row() + step
        if not 0 <= target < len(self.model.rows):
            return
        self._push(MoveRowCommand(self.model, self.model.rows[source].id, source, target))
        self.view.setCurrentIndex(self.model.index(target, current.column()))

    def clear_cells(self) -> None:
        changes = []
        for index in self.view.selectionModel().selectedIndexes():
            row = self.model.rows[index.row()]
            column = self.model.columns[index.column()]
            old = row.cells.get(column.id)
            if old is not None:
                changes.append((row.id, column.id, old, None))
        if changes:
            self._push(EditTableCommand(self.model, changes, text="clear cells"))

    def copy(self) -> None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        columns = [self.model.columns[c] for c in sorted({i.column() for i in indexes})]
        grid = [
            [edit_text(col, self.model.rows[r].cells.get(col.id)) for col in columns] for r in rows
        ]
        QGuiApplication.clipboard().setText(join_clipboard(grid))

    def paste(self) -> None:
        """Ctrl+V: like a spreadsheet, overwrite from the current cell, adding rows past the end."""
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_new_rows(self) -> None:
        """Ctrl+Shift+V: add the copied rows after the last row, first column first."""
        self.paste_text(QGuiApplication.clipboard().text(), as_new_rows=True)

    def paste_text(self, text: str, *, as_new_rows: bool = False) -> None:
        """Apply tab-separated text at the current cell (or as new rows at the end)."""
        current = self.view.currentIndex()
        if as_new_rows or not current.isValid():
            start_row, start_col = len(self.model.rows), 0
        else:
            start_row, start_col = current.row(), current.column()
        plan = plan_paste(self.model.columns, self.model.rows, start_row, start_col, text)
        if not plan.empty:
            base = len(self.model.rows)
            new_rows = [Row(str(uuid.uuid4()), base + i, c) for i, c in enumerate(plan.new_rows)]
            if not self._push(EditTableCommand(self.model, plan.changes, new_rows, text="paste")):
                return  # refused: the reason is already shown, and nothing was pasted
        summary = []
        if plan.new_rows:
            summary.append(f"added {len(plan.new_rows)} row(s)")
        if plan.changes:
            summary.append(f"changed {len(plan.changes)} cell(s)")
        if plan.skipped_header:
            summary.append("skipped the header row")
        message = "Pasted: " + ", ".join(summary) + "." if summary else "Nothing to paste."
        if plan.problems:
            self.show_problem(
                message
                + " Not pasted (fix and paste again):\n"
                + "\n".join(plan.problems[:12])
                + ("\n…" if len(plan.problems) > 12 else "")
            )
        else:
            self.show_info(message)
