"""The dialogs of backups and opening: the backups list, restore, a damaged or locked workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.backups import Backup, CorruptWorkspaceError, audit_count
from models.workspace_lock import LockHolder


class BackupTable(QTableWidget):
    """Backups, newest first: when, why it was made, size and number of audits."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(len(backups), 4, parent)
        self.backups = backups
        self.setHorizontalHeaderLabels(["Taken", "Made", "Size", "Audits"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move in the list
        self.verticalHeader().hide()
        self.setAccessibleName("Backups")
        for row, backup in enumerate(backups):
            count = audit_count(backup)
            cells = [
                backup.when,
                backup.kind_text,
                backup.size_text,
                "?" if count is None else str(count),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, col, item)
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if backups:
            self.selectRow(0)

    def chosen(self) -> Backup | None:
        rows = self.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


class RestoreDialog(QDialog):
    """File ▸ Restore from backup…: pick a backup; the current state is kept first."""

    def __init__(self, workspace: Path, backups: list[Backup], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        intro = QLabel(
            f"Replace the contents of <b>{workspace.name}</b> with a backup. The workspace as "
            "it is now is backed up first, so you can undo this by restoring that backup.",
            self,
        )
        intro.setWordWrap(True)
        self.table = BackupTable(backups, self)
        self.table.setMinimumSize(560, 240)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self._accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)

    def chosen(self) -> Backup | None:
        return self.table.chosen()

    def _accept(self) -> None:
        if self.chosen() is not None:
            self.accept()


class DamagedDialog(QDialog):
    """A workspace failed its integrity check: restore a backup, open another, or quit.

    `choice` is "restore" (with `backup`), "other" or "quit".
    """

    def __init__(
        self, error: CorruptWorkspaceError, backups: list[Backup], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workspace damaged")
        self.choice = "quit"
        self.backup: Backup | None = None
        self.latest = backups[0] if backups else None
        text = QLabel(
            f"<p><b>{error.path.name}</b> is damaged and cannot be opened: {error.detail}.</p>"
            "<p>Nothing has been written to it. Restoring a backup keeps the damaged file "
            f"beside it as <i>{error.path.name}.damaged-…</i>.</p>",
            self,
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.buttons = QDialogButtonBox(self)
        self.restore_latest = QPushButton(self)
        self.table = BackupTable(backups, self)
        self.table.setMinimumSize(560, 160)
        if self.latest is not None:
            self.restore_latest.setText(f"Restore latest backup from {self.latest.when}")
            self.restore_latest.clicked.connect(lambda: self._restore(self.latest))
            self.restore_latest.setDefault(True)
            layout.addWidget(self.restore_latest)
            layout.addWidget(QLabel("Or choose another backup:", self))
            layout.addWidget(self.table)
            self.restore_chosen = self.buttons.addButton(
                "Restore chosen backup", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.buttons.accepted.connect(lambda: self._restore(self.table.chosen()))
        else:
            self.restore_latest.hide()
            self.table.hide()
            layout.addWidget(QLabel("There is no usable backup of this workspace.", self))
        self.other = self.buttons.addButton(
            "Open another workspace…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.quit = self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.other.clicked.connect(lambda: self._finish("other"))
        self.quit.clicked.connect(lambda: self._finish("quit"))
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _restore(self, backup: Backup | None) -> None:
        if backup is not None:
            self.backup = backup
            self.choice = "restore"
            self.accept()

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.reject()


class LockedDialog(QDialog):
    """Someone else has the workspace open: open it read-only, take it over, or don't.

    `choice` is "read-only", "take-over" or "cancel". Taking over needs the box ticked
    that says the user understands the other copy's changes may be lost.
    """

    def __init__(self, workspace: Path, holder: LockHolder, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Workspace in use")
        self.choice = "cancel"
        text = QLabel(
            f"<p><b>{workspace.name}</b> is in use: {holder.describe()}.</p>"
            "<p>Only one copy of Baseline can change a workspace at a time. You can open it "
            "read-only to look at it, export or print reports.</p>",
            self,
        )
        text.setWordWrap(True)
        self.warning = QLabel(
            "<b>Take over</b> only if that copy is no longer running (its computer crashed or "
            "was switched off). If it is still running, the two copies will overwrite each "
            "other's changes.",
            self,
        )
        self.warning.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.read_only = self.buttons.addButton(
            "Open read-only", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.take_over = self.buttons.addButton(
            "Take over…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.read_only.setDefault(True)
        self.buttons.accepted.connect(lambda: self._finish("read-only", accept=True))
        self.buttons.rejected.connect(lambda: self._finish("cancel", accept=False))
        self.take_over.clicked.connect(self._take_over)
        self.confirm: Callable[[], bool] = self._confirm_take_over
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _confirm_take_over(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Take over the workspace?",
            "If the other copy is still running, changes made there after now may be lost "
            "or overwritten. Take over only if you are sure it has stopped.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _take_over(self) -> None:
        if self.confirm():
            self._finish("take-over", accept=True)

    def _finish(self, choice: str, *, accept: bool) -> None:
        self.choice = choice
        if accept:
            self.accept()
        else:
            self.reject()
