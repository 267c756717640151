"""The merge dialog of File ▸ Import audit package: what a package adds and updates, and
each conflict side by side with a choice; nothing is written until Merge."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.merge import MINE, THEIRS, Key, MergePlan, describe
from models.package_shape import refused_lines
from ui.conflict_text import side_text
from ui.style import as_muted

CHOICES = (("Choose…", None), ("Keep mine", MINE), ("Take theirs", THEIRS))


class MergeDialog(QDialog):
    """What merging a package will do, and a choice for each conflict; Merge waits for all."""

    def __init__(self, plan: MergePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        package = plan.package
        self.setWindowTitle(f"Import {package.name}")
        conflicts = plan.conflicts
        self.resize(*((1040, 620) if conflicts else (640, 260)))
        layout = QVBoxLayout(self)
        m = package.manifest
        who = f" by {m.created_by}" if m.created_by else ""
        heading = QLabel(
            f"<b>{_escape(package.name)}</b>: {len(package.audits)} audit(s), "
            f"made{_escape(who)} on {_escape(m.created_at[:16].replace('T', ' '))} UTC",
            self,
        )
        layout.addWidget(heading)
        refused = refused_lines(package)  # values left out: this workspace keeps its own
        self.summary = QLabel("\n".join([*(_line(a) for a in plan.audits), *refused]), self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # package text is never markup
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        self.table: QTableWidget | None = None
        self.combos: dict[Key, QComboBox] = {}
        if conflicts:
            title = QLabel(
                f"<b>{len(conflicts)} conflict(s)</b>: both workspaces changed these differently "
                "since they last shared. Nothing is overwritten until you choose for each.",
                self,
            )
            title.setWordWrap(True)
            layout.addWidget(title)
            layout.addWidget(self._conflict_table(plan), 1)
            row = QHBoxLayout()
            self.all_mine = QPushButton("&Keep all mine", self)
            self.all_theirs = QPushButton("Take all &theirs", self)
            self.all_mine.clicked.connect(lambda: self.choose_all(MINE))
            self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
            row.addWidget(self.all_mine)
            row.addWidget(self.all_theirs)
            row.addStretch(1)
            self.remaining = QLabel(self)
            row.addWidget(self.remaining)
            layout.addLayout(row)
        else:
            layout.addStretch(1)
        note = QLabel(
            "Changes made on only one side are combined. Nothing is written until you press "
            "Merge; Cancel leaves this workspace as it is.",
            self,
        )
        note.setWordWrap(True)
        as_muted(note)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(bool(conflicts))  # Enter merges only once every conflict is chosen
        self.cancel_button = cancel
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _conflict_table(self, plan: MergePlan) -> QTableWidget:
        titles = {a.audit_id: a for a in plan.audits}
        conflicts = plan.conflicts
        table = QTableWidget(len(conflicts), 5, self)
        table.setHorizontalHeaderLabels(
            ["Audit", "Question", "This workspace (mine)", "The package (theirs)", "Keep"]
        )
        table.setAccessibleName("Conflicts")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setTabKeyNavigation(False)  # Tab goes on to each row's Keep choice, then the buttons
        table.setWordWrap(True)
        table.verticalHeader().hide()
        for i, conflict in enumerate(conflicts):
            audit_plan = titles[conflict.audit_id]
            audit = audit_plan.incoming.audit
            key = (audit.questionnaire_id, audit.questionnaire_version)
            cells = [
                audit_plan.title,
                describe(conflict, key),
                side_text(conflict.mine, conflict.theirs, key, conflict),  # as the form shows
                side_text(conflict.theirs, conflict.mine, key, conflict),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(i, column, item)
            combo = QComboBox(table)
            for label, value in CHOICES:
                combo.addItem(label, value)
            combo.setAccessibleName(f"Keep for {describe(conflict, key)}")
            combo.currentIndexChanged.connect(lambda _i: self._update())
            combo.installEventFilter(self)  # reached by Tab: its row is scrolled into view
            holder = QWidget(table)  # the choice at its natural height, centred in the row
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(6, 2, 6, 2)
            holder_layout.addWidget(combo, 0, Qt.AlignmentFlag.AlignVCenter)
            table.setCellWidget(i, 4, holder)
            self.combos[conflict.key] = combo
        header = table.horizontalHeader()
        for column, width in enumerate((170, 200, 0, 0, 130)):
            if width:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                table.setColumnWidth(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        self.table = table
        return table

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.table is not None:  # rows as tall as their text at the widths now shown
            self.table.resizeRowsToContents()

    def choose_all(self, side: str) -> None:
        for combo in self.combos.values():
            combo.setCurrentIndex(combo.findData(side))

    def choose(self, key: Key, side: str) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(combo.findData(side))

    def resolutions(self) -> dict[Key, str]:
        return {
            key: str(combo.currentData())
            for key, combo in self.combos.items()
            if combo.currentData() in (MINE, THEIRS)
        }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and self.table is not None:
            rows = list(self.combos.values())
            if watched in rows:
                item = self.table.item(rows.index(watched), 0)
                if item is not None:
                    self.table.scrollToItem(item)
        return super().eventFilter(watched, event)

    def undecided(self) -> int:
        return len(self.combos) - len(self.resolutions())

    def _update(self) -> None:
        left = self.undecided()
        self.merge_button.setEnabled(left == 0)
        if self.combos:
            self.merge_button.setDefault(left == 0)
            self.cancel_button.setDefault(left > 0)
        if self.combos:
            self.remaining.setText(
                f"{left} still to choose" if left else "Every conflict has a choice."
            )

    def accept(self) -> None:
        if self.undecided() == 0:
            super().accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line(audit_plan: Any) -> str:
    """A plan line with its marker in words, not symbols."""
    text: str = audit_plan.line()
    marker, _, rest = text.partition(" ")
    word = {"+": "Add", "~": "Update", "=": "Unchanged", "!": "Not merged"}.get(marker, "")
    return f"{word}: {rest}" if word else text
