"""No page of a long table holds a lone row: widow and orphan control in RowsTable, checked on
real PDFs read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from exporters.pdf_tables import Column, RowsTable

WIDTH = 400.0
COLUMNS = [Column("Reference"), Column("Post", 2.0)]


def _rows(n: int) -> list[list[str]]:
    return [[f"ROW{i:03d}", f"Post number {i}"] for i in range(1, n + 1)]


def _frame_height(doc: SimpleDocTemplate) -> float:
    return float(doc.height) - 12  # Frame's own padding: 6 pt top and bottom


def _rows_per_page(path: Path) -> list[int]:
    reader = pypdf.PdfReader(path)
    return [len(re.findall(r"ROW\d{3}", page.extract_text())) for page in reader.pages]


def _build(tmp_path: Path, story: list[Flowable]) -> list[int]:
    path = tmp_path / "table.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build(story)
    return _rows_per_page(path)


def _fitting(doc_height: float, rows: int) -> int:
    """How many of `rows` rows fit under the header in `doc_height` points."""
    laid = RowsTable(COLUMNS, _rows(rows), width=WIDTH).laid
    room = doc_height - laid.head_height
    return max(i for i, end in enumerate(laid.ends) if end <= room)


@pytest.fixture
def height(tmp_path: Path) -> float:
    return _frame_height(SimpleDocTemplate(str(tmp_path / "x.pdf"), pagesize=A4))


def test_a_table_one_row_longer_than_a_page_leaves_no_lone_row(
    tmp_path: Path, height: float
) -> None:
    fits = _fitting(height, 200)
    counts = _build(tmp_path, [RowsTable(COLUMNS, _rows(fits + 1), width=WIDTH)])
    assert sum(counts) == fits + 1
    assert counts == [fits - 1, 2]  # one row moved over to keep the last one company


def test_a_table_starting_with_room_for_one_row_starts_on_the_next_page(
    tmp_path: Path, height: float
) -> None:
    laid = RowsTable(COLUMNS, _rows(10), width=WIDTH).laid
    row = laid.ends[1]
    # leave room for the header and one and a half rows at the foot of page 1
    spacer = Spacer(1, height - laid.head_height - row * 1.5)
    counts = _build(tmp_path, [spacer, RowsTable(COLUMNS, _rows(10), width=WIDTH)])
    assert counts == [0, 10]


def test_every_page_of_a_long_table_holds_at_least_two_rows(tmp_path: Path, height: float) -> None:
    fits = _fitting(height, 400)
    for n in (fits * 2 + 1, fits * 3 + 1, 7):
        counts = _build(tmp_path, [RowsTable(COLUMNS, _rows(n), width=WIDTH)])
        assert sum(counts) == n
        assert all(c >= 2 for c in counts if c), counts
