"""A spreadsheet-like editor for a table question: typed cells, drop-downs, paste from Excel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.table_paste import join_clipboard
from ui.column_memory import ColumnMemory
from ui.commands import DeleteRowsCommand, EditTableCommand, InsertRowsCommand, MoveRowCommand
from ui.flow_layout import FlowLayout
from ui.frozen_column import FrozenColumn
from ui.keyboard import redo_keys
from ui.row_table_model import RowTableModel, edit_text
from ui.sheet_view import ChoiceDelegate, SheetView
from ui.signals import disconnect_quietly
from ui.style import as_error, as_normal
from ui.table_paste_actions import PasteActions

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


class TableEditor(PasteActions, QWidget):
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
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.view.setAccessibleDescription(
            "Arrow keys move between cells, F2 or typing edits, Tab leaves the table"
        )
        vheader = self.view.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(24)
        hheader = self.view.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hheader.setStretchLastSection(True)
        self._apply_widths()
        self.view.setMinimumHeight(240)  # the section page raises it to fill its height
        self.frozen = FrozenColumn(self.view)
        self.view.frozen_column = self.frozen
        self.widths = ColumnMemory(self.view, f"tableWidths/{model.question.id}")
        self.confirm: Callable[[str, str], bool] = self._ask

        self.message = QLabel(self)
        self.message.setObjectName("tableMessage")
        self.message.setAccessibleName(f"Messages about {model.question.label}")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel(self)
        model.editRejected.connect(self.show_problem)

        tools = QWidget(self)  # the buttons wrap onto a second row in a narrow page
        flow = FlowLayout(tools)
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
            ("full", "Full window", QKeySequence("Ctrl+Shift+F"), self.toggle_full_window),
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
            button = QToolButton(tools)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{text} ({keys})")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab
            button.setAccessibleName(text)
            button.setAccessibleDescription(f"{model.question.label}: {text} ({keys})")
            flow.addWidget(button)
            self.buttons[key] = button
        bar.addWidget(tools, 1)
        bar.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)
        QWidget.setTabOrder(self.buttons["full"], self.view)  # the toolbar, then the table

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
        self.session.undo_stack.indexChanged.connect(self._undo_moved)
        self._pushing = False
        self._home: tuple[QVBoxLayout, int] | None = None  # where it sits when not full window
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
        disconnect_quietly(self.session.undo_stack.indexChanged, self._undo_moved)
        old_selection = self.view.selectionModel()
        self.model, self.session = model, model.session
        self.view.setModel(model)
        if old_selection is not None:
            old_selection.deleteLater()
        delegate = self.view.itemDelegate()
        if isinstance(delegate, ChoiceDelegate):
            delegate.table_model = model
        self._apply_widths()
        self.frozen.sync()
        self.widths.restore()
        model.editRejected.connect(self.show_problem)
        self.session.rowsChanged.connect(self._rows_changed)
        self.session.undo_stack.indexChanged.connect(self._undo_moved)
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
        self._pushing = True
        try:
            self.session.undo_stack.push(command)
        finally:
            self._pushing = False
        return bool(getattr(command, "applied", True))

    def _undo_moved(self, _index: int) -> None:
        """Undo or redo: a message about the last paste or delete no longer describes the table."""
        if not self._pushing:
            self.message.clear()

    def _ask(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.window(),
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

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

    # ---------------------------------------------------------------- full window
    def toggle_full_window(self) -> None:
        """Show this table alone in a window-sized dialog (again: back into the form)."""
        from PySide6.QtWidgets import QDialog

        if self._home is not None:
            dialog = self.parentWidget()
            if isinstance(dialog, QDialog):
                dialog.accept()
            return
        host = self.parentWidget()
        layout = host.layout() if host is not None else None
        if not isinstance(layout, QVBoxLayout):
            return
        self._home = (layout, layout.indexOf(self))
        window = self.window()
        dialog = QDialog(window)
        dialog.setObjectName("fullWindowTable")
        dialog.setWindowTitle(self.model.question.label)
        dialog.setAccessibleName(f"{self.model.question.label}, full window")
        box = QVBoxLayout(dialog)
        box.setContentsMargins(8, 8, 8, 8)
        box.addWidget(self)
        self.view.setMaximumHeight(16777215)  # the form's cap does not apply here
        self.actions["full"].setText("Back to the form")
        dialog.setGeometry(window.geometry())
        # The Edit menu's Undo and Redo keys belong to the main window: give them here too.
        stack = self.session.undo_stack
        undo, redo = stack.createUndoAction(dialog), stack.createRedoAction(dialog)
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo.setShortcuts(redo_keys())
        dialog.addActions([undo, redo])
        dialog.finished.connect(lambda _r: self._return_home(dialog))
        dialog.show()
        self.view.setFocus()

    def _return_home(self, dialog: QWidget) -> None:
        if self._home is None:
            return
        layout, index = self._home
        self._home = None
        layout.insertWidget(index, self, 1)
        self.actions["full"].setText("Full window")
        page = self.parentWidget()
        while page is not None and not hasattr(page, "_fit_tables"):
            page = page.parentWidget()
        if page is not None:
            QTimer.singleShot(0, page._fit_tables)
        self.show()
        dialog.deleteLater()
        self.view.setFocus()

    @property
    def full_window(self) -> bool:
        return self._home is not None
