"""The log file and the crash handler, so a crash leaves a trace and the next start says so.

A rotating log lives in the data folder (logs/baseline.log). faulthandler writes a hard
crash's stack (segfault, abort) to a small spool file that the next start moves into the log;
sys.excepthook and threading.excepthook log every uncaught exception. Each GUI session holds a
lock file: one left behind by a process that is no longer running means that run died.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from PySide6.QtCore import QLockFile

from desktop import paths
from desktop.version import __version__

LOG_NAME = "baseline.log"
FAULTS_NAME = "fatal-errors.txt"  # faulthandler's spool: emptied into the log at the next start
CRASHED_NAME = "crashed.txt"  # written when an exception ends the run
MAX_BYTES = 1_000_000
BACKUPS = 4
LOGGER = "baseline"


def log_dir() -> Path:
    """Where the log lives: beside the workspaces, in the user's data folder."""
    return paths.data_dir() / "logs"


def log_file() -> Path:
    return log_dir() / LOG_NAME


@dataclass
class CrashLog:
    """One session's log: what the previous run left, and the hooks to undo at a clean exit."""

    folder: Path
    previous_crash: str | None  # why the last run is believed to have crashed, or None
    handler: logging.Handler
    _lock: QLockFile
    _faults: IO[str]
    _hooks: tuple[object, object] = field(default=(None, None))
    _fault_was_enabled: bool = False

    @property
    def log_path(self) -> Path:
        return self.folder / LOG_NAME

    def crashed(self, why: str) -> None:
        """The run is ending on an exception: leave a note the next start will find."""
        logging.getLogger(LOGGER).critical("Baseline is stopping: %s", why)
        (self.folder / CRASHED_NAME).write_text(f"{time.ctime()}: {why}\n", encoding="utf-8")

    def close(self) -> None:
        """A clean exit: release the session lock, restore the hooks, close the log."""
        logging.getLogger(LOGGER).info("Baseline %s closed (pid %d)", __version__, os.getpid())
        sys.excepthook, threading.excepthook = self._hooks  # type: ignore[assignment]
        faulthandler.disable()
        if self._fault_was_enabled and sys.__stderr__ is not None:
            faulthandler.enable(sys.__stderr__)
        self._faults.close()
        self._lock.unlock()
        logger = logging.getLogger(LOGGER)
        logger.removeHandler(self.handler)
        self.handler.close()


def install(folder: Path | None = None) -> CrashLog:
    """Open the log, note a previous crash, and hook faulthandler and the exception hooks."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = RotatingFileHandler(
        folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    previous = _previous_crash(folder, logger)
    logger.info("Baseline %s started (pid %d, %s)", __version__, os.getpid(), sys.platform)
    lock = QLockFile(str(folder / f"session-{os.getpid()}.lock"))
    lock.setStaleLockTime(0)  # only a dead process makes a lock stale, never its age
    lock.tryLock(0)
    faults = (folder / FAULTS_NAME).open("a", encoding="utf-8")
    was_enabled = faulthandler.is_enabled()
    faulthandler.enable(faults, all_threads=True)
    log = CrashLog(folder, previous, handler, lock, faults, (sys.excepthook, threading.excepthook))
    log._fault_was_enabled = was_enabled
    sys.excepthook = _excepthook(sys.excepthook)
    threading.excepthook = _thread_excepthook(threading.excepthook)
    return log


def _previous_crash(folder: Path, logger: logging.Logger) -> str | None:
    """Why the last run did not close cleanly (a note, a fatal error, a dead session), or None."""
    reasons: list[str] = []
    crashed = folder / CRASHED_NAME
    if crashed.exists():
        reasons.append(crashed.read_text(encoding="utf-8", errors="replace").strip())
        crashed.unlink()
    faults = folder / FAULTS_NAME
    if faults.exists() and faults.stat().st_size:
        text = faults.read_text(encoding="utf-8", errors="replace")
        logger.critical("Fatal error in an earlier run (from faulthandler):\n%s", text[-20_000:])
        reasons.append("a fatal error (its details are in the log)")
        faults.write_text("", encoding="utf-8")
    for stale in sorted(folder.glob("session-*.lock")):
        other = QLockFile(str(stale))
        other.setStaleLockTime(0)
        if other.tryLock(0):  # its process is gone without unlocking: that run died
            other.unlock()
            reasons.append(f"an earlier run ({stale.stem}) ended without closing")
    if not reasons:
        return None
    why = "; ".join(dict.fromkeys(reasons))
    logger.warning("The previous run did not close properly: %s", why)
    return why


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
ThreadHook = Callable[[threading.ExceptHookArgs], Any]


def _excepthook(previous: ExceptHook) -> ExceptHook:
    """Log an uncaught exception, then hand it on (the console still shows it)."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        logging.getLogger(LOGGER).error("Uncaught exception:\n%s", text)
        previous(kind, value, tb)

    return hook


def _thread_excepthook(previous: ThreadHook) -> ThreadHook:
    def hook(args: threading.ExceptHookArgs) -> None:
        text = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        name = args.thread.name if args.thread else "?"
        logging.getLogger(LOGGER).error("Uncaught exception in thread %s:\n%s", name, text)
        previous(args)

    return hook
