"""Where a workspace file lives: network shares break SQLite's WAL, so we warn about them."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

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


def temporary_beside(path: Path) -> Path:
    """A new empty file beside `path` under an unguessable name, made with O_EXCL and
    O_NOFOLLOW: a planted file or symlink of that name is never written through."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}{PART_SUFFIX}")
        try:
            os.close(os.open(temp, flags, 0o600))
            return temp
        except FileExistsError:
            continue
