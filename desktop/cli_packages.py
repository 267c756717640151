"""Headless audit packages: export-package writes one, merge takes one in (models/merge.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_selection import add_selection, selected_audits

COMMANDS = {"export-package", "merge"}


def add_parsers(sub: Any) -> None:
    export = sub.add_parser(
        "export-package",
        help="write audits, with their history, to an audit package",
        description="Write audits with everything they know of their history to one file "
        "another workspace can merge. With neither --department nor --cycle, every audit.",
    )
    export.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="package to write")
    add_selection(export)

    merge = sub.add_parser(
        "merge",
        help="merge an audit package into a workspace",
        description="Merge another workspace's audit package: new audits are added, changes "
        "made on one side are taken, and answers changed differently on both sides are "
        "conflicts. Exit status: 0 merged, 1 conflicts left undecided (nothing written), "
        "2 bad input.",
    )
    merge.add_argument("package", type=Path, metavar="PACKAGE", help="the package file")
    merge.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    merge.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    merge.add_argument(
        "--take",
        choices=("mine", "theirs"),
        help="settle every conflict by keeping this workspace's value (mine) or the package's",
    )
    merge.add_argument(
        "--json", action="store_true", help="print the plan (and what was merged) as JSON"
    )


def run(args: argparse.Namespace) -> int:
    from models.audit_package import PackageError
    from models.merge import MergeError
    from models.store import Store, WorkspaceError

    name = f"baseline {args.command}"
    if not args.db.exists():
        print(f"{name}: there is no workspace at {args.db}.", file=sys.stderr)
        return 2
    try:
        writes = args.command == "merge" and not args.dry_run
        with Store(args.db, lock=writes) as store:  # a write refuses a workspace in use
            if args.command == "export-package":
                return _export(store, args, name)
            return _merge(store, args, name)
    except (WorkspaceError, PackageError, MergeError, ValueError, OSError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2


def _export(store: Any, args: argparse.Namespace, name: str) -> int:
    from models.audit_package import write_package

    audits = selected_audits(store, args)
    if not audits:
        print(f"{name}: no audits match; nothing was written.", file=sys.stderr)
        return 1
    print(write_package(store, args.out, [a.id for a in audits]).text())
    return 0


def _merge(store: Any, args: argparse.Namespace, name: str) -> int:
    from models.audit_package import read_package
    from models.merge import UnresolvedConflictsError, apply_merge, plan_merge

    package = read_package(args.package)
    plan = plan_merge(store, package, take=args.take)
    if getattr(args, "json", False):
        from desktop.cli_json import merge_as_json

        return merge_as_json(store, package, plan, args, name)
    print(plan.summary())
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 1 if plan.conflicts or plan.skipped else 0  # 1: some of it would be left out
    if plan.conflicts:
        print(
            f"{name}: nothing was merged: {len(plan.conflicts)} conflict(s) need a choice. Run "
            "again with --take mine or --take theirs, or merge in the app to choose one by one.",
            file=sys.stderr,
        )
        return 1
    try:
        report = apply_merge(store, package, take=args.take)
    except UnresolvedConflictsError as exc:  # the workspace changed since it was planned
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    if report.skipped:  # merged in part: what was left out, and why, is listed above
        print(f"{name}: {len(report.skipped)} audit(s) of the package were not merged (listed "
              "above, with why).", file=sys.stderr)  # fmt: skip
        return 1
    return 0
