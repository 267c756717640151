"""Tools ▸ Verify workspace: the checks of models/verify.py run off the GUI thread, and what
they found shown grouped by audit; double-clicking a problem opens its audit.

Verifying reads the workspace through its own read-only `Store`, so it can run while the
window keeps working, and never changes the file.

Signals (VerifyActions):
    taskStarting(object): a BackgroundTask is about to start its thread.
    dialogShown(object): a VerifyDialog has been shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain_anchor import AnchorError, ChainHead, SignOffSeal, read_anchor
from models.progress import Progress
from models.store import WorkspaceError
from models.verify import VerifyReport, verify
from ui.background import BackgroundTask

if TYPE_CHECKING:
    from ui.app.context import AppContext

AUDIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the audit id an item belongs to ("" for none)

LIMITS = (
    "What this shows: every change recorded since the workspace began keeping a sealed "
    "history is still there, unaltered and in order, and the content agrees with it. It "
    "cannot rule out someone who rewrote the whole history and sealed it again; a record "
    "kept elsewhere is the check against that: the chain head or sign-off seal printed on a "
    "report, a package sent or a backup (Check against…)."
)


def verified_text(report: VerifyReport) -> str:
    """The one-line verdict at the top of the dialog."""
    if not report.ok:
        return report.summary()
    signed = report.signed_off
    return (
        f"Workspace verified: chain intact, {report.changes:,} recorded "
        f"change{'s' if report.changes != 1 else ''}, {signed} signed-off "
        f"audit{'s' if signed != 1 else ''} "
        f"match{'' if signed != 1 else 'es'} {'their' if signed != 1 else 'its'} content "
        f"hash{'es' if signed != 1 else ''}."
    )


class VerifyDialog(QDialog):
    """What verify found: a tree of audits and their problems (record, problem, when).

    Signals:
        auditRequested(str): the user double-clicked (or pressed Enter on) a problem of an audit.
    """

    auditRequested = Signal(str)
    againstRequested = Signal(object)  # a ChainHead or SignOffSeal read from what was given

    def __init__(
        self,
        report: VerifyReport,
        workspace: str,
        parent: QWidget | None = None,
        *,
        against: str = "",
    ):
        super().__init__(parent)
        self.report = report
        # Asks for a backup or package to check against; tests replace it (no modal chooser).
        self.choose_file: Callable[[], str] = self._choose_file
        self.setObjectName("verifyDialog")
        self.setWindowTitle(f"Verify workspace — {workspace}")
        layout = QVBoxLayout(self)
        self.verdict = QLabel(verified_text(report), self)
        self.verdict.setObjectName("verifyVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.verdict.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.verdict.setFont(font)
        layout.addWidget(self.verdict)
        if against:
            checked = QLabel(f"Also checked against: {against}", self)
            checked.setObjectName("verifyCheckedAgainst")
            checked.setWordWrap(True)
            checked.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(checked)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("verifyProblems")
        self.tree.setAccessibleName("Problems found, by audit")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Audit / record", "Problem", "When (UTC)"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(0, 420)
        self.detail = QLabel(self)  # the selected problem in full: the tree's lines are cut short
        self.detail.setObjectName("verifyDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._fill()
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(self._show_detail)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        if report.ok:
            self.tree.hide()
            self.detail.hide()
            details = QLabel(
                f"{report.audits:,} audit{'s' if report.audits != 1 else ''} checked: the "
                "hash chain over their history, changes made outside the app, content against "
                "its history, signed-off audits against their content hashes, and SQLite's "
                "own integrity checks. Nothing was found.",
                self,
            )
            details.setWordWrap(True)
            layout.addWidget(details)
        else:
            hint = QLabel("Double-click a problem to open its audit.", self)
            layout.addWidget(hint)
        limits = QLabel(LIMITS, self)
        limits.setObjectName("verifyLimits")
        limits.setWordWrap(True)
        layout.addWidget(limits)
        self._against_row(layout, against)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy report", self)
        self.copy_button.setToolTip("Copy the report as text, to paste into an email or a note")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if report.ok:
            self.resize(960, self.sizeHint().height())
        else:
            self.resize(1100, 600)
            first = self.tree.topLevelItem(0)
            child = first.child(0) if first is not None and first.childCount() else None
            if child is not None:
                self.tree.setCurrentItem(child)

    def _against_row(self, layout: QVBoxLayout, against: str) -> None:
        """A record kept outside the file to check against, as `verify --against` takes:
        a backup or package (Check against… asks for one when the field is empty) or a
        chain head or sign-off seal copied from a report."""
        row = QHBoxLayout()
        label = QLabel("Check against:", self)
        self.against_edit = QLineEdit(against, self)
        self.against_edit.setObjectName("verifyAgainst")
        self.against_edit.setPlaceholderText(
            "a chain head (1234:9f2c81d077aa0e13) or sign-off seal (9f2c 81d0 77aa 0e13) "
            "from a report, or leave empty to choose a backup or package"
        )
        self.against_edit.setAccessibleName("Chain head, sign-off seal or file to check against")
        label.setBuddy(self.against_edit)
        self.against_edit.returnPressed.connect(self.check_against)
        self.against_button = QPushButton("Check &against…", self)
        self.against_button.setObjectName("verifyAgainstButton")
        self.against_button.setToolTip(
            "Verify again, also against a backup, a package, or a chain head or sign-off "
            "seal printed on a report"
        )
        self.against_button.clicked.connect(self.check_against)
        self.against_button.setAutoDefault(False)
        row.addWidget(label)
        row.addWidget(self.against_edit, 1)
        row.addWidget(self.against_button)
        layout.addLayout(row)
        self.against_error = QLabel(self)
        self.against_error.setObjectName("verifyAgainstError")
        self.against_error.setWordWrap(True)
        self.against_error.setTextFormat(Qt.TextFormat.PlainText)
        self.against_error.setStyleSheet("color: #b00020;")
        self.against_error.hide()
        layout.addWidget(self.against_error)

    def _choose_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Check against a backup or package",
            "",
            "Backups and packages (*.sqlite *.baseline-package *.chain *.txt);;All files (*)",
        )
        return path

    def check_against(self) -> None:
        """Read what was given (or a file chosen now) and ask for a verify against it; what
        cannot be read is said under the field, and nothing runs."""
        given = self.against_edit.text().strip()
        if not given:
            given = self.choose_file()
            if not given:
                return
            self.against_edit.setText(given)
        try:
            anchor: ChainHead | SignOffSeal = read_anchor(given)
        except (AnchorError, OSError) as exc:
            self.against_error.setText(str(exc))
            self.against_error.show()
            return
        self.against_error.hide()
        self.againstRequested.emit(anchor)

    def _fill(self) -> None:
        for audit_id, label, problems in self.report.by_audit():
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            top = QTreeWidgetItem(self.tree, [label, count, ""])
            top.setData(0, AUDIT_ROLE, audit_id)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFirstColumnSpanned(False)
            for problem in problems:
                item = QTreeWidgetItem(top, [problem.record, problem.problem, problem.when_text])
                item.setData(0, AUDIT_ROLE, audit_id)
                for column, text in enumerate((problem.record, problem.problem)):
                    item.setToolTip(column, text)
        self.tree.expandAll()

    def _show_detail(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        parent = item.parent() if item is not None else None
        if item is None or parent is None:
            self.detail.setText("")
            return
        when = f"\nWhen: {item.text(2)}" if item.text(2) else ""
        self.detail.setText(f"{parent.text(0)}\n{item.text(0)}: {item.text(1)}{when}")

    def audit_items(self) -> list[QTreeWidgetItem]:
        """The top-level items, one per audit (and one for the workspace as a whole)."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        audit_id = str(item.data(0, AUDIT_ROLE) or "")
        if audit_id:
            self.auditRequested.emit(audit_id)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.text())


class VerifyActions(QObject):
    """Runs verify for one window, in the background, and shows what it found."""

    taskStarting = Signal(object)
    dialogShown = Signal(object)

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.setObjectName("verifyActions")
        self.app = app
        self.task: BackgroundTask | None = None
        self.dialog: VerifyDialog | None = None
        self._given = ""  # what the last run was checked against, as given

    def run(self, against: ChainHead | SignOffSeal | None = None, given: str = "") -> None:
        """Verify in the background; `against`: also a record kept outside the file (`given`:
        as the user typed or chose it, kept in the new window's field)."""
        if self.task is not None and self.task.is_running():
            self.app.status("The workspace is being verified already.", 8000)
            return
        self.app.flush_edits()
        path = self.app.store.path
        self._given = given
        anchors = [against] if against is not None else []

        def work(progress: Progress) -> VerifyReport:
            with tasks.open_store(path, read_only=True) as store:  # this thread's own
                return verify(store, progress, against=anchors)

        tasks = self.app.tasks
        task = tasks.start(
            "Verify workspace", f"Verifying {path.name}: history, content…", work, kind="verify"
        )
        self.task = task
        task.succeeded.connect(self._verified)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self.app.status("Verification cancelled.", 8000))
        task.finished.connect(self._ended)
        self.taskStarting.emit(task)
        task.start()

    def _verified(self, report: VerifyReport) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        dialog = VerifyDialog(
            report, self.app.store.path.name, self.app.widget, against=self._given
        )
        dialog.auditRequested.connect(self.app.open_audit)
        dialog.againstRequested.connect(
            lambda anchor: self.run(anchor, dialog.against_edit.text().strip())
        )
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.app.status(verified_text(report), 15000)
        self.dialogShown.emit(dialog)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, WorkspaceError | OSError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        QMessageBox.critical(
            self.app.widget, "Could not verify the workspace", str(exc) or type(exc).__name__
        )

    def _ended(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.deleteLater()


def verify_workspace(app: AppContext) -> VerifyActions:
    """Tools ▸ Verify workspace…: one VerifyActions per window, made on first use."""
    actions = app.widget.findChild(VerifyActions, "verifyActions") or VerifyActions(app)
    actions.run()
    return actions
