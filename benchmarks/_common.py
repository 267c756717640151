"""Shared helpers for the benchmarks: workspaces, statistics, results, output.

Benchmarks report figures against the targets in the issue; they never fail on a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The workspace of the issue: 50 departments x 3 cycles, 300 role and 100 workforce rows each.
BIG = {"departments": 50, "cycles": 3, "roles": 300, "workforce": 100}


@dataclass
class Result:
    """One line of the summary table."""

    name: str
    app: str  # the app's figure, formatted
    floor: str  # the floor's figure, formatted ("" when the target is absolute)
    ratio: str  # app / floor, formatted ("" when there is no floor)
    target: str
    met: bool | None = None  # for information only: benchmarks never fail on a figure
    extra: dict[str, Any] = field(default_factory=dict)


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--workdir",
        type=Path,
        help="folder for generated workspaces (default: a fresh temporary folder; "
        "BASELINE_BENCH_DIR also sets it). Put it on the disk you care about: "
        "fsync cost depends on it.",
    )
    parser.add_argument("--json", type=Path, help="also write the results here (run_all uses it)")
    return parser


def workdir(args: argparse.Namespace) -> Path:
    chosen = args.workdir or os.environ.get("BASELINE_BENCH_DIR")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return Path(tempfile.mkdtemp(prefix="baseline-bench-"))


def demo_workspace(
    folder: Path,
    departments: int,
    cycles: int,
    roles: int,
    workforce: int,
    *,
    quiet: bool = False,
) -> Path:
    """A demo workspace of that size in `folder`, generated once and reused afterwards."""
    from models.demo import DemoSize, write_demo
    from models.store import Store

    path = folder / f"demo-{departments}x{cycles}-r{roles}-w{workforce}.sqlite"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    with Store(path, durable=False) as store:
        write_demo(store, DemoSize(departments, cycles, roles, workforce))
    done.write_text("ok\n")
    if not quiet:
        print(
            f"  generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
    return path


def big_workspace(folder: Path) -> Path:
    return demo_workspace(folder, **BIG)


def copy_workspace(source: Path, target: Path) -> Path:
    """A consistent copy (through SQLite, so a WAL is included)."""
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    from models.store import copy_workspace as copy_through_sqlite

    copy_through_sqlite(source, target)
    return target


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0-100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ms3(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def spread(values: Sequence[float]) -> str:
    """min / median / max in ms, for the detail lines."""
    return (
        f"min {min(values) * 1000:.1f}  median {median(values) * 1000:.1f}  "
        f"max {max(values) * 1000:.1f} ms  (n={len(values)})"
    )


def quiet_qt_messages() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" noise."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


# ----------------------------------------------------------------------------- refcounts
# PySide6 6.12.0 on Python 3.11 (where None, True and False are not yet immortal) drops a
# reference to True on every Signal.emit() and one to None on every call of a Qt method
# returning void. Once either count reaches zero the interpreter aborts ("Fatal Python
# error: bool_dealloc" / "none_dealloc"). The in-process benchmarks make thousands of edits,
# so they add references (ballast) to finish, and report what they measured.
SINGLETONS: dict[str, object] = {"None": None, "True": True, "False": False}


def singleton_refs() -> dict[str, int]:
    return {name: sys.getrefcount(obj) for name, obj in SINGLETONS.items()}


def add_ballast(count: int = 10_000_000) -> bool:
    """Raise the reference counts of None, True and False by `count`; True if it did.

    Only where those objects are mortal (Python < 3.12, CPython). The counts are raised in
    place rather than by holding lists of references, so the garbage collector has no more
    work than in the app and timings are not disturbed. The objects are never freed anyway.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    for obj in SINGLETONS.values():
        ctypes.c_ssize_t.from_address(id(obj)).value += count
    return True


def pyside_refcount_leaks(calls: int = 200) -> dict[str, float]:
    """References to True lost per emit() and to None per void Qt call (0 when healthy)."""
    from PySide6.QtCore import QObject

    obj = QObject()
    before = singleton_refs()
    for _ in range(calls):
        obj.objectNameChanged.emit("x")
    middle = singleton_refs()
    for _ in range(calls):
        obj.setObjectName("x")
    after = singleton_refs()
    return {
        "True per emit()": (before["True"] - middle["True"]) / calls,
        "None per void call": (middle["None"] - after["None"]) / calls,
    }


def write_results(args: argparse.Namespace, results: list[Result]) -> None:
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


def print_table(results: Sequence[Result]) -> None:
    headers = ("benchmark", "app", "floor", "ratio", "target", "meets target?")
    rows = [
        (
            r.name,
            r.app,
            r.floor or "-",
            r.ratio or "-",
            r.target,
            "-" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def load_results(path: Path) -> list[Result]:
    return [Result(**item) for item in json.loads(path.read_text())]


def print_profile(work: Callable[[], object], top: int = 25, key: str = "cumulative") -> None:
    """Run `work` once under cProfile and print its `top` entries by `key` (for --profile)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(work)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats(key).print_stats(top)
    print(text.getvalue())
