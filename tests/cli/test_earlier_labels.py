"""Labels an earlier version stored uncleaned (before models/validation.clean_label), met by
today's doors: documents and packages it wrote, a cycle or department typed plainly.

Each case was a demonstrated regression (/work/brief/findings-V.md V3, V4, V6).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.store import Store
from tests.cli import run

OLD_NAME = "Office\u200b for Tests"  # a zero-width space: shown as 'Office for Tests'
OLD_CYCLE = "2014\u200b review"


def _old_workspace(capsys: pytest.CaptureFixture[str], path: Path) -> Path:
    """A workspace as the earlier version left it: the name and cycle stored uncleaned."""
    assert run(capsys, "new", "--db", path)[0] == 0
    assert run(capsys, "department", "add", "Office for Tests", "--db", path)[0] == 0
    where = ("--db", path, "--department", "Office for Tests", "--cycle", "2014 review")
    assert run(capsys, "audit", "new", *where)[0] == 0
    with Store(path) as store:
        store.conn.execute("UPDATE departments SET name = ?", [OLD_NAME])
        store.conn.execute(
            "UPDATE audits SET cycle = ?, department_name = ?", [OLD_CYCLE, OLD_NAME]
        )
    return path


def test_a_document_and_package_of_an_earlier_version_import_again_and_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """V6: imported once (stored cleaned), the same file again was refused as 'edited, or sent
    for another audit' (exit 2), and its package 'not merged' (exit 1)."""
    old = _old_workspace(capsys, tmp_path / "old.sqlite")
    document, package = tmp_path / "old.json", tmp_path / "old.baseline-package"
    assert run(capsys, "export-json", "--db", old, "--out", document)[0] == 0
    assert run(capsys, "export-package", "--db", old, "--out", package)[0] == 0
    assert OLD_CYCLE in json.loads(document.read_text())["audits"][0]["cycle"]
    here = tmp_path / "here.sqlite"
    assert run(capsys, "new", "--db", here)[0] == 0
    assert run(capsys, "import", document, "--db", here)[0] == 0
    status, out, err = run(capsys, "import", document, "--db", here)
    assert (status, err) == (0, ""), err
    assert "already up to date" in out
    status, out, err = run(capsys, "merge", package, "--db", here)
    assert (status, err) == (0, ""), out
    assert "not merged" not in out
    with Store(here, read_only=True) as store:
        assert [(a.department_name, a.cycle) for a in store.audits()] == [
            ("Office for Tests", "2014 review")
        ]


def test_a_changed_document_updates_the_audit_stored_uncleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """V6: into the earlier version's own workspace, a changed document (its labels cleaned as
    every door cleans them) was refused: 'the audit id … is already …, 2014\u200b review here'."""
    old = _old_workspace(capsys, tmp_path / "old.sqlite")
    document = tmp_path / "old.json"
    assert run(capsys, "export-json", "--db", old, "--out", document)[0] == 0
    changed = json.loads(document.read_text())
    changed["audits"][0]["auditor"] = "A. Person"
    document.write_text(json.dumps(changed))
    status, out, err = run(capsys, "import", document, "--db", old)
    assert (status, err) == (0, ""), err
    assert "updated 1" in out
    with Store(old, read_only=True) as store:
        (audit,) = store.audits()
        assert (audit.cycle, audit.auditor) == (OLD_CYCLE, "A. Person")


@pytest.mark.parametrize("cycle", [OLD_CYCLE, "2014 review"])
def test_audit_new_of_a_cycle_stored_uncleaned_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cycle: str
) -> None:
    """V3: the cycle was cleaned, then checked exactly against the stored uncleaned one: a
    second, identical-looking audit of the same department and cycle was started."""
    old = _old_workspace(capsys, tmp_path / "old.sqlite")
    where = ("--db", old, "--department", "Office for Tests", "--cycle", cycle)
    status, _out, err = run(capsys, "audit", "new", *where)
    assert status == 2 and "already has an audit" in err
    with Store(old, read_only=True) as store:
        assert [a.cycle for a in store.audits()] == [OLD_CYCLE]


@pytest.mark.parametrize("name", ["Office for Tests", "office  for tests ", OLD_NAME])
def test_department_add_beside_a_name_stored_uncleaned_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """V4: the plain name added a second department; the old one's audits were then unreachable
    by that name (report picked the new, empty one)."""
    old = _old_workspace(capsys, tmp_path / "old.sqlite")
    status, _out, err = run(capsys, "department", "add", name, "--db", old)
    assert status == 2 and "already in" in err
    with Store(old, read_only=True) as store:
        assert [d.name for d in store.departments()] == [OLD_NAME]


def test_a_package_naming_the_department_plainly_merges_into_the_one_stored_uncleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A package from another workspace ('Office for Tests', its own department id) merged
    into the earlier version's workspace added a second, identical-looking department."""
    old = _old_workspace(capsys, tmp_path / "old.sqlite")
    other = tmp_path / "other.sqlite"
    assert run(capsys, "new", "--db", other)[0] == 0
    assert run(capsys, "department", "add", "Office for Tests", "--db", other)[0] == 0
    where = ("--db", other, "--department", "Office for Tests", "--cycle", "2015 review")
    assert run(capsys, "audit", "new", *where)[0] == 0
    package = tmp_path / "other.baseline-package"
    assert run(capsys, "export-package", "--db", other, "--out", package)[0] == 0
    status, out, err = run(capsys, "merge", package, "--db", old)
    assert (status, err) == (0, ""), out
    with Store(old, read_only=True) as store:
        (department,) = store.departments()
        assert department.name == OLD_NAME
        assert sorted(a.cycle for a in store.audits(department.id)) == [OLD_CYCLE, "2015 review"]
