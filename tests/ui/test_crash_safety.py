"""Kill -9 the running app mid-typing: every edit it reported as made is in the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_edit_loses_nothing_reported(tmp_path: Path) -> None:
    workspace = tmp_path / "killed.sqlite"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.kill_driver", str(workspace), str(tmp_path / "s.ini")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    notes = 0
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        while notes < 40 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            notes += line.startswith("NOTE ")
        assert notes >= 40, f"driver stopped early after: {lines[-3:]}"
    finally:
        proc.send_signal(signal.SIGKILL)  # no chance to clean up, like a flat battery
        proc.communicate(timeout=10)  # reap it and close the pipes
    assert proc.returncode == -signal.SIGKILL

    audit_id = lines[0].split()[1]
    last_post = [line for line in lines if line.startswith("EDIT digital_leader_post ")][-1]
    last_note = [line for line in lines if line.startswith("NOTE ")][-1]
    with Store(workspace) as store:
        answers = store.answers(audit_id)
        assert answers["digital_leader_post"] == last_post.split(" ", 2)[2]
        assert [r.cells["job_title"] for r in store.rows(audit_id, "senior_roles")] == [
            "CIO",
            "CTO",
            "CISO",
        ]
        # The driver may have typed one more key after its last report before dying.
        stored_note = answers["senior_roles_notes"]
        reported = last_note.split(" ", 1)[1]
        assert stored_note.startswith(reported)
        assert len(stored_note) - len(reported) <= 1
