"""Opening one of the app's own backups (File ▸ Open starts in the data folder, where the
backups folder is) opens it read-only, saying why: work typed into a backup was lost when
rotation deleted the file as newer backups were taken."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from models.store import Store
from models.store_base import WorkspaceWriteError
from ui.backup_actions import open_workspace


def no_dialog(dialog: QDialog) -> bool:
    raise AssertionError(f"unexpected dialog {dialog.windowTitle()!r}")


def test_a_backup_opens_read_only_and_says_why(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "data" / "backups"
    folder = root / "audits-1a2b3c4d"
    folder.mkdir(parents=True)
    backup = folder / "20261207T233731771993Z-open.sqlite"
    with Store(backup) as store:
        store.add_department("Department for Transport", "DfT")

    store = open_workspace(backup, run_dialog=no_dialog, backup_root=root)
    assert store is not None
    try:
        assert store.read_only
        assert "one of Baseline's backups" in store.read_only_reason
        assert "Restore from backup" in store.read_only_reason
        try:
            store.add_department("Home Office", "HO")
        except WorkspaceWriteError as exc:
            assert "one of Baseline's backups" in str(exc)
        else:
            raise AssertionError("a write to a backup went through")
    finally:
        store.close()


def test_a_workspace_elsewhere_opens_as_usual(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "data" / "backups"
    root.mkdir(parents=True)
    path = tmp_path / "audits.sqlite"
    Store(path).close()
    store = open_workspace(path, run_dialog=no_dialog, backup_root=root)
    assert store is not None
    try:
        assert not store.read_only
    finally:
        store.close()
