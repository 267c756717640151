"""Starting from an empty folder: `new`, `department add|list`, `audit new|list`.

Each is a thin door onto the models the GUI uses (Store.create_audit, Store.copy_forward,
models/departments_setup.py); writes take the workspace lock.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_common import (
    DONE,
    PROBLEMS,
    Refused,
    add_db,
    add_json,
    audit_summary,
    department,
    department_record,
    emit,
    run_guarded,
    say,
    workspace,
)

COMMANDS = {"new", "department"}  # `audit` and `history`: desktop/cli_audit.py


def add_parsers(sub: Any) -> None:
    new = sub.add_parser(
        "new",
        help="make a new, empty workspace file",
        description="Make a new, empty workspace. Refused (exit 2) if the file exists.",
    )
    add_db(new)
    add_json(new)

    dept = sub.add_parser("department", help="add or list departments")
    dept_sub = dept.add_subparsers(dest="department_command", metavar="ACTION", required=True)
    add = dept_sub.add_parser(
        "add",
        help="add a department (a GOV.UK name or abbreviation fills in the rest)",
        description="Add a department. A name, abbreviation (DWP) or GOV.UK id on the shipped "
        "GOV.UK list fills in the full name, abbreviation and GOV.UK id; any other name is "
        "added as typed. A department already in the workspace is refused (exit 2).",
    )
    add.add_argument("name", metavar="NAME", help="name, abbreviation or GOV.UK id")
    add_db(add)
    add.add_argument("--abbreviation", metavar="ABBR", help="use this abbreviation instead")
    add_json(add)
    listing = dept_sub.add_parser("list", help="list the workspace's departments")
    add_db(listing)
    add_json(listing)


def add_audit_parsers(audit_sub: Any) -> None:
    """`audit new` and `audit list` (the audit command's other actions: cli_audit.py)."""
    new = audit_sub.add_parser(
        "new",
        help="start an audit for a department and cycle",
        description="Start a department's audit for a cycle on the newest questionnaire, blank "
        "or copied forward from the department's latest audit (answers and rows; comments "
        "stay with their year). A second audit for the same department and cycle is refused.",
    )
    add_db(new)
    new.add_argument("--department", required=True, metavar="ID|NAME", help="the department")
    new.add_argument("--cycle", required=True, metavar="LABEL", help="the cycle ('2015 review')")
    new.add_argument(
        "--copy-forward", action="store_true", help="pre-fill from the department's latest audit"
    )
    new.add_argument(
        "--questionnaire", metavar="ID@VERSION", help="questionnaire (default: newest shipped)"
    )
    new.add_argument("--auditor", default="", metavar="NAME", help="who carries out the audit")
    add_json(new)

    listing = audit_sub.add_parser("list", help="list audits, optionally filtered")
    add_db(listing)
    listing.add_argument("--department", metavar="ID|NAME", help="only this department's audits")
    listing.add_argument("--cycle", metavar="LABEL", help="only audits of this cycle")
    listing.add_argument(
        "--status",
        choices=("draft", "submitted", "reviewed", "signed_off", "signed-off"),
        help="only audits in this status",
    )
    add_json(listing)


def run(args: argparse.Namespace) -> int:
    name = f"baseline {args.command}"
    if args.command == "new":
        return run_guarded(name, _new, args)
    name += f" {args.department_command}"
    body = _department_add if args.department_command == "add" else _department_list
    return run_guarded(name, body, args)


def _new(args: argparse.Namespace) -> int:
    from models.store import Store

    path: Path = args.db
    if path.exists():
        raise Refused(f"{path} already exists; nothing was changed. Give a new file name.")
    with Store(path, lock=True) as store:
        version = store.schema_version
    if args.json:
        emit({"workspace": str(path), "created": True, "schema_version": version})
    else:
        print(f"Made a new workspace at {path}")
    return DONE


def _department_add(args: argparse.Namespace) -> int:
    from models.departments_setup import add_listed_department

    with workspace(args, write=True) as store:
        dept, entry = add_listed_department(store, args.name, args.abbreviation)
    if args.json:
        emit({**department_record(dept), "on_govuk_list": entry is not None})
    else:
        how = "from the GOV.UK list" if entry else "as typed (it is not on the GOV.UK list)"
        print(f"Added {dept.display} {how}")
    return DONE


def _department_list(args: argparse.Namespace) -> int:
    with workspace(args, write=False) as store:
        departments = store.departments()
        counts = {d.id: len(store.audits(d.id)) for d in departments}
    if args.json:
        emit([{**department_record(d), "audits": counts[d.id]} for d in departments])
    else:
        for d in departments:
            print(f"{d.display}\t{counts[d.id]} audit(s)\t{d.id}")
        if not departments:
            say("No departments yet: add one with `baseline department add NAME --db …`.")
    return DONE if departments else PROBLEMS


def audit_new(args: argparse.Namespace) -> int:
    from models.questionnaire import current_questionnaire, get_questionnaire

    if args.questionnaire:
        qid, _, version = args.questionnaire.partition("@")
        if not version.isdigit():
            raise Refused(f"--questionnaire {args.questionnaire!r}: give it as ID@VERSION.")
        form = get_questionnaire(qid, int(version))
    else:
        form = current_questionnaire()
    with workspace(args, write=True) as store:
        dept = department(store, args.department)
        if args.copy_forward:
            source = store.latest_audit(dept.id)
            if source is None:
                raise Refused(
                    f"{dept.name} has no audit to copy forward from; start a blank one "
                    "(without --copy-forward). Nothing was changed."
                )
            audit = store.copy_forward(source.id, args.cycle, form, args.auditor, dept.id)
        else:
            audit = store.create_audit(dept.id, args.cycle, form, args.auditor)
    if args.json:
        emit(audit_summary(audit))
    else:
        copied = f", copied forward from {source.cycle}" if args.copy_forward else ""
        print(f"Started the audit {audit.department_name}, {audit.cycle}{copied} ({audit.id})")
    return DONE


def audit_list(args: argparse.Namespace) -> int:
    with workspace(args, write=False) as store:
        dept = department(store, args.department) if args.department else None
        audits = store.audits(dept.id if dept else None)
    if args.cycle:
        audits = [a for a in audits if a.cycle == args.cycle.strip()]
    if args.status:
        audits = [a for a in audits if a.status == args.status.replace("-", "_")]
    if args.json:
        emit([audit_summary(a) for a in audits])
    else:
        for a in audits:
            print(f"{a.department_name}\t{a.cycle}\t{a.status}\t{a.id}")
    if not audits:
        say("No audits match.")
    sys.stdout.flush()
    return DONE if audits else PROBLEMS
