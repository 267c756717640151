"""Preferences: the auditor's name, set once, which the history records against each change."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.app import settings as keys

AUDITOR_KEY = keys.AUDITOR_NAME.key


def os_user() -> str:
    """The operating-system user: who edits when no name has been set."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        return ""


def auditor_name(settings: QSettings) -> str:
    """The name set in preferences (or given to a new audit), else the operating-system user."""
    return keys.read(settings, keys.AUDITOR_NAME).strip() or os_user()


class PreferencesDialog(QDialog):
    """Edit ▸ Preferences: the auditor's name (blank means the operating-system user)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.auditor = QLineEdit(keys.read(settings, keys.AUDITOR_NAME), self)
        self.auditor.setObjectName("auditorName")
        self.auditor.setAccessibleName("Auditor name")
        self.auditor.setPlaceholderText(os_user())
        self.auditor.setMinimumWidth(320)
        note = QLabel(
            "Every change you make is recorded in the audit's history under this name, and new "
            "audits name you as their auditor. Left blank, your computer login "
            f"({os_user() or 'unknown'}) is used.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Auditor name:", self.auditor)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Keep the name (blank: back to the operating-system user)."""
        keys.write(self.settings, keys.AUDITOR_NAME, self.auditor.text().strip())
        super().accept()
