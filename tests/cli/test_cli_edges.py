"""The command line at its edges, as a script meets them: Ctrl+C, pipes, a full disk,
read-only media, no display, odd text in --json.

Each case was a demonstrated fault (/work/brief/findings-S.md): a traceback on Ctrl+C during
`merge`, a sound workspace on read-only media called damaged, `--json` that did not parse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import models.merge
from models.store import Store
from tests.cli import run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "work.sqlite"
    assert run(capsys, "demo", "--db", path, "--departments", "2")[0] == 0
    return path


def test_ctrl_c_just_after_a_merge_commits_is_exit_130_in_words(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a KeyboardInterrupt in `merge` reached the terminal as a traceback."""
    package = tmp_path / "all.baseline-package"
    assert run(capsys, "export-package", "--db", db, "--out", package)[0] == 0
    target = tmp_path / "new.sqlite"
    assert run(capsys, "new", "--db", target)[0] == 0
    real = models.merge.apply_merge

    def merged_then_interrupted(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # the key pressed as the commit returned

    monkeypatch.setattr(models.merge, "apply_merge", merged_then_interrupted)
    status, _out, err = run(capsys, "merge", package, "--db", target)
    assert status == 130
    assert "Traceback" not in err
    assert "baseline merge: cancelled (Ctrl+C)" in err
    assert "whole or not at all" in err
    with Store(target, read_only=True) as store:  # what was committed is whole
        assert len(store.audits()) == 4
    assert run(capsys, "verify", "--db", target)[0] == 0


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[Path]:
    """A folder on a read-only file system (a tmpfs remounted ro): a DVD, a locked stick, an
    archive share. Skipped where this user cannot mount (needs root in a privileged box)."""
    folder = tmp_path / "media"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_sound_workspace_on_read_only_media_is_read_not_called_damaged(
    db: Path, read_only_media: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, every command said 'is damaged … Restore it from a backup' (SQLite cannot
    open a WAL file read-only where it cannot make the -shm file)."""
    shutil.copy(db, read_only_media / "archive.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_media)], check=True)
    archive = read_only_media / "archive.sqlite"
    status, out, err = run(capsys, "audit", "list", "--db", archive)
    assert (status, err) == (0, "")
    assert "Department for Work and Pensions\t2014 review\tdraft" in out
    assert run(capsys, "verify", "--db", archive)[0] == 0
    status, _out, err = run(
        capsys, "audit", "set", "--db", archive, "--department", "DWP", "--cycle",
        "2014 review", "specialist_tech_hires=3",
    )  # fmt: skip
    assert status == 2
    assert "damaged" not in err and "Restore" not in err
    assert "Read-only file system" in err and "Nothing was changed" in err
    out_file = db.parent / "from-archive.xlsx"  # a read of the archive, written elsewhere
    status, _out, err = run(capsys, "export-xlsx", "--db", archive, "--out", out_file)
    assert (status, err) == (0, "")
    assert out_file.stat().st_size > 0


def test_json_output_parses_whatever_control_characters_the_text_holds(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, a stored C1 control or DEL came out as `\\x85`, which JSON has no escape for."""
    odd = "a\x85b\x7fc\x9bd\x1be\u202ef"
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    assert run(capsys, "audit", "set", *where, f"senior_roles_notes={odd}")[0] == 0
    status, out, _err = run(capsys, "audit", "show", *where, "--json")
    assert status == 0
    assert json.loads(out)["audits"][0]["answers"]["senior_roles_notes"] == odd
    status, out, _err = run(capsys, "history", *where, "--json")
    assert status == 0
    assert odd in [change["new"] for change in json.loads(out)]
    for raw in ("\x85", "\x7f", "\x9b", "\x1b", "\u202e"):
        assert raw not in out  # still shown escaped, never raw, on a terminal


@pytest.mark.parametrize(
    "argv", [("audit", "list"), ("department", "list"), ("audit", "list", "--json")]
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    db: Path, argv: tuple[str, ...]
) -> None:
    """`baseline audit list | head -1` said "[Errno 32] Broken pipe" and exited 2."""
    command = [sys.executable, "main.py", *argv, "--db", str(db)]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `head` does once it has its lines, before any is written
        err = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert "Errno" not in err and "Traceback" not in err and "Exception ignored" not in err
    assert status == 141  # 128 + SIGPIPE, as a program the pipe ended says
    assert err == ""


def test_a_command_started_with_its_output_closed_still_runs(db: Path) -> None:
    """`baseline audit list >&-`: Python's sys.stdout is None; writing to it was a traceback."""
    result = subprocess.run(
        [sys.executable, "main.py", "audit", "list", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_lost_to_a_full_disk_is_not_reported_as_refused(db: Path) -> None:
    """`audit set … > log` on a full disk saved the change, then exited 2 ('refused, nothing
    written') with '[Errno 28] No space left on device'."""
    argv = ["audit", "set", "--db", str(db), "--department", "DWP", "--cycle", "2014 review"]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "main.py", *argv, "specialist_tech_hires=7"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            timeout=60,
        )
    assert result.returncode == 1  # done, with a problem: not 2
    assert "baseline audit set: its output could not be written" in result.stderr
    assert "what it did is done" in result.stderr
    with Store(db, read_only=True) as store:
        audit = next(
            a for a in store.audits() if a.cycle == "2014 review" and "Work" in a.department_name
        )
        assert store.answers(audit.id)["specialist_tech_hires"] == 7


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_the_window_without_a_display_says_so_instead_of_aborting(tmp_path: Path) -> None:
    """Before: Qt aborted (exit 134) saying 'Reinstalling the application may fix this'."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "w.sqlite")],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode == 2
    assert "no display" in result.stderr and "Reinstalling" not in result.stderr
    assert "baseline --help" in result.stderr
    assert not (tmp_path / "w.sqlite").exists()  # nothing was made


def test_ctrl_c_part_way_through_a_batch_lists_the_files_it_wrote(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: 'cancelled; nothing was written.' with 11 of 60 reports on disk."""
    import exporters.data_return

    real = exporters.data_return.write_data_return
    calls: list[int] = []

    def second_interrupted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl+C while the second return is written
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(exporters.data_return, "write_data_return", second_interrupted)
    out_dir = tmp_path / "returns"
    argv = ["data-return", "--db", db, "--cycle", "2014 review", "--all", "--out-dir", out_dir]
    status, out, err = run(capsys, *argv)
    assert status == 130
    assert "nothing was written" not in err
    assert "cancelled (Ctrl+C) after 1 of 2 file(s) were written" in err
    on_disk = sorted(p.name for p in out_dir.iterdir())
    assert len(on_disk) == 1 and on_disk[0] in out
    calls.clear()
    status, out, err = run(capsys, *argv, "--json")
    assert status == 130 and json.loads(out)["cancelled"] is True


def test_json_cut_short_by_its_reader_is_never_exit_0(db: Path) -> None:
    """export-json --out - wrote its document in one call; CPython drops the rest of a large
    write the pipe takes only part of, silently, so a reader that died after 64 KB left a
    truncated document and exit 0. Written in pieces, the lost part is seen: 141."""
    with subprocess.Popen(
        [sys.executable, "main.py", "export-json", "--db", str(db), "--out", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        got = process.stdout.read(1000)
        process.stdout.close()  # the reader dies
        err = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert got.startswith(b"{")
    assert status == 141, err


@pytest.mark.parametrize(
    "argv",
    [
        ("export-json", "--out", "-"),
        ("audit", "show", "--department", "DWP", "--cycle", "2014 review", "--json"),
        ("export-xlsx", "--department", "DWP", "--out", "{tmp}/dwp.xlsx"),
    ],
)
def test_an_export_reads_one_state_while_the_app_saves(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
) -> None:
    """Reading commands run while the app has the workspace open. An answer saved between
    reading an audit and reading its content went into the export beside the older audit
    record (a writer flipping an answer and a row together gave 768 torn exports in 8,594)."""
    import models.audit_content

    real = models.audit_content.read_content
    saved: list[int] = []

    def saved_meanwhile(store: Store, audit_id: str) -> object:
        if not saved:  # the app saves an answer after the export has begun
            with Store(db) as app:
                dwp = next(
                    a
                    for a in app.audits()
                    if a.cycle == "2014 review" and "Work" in a.department_name
                )
                app.set_answer(dwp.id, "specialist_tech_hires", 777)
            saved.append(1)
        return real(store, audit_id)

    monkeypatch.setattr(models.audit_content, "read_content", saved_meanwhile)
    for module in ("models.audit_json", "exporters.audit_workbook", "exporters.workbook_sheets"):
        target = sys.modules.get(module)
        if target is not None and hasattr(target, "read_content"):
            monkeypatch.setattr(target, "read_content", saved_meanwhile)
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    status, out, err = run(capsys, *args, "--db", db)
    assert (status, err) == (0, "") and saved
    if "--out" in args and args[args.index("--out") + 1] != "-":
        from openpyxl import load_workbook

        book = load_workbook(args[args.index("--out") + 1], read_only=True)
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
        assert 777 not in cells and 58 in cells
        return
    audits = json.loads(out)["audits"]
    dwp = next(
        a
        for a in audits
        if a["cycle"] == "2014 review" and a["department"]["abbreviation"] == "DWP"
    )
    assert dwp["answers"]["specialist_tech_hires"] == 58  # the state the export began in


@pytest.mark.parametrize("command", ["report", "data-return"])
def test_a_batch_file_that_cannot_be_written_is_named_once_in_words(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """'rp/DWP-2014-review.pdf: [Errno 21] Is a directory…: 'rp/DWP-2014-review.pdf'': the
    error number and the path again, as Python frames an OSError."""
    out_dir = tmp_path / "out"
    suffix = ".pdf" if command == "report" else ".xlsx"
    (out_dir / f"DWP-2014-review{suffix}").mkdir(parents=True)
    status, _out, err = run(
        capsys, command, "--db", db, "--cycle", "2014 review", "--all", "--out-dir", out_dir
    )
    assert status == 1
    line = next(x for x in err.splitlines() if "DWP-2014-review" in x)
    assert "[Errno" not in line and line.count("DWP-2014-review") == 1, line
    assert "1 file(s) could not be written; the other 1 were." in err


def test_evidence_extract_into_a_read_only_folder_says_so(
    db: Path, tmp_path: Path, read_only_media: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Removing the part-written copy failed on read-only media, and that error reached the
    terminal as a traceback."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    assert run(capsys, "evidence", "add", source, *where, "--question", "cio_on_board")[0] == 0
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_media)], check=True)
    status, _out, err = run(capsys, "evidence", "extract", *where, "--out", read_only_media)
    assert status == 2
    assert "Could not write" in err and "Read-only file system" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("export-xlsx", "--out", "{out}"),
        ("export-json", "--out", "{out}"),
        ("data-return", "--department", "DWP", "--cycle", "2014 review", "--out", "{out}"),
    ],
)
def test_an_output_that_cannot_be_written_is_named_as_asked(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """Before: "[Errno 2] No such file or directory: '…/.x.xlsx.aabca80aa6ac83bb.part'", a
    hidden temporary name the user never gave."""
    out = tmp_path / "no such folder" / "x.file"
    status, _out, err = run(capsys, *[a.replace("{out}", str(out)) for a in argv], "--db", db)
    assert status == 2
    assert f"cannot write {out}: No such file or directory. Nothing was written." in err
    assert ".part" not in err and "[Errno" not in err


def test_demo_onto_read_only_media_says_so(
    read_only_media: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cleaning up the workspace it failed to make raised again there: a traceback."""
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_media)], check=True)
    status, _out, err = run(capsys, "demo", "--db", read_only_media / "demo.sqlite")
    assert status == 2
    assert "Read-only file system" in err and "Nothing was written" in err
