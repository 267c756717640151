"""The command line at its edges, as a script meets them: Ctrl+C, read-only media, odd text.

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


def test_a_lone_surrogate_is_refused_naming_the_question_and_nothing_changes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: Python's "'utf-8' codec can't encode character '\\ud800'…", naming nothing.
    JSON may spell one (`"\\ud800"`); bytes that are not UTF-8 reach argv as one."""
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, out, _err = run(capsys, "audit", "show", *where, "--json")
    document = json.loads(out)
    before = document["audits"][0]
    for place in ("answer", "comment", "cell"):
        edited = json.loads(out)
        audit = edited["audits"][0]
        if place == "answer":
            audit["answers"]["senior_roles_notes"] = "x\ud800y"
        elif place == "comment":
            audit["comments"]["cio_on_board"] = "x\udfffy"
        else:
            audit["tables"]["senior_roles"][0]["cells"]["job_title"] = "x\udc80y"
        path = tmp_path / f"{place}.json"
        path.write_text(json.dumps(edited))  # ensure_ascii: the surrogate as \ud800
        status, out_, err = run(capsys, "import", path, "--db", db)
        assert status == 1, err  # nothing imported: the value cannot be read
        said = out_ + err
        assert "codec" not in said
        assert "not valid Unicode" in said
        assert {"answer": "senior_roles_notes", "comment": "cio_on_board", "cell": "job_title"}[
            place
        ] in said
    status, _out, err = run(capsys, "audit", "set", *where, "senior_roles_notes=bad\udcffbyte")
    assert status == 2
    assert "codec" not in err and "not UTF-8" in err and "senior_roles_notes" in err
    status, out, _err = run(capsys, "audit", "show", *where, "--json")
    assert json.loads(out)["audits"][0] == before


def _attach(capsys: pytest.CaptureFixture[str], db: Path, file: Path, question: str) -> None:
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    assert run(capsys, "evidence", "add", file, *where, "--question", question)[0] == 0


def test_extract_writes_every_file_when_two_share_a_name(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the first report.pdf was written, then 'already exists … Nothing was written'
    (exit 2) for the second: half an extract, said to be none, and no way to get them all."""
    for folder, body, question in (("a", b"one", "cio_on_board"), ("b", b"two", "spend_controls")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.pdf").write_bytes(b"%PDF-1.4 " + body)
        _attach(capsys, db, tmp_path / folder / "report.pdf", question)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "REPORT.pdf").write_bytes(b"%PDF-1.4 three")  # one name where case folds
    _attach(capsys, db, tmp_path / "c" / "REPORT.pdf", "cio_on_board")
    out = tmp_path / "out"
    out.mkdir()
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, _out, err = run(capsys, "evidence", "extract", *where, "--out", out)
    assert (status, err) == (0, "")
    got = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(got.values()) == [b"%PDF-1.4 one", b"%PDF-1.4 three", b"%PDF-1.4 two"]
    assert len({name.casefold() for name in got}) == 3  # distinct on Windows and macOS too
    assert "report.pdf" in got
    status, _out, err = run(capsys, "evidence", "extract", *where, "--out", out)  # again
    assert status == 2
    assert "already exists" in err and "Nothing was written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == got  # refused before writing


def test_an_extract_that_fails_part_way_says_which_files_it_wrote(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib

    for name, body in (("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b")):
        (tmp_path / name).write_bytes(body)
        _attach(capsys, db, tmp_path / name, "cio_on_board")
    lost = hashlib.sha256(b"%PDF-1.4 b").hexdigest()
    blob = next((db.parent / f"{db.name}.evidence").rglob(lost))
    blob.chmod(0o644)
    blob.unlink()  # deleted outside the app
    out = tmp_path / "out"
    out.mkdir()
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, _out, err = run(capsys, "evidence", "extract", *where, "--out", out)
    assert status == 2
    assert "b.pdf is missing" in err
    assert "The 1 written before it stay: a.pdf." in err
    assert [p.name for p in out.iterdir()] == ["a.pdf"]


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


@pytest.mark.parametrize(
    "argv",
    [
        ("audit", "new", "--department", "DWP", "--cycle", "2015\udcff review"),
        ("department", "add", "Dept\udcff"),
        ("audit", "new", "--department", "DWP", "--cycle", "2015", "--auditor", "A\udcff"),
    ],
)
def test_an_argument_of_bytes_that_are_not_utf8_is_refused_naming_it(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """Bytes that are not UTF-8 reach Python's argv as lone surrogates; SQLite then failed
    with "'utf-8' codec can't encode character '\\udcff'…", naming nothing."""
    status, _out, err = run(capsys, *argv, "--db", db)
    assert status == 2
    assert "codec" not in err
    assert "not UTF-8" in err and "\\udcff" in err and "Nothing was" in err
    assert run(capsys, "verify", "--db", db)[0] == 0


def test_an_auditor_name_of_bytes_that_are_not_utf8_still_records_the_change(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """BASELINE_AUDITOR of Latin-1 bytes (a script's locale): every write failed."""
    monkeypatch.setenv("BASELINE_AUDITOR", "Ren\udce9e")  # b"Ren\xe9e" as Python reads it
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, _out, err = run(capsys, "audit", "set", *where, "specialist_tech_hires=9")
    assert (status, err) == (0, "")
    status, out, _err = run(capsys, "history", *where, "--json")
    assert "Ren\ufffde" in [change["who"] for change in json.loads(out)]


def test_verify_against_a_file_whose_name_is_not_utf8_still_reads_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--against names a file or a chain head: a file name may hold any bytes."""
    name = os.fsdecode(b"copy\xff.baseline-package")  # as argv gives it: a lone surrogate
    package = tmp_path / name
    assert (
        run(capsys, "export-package", "--db", db, "--out", tmp_path / "p.baseline-package")[0] == 0
    )
    (tmp_path / "p.baseline-package").rename(package)
    status, out, err = run(capsys, "verify", "--db", db, "--against", str(package))
    assert (status, err) == (0, ""), err
    assert "chain intact" in out


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


LOOKALIKE = "Department for Work and Pensions\u200b"  # a zero-width space: shown the same


def _as_new_dwp_audit(out: str, department: str, cycle: str) -> dict[str, object]:
    document = json.loads(out)
    audit = document["audits"][0]
    del audit["id"]
    audit["department"] |= {"name": department, "id": "another-id", "govuk_id": ""}
    audit["department_name"] = department
    audit["cycle"] = cycle
    audit["auditor"] = "Ann\u202e Smith"
    return document


def test_an_invisible_character_does_not_make_a_second_department_or_cycle(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, a JSON document naming 'Department for Work and Pensions' + U+200B made a
    second department shown exactly as DWP, and its audit went there."""
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, out, _err = run(capsys, "audit", "show", *where, "--json")
    path = tmp_path / "lookalike.json"
    path.write_text(json.dumps(_as_new_dwp_audit(out, LOOKALIKE, "2015\u200b review\x0b")))
    status, _out, err = run(capsys, "import", path, "--db", db)
    assert status == 0, err
    with Store(db, read_only=True) as store:
        names = [d.name for d in store.departments()]
        assert names.count("Department for Work and Pensions") == 1
        assert not any("\u200b" in n for n in names)
        dwp = next(d for d in store.departments() if d.abbreviation == "DWP")
        new = store.find_audit(dwp.id, "2015 review")  # the cycle as anyone would type it
        assert new is not None and new.auditor == "Ann Smith"
    assert run(capsys, "verify", "--db", db)[0] == 0


def test_an_invisible_character_in_a_package_does_not_make_a_second_department(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite"
    assert run(capsys, "new", "--db", other)[0] == 0
    assert run(capsys, "department", "add", "Lookalike", "--db", other)[0] == 0
    with Store(other) as store:  # a workspace whose department name holds one (an old file)
        dept = store.departments()[0]
        store.conn.execute("UPDATE departments SET name = ? WHERE id = ?", [LOOKALIKE, dept.id])
    assert (
        run(capsys, "audit", "new", "--db", other, "--department", dept.id, "--cycle", "2016")[0]
        == 0
    )
    package = tmp_path / "other.baseline-package"
    assert run(capsys, "export-package", "--db", other, "--out", package)[0] == 0
    status, _out, err = run(capsys, "merge", package, "--db", db)
    assert status == 0, err
    with Store(db, read_only=True) as store:
        names = [d.name for d in store.departments()]
        assert not any("\u200b" in n for n in names)
        assert names.count("Department for Work and Pensions") == 1


@pytest.mark.parametrize("spelling", ["same", "dotted", "hard link"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_report_never_replaces_the_file_being_imported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], spelling: str, dry_run: bool
) -> None:
    """`import x.csv --report x.csv` (a slip: the loop meant "$f.report.csv") replaced the
    returned file, the only copy of what the department sent, with the report, dry run too."""
    from tests.importers import foreign_files as F

    source = tmp_path / "returned" / "dwp.csv"
    source.parent.mkdir()
    shutil.copy(F.DWP_WMI_CSV, source)
    original = source.read_bytes()
    report = {
        "same": source,
        "dotted": source.parent / ".." / "returned" / "dwp.csv",
        "hard link": tmp_path / "link.csv",
    }[spelling]
    if spelling == "hard link":
        os.link(source, report)
    argv = ["import", source, "--db", db, "--cycle", "2014 review", "--accept-problems"]
    status, _out, err = run(capsys, *argv, "--report", report, *(["--dry-run"] if dry_run else []))
    assert status == 2
    assert "is the file being imported" in err and "Nothing was" in err
    assert source.read_bytes() == original


def test_a_department_is_found_as_its_name_was_cleaned(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`department add "Ysgol  Môr "` stores 'Ysgol Môr'; the same text must find it."""
    assert run(capsys, "department", "add", "Ysgol  Môr ", "--db", db)[0] == 0
    status, _out, err = run(
        capsys, "audit", "new", "--db", db, "--department", "Ysgol  Môr ", "--cycle", "2015"
    )
    assert (status, err) == (0, "")


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


def test_an_auditor_differing_only_in_spacing_is_no_change(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'A.  Auditor ' is stored as 'A. Auditor': a file spelling it so changes nothing (a
    signed-off audit was refused as if its auditor were being renamed)."""
    where = ("--db", db, "--department", "DWP", "--cycle", "2013 baseline")  # signed off
    status, out, _err = run(capsys, "audit", "show", *where, "--json")
    document = json.loads(out)
    document["audits"][0]["auditor"] = document["audits"][0]["auditor"].replace(" ", "  ") + "\t"
    path = tmp_path / "spaced.json"
    path.write_text(json.dumps(document))
    status, out, err = run(capsys, "import", path, "--db", db)
    assert (status, err) == (0, "")
    assert "already up to date" in out


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


def test_a_document_on_another_questionnaire_version_is_refused_for_an_audit_here(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A version 2 document (no id) for a cycle this workspace audits on version 1 wrote its
    department workforce rows, a table version 1 lacks, into that audit: 24 more hidden rows
    at each import, exit 0, verify OK."""
    pilot = ("--db", db, "--department", "DWP", "--cycle", "2012 pilot")
    assert (
        run(capsys, "audit", "new", *pilot, "--questionnaire", "board-technology-baseline@1")[0]
        == 0
    )
    status, out, _err = run(
        capsys,
        "audit",
        "show",
        "--db",
        db,
        "--department",
        "DWP",
        "--cycle",
        "2014 review",
        "--json",
    )
    document = json.loads(out)
    del document["audits"][0]["id"]
    document["audits"][0]["cycle"] = "2012 pilot"
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(document))
    with Store(db, read_only=True) as store:
        before = store.conn.execute("SELECT count(*) FROM table_rows").fetchone()
    for extra in ((), ("--accept-problems",)):
        status, _out, err = run(capsys, "import", path, "--db", db, *extra)
        assert status == 2
        assert "version 2" in err and "version 1" in err and "2012 pilot" in err
        assert "Nothing" in err
    with Store(db, read_only=True) as store:
        assert store.conn.execute("SELECT count(*) FROM table_rows").fetchone() == before


def test_a_merge_that_leaves_an_audit_out_is_not_exit_0(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two workspaces each started DWP's 2016 review: the package's cannot be matched and is
    'not merged', which exited 0 ('Merged …: 0 added, 0 updated') as if all were done."""
    other = tmp_path / "other.sqlite"
    shutil.copy(db, other)
    for workspace in (db, other):
        made = run(
            capsys, "audit", "new", "--db", workspace, "--department", "DWP", "--cycle", "2016"
        )
        assert made[0] == 0
    package = tmp_path / "other.baseline-package"
    assert run(capsys, "export-package", "--db", other, "--out", package, "--cycle", "2016")[0] == 0
    for extra in (("--dry-run",), ("--dry-run", "--json"), ("--json",), ()):
        status, out, err = run(capsys, "merge", package, "--db", db, *extra)
        assert status == 1, (extra, out, err)
        if "--json" in extra:
            assert json.loads(out)["audits"][0]["action"] == "skip"
        else:
            assert "not merged" in out


def test_names_an_earlier_version_stored_uncleaned_are_still_found(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A department and cycle stored with a zero-width character before names were cleaned:
    given as stored, they find the same department and audit (not a new one)."""
    with Store(db) as store:
        dwp = next(d for d in store.departments() if d.abbreviation == "DWP")
        store.conn.execute("UPDATE departments SET name = ? WHERE id = ?", [LOOKALIKE, dwp.id])
        store.conn.execute(
            "UPDATE audits SET cycle = ? WHERE department_id = ? AND cycle = '2014 review'",
            ["2014\u200b review", dwp.id],
        )
    where = ("--db", db, "--department", LOOKALIKE, "--cycle", "2014\u200b review")
    status, out, err = run(capsys, "audit", "show", *where, "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    del document["audits"][0]["id"]
    document["audits"][0]["department"]["id"] = "elsewhere"
    path = tmp_path / "again.json"
    path.write_text(json.dumps(document))
    status, out, err = run(capsys, "import", path, "--db", db)
    assert (status, err) == (0, "")
    assert "already up to date" in out
    with Store(db, read_only=True) as store:
        assert len(store.departments()) == 2 and len(store.audits()) == 4
    status, _out, err = run(capsys, "audit", "show", *where[:4], "--cycle", "2014 review")
    assert (status, err) == (0, "")  # typed plainly, the stored one is found too
