"""The installed app: start-up to the main window, bundle vs the venv, and the bundle's size.

Target (issue 22): the bundle starts at most 1.5x as slowly as `python main.py` in the venv.

Both run the real start-up with --quit-after-start on the same demo workspace, each in a fresh
process with its own empty config and data folders, alternately, after one warm-up each (the
disk cache then holds both). The time is from launch to the "MAIN WINDOW SHOWN" line, which
the app prints once its main window is visible. Needs a built bundle (make bundle).

    python benchmarks/bench_bundle.py [--bundle dist/baseline] [--reps 7]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, Result, base_parser, median, ms, print_table, spread, write_results

TARGET_RATIO = 1.5
SHOWN = "MAIN WINDOW SHOWN"


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under folder."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def launch(argv: list[str], scratch: Path) -> float:
    """Seconds from launching to the app's SHOWN line; the app then quits by itself."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env["BASELINE_CONFIG_DIR"] = str(Path(tmp) / "config")
        env["BASELINE_DATA_DIR"] = str(Path(tmp) / "data")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed venv runs from cached bytecode
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        _out, err = proc.communicate(timeout=120)
        if not line.startswith(SHOWN) or proc.returncode != 0:
            raise RuntimeError(f"{argv} did not show its window ({proc.returncode}): {err[-2000:]}")
        return elapsed


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "baseline")
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    exe = args.bundle / "baseline"
    if not exe.exists():
        print(f"no bundle at {args.bundle}: run `make bundle` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="baseline-bench-bundle-") as tmp:
        scratch = Path(tmp)
        db = scratch / "demo.sqlite"
        subprocess.run([str(exe), "demo", "--db", str(db)], check=True, capture_output=True)
        runs = {
            "bundle": [str(exe), "--db", str(db), "--quit-after-start"],
            "venv": [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--quit-after-start"],
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        for argv in runs.values():
            launch(argv, scratch)  # warm-up: disk cache, bytecode cache
        for _ in range(args.reps):
            for name, argv in runs.items():
                times[name].append(launch(argv, scratch))
    size, files = folder_size(args.bundle)
    bundle, venv = median(times["bundle"]), median(times["venv"])
    ratio = bundle / venv
    print(f"bundle size: {size / 1e6:.0f} MB in {files} files ({args.bundle})")
    for name in runs:
        print(f"  {name}: median {ms(median(times[name]))}, spread {spread(times[name])}")
    results = [
        Result(
            "start-up to main window, bundle vs venv",
            ms(bundle),
            ms(venv),
            f"{ratio:.2f}x",
            f"<= {TARGET_RATIO}x",
            ratio <= TARGET_RATIO,
            {"bundle_bytes": size, "bundle_files": files},
        )
    ]
    print_table(results)
    write_results(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
