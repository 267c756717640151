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


def run(args: argparse.Namespace) -> int:
    from models.store import Store, WorkspaceError
    from models.verify import verify

    name = f"baseline {args.command}"
    if not args.db.is_file():
        print(f"{name}: there is no workspace at {args.db}.", file=sys.stderr)
        return 2
    try:
        with Store(args.db, read_only=True) as store:
            report = verify(store)
    except WorkspaceError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: cancelled.", file=sys.stderr)
        return 130
    if report.ok:
        print(report.summary())
        return 0
    print(f"{args.db}: {report.text()}", end="")
    return 1
