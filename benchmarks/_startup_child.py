"""Child process for bench_startup: start a window, print SHOWN once it has painted, then quit.

    python benchmarks/_startup_child.py bare          a bare QMainWindow (the floor)
    python benchmarks/_startup_child.py app PATH      the app's real start-up (desktop.app.run_gui)
    python benchmarks/_startup_child.py phases PATH   run_gui's steps one by one, timed (--profile)

The parent times from launching this process to reading "SHOWN". Both modes use the same
detection: a zero timer queued before the event loop starts finds the shown main window,
watches it for its first paint event, and reports on the next turn of the event loop (so
the painted frame has been flushed). Nothing else is hooked, so the app path runs as is.
This file imports only PySide6 before start-up, so the bare floor pays for nothing else.
"""

from __future__ import annotations

import sys
import time

TIMEOUT_S = 30.0


def watch_for_first_paint(app: object, find_window: object) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    state: dict[str, object] = {"deadline": time.monotonic() + TIMEOUT_S}

    class PaintWatcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in state:
                state["painted"] = True
                QTimer.singleShot(0, report)
            return False

    def report(note: str = "") -> None:
        window = state["window"]
        print(f"SHOWN {note}".strip(), flush=True)
        window.close()  # type: ignore[attr-defined]  # the app saves its state and quits

    def check() -> None:
        window = find_window()  # type: ignore[operator]
        if window is None or not window.isVisible():
            if time.monotonic() > state["deadline"]:  # type: ignore[operator]
                print("FAILED no window shown", flush=True)
                app.quit()  # type: ignore[attr-defined]
                return
            QTimer.singleShot(0, check)
            return
        state["window"] = window
        watcher = PaintWatcher(window)
        state["watcher"] = watcher
        window.installEventFilter(watcher)
        # Should the first paint have happened already (it cannot before the event loop
        # runs, but be safe), or never come, report after a timeout rather than hang.
        QTimer.singleShot(int(TIMEOUT_S * 1000), lambda: "painted" in state or report("nopaint"))

    QTimer.singleShot(0, check)


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 820)  # the app's default size, so both paint the same area
    window.setWindowTitle("bare")
    watch_for_first_paint(app, lambda: window)
    window.show()
    return int(app.exec())


def run_app(db: str) -> int:
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from PySide6.QtWidgets import QApplication

    # run_gui reuses this QApplication (QApplication.instance() or ...), so creating it here
    # only lets the watcher's timer be queued before the event loop; the cost is the same.
    app = QApplication(sys.argv[:1])

    def find_window() -> object:
        from desktop.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                return widget
        return None

    watch_for_first_paint(app, find_window)

    from desktop.app import run_gui
    from desktop.cli import build_parser

    return run_gui(build_parser().parse_args(["--db", db]))


def run_phases(db: str) -> int:
    """For --profile: run_gui's steps replicated one by one, each timed (ms since start)."""
    start = time.perf_counter()

    def mark(what: str) -> None:
        print(f"  {(time.perf_counter() - start) * 1000:7.1f} ms  {what}", flush=True)

    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from PySide6.QtWidgets import QApplication

    mark("import PySide6.QtWidgets")
    app = QApplication(sys.argv[:1])
    mark("QApplication()")
    import sqlite_utils  # noqa: F401

    mark("import sqlite_utils (by models.store)")
    import models.store

    mark("import models.store (rest)")
    import desktop.app

    mark("import desktop.app")
    import desktop.main_window

    mark("import desktop.main_window (ui.*, models.questionnaire, yaml, ...)")
    settings = desktop.app.open_settings()
    mark("open_settings()")
    store = models.store.Store(db)
    mark("Store(path)")
    window = desktop.main_window.MainWindow(store, settings)
    mark("MainWindow(store, settings)")
    window.show()
    mark("show()")
    for _ in range(3):
        app.processEvents()
    mark("processEvents() x3 (first paint)")
    window.close()
    store.close()
    return 0


def main() -> int:
    mode = sys.argv[1]
    if mode == "bare":
        return run_bare()
    if mode == "app":
        return run_app(sys.argv[2])
    if mode == "phases":
        return run_phases(sys.argv[2])
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main())
