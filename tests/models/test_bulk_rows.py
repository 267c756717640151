"""Imported rows' history written and sealed set-wise: recorded and chained as triggers and
seal would, in one pass, with the triggers back in place for every other write."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.bulk_rows import _SET_ASIDE, sealed_entries
from models.foreign_imports import AuditRows, ImportSource, apply_rows
from models.history_chain import chain
from models.progress import Cancelled
from models.questionnaire import Questionnaire, current_questionnaire
from models.store import SignedOffError, Store
from models.verify import verify

TABLE = "workforce_mix"
SOURCE = ImportSource("return.xlsx", "ab" * 32, "test-layout", "Workforce")


def _rows(cells: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int, dict[str, Any]]]:
    return [(c, i + 2, {"unit": f"Unit {i}"}) for i, c in enumerate(cells)]


def _import(store: Store, questionnaire: Questionnaire, dept: str, cycle: str, cells, **kw):
    batch = AuditRows(TABLE, dept, cycle, kw.pop("audit_id", None), _rows(cells))
    source = kw.pop("source", SOURCE)
    result = apply_rows(store, questionnaire, source, [batch], **kw)[0]
    assert result.rows_added == len(cells)
    return result.audit_id


def _triggers(store: Store) -> set[str]:
    found = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r[0] for r in found}


def _row_history(store: Store, audit_id: str) -> list[tuple[Any, ...]]:
    return store.conn.execute(
        "SELECT kind, question_id, old, new, old_position, new_position, who, note, item,"
        " origin, hash FROM history WHERE audit_id = ? AND kind = 'row' ORDER BY seq",
        [audit_id],
    ).fetchall()


CELLS = [{"profession_family": "data", "headcount": i, "fte": i * 0.5} for i in range(12_000)]


def test_an_import_writes_each_rows_history_sealed_in_the_same_pass(store: Store) -> None:
    questionnaire = current_questionnaire()
    dept = store.add_department("Home Office", "HO").id
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    audit = _import(store, questionnaire, dept, "2025", CELLS)
    store.conn.set_trace_callback(None)
    # No row's entry is written and then read back and updated to seal it: one pass (the
    # one update seals the new audit's status entry, which its trigger wrote).
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE HISTORY")]
    assert len(updates) == 1
    history = _row_history(store, audit)
    rows = store.rows(audit, TABLE)
    assert len(history) == len(rows) == 12_000
    workspace = store.conn.execute("SELECT value FROM meta WHERE key = 'workspace_id'").fetchone()
    for entry, row in zip(history, rows, strict=True):
        kind, question, old, new, old_pos, new_pos, who, note, item, origin, digest = entry
        assert (kind, question, old, old_pos, item) == ("row", TABLE, None, None, row.id)
        assert (new_pos, who, note) == (row.position, store.actor, "imported from return.xlsx")
        assert (
            store.conn.execute("SELECT cells FROM table_rows WHERE id = ?", [item]).fetchone()[0]
            == new
        )
        assert re.fullmatch(rf"{workspace[0]}:\d+:[0-9a-f]{{8}}", origin) and digest
    report = verify(store)
    assert report.ok, report.text()
    assert report.sealed == report.changes


def test_bulk_history_reads_as_the_triggers_and_seal_would_record_it(store: Store) -> None:
    """The same rows written row by row through the triggers and seal leave the same history."""
    questionnaire = current_questionnaire()
    dept = store.add_department("Home Office", "HO").id
    cells = [*CELLS[:50], {"profession_family": "données ✓", "headcount": 2**62}]
    bulk = _import(store, questionnaire, dept, "2025", cells)
    by_trigger = store.create_audit(dept, "2024", questionnaire).id
    with store.transaction(), store.recording(note="imported from return.xlsx"):
        for i, (text,) in enumerate(
            store.conn.execute(
                "SELECT cells FROM table_rows WHERE audit_id = ? ORDER BY position", [bulk]
            ).fetchall()
        ):
            store.conn.execute(
                "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
                " VALUES (?, ?, ?, ?, ?, '2025-01-01')",
                [f"t{i}", by_trigger, TABLE, i, text],
            )
    ours = [e[:8] for e in _row_history(store, bulk)]
    theirs = [e[:8] for e in _row_history(store, by_trigger)]
    assert ours == theirs and len(ours) == 51
    assert verify(store).ok


def test_triggers_are_back_after_an_import_and_after_a_cancel(store: Store) -> None:
    questionnaire = current_questionnaire()
    dept = store.add_department("Home Office", "HO").id
    before = _triggers(store)
    assert set(_SET_ASIDE) <= before
    done: list[int] = []
    with pytest.raises(Cancelled):
        _import(
            store, questionnaire, dept, "2025", CELLS,
            progress=lambda n, _t: done.append(n), should_cancel=lambda: bool(done),
        )  # fmt: skip
    assert done and _triggers(store) == before
    assert store.conn.execute("SELECT count(*) FROM table_rows").fetchone()[0] == 0
    audit = _import(store, questionnaire, dept, "2025", CELLS[:10])
    assert _triggers(store) == before
    # A row added behind the app's back is still recorded (unsealed), and verify names it.
    with sqlite3.connect(store.path) as other:
        other.execute(
            "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
            " VALUES ('sneaked', ?, ?, 10, '{}', '2025-01-01')",
            [audit, TABLE],
        )
    other.close()
    unsealed = store.conn.execute(
        "SELECT item FROM history WHERE hash IS NULL AND kind = 'row'"
    ).fetchall()
    assert unsealed == [("sneaked",)]
    assert not verify(store).ok


def test_a_signed_off_audit_takes_no_bulk_rows(store: Store) -> None:
    questionnaire = current_questionnaire()
    dept = store.add_department("Home Office", "HO").id
    audit = store.create_audit(dept, "2025", questionnaire).id
    store.conn.execute("UPDATE audits SET status = 'signed_off' WHERE id = ?", [audit])
    history = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    with pytest.raises(SignedOffError):
        _import(store, questionnaire, dept, "2025", CELLS[:10], audit_id=audit)
    assert store.conn.execute("SELECT count(*) FROM table_rows").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM history").fetchone()[0] == history
    assert set(_SET_ASIDE) <= _triggers(store)


def test_an_import_drops_the_audits_kept_figures(store: Store) -> None:
    questionnaire = current_questionnaire()
    dept = store.add_department("Home Office", "HO").id
    audit = _import(store, questionnaire, dept, "2025", CELLS[:5])
    store.conn.execute(
        "INSERT INTO score_cache (audit_id, fingerprint, figures) VALUES (?, 'f', '{}')", [audit]
    )
    store.conn.commit()
    other = ImportSource("other.csv", "cd" * 32, "test-layout")
    _import(store, questionnaire, dept, "2025", CELLS[5:10], audit_id=audit, source=other)
    assert store.conn.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 0


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)
batches = st.lists(
    st.lists(st.dictionaries(st.sampled_from(["a", "b", "ç"]), cell_values), max_size=30),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=batches, edits=st.lists(st.integers(min_value=0, max_value=200), max_size=4))
def test_any_mix_of_imports_and_edits_leaves_a_sound_chain(
    tmp_path: Path, batches: list[list[dict[str, Any]]], edits: list[int]
) -> None:
    """Imports between typed edits and an import into the same audit again: verify is clean."""
    questionnaire = current_questionnaire()
    path = tmp_path / f"ws-{abs(hash((repr(batches), repr(edits))))}.sqlite"
    with Store(path, durable=False) as store:
        dept = store.add_department("Home Office", "HO").id
        audit = store.create_audit(dept, "2025", questionnaire).id
        for number, cells in enumerate(batches):
            store.set_answer(audit, "digital_leader_post", f"post {number}")
            source = ImportSource(f"file{number}.csv", f"{number:064x}", "test-layout")
            _import(store, questionnaire, dept, "2025", cells, audit_id=audit, source=source)
            rows = store.rows(audit, TABLE)
            for edit in edits:
                if rows:
                    row = rows[edit % len(rows)]
                    store.set_cells(audit, [(row.id, "headcount", edit)])
        total = sum(len(c) for c in batches)
        assert len(store.rows(audit, TABLE)) == total
        report = verify(store)
        assert report.ok, report.text()


# Any text SQLite can store (no lone surrogates), and positions past 64 bits, which orjson
# refuses and link_hash's `json` path encodes: both paths must hash as chain does.
any_text = st.text(max_size=12)
bulk_rows = st.lists(
    st.tuples(
        any_text,
        st.sampled_from(["audit-1", "audit-2"]),
        any_text,
        st.integers(min_value=-(2**70), max_value=2**70),
        any_text,
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=bulk_rows, own=st.booleans(), note=any_text, who=any_text)
def test_bulk_entries_are_the_fields_and_hashes_chain_gives(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[tuple[str, str, str, int, str]],
    own: bool,
    note: str,
    who: str,
) -> None:
    """The bulk writer's own loop seals each entry exactly as history_chain.chain would."""
    monkeypatch.setattr(os, "urandom", lambda n: bytes(i % 251 for i in range(n)))
    at = "2025-01-01T00:00:00.000"
    full = [(*row, at) for row in rows]
    entries = sealed_entries(store.conn, full, 40, at, who, own=own, note=note)
    expected = chain(
        store.conn,
        [
            (40 + i, a, "row", r, q, None, c, None, p, at, "", "", None)
            for i, (r, a, q, p, c) in enumerate(rows)
        ],
        who,
        own=own,
        note=note,
    )
    for entry, (fields, digest) in zip(entries, expected, strict=True):
        seq, audit, item, question, new, position, when, by, said, origin, hashed = entry
        assert [seq, audit, "row", item, question, None, new, None, position, when, by, said,
                origin] == fields  # fmt: skip
        assert hashed == digest
