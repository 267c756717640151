"""open_source reads real CSV, XLSX, XLS and ODS files; every failure is an ImportFileError."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.readers import MAX_ROWS, open_source
from importers.source_table import CellValue, ImportFileError
from models.progress import Cancelled
from tests.importers import bad_files

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def read_all(path: Path) -> dict[str, list[list[CellValue]]]:
    book = open_source(path)
    try:
        return {sheet: list(book.rows(sheet)) for sheet in book.sheet_names()}
    finally:
        book.close()


def refusal(path: Path) -> ImportFileError:
    """open_source's refusal (while opening or reading), checked to name the file, and quick."""
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as caught:
        read_all(path)
    assert time.perf_counter() - started < 3.0
    assert caught.value.path == path
    assert str(caught.value).startswith(path.name)
    return caught.value


def test_dwp_sample_is_windows_1252_with_newlines_in_quoted_headers() -> None:
    path = SAMPLES / "04_wmi_dwp_2025-01.csv"
    book = open_source(path)
    try:
        assert book.kind == "csv"
        assert book.encoding == "cp1252"
        assert book.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
        assert book.warnings == []
        [sheet] = book.sheet_names()
        rows = list(book.rows(sheet))
    finally:
        book.close()
    header = rows[0]
    dwp = next(row for row in rows if row[2] == "Department for Work and Pensions")
    column = header.index("Payroll staff;\nTotal;\nHeadcount")
    assert dwp[column] == "92,799"
    assert any("£" in str(cell) for row in rows for cell in row)
    assert len({len(row) for row in rows[:-1]}) == 1


def test_civil_service_statistics_sample_is_utf8() -> None:
    path = SAMPLES / "08_csstats_2023_parentdept_x_profession_x_grade.csv"
    book = open_source(path)
    try:
        assert book.encoding == "utf-8"
        rows = list(book.rows(book.sheet_names()[0]))
    finally:
        book.close()
    assert rows[0][:3] == ["Status", "Year", "Parent_department"]
    assert rows[1][5] == "[c]"
    assert any("£10" in cell for row in rows[-5:] for cell in row if isinstance(cell, str))


def test_home_office_ods_sample() -> None:
    sheets = read_all(SAMPLES / "06_wmi_home_office_2025-01.ods")
    assert "Data_Sheet" in sheets
    rows = sheets["Data_Sheet"]
    assert rows[0][:3] == ["Year", "Month", "Organisation name"]
    assert rows[1][2] == "Home Office (excl agencies)"
    assert rows[1][0] == 2025


def test_xlsx_typed_cells(tmp_path: Path) -> None:
    rows = read_all(bad_files.typed_xlsx(tmp_path / "contracts.xlsx"))["Data"]
    assert rows[0] == ["Supplier", "Annual value", "End date", "Signed", "Active"]
    supplier, value, end, signed, active = rows[1]
    assert (supplier, value, active) == ("Acme Ltd", 1234.5, True)
    assert isinstance(end, date) and end.isoformat().startswith("2026-03-31")
    assert signed == datetime(2021, 4, 1, 9, 30)
    assert rows[2][1] == 20000


def test_real_xls_is_read(tmp_path: Path) -> None:
    path = bad_files.xls(tmp_path / "old.xls", [["Name", "Value"], ["Café £", 12.5]])
    book = open_source(path)
    try:
        assert book.kind == "xls"
        assert list(book.rows("Data")) == [["Name", "Value"], ["Café £", 12.5]]
    finally:
        book.close()


def test_xls_renamed_xlsx_is_read_as_xls(tmp_path: Path) -> None:
    path = bad_files.xls(tmp_path / "old.xlsx", [["Name"], ["Acme"]])
    book = open_source(path)
    try:
        assert book.kind == "xls"
        assert "old.xlsx is named .xlsx but is an older .xls workbook; read as .xls" in (
            book.warnings
        )
        assert list(book.rows("Data")) == [["Name"], ["Acme"]]
    finally:
        book.close()


def test_hidden_sheets_are_listed_with_a_warning(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "hidden.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Shown"  # type: ignore[union-attr]
    workbook.create_sheet("Back room").sheet_state = "hidden"
    workbook.save(path)
    workbook.close()
    book = open_source(path)
    try:
        assert book.sheet_names() == ["Shown", "Back room"]
        assert book.warnings == [
            "sheet 'Back room' is hidden in the workbook; it is listed all the same"
        ]
    finally:
        book.close()


def test_merged_cells_and_offset_tables(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "merged.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"] = "Payroll"
    sheet.merge_cells("C3:E3")
    sheet["C4"] = 7
    workbook.save(path)
    workbook.close()
    book = open_source(path)
    try:
        name = book.sheet_names()[0]
        rows = list(book.rows(name))
        assert book.merged_ranges(name) == [(2, 2, 2, 4)]
        assert book.row_count(name) == 4
    finally:
        book.close()
    assert rows[2] == ["", "", "Payroll"]
    assert rows[3] == ["", "", 7]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    assert refusal(tmp_path / "empty.csv").message == "the file is empty"
    (tmp_path / "header.csv").write_bytes(b"Name,Value\r\n")
    assert read_all(tmp_path / "header.csv") == {"header": [["Name", "Value"]]}


def test_wide_sheet_reads(tmp_path: Path) -> None:
    rows = read_all(bad_files.wide_xlsx(tmp_path / "wide.xlsx"))["Data"]
    assert len(rows[0]) == 16_384
    assert rows[0][-1] == "c16383"
    assert rows[1][16_383] == 16_383


def test_uncalculated_formulas_are_reported(tmp_path: Path) -> None:
    path = bad_files.formula_xlsx(tmp_path / "sums.xlsx")
    book = open_source(path)
    try:
        assert book.warnings == [
            "sheet 'Data' has 3 formulas with no saved results (the file was never calculated): "
            "open and save it in Excel first; those cells are blank"
        ]
        rows = list(book.rows("Data"))
    finally:
        book.close()
    assert rows[1] == [1]


def test_duplicate_headers_read(tmp_path: Path) -> None:
    rows = read_all(bad_files.duplicate_header_csv(tmp_path / "dup.csv"))["dup"]
    assert rows == [["Name", "Value", "Value", "Name"], ["x", "1", "2", "y"]]


def test_mixed_encodings_read_row_by_row(tmp_path: Path) -> None:
    path = bad_files.mixed_encoding_csv(tmp_path / "mixed.csv")
    book = open_source(path)
    try:
        assert book.encoding == "cp1252"
        assert book.warnings == [
            "rows 3, 5 were UTF-8, the rest Windows-1252; each row was read in its own encoding"
        ]
        rows = list(book.rows("mixed"))
    finally:
        book.close()
    assert [row[0] for row in rows[1:]] == [
        "Café Ltd",
        "Naïve plc",
        "Plain Ltd",
        "École SA",
        "Séance Ltd",
    ]
    assert rows[2][1] == "£200"


def test_nul_bytes_removed_and_named(tmp_path: Path) -> None:
    path = bad_files.nul_csv(tmp_path / "nul.csv")
    book = open_source(path)
    try:
        assert book.warnings == [
            "rows 2, 4 held NUL bytes (invisible control characters); they were removed"
        ]
        rows = list(book.rows("nul"))
    finally:
        book.close()
    assert rows[1] == ["Alpha", "1"]
    assert rows[3] == ["Gamma", "3"]


def test_utf16_tab_separated(tmp_path: Path) -> None:
    path = bad_files.utf16_csv(tmp_path / "export.txt")
    book = open_source(path)
    try:
        assert book.encoding == "utf-16"
        assert list(book.rows("export")) == [["Name", "Value"], ["£ money", "5"]]
    finally:
        book.close()


def test_semicolon_delimited(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_bytes(b"Name;Amount\nAcme;1,5\nBeta;2,25\n")
    # Semicolons and decimal commas go together: the numbers come back in British form.
    assert read_all(path)["semi"] == [["Name", "Amount"], ["Acme", "1.5"], ["Beta", "2.25"]]


def test_unclosed_quote_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_bytes(b'a,b\n1,2\n3,"never closed\n' + b"x,y\n" * 40_000)
    error = refusal(path)
    assert error.row == 3
    assert "never closed" in error.message


def test_million_row_csv_refused_up_front(tmp_path: Path) -> None:
    path = bad_files.million_row_csv(tmp_path / "big.csv")
    error = refusal(path)
    assert str(error) == (
        "big.csv: has about 1,000,000 rows; Baseline imports at most 250,000 rows from one "
        "sheet — split the file"
    )
    assert MAX_ROWS == 250_000


def test_million_row_xlsx_refused_up_front(tmp_path: Path) -> None:
    error = refusal(bad_files.million_row_xlsx(tmp_path / "big.xlsx"))
    assert error.sheet == "Data"
    assert "has about 1,000,001 rows" in error.message


def test_lying_dimension_still_refused_after_loading(tmp_path: Path) -> None:
    path = bad_files.raw_xlsx(
        tmp_path / "liar.xlsx",
        bad_files.sheet_xml([[1]] * (MAX_ROWS + 5), dimension="A1"),
    )
    error = refusal(path)
    assert error.sheet == "Data"
    assert f"has about {MAX_ROWS + 5:,} rows" in error.message


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda p: bad_files.encrypted_workbook(p / "secret.xlsx"), "is password-protected"),
        (lambda p: bad_files.text_named(p / "text.xlsx"), "is plain text"),
        (lambda p: bad_files.random_bytes(p / "noise.xlsx"), "not a spreadsheet"),
        (lambda p: bad_files.random_bytes(p / "noise.csv"), "is not a text file"),
        (lambda p: bad_files.entity_bomb_xlsx(p / "laughs.xlsx"), "entity declaration"),
        (lambda p: bad_files.ratio_bomb_xlsx(p / "bomb.xlsx"), "zip bomb"),
        (
            lambda p: bad_files.truncated(p / "half.xlsx", bad_files.typed_xlsx(p / "t.xlsx")),
            "damaged or incomplete",
        ),
    ],
)
def test_bad_files_refused_by_open_source(tmp_path: Path, build: object, words: str) -> None:
    path = build(tmp_path)  # type: ignore[operator]
    assert words in refusal(path).message


def test_cancel_and_progress(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 5000)
    seen: list[tuple[int, int]] = []
    book = open_source(path, progress=lambda done, total: seen.append((done, total)))
    assert len(list(book.rows("rows"))) == 5001
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert len(seen) >= 5
    book = open_source(path, should_cancel=lambda: len(seen) > 6)
    with pytest.raises(Cancelled):
        for _ in book.rows("rows"):
            seen.append((0, 0))


def _valid_seeds(tmp: Path) -> list[bytes]:
    xlsx = bad_files.typed_xlsx(tmp / "seed.xlsx").read_bytes()
    csv = 'Name,Value\r\nCafé,£1\r\n"a\nb",2\r\n'.encode("cp1252")
    return [xlsx, csv]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(["xlsx", "csv"]),
    operation=st.sampled_from(["flip", "truncate", "insert"]),
    position=st.floats(min_value=0, max_value=1),
    payload=st.binary(min_size=1, max_size=16),
)
def test_mutated_files_read_or_raise_import_file_error(
    tmp_path: Path, which: str, operation: str, position: float, payload: bytes
) -> None:
    seeds = dict(zip(["xlsx", "csv"], _valid_seeds(tmp_path), strict=True))
    data = bytearray(seeds[which])
    at = min(int(position * len(data)), len(data) - 1)
    if operation == "flip":
        for offset, byte in enumerate(payload):
            if at + offset < len(data):
                data[at + offset] ^= byte or 0xFF
    elif operation == "truncate":
        del data[at:]
    else:
        data[at:at] = payload
    path = tmp_path / f"mutant.{which}"
    path.write_bytes(bytes(data))
    try:
        read_all(path)
    except ImportFileError as error:
        assert error.path == path
        assert str(error).startswith(path.name)


def test_zip_members_are_closed(tmp_path: Path) -> None:
    # filterwarnings=error turns an unclosed file into a failure; reading twice must stay clean
    path = bad_files.formula_xlsx(tmp_path / "twice.xlsx")
    assert read_all(path) == read_all(path)
    with zipfile.ZipFile(path) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
    assert io.BytesIO(path.read_bytes()).read(2) == b"PK"


def test_far_cells_hidden_by_a_small_dimension_are_refused(tmp_path: Path) -> None:
    # calamine holds a sheet as one dense grid; a single cell in column XFD on row 2,000
    # would make it allocate 32 million cells, whatever the <dimension> claims
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (
        f'<worksheet xmlns="{main}"><dimension ref="A1"/><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2000"><c r="XFD2000"><v>2</v></c></row></sheetData></worksheet>'
    ).encode()
    error = refusal(bad_files.raw_xlsx(tmp_path / "far.xlsx", xml))
    assert error.sheet == "Data"
    assert "spans 2,000 rows by 16,384 columns" in error.message


def test_one_odd_row_and_many_nul_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    body = "a,b\nCafé,1\nNaïve,2\n".encode() + "Séance,3\n".encode("cp1252")
    path.write_bytes(body + b"x\x00,1\n" * 12)
    book = open_source(path)
    try:
        assert book.encoding == "utf-8"
        assert book.warnings == [
            "row 4 was Windows-1252, the rest UTF-8; each row was read in its own encoding",
            "rows 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 and 2 more held NUL bytes (invisible "
            "control characters); they were removed",
        ]
        assert list(book.rows("odd"))[3] == ["Séance", "3"]
    finally:
        book.close()


def test_an_exception_from_the_progress_callback_reaches_the_caller_unchanged(tmp_path):
    """Cancel raised by a progress callback is a cancel, not a 'damaged file'."""
    from importers.source_table import POLL_EVERY

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        raise Stop()

    path = bad_files.xlsx(tmp_path / "rows.xlsx", [[i, i * 2] for i in range(POLL_EVERY * 2)])
    book = open_source(path, progress=progress)
    try:
        with pytest.raises(Stop):
            for _ in book.rows(book.sheet_names()[0]):
                pass
    finally:
        book.close()


def test_continental_numbers_in_a_semicolon_file_are_read_as_british(tmp_path):
    """'1.000' in a file of '1.234,50' numbers is a thousand, not one; text is left alone."""
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "Supplier;Annual value;Total;FTE;End\n"
        "Acme;1.234,50;1.000;0,5;31.03.2014\n"
        'Beta;250,00;12.000;1;"Note, with comma"\n',
        encoding="utf-8",
    )
    book = open_source(path)
    try:
        rows = list(book.rows(book.sheet_names()[0]))
    finally:
        book.close()
    assert rows[1] == ["Acme", "1234.50", "1000", "0.5", "31.03.2014"]
    assert rows[2] == ["Beta", "250.00", "12000", "1", "Note, with comma"]
    assert any("decimal comma" in warning for warning in book.warnings)


def test_british_numbers_in_a_semicolon_file_are_left_alone(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "Supplier;Annual value;FTE\nAcme;1,234.50;0.5\nBeta;12,000;1.25\n", encoding="utf-8"
    )
    book = open_source(path)
    try:
        rows = list(book.rows(book.sheet_names()[0]))
    finally:
        book.close()
    assert rows[1:] == [["Acme", "1,234.50", "0.5"], ["Beta", "12,000", "1.25"]]
    assert not any("decimal comma" in warning for warning in book.warnings)


def test_uncalculated_formulas_are_found_under_a_namespace_prefix(tmp_path: Path) -> None:
    """A sheet written with prefixed tags (<x:c><x:f>…) counts its formulas alike."""
    import re
    import zipfile

    from importers.readers import uncalculated_formula_warnings

    plain = bad_files.formula_xlsx(tmp_path / "sums.xlsx")
    prefixed = tmp_path / "prefixed.xlsx"
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(prefixed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<(/?)(\w+)([\s>/])", rb"<\1x:\2\3", data)
                data = data.replace(b'xmlns="' + main, b'xmlns:x="' + main)
                assert b"<x:f>" in data and b"<f>" not in data
            target.writestr(info, data)
    expected = [
        "sheet 'Data' has 3 formulas with no saved results (the file was never calculated): "
        "open and save it in Excel first; those cells are blank"
    ]
    assert uncalculated_formula_warnings(plain, None) == expected
    assert uncalculated_formula_warnings(prefixed, None) == expected
