"""Malformed packages: each refused with the member and the field named, never a traceback.

Each package below has a good checksum (a tamperer recomputes it), so only the reading of
its fields stands between it and the workspace.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from models.audit_package import CONTENT, MANIFEST, PackageError, read_package, write_package
from models.questionnaire import Questionnaire
from models.store import Store

Change = Callable[[dict[str, Any]], Any]


@pytest.fixture
def package(store: Store, questionnaire: Questionnaire, tmp_path: Path) -> Path:
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "Ann")
    store.set_answer(audit.id, "digital_leader_post", "CDO")
    store.insert_rows(audit.id, "senior_roles", 0, [{"job_title": "CIO"}])
    path = tmp_path / "ho.baseline-package"
    write_package(store, path, [audit.id])
    return path


def rewrite(path: Path, content: bytes | None = None, manifest: bytes | None = None) -> None:
    """Replace members, the manifest's checksum made good for the new content."""
    with zipfile.ZipFile(path) as zf:
        old_manifest = json.loads(zf.read(MANIFEST))
        data = zf.read(CONTENT) if content is None else content
    old_manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    old_manifest["content_bytes"] = len(data)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, manifest if manifest is not None else json.dumps(old_manifest))
        zf.writestr(CONTENT, data)


def edit(path: Path, change: Change) -> None:
    with zipfile.ZipFile(path) as zf:
        content = json.loads(zf.read(CONTENT))
    replaced = change(content)
    rewrite(path, json.dumps(content if replaced is None else replaced).encode())


def first(content: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = content["audits"][0]
    return item


DEEP = "[" * 1500 + "]" * 1500
RECORD = {"id": "i", "table_id": "t", "file_name": "f", "checksum": "c", "layout": "l"}
RECORD["imported_at"] = "2013"

SHAPES: dict[str, tuple[Change, str]] = {
    "a list for the cycle": (
        lambda c: first(c)["audit"].update(cycle=["2013"]),
        "audits[0].audit.cycle is a list where text is expected",
    ),
    "a null department name": (
        lambda c: first(c)["department"].update(name=None),
        "audits[0].department.name is null where text is expected",
    ),
    "a number for the department id": (
        lambda c: first(c)["department"].update(id=7),
        "audits[0].department.id is a number where text is expected",
    ),
    "an import record that is a list": (
        lambda c: first(c).update(imports=[["id", "table"]]),
        "audits[0].imports[0] is a list where a set of named values is expected",
    ),
    "an import record without its file": (
        lambda c: first(c).update(imports=[{"id": "i1", "table_id": "senior_roles"}]),
        "audits[0].imports[0] has no file_name",
    ),
    "an import record with a list for a count": (
        lambda c: first(c).update(imports=[dict(RECORD, rows_imported=[1])]),
        "audits[0].imports[0].rows_imported is a list where a whole number is expected",
    ),
    "a row of two cells": (
        lambda c: first(c).update(rows=[[1, 2]]),
        "audits[0].rows[0] has 2 items where 4 are expected",
    ),
    "a row whose cells are a list": (
        lambda c: first(c)["rows"][0].__setitem__(3, ["CIO"]),
        "audits[0].rows[0] cells is a list where a set of named values is expected",
    ),
    "a change that is text": (
        lambda c: first(c).update(changes=["answer"]),
        "audits[0].changes[0] is text where a list is expected",
    ),
    "provenance pointing at a nested source": (
        lambda c: first(c).update(provenance=[["r", "i", 1, {"unit": {"deep": 1}}]]),
        "audits[0].provenance[0] source 'unit' is a set of named values",
    ),
    "an unknown status": (
        lambda c: first(c)["audit"].update(status="approved-by-me"),
        "audits[0].audit.status is 'approved-by-me', not a status",
    ),
    "audits that are not a list": (
        lambda c: c.update(audits={"a": 1}),
        "content.json: audits is a set of named values where a list is expected",
    ),
    "content that is a list": (
        lambda c: [c],
        "content.json is a list where a set of named values is expected",
    ),
    "an audit with no answers": (
        lambda c: first(c).pop("answers") and None,
        "audits[0] has no answers",
    ),
    "a field no package has": (
        lambda c: first(c)["audit"].update(owner="x"),
        "audits[0].audit has a field 'owner' no package has",
    ),
    "a negative position": (
        lambda c: first(c)["rows"][0].__setitem__(2, -1),
        "audits[0].rows[0] position is -1 where a whole number is expected",
    ),
}


@pytest.mark.parametrize("case", SHAPES, ids=list(SHAPES))
def test_a_malformed_package_is_refused_naming_the_member_and_field(
    package: Path, case: str
) -> None:
    change, expected = SHAPES[case]
    edit(package, change)
    with pytest.raises(PackageError) as refused:
        read_package(package)
    assert expected in str(refused.value)
    assert "content.json" in str(refused.value)


def test_deep_nesting_in_the_content_is_refused(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        text = zf.read(CONTENT).decode()
    rewrite(package, text.replace('"CDO"', DEEP, 1).encode())
    with pytest.raises(PackageError, match=r"content\.json is nested far deeper than a package"):
        read_package(package)


def test_deep_nesting_after_a_nan_is_refused(package: Path) -> None:
    """orjson stops at the NaN; the standard parser that reads NaN must also stop the depth."""
    with zipfile.ZipFile(package) as zf:
        text = zf.read(CONTENT).decode()
    rewrite(package, text.replace('"CDO"', f"[NaN, {DEEP}]", 1).encode())
    with pytest.raises(PackageError, match="nested far deeper"):
        read_package(package)


def test_deep_nesting_in_the_manifest_is_refused(package: Path) -> None:
    manifest = '{"format": "baseline-audit-package", "x": ' + DEEP + "}"
    rewrite(package, manifest=manifest.encode())
    with pytest.raises(PackageError, match=r"manifest\.json is nested far deeper"):
        read_package(package)


def test_a_manifest_with_a_list_for_the_format_version_is_refused(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    manifest["format_version"] = [1]
    rewrite(package, manifest=json.dumps(manifest).encode())
    with pytest.raises(PackageError, match="format_version is a list"):
        read_package(package)


@pytest.mark.parametrize("case", ["a null department name", "an import record that is a list"])
def test_the_merge_command_turns_a_malformed_package_into_a_message(
    package: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(package, SHAPES[case][0])
    target = tmp_path / "other.sqlite"
    Store(target).close()
    assert main(["merge", str(package), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert SHAPES[case][1] in err and "Traceback" not in err


def test_the_merge_command_refuses_deep_nesting_with_a_message(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(package) as zf:
        text = zf.read(CONTENT).decode()
    rewrite(package, text.replace('"CDO"', f"[NaN, {DEEP}]", 1).encode())
    target = tmp_path / "other.sqlite"
    Store(target).close()
    assert main(["merge", str(package), "--db", str(target), "--dry-run"]) == 2
    assert "nested far deeper" in capsys.readouterr().err
