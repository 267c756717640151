"""Evidence in backups: copied once by hash, not again each backup; put back by a restore."""

from __future__ import annotations

from pathlib import Path

from models import evidence
from models.backups import restore_backup, take_backup
from models.evidence_backup import MIRROR
from models.questionnaire import Questionnaire
from models.store import Store
from models.verify import verify


def _workspace(tmp_path: Path, questionnaire: Questionnaire) -> tuple[Store, str]:
    store = Store(tmp_path / "w.sqlite")
    dept = store.add_department("Home Office")
    return store, store.create_audit(dept.id, "2013 baseline", questionnaire).id


def test_backups_copy_each_evidence_file_once(tmp_path: Path, questionnaire: Questionnaire) -> None:
    store, audit_id = _workspace(tmp_path, questionnaire)
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 minutes" * 100)
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    folder = tmp_path / "backups"
    take_backup(store.path, folder, source=store.conn)
    copy = evidence.blob_path(folder / MIRROR, kept.sha256)
    assert copy.read_bytes() == source.read_bytes()
    first = copy.stat().st_mtime_ns, copy.stat().st_ino
    store.set_answer(audit_id, "board_tech_expert_count", 2)
    take_backup(store.path, folder, source=store.conn)
    assert (copy.stat().st_mtime_ns, copy.stat().st_ino) == first  # not copied again
    store.close()


def test_restore_brings_back_evidence_deleted_since(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    store, audit_id = _workspace(tmp_path, questionnaire)
    source = tmp_path / "strategy.pdf"
    source.write_bytes(b"%PDF-1.4 strategy" * 50)
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    folder = tmp_path / "backups"
    backup = take_backup(store.path, folder, source=store.conn)
    evidence.remove(store, kept.id)
    blob = evidence.blob_path(evidence.evidence_folder(store.path), kept.sha256)
    blob.unlink()  # deleted behind the app's back
    assert not verify(store).ok or evidence.listed(store, audit_id) == []
    restore_backup(store, backup.path, folder)
    (back,) = evidence.listed(store, audit_id)
    assert back.id == kept.id and back.name == "strategy.pdf"
    assert evidence.private_copy(store, back.id).read_bytes() == source.read_bytes()
    assert verify(store).ok
    store.close()


def test_a_changed_evidence_file_is_not_copied_into_backups(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    store, audit_id = _workspace(tmp_path, questionnaire)
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.4 a" * 50)
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    blob = evidence.blob_path(evidence.evidence_folder(store.path), kept.sha256)
    blob.chmod(0o644)
    blob.write_bytes(b"tampered")
    other = tmp_path / "b.pdf"
    other.write_bytes(b"%PDF-1.4 b" * 50)
    good = evidence.attach(store, audit_id, "digital_leader_post", other)
    take_backup(store.path, tmp_path / "b", source=store.conn)
    assert not evidence.blob_path(tmp_path / "b" / MIRROR, kept.sha256).exists()
    assert evidence.blob_path(tmp_path / "b" / MIRROR, good.sha256).exists()
    store.close()


def test_restoring_a_damaged_workspace_brings_back_its_evidence(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    from models.backups import restore_damaged

    store, audit_id = _workspace(tmp_path, questionnaire)
    source = tmp_path / "org.pdf"
    source.write_bytes(b"%PDF-1.4 org" * 50)
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    backup = take_backup(store.path, tmp_path / "b", source=store.conn)
    store.close()
    blob = evidence.blob_path(evidence.evidence_folder(tmp_path / "w.sqlite"), kept.sha256)
    blob.unlink()
    restore_damaged(tmp_path / "w.sqlite", backup.path)
    assert blob.read_bytes() == source.read_bytes()
