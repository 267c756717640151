"""`report --all` and `data-return --all`: one file per department into a folder.

Each file is written by the same exporter as the single-department command; one that
fails is reported by department and the rest are still written (exit 1).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from desktop.cli_common import DONE, PROBLEMS, Refused, emit, say
from desktop.cli_progress import Bar

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def add_all(parser: argparse.ArgumentParser, what: str) -> None:
    """--all and --out-dir, instead of --department and --out."""
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"write {what} for every department (with --out-dir, not --department/--out)",
    )
    parser.add_argument("--out-dir", type=Path, metavar="FOLDER", help="folder for --all")
    parser.add_argument(
        "--json", action="store_true", help="with --all: list the files written as JSON"
    )


def check_choice(args: argparse.Namespace) -> None:
    """Either --all with --out-dir, or --department with --out; Refused otherwise."""
    if args.all:
        if args.out_dir is None or args.department or args.out:
            raise Refused("--all writes one file per department: give --out-dir FOLDER (and "
                          "neither --department nor --out).")  # fmt: skip
    elif not (args.department and args.out):
        raise Refused("give --department and --out, or --all and --out-dir.")


def file_name(department: Any, cycle: str, suffix: str) -> str:
    """'DWP-2015-review.pdf': the department's abbreviation (else name) and the cycle."""
    who = _UNSAFE.sub("-", department.abbreviation or department.name).strip("-") or "department"
    when = _UNSAFE.sub("-", cycle).strip("-") or "cycle"
    return f"{who[:60]}-{when[:40]}{suffix}"


def _targets(departments: list[Any], cycle: str, folder: Path, suffix: str) -> list[Any]:
    """(department, path) for each, the paths made distinct when two names read the same."""
    taken: set[str] = set()
    found = []
    for dept in departments:
        name = file_name(dept, cycle, suffix)
        stem, n = name[: -len(suffix)], 2
        while name.lower() in taken:
            name, n = f"{stem}-{n}{suffix}", n + 1
        taken.add(name.lower())
        found.append((dept, folder / name))
    return found


def _folder(args: argparse.Namespace) -> Path:
    folder: Path = args.out_dir
    if folder.exists() and not folder.is_dir():
        raise Refused(f"--out-dir {folder} is a file, not a folder. Nothing was written.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(f"cannot make the folder {folder}: {exc.strerror or exc}.") from None
    return folder


def _why(exc: Exception) -> str:
    """An error in words: an OSError's reason without its number and the path again."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _finish(args: argparse.Namespace, written: list[dict[str, Any]], failed: list[str]) -> int:
    if args.json:
        emit({"written": written, "failed": failed})
    else:
        for item in written:
            print(f"Wrote {item['file']} ({item['department']})")
    for line in failed:
        say(line)
    if failed:
        say(f"{len(failed)} file(s) could not be written; the other {len(written)} were.")
        return PROBLEMS
    return DONE


def _cancelled(
    args: argparse.Namespace, written: list[dict[str, Any]], failed: list[str], total: int
) -> int:
    """Ctrl+C part-way: the files already written are listed (they stay), the rest are not."""
    if args.json:
        emit({"written": written, "failed": failed, "cancelled": True})
    else:
        for item in written:
            print(f"Wrote {item['file']} ({item['department']})")
    say(f"baseline {args.command}: cancelled (Ctrl+C) after {len(written)} of {total} file(s) "
        "were written (listed); the rest were not written.")  # fmt: skip
    return 130


def all_reports(store: Any, args: argparse.Namespace, options: Any) -> int:
    """Every audit of the cycle's board report, one PDF per department."""
    from exporters.board_report import write_board_report
    from models.validation import clean_label

    cycle = clean_label(args.cycle)  # as cycles are stored
    audits = [a for a in store.audits() if a.cycle == cycle]
    if not audits:
        cycles = sorted({a.cycle for a in store.audits()})
        held = f"its cycles: {', '.join(cycles)}" if cycles else "it has no audits yet"
        raise Refused(f"no audits in the cycle {cycle!r} in {store.path.name} ({held}).")
    by_department = {a.department_id: a for a in audits}
    departments = [store.department(d) for d in by_department]
    folder = _folder(args)
    written, failed = [], []
    bar = Bar("Reports")
    try:
        for done, (dept, path) in enumerate(_targets(departments, cycle, folder, ".pdf")):
            bar(done, len(departments))
            try:
                result = write_board_report(store, by_department[dept.id].id, path, options)
            except (OSError, ValueError) as exc:
                failed.append(f"{dept.name}, {cycle}: {path}: {_why(exc)}")
                continue
            written.append({"department": dept.name, "file": str(path), "pages": result.pages})
        bar(len(departments), len(departments))
    except KeyboardInterrupt:
        return _cancelled(args, written, failed, len(departments))
    finally:
        bar.close()
    return _finish(args, written, failed)


def all_returns(store: Any, args: argparse.Namespace) -> int:
    """A data return for the cycle for every department in the workspace."""
    from exporters.data_return import write_data_return

    departments = store.departments()
    if not departments:
        raise Refused(f"{store.path.name} has no departments yet; nothing was written.")
    cycle = args.cycle.strip()
    folder = _folder(args)
    written, failed = [], []
    bar = Bar("Data returns")
    try:
        for done, (dept, path) in enumerate(_targets(departments, cycle, folder, ".xlsx")):
            bar(done, len(departments))
            try:
                write_data_return(store, dept.id, cycle, path, prefill=args.prefill)
            except (OSError, ValueError) as exc:
                failed.append(f"{dept.name}, {cycle}: {path}: {_why(exc)}")
                continue
            written.append({"department": dept.name, "file": str(path), "prefilled": args.prefill})
        bar(len(departments), len(departments))
    except KeyboardInterrupt:
        return _cancelled(args, written, failed, len(departments))
    finally:
        bar.close()
    sys.stdout.flush()
    return _finish(args, written, failed)
