"""A table's key column kept in view while the rest scrolls (Qt's "Frozen Column" example)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from ui.style import FocusRingStyle


class FrozenView(QTableView):
    """The overlay: it never has focus itself, so it draws the table's focus ring for it."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        current = self.table.currentIndex()
        if self.table.hasFocus() and current.isValid() and current.column() == 0:
            painter = QPainter(self.viewport())
            FocusRingStyle.ring(painter, self.visualRect(current))
            painter.end()


class FrozenColumn(QObject):
    """An overlay view showing column 0 of `view` over its left edge, scrolled with it.

    It shares the model and selection, so clicking and selecting a key cell work as in the
    table; it takes no focus, so Tab order is the table's. A key cell is edited in the table
    itself: `editing(True)` scrolls to the left edge and lifts the overlay meanwhile.
    Call `sync()` after the view gets another model.
    """

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        frozen = self.frozen = FrozenView(view)
        frozen.setObjectName(f"{view.objectName()}_frozen")
        frozen.setAccessibleName("Key column")
        frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        frozen.verticalHeader().hide()
        frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        frozen.setFrameShape(QFrame.Shape.NoFrame)
        frozen.setStyleSheet("QTableView { border-right: 2px solid palette(mid); }")
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.viewport().stackUnder(frozen)
        view.horizontalHeader().sectionResized.connect(self._column_resized)
        view.verticalHeader().sectionResized.connect(self._row_resized)
        frozen.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
        view.installEventFilter(self)
        frozen.doubleClicked.connect(self._edit_in_view)
        frozen.pressed.connect(lambda _index: view.setFocus())  # keys then act on the table
        # Sorting by the key column: its header is the overlay's, so clicks are passed on.
        frozen.horizontalHeader().sectionClicked.connect(self._sort_by_key)
        view.horizontalHeader().sortIndicatorChanged.connect(self._show_sort)
        self._editing = False
        self._watched: QItemSelectionModel | None = None
        self.sync()

    def _repaint(self, *_args: object) -> None:
        self.frozen.viewport().update()

    def _edit_in_view(self, index: QModelIndex) -> None:
        """A double-click on a key cell does what it does in the table: edit or activate."""
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        editable = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        if editable and self.view.editTriggers() & QAbstractItemView.EditTrigger.DoubleClicked:
            self.view.edit(index)
            return
        self.view.doubleClicked.emit(index)
        self.view.activated.emit(index)  # e.g. the dashboard opens that department's audit

    def _sort_by_key(self, section: int) -> None:
        if section != 0 or not self.view.isSortingEnabled():
            return
        header = self.view.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == ascending:
            order = Qt.SortOrder.DescendingOrder
        else:
            order = ascending
        self.view.sortByColumn(0, order)

    def _show_sort(self, section: int, order: Qt.SortOrder) -> None:
        header = self.frozen.horizontalHeader()
        header.setSortIndicatorShown(self.view.isSortingEnabled() and section == 0)
        header.setSortIndicator(section, order)

    def editing(self, on: bool) -> None:
        """A key cell's editor is open in the view (True) or closed (False)."""
        self._editing = on
        if on:
            self.view.horizontalScrollBar().setValue(0)
        self.frozen.setVisible(not on and self._wanted())

    def _wanted(self) -> bool:
        model = self.view.model()
        return model is not None and model.columnCount() > 1

    def sync(self) -> None:
        """Follow the view's model, selection, delegate, fonts and sizes."""
        view, frozen = self.view, self.frozen
        model = view.model()
        if model is None:
            frozen.hide()
            return
        if frozen.model() is not model:
            frozen.setModel(model)
        if frozen.selectionModel() is not view.selectionModel():
            old = frozen.selectionModel()
            frozen.setSelectionModel(view.selectionModel())
            if old is not None and old is not view.selectionModel():
                old.deleteLater()
        frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        frozen.setSelectionBehavior(view.selectionBehavior())
        frozen.setSelectionMode(view.selectionMode())
        frozen.setAlternatingRowColors(view.alternatingRowColors())
        frozen.setWordWrap(view.wordWrap())
        frozen.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        for column in range(model.columnCount()):
            frozen.setColumnHidden(column, column != 0)
        frozen.setColumnWidth(0, view.columnWidth(0))
        frozen.setVisible(self._wanted() and not self._editing)
        selection = view.selectionModel()
        if selection is not None and selection is not self._watched:
            selection.currentChanged.connect(self._repaint)
            self._watched = selection
        self._place()

    def _column_resized(self, index: int, _old: int, size: int) -> None:
        if index == 0:
            self.frozen.setColumnWidth(0, size)
            self._place()

    def _row_resized(self, index: int, _old: int, size: int) -> None:
        self.frozen.setRowHeight(index, size)

    def _place(self) -> None:
        view = self.view
        self.frozen.horizontalHeader().setFixedHeight(view.horizontalHeader().height())
        self.frozen.setGeometry(
            view.verticalHeader().width() + view.frameWidth(),
            view.frameWidth(),
            view.columnWidth(0),
            view.viewport().height() + view.horizontalHeader().height(),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._repaint()
        if watched is self.view and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutRequest,
            QEvent.Type.Show,
        ):
            self._place()
        return super().eventFilter(watched, event)
