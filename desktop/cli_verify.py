"""Headless `verify`: is a workspace's recorded history intact? For scripts and auditors' checks.

Exit status: 0 clean, 1 problems found, 2 the workspace cannot be opened. The workspace is
opened read-only, so verifying never changes it (not even while the app has it open).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

COMMANDS = {"verify"}


def add_parsers(sub: Any) -> None:
    verify = sub.add_parser(
        "verify",
        help="check that a workspace's recorded history is intact",
        description="Check the hash chain over the workspace's history, changes made outside "
        "the app, content against its history, signed-off audits against their content "
        "hashes, and SQLite's integrity. Reads only. Exit status 0: intact; 1: problems "
        "found; 2: the workspace cannot be opened.",
    )
    verify.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    verify.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="FILE_OR_HEAD",
        help="also check the history against the chain head recorded in a backup, a package, "
        "or printed on a report (1234:9f2c81d077aa0e13), or a signed-off audit against the "
        "sign-off seal its report prints (9f2c 81d0 77aa 0e13); may be given more than once. The "
        "record kept beside the workspace (<name>.chain) is always checked when present.",
    )
    verify.add_argument(
        "--json", action="store_true", help="print the counts and every problem as JSON"
    )


def run(args: argparse.Namespace) -> int:
    from models.chain_anchor import AnchorError, read_anchor
    from models.store import Store, WorkspaceError
    from models.verify import verify

    name = f"baseline {args.command}"
    if not args.db.is_file():
        print(f"{name}: there is no workspace at {args.db}.", file=sys.stderr)
        return 2
    try:
        anchors = [read_anchor(given) for given in args.against]
    except AnchorError as exc:
        print(f"{name}: --against: {exc}", file=sys.stderr)
        return 2
    try:
        with Store(args.db, read_only=True) as store:
            report = verify(store, against=anchors)
    except WorkspaceError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: cancelled.", file=sys.stderr)
        return 130
    if getattr(args, "json", False):
        from desktop.cli_json import verify_record

        print(verify_record(report), end="")
        return 0 if report.ok else 1
    if report.ok:
        print(report.summary())
        return 0
    print(f"{args.db}: {report.text()}", end="")
    return 1
