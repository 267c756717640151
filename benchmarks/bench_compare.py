"""Comparing two audits with 5,000 senior-role rows each, until both tables have painted.

Target (issue): the compare view for two audits with 5,000 role rows each shown in at most
3x the time to show both tables side by side without comparison, in the same run.

App: a shown CompareView (ui/compare_view.py) on a workspace of one department with two
audits (5,000 senior_roles and 100 workforce rows each). Timed from view.compare(old, new)
(reading both audits, pairing every table's rows, the answers list, the tabs) through
show_table("senior_roles") until both sides' viewports have received a paint event.

Floors, in the same run, in a widget like the view's table page (the same two table views,
same size, side by side):

- read + show: read both audits' roles from the store (Store.rows, as the form does) and
  show them in plain list models that format each cell when painted. This is showing both
  tables without comparing them.
- strings: the display strings of both tables precomputed (not timed), in plain list
  models; only setting the models and painting is timed. The strictest floor.

In-process, offscreen; alternating, medians of --reps each.

    python benchmarks/bench_compare.py [--reps 9] [--rows 5000] [--profile]
"""

from __future__ import annotations

import cProfile
import gc
import io
import os
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_open_audit import ListModel, PaintSeen, flush_deletes
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter, QTableView, QWidget

TARGET_RATIO = 3.0
TABLE = "senior_roles"
SIZE = (1380, 860)
TIMEOUT_S = 30.0


def wait_all_painted(app: QApplication, widgets: list[QWidget]) -> None:
    """Turn the event loop until every widget has painted."""
    seen = [PaintSeen(w) for w in widgets]
    deadline = time.perf_counter() + TIMEOUT_S
    while not all(s.seen for s in seen):
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("a table never painted")
    for widget, filt in zip(widgets, seen, strict=True):
        widget.removeEventFilter(filt)


class RowsModel(QAbstractTableModel):
    """The read-and-show floor's model: store rows, each cell formatted when painted."""

    def __init__(self, rows: list[Any], columns: Any) -> None:
        super().__init__()
        self.rows, self.columns = rows, columns

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        from models.validation import format_value

        if role == Qt.ItemDataRole.DisplayRole:
            column = self.columns[index.column()]
            return format_value(column, self.rows[index.row()].cells.get(column.id))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].label
        return str(section + 1)


class AppCompare:
    """The app side: a shown CompareView; each call compares the two audits again."""

    def __init__(self, app: QApplication, store: Any) -> None:
        from models.audit_compare import comparable_pair
        from ui.compare_view import CompareView

        self.app, self.store = app, store
        self.old, self.new = comparable_pair(store, store.departments()[0].id)
        self.view = CompareView(store)
        self.view.resize(*SIZE)
        self.view.show()
        if not QTest.qWaitForWindowExposed(self.view, 5000):
            raise RuntimeError("compare view not exposed")
        self.phases: dict[str, list[float]] = {"compare": [], "paint": []}

    def __call__(self, profiler: cProfile.Profile | None = None) -> float:
        gc.collect()
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        self.view.compare(self.old.id, self.new.id)
        page = self.view.show_table(TABLE)
        compared = time.perf_counter()
        wait_all_painted(self.app, [v.viewport() for v in page.views])
        painted = time.perf_counter()
        if profiler is not None:
            profiler.disable()
        if not all(v.isVisible() and v.model().rowCount() for v in page.views):
            raise RuntimeError("the compared tables are not showing rows")
        self.phases["compare"].append(compared - start)
        self.phases["paint"].append(painted - compared)
        flush_deletes(self.app)
        return painted - start

    def display_strings(self) -> tuple[list[list[list[str]]], list[str]]:
        """Both sides' display text as the view shows it (for the strings floor)."""
        page = self.view.pages[TABLE]
        sides = []
        for model in page.models:
            cols = model.columnCount()
            sides.append(
                [
                    [model.data(model.index(r, c)) or "" for c in range(cols)]
                    for r in range(model.rowCount())
                ]
            )
        headers = [page.models[0].headerData(c, Qt.Orientation.Horizontal) for c in range(cols)]
        return sides, headers


class SideBySide(QWidget):
    """The floors' widget: the view's two table views in a splitter, nothing else."""

    def __init__(self) -> None:
        from ui.compare_tables import read_only_table_view

        super().__init__()
        splitter = QSplitter(self)
        self.views: list[QTableView] = [read_only_table_view(splitter) for _ in range(2)]
        self.resize(*SIZE)
        splitter.resize(*SIZE)
        self.show()

    def show_models(self, app: QApplication, models: list[QAbstractTableModel]) -> None:
        for view, model in zip(self.views, models, strict=True):
            old = view.model()
            model.setParent(view)
            view.setModel(model)
            if old is not None:
                old.deleteLater()
        wait_all_painted(app, [v.viewport() for v in self.views])


class FloorReadShow:
    """Read both audits' roles from the store and show them side by side."""

    def __init__(self, app: QApplication, store: Any, ids: tuple[str, str]) -> None:
        from models.questionnaire import current_questionnaire

        self.app, self.store, self.ids = app, store, ids
        self.columns = current_questionnaire().question(TABLE).columns
        self.widget = SideBySide()

    def __call__(self) -> float:
        gc.collect()
        start = time.perf_counter()
        models: list[QAbstractTableModel] = [
            RowsModel(self.store.rows(audit_id, TABLE), self.columns) for audit_id in self.ids
        ]
        self.widget.show_models(self.app, models)
        elapsed = time.perf_counter() - start
        flush_deletes(self.app)
        return elapsed


class FloorStrings:
    """Precomputed display strings of both sides, shown side by side."""

    def __init__(self, app: QApplication, sides: list[list[list[str]]], headers: list[str]):
        self.app, self.sides, self.headers = app, sides, headers
        self.widget = SideBySide()

    def __call__(self) -> float:
        gc.collect()
        start = time.perf_counter()
        models: list[QAbstractTableModel] = [ListModel(rows, self.headers) for rows in self.sides]
        self.widget.show_models(self.app, models)
        elapsed = time.perf_counter() - start
        flush_deletes(self.app)
        return elapsed


def profile_compare(runner: AppCompare, top: int = 30) -> None:
    profiler = cProfile.Profile()
    runner(profiler)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n--- cProfile of one comparison (top {top} by cumulative time)")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="timed comparisons of each (9)")
    parser.add_argument("--rows", type=int, default=5000, help="senior role rows per audit")
    parser.add_argument("--profile", action="store_true", help="also profile one comparison")
    args = parser.parse_args()
    folder = workdir(args)
    print(f"bench_compare: compare two audits with {args.rows:,} role rows each", flush=True)
    db = demo_workspace(folder, 1, 2, args.rows, 100)

    from models.store import Store

    quiet_qt_messages()
    add_ballast()  # PySide6 6.12 on Python 3.11 leaks references to None/True (see _common)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    store = Store(db)
    app_compare = AppCompare(app, store)
    app_compare()  # warm-up (imports, questionnaire, file cache)
    sides, headers = app_compare.display_strings()
    read_show = FloorReadShow(app, store, (app_compare.old.id, app_compare.new.id))
    strings = FloorStrings(app, sides, headers)
    read_show()
    strings()
    for values in app_compare.phases.values():
        values.clear()

    runs: dict[str, list[float]] = {"app": [], "read": [], "strings": []}
    order = [("app", app_compare), ("read", read_show), ("strings", strings)]
    for i in range(args.reps):
        for name, run in order if i % 2 == 0 else reversed(order):
            runs[name].append(run())  # type: ignore[operator]
    comparison = app_compare.view.comparison
    assert comparison is not None
    roles = comparison.table(TABLE)
    if args.profile:
        profile_compare(app_compare)

    app_med = median(runs["app"])
    ratio_read = app_med / median(runs["read"])
    ratio_strings = app_med / median(runs["strings"])
    print(
        f"  {len(roles.old_rows):,} + {len(roles.new_rows):,} role rows; {len(roles.pairs):,} "
        f"paired lines ({roles.counts_text()}); {len(headers)} columns a side"
    )
    print(f"  compare view                 : {spread(runs['app'])}")
    for key, values in app_compare.phases.items():
        print(f"      {key:<9}: median {ms(median(values))}")
    print(f"  read + show both (no compare): {spread(runs['read'])}")
    print(f"  precomputed strings, both    : {spread(runs['strings'])}")
    print(f"  ratio to read + show {ratio_read:.2f}x (target <= {TARGET_RATIO:.0f}x)")
    print(f"  ratio to precomputed strings {ratio_strings:.2f}x")
    store.close()

    results = [
        Result(
            name=f"compare audits ({args.rows:,} role rows each)",
            app=ms(app_med),
            floor=ms(median(runs["read"])),
            ratio=f"{ratio_read:.2f}x",
            target=f"<= {TARGET_RATIO:.0f}x both tables shown",
            met=ratio_read <= TARGET_RATIO,
            extra={"app_s": runs["app"], "floor_s": runs["read"], "phases_s": app_compare.phases},
        ),
        Result(
            name="compare audits vs precomputed strings",
            app=ms(app_med),
            floor=ms(median(runs["strings"])),
            ratio=f"{ratio_strings:.2f}x",
            target="(information)",
            met=None,
            extra={"floor_s": runs["strings"]},
        ),
    ]
    write_results(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
