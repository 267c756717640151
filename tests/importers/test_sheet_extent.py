"""A workbook is sized from what its cells really reach (every xlsx cell reference, every
repeated ODS row, cell and run of spaces) and refused, naming file and sheet, before
calamine builds a grid: a few kilobytes must not ask for hundreds of gigabytes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.file_guards import inspect_file
from importers.ods_reader import OdsError, OdsWorkbook
from importers.readers import open_source
from importers.sheet_extent import MAX_SPACES, scan_ods_content, scan_xlsx_sheet
from importers.source_table import ImportFileError
from tests.importers import bad_files

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Opens and reads every sheet in a child capped at 3 GB of address space, so a guard that
# lets a bomb through fails this test (the child aborts) instead of taking the machine.
CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
sys.path.insert(0, sys.argv[2])
from importers.readers import open_source
from importers.source_table import ImportFileError
try:
    book = open_source(sys.argv[1])
    for sheet in book.sheet_names():
        for _ in book.rows(sheet):
            pass
    book.close()
    print(json.dumps({"read": True}))
except ImportFileError as exc:
    print(json.dumps({"sheet": exc.sheet, "message": exc.message, "text": str(exc)}))
"""


def opened_in_child(path: Path) -> dict[str, object]:
    """What open_source made of the file in a memory-capped child: a refusal or a read."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the reader died ({done.returncode}): {done.stderr[-500:]}"
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def sheet(rows: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1:C2"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Department</t></is></c></row>'


@pytest.mark.parametrize(
    "row",
    [
        # the attack: one far cell in a row that says 2, in a sheet whose dimension says A1:C2
        '<row r="2"><c r="A2"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',
        # the far cell first, ordinary ones after it
        '<row r="2"><c r="XFD900000"><v>1</v></c><c r="B2"><v>1</v></c></row>',
        # single quotes and spaces round the equals sign, as XML allows
        "<row r=\"2\"><c r = 'XFD900000'><v>1</v></c></row>",
        # lower-case letters, which calamine reads as columns all the same
        '<row r="2"><c r="xfd900000"><v>1</v></c></row>',
        # a far row tag followed by a near one; the wide cell sets the width
        '<row r="900000"><c><v>1</v></c></row><row r="3"><c r="XFD3"><v>1</v></c></row>',
    ],
)
def test_far_cell_references_are_refused_before_calamine(tmp_path: Path, row: str) -> None:
    path = bad_files.raw_xlsx(tmp_path / "returned.xlsx", sheet(HEADER + row))
    result = opened_in_child(path)
    assert result.get("sheet") == "Data", result
    assert str(result["text"]).startswith("returned.xlsx, sheet 'Data': ")
    assert "rows" in str(result["message"])


def test_a_far_cell_past_the_first_megabyte_is_found(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 60_000))
    far = '<row r="60000"><c r="XFD60000"><v>1</v></c><c r="A60000"><v>1</v></c></row>'
    tail = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(60_001, 61_000))
    path = bad_files.raw_xlsx(tmp_path / "long.xlsx", sheet(HEADER + rows + far + tail))
    result = opened_in_child(path)
    assert result.get("sheet") == "Data", result
    assert "spans 60,999 rows by 16,384 columns" in str(result["message"])


@pytest.mark.parametrize(
    ("prefix", "blank_row"),
    [("", "<row/>"), ("", "<row></row>"), ("x:", "<x:row/>"), ("", '<row\tspans="1:1"/>')],
)
def test_rows_and_cells_without_references_are_counted(
    tmp_path: Path, prefix: str, blank_row: str
) -> None:
    """Rows and cells with no r= are placed by counting: 300,000 of them under a cell in
    column XFD make a grid of five billion cells, whatever <dimension> says."""
    main = f' xmlns:x="{MAIN}"' if prefix else f' xmlns="{MAIN}"'
    x = prefix
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><{x}worksheet{main}>'
        f'<{x}dimension ref="A1:C2"/><{x}sheetData>'
        f'<{x}row r="1"><{x}c r="A1"><{x}v>1</{x}v></{x}c><{x}c r="XFD1"><{x}v>1</{x}v>'
        f"</{x}c></{x}row>" + blank_row * 300_000 + f"<{x}row><{x}c><{x}v>2</{x}v></{x}c>"
        f"</{x}row></{x}sheetData></{x}worksheet>"
    ).encode()
    result = opened_in_child(bad_files.raw_xlsx(tmp_path / "counted.xlsx", xml))
    assert result.get("sheet") == "Data", result
    assert "300,002 rows" in str(result["message"])


def test_ordinary_sheets_still_read(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="AB{r}"><v>2</v></c></row>'
        for r in range(2, 5000)
    )
    path = bad_files.raw_xlsx(tmp_path / "fine.xlsx", sheet(HEADER + rows))
    book = open_source(path)
    try:
        assert sum(1 for _ in book.rows("Data")) == 4999
    finally:
        book.close()


REF = st.tuples(st.integers(1, 3000), st.integers(1, 800))


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(REF, max_size=4), min_size=1, max_size=30),
    quote=st.sampled_from(['"', "'"]),
)
def test_the_scan_reaches_every_reference(rows: list[list[tuple[int, int]]], quote: str) -> None:
    """Whatever order and quoting the references come in, the extent covers them all."""
    xml = "".join(
        f'<row r="{number}">'
        + "".join(f"<c r={quote}{_letters(c)}{r}{quote}><v>1</v></c>" for r, c in cells)
        + "</row>"
        for number, cells in enumerate(rows, start=1)
    )
    _count, reach_rows, reach_columns = scan_xlsx_sheet(io.BytesIO(sheet(xml)), None)
    cells = [cell for row in rows for cell in row]
    assert reach_rows >= max([len(rows), *(r for r, _ in cells)])
    assert reach_columns >= max([1, *(c for _, c in cells)])
    assert reach_rows == max([len(rows), *(r for r, _ in cells)])


CELL = st.tuples(st.one_of(st.none(), REF), st.sampled_from(['"', "'"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.one_of(st.none(), st.integers(1, 3000)), st.lists(CELL, max_size=4)),
        min_size=1,
        max_size=12,
    )
)
def test_the_scan_reaches_as_far_as_calamine_places_cells(
    rows: list[tuple[int | None, list[tuple[tuple[int, int] | None, str]]]],
) -> None:
    """With and without r= on rows and cells, in any quoting, the scan's extent is never
    smaller than the grid calamine builds from the same sheet."""
    import python_calamine

    xml = "".join(
        ("<row>" if number is None else f'<row r="{number}">')
        + "".join(
            "<c><v>1</v></c>"
            if ref is None
            else f"<c r={q}{_letters(ref[1])}{ref[0]}{q}><v>1</v></c>"
            for ref, q in cells
        )
        + "</row>"
        for number, cells in rows
    )
    data = sheet(xml)
    _count, reach_rows, reach_columns = scan_xlsx_sheet(io.BytesIO(data), None)
    with tempfile.TemporaryDirectory() as folder:
        path = bad_files.raw_xlsx(Path(folder) / "s.xlsx", data)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name("Data")
        end = grid.end
        book.close()
    if end is not None:
        assert reach_rows >= end[0] + 1 and reach_columns >= end[1] + 1, (end, reach_rows)


# --- ODS ------------------------------------------------------------------------------------

ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Data">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Department</text:p>'
    "</table:table-cell></table:table-row>"
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods(path: Path, rows: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", ODS_HEAD + rows + ODS_TAIL, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def test_a_huge_run_of_spaces_is_refused_everywhere(tmp_path: Path) -> None:
    path = ods(
        tmp_path / "return.ods",
        '<table:table-row><table:table-cell office:value-type="string">'
        '<text:p>DWP<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>',
    )
    result = opened_in_child(path)
    assert result.get("sheet") == "Data", result
    assert "run of 2,000,000,000 spaces" in str(result["message"])
    with pytest.raises(OdsError, match=r"return\.ods, sheet 'Data': holds a run of"):
        OdsWorkbook(path)  # the reader of the app's own workbooks


def test_repeated_cells_count_against_the_cell_limit(tmp_path: Path) -> None:
    path = ods(
        tmp_path / "return.ods",
        '<table:table-row table:number-rows-repeated="6000"><table:table-cell '
        'office:value-type="string" table:number-columns-repeated="16384"><text:p>DWP'
        "</text:p></table:table-cell></table:table-row>",
    )
    result = opened_in_child(path)
    assert result.get("sheet") == "Data", result
    assert "spans 6,001 rows by 16,384 columns" in str(result["message"])


def test_repeated_runs_of_spaces_are_counted_with_their_repeats(tmp_path: Path) -> None:
    path = ods(
        tmp_path / "return.ods",
        '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
        'office:value-type="string" table:number-columns-repeated="1000"><text:p>'
        f'<text:s text:c="{MAX_SPACES}"/></text:p></table:table-cell></table:table-row>',
    )
    with pytest.raises(ImportFileError) as caught:
        inspect_file(path)
    assert caught.value.sheet == "Data"
    assert "runs of spaces would expand" in caught.value.message


def test_a_blank_end_of_a_million_repeated_rows_is_read(tmp_path: Path) -> None:
    """What LibreOffice writes after every sheet: empty, styled, repeated to the last row."""
    path = ods(
        tmp_path / "saved.ods",
        '<table:table-row><table:table-cell office:value-type="float" office:value="3">'
        "<text:p>3</text:p></table:table-cell><table:table-cell "
        'table:number-columns-repeated="1023"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>',
    )
    book = open_source(path)
    try:
        assert list(book.rows("Data")) == [["Department"], [3.0]]
    finally:
        book.close()
    assert OdsWorkbook(path)["Data"].rows == [("Department",), (3,)]


def test_another_prefix_for_the_table_namespace_is_counted_too(tmp_path: Path) -> None:
    """lxml reads any prefix bound to the namespaces (calamine only table: and text:)."""
    head = ODS_HEAD.replace("xmlns:table=", "xmlns:tb=").replace("table:", "tb:")
    content = (
        head.replace("xmlns:text=", "xmlns:tx=").replace("text:", "tx:")
        + '<tb:table-row><tb:table-cell office:value-type="string"><tx:p>'
        + '<tx:s tx:c="2000000000"/></tx:p></tb:table-cell></tb:table-row>'
        + ODS_TAIL.replace("table:", "tb:")
    )
    path = tmp_path / "prefixed.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    with pytest.raises(OdsError, match=r"prefixed\.ods, sheet 'Data': holds a run of"):
        OdsWorkbook(path)


ODS_CELL = st.tuples(st.integers(1, 3), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.integers(1, 3), st.lists(ODS_CELL, max_size=4)), min_size=1, max_size=8
    )
)
def test_the_ods_scan_reaches_as_far_as_both_readers(
    rows: list[tuple[int, list[tuple[int, bool]]]],
) -> None:
    """Repeated rows and cells, filled or blank: the scan's extent is never smaller than
    calamine's grid or what the app's own .ods reader keeps."""
    import python_calamine

    body = "".join(
        f'<table:table-row table:number-rows-repeated="{repeat}">'
        + "".join(
            f'<table:table-cell table:number-columns-repeated="{span}" '
            + (
                'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
                if filled
                else "/>"
            )
            for span, filled in cells
        )
        + "</table:table-row>"
        for repeat, cells in rows
    )
    with tempfile.TemporaryDirectory() as folder:
        path = ods(Path(folder) / "r.ods", body)
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            ((name, reach_rows, reach_columns),) = scan_ods_content(path, stream, None)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        end = book.get_sheet_by_name("Data").end
        book.close()
        own = OdsWorkbook(path)["Data"].rows
    assert name == "Data"
    if end is not None:
        assert reach_rows >= end[0] + 1 and reach_columns >= end[1] + 1, (end, reach_rows)
    assert reach_rows >= len(own) and reach_columns >= max(map(len, own), default=0)


def test_a_shared_string_count_no_part_could_hold_is_refused(tmp_path: Path) -> None:
    """calamine sets memory aside for <sst uniqueCount> before reading one string."""
    path = bad_files.raw_xlsx(tmp_path / "counted.xlsx", sheet(HEADER))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" '
            'uniqueCount="2000000000"><si><t>Department</t></si></sst>',
        )
    result = opened_in_child(path)
    assert "declares 2,000,000,000 distinct strings" in str(result.get("message")), result
    honest = bad_files.raw_xlsx(tmp_path / "honest.xlsx", sheet(HEADER))
    with zipfile.ZipFile(honest, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>Department</t></si></sst>',
        )
    assert opened_in_child(honest) == {"read": True}


def test_cells_without_references_count_on_across_a_block_boundary() -> None:
    """A row of referenced cells up to column 16,000 cut at a block boundary, then cells
    with no reference: calamine places those from column 16,001 on, and so does the scan."""
    from importers.source_table import CHUNK

    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
    cells = "".join(f'<c r="{_letters(c)}1"><v>{c}</v></c>' for c in range(1, 16_001))
    pad = CHUNK - 100 - len(head) - len(cells)
    assert pad > 0
    first = f'<c r="{_letters(16_000)}1" t="inlineStr"><is><t>{"x" * pad}</t></is></c>'
    spanning = f'<c t="inlineStr"><is><t>{"y" * 2000}</t></is></c>'  # over the boundary
    rest = "<c><v>1</v></c>" * 1000 + "</row></sheetData></worksheet>"
    data = (head + cells + first + spanning + rest).encode()
    assert data.find(b"<c t=") < CHUNK < data.find(b"</c>", data.find(b"<c t="))
    _count, rows, columns = scan_xlsx_sheet(io.BytesIO(data), None)
    assert (rows, columns) == (1, 17_001)
