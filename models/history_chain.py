"""The hash chain over recorded history: each change the app makes is sealed into it.

Triggers record every change (models/migrations.py); the app then seals the rows its own
transaction recorded: who made them, a change id other workspaces can recognise, and a
hash over the row and the hash before it. A row changed, deleted or moved after sealing
breaks the chain; a change made behind the app's back is recorded but never sealed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

# The columns a seal covers, in the order they are hashed.
CHAINED = (
    "seq", "audit_id", "kind", "item", "question_id", "old", "new", "old_position",
    "new_position", "at", "who", "note", "origin",
)  # fmt: skip
HEAD_KEY = "history_head"
GENESIS = ""


@dataclass(frozen=True)
class Link:
    """One sealed history row as read back: its fields, and the hash stored with it."""

    fields: tuple[Any, ...]
    hash: str

    @property
    def seq(self) -> int:
        return int(self.fields[0])


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def link_hash(previous: str, fields: Sequence[Any]) -> str:
    """The hash of one row chained to the hash before it.

    orjson writes the same bytes as compact `json` for the text, whole numbers and nulls a
    history row holds (tests/models/test_history_chain.py checks) in a fraction of the time;
    what it refuses (numbers past 64 bits, lone surrogates) goes through `json` as before.
    """
    try:
        data = orjson.dumps([previous, *fields])
    except (orjson.JSONEncodeError, TypeError):
        data = _encode([previous, *fields]).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def workspace_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'workspace_id'").fetchone()
    return str(row[0]) if row else ""


def last_seq(conn: sqlite3.Connection) -> int:
    """The highest history seq ever given out (AUTOINCREMENT keeps it even after deletes)."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'history'").fetchone()
    return int(row[0]) if row else 0


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the last sealed row, as the app last wrote it."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [HEAD_KEY]).fetchone()
    if not row:
        return 0, GENESIS
    seq, _, digest = str(row[0]).partition(":")
    return int(seq), digest


def seal(
    conn: sqlite3.Connection, after: int, who: str, *, own: bool = True, note: str = ""
) -> int:
    """Seal the unsealed rows recorded after seq `after`; returns how many.

    `own` changes get a change id ("<workspace>:<seq>:<random>"); changes brought in from another
    workspace's package (own=False) keep none here, their ids live in absorbed_changes.
    """
    rows = conn.execute(
        f"SELECT {', '.join(CHAINED)} FROM history WHERE seq > ? AND hash IS NULL ORDER BY seq",
        [after],
    ).fetchall()
    if not rows:
        return 0
    sealed = chain(conn, rows, who, own=own, note=note)
    # One statement for the lot.
    conn.executemany(
        "UPDATE history SET who = ?, note = ?, origin = ?, hash = ? WHERE seq = ?",
        ((f[10], f[11], f[12], digest, f[0]) for f, digest in sealed),
    )
    set_head(conn, int(sealed[-1][0][0]), sealed[-1][1])
    return len(rows)


def chain(
    conn: sqlite3.Connection,
    rows: Sequence[Sequence[Any]],
    who: str,
    *,
    own: bool = True,
    note: str = "",
) -> list[tuple[list[Any], str]]:
    """Each row's sealed fields (CHAINED order) and hash, chained on from the head.

    Shared by `seal` and by rows written already sealed (models/bulk_rows.py), so both
    seal exactly alike; the caller stores them and moves the head to the last.
    """
    _, previous = head(conn)
    workspace = workspace_id(conn) if own else ""
    # The random part keeps ids apart in copies of one file (which share the workspace
    # id) and after a restored backup hands out the same seq numbers again.
    randomness = os.urandom(4 * len(rows)).hex() if own else ""
    sealed = []
    for index, row in enumerate(rows):
        fields = list(row)
        seq = int(fields[0])
        fields[10] = who
        fields[11] = fields[11] or note
        fields[12] = f"{workspace}:{seq}:{randomness[8 * index : 8 * index + 8]}" if own else None
        previous = link_hash(previous, fields)
        sealed.append((fields, previous))
    return sealed


def set_head(conn: sqlite3.Connection, seq: int, digest: str) -> None:
    """Record (seq, hash) of the last sealed row: where the next seal chains on."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [HEAD_KEY, f"{seq}:{digest}"],
    )


def seal_all(conn: sqlite3.Connection, who: str) -> int:
    """Seal everything unsealed: only when history first becomes a chain (migration v5)."""
    return seal(conn, 0, who)


def links(conn: sqlite3.Connection) -> Iterator[Link]:
    """Every sealed row in chain order."""
    cursor = conn.execute(
        f"SELECT {', '.join(CHAINED)}, hash FROM history WHERE hash IS NOT NULL ORDER BY seq"
    )
    for row in cursor:
        yield Link(tuple(row[:-1]), str(row[-1]))
