"""Export to OpenDocument (.ods): the same sheets, cells, types and formats as the .xlsx,
read back by the app's own import exactly as the .xlsx is, and by calamine cell for cell."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from python_calamine import CalamineWorkbook

from exporters.audit_workbook import export_audits
from importers.own_workbook import WorkbookError, read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.store import Store
from models.workbook_format.cells import unescape_text
from tests.exporters.test_round_trip import FORM, audits, dump, forms


def calamine_cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cells as calamine reads them. calamine decodes OOXML's _xHHHH_ escapes
    in an .xlsx; in an .ods the app's codec (unescape_text) does, as the app's reader does."""
    book = CalamineWorkbook.from_path(str(path))
    ods = path.suffix == ".ods"
    sheets = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name] = [[_plain(v, ods) for v in row] for row in rows]
        while sheets[name] and not any(v not in ("", None) for v in sheets[name][-1]):
            sheets[name].pop()
    return sheets


def _plain(value: Any, ods: bool) -> Any:
    if isinstance(value, str):
        # no tabs: calamine reads an ODF <text:tab/> as nothing (the app's own reader keeps
        # it, as the round trip below shows)
        return (unescape_text(value) if ods else value).replace("\t", "")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def assert_same_workbooks(xlsx: Path, ods: Path) -> None:
    a, b = calamine_cells(xlsx), calamine_cells(ods)
    assert list(a) == list(b)
    for name in a:
        assert len(a[name]) == len(b[name]), name
        for number, (left, right) in enumerate(zip(a[name], b[name], strict=True), 1):
            if left[:2] == right[:2] == ["property", "exported_at"]:
                continue  # the moment each file was written
            width = max(len(left), len(right))
            left = left + [""] * (width - len(left))
            right = right + [""] * (width - len(right))
            assert left == right, (name, number)


def test_demo_export_as_ods_equals_the_xlsx(demo: Store, tmp_path: Path) -> None:
    ids = [a.id for a in demo.audits()]
    xlsx = export_audits(demo, ids, tmp_path / "all.xlsx")
    ods = export_audits(demo, ids, tmp_path / "all.ods")
    assert ods.sheets == xlsx.sheets and ods.cells == xlsx.cells
    with zipfile.ZipFile(ods.path) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode()
    assert 'table:display="false"' in content  # the metadata sheet is hidden
    assert "table:database-range" in content  # filter buttons over each data sheet
    assert_same_workbooks(xlsx.path, ods.path)
    from_xlsx = read_own_workbook(xlsx.path)
    from_ods = read_own_workbook(ods.path)
    assert from_ods.problems == from_xlsx.problems == []
    assert [a.content for a in from_ods.audits] == [a.content for a in from_xlsx.audits]
    assert [a.audit for a in from_ods.audits] == [a.audit for a in from_xlsx.audits]
    plan = plan_import(demo, from_ods)
    assert not plan.changes_anything  # the workspace's own export: nothing to change


def test_number_formats_become_data_styles(demo: Store, tmp_path: Path) -> None:
    out = export_audits(demo, [demo.audits()[0].id], tmp_path / "one.ods").path
    with zipfile.ZipFile(out) as archive:
        content = archive.read("content.xml").decode()
    assert "<number:percentage-style" in content  # '0%': completion
    assert 'number:grouping="true"' in content  # '#,##0': counts
    assert "<number:date-style" in content  # 'yyyy-mm-dd hh:mm': last updated
    assert "£" in content  # '"£"#,##0.00': money


def test_damaged_ods_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ods"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<not xml")
    with pytest.raises(WorkbookError, match=r"broken\.ods"):
        read_own_workbook(bad)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(audits)
def test_any_audit_round_trips_through_ods_as_through_xlsx(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "source.sqlite", durable=False) as source:
            dept = source.add_department(data["department"])
            audit = source.create_audit(dept.id, data["cycle"], FORM, data["auditor"])
            for qid, value in data["answers"].items():
                source.set_answer(audit.id, qid, value)
            for qid, text in data["comments"].items():
                source.set_comment(audit.id, qid, text)
            source.insert_rows(audit.id, "rows", 0, data["rows"])
            source.set_audit_fields(audit.id, status=data["status"])
            expected = dump(source)
            export_audits(source, [audit.id], folder / "audit.xlsx", questionnaires=forms)
            export_audits(source, [audit.id], folder / "audit.ods", questionnaires=forms)

        assert_same_workbooks(folder / "audit.xlsx", folder / "audit.ods")
        contents = read_own_workbook(folder / "audit.ods", questionnaires=forms)
        assert contents.problems == []
        with Store(folder / "target.sqlite", durable=False) as target:
            apply_import(target, plan_import(target, contents))
            assert dump(target) == expected
            again = plan_import(
                target, read_own_workbook(folder / "audit.xlsx", questionnaires=forms)
            )
            assert not again.changes_anything  # the .ods brought in what the .xlsx holds


def test_cli_exports_ods_and_imports_it(demo_file: Path, tmp_path: Path, capsys: Any) -> None:
    from desktop.cli import main
    from tests.exporters import demo_copy

    workspace = demo_copy(demo_file, tmp_path / "audits.sqlite")
    out = tmp_path / "all.ods"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out)]) == 0
    assert f"to {out}" in capsys.readouterr().out
    assert CalamineWorkbook.from_path(str(out)).sheet_names[0] == "Summary"
    assert main(["import", str(out), "--db", str(workspace), "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert "Dry run: nothing was written." in said and "cannot be read" not in said
