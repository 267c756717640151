"""Every setting the app keeps, declared once: its key, its type and its default.

Read and write them through `read` and `write`, never with a bare key, so a key is spelt
in one place and a value of the wrong type (an INI file edited by hand) reads as the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

T = TypeVar("T", str, QByteArray)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One remembered value."""

    key: str
    kind: type[T]
    default: T


WORKSPACE = Setting("workspace", str, "")  # the workspace open last
AUDIT = Setting("audit", str, "")  # the audit open last, reopened on start-up
SECTION = Setting("section", str, "")  # the form's section shown last
AUDITOR_NAME = Setting("auditorName", str, "")  # who the history names; new audits' auditor
WORKBOOK_FOLDER = Setting("workbookFolder", str, "")  # where workbooks were last chosen
REPORT_FOLDER = Setting("reportFolder", str, "")
PACKAGE_FOLDER = Setting("packageFolder", str, "")
GEOMETRY = Setting("geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("windowState", QByteArray, QByteArray())
SPLITTER = Setting("splitter", QByteArray, QByteArray())
AUDIT_SPLITTER = Setting("auditSplitter", QByteArray, QByteArray())

ALL: tuple[Setting[str] | Setting[QByteArray], ...] = (
    WORKSPACE,
    AUDIT,
    SECTION,
    AUDITOR_NAME,
    WORKBOOK_FOLDER,
    REPORT_FOLDER,
    PACKAGE_FOLDER,
    GEOMETRY,
    WINDOW_STATE,
    SPLITTER,
    AUDIT_SPLITTER,
)

# Keys an earlier version kept, and the setting each now lives in.
_RENAMED = {"auditor": AUDITOR_NAME}  # the name last typed for a new audit: the same idea


def read(settings: QSettings, setting: Setting[T]) -> T:
    """The stored value, or the default when none is stored or it is of another type."""
    value = settings.value(setting.key)
    if isinstance(value, setting.kind):
        return value
    return setting.default


def write(settings: QSettings, setting: Setting[T], value: T) -> None:
    settings.setValue(setting.key, value)


def migrate(settings: QSettings) -> None:
    """Move values kept under old keys to their settings (the stored one wins), once."""
    for old, setting in _RENAMED.items():
        if not settings.contains(old):
            continue
        value = settings.value(old)
        current = settings.value(setting.key)
        has_current = isinstance(current, str) and current.strip()
        if isinstance(value, str) and value.strip() and not has_current:
            settings.setValue(setting.key, value.strip())
        settings.remove(old)


def start_folder(settings: QSettings, setting: Setting[str]) -> str:
    """The folder a file chooser opens in: the one last used, else Documents, else home."""
    folder = read(settings, setting)
    if folder and Path(folder).is_dir():
        return folder
    documents = QStandardPaths.StandardLocation.DocumentsLocation
    return QStandardPaths.writableLocation(documents) or str(Path.home())
