"""Where the system's file dialogs open: the name box never starts as a folder's name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.file_choosers import start_and_pattern


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Documents"
    monkeypatch.setenv("BASELINE_DATA_DIR", str(folder))
    return folder


def test_opening_starts_in_a_folder_with_an_empty_name_box(data_folder: Path) -> None:
    """A folder given without a trailing separator is shown as the file name ("Documents")."""
    start, pattern = start_and_pattern(False)
    assert start == str(data_folder) + os.sep
    assert "*.sqlite" in pattern
    start, pattern = start_and_pattern(False, str(data_folder / "audits.xlsx"))
    assert start == str(data_folder) + os.sep
    assert pattern.startswith("Excel workbooks")


def test_saving_starts_with_a_name_to_keep_or_change(data_folder: Path) -> None:
    assert start_and_pattern(True) == (
        str(data_folder / "audits.sqlite"),
        "Baseline workspaces (*.sqlite *.baseline *.db);;All files (*)",
    )
    start, pattern = start_and_pattern(True, str(data_folder / "DWP 2014 review.pdf"))
    assert start == str(data_folder / "DWP 2014 review.pdf")
    assert pattern.startswith("PDF documents")
