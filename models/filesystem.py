"""Where a workspace file lives: network shares break SQLite's WAL, so we warn about them."""

from __future__ import annotations

import errno
import os
import secrets
import sys
from pathlib import Path

from models.held_files import read_head

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb2", "afs", "ncpfs", "9p", "ceph",
        "glusterfs", "fuse.sshfs", "fuse.rclone", "fuse.glusterfs", "davfs", "fuse.davfs2",
        "afpfs", "webdav", "lustre", "gpfs",
    }
)  # fmt: skip


def _unescape_mount(path: str) -> str:
    return path.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def network_filesystem(path: Path | str, mounts_text: str | None = None) -> str | None:
    """The network filesystem type holding `path`, or None when it is local or unknown.

    On Linux the mount table is read from /proc/self/mounts (or `mounts_text` in
    that format); on Windows a UNC path or a mapped network drive counts.
    """
    resolved = Path(os.path.abspath(path))
    if sys.platform == "win32" and mounts_text is None:
        return _windows_network(resolved)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best_point, best_type = "", ""
    target = str(resolved)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fstype = _unescape_mount(parts[1]), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best_point):
            best_point, best_type = point, fstype
    return best_type if best_type in NETWORK_FILESYSTEMS else None


def _windows_network(path: Path) -> str | None:  # pragma: no cover - Windows only
    text = str(path)
    if text.startswith("\\\\"):
        return "network share (UNC path)"
    import ctypes

    drive = path.drive + "\\"
    drive_remote = 4
    windll = getattr(ctypes, "windll", None)
    if windll is not None and windll.kernel32.GetDriveTypeW(drive) == drive_remote:
        return "mapped network drive"
    return None


PART_SUFFIX = ".part"  # a file being written; renamed over its target only when whole


class DatabaseTargetError(OSError):
    """An output (export, report, package) that would replace a database file."""

    def __str__(self) -> str:
        return self.strerror or ""


_SQLITE = b"SQLite format 3\x00"
# What SQLite and the app keep beside a workspace, by the suffix added to its name.
_BESIDE = ("-wal", "-shm", "-journal", ".lock", ".chain")


def _is_database(path: Path) -> bool:
    try:
        return path.is_file() and read_head(path, len(_SQLITE)) == _SQLITE
    except OSError:
        return False


def refuse_database_target(path: Path) -> None:
    """Raise DatabaseTargetError when writing `path` would replace a database (a workspace,
    a backup) or a file SQLite or the app keeps beside one: a mistyped --out or a slip in a
    save dialog must not turn a workspace into a workbook."""
    path = Path(path)
    hit = path if _is_database(path) else None
    for suffix in _BESIDE:
        if hit is None and path.name.endswith(suffix) and len(path.name) > len(suffix):
            beside = path.with_name(path.name[: -len(suffix)])
            hit = beside if _is_database(beside) else None
    if hit is not None:
        what = "is a database" if hit == path else f"belongs to the database {hit.name}"
        raise DatabaseTargetError(
            errno.EEXIST,
            f"{path} {what} (a Baseline workspace or backup, perhaps); it was not replaced. "
            "Choose another file name.",
            str(path),
        )


def temporary_beside(path: Path) -> Path:
    """A new empty file beside `path` under an unguessable name, made with O_EXCL and
    O_NOFOLLOW: a planted file or symlink of that name is never written through. Refused
    (DatabaseTargetError) when `path` is a database or one of its companions."""
    refuse_database_target(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}{PART_SUFFIX}")
        try:
            os.close(os.open(temp, flags, 0o600))
            return temp
        except FileExistsError:
            continue
