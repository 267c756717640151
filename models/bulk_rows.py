"""Table rows added in bulk, their history written and sealed set-wise in the same pass.

An import adds 100,000 rows in one transaction. Row by row, the triggers record each one
(models/migrations.py) and the seal then reads every entry back, hashes it and updates
it. Here the two triggers' work is done once for the lot instead: the history entries are
written as the triggers would write them, already carrying who, note, change id and
chain hash exactly as `seal` would give them (models/history_chain.chain), and the
audits' kept figures dropped once. The triggers are set aside only inside the caller's
transaction, which holds the write lock, and put back before it ends: no other writer can
slip a change past them, and a rollback restores them with everything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import orjson

from models.history_chain import (
    CHAINED,
    head,
    last_seq,
    link_hash,
    seal,
    set_head,
    workspace_id,
)
from models.migrations import _STAMP

# (id, audit_id, question_id, position, cells as stored JSON text, updated_at)
Row = tuple[str, str, str, int, str, str]

# The per-row triggers whose work this module does once per batch instead.
_SET_ASIDE = (
    "table_rows_insert_history",
    "table_rows_insert_drops_scores",
    "table_rows_insert_signed_off",
)
SIGNED_OFF = "baseline: the audit is signed off"  # the trigger's words, which Store reports


@contextlib.contextmanager
def row_writer(
    conn: sqlite3.Connection, after: int, who: str, *, own: bool = True, note: str = ""
) -> Iterator[Callable[[Sequence[Row]], None]]:
    """Yield a function that inserts table rows with one sealed 'row' history entry each.

    Runs inside the caller's transaction. What it recorded after seq `after` and has not
    sealed yet is sealed first, as `seal` would at commit: the chain runs in seq order.
    """
    if not conn.in_transaction:
        raise RuntimeError("row_writer runs inside the caller's transaction")
    seal(conn, after, who, own=own, note=note)
    with _set_aside(conn) as complete:

        def insert(rows: Sequence[Row]) -> None:
            if complete:
                _refuse_signed_off(conn, {row[1] for row in rows})
            conn.executemany(
                "INSERT INTO table_rows (id, audit_id, question_id, position, cells,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            if complete and rows:  # else the schema's own triggers did (or never do) it
                _record(conn, rows, who, own=own, note=note)

        yield insert


def _refuse_signed_off(conn: sqlite3.Connection, audits: set[str]) -> None:
    """What the signed-off trigger does per row, once: a signed-off audit takes no rows.

    The caller's transaction holds the write lock, so no status changes under the batch.
    """
    for audit_id in sorted(audits):
        found = conn.execute("SELECT status FROM audits WHERE id = ?", [audit_id]).fetchone()
        if found is not None and found[0] == "signed_off":
            raise sqlite3.IntegrityError(SIGNED_OFF)


def _record(
    conn: sqlite3.Connection, rows: Sequence[Row], who: str, *, own: bool, note: str
) -> None:
    """What the set-aside triggers would have done for these rows, sealed as `seal` would."""
    audits = sorted({row[1] for row in rows})
    conn.executemany("DELETE FROM score_cache WHERE audit_id = ?", [(a,) for a in audits])
    highest = conn.execute("SELECT max(seq) FROM history").fetchone()[0] or 0
    first = 1 + max(last_seq(conn), highest)  # as AUTOINCREMENT would number them
    at = conn.execute(f"SELECT {_STAMP}").fetchone()[0]
    entries = sealed_entries(conn, rows, first, at, who, own=own, note=note)
    conn.executemany(
        f"INSERT INTO history ({', '.join(CHAINED)}, hash)"
        " VALUES (?, ?, 'row', ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?)",
        entries,
    )
    last = entries[-1]
    set_head(conn, int(last[0]), last[-1])


def sealed_entries(
    conn: sqlite3.Connection,
    rows: Sequence[Row],
    first: int,
    at: str,
    who: str,
    *,
    own: bool,
    note: str,
) -> list[tuple[Any, ...]]:
    """Each row's 'row' history entry, numbered from `first` and chained on from the head.

    The same fields and hashes `chain` gives the entries the trigger would have written
    (tests/models/test_bulk_rows.py compares them), built straight into the tuples the
    insert binds: kind 'row', no old value and no old position are written as constants.
    """
    _, previous = head(conn)
    workspace = workspace_id(conn) if own else ""
    randomness = os.urandom(4 * len(rows)).hex() if own else ""
    encode, sha256 = orjson.dumps, hashlib.sha256
    entries: list[tuple[Any, ...]] = []
    append = entries.append
    for index, (row_id, audit_id, question_id, position, cells, _) in enumerate(rows):
        seq = first + index
        origin = f"{workspace}:{seq}:{randomness[8 * index : 8 * index + 8]}" if own else None
        try:
            data = encode(
                [previous, seq, audit_id, "row", row_id, question_id, None, cells, None,
                 position, at, who, note, origin]
            )  # fmt: skip
        except (orjson.JSONEncodeError, TypeError):  # what orjson refuses, `json` encodes
            fields = (seq, audit_id, "row", row_id, question_id, None, cells, None, position,
                      at, who, note, origin)  # fmt: skip
            previous = link_hash(previous, fields)
        else:
            previous = sha256(data).hexdigest()
        append((seq, audit_id, row_id, question_id, cells, position, at, who, note, origin,
                previous))  # fmt: skip
    return entries


@contextlib.contextmanager
def _set_aside(conn: sqlite3.Connection) -> Iterator[bool]:
    """Drop the per-row triggers for the block and recreate them as they were after it.

    Yields whether all of them were there to set aside; if not, none is dropped and the
    rows go through whatever triggers the schema has.
    """
    marks = ", ".join("?" * len(_SET_ASIDE))
    saved = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        _SET_ASIDE,
    ).fetchall()
    if len(saved) != len(_SET_ASIDE):
        yield False
        return
    for name, _sql in saved:
        conn.execute(f'DROP TRIGGER "{name}"')
    try:
        yield True
    finally:
        # A failure that ended the transaction has restored them already (rolled back).
        if conn.in_transaction:
            there = {r[0] for r in conn.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                _SET_ASIDE,
            )}  # fmt: skip
            for name, sql in saved:
                if name not in there:
                    conn.execute(sql)
