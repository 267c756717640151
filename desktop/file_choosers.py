"""The system's file dialogs, as the window's default chooser (tests inject their own)."""

from __future__ import annotations

import os
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


def start_and_pattern(save: bool, suggested: str = "") -> tuple[str, str]:
    """Where a file dialog opens and what it lists: a folder always ends with a separator,
    so the dialog's name box starts empty (never "Documents"), and a save starts named."""
    pattern = "Baseline workspaces (*.sqlite *.baseline *.db);;All files (*)"
    folder, name = paths.data_dir(), "audits.sqlite"
    document = _DOCUMENT_PATTERNS.get(Path(suggested).suffix.lower()) if suggested else None
    if document is not None:
        pattern = document
        folder, name = Path(suggested).parent, Path(suggested).name
    if save:
        return str(folder / name), pattern
    return str(folder).rstrip(os.sep) + os.sep, pattern


def choose_file(title: str, save: bool, suggested: str = "") -> Path | None:
    """A file chosen by the user; a suggested '.xlsx' or '.pdf' path says which kind."""
    start, pattern = start_and_pattern(save, suggested)
    if save:
        name, kind = QFileDialog.getSaveFileName(None, title, start, pattern)
        if name and "*.ods)" in kind and not Path(name).suffix:
            name += ".ods"  # OpenDocument chosen in the dialog, the name typed without it
    else:
        name, _ = QFileDialog.getOpenFileName(None, title, start, pattern)
    return Path(name) if name else None
