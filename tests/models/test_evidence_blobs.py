"""Writing evidence into its folder: the kernel copy, the chunked copy it falls back to,
and what either keeps when a copy fails or the file grows past the limit."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest

from models import evidence, evidence_blobs
from models.evidence_checks import EvidenceError
from models.questionnaire import Questionnaire
from models.store import Store

# Larger than a reader's buffer and the 4 MB chunk, with a head check_incoming accepts.
DATA = b"%PDF-1.7\n" + os.urandom(5 * 1024 * 1024 + 12345)
kernel_copy = pytest.mark.skipif(
    not hasattr(os, "copy_file_range"), reason="this system has no copy_file_range"
)


@pytest.fixture
def audit_id(store: Store, questionnaire: Questionnaire) -> str:
    dept = store.add_department("Home Office", "HO")
    return store.create_audit(dept.id, "2013 baseline", questionnaire, "Ann").id


def _files(store: Store) -> list[Path]:
    return [p for p in evidence.evidence_folder(store.path).rglob("*") if p.is_file()]


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "Board pack.pdf"
    path.write_bytes(DATA)
    return path


def _attach_kept(store: Store, audit_id: str, source: Path) -> bytes:
    kept = evidence.attach(store, audit_id, "digital_leader_post", source)
    assert kept.sha256 == hashlib.sha256(DATA).hexdigest() and kept.size == len(DATA)
    blob = evidence.blob_path(evidence.evidence_folder(store.path), kept.sha256)
    assert _files(store) == [blob]  # no temporary file left behind
    return blob.read_bytes()


@kernel_copy
def test_attaching_copies_in_the_kernel(
    store: Store, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = os.copy_file_range

    def counted(*args: Any) -> int:
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(os, "copy_file_range", counted)
    assert _attach_kept(store, audit_id, _source(tmp_path)) == DATA
    assert calls, "the bytes went through Python, not copy_file_range"


@pytest.mark.parametrize(
    "refusal", [errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM, errno.EACCES]
)
def test_a_file_system_without_kernel_copy_gets_the_chunked_copy(
    store: Store, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    def refuses(*args: Any) -> int:
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "copy_file_range", refuses, raising=False)
    assert _attach_kept(store, audit_id, _source(tmp_path)) == DATA


def test_a_system_without_the_call_gets_the_chunked_copy(
    store: Store, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    assert _attach_kept(store, audit_id, _source(tmp_path)) == DATA


@kernel_copy
def test_a_copy_failing_halfway_keeps_nothing_and_names_the_file(
    store: Store, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.copy_file_range
    done: list[int] = []

    def fails_second_time(*args: Any) -> int:
        if done:
            raise OSError(errno.EIO, "Input/output error")
        done.append(1)
        return real(args[0], args[1], 1024 * 1024, args[3])

    monkeypatch.setattr(os, "copy_file_range", fails_second_time)
    with pytest.raises(EvidenceError, match=r"Board pack\.pdf .*could not be copied.*Input/output"):
        evidence.attach(store, audit_id, "digital_leader_post", _source(tmp_path))
    assert _files(store) == [] and evidence.listed(store, audit_id) == []


@pytest.mark.parametrize("kernel", [True, False])
def test_a_file_that_grows_past_the_limit_while_copied_is_refused(
    store: Store, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: bool
) -> None:
    # The size check before copying saw a small file; the copy itself still stops at the
    # limit (a file being written by another program can grow while it is read).
    if not kernel:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    monkeypatch.setattr(evidence_blobs, "MAX_FILE_BYTES", len(DATA) - 1)
    with pytest.raises(EvidenceError, match=r"Board pack\.pdf .*larger than"):
        evidence.attach(store, audit_id, "digital_leader_post", _source(tmp_path))
    assert _files(store) == []


def test_a_stream_that_is_not_a_file_is_copied_in_chunks_and_checked(tmp_path: Path) -> None:
    folder = tmp_path / "w.sqlite.evidence"
    sha = hashlib.sha256(DATA).hexdigest()
    with pytest.raises(EvidenceError, match="does not match the SHA-256"):
        evidence_blobs.put_blob(folder, io.BytesIO(DATA), "x.pdf", expected="0" * 64)
    assert [p for p in folder.rglob("*") if p.is_file()] == []
    assert evidence_blobs.put_blob(folder, io.BytesIO(DATA), "x.pdf", expected=sha) == (
        sha,
        len(DATA),
    )
    assert evidence_blobs.blob_path(folder, sha).read_bytes() == DATA


def test_sizes_read_as_a_person_says_them() -> None:
    from models.evidence_checks import size_text

    assert [size_text(n) for n in (0, 1, 2, 1023, 1024, 5 * 1024 * 1024)] == [
        "0 bytes", "1 byte", "2 bytes", "1,023 bytes", "1 KB", "5.0 MB",
    ]  # fmt: skip
