"""The headless workbook commands: export-xlsx, data-return and import."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from importers.own_workbook import read_own_workbook
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import (
    audit_snapshot,
    demo_copy,
    dump_workspace,
    header_index,
    metadata_rows,
    row_of,
    sample_audit,
)


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    """A demo workspace file: DWP and HMRC, a 2013 baseline and a 2014 review each."""
    return demo_copy(demo_file, tmp_path / "audits.sqlite")


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """An empty but valid workspace file."""
    path = tmp_path / "fresh.sqlite"
    Store(path).close()
    return path


def exported(path: Path) -> list[tuple[str, str]]:
    _, audits = metadata_rows(path)
    return sorted((a["department_name"], a["cycle"]) for a in audits)


# --------------------------------------------------------------------------- export-xlsx


def test_export_whole_workspace(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out)]) == 0
    assert "Wrote 4 audit(s)" in capsys.readouterr().out
    contents = read_own_workbook(out)
    assert contents.kind == "export" and len(contents.audits) == 4 and not contents.problems
    with Store(workspace) as store:
        assert exported(out) == sorted((a.department_name, a.cycle) for a in store.audits())
    assert "All answers" in load_workbook(out, read_only=True).sheetnames


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--department", "HM Revenue & Customs"],
         [("HM Revenue & Customs", "2013 baseline"), ("HM Revenue & Customs", "2014 review")]),
        (["--department", "dwp", "--cycle", "2013 baseline"],
         [("Department for Work and Pensions", "2013 baseline")]),
        (["--cycle", "2014 review"],
         [("Department for Work and Pensions", "2014 review"),
          ("HM Revenue & Customs", "2014 review")]),
    ],
)  # fmt: skip
def test_export_filters_by_department_and_cycle(
    tmp_path: Path, workspace: Path, filters: list[str], expected: list[tuple[str, str]]
) -> None:
    out = tmp_path / "some.xlsx"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out), *filters]) == 0
    assert exported(out) == expected
    names = load_workbook(out, read_only=True).sheetnames
    assert ("All answers" in names) is (len(expected) > 1)


def test_export_unknown_department_fails_on_stderr_and_writes_nothing(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.xlsx"
    code = main(["export-xlsx", "--db", str(workspace), "--out", str(out), "--department", "MoJ"])
    captured = capsys.readouterr()
    assert code != 0
    assert "'MoJ'" in captured.err and captured.out == ""
    assert not out.exists()


def test_export_with_no_matching_audits_fails_and_writes_nothing(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.xlsx"
    code = main(["export-xlsx", "--db", str(workspace), "--out", str(out), "--cycle", "2099"])
    assert code == 1
    assert "no audits match" in capsys.readouterr().err
    assert not out.exists()


def test_missing_workspace_is_reported_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nowhere.sqlite"
    code = main(["export-xlsx", "--db", str(db), "--out", str(tmp_path / "x.xlsx")])
    assert code != 0 and str(db) in capsys.readouterr().err
    assert not db.exists()


# --------------------------------------------------------------------------- data-return


def test_data_return_blank_and_prefilled(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank, full = tmp_path / "blank.xlsx", tmp_path / "full.xlsx"
    base = ["data-return", "--db", str(workspace), "--department", "HMRC"]
    assert main([*base, "--cycle", "2015 review", "--out", str(blank)]) == 0
    # The signed-off baseline: every required answer (the total spend among them) is given.
    assert main([*base, "--cycle", "2013 baseline", "--out", str(full), "--prefill"]) == 0
    out = capsys.readouterr().out
    assert "blank data return for HM Revenue & Customs, 2015 review" in out
    assert "pre-filled data return for HM Revenue & Customs, 2013 baseline" in out

    with Store(workspace) as store:
        dept = store.find_department("HMRC")
        assert dept is not None
        audit = store.find_audit(dept.id, "2013 baseline")
        assert audit is not None
        answers = store.answers(audit.id)
    ws_blank = load_workbook(blank)["9 Money"]
    ws_full = load_workbook(full)["9 Money"]
    cols = header_index(ws_full)
    spend = ws_full.cell(row_of(ws_full, "total_tech_spend"), cols["Answer"])
    assert answers["total_tech_spend"] > 0
    assert spend.value == pytest.approx(answers["total_tech_spend"])
    assert spend.number_format == '"£"#,##0.00'
    assert ws_blank.cell(row_of(ws_blank, "total_tech_spend"), cols["Answer"]).value is None
    props, _ = metadata_rows(full)
    assert props["prefilled"] == "yes"


def test_data_return_prefill_without_an_audit_fails(
    tmp_path: Path, fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(fresh) as store:
        store.add_department("Cabinet Office", "CO")
    out = tmp_path / "co.xlsx"
    args = ["data-return", "--db", str(fresh), "--department", "CO", "--cycle", "2013 baseline"]
    assert main([*args, "--out", str(out), "--prefill"]) != 0
    assert "Cabinet Office has no audit" in capsys.readouterr().err
    assert not out.exists()


# --------------------------------------------------------------------------- import


def test_import_into_a_fresh_workspace_recreates_every_audit(
    tmp_path: Path, workspace: Path, fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out)]) == 0
    assert main(["import", str(out), "--db", str(fresh)]) == 0
    assert "added 4 audit(s)" in capsys.readouterr().out

    with Store(workspace) as source, Store(fresh) as copy:
        assert [astuple(d)[:4] for d in copy.departments()] == [
            astuple(d)[:4] for d in source.departments()
        ]
        originals = source.audits()
        assert sorted(a.id for a in copy.audits()) == sorted(a.id for a in originals)
        for audit in originals:
            assert copy.audit(audit.id) == audit
            assert audit_snapshot(copy, audit.id) == audit_snapshot(source, audit.id)


def test_import_again_is_unchanged(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out)]) == 0
    before = dump_workspace(workspace)
    assert main(["import", str(out), "--db", str(workspace)]) == 0
    assert "4 already up to date" in capsys.readouterr().out
    assert dump_workspace(workspace) == before


def test_import_dry_run_writes_nothing(
    tmp_path: Path, workspace: Path, fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["export-xlsx", "--db", str(workspace), "--out", str(out)]) == 0
    capsys.readouterr()
    before = dump_workspace(fresh)
    assert main(["import", str(out), "--db", str(fresh), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Add the audit") == 4 and "Dry run: nothing was written." in printed
    assert dump_workspace(fresh) == before


def test_import_with_problems_needs_accept_problems(
    tmp_path: Path, fresh: Path, questionnaire: Questionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(fresh) as store:
        audit = sample_audit(store, questionnaire)
        before_answers = store.answers(audit.id)
    path = tmp_path / "dft.xlsx"
    args = ["data-return", "--db", str(fresh), "--department", "DfT", "--cycle", audit.cycle]
    assert main([*args, "--out", str(path), "--prefill"]) == 0
    book = load_workbook(path)
    money = book["9 Money"]
    cols = header_index(money)
    money.cell(row_of(money, "total_tech_spend"), cols["Answer"]).value = "lots"
    money.cell(row_of(money, "cloud_spend"), cols["Answer"]).value = 250_000
    book.save(path)
    capsys.readouterr()

    before = dump_workspace(fresh)
    assert main(["import", str(path), "--db", str(fresh)]) == 1
    captured = capsys.readouterr()
    assert "9 Money!D" in captured.out and "'lots'" in captured.out
    assert "Nothing was imported" in captured.err and "--accept-problems" in captured.err
    assert dump_workspace(fresh) == before

    assert main(["import", str(path), "--db", str(fresh), "--accept-problems"]) == 0
    with Store(fresh) as store:
        answers = store.answers(audit.id)
    assert answers == dict(before_answers, cloud_spend=250_000)
    assert answers["total_tech_spend"] == before_answers["total_tech_spend"]


def test_import_of_a_file_that_is_not_a_workbook_fails_naming_it(
    tmp_path: Path, fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    before = dump_workspace(fresh)
    assert main(["import", str(path), "--db", str(fresh)]) != 0
    assert "notes.xlsx" in capsys.readouterr().err
    assert dump_workspace(fresh) == before
