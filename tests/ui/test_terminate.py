"""SIGTERM and SIGINT close the app as Quit does: the workspace's lock released and the log
closed, so the next start reports no crash. Sent while the first-run question is open (a
dialog's own event loop) and once the main window is up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import launch
from models.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        BASELINE_DATA_DIR=str(tmp_path / "data"),
        BASELINE_CONFIG_DIR=str(tmp_path / "config"),
        QT_QPA_PLATFORM="offscreen",
    )


def _start(tmp_path: Path, named: bool) -> subprocess.Popen[str]:
    if named:  # the first-run question already answered
        (tmp_path / "config").mkdir(parents=True, exist_ok=True)
        (tmp_path / "config" / "settings.ini").write_text("[General]\nauditorName=Ann\n")
    argv = [sys.executable, "main.py", "--db", str(tmp_path / "w.sqlite")]
    return subprocess.Popen(
        argv, cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _wait_for(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _log(tmp_path: Path) -> str:
    path = tmp_path / "data" / "logs" / "baseline.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize(("signum", "named"), [
    (signal.SIGTERM, True), (signal.SIGTERM, False), (signal.SIGINT, True),
])  # fmt: skip
def test_a_signal_closes_the_app_as_quit_does(
    tmp_path: Path, signum: signal.Signals, named: bool
) -> None:
    lock = tmp_path / "w.sqlite.lock"
    app = _start(tmp_path, named)
    try:
        _wait_for(lambda: lock.exists() and " started (pid" in _log(tmp_path), "the start")
        # Named: the main window comes up; not named: the first-run question waits in its
        # own event loop. (Either way a signal sooner must end the app just as cleanly.)
        time.sleep(2.0)
        assert app.poll() is None, app.communicate()
        app.send_signal(signum)
        _out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert "Traceback" not in err, err
    assert not lock.exists()  # the workspace is free for the next copy
    lines = _log(tmp_path).splitlines()
    assert f"Asked to end by {signum.name}" in "\n".join(lines)
    assert "closed (pid" in lines[-1]  # a clean exit: the next start reports no crash
    again = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "w.sqlite"), "--quit-after-start"],
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert launch.SHOWN_LINE in again.stdout
    assert "did not close properly" not in _log(tmp_path)


@pytest.mark.parametrize(("signum", "kind"), [
    (signal.SIGTERM, "cell"), (signal.SIGINT, "cell"),
    (signal.SIGTERM, "field"), (signal.SIGTERM, "comment"), (signal.SIGTERM, "invalid"),
])  # fmt: skip
def test_a_signal_keeps_what_is_being_typed(
    tmp_path: Path, signum: signal.Signals, kind: str
) -> None:
    """Text typed but not committed (a table cell's editor still open) is saved as Quit
    saves it, before the workspace closes; nothing touches the closed workspace."""
    workspace = tmp_path / "w.sqlite"
    (tmp_path / "config").mkdir(parents=True, exist_ok=True)
    (tmp_path / "config" / "settings.ini").write_text("[General]\nauditorName=Ann\n")
    typed = "2.5 people" if kind == "invalid" else "Head of IT Operations"
    app = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.signal_driver", str(workspace), kind, typed],
        cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert app.stdout is not None
        lines = [app.stdout.readline().strip() for _ in range(2)]
        assert lines[0].startswith("AUDIT ") and lines[1] == "TYPED", (lines, app.stderr)
        audit_id = lines[0].split()[1]
        time.sleep(0.5)
        app.send_signal(signum)
        _out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    log = _log(tmp_path)
    assert app.returncode == 0, err
    assert "Traceback" not in err, err
    assert "Traceback" not in log and "closed database" not in log, log
    assert f"Asked to end by {signum.name}" in log
    assert "closed (pid" in log.splitlines()[-1]
    assert not (tmp_path / "w.sqlite.lock").exists()
    with Store(workspace) as store:
        if kind == "cell":
            assert [r.cells.get("job_title") for r in store.rows(audit_id, "senior_roles")] == [
                typed
            ]
        elif kind == "field":
            assert store.answers(audit_id)["digital_leader_post"] == typed
        elif kind == "invalid":  # nothing of it stored, and the log says what was not saved
            assert "board_tech_expert_count" not in store.answers(audit_id)
            assert "Ended by a signal with text not saved: Not saved:" in log
        else:
            assert store.comments(audit_id)["digital_leader_post"] == typed
