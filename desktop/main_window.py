"""The main window: navigator, open audit, menus and actions, remembered window state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTime
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

from desktop import paths
from desktop.file_choosers import choose_file
from desktop.main_menus import build_menus, build_welcome
from models.store import Store, WorkspaceError
from ui.app_window import DialogRunner, PathChooser, exec_dialog
from ui.backup_actions import BackupScheduler, open_workspace
from ui.navigator import Navigator
from ui.preferences_dialog import auditor_name, preferred_auditor
from ui.window_room import fit_to_screen

if TYPE_CHECKING:
    from ui.audit_session import AuditSession
    from ui.audit_view import AuditView
    from ui.comparison_windows import ComparisonWindows
    from ui.dialogs import AuditChoice, DepartmentChoice
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
        self.store = store
        self.settings = settings
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
        self.navigator.populate(self.store.departments(), self.store.audits())

    def switch_workspace(self, path: Path) -> bool:
        try:
            store = open_workspace(path, self, run_dialog=self.run_dialog)
        except WorkspaceError as exc:
            QMessageBox.critical(self, "Cannot open workspace", str(exc))
            return False
        if store is None:
            return False
        if not self.may_leave_audit():
            store.close()
            return False
        self.backups.wait()
        self.close_audit()
        if self._comparisons is not None:
            self._comparisons.workspace_changed()
        self.store.close()
        self.store = store
        self.store.actor = auditor_name(self.settings)  # who the history names (preferences)
        self.settings.setValue("workspace", str(store.path))
        self._workspace_opened()
        self.backups.workspace_changed()
        return True

    def new_workspace_dialog(self) -> None:
        path = self.choose_path("New workspace", True)
        if path is None:
            return
        if path.exists():  # the file dialog has asked whether to replace it
            if path.resolve() == self.store.path.resolve():
                QMessageBox.warning(
                    self,
                    "Workspace not replaced",
                    f"{path.name} is the workspace open now. Choose another name for the new "
                    "one; nothing was changed.",
                )
                return
            from models.workspace_lock import remove_workspace

            try:
                remove_workspace(path)  # refused while another copy has it open
            except (WorkspaceError, OSError) as exc:
                QMessageBox.warning(self, "Workspace not replaced", str(exc))
                return
        self.switch_workspace(path)

    def open_workspace_dialog(self) -> None:
        path = self.choose_path("Open workspace", False)
        if path is not None:
            self.switch_workspace(path)

    def open_demo_workspace(self) -> None:
        path = ensure_demo_workspace(paths.demo_workspace())
        self.switch_workspace(path)

    # ---------------------------------------------------------------- Excel workbooks
    @property
    def workbooks(self) -> WorkbookActions:
        """Export, data returns and import (ui/workbook_actions.py), made on first use."""
        if self._workbooks is None:
            from ui.workbook_actions import WorkbookActions

            self._workbooks = WorkbookActions(self)
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
        """Audits changed outside the form (an import): the open comparison windows re-read."""
        if self._comparisons is not None:
            self._comparisons.workspace_edited(audit_ids)

    def _audit_edited(self) -> None:
        if self._comparisons is not None and self.session is not None:
            self._comparisons.audit_edited(self.session.audit.id)

    # ---------------------------------------------------------------- departments and audits
    def add_department(self, choice: DepartmentChoice) -> str:
        dept = self.store.add_department(choice.name, choice.abbreviation, choice.govuk_id)
        self.refresh_navigator()
        return dept.id

    def add_department_dialog(self) -> None:
        from models.reference import departments as reference_departments
        from ui.dialogs import DepartmentDialog

        dialog = DepartmentDialog(reference_departments(), self.store.departments(), self)
        if self.run_dialog(dialog):
            try:
                self.add_department(dialog.choice())
            except (WorkspaceError, ValueError) as exc:
                QMessageBox.warning(self, "Could not add the department", str(exc))

    def create_audit(self, choice: AuditChoice) -> str:
        from models.questionnaire import current_questionnaire

        questionnaire = current_questionnaire()
        if choice.copy_from:
            audit = self.store.copy_forward(
                choice.copy_from, choice.cycle, questionnaire, choice.auditor
            )
        else:
            audit = self.store.create_audit(
                choice.department_id, choice.cycle, questionnaire, choice.auditor
            )
        self.settings.setValue("auditor", choice.auditor)
        self.refresh_navigator()
        self.navigator.select_audit(audit.id)
        return audit.id

    def new_audit_dialog(self, *, copy_forward: bool = False) -> None:
        from ui.dialogs import NewAuditDialog

        departments = self.store.departments()
        if not departments:
            self.add_department_dialog()
            departments = self.store.departments()
            if not departments:
                return
        dialog = NewAuditDialog(
            departments,
            self.store.audits(),
            department_id=self.navigator.current_department_id(),
            auditor=preferred_auditor(self.settings),
            copy_forward=copy_forward,
            parent=self,
        )
        if self.run_dialog(dialog):
            try:
                self.create_audit(dialog.choice())
            except (WorkspaceError, ValueError) as exc:
                QMessageBox.warning(self, "Could not create the audit", str(exc))

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
        self.session.progressChanged.connect(self._audit_edited)  # open dashboards follow
        self.session.commentChanged.connect(self._audit_edited)  # and the compare window
        section = self.settings.value("section")
        section_id = section if isinstance(section, str) else ""
        view = self._views.get(self.session.questionnaire.key)
        if view is None:
            view = AuditView(self.session, self.stack, section_id=section_id)
            self._views[self.session.questionnaire.key] = view
            self.stack.addWidget(view)
            splitter_state = self.settings.value("auditSplitter")
            if isinstance(splitter_state, QByteArray):
                view.splitter.restoreState(splitter_state)
            view.sections.currentRowChanged.connect(self._remember_section)
        else:
            view.bind(self.session, section_id=section_id)  # reuse the built form
        self.audit_view = view
        self.stack.setCurrentWidget(view)
        self.navigator.select_audit(audit_id, emit=False)
        self.settings.setValue("audit", audit_id)

    def _remember_section(self, _row: int) -> None:
        if self.audit_view is not None:
            self.settings.setValue("section", self.audit_view.current_section_id())

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
            self.settings.setValue("auditSplitter", self.audit_view.splitter.saveState())
            self.audit_view.unbind()  # kept, to show the next audit on this questionnaire
            self.audit_view = None
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
            self.session = None
        if show_welcome:
            self.stack.setCurrentWidget(self.welcome)

    def preferences_dialog(self) -> None:
        from ui.preferences_dialog import PreferencesDialog

        if self.run_dialog(PreferencesDialog(self.settings, self)):
            self.store.actor = auditor_name(self.settings)

    def go_to_missing(self) -> None:
        if self.session is None or self.audit_view is None:
            return
        from models.scoring import missing_required

        missing = missing_required(
            self.session.questionnaire, self.session.answers, self.session.complete_rows()
        )
        if not missing:
            self.statusBar().showMessage("Every required question is answered.", 5000)
            return
        self.audit_view.go_to_question(missing[0].id)
        self.statusBar().showMessage(
            f"{len(missing)} required answer(s) missing; this is the first.", 5000
        )

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
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.settings.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("workspace", str(self.store.path))
        if self.audit_view is not None:
            self.settings.setValue("auditSplitter", self.audit_view.splitter.saveState())
        self.settings.sync()

    def shutdown_import(self) -> None:
        """An import wizard's work ends before the window does: an uncommitted import is
        cancelled and rolled back, never left on a thread Qt destroys."""
        wizard = self.findChild(QObject, "importWizard")  # made on first use, if ever
        if wizard is not None:
            wizard.shutdown()  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave_audit():
            event.ignore()  # keep editing the field whose text is not saved
            return
        self.backups.shutdown()  # a backup being written is finished, not left half-made
        if self._workbooks is not None:
            self._workbooks.shutdown()  # no export or import left running on a closed window
        if self._reports is not None:
            self._reports.shutdown()  # nor a report being made, nor its previews
        if self._comparisons is not None:
            self._comparisons.shutdown()
        packages = self.findChild(QObject, "packageActions")  # made on first use, if ever
        if packages is not None:
            packages.shutdown()  # type: ignore[attr-defined]  # a package being read finishes
        self.shutdown_import()
        self.save_state()
        super().closeEvent(event)


def ensure_demo_workspace(path: Path) -> Path:
    """The demo workspace, written on first use."""
    from models.demo import DemoSize, write_demo

    if not path.exists():
        with Store(path, durable=False) as store:
            write_demo(store, DemoSize())
    return path
