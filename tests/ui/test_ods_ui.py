"""File ▸ Export to Excel as OpenDocument (.ods), and importing that .ods back."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.main_window import MainWindow
from tests.ui.conftest import DialogScript
from tests.ui.test_workbook_ui import (
    POST,
    add_audit,
    menu_action,
    script_chooser,
    wait_for_task,
)
from ui.import_preview import ImportPreviewDialog


def test_export_as_ods_then_import_it_back(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    audit_id = add_audit(window)
    window.open_audit(audit_id)
    exported = tmp_path / "dft.ods"
    script_chooser(window, exported)
    menu_action(window, "File", "Export to Excel", "This audit…").trigger()
    wait_for_task(qtbot, window)
    with zipfile.ZipFile(exported) as archive:  # kept as .ods, not renamed .ods.xlsx
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert str(exported) in window.statusBar().currentMessage()

    window.close_audit()
    window.store.set_answer(audit_id, POST, "Head of Digital")  # changed since the export
    window.open_audit(audit_id)

    def check_preview(dialog: ImportPreviewDialog) -> bool:
        assert isinstance(dialog, ImportPreviewDialog)
        assert "Update Department for Transport, 2013 baseline: 1 change(s)." in (
            dialog.summary.text()
        )
        assert dialog.problems_view is None
        return True

    script_chooser(window, exported)
    dialogs.then(check_preview)
    window.import_workbook_dialog()
    wait_for_task(qtbot, window)
    assert len(dialogs.seen) == 1
    assert window.store.answer(audit_id, POST) == "Chief Digital Officer"
