"""A package whose audits collide (one audit id, department's cycle, row id or evidence id in
two of them) or whose evidence points elsewhere is refused before anything is written; and no
merge ever writes into a row another audit owns."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from models import evidence
from models.audit_package import Package, PackageError, read_package, write_package
from models.merge import MergeError, MergeReport, apply_merge, plan_merge
from models.questionnaire import Questionnaire
from models.store import Store
from models.verify import verify

ROLE = {"post_ref": "R1", "job_title": "CIO", "role_type": "cio", "grade": "scs2"}
ROLE |= {"employment_type": "permanent"}


class Two:
    """Workspace a with two audits (Home Office and HMRC, one cycle), merged into b."""

    def __init__(self, tmp_path: Path, questionnaire: Questionnaire) -> None:
        self.dir = tmp_path
        self.a, self.b = Store(tmp_path / "a.sqlite"), Store(tmp_path / "b.sqlite")
        self.a.actor, self.b.actor = "ann", "bob"
        self.ids = []
        for name, abbr in (("Home Office", "HO"), ("HM Revenue & Customs", "HMRC")):
            dept = self.a.add_department(name, abbr)
            audit = self.a.create_audit(dept.id, "2014 review", questionnaire, "Ann").id
            self.a.set_answer(audit, "digital_leader_post", f"{abbr} CDO")
            self.a.insert_rows(audit, "senior_roles", 0, [ROLE | {"post_ref": abbr}])
            self.ids.append(audit)
        apply_merge(self.b, read_package(self.package()))

    def package(self, name: str = "p.baseline-package") -> Path:
        path = self.dir / name
        write_package(self.a, path, self.ids)
        return path

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def two(tmp_path: Path, questionnaire: Questionnaire) -> Iterator[Two]:
    shared = Two(tmp_path, questionnaire)
    yield shared
    shared.close()


def _forged(path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    """The package with its content.json changed and its checksum made to match."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    content = json.loads(members["content.json"])
    change(content["audits"])
    data = json.dumps(content).encode()
    manifest = json.loads(members["manifest.json"])
    manifest.update(content_sha256=hashlib.sha256(data).hexdigest(), content_bytes=len(data))
    members |= {"content.json": data, "manifest.json": json.dumps(manifest).encode()}
    out = path.with_name("forged.baseline-package")
    with zipfile.ZipFile(out, "w") as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    return out


def _dump(store: Store) -> list[list[tuple[Any, ...]]]:
    """Everything stored that a merge writes."""
    return [
        store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        for table in ("audits", "departments", "answers", "table_rows", "evidence", "history")
    ]


def _row_of(audit: dict[str, Any]) -> list[Any]:
    return next(r for r in audit["rows"] if r[1] == "senior_roles")


def _new_rows(two: Two) -> None:
    """Each audit adds a row in a, so each has a new row to send."""
    for n, audit in enumerate(two.ids):
        two.a.insert_rows(audit, "senior_roles", 1, [ROLE | {"post_ref": f"new {n}"}])


def test_one_row_id_in_two_audits_is_refused_naming_both(two: Two) -> None:
    _new_rows(two)

    def share(audits: list[dict[str, Any]]) -> None:
        first, second = (max(a["rows"], key=lambda r: r[2]) for a in audits)
        for change in audits[1]["changes"]:
            if change[2] == second[0]:
                change[2] = first[0]
        second[0] = first[0]

    before = _dump(two.b)
    forged = _forged(two.package(), share)
    with pytest.raises(PackageError) as refused:
        read_package(forged)
    words = str(refused.value)
    assert "table row id" in words and "Home Office, 2014 review" in words
    assert "HM Revenue & Customs, 2014 review" in words and "Nothing was imported" in words
    assert _dump(two.b) == before


def test_one_audit_id_twice_is_refused_naming_both(two: Two, tmp_path: Path) -> None:
    def same_id(audits: list[dict[str, Any]]) -> None:
        audits[1]["audit"]["id"] = audits[0]["audit"]["id"]

    fresh = Store(tmp_path / "fresh.sqlite")
    before = _dump(fresh)
    with pytest.raises(PackageError) as refused:
        read_package(_forged(two.package(), same_id))
    words = str(refused.value)
    assert f"the audit id {two.ids[0]!r}" in words and "HM Revenue & Customs" in words
    assert _dump(fresh) == before
    # Built in code, never read from a file: the merge itself refuses, writing nothing.
    package = read_package(two.package())
    hmrc = package.audits[1]
    package.audits[1] = replace(hmrc, audit=replace(hmrc.audit, id=two.ids[0]))
    with pytest.raises(MergeError, match="the audit id"):
        apply_merge(fresh, package)
    assert _dump(fresh) == before
    fresh.close()


def test_two_audits_of_one_department_and_cycle_are_refused(two: Two) -> None:
    def same_department(audits: list[dict[str, Any]]) -> None:
        audits[1]["department"] = dict(audits[0]["department"])
        audits[1]["audit"]["department_id"] = audits[0]["department"]["id"]
        audits[1]["audit"]["cycle"] = " 2014  Review"

    with pytest.raises(PackageError, match="one department id for one cycle"):
        read_package(_forged(two.package(), same_department))


def test_evidence_on_another_audits_row_or_no_question_is_refused(two: Two, tmp_path: Path) -> None:
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    home_row = two.a.rows(two.ids[0], "senior_roles")[0].id
    evidence.attach(two.a, two.ids[0], "senior_roles", source, row_id=home_row)
    hmrc_row = two.a.rows(two.ids[1], "senior_roles")[0].id
    before = _dump(two.b)
    for question, row, words in (
        ("senior_roles", hmrc_row, "is on a row"),
        ("no_such_question", None, "the questionnaire lacks"),
    ):

        def retarget(audits: list[dict[str, Any]], q: str = question, r: Any = row) -> None:
            audits[0]["evidence"][0][1:3] = [q, r]

        with pytest.raises(PackageError, match=words):
            read_package(_forged(two.package(), retarget))
    assert _dump(two.b) == before


def test_evidence_on_a_row_of_another_audit_here_is_refused_when_merged(
    two: Two, tmp_path: Path
) -> None:
    """The row is not in the package but is another audit's in this workspace."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    evidence.attach(two.a, two.ids[0], "digital_leader_post", source)
    hmrc_row = two.a.rows(two.ids[1], "senior_roles")[0].id
    path = two.dir / "home.baseline-package"
    write_package(two.a, path, [two.ids[0]])

    def retarget(audits: list[dict[str, Any]]) -> None:
        audits[0]["evidence"][0][1:3] = ["senior_roles", hmrc_row]

    before = _dump(two.b)
    with pytest.raises(MergeError) as refused:
        apply_merge(two.b, read_package(_forged(path, retarget)))
    assert "minutes.pdf" in str(refused.value) and "Home Office" in str(refused.value)
    assert _dump(two.b) == before
    assert verify(two.b).ok


def test_the_dry_run_refuses_evidence_on_another_audits_row_as_the_merge_does(
    two: Two, tmp_path: Path
) -> None:
    """Before, the plan (`merge --dry-run`, the merge dialog's preview) showed a clean merge
    that the merge itself then refused."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    evidence.attach(two.a, two.ids[0], "digital_leader_post", source)
    hmrc_row = two.a.rows(two.ids[1], "senior_roles")[0].id
    path = two.dir / "home.baseline-package"
    write_package(two.a, path, [two.ids[0]])

    def retarget(audits: list[dict[str, Any]]) -> None:
        audits[0]["evidence"][0][1:3] = ["senior_roles", hmrc_row]

    with pytest.raises(MergeError) as refused:
        plan_merge(two.b, read_package(_forged(path, retarget)))
    assert "minutes.pdf" in str(refused.value) and "Home Office" in str(refused.value)
    assert "another audit here" in str(refused.value)


def test_evidence_on_a_row_its_own_package_deletes_here_still_plans(
    two: Two, tmp_path: Path
) -> None:
    """The row is another audit's now, but the package deletes it: after the merge the
    evidence is on a row deleted since, which a merge accepts; the plan must not refuse."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    evidence.attach(two.a, two.ids[0], "digital_leader_post", source)
    hmrc_row = two.a.rows(two.ids[1], "senior_roles")[0].id
    two.a.delete_rows(two.ids[1], "senior_roles", [hmrc_row])

    def retarget(audits: list[dict[str, Any]]) -> None:
        audits[0]["evidence"][0][1:3] = ["senior_roles", hmrc_row]

    package = read_package(_forged(two.package(), retarget))
    assert [p.action for p in plan_merge(two.b, package).audits] == ["merge", "merge"]
    apply_merge(two.b, package)  # and the merge takes it, as before
    assert [e.row_id for e in evidence.listed(two.b, two.ids[0])] == [hmrc_row]


def test_a_merge_never_writes_into_a_row_another_audit_owns(two: Two) -> None:
    """Planned while the row id was free; by the time it is written another audit owns it:
    the guarded write refuses, and the other audit's row is untouched."""
    _new_rows(two)
    package: Package = read_package(two.package())
    home = plan_merge(two.b, package).audits[0]
    row = next(t for t in home.takes if t.kind == "row" and t.value is not None)
    hmrc_row = two.b.rows(two.ids[1], "senior_roles")[0].id
    two.b.conn.execute("UPDATE table_rows SET id = ? WHERE id = ?", [row.item, hmrc_row])
    two.b.conn.commit()
    before = _dump(two.b)
    from models.merge import _apply_audit

    report = MergeReport(package.name)
    with two.b.recording(note="test", own=False):
        _apply_audit(two.b, home, report)
    assert report.updated == [] and "belongs to another audit here" in report.skipped[0]
    assert _dump(two.b) == before


def test_evidence_on_a_row_deleted_since_still_merges(two: Two, tmp_path: Path) -> None:
    """What a real package carries: evidence kept on a row deleted after it was attached."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF-1.4 board minutes")
    row = two.a.rows(two.ids[0], "senior_roles")[0].id
    kept = evidence.attach(two.a, two.ids[0], "senior_roles", source, row_id=row).id
    two.a.delete_rows(two.ids[0], "senior_roles", [row])
    apply_merge(two.b, read_package(two.package("again.baseline-package")))
    assert evidence.find(two.b, kept).row_id == row
    assert two.b.rows(two.ids[0], "senior_roles") == []
    assert verify(two.b).ok


def test_restoring_an_audit_never_writes_into_another_audit_of_that_id(two: Two) -> None:
    """The last guard under every door that adds an audit by id (merge, imports)."""
    from models.audit_content import AuditContent, restore_audit
    from models.store import DuplicateAuditError

    home, hmrc = (two.b.audit(i) for i in two.ids)
    before = _dump(two.b)
    forged = replace(hmrc, id=home.id, cycle="2015 review", auditor="Mallory")
    with pytest.raises(DuplicateAuditError, match="already Home Office, 2014 review here"):
        restore_audit(two.b, forged, AuditContent({"digital_leader_post": "HMRC's"}))
    assert _dump(two.b) == before


def test_a_package_of_millions_of_tiny_values_is_refused_before_they_are_built(
    tmp_path: Path,
) -> None:
    """A few MB of "[]," would take GBs as Python objects: counted, and refused, first."""
    from models.package_shape import MAX_VALUES

    content = b'{"audits":[' + b"[]," * (MAX_VALUES // 2) + b"[]]}"
    manifest = {
        "format": "baseline-audit-package", "format_version": 1, "schema_version": 8,
        "workspace_id": "x", "created_at": "2026-12-07T00:00:00+00:00", "created_by": "x",
        "questionnaires": [{"id": "board-technology-baseline", "version": 2}], "audits": [],
        "content_sha256": hashlib.sha256(content).hexdigest(), "content_bytes": len(content),
    }  # fmt: skip
    path = tmp_path / "bomb.baseline-package"
    with zipfile.ZipFile(path, "w") as archive:  # stored: no inflation ratio to refuse
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("content.json", content)
    with pytest.raises(PackageError, match="far more than any set of audits has"):
        read_package(path)
