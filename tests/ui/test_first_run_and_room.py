"""First run asks the auditor's name; the window fits a 1366×768 screen; View hides panels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from desktop.version import __version__
from ui.dialogs import AuditorNameDialog
from ui.first_run import ask_auditor_name
from ui.window_room import default_size


def test_the_default_window_fits_a_1366_by_768_laptop() -> None:
    """The window opened at 1280×820: taller than the screen."""
    width, height = default_size(1366, 738)  # 768 less a 30 px panel
    assert width <= 1366 - 16 and height <= 738 - 48
    assert default_size(2560, 1400) == (1280, 820)


def test_the_default_window_fits_1366_by_768_scaled_by_one_and_a_half() -> None:
    """1366×768 at 1.5 leaves about 910×494 logical pixels: the window fits it, frame and all
    (a 480 px floor ran the window's foot, its status bar, under the panel)."""
    width, height = default_size(910, 494)
    assert width <= 910 - 16 and height <= 494 - 48
    assert default_size(600, 400) == (584, 352)  # a tiny screen: the whole room, no more


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


def test_first_start_asks_the_name_and_the_history_uses_it(qtbot, tmp_path: Path) -> None:
    """The app never asked: the history said "root" while the header said "A. Auditor"."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import paths
    from desktop.app import run_gui
    from desktop.cli import build_parser
    from desktop.main_window import MainWindow

    paths.settings_file().unlink()  # a first run
    seen: list[str] = []

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, AuditorNameDialog) and widget.isVisible():
                seen.append("asked")
                widget.name_edit.setText("Jane Smith")
                widget.buttons.accepted.emit()
            elif isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(f"window as {widget.store.actor}")
                assert widget.windowTitle() == "w.sqlite"  # Qt adds " — Baseline 0.1.0" once
                shown = QApplication.applicationDisplayName()
                assert shown == f"Baseline {__version__}"  # name and version in the title
                widget.close()
                return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert run_gui(build_parser().parse_args(["--db", str(tmp_path / "w.sqlite")])) == 0
    assert seen == ["asked", "window as Jane Smith"]


def test_view_commands_hide_the_navigator_and_the_section_list(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    from models.questionnaire import current_questionnaire

    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    window.refresh_navigator()
    window.open_audit(audit.id)
    view = window.audit_view
    commands = window.view_commands
    assert commands["navigator"].shortcut().toString() == "F8"
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert not window.navigator.isVisible()
    commands["navigator"].trigger()
    assert window.navigator.isVisible()
    commands["sections"].trigger()
    assert not view.section_panel.isVisible()
    commands["sections"].trigger()
    assert view.section_panel.isVisible()


def test_the_sign_off_rule_is_set_from_the_tools_menu(qtbot, window, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from models.workspace_rules import separate_sign_off

    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text) or None
    )
    rule = window.sign_off_rule
    assert not rule.isChecked()
    rule.trigger()
    assert rule.isChecked() and separate_sign_off(window.store)
    rule.trigger()
    assert not separate_sign_off(window.store)
    assert warned == []
