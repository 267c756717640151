"""`audit show` marks a stored answer the form hides, as the export does (F8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run
from tests.cli.test_scripting import CYCLE, db, which

__all__ = ["db"]  # the fixture

WHY = (
    "(does not apply: hidden because “Has the department nominated a board member as its "
    "Digital Leader?” is No)"
)


def test_audit_show_says_a_hidden_answer_does_not_apply(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setting = ("audit", "set", *which(db))
    assert (
        run(capsys, *setting, "digital_leader_nominated=yes", "digital_leader_on_board=yes")[0] == 0
    )
    assert run(capsys, *setting, "board_tech_expert_count=2")[0] == 0
    code, out = run(capsys, "audit", "show", *which(db))[:2]
    assert code == 0 and CYCLE in out
    lines = [line.strip() for line in out.splitlines()]
    assert "digital_leader_on_board = Yes" in lines  # applies while nominated = Yes
    assert run(capsys, *setting, "digital_leader_nominated=no")[0] == 0
    out = run(capsys, "audit", "show", *which(db))[1]
    lines = [line.strip() for line in out.splitlines()]
    assert f"digital_leader_on_board = Yes {WHY}" in lines
    assert "digital_leader_nominated = No" in lines
    assert "board_tech_expert_count = 2" in lines
