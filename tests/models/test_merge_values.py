"""Hand-worked cases of values a package brings that do not fit the questionnaire.

A merge takes what fits and leaves out what does not, as a workbook import does: each
value left out is listed (audit, question, row, column and why) and this workspace keeps
its own value for it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from models.audit_package import CONTENT, MANIFEST, read_package, write_package
from models.merge import MergeError, apply_merge, plan_merge
from models.questionnaire import Questionnaire
from models.store import Store


def edited(source: Path, target: Path, change: Any) -> Path:
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        content = json.loads(zf.read(CONTENT))
    change(content["audits"][0])
    data = json.dumps(content).encode()
    manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    manifest["content_bytes"] = len(data)
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(CONTENT, data)
    return target


def news(item: dict[str, Any], kind: str, record: str, question: str) -> None:
    """A change record the receiving workspace has not seen, so the value is taken."""
    n = len(item["changes"])
    item["changes"].append(
        [f"elsewhere:{n}", kind, record, question, None, "x", "mallory", "2030-01-01", ""]
    )


@pytest.fixture
def shared(tmp_path: Path, questionnaire: Questionnaire) -> tuple[Store, Path, str, str]:
    """Workspace b shares an audit with a; the path of a's package and the audit and row ids."""
    with Store(tmp_path / "a.sqlite") as a:
        dept = a.add_department("Home Office", "HO")
        audit = a.create_audit(dept.id, "2013 baseline", questionnaire).id
        a.set_answer(audit, "board_tech_expert_count", 2)
        a.set_answer(audit, "cio_on_board", True)
        [row] = a.insert_rows(audit, "senior_roles", 0, [{"job_title": "CIO", "fte": 1.0}])
        path = tmp_path / "a.baseline-package"
        write_package(a, path, [audit])
    b = Store(tmp_path / "b.sqlite")
    apply_merge(b, read_package(path))
    return b, path, audit, row.id


def test_values_that_do_not_fit_are_listed_and_left_out(
    shared: tuple[Store, Path, str, str], tmp_path: Path
) -> None:
    b, path, audit, row = shared

    def change(item: dict[str, Any]) -> None:
        item["answers"]["board_tech_expert_count"] = float("nan")
        news(item, "answer", "board_tech_expert_count", "board_tech_expert_count")
        item["answers"]["cio_on_board"] = "yes please"
        news(item, "answer", "cio_on_board", "cio_on_board")
        item["answers"]["no_such_question"] = 1
        item["answers"]["digital_leader_post"] = "Chief Digital Officer"  # fits: taken
        news(item, "answer", "digital_leader_post", "digital_leader_post")
        item["comments"]["digital_leader_post"] = ["not", "text"]
        cells = item["rows"][0][3]
        cells["fte"] = float("inf")
        cells["job_title"] = "Chief Information Officer"  # fits: taken
        cells.update({f"extra{i}": i for i in range(10_000)})
        news(item, "row", row, "senior_roles")

    package = read_package(edited(path, tmp_path / "bad.baseline-package", change))
    summary = plan_merge(b, package).summary()
    assert "6 value(s) in the package do not fit the questionnaire" in summary
    for expected in (
        "answer to 'board_tech_expert_count': nan is not a number that can be stored",
        "answer to 'cio_on_board': Answer yes or no.",
        "answer to 'no_such_question': there is no such question",
        "comment on 'digital_leader_post': a list where text is expected",
        f"row {row!r} of 'senior_roles': no such column(s) 'extra0', 'extra1'",
        "and 9,995 more",
        f"row {row!r} of 'senior_roles', column 'fte': inf is not a number",
    ):
        assert expected in summary, expected
    assert "Home Office, 2013 baseline (audit " in summary
    report = apply_merge(b, package)
    assert any("do not fit the questionnaire" in n for n in report.notes)
    answers = b.answers(audit)
    assert answers["board_tech_expert_count"] == 2 and answers["cio_on_board"] is True
    assert answers["digital_leader_post"] == "Chief Digital Officer"
    assert "no_such_question" not in answers
    [stored] = b.rows(audit, "senior_roles")
    assert stored.cells == {"job_title": "Chief Information Officer", "fte": 1.0}


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_the_store_refuses_numbers_that_are_not_finite(
    store: Store, questionnaire: Questionnaire, value: float
) -> None:
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013", questionnaire).id
    [row] = store.insert_rows(audit, "senior_roles", 0, [{"fte": 1.0}])
    with pytest.raises(ValueError, match="not finite"):
        store.set_answer(audit, "total_tech_spend", value)
    with pytest.raises(ValueError, match="not finite"):
        store.set_cell(audit, row.id, "fte", value)
    with pytest.raises(ValueError, match="not finite"):
        store.insert_rows(audit, "senior_roles", 1, [{"fte": value}])
    assert "total_tech_spend" not in store.answers(audit)
    assert [r.cells for r in store.rows(audit, "senior_roles")] == [{"fte": 1.0}]


def test_a_package_built_in_code_is_checked_too(shared: tuple[Store, Path, str, str]) -> None:
    """The merge checks every value itself, whatever made the package it is handed."""
    b, path, audit, _ = shared
    package = read_package(path)
    package.audits[0].answers["board_tech_expert_count"] = float("nan")
    before = b.content_hash(audit), b.conn.execute("SELECT count(*) FROM history").fetchone()
    with pytest.raises(MergeError, match="'board_tech_expert_count': nan is not a number"):
        apply_merge(b, package)
    assert (b.content_hash(audit), b.conn.execute("SELECT count(*) FROM history").fetchone()) == (
        before
    )


@pytest.mark.parametrize("table", ["no_such_table", "digital_leader_post"])
def test_a_row_refused_whole_leaves_this_workspaces_row(
    shared: tuple[Store, Path, str, str], tmp_path: Path, table: str
) -> None:
    b, path, audit, row = shared

    def change(item: dict[str, Any]) -> None:
        item["rows"][0][1] = table
        news(item, "row", row, table)

    package = read_package(edited(path, tmp_path / "bad.baseline-package", change))
    assert f"row {row!r} of {table!r}: there is no such table" in plan_merge(b, package).summary()
    apply_merge(b, package)
    assert [r.cells for r in b.rows(audit, "senior_roles")] == [{"job_title": "CIO", "fte": 1.0}]
