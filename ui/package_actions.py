"""File ▸ Export audit package and File ▸ Import audit package: sharing work between workspaces.

Export asks which audits (the open one, or the selected department's, by default) and
writes them with their history (models/audit_package.py). Import reads the package off
the GUI thread, plans the merge (models/merge.py) and shows it: what is added and
updated, and each conflict side by side with a choice; nothing is written until Merge.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.audit_package import SUFFIX, Package, PackageError, read_package, write_package
from models.merge import (
    Key,
    MergeError,
    MergePlan,
)
from models.records import STATUS_LABELS, Audit, Department
from models.store import WorkspaceError
from ui.app import settings as keys
from ui.background import BackgroundTask
from ui.merge_dialog import MergeDialog

if TYPE_CHECKING:
    from ui.app.context import AppContext

STATUS_MS = 15000
PATTERN = f"Audit packages (*{SUFFIX});;All files (*)"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def package_name(stem: str) -> str:
    return (_UNSAFE.sub("-", stem).strip(" .") or "Baseline") + SUFFIX


def actions(app: AppContext) -> PackageActions:
    """The window's package actions, made on first use and kept as its child."""
    found = app.widget.findChild(PackageActions, "packageActions")
    if isinstance(found, PackageActions):
        return found
    made = PackageActions(app)
    made.setObjectName("packageActions")
    return made


class ExportPackageDialog(QDialog):
    """Tick the audits to put in the package, grouped by department and cycle."""

    def __init__(
        self,
        departments: list[Department],
        audits: list[Audit],
        selected: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export audit package")
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose the audits to send. The package holds their answers, tables and full "
            "history; the other workspace merges it with File ▸ Import audit package.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Audit", "Status"])
        self.tree.setAccessibleName("Audits to export")
        self.items: dict[str, QTreeWidgetItem] = {}
        names = {d.id: d.display for d in departments}
        for dept in departments:
            mine = [a for a in audits if a.department_id == dept.id]
            if not mine:
                continue
            parent_item = QTreeWidgetItem(self.tree, [names[dept.id], ""])
            parent_item.setFlags(
                parent_item.flags()
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsAutoTristate
            )
            for audit in sorted(mine, key=lambda a: a.cycle):
                item = QTreeWidgetItem(
                    parent_item, [audit.cycle, STATUS_LABELS.get(audit.status, audit.status)]
                )
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                state = Qt.CheckState.Checked if audit.id in selected else Qt.CheckState.Unchecked
                item.setCheckState(0, state)
                self.items[audit.id] = item
            parent_item.setExpanded(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemChanged.connect(lambda *_: self._update())
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.all_button = QPushButton("Select &all", self)
        self.none_button = QPushButton("Select &none", self)
        self.all_button.clicked.connect(lambda: self.select_all(True))
        self.none_button.clicked.connect(lambda: self.select_all(False))
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        self.count = QLabel(self)
        row.addWidget(self.count)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def select_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self.items.values():
            item.setCheckState(0, state)

    def chosen(self) -> list[str]:
        return [
            audit_id
            for audit_id, item in self.items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        count = len(self.chosen())
        self.count.setText(f"{count} audit{'s' if count != 1 else ''} chosen")
        self.export_button.setEnabled(count > 0)

    def accept(self) -> None:
        if self.chosen():
            super().accept()


class PackageActions(QObject):
    """Export and import audit packages for one window."""

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.app = app
        self.task: BackgroundTask | None = None

    # ---------------------------------------------------------------- export
    def export_package(self) -> None:
        app, store = self.app, self.app.store
        audits = store.audits()
        if not audits:
            QMessageBox.information(
                app.widget, "Nothing to export", "This workspace has no audits to export yet."
            )
            return
        dialog = ExportPackageDialog(
            store.departments(), audits, self._default_selection(audits), app.widget
        )
        accepted = app.run_dialog(dialog)
        chosen = dialog.chosen()
        dialog.deleteLater()
        if not accepted or not chosen:
            return
        picked = [a for a in audits if a.id in chosen]
        depts = {a.department_id for a in picked}
        if len(picked) == 1 or len(depts) == 1:
            dept = store.department(picked[0].department_id)
            cycles = sorted({a.cycle for a in picked})
            stem = (
                f"{dept.abbreviation or dept.name} {' '.join(cycles) if len(cycles) == 1 else ''}"
            )
        else:
            stem = f"Baseline {len(picked)} audits"
        path = self._choose("Export audit package", True, package_name(stem.strip()))
        if path is None:
            return
        app.flush_edits()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = write_package(store, path, chosen)
        except (PackageError, WorkspaceError, OSError) as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.critical(app.widget, "Could not write the package", str(exc))
            return
        QApplication.restoreOverrideCursor()
        self._status(summary.text())

    def _default_selection(self, audits: list[Audit]) -> set[str]:
        """The open audit; else the selected audit; else the selected department's audits."""
        app = self.app
        if app.session is not None:
            return {app.session.audit.id}
        current = app.current_audit_id()
        if current is not None:
            return {current}
        dept = app.current_department_id()
        return {a.id for a in audits if a.department_id == dept}

    # ---------------------------------------------------------------- import
    def import_package(self) -> None:
        if self.task is not None and self.task.is_running():
            self._status("Wait for the package being read to finish.")
            return
        path = self._choose("Import audit package", False, "")
        if path is None:
            return
        task = self.app.tasks.start(
            "Import audit package",
            f"Reading {path.name}…",
            lambda _progress: read_package(path),
            kind="package",
        )
        self.task = task

        def ended() -> None:
            if self.task is task:
                self.task = None
            task.deleteLater()

        task.finished.connect(ended)
        task.succeeded.connect(self._preview)
        task.failed.connect(lambda exc: self._failed("Cannot import the package", exc))
        task.cancelled.connect(lambda: self._status("Import cancelled: nothing was changed."))
        task.start()

    def _preview(self, package: Package) -> None:
        app = self.app
        app.flush_edits()
        try:
            plan = _plan(app, package, {})
        except (PackageError, MergeError, WorkspaceError) as exc:
            QMessageBox.critical(app.widget, "Cannot import the package", str(exc))
            return
        if all(a.action == "unchanged" for a in plan.audits):
            self._status(f"Nothing new: this workspace already has everything in {package.name}.")
            return
        dialog = MergeDialog(plan, app.widget)
        accepted = app.run_dialog(dialog)
        resolutions = dialog.resolutions()
        dialog.deleteLater()
        if not accepted:
            self._status("Import cancelled: nothing was changed.")
            return
        self._apply(package, resolutions)

    def _apply(self, package: Package, resolutions: dict[Key, str]) -> None:
        """Merge; the open audit is closed around it and reopened with its merged content."""
        from models.merge import apply_merge

        app = self.app
        open_id = app.session.audit.id if app.session is not None else None
        if open_id is not None and open_id in {a.audit.id for a in package.audits}:
            app.close_audit(show_welcome=False)
        try:
            report = apply_merge(app.store, package, resolutions)
        except (PackageError, MergeError, WorkspaceError) as exc:
            QMessageBox.critical(app.widget, "Merge failed", str(exc))
            return
        finally:  # the open views follow through WorkspaceEvents
            if open_id is not None and app.session is None:
                app.open_audit(open_id)
                if app.session is None:
                    app.close_audit()
        if report.skipped:
            QMessageBox.warning(app.widget, "Some audits were not merged", report.summary())
        elif report.notes:
            QMessageBox.information(app.widget, "Merged, with notes", report.summary())
        self._status(report.summary().splitlines()[0])

    # ---------------------------------------------------------------- plumbing
    def _choose(self, title: str, save: bool, name: str) -> Path | None:
        """A package path: the window's chooser when a test gives one, else a file dialog."""

        folder = keys.read(self.app.settings, keys.PACKAGE_FOLDER)
        if not (folder and Path(folder).is_dir()):
            documents = QStandardPaths.StandardLocation.DocumentsLocation
            folder = QStandardPaths.writableLocation(documents) or str(Path.home())
        suggested = str(Path(folder) / name) if name else folder
        path = self.app.choose_path(title, save, suggested)
        if path is not None:
            if save and not path.suffix:
                path = path.with_suffix(SUFFIX)
            keys.write(self.app.settings, keys.PACKAGE_FOLDER, str(path.parent))
        return path

    def _failed(self, title: str, exc: BaseException) -> None:
        if not isinstance(exc, PackageError | WorkspaceError | OSError | ValueError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: log it as one
        QMessageBox.critical(self.app.widget, title, str(exc))

    def _status(self, text: str) -> None:
        self.app.status(text, STATUS_MS)


def _plan(app: AppContext, package: Package, resolutions: dict[Key, str]) -> MergePlan:
    from models.merge import plan_merge

    return plan_merge(app.store, package, resolutions)
