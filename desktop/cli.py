"""Command line: the GUI by default, headless subcommands for the central team's scripts.

Nothing here imports Qt, so headless commands start fast and run without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import cli_evidence, cli_packages, cli_reports, cli_verify, cli_workbooks

GUI_EPILOG = """\
examples:
  baseline                          open the last workspace (or a new one in your data folder)
  baseline --db audits.sqlite       open or create that workspace file
  baseline --demo                   open a demo workspace with realistic data
  baseline demo --db demo.sqlite    write a demo workspace without starting the GUI
  baseline export-xlsx --db audits.sqlite --out all.xlsx [--department DWP] [--cycle LABEL]
  baseline data-return --db audits.sqlite --department DWP --cycle LABEL --out dwp.xlsx [--prefill]
  baseline import returned.xlsx --db audits.sqlite [--dry-run]
  baseline report --db audits.sqlite --department DWP --cycle LABEL --out dwp.pdf \
      [--marking OFFICIAL-SENSITIVE] [--redact-names]
  baseline summary-report --db audits.sqlite --cycle LABEL --out summary.pdf [--marking ...]
  baseline export-package --db audits.sqlite --out ho.baseline-package [--department HO]
  baseline merge ho.baseline-package --db audits.sqlite [--dry-run] [--take mine|theirs]
  baseline verify --db audits.sqlite    check the recorded history is intact (exit 1 if not)
  baseline new --db audits.sqlite; baseline department add DWP --db audits.sqlite
  baseline audit new|list|show|set|move …, baseline history …, baseline export-json …
  (see docs/command-line.md; exit status 0 done, 1 problems or nothing to do, 2 refused)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baseline",
        description="Baseline: board-level technology capability audits, offline.",
        epilog=GUI_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help="workspace file to open (created if missing)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a demo workspace (several departments, two cycles), creating it if needed",
    )
    parser.add_argument(
        "--audit", metavar="ID", help="open this audit (by id) once the window is shown"
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the versions of Baseline, Qt, SQLite and the main libraries, then exit",
    )
    parser.add_argument(
        "--quit-after-start",
        action="store_true",
        help="start, show the main window, print a line and quit (for install checks)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="write a demo workspace headlessly",
        description="Write realistic demo data into a workspace file (for trying the app, "
        "benchmarks and checks).",
    )
    demo.add_argument("--db", type=Path, required=True, metavar="PATH", help="workspace file")
    demo.add_argument("--departments", type=int, default=6, help="number of departments (6)")
    demo.add_argument("--cycles", type=int, default=2, help="audit cycles per department (2)")
    demo.add_argument("--roles", type=int, default=12, help="senior role rows per audit (12)")
    demo.add_argument("--workforce", type=int, default=24, help="workforce rows per audit (24)")
    demo.add_argument("--seed", type=int, default=2013, help="random seed (2013)")
    demo.add_argument(
        "--force",
        action="store_true",
        help="add demo data to a workspace that already holds audits (refused otherwise)",
    )
    cli_workbooks.add_parsers(sub)
    cli_reports.add_parsers(sub)
    cli_packages.add_parsers(sub)
    cli_verify.add_parsers(sub)
    cli_evidence.add_parsers(sub)
    from desktop import cli_scripting  # new, department, audit, history, export-json

    cli_scripting.add_parsers(sub)
    return parser


class _VersionAction(argparse.Action):
    """--version, worked out only when asked (it imports Qt)."""

    def __init__(self, option_strings: list[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from desktop.version import version_text

        print(version_text())
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.command:
        if _no_display():  # Qt would abort (exit 134) advising a reinstall
            print("baseline: there is no display to open the window on (neither DISPLAY nor "
                  "WAYLAND_DISPLAY is set). The commands work without one: baseline --help. "
                  "Nothing was opened or changed.", file=sys.stderr)  # fmt: skip
            return 2
        return _dispatch(args)
    from desktop.terminal import OutputClosed, close_output

    try:
        return _headless(args)
    except OutputClosed:  # the reader stopped early (`| head`): stop, as any Unix tool does
        close_output()
        return 141  # 128 + SIGPIPE


def _headless(args: argparse.Namespace) -> int:
    from desktop.terminal import escaped_output, refused_file

    with escaped_output() as out:  # outside text never reaches the terminal as escape sequences
        refused = refused_file(args)
        if refused:
            print(f"{_name(args)}: {refused}", file=sys.stderr)
            return 2
        try:
            status = _dispatch(args)
            out.flush()
            if out.failed is not None:  # it did its work; only what it printed is lost
                why = out.failed.strerror or out.failed
                print(f"{_name(args)}: its output could not be written ({why}); what it did "
                      "is done.", file=sys.stderr)  # fmt: skip
                return status or 1
            return status
        except RecursionError:  # nested beyond what any reader here bounds: say so, no traceback
            print(f"baseline {args.command}: the file is nested far too deeply to read; nothing "
                  "was written.", file=sys.stderr)  # fmt: skip
        except MemoryError:
            print(f"baseline {args.command}: there is not enough memory to read the file; "
                  "nothing was written.", file=sys.stderr)  # fmt: skip
        except KeyboardInterrupt:  # commands without their own handler (merge, packages, …)
            print(f"baseline {args.command}: cancelled (Ctrl+C). Each change is saved whole or "
                  "not at all, so nothing was left half-written.", file=sys.stderr)  # fmt: skip
            return 130
        return 2


def _no_display() -> bool:
    """True on Linux with no X11 or Wayland display and no Qt platform chosen (offscreen…)."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _name(args: argparse.Namespace) -> str:
    """'baseline audit set': the command as typed, for a message."""
    action = getattr(args, f"{args.command}_command", None)
    return f"baseline {args.command} {action}" if action else f"baseline {args.command}"


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return _demo(args)
    if args.command in cli_workbooks.COMMANDS:
        return cli_workbooks.run(args)
    if args.command in cli_reports.COMMANDS:
        return cli_reports.run(args)
    if args.command in cli_packages.COMMANDS:
        return cli_packages.run(args)
    if args.command in cli_verify.COMMANDS:
        return cli_verify.run(args)
    if args.command in cli_evidence.COMMANDS:
        return cli_evidence.run(args)
    from desktop import cli_scripting

    if args.command in cli_scripting.COMMANDS:
        return cli_scripting.run(args)
    from desktop.launch import run  # the log, crash handler and icon around run_gui

    return run(args)


def _demo(args: argparse.Namespace) -> int:
    from models.demo import DemoSize, write_demo
    from models.store import Store, WorkspaceError

    existed = args.db.exists()
    try:
        with Store(args.db, durable=False, lock=True) as store:  # a write: refuse if in use
            held = len(store.audits())
            if held and not args.force:
                print(
                    f"baseline demo: {args.db} already holds {held} audit(s); invented demo "
                    "audits would be mixed in with them. Give a new file name, or add --force "
                    "to add demo data anyway. Nothing was changed.",
                    file=sys.stderr,
                )
                return 2
            size = DemoSize(args.departments, args.cycles, args.roles, args.workforce)
            audits = write_demo(store, size, seed=args.seed)
    except (WorkspaceError, ValueError) as exc:
        if not existed:  # made for this demo: no empty workspace is left behind
            _remove_new_workspace(args.db)
        print(f"baseline demo: {exc} Nothing was written.", file=sys.stderr)
        return 2
    print(f"Wrote {audits} audits for {args.departments} departments to {args.db}")
    return 0


def _remove_new_workspace(path: Path) -> None:
    """Delete a workspace this command made and then failed to fill, with its side files."""
    import contextlib

    from models.workspace_lock import remove_workspace

    with contextlib.suppress(OSError):  # read-only media: nothing was made there to remove
        if path.is_file():
            remove_workspace(path)
        path.with_name(path.name + ".chain").unlink(missing_ok=True)
