"""An export that fails says so in one sentence: 'the disk is full … unchanged.', not '..'
(the exporter's own reason ends with a full stop; a system error's does not)."""

from __future__ import annotations

import errno
from pathlib import Path

from exporters.progress import no_room_error
from ui.workbook_actions import error_text


def test_a_full_disk_reads_as_one_sentence(tmp_path: Path) -> None:
    text = error_text(no_room_error(tmp_path / "moj.xlsx"))
    assert text.startswith(f"Could not write {tmp_path / 'moj.xlsx'}: there is no room")
    assert text.endswith("unchanged.") and not text.endswith("..")


def test_a_system_error_gets_its_full_stop(tmp_path: Path) -> None:
    error = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "a.xlsx"))
    assert error_text(error) == f"Could not write {tmp_path / 'a.xlsx'}: Permission denied."
