"""Mutated files through the whole import: a clear refusal or a whole import, never half."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.foreign_plan import (
    Choices,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from importers.source_table import ImportFileError
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.importers import foreign_files as F

QUESTIONNAIRE = current_questionnaire()
_FOLDER = Path(__file__).resolve().parent.parent / "fixtures" / "samples"


def _counts(store: Store) -> tuple[int, ...]:
    return tuple(
        store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("audits", "table_rows", "history", "imports", "imported_rows")
    )


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Flip, drop or insert bytes at positions scaled into the file."""
    out = bytearray(data)
    for kind, where, byte in edits:
        if not out:
            break
        at = where % len(out)
        if kind == 0:
            out[at] ^= byte or 1
        elif kind == 1:
            del out[at : at + 1 + byte % 64]
        else:
            out[at:at] = bytes([byte]) * (1 + byte % 8)
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=6
)


def _import_or_refuse(source: Path, workspace: Path) -> None:
    with Store(workspace) as store:
        before = _counts(store)
        try:
            foreign = read_foreign(source, QUESTIONNAIRE)
        except ImportFileError as exc:
            assert source.name in str(exc)
            assert _counts(store) == before
            return
        try:
            plan = plan_foreign(
                WorkspaceFacts.of(store),
                foreign,
                Choices(cycle="2024", whole_department=True),
                QUESTIONNAIRE,
            )
            if not plan.importable:
                assert _counts(store) == before
                return
            if plan.report.blocked:  # refused with the reason: never half-read
                with pytest.raises(ValueError, match="nothing was imported"):
                    apply_foreign(store, plan, QUESTIONNAIRE, on_repeat="replace")
                assert _counts(store) == before
                return
            report = apply_foreign(store, plan, QUESTIONNAIRE, on_repeat="replace")
        except ImportFileError as exc:  # damage found while reading the rows
            assert source.name in str(exc)
            assert _counts(store) == before
            return
        finally:
            foreign.close()
        after = _counts(store)
        new_audits = after[0] - before[0]
        assert after[1] - before[1] == report.imported  # every planned row, no more
        assert after[3] - before[3] == len(report.per_audit)
        assert new_audits <= len(report.per_audit)


def _workspace(folder: Path) -> Path:
    path = folder / "template.sqlite"
    if not path.exists():
        with Store(path) as store:
            store.add_department("Department for Work and Pensions", "DWP")
            store.add_department("Cabinet Office", "CO", "cabinet-office")
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS, which=st.sampled_from(["organogram.xlsx", "organogram.csv", "wmi.csv"]))
def test_mutated_files_import_whole_or_not_at_all(tmp_path_factory, edits, which):
    folder = tmp_path_factory.mktemp("fuzz")
    originals = tmp_path_factory.getbasetemp() / "originals"
    originals.mkdir(exist_ok=True)
    sources = {
        "organogram.xlsx": originals / "organogram-dfe-2012-03-31.xlsx",
        "organogram.csv": originals / "organogram-senior-2024-09-30.csv",
        "wmi.csv": _FOLDER / "04_wmi_dwp_2025-01.csv",
    }
    if not sources["organogram.xlsx"].exists():
        F.organogram_older_xlsx(originals)
        F.organogram_senior_csv(originals)
    original = sources[which]
    mutated = folder / f"mutated{original.suffix}"
    mutated.write_bytes(_mutate(original.read_bytes(), edits))
    workspace = folder / "ws.sqlite"
    shutil.copy2(_workspace(originals), workspace)
    _import_or_refuse(mutated, workspace)
