"""Verifying a workspace (models/verify.py): the demo workspace and a 50-department x 4-cycle one.

Target (issue): verify on the demo workspace and on a large one takes seconds at most. Here:
at most 5 s on the large one (50 departments x 4 cycles, 220 role and 100 workforce rows per
audit: 200 audits, about 73,000 recorded changes; the same workspace as bench_export_xlsx).

App: models.verify.verify(store) on a read-only Store, timed from the call until the report
is back: SQLite's integrity and foreign-key checks, the hash chain over every sealed history
entry, unsealed entries, every record against its last recorded change, and the content hash
of every signed-off audit. Store opened before the clock. The time at each stage boundary is
taken from verify's own progress reports.

Floor, in the same run: read every history row raw with sqlite3 (the chained columns and the
stored hash, in seq order) and SHA-256 the same JSON bytes the chain hashes, one row at a
time, with no checking at all. That is the least any check of the chain must do.

In-process; alternating, medians of --reps each after one untimed run of each.

    python benchmarks/bench_verify.py [--reps 5] [--departments 50] [--cycles 4] [--profile]
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path

from _common import Result, base_parser, demo_workspace, median, ms, print_table, spread, workdir
from _common import write_results as write_json

TARGET_S = 5.0
STAGES = ((15, "integrity + foreign keys"), (70, "hash chain"), (85, "outside + content"),
          (100, "signed-off content hashes"))  # fmt: skip


def app_run(path: Path) -> tuple[float, dict[str, float], int]:
    """One verify: seconds, seconds per stage, history entries checked."""
    from models.store import Store
    from models.verify import verify

    marks: dict[int, float] = {}

    def progress(done: int, _total: int) -> None:
        for boundary, _name in STAGES:
            if done >= boundary and boundary not in marks:
                marks[boundary] = time.perf_counter()

    with Store(path, read_only=True) as store:
        start = time.perf_counter()
        report = verify(store, progress)
        elapsed = time.perf_counter() - start
    if not report.ok:
        raise RuntimeError(f"the benchmark workspace does not verify: {report.summary()}")
    stages, previous = {}, start
    for boundary, name in STAGES:
        stages[name] = marks[boundary] - previous
        previous = marks[boundary]
    return elapsed, stages, report.changes


def floor_run(path: Path) -> float:
    """Read every history row raw and hash each one's JSON: no chaining, no checks."""
    from models.history_chain import CHAINED

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        sql = f"SELECT hash, {', '.join(CHAINED)} FROM history ORDER BY seq"
        for row in conn.execute(sql):
            hashlib.sha256(encode(list(row)).encode("utf-8")).hexdigest()
        return time.perf_counter() - start
    finally:
        conn.close()


def measure(path: Path, reps: int, label: str) -> Result:
    app_run(path)  # warm-up: imports, questionnaire, file cache
    floor_run(path)
    apps: list[float] = []
    floors: list[float] = []
    stages: dict[str, list[float]] = {name: [] for _b, name in STAGES}
    changes = 0
    for i in range(reps):
        for side in ("app", "floor") if i % 2 == 0 else ("floor", "app"):
            if side == "app":
                elapsed, split, changes = app_run(path)
                apps.append(elapsed)
                for name, seconds in split.items():
                    stages[name].append(seconds)
            else:
                floors.append(floor_run(path))
    app_s, floor_s = median(apps), median(floors)
    size = path.stat().st_size / 1e6
    print(f"  {label}: {path.name} ({size:.0f} MB, {changes:,} recorded changes)")
    print(f"    verify            : {spread(apps)}")
    for name, values in stages.items():
        print(f"        {name:<26}: median {ms(median(values))}")
    print(f"    floor (read+hash) : {spread(floors)}")
    print(f"    ratio {app_s / floor_s:.2f}x; target <= {TARGET_S:.0f} s")
    return Result(
        name=f"verify {label}",
        app=ms(app_s),
        floor=ms(floor_s),
        ratio=f"{app_s / floor_s:.2f}x",
        target=f"<= {TARGET_S:.0f} s",
        met=app_s <= TARGET_S,
        extra={"app_s": apps, "floor_s": floors, "stages_s": stages, "changes": changes},
    )


def profile_verify(path: Path, top: int = 25) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(app_run, path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n--- cProfile of one verify of {path.name} (top {top} by cumulative time)")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--departments", type=int, default=50, help="large workspace (50)")
    parser.add_argument("--cycles", type=int, default=4, help="cycles per department (4)")
    parser.add_argument("--roles", type=int, default=220, help="role rows per audit (220)")
    parser.add_argument("--workforce", type=int, default=100, help="workforce rows (100)")
    parser.add_argument("--profile", action="store_true", help="also profile one large verify")
    args = parser.parse_args()
    folder = workdir(args)
    print("bench_verify: verify a workspace's recorded history", flush=True)
    demo = demo_workspace(folder, 6, 2, 12, 24)  # `python main.py demo`'s default size
    big = demo_workspace(folder, args.departments, args.cycles, args.roles, args.workforce)
    results = [
        measure(demo, args.reps, "demo workspace (6x2)"),
        measure(big, args.reps, f"{args.departments}x{args.cycles} workspace"),
    ]
    if args.profile:
        profile_verify(big)
    write_json(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
