"""An import that meets a full disk: one clear message (said once), nothing written, and the
wizard still there to try again. Needs root to mount a small file system; skipped otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from desktop.main_window import MainWindow
from models.store import Store
from tests.importers.foreign_files import DWP_WMI_CSV
from tests.ui.conftest import DialogScript
from tests.ui.test_import_wizard import DWP, counts, open_on, settle
from tests.ui.test_read_only_media import media  # noqa: F401  (fixture)
from ui.import_wizard_frame import COLUMNS, PREVIEW


def test_a_full_disk_fails_the_import_once_in_words_and_writes_nothing(
    qtbot,
    media: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = media / "audits.sqlite"
    store = Store(path)
    store.add_department(DWP, "DWP")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings, run_dialog=DialogScript(), choose_path=lambda *_: None)
    qtbot.addWidget(window)
    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str, *a: object, **k: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    try:
        wizard = open_on(qtbot, window, DWP_WMI_CSV)
        wizard.next.click()
        assert wizard.page() == COLUMNS
        wizard.next.click()
        assert wizard.page() == PREVIEW
        wizard.preview_page.cycle.setCurrentText("2025")
        settle(qtbot, wizard)
        before = counts(path)
        with (media / "filler").open("wb") as filler:  # the disk fills up meanwhile
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        wizard.next.click()
        settle(qtbot, wizard)
        assert wizard.page() == PREVIEW  # still there, to try again
        assert len(shown) == 1
        assert "the disk is full" in shown[0]
        assert shown[0].lower().count("nothing was changed") == 1, shown[0]
        message = wizard.preview_page.blocked.text()
        assert message.lower().count("nothing was changed") == 1, message
        (media / "filler").unlink()
        assert counts(path) == before
    finally:
        window.close_audit()
        store.close()
