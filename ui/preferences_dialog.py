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

AUDITOR_KEY = "auditorName"


def os_user() -> str:
    """The operating-system user: who edits when no name has been set."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        return ""


def auditor_name(settings: QSettings) -> str:
    """The name set in preferences, else the operating-system user."""
    name = settings.value(AUDITOR_KEY, "")
    return (name if isinstance(name, str) else "").strip() or os_user()


def preferred_auditor(settings: QSettings) -> str:
    """What a new audit's Auditor field starts with: the name set in preferences, else the
    name last typed there (a computer login is rarely how an auditor signs)."""
    for key in (AUDITOR_KEY, "auditor"):
        name = settings.value(key, "")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return ""


class PreferencesDialog(QDialog):
    """Edit ▸ Preferences: the auditor's name (blank means the operating-system user)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        stored = settings.value(AUDITOR_KEY, "")
        self.auditor = QLineEdit(stored if isinstance(stored, str) else "", self)
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
        self.settings.setValue(AUDITOR_KEY, self.auditor.text().strip())
        super().accept()
