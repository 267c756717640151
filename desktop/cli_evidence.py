"""Headless `evidence add|list|extract|remove`: evidence files behind answers, for scripts.

Exit status: 0 done; 2 refused (the file, the audit, the question or the workspace), with
the reason on stderr and nothing changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

COMMANDS = {"evidence"}


def _audit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    parser.add_argument("--department", required=True, metavar="ID|NAME", help="the department")
    parser.add_argument("--cycle", required=True, metavar="LABEL", help="the audit's cycle")


def add_parsers(sub: Any) -> None:
    evidence = sub.add_parser(
        "evidence",
        help="attach, list, extract or remove evidence files behind an audit's answers",
        description="Evidence files kept with an audit: each is stored once by its SHA-256 in "
        "a folder beside the workspace (<workspace>.evidence). Programs and scripts, symlinks, "
        "devices and files over 256 MB are refused.",
    )
    actions = evidence.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="attach a file to a question (or a row of its table)")
    add.add_argument("file", type=Path, metavar="FILE", help="the file to attach")
    _audit_options(add)
    add.add_argument("--question", required=True, metavar="ID", help="the question's id")
    add.add_argument("--row", type=int, metavar="N", help="row N (1 = first) of the table")
    listing = actions.add_parser("list", help="list an audit's evidence")
    _audit_options(listing)
    listing.add_argument("--question", metavar="ID", help="only this question's evidence")
    listing.add_argument("--removed", action="store_true", help="include removed files")
    listing.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    extract = actions.add_parser("extract", help="write evidence files into a folder")
    _audit_options(extract)
    extract.add_argument("--id", action="append", default=[], metavar="ID", help="this file only")
    extract.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="folder")
    remove = actions.add_parser("remove", help="take a file off its question (kept in history)")
    _audit_options(remove)
    remove.add_argument("--id", required=True, metavar="ID", help="the evidence id (see list)")


def _row_id(store: Any, audit_id: str, question: str, number: int | None) -> str | None:
    if number is None:
        return None
    rows = store.rows(audit_id, question)
    if not 1 <= number <= len(rows):
        raise ValueError(
            f"the table {question!r} has {len(rows)} row(s), so there is no row {number}."
        )
    return str(rows[number - 1].id)


def _as_json(item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "question": item.question_id,
        "row_id": item.row_id,
        "name": item.name,
        "size": item.size,
        "sha256": item.sha256,
        "added_at": item.added_at,
        "added_by": item.added_by,
        "removed": item.removed,
    }


def run(args: argparse.Namespace) -> int:
    from desktop.cli_selection import find_department
    from models.store import Store, WorkspaceError

    name = f"baseline evidence {args.evidence_command}"
    if not args.db.is_file():
        print(f"{name}: there is no workspace at {args.db}.", file=sys.stderr)
        return 2
    writes = args.evidence_command in ("add", "remove")
    try:
        with Store(args.db, read_only=not writes, lock=writes) as store:
            dept = find_department(store, args.department)
            audit = store.find_audit(dept.id, args.cycle)
            if audit is None:
                raise ValueError(f"{dept.name} has no audit for {args.cycle!r}.")
            return _run(args, store, audit.id)
    except (WorkspaceError, ValueError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, store: Any, audit_id: str) -> int:
    from models import evidence

    if args.evidence_command == "add":
        row_id = _row_id(store, audit_id, args.question, args.row)
        kept = evidence.attach(store, audit_id, args.question, args.file, row_id=row_id)
        print(f"Attached {kept.name} ({kept.size_text}, SHA-256 {kept.sha256}) as {kept.id}.")
        return 0
    if args.evidence_command == "remove":
        found = evidence.find(store, args.id)
        if found.audit_id != audit_id:
            raise ValueError(f"evidence {args.id} is not this audit's.")
        evidence.remove(store, args.id)
        print(f"Removed {found.name} from {found.question_id} (it stays in the history).")
        return 0
    question = getattr(args, "question", None)
    items = evidence.listed(store, audit_id, question, removed=getattr(args, "removed", False))
    if args.evidence_command == "list":
        if args.json:
            print(json.dumps([_as_json(i) for i in items], ensure_ascii=False, indent=1))
        else:
            for i in items:
                gone = " (removed)" if i.removed else ""
                print(
                    f"{i.id}  {i.question_id}  {i.name}  {i.size_text}  {i.added_on}  "
                    f"{i.added_by}{gone}"
                )
        return 0
    wanted = set(args.id)
    chosen = [i for i in items if not wanted or i.id in wanted]
    missing = wanted - {i.id for i in chosen}
    if missing:
        raise ValueError(f"this audit has no evidence {', '.join(sorted(missing))}.")
    if not args.out.is_dir():
        raise ValueError(f"{args.out} is not a folder.")
    names = evidence.distinct_names([i.name for i in chosen])
    there = [args.out / n for n in names if (args.out / n).exists()]
    if there:  # checked for all before writing any, so a refusal leaves the folder as it was
        raise ValueError(f"{there[0]} already exists; choose another folder. Nothing was written.")
    written: list[Path] = []
    for i, target in zip(chosen, names, strict=True):
        try:
            written.append(evidence.extract(store, i.id, args.out, target))
        except evidence.EvidenceError as exc:
            if written:  # say what is there: the refusal's "Nothing was written" is this file's
                done = ", ".join(p.name for p in written)
                raise ValueError(
                    f"{exc} The {len(written)} written before it stay: {done}."
                ) from None
            raise
        print(written[-1])
    return 0
