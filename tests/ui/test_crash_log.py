"""The log and crash handler: real processes that crash, and the next start that notices."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from desktop import crash_log, launch

ROOT = Path(__file__).resolve().parents[2]


def child(code: str, data: Path) -> subprocess.CompletedProcess[str]:
    """Run a snippet in a fresh Python with the crash handler installed on data's log folder."""
    script = "from desktop import crash_log\nlog = crash_log.install()\n" + textwrap.dedent(code)
    env = dict(os.environ, BASELINE_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_clean_run_leaves_no_crash_for_the_next_start(tmp_path: Path) -> None:
    done = child("log.close()", tmp_path)
    assert done.returncode == 0, done.stderr
    log = crash_log.install(tmp_path / "logs")
    try:
        assert log.previous_crash is None
        text = log.log_path.read_text()
        assert "started" in text and "closed" in text
    finally:
        log.close()


def test_a_hard_crash_is_logged_with_its_stack_and_reported_next_start(tmp_path: Path) -> None:
    done = child(
        """
        def deep_in_the_app():
            import faulthandler
            faulthandler._sigsegv()
        deep_in_the_app()
        """,
        tmp_path,
    )
    assert done.returncode != 0  # a real segmentation fault
    log = crash_log.install(tmp_path / "logs")
    try:
        assert log.previous_crash is not None and "fatal error" in log.previous_crash
        text = log.log_path.read_text()
        assert "Segmentation fault" in text and "deep_in_the_app" in text
    finally:
        log.close()
    again = crash_log.install(tmp_path / "logs")  # reported once, not at every start
    try:
        assert again.previous_crash is None
    finally:
        again.close()


def test_a_killed_run_is_noticed_by_its_stale_session_lock(tmp_path: Path) -> None:
    done = child("import os\nos._exit(9)", tmp_path)  # no clean-up at all, as with kill -9
    assert done.returncode == 9
    assert list((tmp_path / "logs").glob("session-*.lock"))
    log = crash_log.install(tmp_path / "logs")
    try:
        assert log.previous_crash is not None and "ended without closing" in log.previous_crash
    finally:
        log.close()
    assert not list((tmp_path / "logs").glob("session-*.lock"))


def test_a_running_instance_is_not_taken_for_a_crash(tmp_path: Path) -> None:
    first = crash_log.install(tmp_path / "logs")
    done = child("print(repr(log.previous_crash))\nlog.close()", tmp_path)
    first.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


def test_uncaught_exceptions_are_logged_and_still_passed_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    before = (lambda *exc: seen.append(exc[1]), lambda args: seen.append(args.exc_value))
    monkeypatch.setattr(sys, "excepthook", before[0])
    monkeypatch.setattr(threading, "excepthook", before[1])
    log = crash_log.install(tmp_path / "logs")
    try:
        try:
            raise ValueError("a bug in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        thread = threading.Thread(target=lambda: 1 / 0, name="worker")
        thread.start()
        thread.join()
        installed = (sys.excepthook, threading.excepthook)
    finally:
        log.close()
    assert installed[0] is not before[0] and installed[1] is not before[1]
    assert (sys.excepthook, threading.excepthook) == before  # restored at a clean exit
    assert [type(e) for e in seen] == [ValueError, ZeroDivisionError]  # still passed on
    text = log.log_path.read_text()
    assert "ValueError: a bug in a slot" in text
    assert "thread worker" in text and "ZeroDivisionError" in text


def test_the_log_rotates_instead_of_growing(tmp_path: Path) -> None:
    log = crash_log.install(tmp_path / "logs")
    try:
        for _ in range(crash_log.MAX_BYTES // 500 * 3):
            logging.getLogger(crash_log.LOGGER).info("x" * 500)
    finally:
        log.close()
    files = sorted(p.name for p in (tmp_path / "logs").glob("baseline.log*"))
    assert files[:3] == ["baseline.log", "baseline.log.1", "baseline.log.2"]
    assert all(p.stat().st_size <= crash_log.MAX_BYTES for p in (tmp_path / "logs").iterdir())


def test_an_exception_that_ends_the_gui_run_is_reported_next_start(tmp_path: Path) -> None:
    log = crash_log.install(tmp_path / "logs")
    log.crashed("RuntimeError: boom")
    log._lock.unlock()  # the process would end here; the note must be enough on its own
    log.close()
    nxt = crash_log.install(tmp_path / "logs")
    try:
        assert nxt.previous_crash is not None and "RuntimeError: boom" in nxt.previous_crash
    finally:
        nxt.close()


def test_the_next_start_says_so_and_shows_the_log_location(qtbot, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    box = launch.crash_notice(window, tmp_path / "logs" / "baseline.log")
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "did not close properly" in box.text()
    assert str(tmp_path / "logs" / "baseline.log") in box.informativeText()
    box.close()


@pytest.mark.slow
def test_quit_after_start_shows_the_main_window_and_notes_a_crash(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        BASELINE_DATA_DIR=str(tmp_path / "data"),
        BASELINE_CONFIG_DIR=str(tmp_path / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from desktop import crash_log\nlog = crash_log.install()\nimport os\nos._exit(1)",
        ],
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert crashed.returncode == 1
    argv = [sys.executable, "main.py", "--db", str(tmp_path / "w.sqlite"), "--quit-after-start"]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert launch.SHOWN_LINE in done.stdout
    text = (tmp_path / "data" / "logs" / "baseline.log").read_text()
    assert "previous run did not close properly" in text
    assert "closed (pid" in text.splitlines()[-1]  # quit after start is a clean exit


def test_start_watcher_shows_the_notice_once_the_main_window_is_up(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / crash_log.CRASHED_NAME).write_text("RuntimeError: boom\n")
    log = crash_log.install(folder)
    try:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        watcher = launch.StartWatcher(app, log, quit_after_start=False)
        window = QMainWindow()
        qtbot.addWidget(window)
        qtbot.wait(120)  # the watcher polls while no main window is visible: nothing shown yet
        assert window.findChild(QMessageBox, "crash-notice") is None
        window.show()
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "crash-notice") is not None)
        notice = window.findChild(QMessageBox, "crash-notice")
        assert str(folder / "baseline.log") in notice.informativeText()
        assert not watcher.timer.isActive()  # said once, then the watcher stops
        notice.close()
        watcher.deleteLater()
    finally:
        log.close()
