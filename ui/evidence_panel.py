"""The evidence files under a question: listed, attached by drop or menu, opened, removed.

Attaching and removing are steps on the form's undo stack like any edit. A file is opened
only as a checked private copy (models/evidence.py) in the system's viewer; the kept file
itself is never handed out; when no program opens it, a copy can be saved instead. Files
dropped anywhere on the question are attached. By keyboard: the list follows its question's
controls in the Tab order; Enter opens the current file, Delete removes it, and the Menu key
or Shift+F10 offers both for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import evidence
from models.evidence import Evidence
from models.store import WorkspaceError
from ui.audit_session import AuditSession
from ui.commands import _StoreCommand
from ui.row_table_model import RowTableModel
from ui.signals import disconnect_quietly
from ui.style import as_error, as_link

COLUMNS = ("Name", "Size", "Added", "Added by")


class _EvidenceStep(_StoreCommand):
    """Attach (forward) or remove (forward) one file; the reverse puts it back or takes it off."""

    def __init__(
        self, panel: EvidencePanel, text: str, forward: Callable[[], object],
        backward: Callable[[], object],
    ) -> None:  # fmt: skip
        super().__init__(panel.session, text)
        self.panel = panel
        self._forward, self._backward = forward, backward

    def shows(self) -> str:
        return self.panel.question_id

    def forward(self) -> bool:
        done = self.run(self._forward)
        self.panel.refresh()
        return done

    def backward(self) -> bool:
        done = self.run(self._backward)
        self.panel.refresh()
        return done


class EvidencePanel(QWidget):
    """The list of a question's evidence (name, size, date, who) and its actions."""

    def __init__(
        self,
        question_id: str,
        session: AuditSession,
        parent: QWidget,
        rows: QAbstractItemView | None = None,
    ) -> None:
        """`rows`: the question's table, if it is one: a file dropped on a row is that row's."""
        super().__init__(parent)
        self.rows_view = rows
        self.question_id = question_id
        self.session = session
        self._bound = False
        self.shown: list[Evidence] = []
        # Replaced in tests: what "Attach evidence…" asks for, what opens a copy (False:
        # nothing could), where "Save a copy…" writes, and how a message box is shown.
        self.chooser: Callable[[], Sequence[str]] = self._choose
        self.opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.folder_chooser: Callable[[], str] = self._choose_folder
        self.show_box: Callable[[QMessageBox], object] = QMessageBox.exec
        self._menu_open = False
        self.setObjectName(f"evidence_{question_id}")
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list: QTreeWidget | None = None  # made when there is first something to list
        row = QHBoxLayout()
        self.attach_button = QPushButton("Attach evidence…", self)
        self.attach_button.setObjectName("attachEvidence")
        self.attach_button.setFlat(True)
        as_link(self.attach_button)
        self.attach_button.clicked.connect(self.attach_chosen)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel(self)
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)
        as_error(self.message)
        self.message.hide()
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        parent.setAcceptDrops(True)  # files dropped anywhere on the question
        parent.installEventFilter(self)
        if rows is not None:
            rows.viewport().setAcceptDrops(True)
            rows.viewport().installEventFilter(self)
        self.bind(session)

    # ---------------------------------------------------------------- session
    def bind(self, session: AuditSession) -> None:
        """Show this question's evidence in another audit."""
        if self._bound:
            disconnect_quietly(self.session.readOnlyChanged, self._read_only)
        self.session = session
        session.readOnlyChanged.connect(self._read_only)
        self._bound = True
        self._read_only(session.read_only)
        self.refresh()

    def _read_only(self, read_only: bool) -> None:
        self.attach_button.setVisible(not read_only)

    def _make_list(self) -> QTreeWidget:
        """The list, made on first use: most questions have no evidence, and a form of
        dozens of questions opens faster without a list widget under each."""
        view = QTreeWidget(self)
        view.setObjectName("evidenceList")
        view.setHeaderLabels(COLUMNS)
        view.setRootIsDecorated(False)
        view.setAccessibleName("Evidence files")
        # The name takes the room; size, date and who are as wide as their text (fixed
        # widths cut "7 December 2…" and names while half the list stood empty).
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "(row 2)" and ".pdf" stay
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu)
        view.itemActivated.connect(lambda item, _c: self.open_item(item))
        view.installEventFilter(self)  # the keyboard's menu and Delete act on the current file
        self._layout.insertWidget(0, view)
        # Made last, it would come last in the window's Tab order: put it after the
        # question's own controls, before "Attach evidence…", where it is seen.
        before = self.attach_button.previousInFocusChain()
        while before is not None and before.focusPolicy() == Qt.FocusPolicy.NoFocus:
            before = before.previousInFocusChain()
        if before is not None and before is not self.attach_button:
            QWidget.setTabOrder(before, view)
        return view

    def refresh(self) -> None:
        """List what the store holds now."""
        self.shown = evidence.listed(self.session.store, self.session.audit.id, self.question_id)
        if self.list is None:
            if not self.shown:
                return
            self.list = self._make_list()
        view = self.list
        current = view.currentItem()
        was = view.indexOfTopLevelItem(current) if current is not None else -1
        view.clear()
        numbers = evidence.row_numbers(
            self.session.store, (e.row_id for e in self.shown if e.row_id)
        )
        for e in self.shown:
            name = e.name
            if e.row_id:
                number = numbers.get(e.row_id)
                name += f" (row {number})" if number else " (a deleted row)"
            item = QTreeWidgetItem([name, e.size_text, e.added_on, e.added_by])
            item.setData(0, Qt.ItemDataRole.UserRole, e.id)
            item.setToolTip(0, f"SHA-256 {e.sha256}")
            view.addTopLevelItem(item)
        if was >= 0 and self.shown:  # the keyboard stays where it was (the next file)
            again = view.topLevelItem(min(was, len(self.shown) - 1))
            if again is not None:
                view.setCurrentItem(again)
        view.setVisible(bool(self.shown))
        if self.shown:
            rows = view.sizeHintForRow(0) * len(self.shown)
            view.setFixedHeight(min(rows, 160) + view.header().height() + 6)

    def _say(self, text: str, *, problem: bool = True) -> None:
        if problem:
            as_error(self.message)
        else:  # news, not a problem: in the ordinary text colour
            self.message.setPalette(self.palette())
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---------------------------------------------------------------- attaching
    def _choose(self) -> Sequence[str]:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach evidence")
        return names

    def attach_chosen(self) -> None:
        """Attach evidence…: ask for files, attach each."""
        self.attach_files([Path(n) for n in self.chooser()])

    def attach_files(self, paths: Sequence[Path], row_id: str | None = None) -> None:
        """Attach each file (to one row of the table, if given) as an undoable step; a
        refused one is named, the rest go on."""
        if self.session.read_only or not paths:
            return
        refused = []
        for path in paths:
            try:
                kept = evidence.attach(
                    self.session.store, self.session.audit.id, self.question_id, path,
                    row_id=row_id,
                )  # fmt: skip
            except WorkspaceError as exc:
                refused.append(str(exc))
                continue
            self._push_attached(kept)
        self._say("\n".join(refused))
        self.refresh()

    def _push_attached(self, kept: Evidence) -> None:
        store = self.session.store
        step = _EvidenceStep(
            self, f"Attach {kept.name}",
            lambda: evidence.restore(store, kept.id), lambda: evidence.remove(store, kept.id),
        )  # fmt: skip
        step.applied = True  # attached already: the first redo has nothing to do
        self.session.undo_stack.push(step)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.list and self.list is not None:
            return self._list_event(event) or super().eventFilter(watched, event)
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            drop = event
            assert isinstance(drop, QDropEvent)
            files = [u.toLocalFile() for u in drop.mimeData().urls() if u.isLocalFile()]
            if not files or self.session.read_only:
                return False
            drop.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                self.attach_files([Path(f) for f in files], self._row_at(watched, drop))
            return True
        return super().eventFilter(watched, event)

    def _row_at(self, watched: QObject, drop: QDropEvent) -> str | None:
        """The id of the table row a file was dropped on (None: not on a row)."""
        view = self.rows_view
        if view is None or watched is not view.viewport():
            return None
        index = view.indexAt(drop.position().toPoint())
        model = view.model()
        if not index.isValid() or not isinstance(model, RowTableModel):
            return None
        return model.rows[index.row()].id

    # ---------------------------------------------------------------- keyboard
    def _list_event(self, event: QEvent) -> bool:
        """The keys on the list: True when one was taken here."""
        assert self.list is not None
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            assert isinstance(event, QContextMenuEvent)
            # A mouse's menu reaches the viewport (customContextMenuRequested); one here is
            # the keyboard's, placed at the pointer or off the rows: it means the current file.
            if event.reason() == QContextMenuEvent.Reason.Mouse:
                return False
            self._keyboard_menu()
            return True
        if kind == QEvent.Type.FocusIn:  # show which file the keys will act on
            item = self.list.currentItem() or self.list.topLevelItem(0)
            if item is not None and not item.isSelected():
                self.list.setCurrentItem(item)
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and shift):
            self._keyboard_menu()
            return True
        item = self.list.currentItem()
        if key == Qt.Key.Key_Delete and item is not None and not self.session.read_only:
            self.remove_item(item)
            return True
        return False

    def _keyboard_menu(self) -> None:
        """The menu for the current file, shown on it."""
        assert self.list is not None
        item = self.list.currentItem()
        spot = self.list.visualItemRect(item).center() if item is not None else QPoint(8, 8)
        self._show_menu(item, self.list.viewport().mapToGlobal(spot))

    # ---------------------------------------------------------------- opening, removing
    def _menu(self, pos: QPoint) -> None:
        """The mouse's menu: for the file under the pointer, if any."""
        assert self.list is not None
        self._show_menu(self.list.itemAt(pos), self.list.viewport().mapToGlobal(pos))

    def _show_menu(self, item: QTreeWidgetItem | None, at: QPoint) -> None:
        if self._menu_open:  # a platform that sends both the key and its menu: one menu
            return
        menu = QMenu(self)
        menu.setObjectName("evidenceMenu")
        if item is not None:
            menu.addAction("Open", lambda: self.open_item(item))
            menu.addAction("Save a copy…", lambda: self.save_copy(item))
            if not self.session.read_only:
                menu.addAction("Remove\tDelete", lambda: self.remove_item(item))
        if not self.session.read_only:
            menu.addAction("Attach evidence…", self.attach_chosen)
        self._menu_open = True
        try:
            menu.exec(at)
        finally:
            self._menu_open = False
            menu.deleteLater()

    def open_item(self, item: QTreeWidgetItem) -> Path | None:
        """Open a checked private copy in the system's viewer; the copy's path."""
        evidence_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        try:
            copy = evidence.private_copy(self.session.store, evidence_id)
        except WorkspaceError as exc:
            self._say(str(exc))
            return None
        self._say("")
        if self.opener(QUrl.fromLocalFile(str(copy))) is False:
            self._no_program(item)
        return copy

    def _no_program(self, item: QTreeWidgetItem) -> None:
        """Nothing on this computer opens the file: say so, and offer to save a copy."""
        name = self._name(item)
        box = QMessageBox(QMessageBox.Icon.Information, "Cannot open evidence", "", parent=self)
        box.setObjectName("noProgram")
        box.setText(f"No program on this computer opens {name}.")
        box.setInformativeText(
            "Save a copy of it in a folder you choose, then open it with a program that "
            "reads this kind of file, or send it to someone who can."
        )
        save = box.addButton("Save a copy…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(save)
        self.show_box(box)
        if box.clickedButton() is save:
            self.save_copy(item)

    def _name(self, item: QTreeWidgetItem) -> str:
        evidence_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        return next((e.name for e in self.shown if e.id == evidence_id), item.text(0))

    def _choose_folder(self) -> str:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return QFileDialog.getExistingDirectory(self, "Save a copy of the evidence in", documents)

    def save_copy(self, item: QTreeWidgetItem) -> Path | None:
        """Save a copy…: write the checked file into a chosen folder; where it went."""
        folder = self.folder_chooser()
        if not folder:
            return None
        evidence_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        try:
            saved = evidence.extract(self.session.store, evidence_id, Path(folder))
        except WorkspaceError as exc:
            self._say(str(exc))
            return None
        self._say(f"Saved a copy as {saved}.", problem=False)
        return saved

    def remove_item(self, item: QTreeWidgetItem) -> None:
        """Remove a file from the question, as a step undo puts back."""
        evidence_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        store = self.session.store
        self.session.undo_stack.push(
            _EvidenceStep(
                self, f"Remove {item.text(0)}",
                lambda: evidence.remove(store, evidence_id),
                lambda: evidence.restore(store, evidence_id),
            )
        )  # fmt: skip
