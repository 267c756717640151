"""Headless Excel commands: export-xlsx, data-return and import (the app's own workbooks)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli_batch import add_all
from desktop.cli_selection import add_selection, find_department, selected_audits


def add_parsers(sub: Any) -> None:
    export = sub.add_parser(
        "export-xlsx",
        help="export audits to an Excel workbook (or OpenDocument: --out FILE.ods)",
        description="Export one department's audits, one cycle, or the whole workspace to .xlsx, "
        "or with --out FILE.ods to an OpenDocument spreadsheet with the same sheets. "
        "With neither --department nor --cycle, every audit is exported.",
    )
    export.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    export.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=".xlsx or .ods to write"
    )
    add_selection(export)

    ret = sub.add_parser(
        "data-return",
        help="write a data-return workbook for a department",
        description="Write a protected workbook a department fills in Excel and sends back.",
    )
    ret.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    ret.add_argument("--department", metavar="ID|NAME", help="the department")
    ret.add_argument("--cycle", required=True, metavar="LABEL", help="the audit cycle")
    ret.add_argument("--out", type=Path, metavar="FILE", help=".xlsx to write")
    ret.add_argument(
        "--prefill", action="store_true", help="pre-fill from the department's latest audit"
    )
    add_all(ret, "a data return")  # desktop/cli_batch.py

    imp = sub.add_parser(
        "import",
        help="import a spreadsheet: the app's own workbooks, or CSV/XLSX/XLS/ODS from elsewhere",
        description="Show what a file would change, then import it in one transaction. The "
        "app's own exports and data returns are read back as such; any other spreadsheet "
        "(organograms, workforce returns, major projects, Civil Service statistics, earlier "
        "audit workbooks) is recognised or mapped column by column, and every row left out "
        "is reported with the reason. Exits 1 when nothing could be imported.",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    imp.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument(
        "--accept-problems",
        action="store_true",
        help="import even when some values cannot be read (those values are left out)",
    )
    imp.add_argument(
        "--department",
        metavar="ID|NAME",
        help="import into this department only; rows for other departments are left out "
        "(default: route each row by the file's department column)",
    )
    imp.add_argument("--cycle", metavar="LABEL", help="the audit cycle to import into")
    imp.add_argument(
        "--mapping", metavar="NAME", help="use a column mapping saved in the import wizard"
    )
    imp.add_argument("--sheet", metavar="NAME", help="read this sheet (default: the best match)")
    imp.add_argument(
        "--all-rows",
        action="store_true",
        help="keep rows the technology filter would leave out (organograms, statistics)",
    )
    imp.add_argument(
        "--on-repeat",
        choices=("replace", "skip"),
        help="when this very file was imported into an audit before: replace its rows or skip",
    )
    imp.add_argument("--report", type=Path, metavar="FILE", help="also write the report as CSV")
    imp.add_argument(
        "--json", action="store_true", help="print the plan and what was imported as JSON"
    )
    imp.add_argument(
        "--whole-department",
        action="store_true",
        help="confirm that whole-department figures (workforce management information) "
        "go into the technology workforce table, as the report says",
    )


COMMANDS = {"export-xlsx", "data-return", "import"}
SHOWN_CHANGES = 40


def _same_file(one: Path, other: Path) -> bool:
    """True when two paths name one file: spelt alike, or another name (a hard link) of it."""
    try:
        return one.resolve() == other.resolve() or os.path.samefile(one, other)
    except OSError:  # one does not exist (yet): not the same file
        return False


def run(args: argparse.Namespace) -> int:
    from desktop.cli_common import Refused
    from importers.own_workbook import WorkbookError
    from importers.source_table import ImportFileError
    from models.progress import Cancelled
    from models.questionnaire import DefinitionError
    from models.store import Store, WorkspaceError

    name = f"baseline {args.command}"
    if not args.db.exists():
        from desktop.cli_common import missing_workspace

        print(f"{name}: {missing_workspace(args.db)}", file=sys.stderr)
        return 2
    if args.command == "import" and args.report and _same_file(args.report, args.file):
        print(f"{name}: the report {args.report} is the file being imported: writing it would "
              "replace what was sent with the report. Give the report another name. Nothing "
              "was read or written.", file=sys.stderr)  # fmt: skip
        return 2
    try:
        writes = args.command == "import" and not args.dry_run
        with Store(args.db, lock=writes) as store:  # a write refuses a workspace in use
            if args.command == "import":
                return _import(store, args)
            with store.snapshot():  # one state, though the app may be saving meanwhile
                if args.command == "export-xlsx":
                    return _export(store, args, name)
                return _data_return(store, args, name)
    except OSError as exc:
        out = getattr(args, "out", None)
        if args.command != "import" and out is not None:
            from desktop.cli_common import output_error

            print(f"{name}: {output_error(out, exc)}", file=sys.stderr)
        else:
            print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except (
        Refused,
        WorkspaceError,
        WorkbookError,
        ImportFileError,
        DefinitionError,
        ValueError,
    ) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except (Cancelled, KeyboardInterrupt):
        print(f"{name}: cancelled; nothing was written.", file=sys.stderr)
        return 130


def _export(store: Any, args: argparse.Namespace, name: str) -> int:
    from exporters.audit_workbook import export_audits

    audits = selected_audits(store, args)
    if not audits:
        print(f"{name}: no audits match; nothing was written.", file=sys.stderr)
        return 1
    from desktop.cli_progress import Bar

    bar = Bar("Exporting")
    try:
        result = export_audits(store, [a.id for a in audits], args.out, progress=bar)
    finally:
        bar.close()
    print(f"Wrote {result.audits} audit(s), {result.cells:,} cells, to {result.path}")
    return 0


def _data_return(store: Any, args: argparse.Namespace, name: str) -> int:
    from desktop.cli_batch import all_returns, check_choice
    from exporters.data_return import write_data_return

    check_choice(args)
    if args.all:
        return all_returns(store, args)

    dept = find_department(store, args.department)
    path = write_data_return(store, dept.id, args.cycle, args.out, prefill=args.prefill)
    kind = "pre-filled" if args.prefill else "blank"
    print(f"Wrote a {kind} data return for {dept.name}, {args.cycle.strip()}, to {path}")
    return 0


def _import(store: Any, args: argparse.Namespace) -> int:
    from desktop.cli_foreign import import_foreign

    if args.file.suffix.lower() == ".json":
        from desktop.cli_json import import_planned  # an audit JSON document

        return import_planned(store, args)
    handled = import_foreign(store, args)
    if handled is not None:
        return handled
    if args.json:
        from desktop.cli_json import import_planned

        return import_planned(store, args)
    return _import_own(store, args)


def _import_own(store: Any, args: argparse.Namespace) -> int:
    from desktop.cli_progress import Bar
    from importers.own_workbook import read_own_workbook
    from importers.workbook_import import apply_import, plan_import

    bar = Bar("Reading")
    try:
        contents = read_own_workbook(args.file, progress=bar)
    finally:
        bar.close()
    plan = plan_import(store, contents)
    print(plan.summary())
    for planned in plan.audits:
        if planned.action != "update":
            continue  # a new audit's every answer is a change: the summary line says enough
        print(f"Changes to {planned.title}:")  # which audit, when the workbook holds several
        for change in planned.changes[:SHOWN_CHANGES]:
            print(f"  {change.kind}: {change.where}: {change.old!r} → {change.new!r}")
        if len(planned.changes) > SHOWN_CHANGES:
            print(f"  … and {len(planned.changes) - SHOWN_CHANGES} more")
    for note in plan.notes:
        print(f"Note: {note}")
    if plan.problems:
        print(f"{len(plan.problems)} value(s) cannot be read and will not be imported:")
        for problem in plan.problems:
            print(f"  {problem}")
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    if plan.problems and not args.accept_problems:
        print(
            "Nothing was imported. Correct the workbook, or run again with --accept-problems "
            "to import everything else.",
            file=sys.stderr,
        )
        return 1
    result = apply_import(store, plan)
    print(result.summary())
    return 0
