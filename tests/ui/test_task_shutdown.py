"""Closing the window ends every background task through one path: TaskRunner.shutdown()."""

from __future__ import annotations

from pathlib import Path

from desktop.main_window import MainWindow
from models.backups import list_backups
from models.store import Store
from tests.ui.test_import_wizard import big_csv, open_on, to_preview
from tests.ui.test_import_wizard_review import add_dwp, counts
from tests.ui.test_workbook_ui import add_demo, script_chooser
from ui.backup_actions import folder_for


def test_closing_mid_export_mid_import_and_mid_backup_ends_every_task(
    qtbot, window: MainWindow, workspace_path: Path, tmp_path: Path
) -> None:
    add_dwp(window)
    wizard = open_on(qtbot, window, big_csv(tmp_path, rows=20000))
    to_preview(qtbot, wizard, "2025")
    assert counts(workspace_path)["imported_rows"] == 0
    shutdowns: list[bool] = []
    window.tasks.shuttingDown.connect(lambda: shutdowns.append(True))

    wizard.next.click()  # Import: 20,000 rows on a worker thread
    assert wizard.task is not None and wizard.task.is_running()
    add_demo(window)  # something to export: written beside the import, which has not committed
    script_chooser(window, tmp_path / "all.xlsx")
    window.export_workspace_dialog()  # an export on another
    window.backups.backup_now("interval")  # and a backup on a third
    tasks = list(window.tasks.tasks)
    assert {t.kind for t in tasks} == {"import import", "workbook", "backup"}

    window.close()

    assert shutdowns == [True]  # one shutdown path, once
    assert all(t.worker.isFinished() for t in tasks)
    assert not wizard.isVisible()
    after = counts(workspace_path)  # the import rolled back, or committed whole
    assert (after["imports"], after["imported_rows"]) in ((0, 0), (1, 20000))
    assert not (tmp_path / "all.xlsx").exists() or (tmp_path / "all.xlsx").stat().st_size
    # The backup was finished, not cut off: it is whole and can be opened.
    backups = list_backups(folder_for(workspace_path, window.backup_root))
    assert [b.kind for b in backups] == ["interval"]
    with Store(backups[0].path, read_only=True) as copy:
        assert len(copy.departments()) == len(window.store.departments())
