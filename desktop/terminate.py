"""SIGTERM and SIGINT end the app the way Quit does: a shutdown, a logout, `kill` or Ctrl+C
in the terminal closes the workspace (its lock released, background work stopped) and the
log, so the next start neither reports a crash nor finds a lock to clear.

Python runs a signal handler only when it next runs bytecode, and Qt's event loop runs in
C++: the handler's C half writes to a socket (signal.set_wakeup_fd) that a QSocketNotifier
watches, which brings Python back at once, even inside a dialog's own event loop.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from desktop.crash_log import LOGGER

_asked: list[int] = []  # the signals received, in order


def requested() -> bool:
    """A signal has asked the app to end (run_gui then does not start its event loop)."""
    return bool(_asked)


class _Wakeup(QObject):
    """Owns the socket pair the signal handler's C half writes to."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.reader, self.writer = socket.socketpair()
        self.reader.setblocking(False)
        self.writer.setblocking(False)
        self.notifier = QSocketNotifier(self.reader.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            while self.reader.recv(64):
                pass
        except OSError:  # nothing left (EAGAIN): the handlers have run by now
            pass


def end_on_signals(app: QApplication) -> None:
    """Quit the event loops (a dialog's and the main one) on SIGTERM and SIGINT."""
    if os.name != "posix":  # pragma: no cover - Windows sends no SIGTERM to GUI apps
        return
    wakeup = _Wakeup(app)
    signal.set_wakeup_fd(wakeup.writer.fileno(), warn_on_full_buffer=False)

    def handler(signum: int, _frame: FrameType | None) -> None:
        _asked.append(signum)
        # A second signal ends the process at once, should closing ever hang.
        for each in (signal.SIGTERM, signal.SIGINT):
            signal.signal(each, signal.SIG_DFL)
        app.exit(0)  # every running event loop returns, a dialog's as well as the main one
        again = QTimer(app)  # and any loop started after this (a dialog on the way) too
        again.timeout.connect(lambda: app.exit(0))
        again.start(100)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)


def log_request() -> None:
    """Say in the log which signal ended the run (not from the handler itself, which may
    interrupt a write to the same log)."""
    if _asked:
        name = signal.Signals(_asked[0]).name
        logging.getLogger(LOGGER).info("Asked to end by %s: closed as Quit closes", name)
