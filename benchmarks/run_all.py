"""Run every benchmark in turn and print a summary table (`make bench`).

Each benchmark runs in its own process; the 50 x 3 workspace is generated once per run in
a temporary folder and shared (the Excel export generates its own, bigger one). Figures
are compared with the issue's targets for information: a missed target never fails the
run. The exit status is non-zero only when a benchmark crashed.

    python benchmarks/run_all.py [--workdir DIR] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Result, big_workspace, load_results, print_table

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("bench_startup.py", "start-up (50x3 workspace)"),
    ("bench_open_audit.py", "open audit (5,000 role rows)"),
    ("bench_edit_commit.py", "edit committed to disk"),
    ("bench_export_xlsx.py", "consolidated xlsx export (1M cells)"),
    ("bench_board_report.py", "board report (20,000 role rows)"),
    ("bench_docx.py", "board report as Word vs PDF (demo audit)"),
    ("bench_dashboard.py", "cycle dashboard (50 departments x 10 cycles)"),
    ("bench_compare.py", "compare two audits (5,000 role rows each)"),
    ("bench_verify.py", "verify a workspace (demo; 50 departments x 4 cycles)"),
    ("bench_import_xlsx.py", "import a 100,000 x 10 xlsx (vs calamine reading it)"),
    ("bench_corpus.py", "import the real public corpus (seconds per file, share reconciled)"),
    ("bench_evidence.py", "evidence: attach 50 MB, open with 200 MB, back up with 1 GB"),
]
# --quick: fewer repetitions (a smoke test, not a measure)
QUICK = {
    "bench_edit_commit.py": ["--edits", "200"],
    "bench_export_xlsx.py": ["--reps", "1"],
    "bench_board_report.py": ["--reps", "1", "--roles", "5000"],
    "bench_dashboard.py": ["--reps", "3"],
    "bench_compare.py": ["--reps", "3"],
    "bench_verify.py": ["--reps", "1"],
    "bench_import_xlsx.py": ["--reps", "1"],
    "bench_evidence.py": ["--reps", "2", "--backup-mb", "200"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep generated workspaces here and reuse them (default: a temporary folder, "
        "removed afterwards; BASELINE_BENCH_DIR also sets it)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions (a smoke test, not a measure)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print profiles (start-up, audit opening)"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    chosen = args.workdir or os.environ.get("BASELINE_BENCH_DIR")
    folder = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="baseline-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"Baseline benchmarks (work folder {folder})", flush=True)
    big_workspace(folder)  # shared by start-up and edits; generated once

    results: list[Result] = []
    crashed = False
    try:
        for script, name in BENCHMARKS:
            print(f"\n=== {script}", flush=True)
            out = folder / f"{Path(script).stem}.json"
            out.unlink(missing_ok=True)
            argv = [
                sys.executable,
                str(HERE / script),
                "--workdir",
                str(folder),
                "--json",
                str(out),
            ]
            if args.quick:
                argv += QUICK.get(script, ["--reps", "3"])
            if args.profile and script != "bench_edit_commit.py":
                argv.append("--profile")
            t0 = time.perf_counter()
            code = subprocess.call(argv)
            print(f"    ({time.perf_counter() - t0:.1f} s)", flush=True)
            if code != 0 or not out.exists():
                crashed = True
                results.append(Result(name, f"CRASHED (exit {code})", "", "", "-"))
                continue
            results.extend(load_results(out))
    finally:
        if not chosen:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\n=== Summary ({time.perf_counter() - started:.0f} s; figures are medians)\n")
    print_table(results)
    print(
        "\nRatios compare with a floor timed in the same run (see benchmarks/README.md); "
        "edit rows show median / p99."
    )
    warnings = [w for r in results for w in r.extra.get("warnings", [])]
    if warnings:
        print("\nWarnings:")
        for text in warnings:
            print(f"  - {text}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
