"""File ▸ New workspace, Open workspace and the demo workspace: choosing the file to switch to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from models.store import Store, WorkspaceError

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def new_workspace(window: MainWindow) -> None:
    """A new, empty workspace under a name the user chooses (never the one open now)."""
    path = window.choose_path("New workspace", True)
    if path is None:
        return
    if path.exists():  # the file dialog has asked whether to replace it
        if path.resolve() == window.store.path.resolve():
            QMessageBox.warning(
                window,
                "Workspace not replaced",
                f"{path.name} is the workspace open now. Choose another name for the new "
                "one; nothing was changed.",
            )
            return
        from models.workspace_lock import remove_workspace

        try:
            remove_workspace(path)  # refused while another copy has it open
        except (WorkspaceError, OSError) as exc:
            QMessageBox.warning(window, "Workspace not replaced", str(exc))
            return
    window.switch_workspace(path)


def open_workspace_file(window: MainWindow) -> None:
    path = window.choose_path("Open workspace", False)
    if path is not None:
        window.switch_workspace(path)


def ensure_demo_workspace(path: Path) -> Path:
    """The demo workspace, written on first use."""
    from models.demo import DemoSize, write_demo

    if not path.exists():
        with Store(path, durable=False) as store:
            write_demo(store, DemoSize())
    return path
