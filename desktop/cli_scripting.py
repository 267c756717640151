"""The scripting commands (issue 20), registered with the command line in one place.

new, department add|list, audit new|list|show|set|move, history and export-json.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop import cli_audit, cli_json, cli_workspace

COMMANDS = cli_workspace.COMMANDS | cli_audit.COMMANDS | cli_json.COMMANDS


def add_parsers(sub: Any) -> None:
    cli_workspace.add_parsers(sub)
    cli_audit.add_parsers(sub)
    cli_json.add_parsers(sub)


def run(args: argparse.Namespace) -> int:
    for module in (cli_workspace, cli_audit, cli_json):
        if args.command in module.COMMANDS:
            code: int = module.run(args)
            return code
    raise AssertionError(args.command)  # pragma: no cover - argparse allows no other
