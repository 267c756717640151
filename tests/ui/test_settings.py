"""Settings are declared once (key, type, default); the old 'auditor' key moves to 'auditorName'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop.main_window import MainWindow
from models.store import Store
from ui.app import settings as keys


def ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_every_key_is_declared_once() -> None:
    names = [s.key for s in keys.ALL]
    assert len(names) == len(set(names))
    assert "auditor" not in names


def test_the_old_auditor_key_moves_to_the_one_name(tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("auditor", "  Siân Ŵyn ")
    keys.migrate(settings)
    assert keys.read(settings, keys.AUDITOR_NAME) == "Siân Ŵyn"
    assert not settings.contains("auditor")
    settings.sync()
    assert keys.read(ini(tmp_path), keys.AUDITOR_NAME) == "Siân Ŵyn"  # kept on disk


def test_a_name_set_in_preferences_wins_over_the_old_key(tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("auditorName", "Eluned Morgan")
    settings.setValue("auditor", "Someone typed once")
    keys.migrate(settings)
    assert keys.read(settings, keys.AUDITOR_NAME) == "Eluned Morgan"
    assert not settings.contains("auditor")


def test_a_blank_old_name_is_dropped_and_nothing_else_changes(tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("auditor", "   ")
    settings.setValue("workspace", "/somewhere/w.sqlite")
    keys.migrate(settings)
    assert not settings.contains("auditor") and not settings.contains("auditorName")
    assert keys.read(settings, keys.WORKSPACE) == "/somewhere/w.sqlite"


def test_a_value_of_the_wrong_type_reads_as_the_default(tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("geometry", "edited by hand")
    assert keys.read(settings, keys.GEOMETRY) == QByteArray()
    settings.setValue("section", QByteArray(b"\x00\x01"))
    assert keys.read(settings, keys.SECTION) == ""


def test_the_window_migrates_the_settings_it_is_given(qtbot, tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("auditor", "Old Name")
    store = Store(tmp_path / "w.sqlite")
    window = MainWindow(store, settings, choose_path=lambda *_: None)
    qtbot.addWidget(window)
    assert settings.value("auditorName") == "Old Name" and not settings.contains("auditor")
    window.close()
    store.close()
