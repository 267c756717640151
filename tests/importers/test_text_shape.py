"""CSV scanning bounded by cells, not lines: a huge file of separators is refused fast and in
bounded memory; special files are refused by name (issue 17, item 7)."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from importers.file_guards import MAX_CELLS, check_text_shape, inspect_file
from importers.readers import open_source
from importers.source_table import ImportFileError


def test_100_mb_of_commas_is_refused_fast_and_in_bounded_memory(tmp_path: Path) -> None:
    """Before: 143 s and 2.5 GB before being refused."""
    path = tmp_path / "commas.csv"
    block = b"," * (1 << 20)
    with path.open("wb") as fh:
        for _ in range(100):
            fh.write(block)
    tracemalloc.start()
    began = time.perf_counter()
    try:
        with pytest.raises(ImportFileError, match="has a line of more than 4 MB"):
            open_source(path)
        took = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert took < 10, took
    assert peak < 64 * 1024 * 1024, peak


def test_many_short_lines_of_separators_are_refused_by_cells(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    line = b"," * 999 + b"\n"  # 1,000 cells a line
    with path.open("wb") as fh:
        for _ in range(MAX_CELLS // 1000 + 10):
            fh.write(line)
    with pytest.raises(ImportFileError, match=f"more than {MAX_CELLS:,} cells"):
        check_text_shape(path)


def test_an_ordinary_csv_passes(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("post_ref,grade\nDIG-01,SCS2\n" + "x" * 100_000 + ",1\n", encoding="utf-8")
    check_text_shape(path, chunk_size=4096)
    assert inspect_file(path).kind == "csv"


def test_a_fifo_is_refused_by_name_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match=r"is a named pipe \(FIFO\), not a file"):
        inspect_file(fifo)
