"""Smoke-test a built bundle as a user would meet it: moved elsewhere, clean environment.

    python3 packaging/smoke_test.py [dist/baseline]

The bundle folder is moved to a temporary path (and moved back at the end), so anything it
needs from the build folder or the repository is missing while it runs. Every command runs
with a minimal environment: no virtual environment on PATH, no PYTHONPATH, HOME in a new
temporary folder, the working folder there too. Standard library only: runs on any python3.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT = "Department for Work and Pensions"  # the demo's first department (seed 2013)
CYCLE = "2013 baseline"


PASSED: list[str] = []


class SmokeFailure(Exception):
    pass


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh user session has: a system PATH, a HOME, a locale; no display."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(home),
    }
    if os.name == "nt":  # untested here: Windows runners only (.github/workflows/bundle.yml)
        env["PATH"] = os.environ.get("SYSTEMROOT", r"C:\Windows") + r"\System32"
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env["USERPROFILE"] = str(home)
        env["APPDATA"] = str(home / "AppData" / "Roaming")
        env["LOCALAPPDATA"] = str(home / "AppData" / "Local")
        env["TEMP"] = env["TMP"] = str(home)
    return env


def executable(bundle: Path) -> Path:
    """The command-line executable: baseline, baseline-cli.exe, or inside Baseline.app."""
    if os.name == "nt":
        return bundle / "baseline-cli.exe"  # the windowed baseline.exe has no console output
    if bundle.suffix == ".app":
        return bundle / "Contents" / "MacOS" / "baseline"
    return bundle / "baseline"


def run(
    exe: Path, args: list[str], home: Path, timeout: int = 180, trace: Path | None = None
) -> str:
    """Run the bundled executable; fail with its output if it exits non-zero."""
    start = time.perf_counter()
    tracer = ["strace", "-f", "-qq", "-e", "trace=file", "-o", str(trace)] if trace else []
    done = subprocess.run(
        [*tracer, str(exe), *args],
        cwd=home,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    took = time.perf_counter() - start
    print(f"  baseline {' '.join(args)}  ->  exit {done.returncode} in {took:.1f}s")
    if done.returncode != 0:
        raise SmokeFailure(f"exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def touched_outside(trace: Path, bundle: Path, home: Path) -> list[str]:
    """Files under the repository (the build's source) that the traced run tried to open."""
    here = str(ROOT) + os.sep
    return [
        line.strip()
        for line in trace.read_text(errors="replace").splitlines()
        if here in line and str(bundle) not in line and str(home) not in line
    ]


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    PASSED.append(what)
    print(f"  ok: {what}")


def smoke(bundle: Path, work: Path) -> None:
    """Each check the issue names, on the moved bundle."""
    exe = executable(bundle)
    home = work / "home"
    home.mkdir()
    out = run(exe, ["--version"], home)
    print("    " + out.strip().replace("\n", "\n    "))
    expect(out.startswith("Baseline ") and "(bundle," in out, "--version names the bundle")
    expect("Qt 6." in out and "SQLite 3." in out, "--version names Qt and SQLite")
    expect("C speed-ups: _rl_accel, orjson, python_calamine" in out, "C speed-ups load")
    db = home / "demo.sqlite"
    run(exe, ["demo", "--db", str(db), "--departments", "3", "--cycles", "2"], home)
    expect(db.stat().st_size > 0, "demo workspace written headlessly")
    pdf = home / "board.pdf"
    run(exe, ["report", "--db", str(db), "--department", DEPARTMENT, "--cycle", CYCLE,
              "--out", str(pdf)], home)  # fmt: skip
    data = pdf.read_bytes()
    expect(data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], "board report PDF written")
    expect(b"+NotoSans-Regular" in data, "PDF embeds the bundled Noto fonts")
    xlsx = home / "all.xlsx"
    run(exe, ["export-xlsx", "--db", str(db), "--out", str(xlsx)], home)
    with zipfile.ZipFile(xlsx) as book:
        expect("xl/workbook.xml" in book.namelist(), "Excel export written")
    trace = work / "trace.txt" if sys.platform == "linux" and shutil.which("strace") else None
    shown = run(exe, ["--db", str(db), "--quit-after-start"], home, trace=trace)
    expect("MAIN WINDOW SHOWN" in shown, "GUI starts offscreen to the main window and quits")
    if trace is not None:  # nothing read from the repository the bundle was built from
        report = ["report", "--db", str(db), "--department", DEPARTMENT, "--cycle", CYCLE]
        run(exe, [*report, "--out", str(home / "t.pdf")], home, trace=work / "trace-report.txt")
        outside = touched_outside(trace, bundle, home)
        outside += touched_outside(work / "trace-report.txt", bundle, home)
        expect(not outside, f"no file outside the bundle is opened ({outside[:3]})")
    else:
        print("  (strace not found: the check that no file outside the bundle is read was skipped)")
    logs = list(home.rglob("baseline.log"))
    expect(len(logs) == 1 and "closed" in logs[0].read_text(), "log written in the data folder")


def main(argv: list[str]) -> int:
    bundle = Path(argv[1]) if len(argv) > 1 else ROOT / "dist" / "baseline"
    if not bundle.is_dir():
        print(f"smoke test: no bundle at {bundle} (run make bundle)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="baseline-smoke-") as tmp:
        work = Path(tmp)
        moved = work / "elsewhere" / ("Baseline" + bundle.suffix)
        moved.parent.mkdir()
        shutil.move(str(bundle), str(moved))  # the build path no longer holds it
        print(f"smoke test: bundle moved to {moved}")
        try:
            smoke(moved, work)
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"smoke test FAILED: {exc}", file=sys.stderr)
            print(f"smoke: {len(PASSED)} passed, 1 failed")
            return 1
        finally:
            shutil.move(str(moved), str(bundle))
    print(f"smoke: {len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
