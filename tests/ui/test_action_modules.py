"""Each ui action module driven through a small fake AppContext: no MainWindow, no desktop/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog

from models.audit_package import read_package
from models.backups import list_backups
from models.change_events import WorkspaceChange
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.importers.foreign_files import DWP_WMI_CSV
from tests.ui.conftest import DialogScript
from tests.ui.fake_context import FakeContext
from ui import audit_actions
from ui.app import settings as keys
from ui.app.context import AppContext

WAIT_MS = 10000


@pytest.fixture
def app(qtbot, tmp_path: Path, dialogs: DialogScript) -> Iterator[FakeContext]:
    store = Store(tmp_path / "fake.sqlite")
    fake = FakeContext(store, tmp_path, dialogs)
    qtbot.addWidget(fake.host)
    yield fake
    fake.shutdown()
    store.close()


def two_audits(store: Store) -> tuple[str, str]:
    dept = store.add_department("Department for Transport", "DfT")
    first = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    second = store.create_audit(dept.id, "2014 review", current_questionnaire())
    return first.id, second.id


def heard(app: FakeContext) -> list[WorkspaceChange]:
    changes: list[WorkspaceChange] = []
    app.events.changed.connect(changes.append)
    return changes


def test_the_fake_is_an_app_context(app: FakeContext) -> None:
    context: AppContext = app  # mypy checks the fake has everything the Protocol names
    assert context.widget is app.host


def test_audit_actions_add_a_department_and_create_and_copy_audits(qtbot, app: FakeContext) -> None:
    from ui.dialogs import AuditChoice, DepartmentChoice

    changes = heard(app)
    dept = audit_actions.add_department(app, DepartmentChoice("Home Office", "HO", ""))
    first = audit_actions.create_audit(app, AuditChoice(dept, "2013", "Ann Auditor", None))
    copied = audit_actions.create_audit(app, AuditChoice(dept, "2014", "Bea Other", first))
    assert [a.cycle for a in app.store.audits(dept)] == ["2013", "2014"]
    assert app.store.audit(copied).auditor == "Bea Other"
    # The first auditor named becomes the user's name (preferences had none); not the second.
    assert keys.read(app.settings, keys.AUDITOR_NAME) == "Ann Auditor"
    assert [c.audit_ids for c in changes] == [frozenset(), {first}, {copied}]


def test_workbook_actions_export_through_the_task_runner(
    qtbot, app: FakeContext, tmp_path: Path
) -> None:
    from ui.workbook_actions import workbook_actions

    two_audits(app.store)
    target = tmp_path / "all.xlsx"
    app.chosen.append(target)
    started: list[object] = []
    app.tasks.taskStarting.connect(started.append)
    actions = workbook_actions(app)
    assert workbook_actions(app) is actions  # one per window
    actions.export_workspace()
    qtbot.waitUntil(lambda: actions.task is None, timeout=WAIT_MS)
    assert len(started) == 1 and app.tasks.tasks == []
    assert "Exported 2 audits" in app.messages[-1]
    assert "Contents" in load_workbook(target, read_only=True).sheetnames or target.stat().st_size
    assert app.flushed == 1


def test_package_actions_export_the_chosen_audits(
    qtbot, app: FakeContext, dialogs: DialogScript, tmp_path: Path
) -> None:
    from ui.package_actions import ExportPackageDialog, actions

    first, second = two_audits(app.store)
    app.chosen.append(tmp_path / "out.baseline-package")

    def take_all(dialog: QDialog) -> bool:
        assert isinstance(dialog, ExportPackageDialog)
        dialog.all_button.click()
        return True

    dialogs.then(take_all)
    actions(app).export_package()
    package = read_package(tmp_path / "out.baseline-package")
    assert sorted(a.audit.id for a in package.audits) == sorted([first, second])
    assert "Wrote 2 audit(s)" in app.messages[-1]


def test_backups_run_as_tasks_and_restore_tells_the_views(
    qtbot, app: FakeContext, dialogs: DialogScript
) -> None:
    from ui.backup_actions import BackupScheduler, folder_for, restore_dialog

    app.store.add_department("Home Office")
    scheduler = BackupScheduler(app)
    made: list[object] = []
    scheduler.finished.connect(made.append)
    scheduler.backup_now("open")
    assert app.tasks.busy("backup") or made  # on the runner, not a thread of its own
    scheduler.wait()
    assert len(made) == 1 and not app.tasks.busy()
    folder = folder_for(app.store.path, app.backup_root)
    assert [b.kind for b in list_backups(folder)] == ["open"]

    app.store.add_department("Cabinet Office")
    changes = heard(app)

    def choose_first(dialog: QDialog) -> bool:
        dialog.table.selectRow(0)  # type: ignore[attr-defined]
        return True

    dialogs.then(choose_first)
    assert restore_dialog(app) is not None
    assert [d.name for d in app.store.departments()] == ["Home Office"]
    qtbot.waitUntil(lambda: bool(changes), timeout=WAIT_MS)
    assert changes[-1].action == "restore" and app.closed == 1
    scheduler.shutdown()


def test_verify_runs_on_the_task_runner_and_shows_its_report(qtbot, app: FakeContext) -> None:
    from ui.verify_dialog import VerifyActions, verify_workspace

    two_audits(app.store)
    actions = verify_workspace(app)
    assert isinstance(actions, VerifyActions)
    qtbot.waitUntil(lambda: actions.task is None and actions.dialog is not None, timeout=WAIT_MS)
    assert actions.dialog is not None and actions.dialog.parent() is app.host
    assert app.messages and app.flushed == 1
    actions.dialog.close()


def test_comparison_windows_follow_the_events_of_a_fake_context(qtbot, app: FakeContext) -> None:
    from ui.comparison_windows import ComparisonWindows

    windows = ComparisonWindows(app)
    department = windows.show_department().view
    dept = app.store.add_department("Home Office")
    qtbot.waitUntil(lambda: department.department_id == dept.id, timeout=WAIT_MS)
    app.store.create_audit(dept.id, "2013", current_questionnaire())
    qtbot.waitUntil(lambda: department.audits_model.rowCount() == 1, timeout=WAIT_MS)
    windows.shutdown()


def test_the_import_wizard_reads_and_imports_for_a_fake_context(qtbot, app: FakeContext) -> None:
    from tests.ui.test_import_wizard import DWP, settle, to_preview
    from ui.import_wizard import open_import_wizard

    app.store.add_department(DWP, "DWP")
    changes = heard(app)
    wizard = open_import_wizard(app, DWP_WMI_CSV)
    assert wizard is not None and wizard.parent() is app.host
    settle(qtbot, wizard)
    to_preview(qtbot, wizard, "2015")
    wizard.next.click()  # Import: on a worker thread, with the runner's store
    settle(qtbot, wizard)
    [audit] = app.store.audits()
    assert audit.cycle == "2015" and wizard.report is not None
    qtbot.waitUntil(lambda: any(audit.id in c.audit_ids for c in changes), timeout=WAIT_MS)
    wizard.reject()


def test_report_actions_make_a_summary_on_the_task_runner(
    qtbot, app: FakeContext, dialogs: DialogScript
) -> None:
    from ui.report_actions import ReportActions

    two_audits(app.store)
    actions = ReportActions(app)
    shown: list[object] = []
    actions.previewShown.connect(shown.append)
    dialogs.then(lambda _dialog: True)
    actions.summary_report()
    qtbot.waitUntil(lambda: actions.task is None, timeout=30000)
    assert len(shown) == 1 and "page" in app.messages[-1]
    actions.shutdown()


def test_lifecycle_actions_follow_a_status_changed_elsewhere(qtbot, app: FakeContext) -> None:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMenu

    from ui.audit_session import AuditSession
    from ui.lifecycle_actions import LifecycleActions

    first, _ = two_audits(app.store)
    app.session = AuditSession(app.store, app.store.audit(first), QUndoStack())
    menu = QMenu(app.host)
    lifecycle = LifecycleActions(app, menu)
    app.events.auditOpened.emit(first)
    assert lifecycle.moves["submit"].isEnabled()
    app.store.set_status(first, "submitted")  # as a merge would bring it
    session = app.session
    qtbot.waitUntil(lambda: session.audit.status == "submitted", timeout=WAIT_MS)
    assert not lifecycle.moves["submit"].isEnabled()
    session.close()
