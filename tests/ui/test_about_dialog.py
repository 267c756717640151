"""Help ▸ About and Help ▸ Show log folder: version, licence, notices, log folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QTextBrowser

from desktop import crash_log, version
from desktop.main_window import MainWindow
from ui import about_dialog
from ui.about_dialog import AboutDialog

ROOT = Path(__file__).resolve().parents[2]


def help_action(window: MainWindow, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What the file manager was asked to open (no real file manager starts in a test)."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_about_shows_versions_licence_and_third_party_notices(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, opened: list[QUrl]
) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    help_action(window, "About Baseline").trigger()
    (dialog,) = shown
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Versions", "Licence", "Third-party notices", "Licence texts"]
    versions = dialog.findChild(QPlainTextEdit, "versions").toPlainText()
    assert versions.startswith(f"Baseline {version.__version__}")
    assert "Qt 6." in versions and "SQLite 3." in versions
    assert str(window.store.path) in versions and str(crash_log.log_dir()) in versions
    licence = dialog.findChild(QPlainTextEdit, "Baseline-MIT").toPlainText()
    assert licence == (ROOT / "LICENSE").read_text()
    notices = dialog.findChild(QTextBrowser, "notices").toPlainText()
    assert "LGPL-3.0" in notices and "Relinking and replacing Qt" in notices
    assert "Noto Sans" in notices
    chooser = dialog.findChild(QComboBox)
    names = [chooser.itemText(i) for i in range(chooser.count())]
    assert {"LGPL-3.0", "GPL-3.0", "Apache-2.0", "OFL-1.1 (Noto Sans)"} <= set(names)
    chooser.setCurrentText("LGPL-3.0")
    text = dialog.findChild(QPlainTextEdit, "licence-text").toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text
    dialog.log_button.click()
    assert [u.toLocalFile() for u in opened] == [str(crash_log.log_dir())]
    dialog.close()


def test_help_show_log_folder_opens_the_folder_in_the_data_folder(
    window: MainWindow, opened: list[QUrl], tmp_path: Path
) -> None:
    help_action(window, "Show log folder").trigger()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "data" / "logs")]
    assert (tmp_path / "data" / "logs").is_dir()  # made if the app never logged yet


def test_show_log_folder_says_where_it_is_when_nothing_opens_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(about_dialog.QMessageBox, "information", lambda *a: told.append(a[2]))
    dialog = AboutDialog(None, version.version_lines(), tmp_path / "logs", tmp_path / "w.sqlite")
    qtbot.addWidget(dialog)
    assert about_dialog.show_log_folder(dialog, tmp_path / "logs") is False
    assert told == [f"The log files are in:\n{tmp_path / 'logs'}"]


def test_version_option_prints_app_qt_sqlite_and_libraries() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "main.py", "--version"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Baseline {version.__version__} (source, {sys.platform})"
    assert lines[1].startswith("Python 3.") and lines[2].startswith("Qt 6.")
    assert lines[3].startswith("SQLite 3.")
    for dist in ("sqlite-utils", "openpyxl", "reportlab", "orjson", "python-calamine"):
        assert any(line.startswith(f"{dist} ") and line[len(dist) + 1].isdigit()
                   for line in lines), dist  # fmt: skip
    assert lines[-1] == "C speed-ups: _rl_accel, orjson, python_calamine"


def test_installed_entry_point_prints_the_version() -> None:
    from desktop.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0


def test_library_version_falls_back_to_the_module_and_says_when_missing() -> None:
    assert version.library_version("no-such-distribution", "yaml") != "not installed"
    assert version.library_version("no-such-distribution", "no_such_module") == "not installed"


def test_every_runtime_dependency_is_named_with_its_version() -> None:
    """A library added to pyproject.toml is listed by --version and About as well."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0] for d in project["dependencies"]}
    listed = {dist for dist, _module in version.LIBRARIES}
    assert wanted - {"PySide6-Addons"} <= listed  # Addons: the same Qt as Essentials
    lines = version.version_lines()
    for dist in sorted(wanted - {"PySide6-Essentials", "PySide6-Addons"}):
        found = [line for line in lines if line.startswith(f"{dist} ")]
        assert found and found[0][len(dist) + 1].isdigit(), (dist, found)
