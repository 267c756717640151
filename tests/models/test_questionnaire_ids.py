"""Questionnaire ids from packages and workbooks are identifiers, never paths.

An id such as ``../../../tmp/x/evil`` must not load a YAML file from outside the shipped
definitions, nor be stored; each door refuses it by name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from importers.own_workbook import WorkbookError, read_own_workbook
from models.audit_content import AuditContent, restore_audit
from models.audit_package import CONTENT, MANIFEST, PackageError, read_package, write_package
from models.incoming import IdentifierError
from models.questionnaire import (
    DefinitionError,
    Questionnaire,
    _resource_dir,
    get_questionnaire,
)
from models.records import Audit
from models.store import Store
from tests.models.helpers import definition

HOSTILE = [
    "../../../tmp/x/evil",
    "/etc/passwd",
    "\\\\server\\share\\x",
    "C:\\Windows\\evil",
    "board-technology-baseline/../../evil",
    "Board-Technology-Baseline",
    "",
    "a" * 65,
    "evil\x00",
]


@pytest.fixture
def evil(tmp_path: Path) -> str:
    """A valid definition outside resources/, and the traversal id that would reach it."""
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "evil-v1.yaml").write_text(
        definition("- {id: q, label: Q, type: text}").replace("id: t\n", "id: evil\n"),
        encoding="utf-8",
    )
    return os.path.relpath(folder / "evil", _resource_dir())


def test_a_traversal_id_does_not_load_a_file_from_outside(evil: str) -> None:
    assert evil.startswith("..")
    with pytest.raises(DefinitionError, match="not a questionnaire id") as refused:
        get_questionnaire(evil, 1)
    assert repr(evil)[:40] in str(refused.value)


@pytest.mark.parametrize("qid", HOSTILE)
def test_hostile_ids_are_refused_by_name(qid: str) -> None:
    with pytest.raises(DefinitionError, match="not a questionnaire id"):
        get_questionnaire(qid, 1)


@pytest.mark.parametrize("version", [0, -1, True, "1", 1.0, None, 10**12])
def test_a_version_must_be_a_positive_whole_number(version: object) -> None:
    with pytest.raises(DefinitionError, match="not a questionnaire version"):
        get_questionnaire("board-technology-baseline", version)  # type: ignore[arg-type]


def test_the_store_will_not_make_or_restore_an_audit_on_a_path(
    store: Store, questionnaire: Questionnaire, evil: str
) -> None:
    dept = store.add_department("Home Office", "HO")
    hostile = dataclasses.replace(questionnaire, id=evil)
    with pytest.raises(ValueError, match="not a questionnaire id"):
        store.create_audit(dept.id, "2013", hostile)
    audit = Audit("a1", dept.id, dept.name, "2013", evil, 1)
    with pytest.raises(IdentifierError, match="not a questionnaire id"):
        restore_audit(store, audit, AuditContent())
    assert store.audits() == []


def package_with_id(store: Store, questionnaire: Questionnaire, path: Path, qid: str) -> None:
    """A package whose questionnaire id is `qid`, checksum made good again."""
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013", questionnaire)
    write_package(store, path, [audit.id])
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        content = json.loads(zf.read(CONTENT))
    content["audits"][0]["audit"]["questionnaire_id"] = qid
    data = json.dumps(content).encode()
    manifest["questionnaires"] = [{"id": qid, "version": 1}]
    manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    manifest["content_bytes"] = len(data)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(CONTENT, data)


@pytest.mark.parametrize("qid", HOSTILE[:4])
def test_a_package_with_a_path_for_a_questionnaire_id_is_refused(
    store: Store, questionnaire: Questionnaire, tmp_path: Path, qid: str
) -> None:
    path = tmp_path / "p.baseline-package"
    package_with_id(store, questionnaire, path, qid)
    with pytest.raises(PackageError, match="not a questionnaire id"):
        read_package(path)


def test_a_workbook_with_a_path_for_a_questionnaire_id_is_refused(
    store: Store, questionnaire: Questionnaire, tmp_path: Path, evil: str
) -> None:
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013", questionnaire)
    path = tmp_path / "ho.xlsx"
    export_audits(store, [audit.id], path)
    book = load_workbook(path)
    sheet = book["_baseline"]
    names: list[object] = []
    for row in sheet.iter_rows():
        if row[0].value == "audit fields":
            names = [c.value for c in row[1:]]
        elif row[0].value == "audit":
            row[1 + names.index("questionnaire_id")].value = evil
    book.save(path)
    seen: list[str] = []

    def source(qid: str, version: int) -> Questionnaire:
        seen.append(qid)  # a lookup handed the path would be asked for it
        return get_questionnaire(qid, version)

    with pytest.raises(WorkbookError, match="not a questionnaire id"):
        read_own_workbook(path, questionnaires=source)
    assert seen == []
