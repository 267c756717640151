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
import sqlite3
from collections.abc import Callable, Iterator, Sequence

from models.history_chain import CHAINED, chain, last_seq, seal, set_head
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
    fields = [
        (first + i, audit_id, "row", row_id, question_id, None, cells, None, position, at,
         "", "", None)
        for i, (row_id, audit_id, question_id, position, cells, _) in enumerate(rows)
    ]  # fmt: skip
    sealed = chain(conn, fields, who, own=own, note=note)
    conn.executemany(
        f"INSERT INTO history ({', '.join(CHAINED)}, hash)"
        f" VALUES ({', '.join('?' * (len(CHAINED) + 1))})",
        ((*f, digest) for f, digest in sealed),
    )
    set_head(conn, int(sealed[-1][0][0]), sealed[-1][1])


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
