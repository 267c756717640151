"""First run asks the auditor's name; the window fits a 1366×768 screen; View hides panels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from ui.dialogs import AuditorNameDialog
from ui.first_run import ask_auditor_name
from ui.window_room import default_size


def test_the_default_window_fits_a_1366_by_768_laptop() -> None:
    """The window opened at 1280×820: taller than the screen."""
    width, height = default_size(1366, 738)  # 768 less a 30 px panel
    assert width <= 1366 - 16 and height <= 738 - 48
    assert default_size(2560, 1400) == (1280, 820)


def test_the_name_is_asked_once_and_kept(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    asked: list[QDialog] = []

    def answer(dialog: QDialog) -> bool:
        asked.append(dialog)
        assert isinstance(dialog, AuditorNameDialog)
        assert not dialog.ok_button.isEnabled()  # no name, no OK
        dialog.name_edit.setText("  Jane   Smith ")
        assert dialog.ok_button.isEnabled()
        return True

    assert ask_auditor_name(settings, answer) == "Jane Smith"
    assert ask_auditor_name(settings, answer) == "Jane Smith"
    assert len(asked) == 1  # not asked again
    again = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert again.value("auditorName") == "Jane Smith"


def test_declining_keeps_nothing(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert ask_auditor_name(settings, lambda _dialog: False) == ""
    assert settings.value("auditorName") is None
