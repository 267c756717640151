"""`export-json`, importing an audit JSON document, and `--json` plans for import and merge.

A JSON document is planned and applied by importers/workbook_import.py, the path an
exported workbook takes, so the two have the same guarantees (docs/audit-json.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_common import DONE, PROBLEMS, add_db, emit, run_guarded, say, workspace
from desktop.cli_progress import Bar
from desktop.cli_selection import add_selection, selected_audits

COMMANDS = {"export-json"}


def add_parsers(sub: Any) -> None:
    export = sub.add_parser(
        "export-json",
        help="export audits as JSON (docs/audit-json.md)",
        description="Write audits, with their departments, answers, comments and table rows, "
        "as one JSON document that `import` reads back exactly. With neither --department "
        "nor --cycle, every audit. --out - writes to standard output.",
    )
    add_db(export)
    export.add_argument("--out", required=True, metavar="FILE", help=".json to write, or -")
    add_selection(export)


def run(args: argparse.Namespace) -> int:
    return run_guarded("baseline export-json", _export, args)


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from exporters.progress import replacing
    from models.audit_json import audit_record, document, dumps

    # One state of the workspace, though the app may be saving answers meanwhile.
    with workspace(args, write=False) as store, store.snapshot():
        audits = selected_audits(store, args)
        if not audits:
            say("baseline export-json: no audits match; nothing was written.")
            return PROBLEMS
        bar = Bar("Exporting")
        try:
            records = []
            for done, audit in enumerate(audits, 1):
                records.append(audit_record(store, audit))
                bar(done, len(audits))
        finally:
            bar.close()
    text = dumps(document(records))
    if args.out == "-":
        sys.stdout.write(text)
        return DONE
    out = Path(args.out)
    try:
        with replacing(out) as temp:
            temp.write_text(text, encoding="utf-8")
    except OSError as exc:  # the file asked for, not the temporary one beside it
        from desktop.cli_common import Refused, output_error

        raise Refused(output_error(out, exc)) from None
    print(f"Wrote {len(records)} audit(s) to {out}")
    return DONE


# --------------------------------------------------------------------------- import plans
def _change(change: Any) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "question": change.question_id,
        "where": change.where,
        "old": change.old,
        "new": change.new,
    }


def plan_record(plan: Any) -> dict[str, Any]:
    """An own-workbook or JSON import plan as JSON: every audit's action and changes."""
    return {
        "audits": [
            {
                "action": p.action,
                "department": p.department.name if p.department else p.incoming.department.name,
                "cycle": p.incoming.audit.cycle,
                "audit_id": p.target.id if p.target else p.incoming.audit.id,
                "changes": [_change(c) for c in p.changes],
            }
            for p in plan.audits
        ],
        "notes": plan.notes,
        "problems": [str(p) for p in plan.problems],
    }


def import_planned(store: Any, args: argparse.Namespace) -> int:
    """Import an audit JSON document, or (with --json) one of the app's own workbooks."""
    from importers.audit_json import read_json_audits
    from importers.own_workbook import read_own_workbook
    from importers.workbook_import import apply_import, plan_import

    if args.file.suffix.lower() == ".json":
        contents = read_json_audits(args.file)
    else:
        bar = Bar("Reading")
        try:
            contents = read_own_workbook(args.file, progress=bar)
        finally:
            bar.close()
    plan = plan_import(store, contents)
    record: dict[str, Any] = {"file": str(args.file), "dry_run": args.dry_run, **plan_record(plan)}
    if not args.json:
        print(plan.summary())
        for note in plan.notes:
            print(f"Note: {note}")
        for problem in plan.problems:
            print(f"  cannot be read: {problem}")
    status = DONE
    if args.dry_run:
        record["imported"] = False
        say("Dry run: nothing was written.")
    elif plan.problems and not args.accept_problems:
        record["imported"] = False
        say(
            f"Nothing was imported: {len(plan.problems)} value(s) cannot be read. Correct the "
            "file, or run again with --accept-problems to import everything else."
        )
        status = PROBLEMS
    else:
        result = apply_import(store, plan)
        record["imported"] = True
        record["result"] = {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if not args.json:
            print(result.summary())
    if args.json:
        emit(record)
    return status


def merge_record(plan: Any, report: Any | None, dry_run: bool) -> dict[str, Any]:
    """A merge plan (and its report once applied) as JSON."""
    from models.merge_records import describe

    record: dict[str, Any] = {
        "dry_run": dry_run,
        "summary": plan.summary(),
        "audits": [
            {
                "audit_id": a.audit_id,
                "title": a.title,
                "line": a.line(),
                "action": a.action,  # "skip": left out, for `reason`
                "reason": a.reason,
            }
            for a in plan.audits
        ],
        "conflicts": [describe(c) for c in plan.conflicts],
        "merged": report is not None,
    }
    if report is not None:
        record["report"] = report.summary()
    return record


def verify_record(report: Any) -> str:
    """What verify found, as JSON text: the counts it checked and every problem."""
    from dataclasses import asdict

    from models.audit_json import dumps

    return dumps(
        {
            "ok": report.ok,
            "summary": report.summary(),
            "audits": report.audits,
            "changes": report.changes,
            "sealed": report.sealed,
            "signed_off": report.signed_off,
            "chain_intact": report.chain_intact,
            "problems": [asdict(p) for p in report.problems],
        }
    )


def merge_as_json(store: Any, package: Any, plan: Any, args: argparse.Namespace, name: str) -> int:
    """`merge --json`: the plan, and the report once merged, as JSON; exit codes as merge's."""
    from models.merge import UnresolvedConflictsError, apply_merge

    report = None
    status = DONE
    if args.dry_run:
        status = PROBLEMS if plan.conflicts or plan.skipped else DONE
    elif plan.conflicts:
        say(f"{name}: nothing was merged: {len(plan.conflicts)} conflict(s) need a choice "
            "(--take mine or --take theirs).")  # fmt: skip
        status = PROBLEMS
    else:
        try:
            report = apply_merge(store, package, take=args.take)
            status = PROBLEMS if report.skipped else DONE  # some of it was left out
        except UnresolvedConflictsError as exc:  # the workspace changed since it was planned
            say(f"{name}: {exc}")
            status = PROBLEMS
    emit(merge_record(plan, report, args.dry_run))
    return status
