"""The cycle dashboard for one cycle of a 50-department x 10-cycle workspace, until painted.

Target (issue 7): at most 3x the time a bare QTableView takes to show the same cells from a
Python list, in the same run.

App: CycleDashboard(store) built, sized and shown, timed from construction until its
table's viewport has painted (the event loop is turned until it has). Two figures:

- first paint: the rows as first shown. Section maturity, overall, completion and status
  are there (they need only answers and row counts); the headline indicators, which read
  every role and workforce row, show "…".
- complete: until every indicator is worked out (in slices while the event loop is idle)
  and the viewport has painted them.

Audit figures are kept in the workspace once worked out (models/score_cache.py, dropped by
triggers when an audit changes), so two "complete" figures are printed: with the kept
figures (any showing after the first, as in daily use) and cold, with the kept figures
deleted before each showing (a cycle whose every audit was just edited or imported).
SQLite's page cache and the parsed questionnaire are warm in both, as in the app.

Floor: a top-level QTableView over a minimal list model of the final display strings
(precomputed, not timed), same size, same wait for the viewport's paint.

In-process, offscreen; alternating, medians of --reps each.

    python benchmarks/bench_dashboard.py [--reps 9] [--roles 300] [--workforce 100] [--profile]
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import sys
import time
from typing import Any

from _common import (
    Result,
    add_ballast,
    base_parser,
    demo_workspace,
    median,
    ms,
    print_table,
    quiet_qt_messages,
    spread,
    workdir,
    write_results,
)
from bench_open_audit import ListModel, flush_deletes, wait_painted
from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QApplication, QTableView, QWidget

TARGET_RATIO = 3.0
SIZE = QSize(1380, 900)
TIMEOUT_S = 60.0


class PaintClock(QObject):
    """The time of every paint event a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.times: list[float] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.perf_counter())
        return False


class AppDashboard:
    """Builds and shows a CycleDashboard; returns (first paint, complete) in seconds."""

    def __init__(self, app: QApplication, store: Any) -> None:
        self.app, self.store = app, store
        self.strings: list[list[str]] = []
        self.headers: list[str] = []

    def __call__(self, profiler: cProfile.Profile | None = None) -> tuple[float, float]:
        from ui.dashboard_view import CycleDashboard, display_text

        gc.collect()
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        widget = CycleDashboard(self.store)
        widget.resize(SIZE)
        widget.show()
        clock = PaintClock(widget.view.viewport())
        deadline = start + TIMEOUT_S
        while not clock.times:
            self.app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError("the dashboard never painted")
        first = clock.times[0] - start
        while not widget.figures_complete():
            self.app.processEvents()
        done = time.perf_counter()
        settle = done + 2.0
        while not any(t > done for t in clock.times) and time.perf_counter() < settle:
            self.app.processEvents()
        painted = [t for t in clock.times if t > done]
        complete = (painted[0] if painted else done) - start
        if profiler is not None:
            profiler.disable()
        model = widget.model
        if model.rowCount() == 0:
            raise RuntimeError("the dashboard shows no rows")
        self.strings = [[display_text(r, c) for c in model.columns] for r in model.rows]
        self.headers = [c.title for c in model.columns]
        widget.close()
        widget.deleteLater()
        flush_deletes(self.app)
        return first, complete


class FloorTable:
    """The floor: a bare QTableView over a list model of the same strings."""

    def __init__(self, app: QApplication, rows: list[list[str]], headers: list[str]) -> None:
        self.app, self.rows, self.headers = app, rows, headers

    def __call__(self) -> float:
        gc.collect()
        start = time.perf_counter()
        model = ListModel(self.rows, self.headers)
        view = QTableView()
        model.setParent(view)
        view.setModel(model)
        view.resize(SIZE)
        view.show()
        wait_painted(self.app, view.viewport())
        elapsed = time.perf_counter() - start
        view.close()
        view.deleteLater()
        flush_deletes(self.app)
        return elapsed


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="timed showings of each (9)")
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--roles", type=int, default=300, help="senior role rows per audit")
    parser.add_argument("--workforce", type=int, default=100, help="workforce rows per audit")
    parser.add_argument("--profile", action="store_true", help="also profile one showing")
    args = parser.parse_args()
    folder = workdir(args)
    print(
        f"bench_dashboard: {args.departments} departments x {args.cycles} cycles, "
        f"{args.roles} role and {args.workforce} workforce rows per audit",
        flush=True,
    )
    db = demo_workspace(folder, args.departments, args.cycles, args.roles, args.workforce)

    quiet_qt_messages()
    add_ballast()  # PySide6 6.12 on Python 3.11 leaks references to None/True (see _common)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from models.store import Store

    store = Store(db)
    try:
        dashboard = AppDashboard(app, store)
        dashboard()  # warm-up: imports, questionnaire, file cache; also gives the floor's text
        floor = FloorTable(app, dashboard.strings, dashboard.headers)
        floor()
        firsts: list[float] = []
        completes: list[float] = []
        floors: list[float] = []
        for i in range(args.reps):
            if i % 2:
                floors.append(floor())
            first, complete = dashboard()
            firsts.append(first)
            completes.append(complete)
            if not i % 2:
                floors.append(floor())
        colds: list[float] = []
        for _ in range(max(3, args.reps // 3)):
            with store.transaction():
                store.conn.execute("DELETE FROM score_cache")  # every audit scored afresh
            colds.append(dashboard()[1])
        if args.profile:
            profiler = cProfile.Profile()
            dashboard(profiler)
            for key in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(30)
                print(f"\n--- cProfile of one showing, to complete (top 30 by {key})")
                print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    finally:
        store.close()

    floor_med = median(floors)
    first_ratio = median(firsts) / floor_med
    complete_ratio = median(completes) / floor_med
    rows, cols = len(dashboard.strings), len(dashboard.headers)
    print(f"  {rows} rows x {cols} columns, {SIZE.width()}x{SIZE.height()} px")
    print(f"  bare QTableView        : {spread(floors)}")
    print(f"  dashboard, first paint : {spread(firsts)}")
    print(f"  dashboard, complete    : {spread(completes)}")
    print(f"  complete, cold         : {spread(colds)}")
    cold_ratio = median(colds) / floor_med
    print(
        f"  ratio first paint {first_ratio:.2f}x, complete {complete_ratio:.2f}x, "
        f"cold {cold_ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x)"
    )
    results = [
        Result(
            name="cycle dashboard, first paint",
            app=ms(median(firsts)),
            floor=ms(floor_med),
            ratio=f"{first_ratio:.2f}x",
            target=f"<= {TARGET_RATIO:.0f}x bare QTableView",
            met=first_ratio <= TARGET_RATIO,
            extra={"app_s": firsts, "floor_s": floors},
        ),
        Result(
            name="cycle dashboard, every cell, cold",
            app=ms(median(colds)),
            floor=ms(floor_med),
            ratio=f"{cold_ratio:.2f}x",
            target=f"<= {TARGET_RATIO:.0f}x bare QTableView",
            met=cold_ratio <= TARGET_RATIO,
            extra={"app_s": colds, "floor_s": floors},
        ),
        Result(
            name="cycle dashboard, every cell",
            app=ms(median(completes)),
            floor=ms(floor_med),
            ratio=f"{complete_ratio:.2f}x",
            target=f"<= {TARGET_RATIO:.0f}x bare QTableView",
            met=complete_ratio <= TARGET_RATIO,
            extra={"app_s": completes, "floor_s": floors},
        ),
    ]
    write_results(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
