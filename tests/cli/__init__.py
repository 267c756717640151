"""Helpers of the command-line tests: run `baseline …` in this process and read its JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of one command."""
    capsys.readouterr()
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Any:
    """The JSON a command printed; it must have succeeded."""
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)
