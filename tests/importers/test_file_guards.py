"""The guard refuses hostile and unreadable files from their bytes, before any parser sees them."""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest

from importers import file_guards
from importers.file_guards import check_file, inspect_file
from importers.source_table import ImportFileError
from tests.importers import bad_files

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def refused(path: Path) -> ImportFileError:
    """The guard's refusal of path, checked to name the file and to come quickly."""
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as caught:
        check_file(path)
    assert time.perf_counter() - started < 2.0
    assert str(caught.value).startswith((path.name + ":", path.name + ", sheet"))
    return caught.value


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_real_kinds_come_from_bytes(tmp_path: Path) -> None:
    assert check_file(SAMPLES / "04_wmi_dwp_2025-01.csv") == "csv"
    assert check_file(SAMPLES / "06_wmi_home_office_2025-01.ods") == "ods"
    assert check_file(bad_files.typed_xlsx(tmp_path / "t.xlsx")) == "xlsx"
    assert check_file(bad_files.typed_xlsx(tmp_path / "t.xlsm")) == "xlsm"
    assert check_file(bad_files.xls(tmp_path / "t.xls", [["a"]])) == "xls"
    assert check_file(bad_files.text_named(tmp_path / "export.dat")) == "csv"


def test_missing_and_empty_files(tmp_path: Path) -> None:
    assert "does not exist" in refused(tmp_path / "gone.csv").message
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refused(tmp_path / "empty.xlsx").message == "the file is empty"


def test_text_renamed_xlsx_is_refused_with_advice(tmp_path: Path) -> None:
    error = refused(bad_files.text_named(tmp_path / "suppliers.xlsx"))
    assert error.message == (
        "is plain text, not an Excel workbook; if it is CSV, import it as .csv"
    )


def test_random_bytes_are_refused_whatever_the_name(tmp_path: Path) -> None:
    as_xlsx = refused(bad_files.random_bytes(tmp_path / "noise.xlsx"))
    assert "not a spreadsheet or a text file" in as_xlsx.message
    as_csv = refused(bad_files.random_bytes(tmp_path / "noise.csv"))
    assert "is not a text file" in as_csv.message


def test_xls_renamed_xlsx_is_read_as_xls_with_a_warning(tmp_path: Path) -> None:
    path = bad_files.xls(tmp_path / "old.xlsx", [["Name"], ["Acme"]])
    check = inspect_file(path)
    assert check.kind == "xls"
    assert check.warnings == ["old.xlsx is named .xlsx but is an older .xls workbook; read as .xls"]


def test_password_protected_workbook(tmp_path: Path) -> None:
    error = refused(bad_files.encrypted_workbook(tmp_path / "secret.xlsx"))
    assert error.message == (
        "is password-protected: remove the password in Excel (File ▸ Info ▸ Protect Workbook) "
        "and import it again"
    )


def test_office_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = bad_files.cfb(tmp_path / "letter.xls", {"WordDocument": b"x"})
    assert "Word document" in refused(path).message


def test_truncated_workbook(tmp_path: Path) -> None:
    whole = bad_files.typed_xlsx(tmp_path / "whole.xlsx")
    error = refused(bad_files.truncated(tmp_path / "half.xlsx", whole))
    assert error.message.startswith("is damaged or incomplete (the zip container cannot be read)")


def test_entity_bomb_is_refused_before_any_parser(tmp_path: Path) -> None:
    error = refused(bad_files.entity_bomb_xlsx(tmp_path / "laughs.xlsx"))
    assert error.message.startswith(
        "contains an XML entity declaration (a possible entity-expansion attack); "
        "Excel never writes one"
    )
    assert "xl/worksheets/sheet1.xml" in error.message


def test_ratio_zip_bomb(tmp_path: Path) -> None:
    error = refused(bad_files.ratio_bomb_xlsx(tmp_path / "bomb.xlsx"))
    assert "would expand to 24 MB" in error.message
    assert error.message.endswith("refused as a likely zip bomb")


def test_forged_huge_entry(tmp_path: Path) -> None:
    path = bad_files.raw_xlsx(tmp_path / "huge.xlsx", bad_files.sheet_xml([[1]]))
    bad_files.forge_declared_size(path, "xl/worksheets/sheet1.xml", 3 * 1024**3)
    error = refused(path)
    assert "would expand to 3,072 MB" in error.message
    assert "zip bomb" in error.message


def test_too_many_zip_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_guards, "MAX_ZIP_ENTRIES", 3)
    error = refused(bad_files.typed_xlsx(tmp_path / "many.xlsx"))
    assert "zip entries" in error.message


def test_million_row_xlsx_refused_from_its_dimension(tmp_path: Path) -> None:
    error = refused(bad_files.million_row_xlsx(tmp_path / "big.xlsx"))
    assert error.sheet == "Data"
    assert str(error) == (
        "big.xlsx, sheet 'Data': has about 1,000,001 rows; Baseline imports at most 250,000 "
        "rows from one sheet — split the file"
    )


def test_sheet_without_dimension_refused_by_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_guards, "MAX_UNDIMENSIONED_SHEET", 1000)
    path = bad_files.raw_xlsx(tmp_path / "nodim.xlsx", bad_files.sheet_xml([[1, 2]] * 100))
    error = refused(path)
    assert "does not say how many rows it has" in error.message
    assert error.sheet == "Data"


def test_other_formats_named_plainly(tmp_path: Path) -> None:
    (tmp_path / "report.xls").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "PDF" in refused(tmp_path / "report.xls").message
    (tmp_path / "page.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table>")
    assert "web page (HTML)" in refused(tmp_path / "page.xls").message


def test_xls_declaring_an_impossible_grid_is_refused(tmp_path: Path) -> None:
    # calamine sizes its grid from this record and aborts the program on absurd sizes
    path = bad_files.xls(tmp_path / "liar.xls", [["a"]], declared_rows=3_000_000_000)
    error = refused(path)
    assert error.sheet == "Data"
    assert "3,000,000,000 rows" in error.message
    assert "more than an .xls file can hold" in error.message


def test_sheet_grid_too_big_to_hold_is_refused(tmp_path: Path) -> None:
    xml = bad_files.sheet_xml([[1]], dimension="A1:XFD2000")
    error = refused(bad_files.raw_xlsx(tmp_path / "grid.xlsx", xml))
    assert error.sheet == "Data"
    assert "spans 2,000 rows by 16,384 columns (32,768,000 cells" in error.message


def test_backwards_declared_sizes_are_refused(tmp_path: Path) -> None:
    xml = bad_files.sheet_xml([[1]], dimension="A9:B2")
    error = refused(bad_files.raw_xlsx(tmp_path / "backwards.xlsx", xml))
    assert error.message == "is damaged: the sheet's declared size runs backwards"
    assert error.sheet == "Data"


def test_a_zip_entry_flagged_encrypted_is_refused_not_a_traceback(tmp_path: Path) -> None:
    """zipfile raises RuntimeError for an entry whose 'encrypted' bit is set (found by fuzzing)."""
    path = tmp_path / "flagged.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Grade", "FTE"])
    book.save(path)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # first central-directory entry: flag bits at offset 8
    data[at + 8] |= 0x01
    path.write_bytes(bytes(data))
    error = refused(path)
    assert "encrypted" in str(error) and path.name in str(error)
