"""The main window: navigator, open audit, menus and actions, remembered window state.

It is the ui's AppContext (ui/app/context.py): the action modules it hands itself to see
only that, and every change to the workspace reaches its views through `events`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTime
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from desktop import paths, workspaces
from desktop.file_choosers import choose_file
from desktop.main_menus import build_menus, build_welcome
from models.change_events import WorkspaceChange
from models.store import Store, WorkspaceError
from ui import audit_actions
from ui.app import settings as keys
from ui.app.context import DialogRunner, PathChooser, exec_dialog
from ui.app.events import WorkspaceEvents
from ui.app.tasks import TaskRunner
from ui.backup_actions import BackupScheduler, open_workspace
from ui.navigator import Navigator
from ui.preferences_dialog import auditor_name
from ui.window_room import fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QWidget

    from ui.audit_session import AuditSession
    from ui.audit_view import AuditView
    from ui.comparison_windows import ComparisonWindows
    from ui.dialogs import AuditChoice, DepartmentChoice
    from ui.lifecycle_actions import LifecycleActions
    from ui.report_actions import ReportActions
    from ui.workbook_actions import WorkbookActions

# The form, the questionnaire (YAML) and the dialogs are imported when first needed,
# so the window shows without paying for them (see benchmarks/bench_startup.py).


class MainWindow(QMainWindow):
    """The application window. The store and settings are given to it, never global.

    `run_dialog` and `choose_path` are injectable so tests drive dialogs without blocking.
    """

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        *,
        run_dialog: DialogRunner = exec_dialog,
        choose_path: PathChooser = choose_file,
    ) -> None:
        super().__init__()
        keys.migrate(settings)
        self.store = store
        self.settings = settings
        self.backup_root = paths.data_dir() / "backups"
        self.events = WorkspaceEvents(self)
        self.events.watch(store)
        self.events.changed.connect(self._workspace_change)
        self.tasks = TaskRunner(self, self.events)  # every background task, one shutdown
        self._shown: object = None  # what the navigator lists, to rebuild it only on change
        self.run_dialog = run_dialog
        self.choose_path = choose_path
        self.native_chooser = choose_path is choose_file  # False when a test injects one
        self.session: AuditSession | None = None
        self.audit_view: AuditView | None = None
        self._views: dict[tuple[str, int], AuditView] = {}  # one per questionnaire version
        self.undo_stack = QUndoStack(self)
        self._workbooks: WorkbookActions | None = None
        self._reports: ReportActions | None = None
        self._comparisons: ComparisonWindows | None = None
        self.export_audit_action: QAction
        self.import_action: QAction
        self.undo_action: QAction
        self.redo_action: QAction
        self.lifecycle: LifecycleActions
        self.tools_menu: QMenu
        self.view_commands: dict[str, QAction]  # View ▸ Show navigator / section list
        self.sign_off_rule: QAction  # Tools ▸ Whoever submits may not sign off
        self.backups = BackupScheduler(self)  # run_gui starts it: on open, then every 15 min
        self.setObjectName("mainWindow")
        fit_to_screen(self)  # within the screen's free area (a 1366×768 laptop too)

        self.navigator = Navigator(self)
        self.navigator.auditActivated.connect(self.open_audit)
        self.navigator.newAuditRequested.connect(self.new_audit_dialog)
        self.navigator.copyForwardRequested.connect(self.copy_forward_dialog)
        self.stack = QStackedWidget(self)
        self.welcome = build_welcome(self)
        self.stack.addWidget(self.welcome)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)
        self.setAcceptDrops(True)  # a spreadsheet dropped on the window opens File ▸ Import

        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("savedLabel")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.undo_stack.indexChanged.connect(self._saved)
        build_menus(self)
        self._restore_state()
        self._workspace_opened()

    # ---------------------------------------------------------------- workspace
    def _workspace_opened(self) -> None:
        read_only = " (read-only)" if self.store.read_only else ""
        # Qt adds " — Baseline" (the application display name): not the name twice.
        self.setWindowTitle(f"{self.store.path.name}{read_only}")
        self.statusBar().showMessage(f"Workspace: {self.store.path}", 8000)
        for warning in self.store.warnings:
            QMessageBox.warning(self, "Workspace on a network share", warning)
        self.refresh_navigator()

    def refresh_navigator(self) -> None:
        departments, audits = self.store.departments(), self.store.audits()
        self._shown = (
            [(d.id, d.display) for d in departments],
            [(a.id, a.department_id, a.cycle, a.status, a.department_name) for a in audits],
        )
        self.navigator.populate(departments, audits)

    def _workspace_change(self, change: WorkspaceChange) -> None:
        """Any commit: the navigator follows new departments and audits and their status."""
        if not change.lists_changed():
            return  # an answer or a row: nothing the navigator shows
        departments, audits = self.store.departments(), self.store.audits()
        shown = (
            [(d.id, d.display) for d in departments],
            [(a.id, a.department_id, a.cycle, a.status, a.department_name) for a in audits],
        )
        if shown != self._shown:
            self._shown = shown
            self.navigator.populate(departments, audits)

    def switch_workspace(self, path: Path) -> bool:
        try:
            store = open_workspace(
                path, self, run_dialog=self.run_dialog, backup_root=self.backup_root
            )
        except WorkspaceError as exc:
            QMessageBox.critical(self, "Cannot open workspace", str(exc))
            return False
        if store is None:
            return False
        if not self.may_leave_audit():
            store.close()
            return False
        self.tasks.wait("backup")
        self.close_audit()
        if self._comparisons is not None:
            self._comparisons.workspace_changed()
        self.events.unwatch(self.store)
        self.store.close()
        self.store = store
        self.events.watch(store)
        self.store.actor = auditor_name(self.settings)  # who the history names (preferences)
        keys.write(self.settings, keys.WORKSPACE, str(store.path))
        self._workspace_opened()
        self.backups.workspace_changed()
        return True

    def new_workspace_dialog(self) -> None:
        workspaces.new_workspace(self)

    def open_workspace_dialog(self) -> None:
        workspaces.open_workspace_file(self)

    def open_demo_workspace(self) -> None:
        self.switch_workspace(workspaces.ensure_demo_workspace(paths.demo_workspace()))

    # ---------------------------------------------------------------- Excel workbooks
    @property
    def workbooks(self) -> WorkbookActions:
        """Export, data returns and import (ui/workbook_actions.py), made on first use."""
        if self._workbooks is None:
            from ui.workbook_actions import workbook_actions

            self._workbooks = workbook_actions(self)
        return self._workbooks

    def _update_file_menu(self) -> None:
        self.export_audit_action.setEnabled(self.session is not None)

    def export_audit_dialog(self) -> None:
        self.workbooks.export_audit()

    def export_cycle_dialog(self) -> None:
        self.workbooks.export_cycle()

    def export_workspace_dialog(self) -> None:
        self.workbooks.export_workspace()

    def data_return_dialog(self) -> None:
        self.workbooks.data_return()

    def import_workbook_dialog(self) -> None:
        self.workbooks.import_workbook()

    def import_dialog(self, path: Path | None = None) -> None:
        """File ▸ Import: any spreadsheet, through the import wizard (ui/import_wizard.py)."""
        from ui.import_wizard import open_import_wizard

        open_import_wizard(self, path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """One spreadsheet dragged from the file manager may be dropped to import it."""
        from ui.import_sources import dropped_spreadsheet

        if dropped_spreadsheet(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        from ui.import_sources import dropped_spreadsheet

        path = dropped_spreadsheet(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_dialog(path)

    def export_package_dialog(self) -> None:
        """File ▸ Export audit package (ui/package_actions.py)."""
        from ui.package_actions import actions

        actions(self).export_package()

    def import_package_dialog(self) -> None:
        """File ▸ Import audit package: merge another workspace's work (ui/package_actions.py)."""
        from ui.package_actions import actions

        actions(self).import_package()

    # ---------------------------------------------------------------- PDF reports
    @property
    def reports(self) -> ReportActions:
        """Board reports and summaries (ui/report_actions.py), made on first use."""
        if self._reports is None:
            from ui.report_actions import ReportActions

            self._reports = ReportActions(self)
        return self._reports

    def board_report_dialog(self) -> None:
        self.reports.board_report()

    def summary_report_dialog(self) -> None:
        self.reports.summary_report()

    def verify_workspace_dialog(self) -> None:
        """Tools ▸ Verify workspace (ui/verify_dialog.py): checks run off the GUI thread."""
        from ui.verify_dialog import verify_workspace

        verify_workspace(self)

    # ---------------------------------------------------------------- comparison windows
    @property
    def comparisons(self) -> ComparisonWindows:
        """Dashboard, department and compare windows (ui/comparison_windows.py), on first use."""
        if self._comparisons is None:
            from ui.comparison_windows import ComparisonWindows

            self._comparisons = ComparisonWindows(self)
        return self._comparisons

    def show_dashboard(self) -> None:
        self.comparisons.show_dashboard()

    def show_department_view(self) -> None:
        self.comparisons.show_department()

    def show_compare_view(self) -> None:
        self.comparisons.show_compare()

    def audits_changed(self, audit_ids: set[str]) -> None:
        """Re-read the open comparison windows now (WorkspaceEvents does this after every
        commit; this is for a caller that cannot wait for the queued notice)."""
        if self._comparisons is not None:
            self._comparisons.workspace_edited(audit_ids)

    # ---------------------------------------------------------------- departments and audits
    def add_department(self, choice: DepartmentChoice) -> str:
        return audit_actions.add_department(self, choice)

    def add_department_dialog(self) -> None:
        audit_actions.add_department_dialog(self)

    def create_audit(self, choice: AuditChoice) -> str:
        audit_id = audit_actions.create_audit(self, choice)
        self.refresh_navigator()  # now, not when the notice comes: the new audit is selected
        self.navigator.select_audit(audit_id)
        return audit_id

    def new_audit_dialog(self, *, copy_forward: bool = False) -> None:
        audit_id = audit_actions.new_audit_dialog(self, copy_forward=copy_forward)
        if audit_id is not None:
            self.refresh_navigator()
            self.navigator.select_audit(audit_id)

    def copy_forward_dialog(self) -> None:
        self.new_audit_dialog(copy_forward=True)

    def open_audit(self, audit_id: str) -> None:
        if self.session is not None and self.session.audit.id == audit_id:
            return
        if not self.may_leave_audit():
            assert self.session is not None
            self.navigator.select_audit(self.session.audit.id, emit=False)
            return
        try:
            audit = self.store.audit(audit_id)
        except KeyError:
            return
        from ui.audit_session import AuditSession
        from ui.audit_view import AuditView

        self.close_audit(show_welcome=False)
        self.session = AuditSession(self.store, audit, self.undo_stack, self)
        self.session.writeFailed.connect(self._write_failed)
        self.session.unsavedChanged.connect(self._show_unsaved)
        section_id = keys.read(self.settings, keys.SECTION)
        view = self._views.get(self.session.questionnaire.key)
        if view is None:
            view = AuditView(self.session, self.stack, section_id=section_id)
            self._views[self.session.questionnaire.key] = view
            self.stack.addWidget(view)
            view.splitter.restoreState(keys.read(self.settings, keys.AUDIT_SPLITTER))
            view.sections.currentRowChanged.connect(self._remember_section)
        else:
            view.bind(self.session, section_id=section_id)  # reuse the built form
        self.audit_view = view
        self.stack.setCurrentWidget(view)
        self.navigator.select_audit(audit_id, emit=False)
        keys.write(self.settings, keys.AUDIT, audit_id)
        self.events.auditOpened.emit(audit_id)

    def _remember_section(self, _row: int) -> None:
        if self.audit_view is not None:
            keys.write(self.settings, keys.SECTION, self.audit_view.current_section_id())

    def flush_edits(self) -> None:
        """An open cell or field editor saves when it loses focus: let it save now."""
        focused = QApplication.focusWidget()
        view = self.audit_view
        if focused is not None and view is not None and view.isAncestorOf(focused):
            focused.clearFocus()

    def close_audit(self, *, show_welcome: bool = True) -> None:
        # Let an open editor save (and record its step) while its audit's history is kept.
        self.flush_edits()
        self.undo_stack.clear()
        if self.audit_view is not None:
            keys.write(self.settings, keys.AUDIT_SPLITTER, self.audit_view.splitter.saveState())
            self.audit_view.unbind()  # kept, to show the next audit on this questionnaire
            self.audit_view = None
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
            self.session = None
            self.events.auditClosed.emit()
        if show_welcome:
            self.stack.setCurrentWidget(self.welcome)

    def preferences_dialog(self) -> None:
        from ui.preferences_dialog import PreferencesDialog

        if self.run_dialog(PreferencesDialog(self.settings, self)):
            self.store.actor = auditor_name(self.settings)

    def go_to_missing(self) -> None:
        """Ctrl+M: the first required answer missing or required cell blank, as Submit sees."""
        if self.session is not None and self.audit_view is not None:
            self.statusBar().showMessage(self.audit_view.go_to_first_missing(), 5000)

    def step_section(self, step: int) -> None:
        if self.audit_view is not None:
            self.audit_view.step_section(step)

    # ---------------------------------------------------------------- feedback
    def _saved(self, _index: int) -> None:
        if self.session is not None and self.session.unsaved:
            self._show_unsaved()  # other edits are saved; that field still is not
            return
        self.saved_label.setText(f"All changes saved · {QTime.currentTime().toString('HH:mm:ss')}")

    def _show_unsaved(self) -> None:
        summary = self.session.unsaved_summary() if self.session is not None else ""
        if summary:
            self.saved_label.setText(summary)
        else:
            self._saved(self.undo_stack.index())

    def may_leave_audit(self) -> bool:
        """True unless a field holds unsaved text and the auditor chooses to keep editing."""
        session = self.session
        if session is None or not session.unsaved:
            return True
        from ui.dialogs import UnsavedEntryDialog

        if not self.run_dialog(UnsavedEntryDialog(session.unsaved_summary(), self)):
            if self.audit_view is not None:
                self.audit_view.go_to_question(next(iter(session.unsaved)))
            return False
        session.discard_unsaved()
        return True

    def _write_failed(self, message: str) -> None:
        self.saved_label.setText("Last change NOT saved")
        QMessageBox.warning(self, "Change not saved", message)

    # ---------------------------------------------------------------- state
    def _restore_state(self) -> None:
        self.restoreGeometry(keys.read(self.settings, keys.GEOMETRY))
        self.restoreState(keys.read(self.settings, keys.WINDOW_STATE))
        self.splitter.restoreState(keys.read(self.settings, keys.SPLITTER))

    def save_state(self) -> None:
        keys.write(self.settings, keys.GEOMETRY, self.saveGeometry())
        keys.write(self.settings, keys.WINDOW_STATE, self.saveState())
        keys.write(self.settings, keys.SPLITTER, self.splitter.saveState())
        keys.write(self.settings, keys.WORKSPACE, str(self.store.path))
        if self.audit_view is not None:
            keys.write(self.settings, keys.AUDIT_SPLITTER, self.audit_view.splitter.saveState())
        self.settings.sync()

    def shutdown(self) -> None:
        """End all background work through the one path: the task runner tells its owners
        (an import not yet committed is cancelled and rolled back, previews close), then
        cancels every task and waits for its thread, so none outlives the window."""
        self.backups.timer.stop()
        if self._comparisons is not None:
            self._comparisons.shutdown()
        self.tasks.shutdown()
        # A worker's last notice may still be queued: no view of a closed window reads the
        # store for it (the store is closed next).
        self.events.blockSignals(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave_audit():
            event.ignore()  # keep editing the field whose text is not saved
            return
        self.shutdown()
        self.save_state()
        super().closeEvent(event)

    # ---------------------------------------------------------------- AppContext
    @property
    def widget(self) -> QWidget:
        return self

    def status(self, message: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def current_audit_id(self) -> str | None:
        return self.navigator.current_audit_id()

    def current_department_id(self) -> str | None:
        return self.navigator.current_department_id()

    def go_to_question(self, question_id: str) -> None:
        if self.audit_view is not None:
            self.audit_view.go_to_question(question_id)
