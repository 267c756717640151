"""Spotting a workspace on a network share from a /proc/mounts-style table."""

from __future__ import annotations

import pytest

from models.filesystem import network_filesystem

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
fileserver:/export/audits /mnt/audits nfs rw,vers=3,addr=10.0.0.5 0 0
/dev/sdb1 /mnt/audits/local ext4 rw,relatime 0 0
//nas/team\\040share /mnt/team\\040share cifs rw,vers=3.0 0 0
tmpfs /mnt/scratch tmpfs rw 0 0
fileserver:/scratch /mnt/scratch nfs4 rw 0 0
not a mount line
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/audits/2013/baseline.sqlite", "nfs"),
        ("/mnt/audits", "nfs"),  # the mount point itself
        # the longest mount point holding the path wins: a local disk mounted inside the share
        ("/mnt/audits/local/baseline.sqlite", None),
        # a sibling whose name merely starts with the mount point's is not inside it
        ("/mnt/audits-old/baseline.sqlite", None),
        # \040 in the mount table is a space
        ("/mnt/team share/Audit 2013.sqlite", "cifs"),
        ("/mnt/team/baseline.sqlite", None),
        # mounted twice at the same place: the later mount hides the earlier
        ("/mnt/scratch/baseline.sqlite", "nfs4"),
        ("/home/auditor/baseline.sqlite", None),  # falls back to / (ext4)
    ],
)
def test_network_filesystem(path: str, expected: str | None) -> None:
    assert network_filesystem(path, mounts_text=MOUNTS) == expected


def test_no_mount_table_means_not_known() -> None:
    assert network_filesystem("/mnt/audits/x.sqlite", mounts_text="") is None


def test_relative_paths_are_resolved_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    mounts = "/dev/sda1 / ext4 rw 0 0\nserver:/srv /srv nfs rw 0 0\n"
    assert network_filesystem("srv/audit.sqlite", mounts_text=mounts) == "nfs"
    assert network_filesystem("tmp/audit.sqlite", mounts_text=mounts) is None
