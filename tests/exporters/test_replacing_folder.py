"""An export whose target name is taken by a folder says so, not 'Is it open in Excel?'."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters.progress import replacing


def test_a_folder_in_the_way_is_named_as_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "DWP-2014-review.pdf"
    target.mkdir()
    with pytest.raises(OSError) as caught, replacing(target) as temp:
        temp.write_bytes(b"%PDF-1.4")
    assert "is a folder" in str(caught.value)
    assert "Excel" not in str(caught.value)
    # callers print the path beside the reason ('…/DWP-2014-review.pdf: it is a folder…'):
    # the reason naming it again gave the name twice (report --all, the Excel export dialog)
    assert caught.value.filename == str(target) and target.name not in str(caught.value.strerror)
    assert target.is_dir() and list(tmp_path.iterdir()) == [target]  # nothing left beside it
