"""Evidence through packages: carried with its files, merged like any change, refused whole
(before anything is written) when a file does not match its declared hash or name."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from models import evidence
from models.audit_package import PackageError, read_package, write_package
from models.merge import apply_merge
from models.questionnaire import Questionnaire
from models.store import Store
from models.verify import verify

PDF = b"%PDF-1.4 board minutes " * 200


@pytest.fixture
def pair(tmp_path: Path, questionnaire: Questionnaire) -> tuple[Store, Store, str]:
    a, b = Store(tmp_path / "a.sqlite"), Store(tmp_path / "b.sqlite")
    a.actor, b.actor = "ann", "bob"
    dept = a.add_department("Home Office", "HO")
    audit_id = a.create_audit(dept.id, "2013 baseline", questionnaire, "Ann").id
    a.set_answer(audit_id, "digital_leader_post", "Chief Digital Officer")
    yield a, b, audit_id
    a.close()
    b.close()


def _attach(store: Store, audit_id: str, folder: Path, name: str, data: bytes = PDF) -> str:
    source = folder / name
    source.write_bytes(data)
    return evidence.attach(store, audit_id, "digital_leader_post", source).id


def _send(source: Store, target: Store, audit_id: str, path: Path) -> None:
    write_package(source, path, [audit_id])
    apply_merge(target, read_package(path))


def test_evidence_travels_and_merges_both_ways(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    a, b, audit_id = pair
    kept = _attach(a, audit_id, tmp_path, "minutes.pdf")
    _send(a, b, audit_id, tmp_path / "p1.baseline-package")
    (there,) = evidence.listed(b, audit_id)
    assert (there.id, there.name, there.added_by) == (kept, "minutes.pdf", "ann")
    assert evidence.private_copy(b, there.id).read_bytes() == PDF
    assert verify(b).ok, verify(b).text()
    evidence.remove(b, kept)  # Bob removes it; Ann takes his package
    _send(b, a, audit_id, tmp_path / "p2.baseline-package")
    assert evidence.listed(a, audit_id) == []
    evidence.restore(a, kept)  # Ann puts it back; Bob takes hers
    _send(a, b, audit_id, tmp_path / "p3.baseline-package")
    assert [e.id for e in evidence.listed(b, audit_id)] == [kept]
    assert a.content_hash(audit_id) == b.content_hash(audit_id)
    assert verify(a).ok and verify(b).ok
    _send(a, b, audit_id, tmp_path / "p4.baseline-package")  # again: nothing changes
    assert len(evidence.listed(b, audit_id, removed=True)) == 1


def test_a_signed_off_audit_arrives_signed_off_with_its_evidence(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    a, b, audit_id = pair
    _attach(a, audit_id, tmp_path, "minutes.pdf")
    a.set_status(audit_id, "signed_off")
    _send(a, b, audit_id, tmp_path / "p.baseline-package")
    audit = b.audit(audit_id)
    assert audit.status == "signed_off" and audit.content_hash == a.audit(audit_id).content_hash
    assert len(evidence.listed(b, audit_id)) == 1
    assert verify(b).ok, verify(b).text()


def _rewrite(path: Path, change: dict[str, bytes | None], content: object = None) -> None:
    """Rewrite members of a package (None drops one); a new content.json gets a correct
    checksum in the manifest, as a careful forger would give it."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    if content is not None:
        data = json.dumps(content).encode()
        members["content.json"] = data
        manifest = json.loads(members["manifest.json"])
        manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
        manifest["content_bytes"] = len(data)
        members["manifest.json"] = json.dumps(manifest).encode()
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _untouched(b: Store) -> None:
    assert b.audits() == []
    assert not evidence.evidence_folder(b.path).exists()


def test_a_file_not_matching_its_declared_hash_is_refused_before_anything_is_written(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    a, b, audit_id = pair
    _attach(a, audit_id, tmp_path, "minutes.pdf")
    path = tmp_path / "p.baseline-package"
    write_package(a, path, [audit_id])
    sha = hashlib.sha256(PDF).hexdigest()
    _rewrite(path, {f"evidence/{sha}": PDF.replace(b"board", b"bored")})
    with pytest.raises(PackageError, match=r"minutes\.pdf does not match the SHA-256"):
        read_package(path)
    _rewrite(path, {f"evidence/{sha}": None})
    with pytest.raises(PackageError, match=r"minutes\.pdf it lists is not in it"):
        read_package(path)
    _untouched(b)


@pytest.mark.parametrize(
    ("name", "why"),
    [("../../outside.pdf", "reaches into a folder"), ("run.exe", "program or script")],
)
def test_hostile_names_in_a_package_are_refused(
    pair: tuple[Store, Store, str], tmp_path: Path, name: str, why: str
) -> None:
    a, b, audit_id = pair
    _attach(a, audit_id, tmp_path, "minutes.pdf")
    path = tmp_path / "p.baseline-package"
    write_package(a, path, [audit_id])
    with zipfile.ZipFile(path) as archive:
        content = json.loads(archive.read("content.json"))
    content["audits"][0]["evidence"][0][3] = name
    _rewrite(path, {}, content)
    with pytest.raises(PackageError, match=why):
        read_package(path)
    _untouched(b)


def test_a_program_disguised_in_a_package_is_refused(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    a, b, audit_id = pair
    _attach(a, audit_id, tmp_path, "minutes.pdf")
    path = tmp_path / "p.baseline-package"
    write_package(a, path, [audit_id])
    program = b"MZ\x90\x00" + b"\x00" * 200
    sha = hashlib.sha256(program).hexdigest()
    with zipfile.ZipFile(path) as archive:
        content = json.loads(archive.read("content.json"))
    row = content["audits"][0]["evidence"][0]
    row[4], row[5] = len(program), sha
    _rewrite(path, {f"evidence/{sha}": program}, content)
    with pytest.raises(PackageError, match="a Windows program"):
        read_package(path)
    _untouched(b)


def test_a_package_is_not_written_with_a_missing_or_changed_file(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    a, _b, audit_id = pair
    _attach(a, audit_id, tmp_path, "minutes.pdf")
    blob = evidence.blob_path(evidence.evidence_folder(a.path), hashlib.sha256(PDF).hexdigest())
    blob.chmod(0o644)
    blob.write_bytes(b"changed")
    path = tmp_path / "p.baseline-package"
    with pytest.raises(PackageError, match=r"minutes\.pdf has changed"):
        write_package(a, path, [audit_id])
    blob.unlink()
    with pytest.raises(PackageError, match=r"minutes\.pdf is missing"):
        write_package(a, path, [audit_id])
    assert list(tmp_path.glob("*.baseline-package*")) == []


def test_evidence_changed_differently_on_both_sides_is_a_conflict(
    pair: tuple[Store, Store, str], tmp_path: Path
) -> None:
    from models.merge import THEIRS, describe, plan_merge

    a, b, audit_id = pair
    kept = _attach(a, audit_id, tmp_path, "minutes.pdf")
    _send(a, b, audit_id, tmp_path / "p1.baseline-package")
    evidence.remove(a, kept)  # Ann removes it
    evidence.remove(b, kept)  # Bob removes it and puts it back
    evidence.restore(b, kept)
    path = tmp_path / "p2.baseline-package"
    write_package(b, path, [audit_id])
    package = read_package(path)
    (conflict,) = plan_merge(a, package).conflicts
    assert describe(conflict).startswith("Evidence “minutes.pdf” on:")
    apply_merge(a, package, {conflict.key: THEIRS})
    assert [e.id for e in evidence.listed(a, audit_id)] == [kept]
    assert verify(a).ok
