"""Choosing audits on the command line: --department and --cycle, shared by the exports."""

from __future__ import annotations

import argparse
from typing import Any


def add_selection(parser: argparse.ArgumentParser) -> None:
    """--department and --cycle; with neither, every audit."""
    parser.add_argument("--department", metavar="ID|NAME", help="only this department's audits")
    parser.add_argument("--cycle", metavar="LABEL", help="only audits of this cycle")


def find_department(store: Any, wanted: str) -> Any:
    """The department by id, name or abbreviation, or a ValueError naming the workspace."""
    dept = store.find_department(wanted)
    if dept is None:
        raise ValueError(f"no department {wanted!r} in {store.path.name}.")
    return dept


def selected_audits(store: Any, args: argparse.Namespace) -> list[Any]:
    """The audits --department and --cycle pick out."""
    department = find_department(store, args.department) if args.department else None
    audits = store.audits(department.id if department else None)
    if args.cycle:
        audits = [a for a in audits if a.cycle == args.cycle]
    return list(audits)
