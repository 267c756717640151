"""Evidence in backups: each backup folder keeps one copy of every evidence file, by hash.

Evidence files never change once kept (their name is their SHA-256), so a backup copies
only the files its folder does not hold yet: a backup every fifteen minutes copies the
workspace file and, at most, the evidence attached since the last one. A restore puts
back any file the restored workspace lists that is missing or damaged beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from models.evidence import evidence_folder
from models.evidence_blobs import CHUNK, blob_path
from models.evidence_checks import SHA256

MIRROR = "evidence"  # the sub-folder of a backup folder that holds the evidence copies


def _copy_checked(source: Path, target: Path, sha256: str) -> bool:
    """Copy `source` to `target` (via a temporary name) if it hashes to `sha256`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".part-", dir=target.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            os.unlink(temp)
            return False  # changed where it is kept: verify reports it; never copy it on
        os.chmod(temp, 0o444)
        os.replace(temp, target)
        return True
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _kept(folder: Path) -> list[str]:
    """The hashes of the evidence files a folder holds (its own layout: aa/<sha256>)."""
    found = []
    try:
        subfolders = [e for e in os.scandir(folder) if e.is_dir() and len(e.name) == 2]
    except OSError:
        return []
    for sub in subfolders:
        with contextlib.suppress(OSError):
            found += [e.name for e in os.scandir(sub.path) if SHA256.match(e.name)]
    return found


def mirror_evidence(workspace: Path, backups: Path) -> int:
    """Copy into `backups/evidence` every evidence file not there yet; how many were copied.

    Raises OSError when the backup folder cannot be written (the caller says so).
    """
    source = evidence_folder(workspace)
    if not source.is_dir():
        return 0
    mirror = backups / MIRROR
    copied = 0
    for sha in _kept(source):
        target = blob_path(mirror, sha)
        if target.exists():
            continue
        copied += _copy_checked(blob_path(source, sha), target, sha)
    return copied


def recover_evidence(conn: sqlite3.Connection, workspace: Path, backups: Path) -> int:
    """Put back, from `backups/evidence`, each file the workspace lists that is missing
    beside it; how many were put back."""
    try:
        wanted = [str(r[0]) for r in conn.execute("SELECT DISTINCT sha256 FROM evidence")]
    except sqlite3.OperationalError:
        return 0
    folder = evidence_folder(workspace)
    put_back = 0
    for sha in wanted:
        if not SHA256.match(sha) or blob_path(folder, sha).exists():
            continue
        copy = blob_path(backups / MIRROR, sha)
        if copy.exists():
            put_back += _copy_checked(copy, blob_path(folder, sha), sha)
    return put_back
