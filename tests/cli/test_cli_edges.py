"""The command line at its edges, as a script meets them: Ctrl+C, read-only media, odd text.

Each case was a demonstrated fault (/work/brief/findings-S.md): a traceback on Ctrl+C during
`merge`, a sound workspace on read-only media called damaged, `--json` that did not parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import models.merge
from models.store import Store
from tests.cli import run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "work.sqlite"
    assert run(capsys, "demo", "--db", path, "--departments", "2")[0] == 0
    return path


def test_ctrl_c_just_after_a_merge_commits_is_exit_130_in_words(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a KeyboardInterrupt in `merge` reached the terminal as a traceback."""
    package = tmp_path / "all.baseline-package"
    assert run(capsys, "export-package", "--db", db, "--out", package)[0] == 0
    target = tmp_path / "new.sqlite"
    assert run(capsys, "new", "--db", target)[0] == 0
    real = models.merge.apply_merge

    def merged_then_interrupted(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # the key pressed as the commit returned

    monkeypatch.setattr(models.merge, "apply_merge", merged_then_interrupted)
    status, _out, err = run(capsys, "merge", package, "--db", target)
    assert status == 130
    assert "Traceback" not in err
    assert "baseline merge: cancelled (Ctrl+C)" in err
    assert "whole or not at all" in err
    with Store(target, read_only=True) as store:  # what was committed is whole
        assert len(store.audits()) == 4
    assert run(capsys, "verify", "--db", target)[0] == 0
