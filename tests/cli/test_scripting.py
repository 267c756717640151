"""The scripting commands in this process: every refusal writes nothing and exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.store import Store
from models.workspace_lock import LockHolder, lock_path
from tests.cli import run, run_json
from tests.exporters import dump_workspace

CYCLE = "2015 review"
JANE = LockHolder("Jane Smith", "LAPTOP-12", 4242, "2026-12-06T09:14:00+00:00")


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A workspace made by the commands: DWP with a draft audit for the 2015 review."""
    path = tmp_path / "audits.sqlite"
    assert run(capsys, "new", "--db", path)[0] == 0
    assert run(capsys, "department", "add", "DWP", "--db", path)[0] == 0
    new = ("audit", "new", "--db", path, "--department", "DWP", "--cycle", CYCLE)
    assert run(capsys, *new)[0] == 0
    return path


def which(db: Path) -> list[str]:
    return ["--db", str(db), "--department", "DWP", "--cycle", CYCLE]


def answers(db: Path) -> dict[str, object]:
    with Store(db) as store:
        audit = store.audits()[0]
        return store.answers(audit.id)


# --------------------------------------------------------------------------- from nothing
def test_new_makes_a_workspace_and_refuses_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.sqlite"
    made = run_json(capsys, "new", "--db", path)
    assert made["created"] is True and path.is_file()
    with Store(path) as store:
        assert store.departments() == [] and store.audits() == []
    before = path.read_bytes()
    status, _, err = run(capsys, "new", "--db", path)
    assert status == 2 and "already exists" in err and path.read_bytes() == before


def test_department_add_fills_in_from_the_govuk_list(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    added = run_json(capsys, "department", "add", "Home Office", "--db", db)
    assert (added["name"], added["govuk_id"], added["on_govuk_list"]) == (
        "Home Office", "home-office", True,
    )  # fmt: skip
    typed = run_json(capsys, "department", "add", "Office for Made-up Things", "--db", db)
    assert (typed["govuk_id"], typed["on_govuk_list"]) == ("", False)
    listed = run_json(capsys, "department", "list", "--db", db)
    assert [(d["name"], d["abbreviation"], d["audits"]) for d in listed] == [
        ("Department for Work and Pensions", "DWP", 1),
        ("Home Office", "Home Office", 0),  # as the GOV.UK list gives it
        ("Office for Made-up Things", "", 0),
    ]


def test_import_into_a_missing_workspace_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "all.json"
    doc.write_text("{}", encoding="utf-8")
    status, _, err = run(capsys, "import", doc, "--db", tmp_path / "none.sqlite")
    assert status == 2 and "baseline new --db" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_demo_of_no_departments_leaves_no_workspace_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "demo", "--db", tmp_path / "d.sqlite", "--departments", "0")
    assert status == 2 and "at least one department" in err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- refusals
def refused(db: Path, capsys: pytest.CaptureFixture[str], *argv: str, says: str) -> None:
    """The command exits 2 with a message saying `says`, and the workspace is unchanged."""
    before = dump_workspace(db)
    status, out, err = run(capsys, *argv)
    assert status == 2, (out, err)
    assert says in err
    assert "Traceback" not in err
    assert dump_workspace(db) == before


def test_unknown_department_is_refused_with_the_closest(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        db, capsys, "audit", "new", "--db", str(db), "--department", "DWPP", "--cycle", CYCLE,
        says="no department 'DWPP' in audits.sqlite. Did you mean",
    )  # fmt: skip
    refused(db, capsys, "audit", "show", "--db", str(db), "--department", "HMRC", "--cycle",
            CYCLE, says="no department 'HMRC'")  # fmt: skip


def test_duplicate_audit_and_department_are_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(db, capsys, "audit", "new", *which(db), says="already has an audit for '2015 review'")
    refused(db, capsys, "department", "add", "Department for Work and Pensions", "--db", str(db),
            says="is already in audits.sqlite")  # fmt: skip


def test_bad_value_is_refused_naming_question_and_type_and_nothing_is_written(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        db, capsys, "audit", "set", *which(db),
        "digital_leader_nominated=yes", "board_tech_expert_count=two",
        says="question 'board_tech_expert_count' (How many board members have expertise in "
        "technology policy?): 'two' is not a number: a whole number is wanted. Nothing was "
        "changed.",
    )  # fmt: skip
    assert answers(db) == {}  # the good value given with it was not written either


def test_bad_question_id_is_refused_with_the_closest(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        db,
        capsys,
        "audit",
        "set",
        *which(db),
        "board_tech_expert_cnt=2",
        says="no question 'board_tech_expert_cnt'. Did you mean board_tech_expert_count",
    )
    refused(db, capsys, "audit", "set", *which(db), "senior_roles=3",
            says="'senior_roles' is a table")  # fmt: skip
    refused(db, capsys, "history", *which(db), "--question", "nope", says="no question 'nope'")


def test_locked_workspace_is_refused_naming_who_has_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_path(db).write_text(json.dumps(JANE.__dict__), encoding="utf-8")
    refused(db, capsys, "audit", "set", *which(db), "board_tech_expert_count=2",
            says="Jane Smith has it open on LAPTOP-12")  # fmt: skip
    refused(db, capsys, "audit", "move", *which(db), "submit", says="Jane Smith")
    refused(db, capsys, "department", "add", "HMRC", "--db", str(db), says="Jane Smith")
    assert run(capsys, "audit", "show", *which(db))[0] == 0  # reading is not a write


def test_wrong_lifecycle_moves_are_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(db, capsys, "audit", "move", *which(db), "review",
            says="is draft: it can submit for review, not review")  # fmt: skip
    refused(db, capsys, "audit", "move", *which(db), "submit",
            says="cannot be submitted: ")  # fmt: skip
    with Store(db) as store:
        store.set_status(store.audits()[0].id, "signed_off")
    refused(db, capsys, "audit", "move", *which(db), "reopen",
            says="Reopen needs a reason")  # fmt: skip
    refused(db, capsys, "audit", "set", *which(db), "board_tech_expert_count=2",
            says="is signed off, so it cannot change until it is reopened")  # fmt: skip
    moved = run_json(capsys, "audit", "move", *which(db), "reopen", "--reason", "late figures")
    assert moved["status"] == "draft"
    history = run_json(capsys, "history", *which(db))
    assert history[0]["kind"] == "status" and history[0]["note"] == "late figures"


# --------------------------------------------------------------------------- setting values
def test_values_are_read_as_the_form_reads_typing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "answers.json"
    given.write_text(
        json.dumps({
            "answers": {"scs_tech_policy_trained_pct": "45%", "total_tech_spend": "£1.2m"},
            "comments": {"total_tech_spend": "From the annual report."},
            "tables": {"senior_roles": [{"id": None, "cells": {
                "job_title": "Chief Digital Officer", "grade": "SCS Pay Band 2",
                "pay_floor": "£120k", "board_member": "yes"}}]},
        }),
        encoding="utf-8",
    )  # fmt: skip
    changed = run_json(capsys, "audit", "set", *which(db), "digital_leader_nominated=Yes",
                       "board_tech_expert_count=12", "--from-json", str(given))  # fmt: skip
    assert len(changed["changes"]) == 6
    shown = run_json(capsys, "audit", "show", *which(db))["audits"][0]
    assert shown["answers"] == {
        "digital_leader_nominated": True,
        "board_tech_expert_count": 12,
        "scs_tech_policy_trained_pct": 45.0,
        "total_tech_spend": 1_200_000.0,
    }
    assert shown["comments"] == {"total_tech_spend": "From the annual report."}
    [row] = shown["tables"]["senior_roles"]
    assert row["cells"] == {"job_title": "Chief Digital Officer", "grade": "scs2",
                            "pay_floor": 120_000.0, "board_member": True}  # fmt: skip
    assert {"overall_maturity", "indicators"} <= set(shown["figures"])
    assert isinstance(shown["data_quality"], list)
    # The same again changes nothing: exit 1. An empty value clears the answer.
    status, _, _ = run(capsys, "audit", "set", *which(db), "digital_leader_nominated=yes")
    assert status == 1
    assert run(capsys, "audit", "set", *which(db), "digital_leader_nominated=")[0] == 0
    assert "digital_leader_nominated" not in answers(db)
    given.write_text(
        '{"answers": {"total_tech_spend": null}, "comments": {"total_tech_spend": null}}'
    )
    assert run(capsys, "audit", "set", *which(db), "--from-json", str(given))[0] == 0
    shown = run_json(capsys, "audit", "show", *which(db))["audits"][0]
    assert "total_tech_spend" not in shown["answers"] and shown["comments"] == {}


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (2.5, "(How many board members have expertise in technology policy?): Enter a whole "
              "number.\n"),
        (-1, "policy?): Must be at least 0: a whole number is wanted.\n"),
    ],
)  # fmt: skip
def test_a_bad_json_value_is_refused_in_one_sentence_saying_what_is_wanted(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: float, says: str
) -> None:
    given = tmp_path / "answers.json"
    given.write_text(json.dumps({"answers": {"board_tech_expert_count": value}}), "utf-8")
    refused(db, capsys, "audit", "set", *which(db), "--from-json", str(given), says=says)


def test_a_bad_value_in_a_json_file_is_refused_naming_table_row_and_column(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "answers.json"
    given.write_text(json.dumps({
        "answers": {"board_tech_expert_count": 3},
        "tables": {"senior_roles": [{"cells": {"job_title": "CTO"}},
                                    {"cells": {"grade": "Grade 99"}}]},
    }), encoding="utf-8")  # fmt: skip
    refused(db, capsys, "audit", "set", *which(db), "--from-json", str(given),
            says="table 'senior_roles' (")  # fmt: skip
    err = run(capsys, "audit", "set", *which(db), "--from-json", str(given))[2]
    assert "role 2, column 'grade' (Grade): 'Grade 99' is not one of the choices" in err


def test_import_of_a_document_with_a_bad_value_lists_it_and_imports_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "audit", "set", *which(db), "board_tech_expert_count=2")[0] == 0
    out = tmp_path / "all.json"
    assert run(capsys, "export-json", "--db", db, "--out", out)[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["audits"][0]["answers"]["board_tech_expert_count"] = "lots"
    doc["audits"][0]["answers"]["no_such_question"] = 1
    out.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other.sqlite"
    assert run(capsys, "new", "--db", other)[0] == 0
    before = dump_workspace(other)
    status, stdout, err = run(capsys, "import", out, "--db", other, "--json")
    assert status == 1 and "Nothing was imported" in err
    plan = json.loads(stdout)
    assert plan["imported"] is False
    assert any("Department for Work and Pensions, 2015 review: question "
               "'board_tech_expert_count'" in p for p in plan["problems"])  # fmt: skip
    assert any("no_such_question" in p for p in plan["problems"])
    assert dump_workspace(other) == before


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"format": "baseline-audits", "format_version": 1, "audits": [], "audits": []}',
            "appears twice",
        ),
        (
            '{"format": "baseline-audits", "format_version": 1, "audits": [{"x": NaN}]}',
            "NaN is not a number JSON allows",
        ),
        ('{"format": "something else"}', "is not a Baseline audit document"),
        (
            '{"format": "baseline-audits", "format_version": 99, "audits": []}',
            "newer version of Baseline",
        ),
        (
            '{"format": "baseline-audits", "format_version": 1, "audits": [{"cycle": "x"}]}',
            "audits[0].department",
        ),
        ("[1, 2", "is not JSON"),
    ],
)
def test_a_document_that_cannot_be_read_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    doc = tmp_path / "bad.json"
    doc.write_text(text, encoding="utf-8")
    refused(db, capsys, "import", str(doc), "--db", str(db), says=says)


def test_audit_list_filters_and_says_when_nothing_matches(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "department", "add", "HMRC", "--db", db)[0] == 0
    new = ("audit", "new", "--db", db, "--department", "HMRC", "--cycle", CYCLE, "--json")
    assert run(capsys, *new)[0] == 0
    listed = run_json(capsys, "audit", "list", "--db", db, "--department", "HMRC")
    assert [(a["department"], a["cycle"], a["status"]) for a in listed] == [
        ("HM Revenue & Customs", CYCLE, "draft")
    ]
    status, out, err = run(capsys, "audit", "list", "--db", db, "--status", "signed-off")
    assert status == 1 and out == "" and "No audits match" in err


def test_copy_forward_carries_answers_into_the_next_cycle(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "audit", "set", *which(db), "board_tech_expert_count=4")[0] == 0
    made = run_json(capsys, "audit", "new", "--db", db, "--department", "DWP",
                    "--cycle", "2016 review", "--copy-forward")  # fmt: skip
    assert made["copied_from"] is not None
    shown = run_json(capsys, "audit", "show", "--db", db, "--department", "DWP",
                     "--cycle", "2016 review")  # fmt: skip
    assert shown["audits"][0]["answers"] == {"board_tech_expert_count": 4}


def test_progress_is_not_drawn_when_standard_error_is_not_a_terminal(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "export-json", "--db", db, "--out", tmp_path / "x.json")
    assert status == 0 and "\r" not in err and "\\x0d" not in err


def test_audit_new_on_a_named_questionnaire_version(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = ("audit", "new", "--db", str(db), "--department", "DWP", "--cycle", "2013 baseline")
    made = run_json(capsys, *older, "--questionnaire", "board-technology-baseline@1")
    assert made["questionnaire"] == {"id": "board-technology-baseline", "version": 1}
    new = ("audit", "new", "--db", str(db), "--department", "DWP", "--cycle", "x")
    for given, says in (
        ("board-technology-baseline@9", "version 9 is not installed"),
        ("../../etc/passwd@1", "is not a questionnaire id"),
        ("board-technology-baseline", "give it as ID@VERSION"),
    ):
        refused(db, capsys, *new, "--questionnaire", given, says=says)


def test_history_names_the_auditor_a_script_gives(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI asks the auditor's name; a script names them with BASELINE_AUDITOR."""
    monkeypatch.setenv("BASELINE_AUDITOR", "  Jane   Smith ")
    assert run(capsys, "audit", "set", *which(db), "board_tech_expert_count=2")[0] == 0
    changes = run_json(capsys, "history", *which(db), "--question", "board_tech_expert_count")
    assert [c["who"] for c in changes] == ["Jane Smith"]
    monkeypatch.delenv("BASELINE_AUDITOR")
    assert run(capsys, "audit", "set", *which(db), "board_tech_expert_count=3")[0] == 0
    changes = run_json(capsys, "history", *which(db), "--question", "board_tech_expert_count")
    assert changes[0]["who"] not in ("Jane Smith", "")  # the login again
