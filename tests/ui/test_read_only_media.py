"""A sound workspace on read-only media (a CD, a write-protected stick, a read-only share)
opens read-only, as the app means it to, instead of being called damaged and offered a
backup to restore over it. Needs root to mount a read-only file system; skipped otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from models.store import Store
from ui.backup_actions import WorkspaceCheck, open_workspace


def _mount(*args: str) -> bool:
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """A small file system, writable until `remount_read_only` is called."""
    folder = tmp_path / "media"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)):
        pytest.skip("needs root to mount a file system")
    try:
        yield folder  # (this process keeps a descriptor of a workspace: unmount lazily)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def remount_read_only(folder: Path) -> None:
    assert _mount("-o", "remount,ro", str(folder))


def no_dialog(dialog: QDialog) -> bool:
    raise AssertionError(f"unexpected dialog {dialog.windowTitle()!r}")


def test_a_workspace_on_read_only_media_opens_read_only_not_as_damaged(qtbot, media: Path) -> None:
    path = media / "audits.sqlite"
    with Store(path) as store:
        store.add_department("Department for Transport", "DfT")
    remount_read_only(media)

    store = open_workspace(path, run_dialog=no_dialog, precheck=WorkspaceCheck(path))
    assert store is not None
    try:
        assert store.read_only
        assert store.read_only_reason == "the file or its folder is read-only"
        assert [d.name for d in store.departments()] == ["Department for Transport"]
    finally:
        store.close()
