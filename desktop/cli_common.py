"""What the scripting commands share: exit codes, opening a workspace, finding an audit, JSON out.

Exit codes (docs/command-line.md): 0 done; 1 done with problems, or nothing to do;
2 refused (bad input, unknown department or question, a locked or signed-off audit),
with nothing written; 130 cancelled.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DONE, PROBLEMS, REFUSED = 0, 1, 2


class Refused(Exception):
    """A command cannot do what was asked; the message says why and that nothing changed."""


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")


def add_json(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print {what} as JSON on standard output"
    )


def emit(value: Any) -> None:
    """JSON on standard output (docs/audit-json.md for audits)."""
    from models.audit_json import dumps

    sys.stdout.write(dumps(value))


def say(text: str) -> None:
    """A line for people on standard error: keeps standard output clean for JSON."""
    print(text, file=sys.stderr)


def missing_workspace(path: Path) -> str:
    return (
        f"there is no workspace at {path}. Make one with `baseline new --db {path}` "
        "(or give the path of an existing one)."
    )


@contextlib.contextmanager
def workspace(args: argparse.Namespace, *, write: bool) -> Iterator[Any]:
    """The workspace --db names: locked for a write, read-only otherwise.

    A workspace in an older format is upgraded (backed up first, under the lock) even to
    be read, as the other commands and the app do: it cannot be read as it is.
    """
    from models.store import Store, opens_untouched

    if not args.db.is_file():
        raise Refused(missing_workspace(args.db))
    if write or not opens_untouched(args.db):
        store = Store(args.db, lock=True)
    else:
        store = Store(args.db, read_only=True)
    try:
        yield store
    finally:
        store.close()


def run_guarded(name: str, body: Any, args: argparse.Namespace) -> int:
    """Run a command body, turning every expected failure into a message and exit code 2."""
    from models.progress import Cancelled
    from models.questionnaire import DefinitionError
    from models.store import WorkspaceError

    try:
        result: int = body(args)
        return result
    except (Refused, WorkspaceError, DefinitionError, ValueError, OSError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return REFUSED
    except (Cancelled, KeyboardInterrupt):
        print(f"{name}: cancelled; nothing more was written.", file=sys.stderr)
        return 130


def output_error(out: Path, exc: OSError) -> str:
    """An output that could not be written, named as it was asked for: not the temporary
    file beside it ('.x.xlsx.c8c9ba9c228f3569.part'), nor Python's '[Errno 30]'."""
    if type(exc).__str__ is not OSError.__str__:  # worded already (a full disk, a database)
        return str(exc)
    return f"cannot write {out}: {exc.strerror or exc}. Nothing was written."


def department(store: Any, wanted: str) -> Any:
    """The department by id, name or abbreviation; Refused naming the closest ones if none."""
    from desktop.cli_reports import _department

    try:
        return _department(store, wanted)
    except ValueError as exc:
        raise Refused(str(exc)) from None


def audit_of(store: Any, wanted_department: str, cycle: str) -> Any:
    """The department's audit for the cycle; Refused naming the cycles it has if none."""
    from models.validation import clean_label

    dept = department(store, wanted_department)
    cycle = cycle.strip()
    # As given (a label an earlier version stored uncleaned), else as labels are stored.
    audit = store.find_audit(dept.id, cycle) or next(
        (a for a in store.audits(dept.id) if clean_label(a.cycle) == clean_label(cycle)), None
    )
    if audit is None:
        cycles = [a.cycle for a in store.audits(dept.id)]
        held = f"its audits: {', '.join(cycles)}" if cycles else "it has no audits yet"
        raise Refused(
            f"{dept.name} has no audit for the cycle {cycle!r} in {store.path.name} ({held})."
        )
    return audit


def audit_summary(audit: Any) -> dict[str, Any]:
    """An audit's identity and status, as `audit list` gives it."""
    return {
        "id": audit.id,
        "department": audit.department_name,
        "department_id": audit.department_id,
        "cycle": audit.cycle,
        "questionnaire": {"id": audit.questionnaire_id, "version": audit.questionnaire_version},
        "status": audit.status,
        "auditor": audit.auditor,
        "created_at": audit.created_at,
        "updated_at": audit.updated_at,
        "copied_from": audit.copied_from,
    }


def department_record(dept: Any) -> dict[str, Any]:
    return {
        "id": dept.id,
        "name": dept.name,
        "abbreviation": dept.abbreviation,
        "govuk_id": dept.govuk_id,
        "created_at": dept.created_at,
    }
