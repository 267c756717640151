"""The headless package commands: export-package and merge, with their exit codes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.cli import main
from models.store import Store
from tests.exporters import demo_copy


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    """A demo workspace: DWP and HMRC, two cycles each."""
    return demo_copy(demo_file, tmp_path / "audits.sqlite")


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.sqlite"
    Store(path).close()
    return path


def snapshot(path: Path) -> dict[str, object]:
    """Content hash and status of every audit, and how much history there is."""
    with Store(path) as store:
        found: dict[str, object] = {
            a.id: (store.content_hash(a.id), a.status) for a in store.audits()
        }
        found["history"] = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]
        found["absorbed"] = store.conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[
            0
        ]
    return found


def test_export_then_merge_brings_every_audit_and_again_changes_nothing(
    workspace: Path, fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.baseline-package"
    assert main(["export-package", "--db", str(workspace), "--out", str(out)]) == 0
    assert "Wrote 4 audit(s)" in capsys.readouterr().out
    assert main(["merge", str(out), "--db", str(fresh)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("+ ") == 4 and "4 audit(s) added" in printed
    source, merged = snapshot(workspace), snapshot(fresh)
    assert {k: v for k, v in merged.items() if k not in ("history", "absorbed")} == {
        k: v for k, v in source.items() if k not in ("history", "absorbed")
    }
    assert main(["merge", str(out), "--db", str(fresh)]) == 0
    assert "Nothing new" in capsys.readouterr().out
    assert snapshot(fresh) == merged


def test_export_one_department_and_cycle(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dwp.baseline-package"
    args = ["export-package", "--db", str(workspace), "--out", str(out)]
    assert main([*args, "--department", "DWP", "--cycle", "2013 baseline"]) == 0
    assert "Wrote 1 audit(s)" in capsys.readouterr().out
    assert main([*args, "--cycle", "no such cycle"]) == 1
    assert main([*args, "--department", "Nowhere"]) == 2
    assert "no department 'Nowhere'" in capsys.readouterr().err


def test_conflicts_stop_the_merge_until_told_how(
    workspace: Path, fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.baseline-package"
    main(["export-package", "--db", str(workspace), "--out", str(first)])
    main(["merge", str(first), "--db", str(fresh)])
    with Store(workspace) as a, Store(fresh) as b:
        audit = next(x for x in a.audits() if x.status == "draft")
        a.set_answer(audit.id, "digital_leader_post", "Ann's answer")
        b.set_answer(audit.id, "digital_leader_post", "Bob's answer")
    second = tmp_path / "second.baseline-package"
    main(["export-package", "--db", str(workspace), "--out", str(second)])
    capsys.readouterr()
    before = snapshot(fresh)

    assert main(["merge", str(second), "--db", str(fresh), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "1 conflict(s)" in out and "Bob's answer" in out and "Ann's answer" in out
    assert main(["merge", str(second), "--db", str(fresh)]) == 1
    assert "--take mine or --take theirs" in capsys.readouterr().err
    assert snapshot(fresh) == before

    assert main(["merge", str(second), "--db", str(fresh), "--take", "theirs"]) == 0
    with Store(fresh) as b:
        assert b.answer(audit.id, "digital_leader_post") == "Ann's answer"


def test_a_bad_package_is_refused_and_the_workspace_left_alone(
    workspace: Path, fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.baseline-package"
    main(["export-package", "--db", str(workspace), "--out", str(out)])
    out.write_bytes(out.read_bytes()[:-200])
    capsys.readouterr()
    before = snapshot(fresh)
    assert main(["merge", str(out), "--db", str(fresh)]) == 2
    assert "damaged or incomplete" in capsys.readouterr().err
    assert snapshot(fresh) == before
    assert main(["merge", str(out), "--db", str(tmp_path / "missing.sqlite")]) == 2
    assert zipfile.is_zipfile(out) is False
