"""Workbooks and packages whose hidden ids were changed to name another department's audit.

What a file shows (its department and cycle) decides which audit it may change; an audit or
department id from the file that belongs to another department or cycle is refused, and the
other audit is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import plan_import
from models.audit_package import CONTENT, MANIFEST, read_package, write_package
from models.incoming import MismatchError
from models.merge import apply_merge, plan_merge
from models.records import Audit
from models.store import Store
from tests.exporters import audit_snapshot, demo_copy, dump_workspace


def audit_of(store: Store, name: str, cycle: str = "2013 baseline") -> Audit:
    dept = store.find_department(name)
    assert dept is not None
    found = store.find_audit(dept.id, cycle)
    assert found is not None
    return found


def relabel(path: Path, **fields: str) -> None:
    """Change fields of the workbook's hidden audit record, as a tamperer would."""
    book = load_workbook(path)
    sheet = book["_baseline"]
    names: list[Any] = []
    for row in sheet.iter_rows():
        if row[0].value == "audit fields":
            names = [c.value for c in row[1:]]
        elif row[0].value == "audit":
            for name, value in fields.items():
                row[1 + names.index(name)].value = value
    book.save(path)


def state_of(store: Store, audit: Audit) -> tuple[Any, ...]:
    """The audit's record and content, as stored."""
    return store.audit(audit.id), audit_snapshot(store, audit.id), store.content_hash(audit.id)


@pytest.mark.parametrize("kind", ["export", "data return"])
def test_a_workbook_relabelled_with_another_audits_id_is_refused(
    demo: Store, tmp_path: Path, kind: str
) -> None:
    dwp, hmrc = audit_of(demo, "DWP"), audit_of(demo, "HMRC")
    path = tmp_path / "dwp.xlsx"
    if kind == "export":
        export_audits(demo, [dwp.id], path)
    else:
        write_data_return(demo, dwp.department_id, dwp.cycle, path, prefill=True)
    relabel(path, audit_id=hmrc.id)  # the sheets still show DWP, 2013 baseline
    before = state_of(demo, hmrc)
    contents = read_own_workbook(path)
    with pytest.raises(MismatchError) as refused:
        plan_import(demo, contents)
    message = str(refused.value)
    assert "Department for Work and Pensions" in message and "HM Revenue" in message
    assert hmrc.id in message and "2013 baseline" in message
    assert state_of(demo, hmrc) == before


def test_a_workbook_naming_another_departments_id_is_refused(demo: Store, tmp_path: Path) -> None:
    dwp, hmrc = audit_of(demo, "DWP"), audit_of(demo, "HMRC")
    path = tmp_path / "dwp.xlsx"
    export_audits(demo, [dwp.id], path)
    # A new cycle for DWP, filed under HMRC's department id.
    relabel(path, audit_id="", department_id=hmrc.department_id, cycle="2015 review")
    before = dump_workspace(demo.path)
    with pytest.raises(MismatchError) as refused:
        plan_import(demo, read_own_workbook(path))
    assert "Department for Work and Pensions" in str(refused.value)
    assert "HM Revenue" in str(refused.value)
    assert dump_workspace(demo.path) == before


def test_a_workbook_for_the_same_audit_still_imports(demo: Store, tmp_path: Path) -> None:
    dwp = audit_of(demo, "DWP")
    path = tmp_path / "dwp.xlsx"
    export_audits(demo, [dwp.id], path)
    [planned] = plan_import(demo, read_own_workbook(path)).audits
    assert planned.target is not None and planned.target.id == dwp.id


def rewrite_content(path: Path, change: Any) -> None:
    """Edit a package's content.json and write the checksum again: a deliberate tamperer."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        content = json.loads(zf.read(CONTENT))
    change(content)
    data = json.dumps(content).encode()
    manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    manifest["content_bytes"] = len(data)
    manifest["audits"] = [{"id": a["audit"]["id"]} for a in content["audits"]]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(CONTENT, data)


def test_a_package_relabelled_with_another_audits_id_does_not_touch_it(
    demo: Store, tmp_path: Path
) -> None:
    dwp, hmrc = audit_of(demo, "DWP"), audit_of(demo, "HMRC")
    path = tmp_path / "dwp.baseline-package"
    write_package(demo, path, [dwp.id])

    def to_hmrc(content: dict[str, Any]) -> None:
        item = content["audits"][0]
        item["audit"]["id"] = hmrc.id
        item["answers"]["digital_leader_post"] = "Planted"
        item["changes"].append(
            [f"{uuid.uuid4()}:1", "answer", "digital_leader_post", "digital_leader_post",
             None, '"Planted"', "mallory", "2030-01-01T00:00:00.000", ""]
        )  # fmt: skip

    rewrite_content(path, to_hmrc)
    before = state_of(demo, hmrc)
    package = read_package(path)
    [planned] = plan_merge(demo, package).audits
    assert planned.action == "skip"
    assert "Department for Work and Pensions" in planned.reason and "HM Revenue" in planned.reason
    report = apply_merge(demo, package, take="theirs")
    assert report.changed_audit_ids == [] and report.skipped
    assert state_of(demo, hmrc) == before


def test_a_package_cannot_file_a_new_audit_under_another_departments_id(
    demo: Store, tmp_path: Path
) -> None:
    dwp, hmrc = audit_of(demo, "DWP"), audit_of(demo, "HMRC")
    path = tmp_path / "dwp.baseline-package"
    write_package(demo, path, [dwp.id])

    def new_audit_under_hmrc(content: dict[str, Any]) -> None:
        item = content["audits"][0]
        item["audit"]["id"] = str(uuid.uuid4())
        item["audit"]["cycle"] = "2015 review"
        item["audit"]["department_id"] = item["department"]["id"] = hmrc.department_id
        item["rows"] = []  # row ids are DWP's
        item["provenance"] = []

    rewrite_content(path, new_audit_under_hmrc)
    before = dump_workspace(demo.path)
    package = read_package(path)
    [planned] = plan_merge(demo, package).audits
    assert planned.action == "skip"
    assert "Department for Work and Pensions" in planned.reason and "HM Revenue" in planned.reason
    apply_merge(demo, package)
    after = dump_workspace(demo.path)
    assert after["audits"] == before["audits"] and after["answers"] == before["answers"]


def test_the_import_command_refuses_a_relabelled_workbook_with_a_message(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = demo_copy(demo_file, tmp_path / "audits.sqlite")
    with Store(workspace) as store:
        dwp, hmrc = audit_of(store, "DWP"), audit_of(store, "HMRC")
        path = tmp_path / "dwp.xlsx"
        export_audits(store, [dwp.id], path)
        before = state_of(store, hmrc)
    relabel(path, audit_id=hmrc.id)
    assert main(["import", str(path), "--db", str(workspace)]) == 2
    err = capsys.readouterr().err
    assert "is refused" in err and "HM Revenue" in err and "Traceback" not in err
    with Store(workspace) as store:
        assert state_of(store, hmrc) == before


def test_a_workbook_naming_another_departments_govuk_id_is_refused(
    demo: Store, tmp_path: Path
) -> None:
    dwp, hmrc = audit_of(demo, "DWP"), audit_of(demo, "HMRC")
    hmrc_govuk = demo.department(hmrc.department_id).govuk_id
    assert hmrc_govuk
    path = tmp_path / "dwp.xlsx"
    export_audits(demo, [dwp.id], path)
    relabel(path, audit_id="", department_id="", govuk_id=hmrc_govuk, cycle="2015 review")
    before = dump_workspace(demo.path)
    with pytest.raises(MismatchError, match=r"GOV\.UK id") as refused:
        plan_import(demo, read_own_workbook(path))
    assert "HM Revenue" in str(refused.value)
    assert dump_workspace(demo.path) == before
