"""Export temporary files: unguessable names made with O_EXCL|O_NOFOLLOW in the target's
folder, never written through a planted symlink, swept when a killed export left them; a
full disk is reported in words (issue 17, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from exporters.audit_workbook import export_audits
from exporters.progress import PART_SUFFIX, replacing, sweep_parts
from models.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(
    demo: Store, tmp_path: Path
) -> None:
    """The old name was `.<name>.<pid>.part`: a symlink there wrote the export into its target."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "out.xlsx"
    planted = tmp_path / f".{target.name}.{os.getpid()}.part"
    planted.symlink_to(victim)
    export_audits(demo, [a.id for a in demo.audits()], target)
    assert victim.read_text() == "precious"
    assert target.read_bytes().startswith(b"PK")


def test_temporary_names_are_unguessable_and_in_the_target_folder(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    seen = []
    for _ in range(2):
        with replacing(target) as temp:
            assert temp.parent == tmp_path and temp.exists()
            assert temp.name.startswith(".out.xlsx.") and temp.name.endswith(PART_SUFFIX)
            assert str(os.getpid()) not in temp.name
            seen.append(temp.name)
            temp.write_bytes(b"done")
    assert seen[0] != seen[1]
    assert target.read_bytes() == b"done"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_what_a_killed_export_left_is_swept_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    old = tmp_path / f".out.xlsx.0123456789abcdef{PART_SUFFIX}"
    old.write_bytes(b"half a workbook")
    stale = time.time() - 2 * 3600
    os.utime(old, (stale, stale))
    fresh = tmp_path / f".out.xlsx.fedcba9876543210{PART_SUFFIX}"  # perhaps another export
    fresh.write_bytes(b"being written")
    other = tmp_path / f".other.xlsx.0123456789abcdef{PART_SUFFIX}"
    other.write_bytes(b"not ours")
    os.utime(other, (stale, stale))
    with replacing(target) as temp:
        temp.write_bytes(b"new")
    assert not old.exists() and fresh.exists() and other.exists()
    assert sweep_parts(target, now=time.time() + 7200) == [fresh]


def test_a_full_disk_is_reported_in_words(demo: Store, tmp_path: Path) -> None:
    """A file-size limit (as a quota) stops the write part-way: a clear message, exit 2,
    no traceback, no temporary file left, the earlier export kept."""
    demo.close()
    workspace = tmp_path / "workspace.sqlite"
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"last month's export")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from desktop.cli import main\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))\n"
        f"sys.exit(main(['export-xlsx', '--db', {str(workspace)!r}, '--out', {str(target)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    assert "there is no room on the disk to write out.xlsx" in result.stderr
    assert target.read_bytes() == b"last month's export"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(PART_SUFFIX)]
