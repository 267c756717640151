"""The auditor's name, asked once at first run, so the history never says "root"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from ui.app import settings as keys
from ui.dialogs import AuditorNameDialog


def stored_name(settings: QSettings) -> str:
    """The name set before (first run, or Edit ▸ Preferences); '' when none is."""
    return keys.read(settings, keys.AUDITOR_NAME).strip()


def ask_auditor_name(
    settings: QSettings,
    run_dialog: Callable[[QDialog], bool],
    suggested: str = "",
    parent: QWidget | None = None,
) -> str:
    """The name set before, or asked for now and kept ('' when the auditor declines)."""
    name = stored_name(settings)
    if name:
        return name
    dialog = AuditorNameDialog(suggested, parent)
    if run_dialog(dialog) and dialog.name():
        keys.write(settings, keys.AUDITOR_NAME, dialog.name())
        settings.sync()
        return dialog.name()
    return ""
