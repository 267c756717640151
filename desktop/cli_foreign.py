"""`baseline import FILE` for spreadsheets the app did not write: read, plan, report, write."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_progress import Bar


def _show(report: Any, args: argparse.Namespace) -> None:
    """The import report: text for people, or (--json) its JSON on the real standard output."""
    if getattr(args, "json", False):
        out = getattr(args, "json_stdout", sys.stdout)
        out.write(report.to_json().rstrip("\n") + "\n")
    else:
        print(report.to_text())


def import_foreign(store: Any, args: argparse.Namespace) -> int | None:
    """Import a foreign file; None when it is one of the app's own workbooks (not ours).

    With --json, the report is the only thing on standard output; the rest goes to stderr.
    """
    if not getattr(args, "json", False):
        return _import_foreign(store, args)
    import contextlib

    args.json_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        return _import_foreign(store, args)


def _import_foreign(store: Any, args: argparse.Namespace) -> int | None:
    from importers.foreign_plan import (
        Choices,
        WorkspaceFacts,
        apply_foreign,
        plan_foreign,
        read_foreign,
        remembered_mapping,
    )
    from importers.import_report import claim_report_file
    from importers.source_table import ImportFileError
    from models.foreign_imports import TableNotInVersionError

    facts = WorkspaceFacts.of(store, args.cycle or "")
    questionnaire = facts.questionnaire_for(args.department or "", args.cycle or "")
    bar = Bar("Reading")  # drawn only when standard error is a terminal
    try:
        foreign = read_foreign(args.file, questionnaire, progress=bar if bar.active else None)
    finally:
        bar.close()
    try:
        if foreign.own_workbook:
            if args.department or args.cycle or args.mapping:
                print(
                    "Note: this is a workbook Baseline wrote; it names its own departments and "
                    "cycles, so --department, --cycle and --mapping are not used."
                )
            return None
        choices = Choices(
            department=args.department or "",
            cycle=args.cycle or "",
            whole_department=bool(getattr(args, "whole_department", False)),
            replace_earlier=args.on_repeat == "replace",  # a corrected return: replace its rows
        )
        if args.sheet:
            wanted = args.sheet.strip()  # sheet names often end in a space ("May 19 ")
            found = [i for i, r in enumerate(foreign.recognitions) if r.sheet.strip() == wanted]
            if not found:
                names = ", ".join(repr(n) for n in foreign.book.sheet_names())
                raise ImportFileError(
                    args.file, f"has no readable sheet {args.sheet!r} (its sheets: {names})"
                )
            choices.recognition = found[0]
        recognition = foreign.recognitions[choices.recognition]
        if args.mapping:
            mapping = remembered_mapping(store, recognition, args.mapping)
            if mapping is None:
                print(
                    f"baseline import: there is no saved mapping {args.mapping!r} that fits "
                    f"{args.file.name}.",
                    file=sys.stderr,
                )
                return 2
            choices.mapping = mapping
        elif recognition.generic:
            choices.mapping = remembered_mapping(store, recognition)
        if args.all_rows:
            choices.tech_filter = False
        if recognition.generic and not (choices.mapping or recognition.mapping).mapped:
            width = recognition.header.width
            print(
                f"baseline import: none of the {width:,} column headers in {args.file.name} "
                "matches a field of the questionnaire's tables. Map the columns in the import "
                "wizard (File ▸ Import…), remember the mapping, then use --mapping NAME.",
                file=sys.stderr,
            )
            return 1
        bar = Bar("Checking")
        try:
            plan = plan_foreign(
                facts, foreign, choices, questionnaire, progress=bar if bar.active else None
            )
        finally:
            bar.close()
        print(f"{args.file.name}: read as {recognition.title}")
        if not choices.cycle:
            print("baseline import: say which audit cycle with --cycle.", file=sys.stderr)
            _show(plan.report, args)
            return 2
        if plan.report.refused:
            _show(plan.report, args)
            print(
                "Nothing was imported: the file cannot be read right as it stands (see "
                "'Refused' above).",
                file=sys.stderr,
            )
            return 1
        if plan.report.confirm and not plan.report.confirmed:
            _show(plan.report, args)
            print(
                f"Nothing was imported: {plan.report.confirm}. Run again with "
                "--whole-department to import them so, knowing that.",
                file=sys.stderr,
            )
            return 1
        if args.dry_run or not plan.importable:
            _show(plan.report, args)
            if args.report:
                plan.report.write_csv(args.report)
            if not plan.importable:
                print("Nothing could be imported.", file=sys.stderr)
                return 1
            print("Dry run: nothing was written.")
            return 0
        if plan.report.problems and not args.accept_problems:
            _show(plan.report, args)
            print(
                "Nothing was imported: some values cannot be read (listed above). Correct the "
                "file, or run again with --accept-problems to import the rest with those "
                "values left blank.",
                file=sys.stderr,
            )
            return 1
        for target in plan.repeats:
            if target.edited and args.on_repeat == "replace":
                print(
                    f"Note: {target.edited:,} row(s) of the earlier import into "
                    f"{target.department.name} were edited since; replacing undoes those edits "
                    "(the audit's history keeps them)."
                )
        claimed = None
        if args.report:  # a report that cannot be written is found before anything is
            try:
                claimed = claim_report_file(args.report)
            except OSError as exc:
                print(
                    f"baseline import: cannot write the report to {args.report} "
                    f"({exc.strerror or exc}). Nothing was imported.",
                    file=sys.stderr,
                )
                return 2
        try:
            try:
                bar = Bar("Importing")
                try:
                    report = apply_foreign(
                        store,
                        plan,
                        questionnaire,
                        on_repeat=args.on_repeat,
                        progress=bar if bar.active else None,
                    )
                finally:
                    bar.close()
            except TableNotInVersionError as exc:
                print(f"baseline import: {exc}", file=sys.stderr)
                return 1
            except ValueError as exc:
                print(f"baseline import: {exc} Use --on-repeat replace or skip.", file=sys.stderr)
                return 1
            _show(report, args)
            if args.report and claimed is not None:
                try:
                    report.write_csv(args.report, claimed)
                except OSError as exc:  # the import is committed: say so, do not fail it
                    print(
                        f"baseline import: the rows were imported, but the report could not "
                        f"be written to {args.report} ({exc.strerror or exc}).",
                        file=sys.stderr,
                    )
            return 0 if report.imported else 1
        finally:
            if claimed is not None:
                claimed.unlink(missing_ok=True)
    finally:
        foreign.close()
