"""A CSV that stops part-way through its last row (an interrupted download) is refused,
naming the row, instead of importing the row's first columns as if whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.readers import open_source
from importers.source_table import ImportFileError

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
DWP = SAMPLES / "04_wmi_dwp_2025-01.csv"


def read(path: Path) -> list[list[object]]:
    book = open_source(path)
    try:
        return list(book.rows(book.sheet_names()[0]))
    finally:
        book.close()


def test_a_download_cut_off_mid_row_is_refused(tmp_path: Path) -> None:
    raw = DWP.read_bytes()
    cut = tmp_path / "dwp_wmi_truncated.csv"
    cut.write_bytes(raw[: raw.find(b"The Pensions Regulator") + 120])  # ends ',947,'
    with pytest.raises(ImportFileError) as caught:
        read(cut)
    assert caught.value.row == 4
    assert "stops part-way through its last row (19 of 41 cells, no line end)" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2,3\n4,5\n",  # a short last row that ends its line: as written
        "a,b,c\n1,2,3\nSource: ONS",  # a note with no line end
        "a,b,c\n1,2,3\n4,5,6",  # a whole last row with no line end
        "a,b,c\n1,2\n3,4",  # as wide as the row before it
    ],
)
def test_files_that_end_whole_are_read(tmp_path: Path, text: str) -> None:
    path = tmp_path / "whole.csv"
    path.write_text(text, encoding="utf-8")
    assert read(path)[-1] == text.rstrip("\n").rsplit("\n", 1)[-1].split(",")


def test_every_sample_still_reads_to_its_last_row() -> None:
    assert len(read(DWP)) == 5  # header and four bodies (its headers hold line breaks)
    dexeu = SAMPLES / "wmi" / "dexeu_2018-04_stacked3-mojibake-pound.csv"
    assert not dexeu.read_bytes().endswith(b"\n")  # ends with a whole row and no line end
    assert len(read(dexeu)[-1]) > 2
