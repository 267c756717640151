"""A percentage column is judged whole: numbers all from -1 to 1 are fractions (Excel keeps
45% as 0.45), a column with any number beyond is whole percentages (5, 20, 1 means 1%).
The same table gives the same stored values from CSV, XLSX and ODS, though a spreadsheet
hands every number over as a float (1 -> 1.0) and a CSV as text."""

from __future__ import annotations

import csv
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from importers.foreign_plan import read_foreign
from models.questionnaire import current_questionnaire

QUESTIONNAIRE = current_questionnaire()
HEADER = ["Post reference", "Job title", "Grade", "Time managing contracts (%)"]
TITLES = ["Chief Digital Officer", "Head of IT", "Chief Technology Officer", "CISO", "CDO"]


def table(values: list[Any]) -> list[list[Any]]:
    return [HEADER] + [
        [f"P{i}", TITLES[i % len(TITLES)], "SCS1", value] for i, value in enumerate(values)
    ]


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], percent_format: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if percent_format:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
            cell.number_format = "0%"
    book.save(path)
    return path


def _ods_cell(value: Any, percent: bool) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        kind = "percentage" if percent else "float"
        return (
            f'<table:table-cell office:value-type="{kind}" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def write_ods(path: Path, rows: list[list[Any]], percent: bool = False) -> Path:
    body = "".join(
        "<table:table-row>"
        + "".join(_ods_cell(v, percent and i == 3) for i, v in enumerate(row))
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Roles">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def stored(path: Path) -> list[float | None]:
    """The percentages the import would store, row by row, read through the real pipeline."""
    foreign = read_foreign(path, QUESTIONNAIRE)
    try:
        recognition = foreign.recognitions[0]
        assert recognition.mapping.target == "senior_roles"
        rows = foreign.rows_for(0, recognition.mapping, QUESTIONNAIRE)
        assert all(not row.problems for row in rows), [row.problems for row in rows]
        return [row.cells.get("contract_mgmt_pct") for row in rows]
    finally:
        foreign.close()


def in_every_format(folder: Path, values: list[Any]) -> dict[str, list[float | None]]:
    rows = table(values)
    return {
        "csv": stored(write_csv(folder / "roles.csv", rows)),
        "xlsx": stored(write_xlsx(folder / "roles.xlsx", rows)),
        "ods": stored(write_ods(folder / "roles.ods", rows)),
    }


def test_whole_percentages_keep_their_one(tmp_path: Path) -> None:
    """The attack's table: 5, 20, 1 is 5%, 20% and 1% from every format (XLSX gave 100%)."""
    assert in_every_format(tmp_path, [5, 20, 1]) == {
        "csv": [5.0, 20.0, 1.0],
        "xlsx": [5.0, 20.0, 1.0],
        "ods": [5.0, 20.0, 1.0],
    }


def test_a_half_percent_among_whole_ones_is_half_a_percent(tmp_path: Path) -> None:
    """0.5 in a column of 5, 20 is 0.5% (CSV gave 50% before: its text had a point)."""
    assert set(map(tuple, in_every_format(tmp_path, [5, 20, 0.5]).values())) == {(5.0, 20.0, 0.5)}


def test_fractions_are_percentages_from_every_format(tmp_path: Path) -> None:
    """A column kept as Excel keeps 5%, 20%, 1% (0.05, 0.2, 0.01) is 5, 20, 1."""
    assert set(map(tuple, in_every_format(tmp_path, [0.05, 0.2, 0.01]).values())) == {
        (5.0, 20.0, 1.0)
    }
    percent = tmp_path / "percent"
    percent.mkdir()
    rows = table([0.05, 0.2, 1])
    assert stored(write_xlsx(percent / "formatted.xlsx", rows, percent_format=True)) == [
        5.0,
        20.0,
        100.0,
    ]
    assert stored(write_ods(percent / "formatted.ods", rows, percent=True)) == [5.0, 20.0, 100.0]


def test_percent_signs_decide_for_themselves(tmp_path: Path) -> None:
    """'1%' is 1% and '0.5' among '5%', '20%' is judged with no signed cell counted."""
    rows = table(["5%", "20%", "1%"])
    assert stored(write_csv(tmp_path / "signed.csv", rows)) == [5.0, 20.0, 1.0]
    assert stored(write_xlsx(tmp_path / "signed.xlsx", rows)) == [5.0, 20.0, 1.0]


POINTS = st.one_of(
    st.integers(0, 100).map(float),
    st.decimals(0, 100, places=1).map(float),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(POINTS, min_size=1, max_size=6), as_fractions=st.booleans())
def test_the_same_table_stores_the_same_values_whatever_the_format(
    values: list[float], as_fractions: bool
) -> None:
    """Every format agrees; whole percentages with one above 1 and fractions come back as
    the percentages they are (a column of points all within 0 to 1 is read as fractions)."""
    written: list[Any] = [round(v / 100, 6) if as_fractions else v for v in values]
    with tempfile.TemporaryDirectory() as folder:
        results = in_every_format(Path(folder), written)
    assert results["csv"] == results["xlsx"] == results["ods"], results
    if as_fractions or max(values) > 1:
        assert results["csv"] == pytest.approx(values)
    else:
        assert results["csv"] == pytest.approx([v * 100 for v in values])
