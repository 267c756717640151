"""Headless report commands: one audit's board report and a cycle's cross-government summary,
as PDF or (--out FILE.docx) as Word."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli_batch import add_all
from exporters.report_options import MARKINGS
from models.filesystem import DatabaseTargetError, refuse_database_target

COMMANDS = {"report", "summary-report"}


def add_parsers(sub: Any) -> None:
    report = sub.add_parser(
        "report",
        help="write one audit's board report (PDF, or Word when --out ends .docx)",
        description="Write the board report of one department's audit for one cycle.",
    )
    report.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    report.add_argument("--department", metavar="ID|NAME", help="the department")
    report.add_argument("--cycle", required=True, metavar="LABEL", help="the audit cycle")
    report.add_argument("--out", type=Path, metavar="FILE", help=".pdf or .docx to write")
    add_all(report, "a board report")  # desktop/cli_batch.py
    _marking(report)
    report.add_argument(
        "--redact-names",
        action="store_true",
        help="replace post-holders' names with their posts (for wider circulation)",
    )

    summary = sub.add_parser(
        "summary-report",
        help="write the cross-government summary of one cycle (PDF, or Word: .docx)",
        description="Write the cross-government summary of every audit in one cycle.",
    )
    summary.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    summary.add_argument("--cycle", required=True, metavar="LABEL", help="the audit cycle")
    summary.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=".pdf or .docx to write"
    )
    _marking(summary)


def _marking(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--marking",
        type=str.upper,
        choices=MARKINGS,
        default=MARKINGS[0],
        help=f"protective marking printed on every page ({MARKINGS[0]})",
    )


def run(args: argparse.Namespace) -> int:
    from desktop.cli_common import Refused, missing_workspace
    from exporters.report_options import ReportOptions
    from models.progress import Cancelled
    from models.questionnaire import DefinitionError
    from models.store import Store, WorkspaceError

    name = f"baseline {args.command}"
    if not args.db.exists():
        print(f"{name}: {missing_workspace(args.db)}", file=sys.stderr)
        return 2
    try:
        options = ReportOptions(args.marking, getattr(args, "redact_names", False))
        if args.command == "report" and _batch(args):
            from desktop.cli_batch import all_reports

            with Store(args.db) as store, store.snapshot():  # one state for every report
                return all_reports(store, args, options)
        _check_writable(args.out)
        with Store(args.db) as store, store.snapshot():  # one state, though the app may save
            if args.command == "report":
                result = _board_report(store, args, options)
            else:
                result = _summary_report(store, args, options)
    except OSError as exc:
        print(f"{name}: {_write_error(args.out, exc)}", file=sys.stderr)
        return 2
    except (WorkspaceError, DefinitionError, ValueError, Refused) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except (Cancelled, KeyboardInterrupt):
        print(f"{name}: cancelled; nothing was written.", file=sys.stderr)
        return 130
    if not result.pages:  # a Word document: Word lays out its pages
        print(f"Wrote a Word document to {result.path}")
        return 0
    print(f"Wrote {result.pages} page{'s' if result.pages != 1 else ''} to {result.path}")
    return 0


def _batch(args: argparse.Namespace) -> bool:
    """--all (one report per department), checked against --department and --out."""
    from desktop.cli_batch import check_choice

    check_choice(args)
    return bool(args.all)


def _board_report(store: Any, args: argparse.Namespace, options: Any) -> Any:
    from exporters.board_report import write_board_report

    dept = _department(store, args.department)
    cycle = args.cycle.strip()
    audit = store.find_audit(dept.id, cycle)
    if audit is None:
        cycles = [a.cycle for a in store.audits(dept.id)]
        held = f"its audits: {', '.join(cycles)}" if cycles else "it has no audits yet"
        raise ValueError(
            f"{dept.name} has no audit for the cycle {cycle!r} in {store.path.name} ({held})."
        )
    return write_board_report(store, audit.id, args.out, options)


def _summary_report(store: Any, args: argparse.Namespace, options: Any) -> Any:
    from exporters.summary_report import write_summary_report

    cycle = args.cycle.strip()
    cycles = sorted({a.cycle for a in store.audits()})
    if cycle not in cycles:
        held = f"its cycles: {', '.join(cycles)}" if cycles else "it has no audits yet"
        raise ValueError(f"no audits in the cycle {cycle!r} in {store.path.name} ({held}).")
    return write_summary_report(store, cycle, args.out, options)


def _department(store: Any, wanted: str) -> Any:
    """The department asked for, or an error naming the closest ones the workspace holds."""
    dept = store.find_department(wanted)
    if dept is not None:
        return dept
    departments = store.departments()
    by_key = {d.name.lower(): d for d in departments}
    by_key.update({d.abbreviation.lower(): d for d in departments if d.abbreviation})
    keys = difflib.get_close_matches(wanted.lower(), list(by_key), n=6, cutoff=0.5)
    keys += [k for k in by_key if wanted.lower() in k and k not in keys]
    close = list(dict.fromkeys(by_key[k].display for k in keys))[:3]
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise ValueError(f"no department {wanted!r} in {store.path.name}.{hint}")


def _check_writable(out: Path) -> None:
    """Fail before the report is typeset when its file could not be written anyway."""
    if out.is_dir():
        raise ValueError(f"cannot write {out}: it is a folder.")
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: there is no folder {out.parent}.")
    if not os.access(out.parent, os.W_OK):
        raise ValueError(f"cannot write {out}: the folder {out.parent} is read-only.")
    refuse_database_target(out)  # never a workspace, whatever --out says


def _write_error(out: Path, exc: OSError) -> str:
    """The file asked for, not the temporary file beside it, with the system's reason."""
    if isinstance(exc, DatabaseTargetError):
        return str(exc)
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return f"cannot write {out}: {reason}."
