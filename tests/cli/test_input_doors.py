"""Doors into the store given crafted input: lone surrogates, invisible characters in names,
files named twice, a report over its own input, another questionnaire version, a merge in part.

Each case was a demonstrated fault (/work/brief/findings-S.md), fixed with the test below it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from models.store import Store
from tests.cli import run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "work.sqlite"
    assert run(capsys, "demo", "--db", path, "--departments", "2")[0] == 0
    return path


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


def test_a_folder_given_as_a_json_document_is_named_in_words(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ("--db", db, "--department", "DWP", "--cycle", "2014 review")
    status, _out, err = run(capsys, "audit", "set", *where, "--from-json", tmp_path)
    assert status == 2
    assert "is a folder, not a JSON file" in err and "[Errno" not in err


@pytest.mark.parametrize(
    ("field", "what"),
    [("department", "department name"), ("cycle", "cycle label"), ("auditor", "auditor")],
)
def test_a_name_far_too_long_is_refused_at_the_door(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, what: str
) -> None:
    """A 200,000-character department name, cycle or auditor from a JSON document was stored;
    every board report of the audit then failed with reportlab's LayoutError traceback."""
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
    audit = document["audits"][0]
    del audit["id"]
    audit["department"] |= {"id": "new-one", "govuk_id": "", "name": "Long Names Office"}
    audit["department_name"] = "Long Names Office"
    long = "Very " * 40_000
    if field == "department":
        audit["department"]["name"] = audit["department_name"] = long
    else:
        audit[field] = long
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document))
    with Store(db, read_only=True) as store:
        before = (len(store.departments()), len(store.audits()))
    status, _out, err = run(capsys, "import", path, "--db", db)
    assert status == 2
    assert f"A {what} is at most" in err and "Nothing was changed" in err
    with Store(db, read_only=True) as store:
        assert (len(store.departments()), len(store.audits())) == before
    status, _out, err = run(capsys, "department", "add", "x" * 201, "--db", db)
    assert status == 2 and "A department name is at most 200 characters" in err
