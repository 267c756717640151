"""Consolidated Excel export of a workspace of over 1,000,000 cells, vs XlsxWriter.

Target (issue): a consolidated export of a workspace with at least 1,000,000 cells in at
most 1.5x the time XlsxWriter (constant_memory) takes to write the same cells in the same
run, with peak memory under 500 MB.

App: exporters.audit_workbook.export_audits(store, every audit id, path,
consolidated=True) on a demo workspace of 50 departments x 4 cycles (220 senior role and
100 workforce rows per audit: about 1,090,000 cells), timed from the call until it returns
(the file written, saved and moved into place). The store is opened, and the modules
imported, before the clock starts.

Floor: the exported workbook read back with openpyxl (read-only, not timed), every sheet
(hidden ones included) as rows of Python values; then XlsxWriter with
{"constant_memory": True} writes exactly those values, sheet by sheet and row by row
(write_string, write_number, write_datetime with a date format; None skipped), timed from
Workbook() to close().

Each export runs in a fresh process, so the peak memory is the export's alone: the peak
resident set of the process (VmHWM from /proc/self/status on Linux, where a child's
ru_maxrss also counts its parent's; getrusage's ru_maxrss elsewhere). A child that only
imports the modules and opens the store gives the baseline it starts from.

One untimed app export first (it makes the workbook the floor reads); then alternating,
medians of --reps each.

    python benchmarks/bench_export_xlsx.py [--reps 3] [--departments 50] [--cycles 4]
        [--roles 220] [--workforce 100] [--profile]
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pickle
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from _common import (
    Result,
    base_parser,
    demo_workspace,
    median,
    ms,
    print_table,
    spread,
    workdir,
    write_results,
)

TARGET_RATIO = 1.5
TARGET_MB = 500
MIN_CELLS = 1_000_000
CHILD = "--child"  # first argument of the script when it runs as one of its own children


# ----------------------------------------------------------------------------- children
def peak_mb() -> float:
    """This process's peak resident set, in MB.

    On Linux a child's ru_maxrss starts from its parent's peak (it survives the fork/exec),
    so VmHWM, the peak of this process image alone, is read instead.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes / kB


def open_workspace(db: Path) -> tuple[Any, list[str]]:
    """What the app has before an export: the modules imported, the store open."""
    import exporters.audit_workbook  # noqa: F401  (what the export needs, loaded)
    from models.store import Store

    store = Store(db)
    return store, [a.id for a in store.audits()]


def child_baseline(db: Path) -> dict[str, Any]:
    store, ids = open_workspace(db)
    store.close()
    return {"audits": len(ids), "peak_mb": peak_mb()}


def child_app(db: Path, out: Path, profiler: cProfile.Profile | None = None) -> dict[str, Any]:
    from exporters.audit_workbook import export_audits

    store, ids = open_workspace(db)
    gc.collect()
    if profiler is not None:
        profiler.enable()
    start = time.perf_counter()
    result = export_audits(store, ids, out, consolidated=True)
    elapsed = time.perf_counter() - start
    if profiler is not None:
        profiler.disable()
    store.close()
    return {
        "seconds": elapsed,
        "cells": result.cells,
        "audits": result.audits,
        "sheets": len(result.sheets),
        "peak_mb": peak_mb(),
    }


def child_profile(db: Path, out: Path, top: int) -> None:
    profiler = cProfile.Profile()
    child_app(db, out, profiler)
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(key).print_stats(top)
        print(f"\n--- cProfile of one app export (top {top} by {key})")
        print("\n".join(line for line in text.getvalue().splitlines() if line.strip()))


def child_readback(xlsx: Path, values: Path) -> dict[str, Any]:
    """Every sheet of the workbook as (title, state, rows of values), pickled for the floor."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(xlsx, read_only=True)
    sheets = [
        (sheet.title, sheet.sheet_state, list(sheet.iter_rows(values_only=True)))
        for sheet in book.worksheets
    ]
    book.close()
    with values.open("wb") as f:
        pickle.dump(sheets, f, protocol=pickle.HIGHEST_PROTOCOL)
    cells = sum(v is not None for _, _, rows in sheets for row in rows for v in row)
    return {"cells": cells, "sheets": len(sheets), "seconds": time.perf_counter() - start}


def child_floor(values: Path, out: Path) -> dict[str, Any]:
    """XlsxWriter (constant_memory) writing the values the app's workbook holds."""
    import xlsxwriter

    with values.open("rb") as f:
        sheets: list[tuple[str, str, list[tuple[Any, ...]]]] = pickle.load(f)
    gc.collect()
    cells = 0
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for title, state, rows in sheets:
        sheet = book.add_worksheet(title)
        if state == "hidden":
            sheet.hide()
        elif state == "veryHidden":
            sheet.very_hidden()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write_string(r, c, str(value))
                cells += 1
    book.close()
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "cells": cells, "peak_mb": peak_mb()}


def child_main(argv: list[str]) -> int:
    mode, *rest = argv
    if mode == "profile":
        child_profile(Path(rest[0]), Path(rest[1]), int(rest[2]))
        return 0
    if mode == "baseline":
        report = child_baseline(Path(rest[0]))
    elif mode == "app":
        report = child_app(Path(rest[0]), Path(rest[1]))
    elif mode == "readback":
        report = child_readback(Path(rest[0]), Path(rest[1]))
    elif mode == "floor":
        report = child_floor(Path(rest[0]), Path(rest[1]))
    else:
        raise SystemExit(f"unknown child mode {mode!r}")
    print(json.dumps(report), flush=True)
    return 0


# ----------------------------------------------------------------------------- parent
def run_child(*args: str, stream: bool = False) -> dict[str, Any]:
    """Run this script as a child; its last line of output is a JSON report."""
    argv = [sys.executable, str(Path(__file__).resolve()), CHILD, *args]
    if stream:
        subprocess.run(argv, check=True)
        return {}
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="timed exports of each (3)")
    parser.add_argument("--departments", type=int, default=50, help="departments (50)")
    parser.add_argument("--cycles", type=int, default=4, help="audit cycles (4)")
    parser.add_argument("--roles", type=int, default=220, help="senior role rows per audit (220)")
    parser.add_argument("--workforce", type=int, default=100, help="workforce rows per audit (100)")
    parser.add_argument("--profile", action="store_true", help="also profile one app export")
    args = parser.parse_args()
    folder = workdir(args)
    size = f"{args.departments}x{args.cycles}, {args.roles} roles, {args.workforce} workforce"
    print(f"bench_export_xlsx: consolidated export ({size})", flush=True)
    db = demo_workspace(folder, args.departments, args.cycles, args.roles, args.workforce)

    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        scratch = Path(tmp)
        app_out, floor_out = scratch / "app.xlsx", scratch / "floor.xlsx"
        values = scratch / "values.pickle"
        first = run_child("app", str(db), str(app_out))  # warm-up; makes the floor's input
        read = run_child("readback", str(app_out), str(values))
        print(
            f"  {first['cells']:,} cells written by the app ({first['audits']} audits, "
            f"{first['sheets']} sheets); read back {read['cells']:,} non-empty cells "
            f"(with headers and the metadata sheet) in {read['seconds']:.1f} s, not timed",
            flush=True,
        )
        baseline = run_child("baseline", str(db))

        app_runs: list[dict[str, Any]] = []
        floor_runs: list[dict[str, Any]] = []
        for i in range(args.reps):
            # Alternate which goes first, so drift in the machine's load hits both alike.
            order = [
                (("app", str(db), str(app_out)), app_runs),
                (("floor", str(values), str(floor_out)), floor_runs),
            ]
            for argv, sink in order if i % 2 == 0 else reversed(order):
                sink.append(run_child(*argv))
        app_size = app_out.stat().st_size
        floor_size = floor_out.stat().st_size

    app_times = [r["seconds"] for r in app_runs]
    floor_times = [r["seconds"] for r in floor_runs]
    app_med, floor_med = median(app_times), median(floor_times)
    ratio = app_med / floor_med
    cells = app_runs[0]["cells"]
    app_peak = max(r["peak_mb"] for r in app_runs)
    floor_peak = max(r["peak_mb"] for r in floor_runs)
    base_peak = baseline["peak_mb"]
    print(f"  XlsxWriter (constant_memory): {spread(floor_times)}")
    print(f"  app export                  : {spread(app_times)}")
    print(
        f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x); "
        f"{cells / app_med:,.0f} cells/s vs {floor_runs[0]['cells'] / floor_med:,.0f}"
    )
    print(
        f"  app peak memory {app_peak:.0f} MB (target < {TARGET_MB} MB); "
        f"{base_peak:.0f} MB after imports and opening the store, "
        f"so the export adds {app_peak - base_peak:.0f} MB"
    )
    print(
        f"  XlsxWriter child peak {floor_peak:.0f} MB (holding every value in memory); "
        f"files: app {app_size / 1e6:.1f} MB, XlsxWriter {floor_size / 1e6:.1f} MB"
    )
    warnings = []
    if cells < MIN_CELLS:
        warnings.append(
            f"xlsx export wrote {cells:,} cells, fewer than the {MIN_CELLS:,} of the target: "
            "use a bigger workspace (--roles, --workforce, --cycles)"
        )
        print(f"  warning: {warnings[-1]}")
    if args.profile:
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            run_child("profile", str(db), str(Path(tmp) / "profiled.xlsx"), "35", stream=True)

    timed = Result(
        name=f"xlsx export ({cells:,} cells)",
        app=ms(app_med),
        floor=ms(floor_med),
        ratio=f"{ratio:.2f}x",
        target=f"<= {TARGET_RATIO}x XlsxWriter",
        met=ratio <= TARGET_RATIO and cells >= MIN_CELLS,
        extra={
            "cells": cells,
            "floor_cells": floor_runs[0]["cells"],
            "app_s": app_times,
            "floor_s": floor_times,
            "warnings": warnings,
        },
    )
    memory = Result(
        name="xlsx export peak memory",
        app=f"{app_peak:.0f} MB",
        floor="",
        ratio="",
        target=f"< {TARGET_MB} MB",
        met=app_peak < TARGET_MB,
        extra={
            "app_peak_mb": [r["peak_mb"] for r in app_runs],
            "baseline_peak_mb": base_peak,
            "floor_peak_mb": [r["peak_mb"] for r in floor_runs],
        },
    )
    write_results(args, [timed, memory])
    if not args.json:
        print()
        print_table([timed, memory])
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        sys.exit(child_main(sys.argv[2:]))
    sys.exit(main())
