"""Audit package files: what they carry, and every way a bad one is refused."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from models.audit_package import (
    CONTENT,
    FORMAT_VERSION,
    MANIFEST,
    PackageError,
    read_package,
    write_package,
)
from models.migrations import LATEST_VERSION
from models.questionnaire import Questionnaire
from models.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(store: Store, questionnaire: Questionnaire, tmp_path: Path) -> Path:
    dept = store.add_department("Department for Work and Pensions", "DWP", "dwp")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire, "Ann")
    store.set_answer(audit.id, "digital_leader_post", "CDO £ ŵ")
    store.set_answer(audit.id, "framework_owners", ["privacy", "security"])
    store.set_comment(audit.id, "digital_leader_post", "checked")
    store.insert_rows(audit.id, "senior_roles", 0, [{"job_title": "CIO", "fte": 1.0}])
    store.set_status(audit.id, "submitted")
    path = tmp_path / "out" / "dwp.baseline-package"
    path.parent.mkdir()
    write_package(store, path, [audit.id])
    return path


def rewrite(
    path: Path, *, manifest: dict[str, object] | None = None, content: bytes | None = None
) -> None:
    """Write the package again with a member replaced (what a tamperer or a bug would do)."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    if manifest is not None:
        members[MANIFEST] = json.dumps(manifest).encode()
    if content is not None:
        members[CONTENT] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def manifest_of(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as zf:
        data: dict[str, object] = json.loads(zf.read(MANIFEST))
    return data


def test_a_package_carries_the_audit_its_content_and_history(store: Store, package: Path) -> None:
    read = read_package(package)
    [audit] = store.audits()
    [item] = read.audits
    assert item.audit == audit
    assert item.department == store.department(audit.department_id)
    assert item.answers == store.answers(audit.id)
    assert item.comments == {"digital_leader_post": "checked"}
    assert [(r.table, r.position, r.cells) for r in item.rows] == [
        ("senior_roles", 0, {"job_title": "CIO", "fte": 1.0})
    ]
    origins = {o for (o,) in store.conn.execute("SELECT origin FROM history")}
    assert {c.origin for c in item.changes} == origins
    assert {c.kind for c in item.changes} == {"answer", "comment", "row", "status"}
    m = read.manifest
    assert (m.format_version, m.schema_version) == (FORMAT_VERSION, LATEST_VERSION)
    assert m.questionnaires == ((audit.questionnaire_id, audit.questionnaire_version),)
    assert m.audit_ids == (audit.id,)
    assert list(package.parent.iterdir()) == [package]  # no temporary file left behind


def test_a_package_from_a_newer_app_is_refused(package: Path) -> None:
    manifest = manifest_of(package)
    rewrite(package, manifest={**manifest, "format_version": FORMAT_VERSION + 1})
    with pytest.raises(PackageError, match="newer version of Baseline"):
        read_package(package)
    rewrite(package, manifest={**manifest, "schema_version": LATEST_VERSION + 1})
    with pytest.raises(PackageError, match="newer version of Baseline"):
        read_package(package)


def test_a_truncated_package_is_refused(package: Path) -> None:
    data = package.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        package.write_bytes(data[:cut])
        with pytest.raises(PackageError, match="damaged or incomplete"):
            read_package(package)


def test_a_tampered_package_is_refused(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        content = zf.read(CONTENT)
    forged = content.replace("CDO £ ŵ".encode(), "CEO £ ŵ".encode())
    assert forged != content
    rewrite(package, content=forged)
    with pytest.raises(PackageError, match="tampered with or damaged"):
        read_package(package)


def test_a_corrupted_byte_is_caught(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo(CONTENT)
    data = bytearray(package.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55
    package.write_bytes(bytes(data))
    with pytest.raises(PackageError, match="damaged"):
        read_package(package)


def test_an_unknown_questionnaire_version_is_refused(package: Path) -> None:
    manifest = manifest_of(package)
    rewrite(
        package,
        manifest={
            **manifest,
            "questionnaires": [{"id": "board-technology-baseline", "version": 99}],
        },
    )
    with pytest.raises(
        PackageError, match="version 99, which this version of Baseline does not have"
    ):
        read_package(package)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.baseline-package"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps({"format": "baseline-audit-package"}))
        with zf.open(CONTENT, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MiB of zeros deflate to ~64 KiB
                fh.write(chunk)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(PackageError, match="far more than an audit package holds"):
        read_package(bomb)


def test_other_files_are_not_packages(tmp_path: Path, package: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(PackageError, match="not an audit package"):
        read_package(text)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(PackageError, match=f"has no {MANIFEST}"):
        read_package(other)
    rewrite(package, manifest={"format": "something-else"})
    with pytest.raises(PackageError, match="not a Baseline audit package"):
        read_package(package)
    with pytest.raises(PackageError, match="no file"):
        read_package(tmp_path / "missing.baseline-package")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores chmod")
def test_a_read_only_folder_is_refused_clearly(store: Store, package: Path) -> None:
    [audit] = store.audits()
    folder = package.parent / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PackageError, match="read-only"):
            write_package(store, folder / "x.baseline-package", [audit.id])
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_no_partial_package(store: Store, package: Path) -> None:
    """A file-size limit makes writes fail as a full disk does; the old package survives."""
    [audit] = store.audits()
    for n in range(300):  # enough content that the package exceeds the limit
        store.set_comment(audit.id, "digital_leader_post", f"revision {n} " + "x" * n)
    before = package.read_bytes()
    script = (
        "import resource, signal, sys\n"
        "from models.store import Store\n"
        "from models.audit_package import write_package, PackageError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "store = Store(sys.argv[1])\n"
        "limit = len(open(sys.argv[2], 'rb').read()) + 100\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
        "try:\n"
        "    write_package(store, sys.argv[2], [sys.argv[3]])\n"
        "except PackageError as exc:\n"
        "    print(exc)\n"
    )
    store.close()
    out = subprocess.run(
        [sys.executable, "-c", script, str(store.path), str(package), audit.id],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "Nothing was written" in out.stdout, out.stderr
    assert "too large" in out.stdout or "disk is full" in out.stdout
    assert package.read_bytes() == before
    assert list(package.parent.iterdir()) == [package]


def refusal_within(seconds: float, path: Path) -> str:
    """read_package's refusal of `path`, failing (not hanging) if it does not come in time."""
    found: list[BaseException] = []
    worker = threading.Thread(
        target=lambda: found.append(_raised(lambda: read_package(path))), daemon=True
    )
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # unblock the reader so the thread ends, then fail
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"read_package({path.name}) hung")
    assert len(found) == 1 and isinstance(found[0], PackageError), found
    return str(found[0])


def _raised(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except BaseException as exc:  # the test inspects what was raised
        return exc
    raise AssertionError("nothing was refused")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_device_or_socket_is_refused_without_hanging(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.baseline-package"
    os.mkfifo(pipe)
    assert "pipe.baseline-package is a named pipe (FIFO), not a file" in refusal_within(5, pipe)
    assert "null is a device, not a file" in refusal_within(5, Path(os.devnull))
    sock_path = tmp_path / "sock.baseline-package"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        assert "is a socket, not a file" in refusal_within(5, sock_path)
    assert "is a folder, not a file" in refusal_within(5, tmp_path)
