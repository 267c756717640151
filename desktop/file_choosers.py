"""The system's file dialogs, as the window's default chooser (tests inject their own)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desktop import paths

_DOCUMENT_PATTERNS = {
    ".xlsx": (
        "Excel workbooks (*.xlsx);;OpenDocument spreadsheets (*.ods);;"
        "Spreadsheets (*.xlsx *.ods);;All files (*)"
    ),
    ".pdf": "PDF documents (*.pdf);;All files (*)",
    ".docx": "Word documents (*.docx);;All files (*)",
    ".baseline-package": "Audit packages (*.baseline-package);;All files (*)",
}


def choose_file(title: str, save: bool, suggested: str = "") -> Path | None:
    """A file chosen by the user; a suggested '.xlsx' or '.pdf' path says which kind."""
    pattern = "Baseline workspaces (*.sqlite *.baseline *.db);;All files (*)"
    start = str(paths.data_dir())
    document = _DOCUMENT_PATTERNS.get(Path(suggested).suffix.lower()) if suggested else None
    if document is not None:
        pattern = document
        start = suggested if save else str(Path(suggested).parent)
    if save:
        name, kind = QFileDialog.getSaveFileName(None, title, start, pattern)
        if name and "*.ods)" in kind and not Path(name).suffix:
            name += ".ods"  # OpenDocument chosen in the dialog, the name typed without it
    else:
        name, _ = QFileDialog.getOpenFileName(None, title, start, pattern)
    return Path(name) if name else None
