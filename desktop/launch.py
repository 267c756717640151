"""The GUI launched as an installed app: log and crash handler, icon, version, crash notice.

Wraps desktop.app.run_gui without changing it: the QApplication is made here first (run_gui
reuses it), and a watcher waits for the main window to be shown to say that the last run
crashed, or, with --quit-after-start (install checks), to report it and quit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from desktop import crash_log, paths
from desktop.terminate import end_on_signals, log_request
from desktop.version import __version__

DESKTOP_ID = "uk.gov.baseline.Baseline"  # matches packaging/linux/*.desktop and metainfo
SHOWN_LINE = "MAIN WINDOW SHOWN"


def app_icon() -> QIcon:
    """The app's icon at every size shipped in resources/icons (PNG: no SVG plugin needed)."""
    from importlib import resources

    icon = QIcon()
    folder = Path(str(resources.files("resources") / "icons"))
    for png in sorted(folder.glob("baseline-*.png")):
        icon.addFile(str(png))
    return icon


def run(args: argparse.Namespace) -> int:
    """Start the GUI with the crash handler installed; a clean return closes the log."""
    log = crash_log.install()
    try:
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setApplicationName(paths.APP_NAME)
        app.setApplicationVersion(__version__)
        app.setWindowIcon(app_icon())
        app.setDesktopFileName(DESKTOP_ID)  # Wayland/X11 docks match the .desktop file
        watcher = StartWatcher(app, log, quit_after_start=bool(args.quit_after_start))
        end_on_signals(app)  # SIGTERM, SIGINT: closed as Quit closes, not a crash
        from desktop.app import run_gui

        code = run_gui(args)
        log_request()
        watcher.deleteLater()
    except Exception as exc:  # the run ends on a bug: logged, and the next start says so
        log.crashed(f"{type(exc).__name__}: {exc}")
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return 1
    except BaseException:  # Ctrl+C, sys.exit: not a crash
        log.close()
        raise
    log.close()
    return code


class StartWatcher(QObject):
    """Polls until the main window is visible, then says what the last run left, or quits."""

    def __init__(self, app: QApplication, log: crash_log.CrashLog, quit_after_start: bool) -> None:
        super().__init__(app)
        self.app, self.log, self.quit_after_start = app, log, quit_after_start
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _main_window(self) -> QMainWindow | None:
        for widget in self.app.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                return widget
        return None

    def _poll(self) -> None:
        window = self._main_window()
        if window is None:
            return
        self.timer.stop()
        if self.quit_after_start:
            print(f"{SHOWN_LINE}: {window.windowTitle()}", flush=True)
            QTimer.singleShot(0, window.close)  # closes as a user would: writes settled
            return
        if self.log.previous_crash:
            crash_notice(window, self.log.log_path)


def crash_notice(window: QMainWindow, log_path: Path) -> QMessageBox:
    """Say that Baseline did not close properly last time, and where the log is."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Baseline closed unexpectedly")
    box.setText("Baseline did not close properly the last time it ran.")
    box.setInformativeText(
        "Answers are saved as they are entered, so your work should be in the workspace; "
        "check the answer you were editing last. If this keeps happening, send the log file "
        f"to your support team:\n{log_path}"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("crash-notice")
    box.open()  # window-modal, does not block start-up
    return box
