"""The auditor's name, asked once at first run, so the history never says "root"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from ui.dialogs import AuditorNameDialog
from ui.preferences_dialog import AUDITOR_KEY  # the setting Edit ▸ Preferences writes


def stored_name(settings: QSettings) -> str:
    value = settings.value(AUDITOR_KEY, "")
    return value.strip() if isinstance(value, str) else ""


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
        settings.setValue(AUDITOR_KEY, dialog.name())
        settings.sync()
        return dialog.name()
    return ""
