"""Tamper evidence that survives truncation: the history cut short with its recorded end
pointed back passes every check inside the file, and is caught against the chain head kept
beside it, in a backup, in a package and printed on a report. A signed-off audit moved to
another department, or its auditor or department renamed, is caught too.

Every tampering goes through a plain sqlite3 connection, as someone with the sqlite3 shell.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli import main
from exporters.board_report import write_board_report
from models.audit_package import write_package
from models.chain_anchor import (
    AnchorError,
    ChainHead,
    SignOffSeal,
    current_head,
    parse_text,
    read_anchor,
    read_sidecar,
    sidecar_path,
)
from models.content_hash import sign_off_record
from models.history_chain import head
from models.questionnaire import Questionnaire
from models.store import Store, copy_workspace
from models.verify import CHAIN, OUTSIDE, SIGNED_OFF, VerifyReport, verify


@dataclass
class Attacked:
    path: Path
    audit: str
    backup: Path
    package: Path
    printed: str  # the chain head as a report prints it, taken with the backup
    cut_to: tuple[int, str]  # where the forger points the history's recorded end back to


@pytest.fixture
def attacked(tmp_path: Path, questionnaire: Questionnaire) -> Attacked:
    """Two answers changed and sealed, recorded outside (backup, package, report), then cut
    off the end of the history with the old values put back and the recorded end pointed back:
    the attack in issue 17, item 4."""
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "P. Okafor")
        store.set_answer(audit.id, "cio_on_board", True)
        store.set_answer(audit.id, "digital_leader_post", "Director General")
        cut_to = head(store.conn)
        store.set_answer(audit.id, "digital_leader_post", "Chief Digital Officer")
        store.set_answer(audit.id, "cio_on_board", False)
        backup = tmp_path / "backup.sqlite"
        copy_workspace(path, backup)
        package = tmp_path / "sent.baseline-package"
        write_package(store, package, [audit.id])
        printed = current_head(store.conn).text()
    assert sidecar_path(path).exists()
    roll_back_tail(path, cut_to)
    return Attacked(path, audit.id, backup, package, printed, cut_to)


def roll_back_tail(path: Path, to: tuple[int, str]) -> None:
    """Delete the history after entry `to`, put the old values back with the triggers
    dropped (and restored), and point the recorded end and the seq counter back."""
    conn = sqlite3.connect(path)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'answers'"
        ).fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for audit_id, item, old in conn.execute(
            "SELECT audit_id, item, old FROM history WHERE seq > ? ORDER BY seq DESC", [to[0]]
        ).fetchall():
            conn.execute(
                "UPDATE answers SET value = ? WHERE audit_id = ? AND question_id = ?",
                [old, audit_id, item],
            )
        conn.execute("DELETE FROM history WHERE seq > ?", [to[0]])
        conn.execute("UPDATE meta SET value = ? WHERE key = 'history_head'", [f"{to[0]}:{to[1]}"])
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'history'", [to[0]])
        for _name, sql in triggers:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def check(path: Path, *against: ChainHead | SignOffSeal) -> VerifyReport:
    with Store(path, read_only=True) as store:
        return verify(store, against=against)


def rollback_found(report: VerifyReport, seq: int) -> None:
    problems = [p for p in report.problems if p.check == CHAIN]
    assert len(report.problems) == len(problems) == 1, report.text()
    assert f"reached entry {seq}" in problems[0].problem
    assert "newest recorded changes were removed" in problems[0].problem


def without_sidecar(path: Path) -> Path:
    kept = path.with_name("kept.chain")
    shutil.move(sidecar_path(path), kept)
    return kept


def test_the_tail_rollback_passes_every_check_inside_the_file(attacked: Attacked) -> None:
    """What the issue found: with nothing outside the file, the forgery verifies clean."""
    without_sidecar(attacked.path)
    assert check(attacked.path).ok


def test_the_tail_rollback_is_caught_by_the_sidecar(attacked: Attacked) -> None:
    kept = read_sidecar(attacked.path)
    assert kept is not None and kept.seq > attacked.cut_to[0]
    rollback_found(check(attacked.path), kept.seq)


def test_the_tail_rollback_is_caught_against_a_backup_a_package_and_a_report(
    attacked: Attacked,
) -> None:
    without_sidecar(attacked.path)
    for given in (str(attacked.backup), str(attacked.package), attacked.printed):
        anchor = read_anchor(given)
        assert anchor.seq > attacked.cut_to[0]
        rollback_found(check(attacked.path, anchor), anchor.seq)


def test_verify_against_on_the_command_line(
    attacked: Attacked, capsys: pytest.CaptureFixture[str]
) -> None:
    without_sidecar(attacked.path)
    assert main(["verify", "--db", str(attacked.path)]) == 0
    capsys.readouterr()
    assert main(["verify", "--db", str(attacked.path), "--against", str(attacked.backup)]) == 1
    out = capsys.readouterr().out
    assert "chain head recorded in the backup backup.sqlite" in out
    assert main(["verify", "--db", str(attacked.path), "--against", "12:zz"]) == 2
    assert "neither a file nor a chain head" in capsys.readouterr().err


def test_reopening_the_cut_workspace_keeps_the_sidecar_as_evidence(attacked: Attacked) -> None:
    kept = read_sidecar(attacked.path)
    with Store(attacked.path) as store:
        assert any("Run Verify" in w for w in store.warnings)
        store.add_department("Cabinet Office")  # a new commit must not overwrite the record
    assert read_sidecar(attacked.path) == kept
    assert not check(attacked.path).ok


def test_intact_history_passes_against_its_own_records(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_answer(audit.id, "cio_on_board", True)
        copy_workspace(path, tmp_path / "backup.sqlite")
        printed = current_head(store.conn).text()
        store.set_answer(audit.id, "cio_on_board", False)  # later work is fine
    sidecar = read_sidecar(path)
    assert sidecar is not None and (sidecar.seq, sidecar.hash) == head(sqlite3.connect(path))
    report = check(path, read_anchor(str(tmp_path / "backup.sqlite")), parse_text(printed))
    assert report.ok, report.text()


def test_a_record_from_another_workspace_is_named(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    for name in ("a.sqlite", "b.sqlite"):
        with Store(tmp_path / name) as store:
            store.add_department("Home Office")
    report = check(tmp_path / "a.sqlite", read_anchor(str(tmp_path / "b.sqlite")))
    assert [p.check for p in report.problems] == [CHAIN]
    assert "is of another workspace" in report.problems[0].problem


def test_unreadable_records_are_refused_by_name(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    with pytest.raises(AnchorError, match="not a chain head"):
        read_anchor(str(junk))
    with pytest.raises(AnchorError, match="neither a file nor a chain head"):
        read_anchor(str(tmp_path / "missing.sqlite"))
    assert parse_text("Chain head: 1234:9F2C 81D0 77AA 0E13").hash == "9f2c81d077aa0e13"


def test_the_report_prints_the_chain_head_beside_the_content_hash(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_status(audit.id, "signed_off")
        printed = current_head(store.conn).text()
        write_board_report(store, audit.id, tmp_path / "report.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Chain head" in text and printed in text


# ------------------------------------------------------------------ sign-off identity
@pytest.fixture
def signed(tmp_path: Path, questionnaire: Questionnaire) -> tuple[Path, str, str]:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        home = store.add_department("Home Office")
        other = store.add_department("Ministry of Justice")
        audit = store.create_audit(home.id, "2013 baseline", questionnaire, "P. Okafor")
        store.set_answer(audit.id, "cio_on_board", True)
        store.set_status(audit.id, "signed_off")
    return path, audit.id, other.id


def forge(path: Path, sql: str) -> None:
    """Change the audits or departments table with every history and lock trigger dropped and
    put back, and the unsealed entries anything else recorded removed, as a careful forger
    would."""
    conn = sqlite3.connect(path)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND (name LIKE '%history' OR name LIKE '%signed_off')"  # the v9 lock too
        ).fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(sql)
        for _name, definition in triggers:
            conn.execute(definition)
        conn.commit()
    finally:
        conn.close()


def test_a_signed_off_audit_moved_to_another_department_is_caught(
    signed: tuple[Path, str, str],
) -> None:
    path, audit_id, other = signed
    assert check(path).ok
    forge(path, f"UPDATE audits SET department_id = '{other}' WHERE id = '{audit_id}'")
    problems = check(path).problems
    assert {(p.check, p.audit_id) for p in problems} == {(SIGNED_OFF, audit_id)}
    found = " | ".join(p.problem for p in problems)
    assert "department (by id) changed after sign-off" in found
    assert "department's name changed after sign-off: signed off as 'Home Office'" in found


def test_a_signed_off_audits_auditor_or_department_renamed_is_caught(
    signed: tuple[Path, str, str],
) -> None:
    path, audit_id, _other = signed
    forge(path, f"UPDATE audits SET auditor = 'Someone Else' WHERE id = '{audit_id}'")
    forge(path, "UPDATE departments SET name = 'Home Office (old)' WHERE name = 'Home Office'")
    problems = check(path).problems
    assert {p.check for p in problems} == {SIGNED_OFF}
    found = " | ".join(p.problem for p in problems)
    assert "auditor changed after sign-off: signed off as 'P. Okafor', now 'Someone Else'" in found
    assert "department's name changed after sign-off" in found


def test_renames_and_moves_are_recorded_in_the_history(
    signed: tuple[Path, str, str],
) -> None:
    """With the triggers in place, a rename behind the app's back is an unsealed entry."""
    path, _audit_id, _other = signed
    conn = sqlite3.connect(path)
    conn.execute("UPDATE departments SET name = 'HO' WHERE name = 'Home Office'")
    conn.commit()
    conn.close()
    problems = check(path).problems
    outside = [p for p in problems if p.check == OUTSIDE]
    assert len(outside) == 1
    assert 'from "Home Office" to "HO"' in outside[0].problem


def test_an_auditor_changed_by_the_app_is_sealed_history(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "P. Okafor")
        store.set_audit_fields(audit.id, auditor="R. Huws")
        rows = store.conn.execute(
            "SELECT item, question_id, old, new, hash IS NOT NULL FROM history WHERE kind = 'audit'"
        ).fetchall()
    assert rows == [(audit.id, "auditor", "P. Okafor", "R. Huws", 1)]
    assert check(path).ok


def test_the_sidecar_is_written_at_most_once_a_second_and_on_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rewriting it after every keystroke's commit would double an edit's cost."""
    import models.store

    monkeypatch.setattr(models.store, "SIDECAR_INTERVAL_S", 3600.0)  # a slow machine's second
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        first = read_sidecar(path)  # written on opening
        store.add_department("Home Office")
        store.add_department("Cabinet Office")  # within the interval: not written yet
        assert read_sidecar(path) == first
        now = head(store.conn)
    kept = read_sidecar(path)
    assert kept is not None and (kept.seq, kept.hash) == now  # written on close


# ------------------------------------------------------------------ the printed sign-off seal
def printed_seal(path: Path, audit_id: str, tmp_path: Path) -> str:
    """The sign-off seal as the audit's board report prints it, read back from the PDF."""
    with Store(path) as store:
        write_board_report(store, audit_id, tmp_path / "signed.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "signed.pdf").pages)
    assert "The sign-off seal is a hash over the department (id and name), the cycle" in text
    match = re.search(r"Sign-off seal\s*([0-9a-f]{4}(?: [0-9a-f]{4}){3})", text)
    assert match is not None, text[:2000]
    return match.group(1)


def test_the_report_prints_the_sign_off_seal_and_verify_accepts_it(
    signed: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, audit_id, _other = signed
    seal = printed_seal(path, audit_id, tmp_path)
    anchor = read_anchor(seal)
    assert isinstance(anchor, SignOffSeal) and anchor.hash == seal.replace(" ", "")
    assert check(path, anchor).ok
    assert main(["verify", "--db", str(path), "--against", f"Sign-off seal: {seal}"]) == 0
    (tmp_path / "seal.txt").write_text(seal + "\n")
    assert isinstance(read_anchor(str(tmp_path / "seal.txt")), SignOffSeal)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audits SET department_id = '{other}' WHERE id = '{audit}'",
        "UPDATE audits SET auditor = 'Someone Else' WHERE id = '{audit}'",
        "UPDATE departments SET name = 'Home Office (old)' WHERE name = 'Home Office'",
    ],
    ids=["moved", "auditor renamed", "department renamed"],
)
def test_the_printed_seal_catches_a_move_or_rename_even_with_the_record_rewritten(
    signed: tuple[Path, str, str], tmp_path: Path, sql: str
) -> None:
    """A forger who also rewrites signed_as to match passes every check inside the file;
    the seal printed on the report before is recomputed, and differs."""
    path, audit_id, other = signed
    seal = printed_seal(path, audit_id, tmp_path)
    forge(path, sql.format(other=other, audit=audit_id))
    conn = sqlite3.connect(path)
    digest = conn.execute("SELECT content_hash FROM audits WHERE id = ?", [audit_id]).fetchone()
    forged = sign_off_record(conn, audit_id, digest[0])
    conn.close()
    forge(path, f"UPDATE audits SET signed_as = '{forged}' WHERE id = '{audit_id}'")
    assert check(path).ok  # nothing inside the file shows it
    report = check(path, read_anchor(seal))
    assert [p.check for p in report.problems] == [SIGNED_OFF]
    assert "matches no signed-off audit here as it is now" in report.problems[0].problem
    assert seal in report.problems[0].record


def test_the_printed_seal_names_the_audit_when_its_record_still_has_it(
    signed: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, audit_id, _other = signed
    seal = printed_seal(path, audit_id, tmp_path)
    forge(path, f"UPDATE audits SET auditor = 'Someone Else' WHERE id = '{audit_id}'")
    problems = check(path, read_anchor(seal)).problems
    by_seal = [p for p in problems if seal in p.record]
    assert [p.audit_id for p in by_seal] == [audit_id]
    assert "no longer matches the audit it sealed" in by_seal[0].problem


def test_a_draft_report_prints_the_chain_head_and_verify_reads_it_back(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "audits.sqlite"
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_answer(audit.id, "cio_on_board", True)
        printed = current_head(store.conn).text()
        write_board_report(store, audit.id, tmp_path / "draft.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "draft.pdf").pages)
    assert "Chain head" in text and printed in text
    assert "Content hash" not in text and "Sign-off seal" not in text  # not signed off
    assert check(path, read_anchor(printed)).ok
