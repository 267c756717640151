"""Start-up: launch to main window shown, on the 50 x 3 workspace, vs a bare PySide6 window.

Target (issue): at most 2x a bare PySide6 window started in the same run.

Both are fresh processes (benchmarks/_startup_child.py), launched alternately. The parent
times from Popen to the child printing "SHOWN", which the child does on the turn of the
event loop after its main window's first paint event. The app child runs the real start-up
(desktop.app.run_gui with --db: settings, choose_workspace, Store open, MainWindow, show)
with its own empty config and data folders, as on a first launch with --db.

    python benchmarks/bench_startup.py [--reps 9] [--profile]
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    ROOT,
    Result,
    base_parser,
    big_workspace,
    median,
    ms,
    print_table,
    spread,
    workdir,
    write_results,
)

CHILD = Path(__file__).resolve().parent / "_startup_child.py"
TARGET_RATIO = 2.0


def child_env(config: Path, pycache: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if pycache is not None:
        # Installed apps run from cached bytecode. Where PYTHONDONTWRITEBYTECODE is set (CI,
        # containers) every launch would compile the app's sources again; keep a bytecode
        # cache for both children in the work folder instead (the repository is not touched).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["BASELINE_CONFIG_DIR"] = str(config / "config")
    env["BASELINE_DATA_DIR"] = str(config / "data")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def launch(argv: list[str], scratch: Path) -> float:
    """Seconds from launching the child to its "SHOWN" line; the child then exits."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        err_path = Path(tmp) / "stderr.txt"
        with err_path.open("w") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, *argv],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=child_env(Path(tmp), scratch / "pycache"),
                cwd=tmp,
            )
            assert proc.stdout is not None
            line = proc.stdout.readline()
            elapsed = time.perf_counter() - start
            rest = proc.stdout.read()
            code = proc.wait(timeout=60)
        if not line.startswith("SHOWN") or code != 0:
            raise RuntimeError(
                f"child {argv} did not report SHOWN (exit {code}): {line!r}{rest!r}\n"
                + err_path.read_text()[-2000:]
            )
        if line.strip() != "SHOWN":
            print(f"  note: child reported {line.strip()!r}", flush=True)
        return elapsed


def profile_app(db: Path, scratch: Path, top: int = 30) -> None:
    """Where the app's start-up time goes: timed steps, cProfile, and -X importtime."""
    pycache = scratch / "pycache"
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        env = child_env(Path(tmp), pycache)
        print(
            "\n--- run_gui's steps, replicated and timed (ms since the child started Python code)"
        )
        for _ in range(2):  # the first warms the caches; show the second
            phases = subprocess.run(
                [sys.executable, str(CHILD), "phases", str(db)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp,
            )
        print(phases.stdout.rstrip())

        out = Path(tmp) / "startup.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(out), str(CHILD), "app", str(db)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp,
        )
        print(f"\n--- cProfile of the app start-up child (top {top} by cumulative time)")
        stats = pstats.Stats(str(out))
        stats.sort_stats("cumulative").print_stats(top)

        imp = subprocess.run(
            [sys.executable, "-X", "importtime", str(CHILD), "app", str(db)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
    rows = []
    for line in imp.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.split(":", 1)[1].split("|", 2)
        rows.append((int(cumulative), int(own), name.rstrip()))
    rows.sort(reverse=True)
    print("--- -X importtime: slowest imports by cumulative time (us; indent = nesting)")
    print(f"  {'cumul.':>9}  {'self':>8}  module")
    for cumulative, own, name in rows[:30]:
        print(f"  {cumulative:>9}  {own:>8}  {name}")


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="timed launches of each (9)")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one app start-up (cProfile)"
    )
    args = parser.parse_args()
    folder = workdir(args)
    print("bench_startup: launch to main window shown (50 departments x 3 cycles)", flush=True)
    db = big_workspace(folder)

    bare = [str(CHILD), "bare"]
    app = [str(CHILD), "app", str(db)]
    launch(bare, folder)  # warm the file cache for both; not timed
    launch(app, folder)
    floor_times: list[float] = []
    app_times: list[float] = []
    for i in range(args.reps):
        # Alternate which goes first, so drift in the machine's load hits both alike.
        order = [(bare, floor_times), (app, app_times)]
        for argv, sink in order if i % 2 == 0 else reversed(order):
            sink.append(launch(argv, folder))
    floor_med, app_med = median(floor_times), median(app_times)
    ratio = app_med / floor_med
    print(f"  bare window : {spread(floor_times)}")
    print(f"  app         : {spread(app_times)}")
    print(
        f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x); "
        f"the app adds {ms(app_med - floor_med)}"
    )
    result = Result(
        name="start-up (50x3 workspace)",
        app=ms(app_med),
        floor=ms(floor_med),
        ratio=f"{ratio:.2f}x",
        target=f"<= {TARGET_RATIO:.0f}x bare window",
        met=ratio <= TARGET_RATIO,
        extra={"app_s": app_times, "floor_s": floor_times},
    )
    if args.profile:
        profile_app(db, folder)
    write_results(args, [result])
    if not args.json:
        print()
        print_table([result])
    return 0


if __name__ == "__main__":
    sys.exit(main())
