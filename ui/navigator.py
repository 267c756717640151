"""The navigator: departments and their audits, as a tree the keyboard can drive.

Signals:
    auditActivated(str): the user chose an audit (by id).
    departmentSelected(str): the current item is a department (or one of its audits).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView, QWidget

from models.records import STATUS_LABELS, Audit, Department

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class Navigator(QTreeView):
    auditActivated = Signal(str)
    departmentSelected = Signal(str)
    newAuditRequested = Signal()
    copyForwardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.setAccessibleName("Departments and audits")
        self.tree = QStandardItemModel(self)
        self.tree.setHorizontalHeaderLabels(["Departments and audits"])
        self.setModel(self.tree)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformRowHeights(True)
        self.setHeaderHidden(True)
        self.activated.connect(self._activated)
        self.clicked.connect(self._activated)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction("New audit for this department…", self.newAuditRequested.emit)
        menu.addAction("Copy forward to a new cycle…", self.copyForwardRequested.emit)
        menu.exec(self.viewport().mapToGlobal(pos))

    def populate(self, departments: list[Department], audits: list[Audit]) -> None:
        """Rebuild from the store's lists, keeping the current audit selected."""
        current = self.current_audit_id()
        self.tree.removeRows(0, self.tree.rowCount())
        by_department: dict[str, list[Audit]] = {}
        for audit in audits:
            by_department.setdefault(audit.department_id, []).append(audit)
        bold = QFont()
        bold.setBold(True)
        for dept in departments:
            item = QStandardItem(dept.display)
            item.setData("department", KIND_ROLE)
            item.setData(dept.id, ID_ROLE)
            item.setFont(bold)
            for audit in sorted(by_department.get(dept.id, []), key=lambda a: a.cycle):
                child = QStandardItem(
                    f"{audit.cycle} — {STATUS_LABELS.get(audit.status, audit.status)}"
                )
                child.setData("audit", KIND_ROLE)
                child.setData(audit.id, ID_ROLE)
                child.setToolTip(f"{audit.department_name}, {audit.cycle}")
                item.appendRow(child)
            self.tree.appendRow(item)
        self.expandAll()
        if current:
            self.select_audit(current, emit=False)

    def select_audit(self, audit_id: str, *, emit: bool = True) -> bool:
        for r in range(self.tree.rowCount()):
            dept = self.tree.item(r)
            for c in range(dept.rowCount()):
                child = dept.child(c)
                if child.data(ID_ROLE) == audit_id:
                    self.setCurrentIndex(child.index())
                    if emit:
                        self.auditActivated.emit(audit_id)
                    return True
        return False

    def current_audit_id(self) -> str | None:
        index = self.currentIndex()
        if index.isValid() and index.data(KIND_ROLE) == "audit":
            return str(index.data(ID_ROLE))
        return None

    def current_department_id(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        if index.data(KIND_ROLE) == "audit":
            index = index.parent()
        return str(index.data(ID_ROLE))

    def _activated(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "audit":
            self.auditActivated.emit(str(index.data(ID_ROLE)))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        dept = self.current_department_id()
        if dept:
            self.departmentSelected.emit(dept)
