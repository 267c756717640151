"""Evidence files: attached once by content, listed, opened from a checked private copy,
removed and put back, recorded in history, covered by sign-off and checked by verify."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import evidence
from models.audit_history import changes_to  # noqa: F401  (history still reads with evidence)
from models.evidence_checks import (
    MAX_FILE_BYTES,
    EvidenceError,
    clean_name,
    content_problem,
    name_problem,
)
from models.questionnaire import Questionnaire
from models.store import SignedOffError, Store
from models.verify import verify

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def audit_id(store: Store, questionnaire: Questionnaire) -> str:
    dept = store.add_department("Home Office", "HO")
    return store.create_audit(dept.id, "2013 baseline", questionnaire, "Ann").id


def _file(folder: Path, name: str, data: bytes = PDF) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_attach_list_open_remove_undo(store: Store, audit_id: str, tmp_path: Path) -> None:
    source = _file(tmp_path, "Board minutes March 2013.pdf")
    store.actor = "ann"
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    assert (kept.name, kept.size, kept.added_by) == (source.name, len(PDF), "ann")
    listed = evidence.listed(store, audit_id, "digital_leader_post")
    assert [e.id for e in listed] == [kept.id]
    assert evidence.listed(store, audit_id, "board_tech_expert_count") == []
    blob = evidence.blob_path(evidence.evidence_folder(store.path), kept.sha256)
    assert blob.read_bytes() == PDF and stat.S_IMODE(blob.stat().st_mode) == 0o444
    copy = evidence.private_copy(store, kept.id)
    assert copy.read_bytes() == PDF and copy != blob
    assert copy.name == kept.name and stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    evidence.remove(store, kept.id)
    assert evidence.listed(store, audit_id) == []
    assert [e.removed for e in evidence.listed(store, audit_id, removed=True)] == [True]
    evidence.restore(store, kept.id)
    assert [e.id for e in evidence.listed(store, audit_id)] == [kept.id]
    kinds = store.conn.execute(
        "SELECT old IS NULL, new IS NULL, hash IS NOT NULL FROM history WHERE kind = 'evidence'"
        " ORDER BY seq"
    ).fetchall()
    assert kinds == [(1, 0, 1), (0, 0, 1), (0, 0, 1)]  # added, removed, put back: all sealed
    assert verify(store).ok


def test_same_content_is_kept_once(store: Store, audit_id: str, tmp_path: Path) -> None:
    first = evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "a.pdf"))
    second = evidence.attach(store, audit_id, "board_tech_expert_count", _file(tmp_path, "b.pdf"))
    assert first.sha256 == second.sha256 and first.id != second.id
    folder = evidence.evidence_folder(store.path)
    assert [p.name for p in folder.rglob("*") if p.is_file()] == [first.sha256]


def test_extract_writes_the_same_bytes(store: Store, audit_id: str, tmp_path: Path) -> None:
    kept = evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "s.pdf"))
    out = tmp_path / "out"
    out.mkdir()
    assert evidence.extract(store, kept.id, out).read_bytes() == PDF
    with pytest.raises(EvidenceError, match="already exists"):
        evidence.extract(store, kept.id, out)


def test_row_evidence_needs_a_row_of_that_table(
    store: Store, audit_id: str, tmp_path: Path
) -> None:
    (row,) = store.insert_rows(audit_id, "senior_roles", 0, [{"job_title": "CIO"}])
    kept = evidence.attach(store, audit_id, "senior_roles", _file(tmp_path, "o.pdf"), row_id=row.id)
    assert kept.row_id == row.id
    with pytest.raises(EvidenceError, match="has no row nope"):
        evidence.attach(store, audit_id, "senior_roles", _file(tmp_path, "o.pdf"), row_id="nope")
    with pytest.raises(EvidenceError, match="no question 'no_such'"):
        evidence.attach(store, audit_id, "no_such", _file(tmp_path, "o.pdf"))


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("setup.exe", PDF, "program or script"),
        ("run.sh", b"echo hi\n", "program or script"),
        ("minutes.pdf", b"MZ\x90\x00" + PDF, "a Windows program"),
        ("notes.txt", b"#!/bin/sh\nrm -rf ~\n", "a script"),
        ("tool.pdf", b"\x7fELF\x02\x01" + PDF, "a Linux program"),
        ("empty.pdf", b"", "it is empty"),
        ("page.html", b"<script>alert(1)</script>", "program or script"),
    ],
)
def test_hostile_files_are_refused_naming_them(
    store: Store, audit_id: str, tmp_path: Path, name: str, data: bytes, why: str
) -> None:
    with pytest.raises(EvidenceError, match=why) as raised:
        evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, name, data))
    assert name in str(raised.value) and "Nothing was attached" in str(raised.value)
    assert evidence.listed(store, audit_id, removed=True) == []


def test_too_large_is_refused_before_copying(store: Store, audit_id: str, tmp_path: Path) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as fh:  # sparse: takes no disk
        fh.write(PDF[:16])
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(EvidenceError, match=r"scan\.pdf .*at most 256\.0 MB"):
        evidence.attach(store, audit_id, "digital_leader_post", big)
    folder = evidence.evidence_folder(store.path)
    assert not [p for p in folder.rglob("*") if p.is_file()]


def test_symlink_folder_fifo_socket_and_missing_are_refused(
    store: Store, audit_id: str, tmp_path: Path
) -> None:
    target = _file(tmp_path, "real.pdf")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.pdf"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        cases = [
            (link, "link.pdf.*symbolic link"),
            (tmp_path, "a folder"),
            (fifo, "pipe.pdf.*named pipe"),
            (sock_path, "s.pdf.*(socket|cannot be read)"),
            (Path("/dev/null"), "null.*device"),
            (tmp_path / "gone.pdf", "gone.pdf.*there is no file"),
        ]
        for path, why in cases:
            with pytest.raises(EvidenceError, match=why):
                evidence.attach(store, audit_id, "digital_leader_post", path)
    finally:
        sock.close()
    assert evidence.listed(store, audit_id, removed=True) == []


def test_unreadable_file_is_refused(store: Store, audit_id: str, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = _file(tmp_path, "secret.pdf")
    path.chmod(0)
    with pytest.raises(EvidenceError, match=r"secret\.pdf.*cannot be read"):
        evidence.attach(store, audit_id, "digital_leader_post", path)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..", "a/b.pdf", "a\\b.pdf", "x\x00.pdf", ".hidden", "CON.pdf"]
)
def test_names_from_outside_that_escape_are_refused(name: str) -> None:
    assert name_problem(name) is not None


def test_local_names_are_cleaned() -> None:
    assert clean_name("Board: minutes?.pdf") == "Board_ minutes_.pdf"
    assert clean_name("..bashrc") == "bashrc"
    assert clean_name("nul.txt") == "_nul.txt"
    long = clean_name("x" * 300 + ".pdf")
    assert len(long) == 120 and long.endswith(".pdf")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_cleaned_name_is_one_that_may_be_kept_or_refused_only_for_its_type(raw: str) -> None:
    name = clean_name(raw)
    why = name_problem(name)
    assert why is None or "program or script" in why
    assert "/" not in name and "\\" not in name and not name.startswith(".") and name


def test_signed_off_evidence_cannot_change(store: Store, audit_id: str, tmp_path: Path) -> None:
    kept = evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "a.pdf"))
    store.set_status(audit_id, "signed_off")
    with pytest.raises(EvidenceError, match="signed off"):
        evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "b.pdf"))
    with pytest.raises(EvidenceError, match="signed off"):
        evidence.remove(store, kept.id)
    with pytest.raises(SignedOffError), store.transaction():  # the trigger holds any writer
        store.conn.execute("UPDATE evidence SET removed = 1")


def test_sign_off_covers_evidence(store: Store, audit_id: str, tmp_path: Path) -> None:
    before = store.content_hash(audit_id)
    kept = evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "a.pdf"))
    with_file = store.content_hash(audit_id)
    assert with_file != before
    evidence.remove(store, kept.id)
    assert store.content_hash(audit_id) == before
    evidence.restore(store, kept.id)
    store.set_status(audit_id, "signed_off")
    # Renamed behind the app's back: the triggers record it (unsealed) and sign-off fails.
    store.conn.execute("DROP TRIGGER evidence_update_signed_off")
    store.conn.execute("UPDATE evidence SET name = 'other.pdf'")
    report = verify(store)
    assert any("changed after sign-off" in p.problem for p in report.problems)


def test_verify_reports_changed_and_missing_files(
    store: Store, audit_id: str, tmp_path: Path
) -> None:
    a = evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "a.pdf"))
    other = _file(tmp_path, "b.pdf", b"B" * 99)
    b = evidence.attach(store, audit_id, "board_tech_expert_count", other)
    assert verify(store).ok
    folder = evidence.evidence_folder(store.path)
    changed = evidence.blob_path(folder, a.sha256)
    changed.chmod(0o644)
    changed.write_bytes(PDF.replace(b"%%EOF", b"%%EOX"))  # same size, other bytes
    evidence.blob_path(folder, b.sha256).unlink()
    report = verify(store)
    problems = {p.record.rsplit(": ", 1)[-1]: p.problem for p in report.problems}
    assert "SHA-256 no longer matches" in problems["a.pdf"]
    assert "is missing" in problems["b.pdf"]
    assert "Home Office" in report.text()
    with pytest.raises(EvidenceError, match=r"a\.pdf has changed"):
        evidence.private_copy(store, a.id)
    with pytest.raises(EvidenceError, match=r"b\.pdf is missing"):
        evidence.private_copy(store, b.id)


def test_evidence_written_behind_the_apps_back_is_named(
    store: Store, audit_id: str, tmp_path: Path
) -> None:
    evidence.attach(store, audit_id, "digital_leader_post", _file(tmp_path, "a.pdf"))
    store.conn.execute("UPDATE evidence SET name = 'b.pdf'")  # recorded, never sealed
    report = verify(store)
    named = [p for p in report.problems if "evidence file" in p.record]
    assert any("outside the app" in p.problem for p in named)


def test_upgrading_a_v7_workspace_keeps_its_sign_off(tmp_path: Path) -> None:
    """An audit signed off before evidence existed still verifies after the v8 migration."""
    import sqlite3

    import sqlite_utils

    from models.content_hash import content_hash, sign_off_record
    from models.history_chain import seal
    from models.migrations import migrate

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    migrate(sqlite_utils.Database(conn), 0, 7)
    now = "2024-01-01T00:00:00"
    conn.execute("BEGIN")
    conn.execute("INSERT INTO departments VALUES ('d1', 'Home Office', '', '', ?)", [now])
    conn.execute(
        "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
        " questionnaire_version, created_at, updated_at) VALUES"
        " ('a1', 'd1', 'Home Office', '2013', 'baseline', 1, ?, ?)",
        [now, now],
    )
    conn.execute("INSERT INTO answers VALUES ('a1', 'board_tech_expert_count', '3', ?)", [now])
    digest = content_hash(conn, "a1")  # no evidence table yet
    conn.execute(
        "UPDATE audits SET status = 'signed_off', content_hash = ?, signed_as = ? WHERE id = 'a1'",
        [digest, sign_off_record(conn, "a1", digest)],
    )
    seal(conn, 0, "ann")
    conn.execute("COMMIT")
    conn.close()
    with Store(path) as upgraded:
        assert upgraded.schema_version >= 8
        assert upgraded.content_hash("a1") == digest
        assert verify(upgraded).ok, verify(upgraded).text()


@settings(max_examples=20, deadline=None)
@given(
    st.binary(min_size=1, max_size=256 * 1024).filter(lambda b: content_problem(b[:64]) is None),
    st.text(min_size=1, max_size=40).map(lambda t: clean_name(t) + ".pdf"),
)
def test_any_file_comes_back_byte_identical_and_is_kept_once(data: bytes, name: str) -> None:
    import hashlib
    import tempfile

    from models.questionnaire import current_questionnaire

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Store(root / "w.sqlite") as store:
            dept = store.add_department("Home Office")
            audit = store.create_audit(dept.id, "2013", current_questionnaire())
            source = root / "in"
            source.mkdir()
            path = source / name
            path.write_bytes(data)
            first = evidence.attach(store, audit.id, "digital_leader_post", path)
            again = evidence.attach(store, audit.id, "board_tech_expert_count", path)
            assert first.sha256 == again.sha256 == hashlib.sha256(data).hexdigest()
            assert first.size == len(data) and first.name == name
            assert evidence.private_copy(store, first.id).read_bytes() == data
            kept = [p for p in evidence.evidence_folder(store.path).rglob("*") if p.is_file()]
            assert len(kept) == 1


def test_direction_overrides_cannot_disguise_a_name() -> None:
    assert clean_name("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert name_problem("invoice\u202efdp.exe") is not None


def test_a_read_only_workspace_takes_no_evidence(
    store: Store, audit_id: str, tmp_path: Path
) -> None:
    source = _file(tmp_path, "a.pdf")
    refused = pytest.raises(EvidenceError, match=r"read-only.*Nothing was attached")
    with Store(store.path, read_only=True) as viewer, refused:
        evidence.attach(viewer, audit_id, "digital_leader_post", source)
    assert not evidence.evidence_folder(store.path).exists()
