"""An edit committed to disk: median and 99th percentile per edit, on the 50 x 3 workspace.

Target (issue): median under 2 ms, 99th percentile under 10 ms, for an edit committed to
disk with whatever history it records.

Measured, each over --edits edits (after a short untimed warm-up), on a copy of the
50 x 3 workspace with the store's default durable=True (WAL, synchronous=FULL: every
commit is fsynced):

  store.set_answer      Store.set_answer on a text question of one audit
  store.set_cell        Store.set_cell on a text column of random role rows of that audit
  ui answer             AuditSession.set_answer in a shown MainWindow with the audit open
                        on the question's section: pushes an undo command, commits, updates
                        the form (the undo history is the history an edit records)
  ui table cell         RowTableModel.setData on the roles table (as a typed cell is
                        committed): undo command, store.set_cells, view update

For information, the same store calls with durable=False (synchronous=NORMAL), and a floor:
a bare sqlite3 UPDATE of one row + COMMIT on the same file with the same pragmas, which
shows what the disk's fsync costs.

    python benchmarks/bench_edit_commit.py [--edits 1000]
"""

from __future__ import annotations

import gc
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import (
    Result,
    add_ballast,
    base_parser,
    big_workspace,
    copy_workspace,
    median,
    ms3,
    percentile,
    print_table,
    pyside_refcount_leaks,
    quiet_qt_messages,
    singleton_refs,
    workdir,
    write_results,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MEDIAN_TARGET_S = 0.002
P99_TARGET_S = 0.010
WARM_UP = 20
TARGET = "median < 2 ms, p99 < 10 ms"


def timed(
    edit: Callable[[int], Any], count: int, between: Callable[[], Any] | None = None
) -> list[float]:
    """Seconds per call of edit(i), i = 0..count-1 (after an untimed warm-up)."""
    for i in range(WARM_UP):
        edit(count + i)
    times = []
    gc.collect()
    for i in range(count):
        start = time.perf_counter()
        edit(i)
        times.append(time.perf_counter() - start)
        if between is not None:
            between()
    return times


def figures(times: list[float]) -> tuple[float, float, float]:
    return median(times), percentile(times, 99), max(times)


def report(
    name: str, times: list[float], *, info: bool = False, floor: float | None = None
) -> Result:
    med, p99, worst = figures(times)
    print(
        f"  {name:<32} median {ms3(med):>9}  p99 {ms3(p99):>9}  max {ms3(worst):>9}"
        f"  (n={len(times)})",
        flush=True,
    )
    return Result(
        name=f"edit: {name}",
        app=f"{med * 1000:.2f} / {p99 * 1000:.2f} ms",
        floor="" if floor is None else f"{floor * 1000:.2f} ms",
        ratio="" if floor is None else f"{med / floor:.2f}x",
        target="info only" if info else TARGET,
        met=None if info else (med < MEDIAN_TARGET_S and p99 < P99_TARGET_S),
        extra={"median_s": med, "p99_s": p99, "max_s": worst, "n": len(times)},
    )


class Subject:
    """What the edits touch: one draft audit, a text question, a text column of its roles."""

    def __init__(self, store: Any) -> None:
        from models.questionnaire import get_questionnaire

        audit = next(a for a in store.audits() if a.status == "draft")
        self.audit_id = audit.id
        questionnaire = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        self.question = next(
            q
            for q in questionnaire.questions()
            if q.type in ("text", "long_text") and not q.pattern and not q.visible_if
        )
        self.table = questionnaire.question("senior_roles")
        self.column = next(c for c in self.table.columns if c.id == "reports_to")
        self.column_index = self.table.columns.index(self.column)
        self.row_ids = [r.id for r in store.rows(self.audit_id, "senior_roles")]


def sqlite_floor(path: Path, count: int, durable: bool = True) -> list[float]:
    """A bare UPDATE of one row + COMMIT with the store's pragmas: the disk's own cost."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v TEXT)")
        conn.execute("INSERT OR REPLACE INTO bench_floor VALUES (1, 'x')")

        def edit(i: int) -> None:
            conn.execute("BEGIN")
            conn.execute("UPDATE bench_floor SET v = ? WHERE id = 1", [f"value {i}"])
            conn.execute("COMMIT")

        times = timed(edit, count)
        conn.execute("DROP TABLE bench_floor")
    finally:
        conn.close()
    return times


def store_edits(path: Path, count: int, durable: bool) -> tuple[list[float], list[float]]:
    from models.store import Store

    rng = random.Random(2013)
    with Store(path, durable=durable) as store:
        subject = Subject(store)
        answers = timed(
            lambda i: store.set_answer(subject.audit_id, subject.question.id, f"Edit {i}"), count
        )
        cells = timed(
            lambda i: store.set_cell(
                subject.audit_id, rng.choice(subject.row_ids), subject.column.id, f"Director {i}"
            ),
            count,
        )
    return answers, cells


def ui_edits(path: Path, count: int, scratch: Path) -> tuple[list[float], list[float], list[str]]:
    """Timed UI edits, and warnings about references the edits leaked (see _common)."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from models.store import Store

    quiet_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    store = Store(path)
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings)
    window.show()
    QTest.qWaitForWindowExposed(window, 5000)
    warnings: list[str] = []
    try:
        subject = Subject(store)
        window.open_audit(subject.audit_id)
        session, view = window.session, window.audit_view
        assert session is not None and view is not None
        view.show_section(subject.question.section_id)
        app.processEvents()
        budget = singleton_refs()  # what the app would have to spend before it aborts
        add_ballast()
        leaks = pyside_refcount_leaks()

        before = singleton_refs()
        answers = timed(
            lambda i: session.set_answer(subject.question.id, f"UI edit {i}"),
            count,
            between=app.processEvents,
        )
        lost_answer = {k: (before[k] - v) / (count + WARM_UP) for k, v in singleton_refs().items()}
        if session.answers.get(subject.question.id) != f"UI edit {count - 1}":
            raise RuntimeError("the UI answer edits did not land")

        view.show_section("senior_roles")
        app.processEvents()
        model = session.table_model("senior_roles")
        rng = random.Random(2013)
        rows = len(model.rows)
        before = singleton_refs()
        cells = timed(
            lambda i: model.setData(
                model.index(rng.randrange(rows), subject.column_index),
                f"UI director {i}",
                Qt.ItemDataRole.EditRole,
            ),
            count,
            between=app.processEvents,
        )
        lost_cell = {k: (before[k] - v) / (count + WARM_UP) for k, v in singleton_refs().items()}
        print(f"  (undo history now holds {window.undo_stack.count()} commands)")
    finally:
        window.close_audit()
        window.close()
        app.processEvents()
        store.close()

    if any(v > 0.5 for v in leaks.values()):
        import PySide6

        print(
            f"  WARNING: PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} "
            "drops references it does not own: "
            + ", ".join(f"{v:.2f} to {k}" for k, v in leaks.items()),
            flush=True,
        )
        for what, lost in (("UI answer edit", lost_answer), ("UI table cell edit", lost_cell)):
            spent = {k: v for k, v in lost.items() if v > 0.05}
            if not spent:
                continue
            lasts = min(budget[k] / v for k, v in spent.items())
            text = (
                f"each {what} lost "
                + ", ".join(f"{v:.1f} refs to {k}" for k, v in spent.items())
                + f"; with the {', '.join(f'{budget[k]:,} {k}' for k in spent)} refs the app"
                f" holds once an audit is open, a session aborts (Fatal Python error:"
                f" bool_dealloc / none_dealloc) after about {lasts:,.0f} such edits."
                " This run held extra references so it could finish."
            )
            print(f"  WARNING: {text}", flush=True)
            warnings.append(text)
    return answers, cells, warnings


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000, help="timed edits per measure (1000)")
    args = parser.parse_args()
    folder = workdir(args)
    print(f"bench_edit_commit: {args.edits} edits each, 50 x 3 workspace, in {folder}", flush=True)
    source = big_workspace(folder)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = copy_workspace(source, Path(tmp) / "edits.sqlite")

        answers, cells = store_edits(path, args.edits, durable=True)
        # The floor runs second: by then the WAL file has grown, as it has in use (the first
        # commits after a checkpoint-free open also pay for extending it).
        floor = sqlite_floor(path, args.edits)
        floor_med = median(floor)
        report("bare sqlite3 UPDATE+COMMIT (FULL)", floor, info=True)
        results.append(report("store.set_answer", answers, floor=floor_med))
        results.append(report("store.set_cell", cells, floor=floor_med))

        ui_answers, ui_cells, warnings = ui_edits(path, args.edits, Path(tmp))
        results.append(report("ui answer (undo + commit)", ui_answers, floor=floor_med))
        results.append(report("ui table cell (undo + commit)", ui_cells, floor=floor_med))
        if warnings:
            results[-1].extra["warnings"] = warnings

        print("  for information, durable=False (synchronous=NORMAL):")
        floor_nd = sqlite_floor(path, args.edits, durable=False)
        report("bare sqlite3 UPDATE+COMMIT (NORMAL)", floor_nd, info=True)
        nd_answers, nd_cells = store_edits(path, args.edits, durable=False)
        nd_floor = median(floor_nd)
        results.append(
            report("store.set_answer, durable=False", nd_answers, info=True, floor=nd_floor)
        )
        results.append(report("store.set_cell, durable=False", nd_cells, info=True, floor=nd_floor))
    print("  (app column: median / p99; floor: bare sqlite3 commit median; ratio: median / floor)")
    write_results(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
