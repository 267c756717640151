"""The headless PDF commands: report (one audit's board report) and summary-report (a cycle)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import exporters.board_report
import exporters.summary_report
from desktop.cli import build_parser, main
from tests.exporters import demo_copy


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    """A demo workspace file: DWP and HMRC, a 2013 baseline and a 2014 review each."""
    return demo_copy(demo_file, tmp_path / "audits.sqlite")


def pdf_text(path: Path) -> str:
    """Every page's text, with line breaks and runs of spaces as single spaces."""
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def report(workspace: Path, out: Path, *more: str, department: str = "DWP") -> list[str]:
    return ["report", "--db", str(workspace), "--department", department, "--out", str(out), *more]


def left_in(folder: Path) -> list[str]:
    """Files in the folder other than the workspace's own."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("audits.sqlite"))


# --------------------------------------------------------------------------- written


@pytest.mark.parametrize(
    ("department", "name"),
    [("DWP", "Department for Work and Pensions"), ("hm revenue & customs", "HM Revenue & Customs")],
)
def test_report_writes_the_audits_board_report(
    tmp_path: Path, workspace: Path, department: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.pdf"
    args = report(workspace, out, "--cycle", "2014 review", department=department)
    assert main([*args, "--marking", "OFFICIAL-SENSITIVE"]) == 0
    pages = len(PdfReader(out).pages)
    assert pages > 0
    assert capsys.readouterr().out == f"Wrote {pages} page{'s' if pages != 1 else ''} to {out}\n"
    text = pdf_text(out)
    assert "OFFICIAL-SENSITIVE" in text and name in text and "2014 review" in text
    assert left_in(tmp_path) == ["board.pdf"]  # no temporary file left beside it


def test_report_is_official_unless_asked_and_the_marking_ignores_case(
    tmp_path: Path, workspace: Path
) -> None:
    plain, sensitive = tmp_path / "plain.pdf", tmp_path / "sensitive.pdf"
    assert main(report(workspace, plain, "--cycle", "2013 baseline")) == 0
    assert main([*report(workspace, sensitive, "--cycle", "2013 baseline"), "--marking",
                 "official-sensitive"]) == 0  # fmt: skip
    assert "OFFICIAL" in pdf_text(plain) and "OFFICIAL-SENSITIVE" not in pdf_text(plain)
    assert "OFFICIAL-SENSITIVE" in pdf_text(sensitive)


def test_report_with_redacted_names(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "wide.pdf"
    assert main([*report(workspace, out, "--cycle", "2014 review"), "--redact-names"]) == 0
    assert len(PdfReader(out).pages) > 0
    assert f"to {out}" in capsys.readouterr().out


def test_summary_report_writes_the_cycle(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.pdf"
    args = ["summary-report", "--db", str(workspace), "--cycle", "2013 baseline"]
    assert main([*args, "--out", str(out), "--marking", "OFFICIAL-SENSITIVE"]) == 0
    pages = len(PdfReader(out).pages)
    assert pages > 0
    assert f"Wrote {pages} page" in capsys.readouterr().out
    text = pdf_text(out)
    assert "OFFICIAL-SENSITIVE" in text and "2013 baseline" in text


def test_an_old_report_is_replaced(tmp_path: Path, workspace: Path) -> None:
    out = tmp_path / "board.pdf"
    out.write_bytes(b"last year's report")
    assert main(report(workspace, out, "--cycle", "2014 review")) == 0
    assert out.read_bytes().startswith(b"%PDF")


# --------------------------------------------------------------------------- refused


def test_missing_workspace_is_reported_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, out = tmp_path / "nowhere.sqlite", tmp_path / "x.pdf"
    for args in (
        report(db, out, "--cycle", "2014 review"),
        ["summary-report", "--db", str(db), "--cycle", "2014 review", "--out", str(out)],
    ):
        assert main(args) == 2
        assert f"there is no workspace at {db}" in capsys.readouterr().err
    assert not db.exists() and not out.exists()


def test_unknown_department_names_it_and_the_close_matches(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(report(workspace, out, "--cycle", "2014 review", department="DPW")) == 2
    captured = capsys.readouterr()
    assert "no department 'DPW' in audits.sqlite" in captured.err
    assert "Did you mean Department for Work and Pensions (DWP)?" in captured.err
    assert captured.out == "" and not out.exists()

    assert main(report(workspace, out, "--cycle", "2014 review", department="MoJ")) == 2
    err = capsys.readouterr().err
    assert "no department 'MoJ'" in err and "Did you mean" not in err  # nothing close


def test_department_without_an_audit_for_the_cycle(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(report(workspace, out, "--cycle", "2015 review")) == 2
    err = capsys.readouterr().err
    assert "Department for Work and Pensions has no audit for the cycle '2015 review'" in err
    assert "2013 baseline, 2014 review" in err
    assert not out.exists()


def test_summary_of_an_unknown_cycle(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    args = ["summary-report", "--db", str(workspace), "--cycle", "2099", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "no audits in the cycle '2099'" in err and "2013 baseline, 2014 review" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("where", "reason"),
    [("no such folder/board.pdf", "there is no folder"), ("a folder", "it is a folder"),
     ("notes.txt/board.pdf", "there is no folder")],
)  # fmt: skip
def test_output_that_cannot_be_written(
    tmp_path: Path, workspace: Path, where: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a folder")
    out = tmp_path / where
    for args in (
        report(workspace, out, "--cycle", "2014 review"),
        ["summary-report", "--db", str(workspace), "--cycle", "2014 review", "--out", str(out)],
    ):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert f"cannot write {out}: {reason}" in err
    assert left_in(tmp_path) == ["a folder", "notes.txt"]


def test_a_write_failing_midway_names_the_file_not_the_temporary_one(
    tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    def full_disk(done: int, total: int) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / ".board.pdf.1.part"))

    with_progress(monkeypatch, exporters.board_report, "write_board_report", full_disk)
    out = tmp_path / "board.pdf"
    assert main(report(workspace, out, "--cycle", "2014 review")) == 2
    assert f"cannot write {out}: No space left on device." in capsys.readouterr().err
    assert left_in(tmp_path) == []


def test_unknown_marking_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(
            ["report", "--db", "a", "--department", "DWP", "--cycle", "c", "--out", "o.pdf",
             "--marking", "SECRET"]
        )  # fmt: skip
    assert exit_.value.code == 2
    assert "OFFICIAL-SENSITIVE" in capsys.readouterr().err


# --------------------------------------------------------------------------- Ctrl+C


def with_progress(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, progress: Any) -> None:
    """Run the real writer with this progress callback (as if the user acted midway)."""
    real = getattr(module, name)

    def writer(store: Any, what: str, path: Path, options: Any, *_: Any, **__: Any) -> Any:
        return real(store, what, path, options, progress=progress)

    monkeypatch.setattr(module, name, writer)


def interrupt(done: int, total: int) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("command", ["report", "summary-report"])
def test_ctrl_c_exits_130_and_keeps_the_old_file(
    tmp_path: Path, workspace: Path, command: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    with_progress(monkeypatch, exporters.board_report, "write_board_report", interrupt)
    with_progress(monkeypatch, exporters.summary_report, "write_summary_report", interrupt)
    out = tmp_path / "board.pdf"
    out.write_bytes(b"last year's report")
    if command == "report":
        args = report(workspace, out, "--cycle", "2014 review")
    else:
        args = [
            "summary-report",
            "--db",
            str(workspace),
            "--cycle",
            "2014 review",
            "--out",
            str(out),
        ]
    assert main(args) == 130
    assert "cancelled; nothing was written" in capsys.readouterr().err
    assert out.read_bytes() == b"last year's report"
    assert left_in(tmp_path) == ["board.pdf"]


def test_help_lists_the_report_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "baseline report --db" in out and "baseline summary-report --db" in out
