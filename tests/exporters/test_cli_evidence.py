"""`baseline evidence add|list|extract|remove`: evidence for scripts, refused files named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from models.store import Store
from tests.exporters import demo_copy


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    return demo_copy(demo_file, tmp_path / "audits.sqlite")


def _audit(workspace: Path) -> list[str]:
    with Store(workspace, read_only=True) as store:
        audit = next(a for a in store.audits() if a.status == "draft")
        dept = store.department(audit.department_id)
    return ["--db", str(workspace), "--department", dept.name, "--cycle", audit.cycle]


def test_add_list_extract_remove(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    which = _audit(workspace)
    source = tmp_path / "Digital strategy.pdf"
    source.write_bytes(b"%PDF-1.5 strategy " * 1000)
    add = ["evidence", "add", str(source), *which, "--question", "digital_leader_post"]
    assert main(add) == 0
    assert "Attached Digital strategy.pdf" in capsys.readouterr().out
    assert main(["evidence", "add", str(source), *which, "--question", "senior_roles",
                 "--row", "1"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["evidence", "list", *which, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["question"], e["name"], e["size"]) for e in listed] == [
        ("digital_leader_post", "Digital strategy.pdf", source.stat().st_size),
        ("senior_roles", "Digital strategy.pdf", source.stat().st_size),
    ]
    assert listed[1]["row_id"] and listed[0]["row_id"] is None
    out = tmp_path / "out"
    out.mkdir()
    assert main(["evidence", "extract", *which, "--id", listed[0]["id"], "--out", str(out)]) == 0
    assert (out / "Digital strategy.pdf").read_bytes() == source.read_bytes()
    assert main(["evidence", "remove", *which, "--id", listed[0]["id"]]) == 0
    capsys.readouterr()
    assert main(["evidence", "list", *which, "--json"]) == 0
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [listed[1]["id"]]


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("installer.exe", b"%PDF", "installer.exe cannot be kept as evidence"),
        ("minutes.pdf", b"MZ\x90\x00rest", "minutes.pdf cannot be kept as evidence"),
    ],
)
def test_refused_files_are_named_and_nothing_changes(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
    data: bytes, why: str,
) -> None:  # fmt: skip
    which = _audit(workspace)
    source = tmp_path / name
    source.write_bytes(data)
    before = workspace.read_bytes()
    assert main(["evidence", "add", str(source), *which, "--question", "digital_leader_post"]) == 2
    assert why in capsys.readouterr().err
    assert workspace.read_bytes() == before


def test_bad_row_and_audit_are_refused(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    which = _audit(workspace)
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF")
    assert main(["evidence", "add", str(source), *which, "--question", "senior_roles",
                 "--row", "999"]) == 2  # fmt: skip
    assert "there is no row 999" in capsys.readouterr().err
    wrong = [*which[:-1], "1999"]
    assert main(["evidence", "list", *wrong]) == 2
    assert "has no audit for '1999'" in capsys.readouterr().err
