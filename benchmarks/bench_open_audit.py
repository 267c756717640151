"""Opening an audit with 5,000 senior-role rows until the roles table has painted.

Target (issue): at most 2x the time a bare QTableView takes to show the same 5,000 rows
from a Python list, in the same run.

App: a shown MainWindow on a workspace of two audits (5,000 senior_roles rows and 100
workforce rows each). Two paths are timed, from MainWindow.open_audit(id) through
audit_view.show_section("senior_roles") until the roles table's viewport has received
its paint event (the event loop is turned until it has):

- open: from no audit open (the welcome page), as after closing one. The form widgets
  exist from a warm-up opening, as they do after the first audit of a session.
- switch: from another open audit, which is what an auditor does all day in the
  navigator.

A table this long shows its first page at once and reads the rest once that page is
painted (ui/row_table_model.py), so the clock stops at the first paint, as a user sees.

Floor: a top-level QTableView over a minimal QAbstractTableModel on a list of lists of the
same display strings (precomputed, not timed), the same size as the app's table: model
set, shown, and the same wait for the viewport's paint event.

In-process, offscreen; alternating, medians of --reps each.

    python benchmarks/bench_open_audit.py [--reps 9] [--rows 5000] [--profile]
"""

from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QWidget

TARGET_RATIO = 2.0
TABLE = "senior_roles"
TIMEOUT_S = 30.0


class PaintSeen(QObject):
    """Notes the first paint event a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def wait_painted(app: QApplication, widget: QWidget) -> None:
    """Turn the event loop until `widget` has painted (it cannot before the loop runs)."""
    seen = PaintSeen(widget)
    deadline = time.perf_counter() + TIMEOUT_S
    while not seen.seen:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the table never painted")
    widget.removeEventFilter(seen)


def flush_deletes(app: QApplication) -> None:
    """Run pending deleteLater()s: outside exec(), processEvents() leaves them queued, so
    closed audits would pile up (alive, parented to the window) and slow later openings."""
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


class ListModel(QAbstractTableModel):
    """The floor's model: display strings from a list of lists, nothing else."""

    def __init__(self, rows: list[list[str]], headers: list[str]) -> None:
        super().__init__()
        self.rows = rows
        self.headers = headers

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return str(section + 1)


class AppOpen:
    """The app side: a shown MainWindow; each call opens the audit and shows the roles."""

    def __init__(self, app: QApplication, db: Path, scratch: Path) -> None:
        from desktop.main_window import MainWindow
        from models.store import Store

        self.app = app
        self.store = Store(db)
        self.settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.store, self.settings)
        self.window.show()
        if not QTest.qWaitForWindowExposed(self.window, 5000):
            raise RuntimeError("main window not exposed")
        audits = self.store.audits()
        self.audit_id = audits[0].id
        self.phases: dict[str, list[float]] = {"open_audit": [], "show_section": [], "paint": []}
        self.table_size = QSize()

    def __call__(self, profiler: cProfile.Profile | None = None) -> float:
        window = self.window
        self.settings.remove("section")  # open as if for the first time
        gc.collect()
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        window.open_audit(self.audit_id)
        opened = time.perf_counter()
        assert window.audit_view is not None
        page = window.audit_view.show_section(TABLE)
        shown = time.perf_counter()
        table = page.blocks[TABLE].table
        assert table is not None
        wait_painted(self.app, table.view.viewport())
        painted = time.perf_counter()
        if profiler is not None:
            profiler.disable()
        if not table.view.isVisible() or table.view.model().rowCount() == 0:
            raise RuntimeError("the roles table is not showing rows")
        self.table_size = table.view.size()
        self.phases["open_audit"].append(opened - start)
        self.phases["show_section"].append(shown - opened)
        self.phases["paint"].append(painted - shown)
        window.close_audit()
        flush_deletes(self.app)  # outside the clock
        return painted - start

    def display_strings(self) -> tuple[list[list[str]], list[str]]:
        """The roles table's display text, as the app formats it (for the floor)."""
        from models.questionnaire import get_questionnaire
        from models.validation import format_value

        audit = self.store.audit(self.audit_id)
        question = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version).question(
            TABLE
        )
        columns = question.columns
        rows = [
            [format_value(c, row.cells.get(c.id)) for c in columns]
            for row in self.store.rows(self.audit_id, TABLE)
        ]
        headers = [c.label + (" *" if c.required else "") for c in columns]
        return rows, headers

    def close(self) -> None:
        self.window.close()
        self.store.close()


class AppSwitch(AppOpen):
    """The everyday path: another audit is open, and the auditor picks this one."""

    def __init__(self, app: QApplication, db: Path, scratch: Path) -> None:
        super().__init__(app, db, scratch)
        self.other_id = self.store.audits()[1].id
        self.window.open_audit(self.other_id)
        assert self.window.audit_view is not None
        self.window.audit_view.show_section(TABLE)
        wait_painted(app, self.window.audit_view)

    def __call__(self, profiler: cProfile.Profile | None = None) -> float:
        window = self.window
        gc.collect()
        start = time.perf_counter()
        window.open_audit(self.audit_id)
        assert window.audit_view is not None
        table = window.audit_view.show_section(TABLE).blocks[TABLE].table
        assert table is not None
        wait_painted(self.app, table.view.viewport())
        elapsed = time.perf_counter() - start
        if table.view.model().rowCount() == 0:
            raise RuntimeError("the roles table is not showing rows")
        self.audit_id, self.other_id = self.other_id, self.audit_id  # next time, switch back
        flush_deletes(self.app)
        return elapsed


class FloorOpen:
    """The floor: a bare QTableView over a list model of the same strings."""

    def __init__(
        self, app: QApplication, rows: list[list[str]], headers: list[str], size: QSize
    ) -> None:
        self.app, self.rows, self.headers, self.size = app, rows, headers, size

    def __call__(self) -> float:
        gc.collect()
        start = time.perf_counter()
        model = ListModel(self.rows, self.headers)
        view = QTableView()
        model.setParent(view)
        view.setModel(model)
        view.resize(self.size)
        view.show()
        wait_painted(self.app, view.viewport())
        elapsed = time.perf_counter() - start
        view.close()
        view.deleteLater()
        flush_deletes(self.app)
        return elapsed


def profile_open(opener: AppOpen, top: int = 35) -> None:
    profiler = cProfile.Profile()
    opener(profiler)
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
        print(f"\n--- cProfile of one opening (top {top} by {key})")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="timed openings of each (9)")
    parser.add_argument("--rows", type=int, default=5000, help="senior role rows (5000)")
    parser.add_argument("--profile", action="store_true", help="also profile one opening")
    args = parser.parse_args()
    folder = workdir(args)
    print(f"bench_open_audit: open an audit with {args.rows:,} role rows", flush=True)
    db = demo_workspace(folder, 2, 1, args.rows, 100)  # two audits, to switch between

    quiet_qt_messages()
    add_ballast()  # PySide6 6.12 on Python 3.11 leaks references to None/True (see _common)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        app_open = AppOpen(app, db, Path(tmp))
        app_open()  # warm-up (imports, questionnaire, file cache); also sizes the floor
        rows, headers = app_open.display_strings()
        floor_open = FloorOpen(app, rows, headers, app_open.table_size)
        floor_open()
        for key in app_open.phases:
            app_open.phases[key].clear()

        app_times: list[float] = []
        floor_times: list[float] = []
        for i in range(args.reps):
            order = [(app_open, app_times), (floor_open, floor_times)]
            for run, sink in order if i % 2 == 0 else reversed(order):
                sink.append(run())  # type: ignore[operator]
        app_open.close()

        app_switch = AppSwitch(app, db, Path(tmp))
        app_switch()  # warm-up
        switch_times: list[float] = []
        switch_floor: list[float] = []
        for i in range(args.reps):
            order = [(app_switch, switch_times), (floor_open, switch_floor)]
            for run, sink in order if i % 2 == 0 else reversed(order):
                sink.append(run())  # type: ignore[operator]
        switch_ratio = median(switch_times) / median(switch_floor)

        app_med, floor_med = median(app_times), median(floor_times)
        ratio = app_med / floor_med
        size = app_open.table_size
        print(
            f"  table {size.width()}x{size.height()} px, {len(rows):,} rows x {len(headers)} cols"
        )
        print(f"  bare QTableView : {spread(floor_times)}")
        print(f"  app             : {spread(app_times)}")
        for key, values in app_open.phases.items():
            print(f"      {key:<13}: median {ms(median(values))}")
        print(
            f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x); "
            f"the app adds {ms(app_med - floor_med)}"
        )
        print(f"  switch from another open audit: {spread(switch_times)}")
        print(f"  bare QTableView (same run)    : {spread(switch_floor)}")
        print(f"  ratio {switch_ratio:.2f}x (target <= {TARGET_RATIO:.0f}x)")
        if args.profile:
            profile_open(app_switch)
        app_switch.close()

    result = Result(
        name=f"open audit ({args.rows:,} role rows)",
        app=ms(app_med),
        floor=ms(floor_med),
        ratio=f"{ratio:.2f}x",
        target=f"<= {TARGET_RATIO:.0f}x bare QTableView",
        met=ratio <= TARGET_RATIO,
        extra={
            "app_s": app_times,
            "floor_s": floor_times,
            "phases_s": app_open.phases,
        },
    )
    switched = Result(
        name=f"switch audits ({args.rows:,} role rows)",
        app=ms(median(switch_times)),
        floor=ms(median(switch_floor)),
        ratio=f"{switch_ratio:.2f}x",
        target=f"<= {TARGET_RATIO:.0f}x bare QTableView",
        met=switch_ratio <= TARGET_RATIO,
        extra={"app_s": switch_times, "floor_s": switch_floor},
    )
    write_results(args, [result, switched])
    if not args.json:
        print()
        print_table([result, switched])
    return 0


if __name__ == "__main__":
    sys.exit(main())
