"""The workspace's answers, comments and table rows: reading them and every edit to them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from models.json_text import loads
from models.records import Row
from models.store_base import StoreBase, _dump, _new_id, _now
from models.values import is_empty

_IDS_PER_QUERY = 500  # audit ids bound in one IN (...): far below SQLite's limit
# Joins stored rows in table_texts: a control character, which valid JSON text never holds
# raw (inside a string it must be escaped, and it is not whitespace between tokens).
ROW_SEPARATOR = "\x1e"


class StoreContent(StoreBase):
    """Answers, comments and table rows of audits (part of Store)."""

    # ------------------------------------------------------------------ answers
    def answers(self, audit_id: str) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT question_id, value FROM answers WHERE audit_id = ?", [audit_id]
        ).fetchall()
        return {qid: loads(value) for qid, value in rows}

    def answer(self, audit_id: str, question_id: str) -> Any:
        row = self.conn.execute(
            "SELECT value FROM answers WHERE audit_id = ? AND question_id = ?",
            [audit_id, question_id],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def set_answer(self, audit_id: str, question_id: str, value: Any) -> None:
        """Store an answer (None, '' or [] clears it) and commit."""
        now = _now()
        with self.transaction("save the answer"):
            if is_empty(value):
                self.conn.execute(
                    "DELETE FROM answers WHERE audit_id = ? AND question_id = ?",
                    [audit_id, question_id],
                )
            else:
                self.conn.execute(
                    "INSERT INTO answers (audit_id, question_id, value, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (audit_id, question_id)"
                    " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    [audit_id, question_id, _dump(value), now],
                )
            self._touch(audit_id, now)

    def comments(self, audit_id: str) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT question_id, text FROM comments WHERE audit_id = ?", [audit_id]
        ).fetchall()
        return dict(rows)

    def set_comment(self, audit_id: str, question_id: str, text: str) -> None:
        """The auditor's comment on a question ('' removes it)."""
        now = _now()
        with self.transaction("save the comment"):
            if not text:
                self.conn.execute(
                    "DELETE FROM comments WHERE audit_id = ? AND question_id = ?",
                    [audit_id, question_id],
                )
            else:
                self.conn.execute(
                    "INSERT INTO comments (audit_id, question_id, text, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (audit_id, question_id)"
                    " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    [audit_id, question_id, text, now],
                )
            self._touch(audit_id, now)

    # ------------------------------------------------------------------ table rows
    def rows(
        self, audit_id: str, table_id: str, *, start: int = 0, limit: int | None = None
    ) -> list[Row]:
        """A table's rows in order; `start` and `limit` read a page (positions are 0..n-1)."""
        sql = (
            "SELECT id, position, cells FROM table_rows WHERE audit_id = ? AND question_id = ?"
            " AND position >= ? ORDER BY position"
        )
        params: list[Any] = [audit_id, table_id, start]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cursor = self.conn.execute(sql, params)
        return [Row(rid, pos, raw=cells) for rid, pos, cells in cursor]

    def all_cells(self, audit_id: str) -> list[tuple[str, str]]:
        """(table id, cells as stored JSON) of every row of the audit, each table in order."""
        return self.conn.execute(
            "SELECT question_id, cells FROM table_rows WHERE audit_id = ?"
            " ORDER BY question_id, position",
            [audit_id],
        ).fetchall()

    def cells_of(self, audit_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(audit id, table id, cells as stored JSON) of every row of several audits, each
        audit's tables in the order all_cells gives them: one query instead of one each."""
        found: list[tuple[str, str, str]] = []
        for first in range(0, len(audit_ids), _IDS_PER_QUERY):
            chunk = list(audit_ids[first : first + _IDS_PER_QUERY])
            found += self.conn.execute(
                "SELECT audit_id, question_id, cells FROM table_rows"
                f" WHERE audit_id IN ({', '.join('?' * len(chunk))})"
                " ORDER BY audit_id, question_id, position",
                chunk,
            ).fetchall()
        return found

    def table_texts(self, audit_ids: Sequence[str]) -> list[tuple[str, str, int, str, str]]:
        """Each table of several audits as (audit id, table id, row count, the rows' stored
        cells joined by ROW_SEPARATOR, their positions joined by commas), both in the same
        row order: one row per table from SQLite, where cells_of gives one per table row.

        The order within a table is whatever SQLite visited; the positions say what it was.
        """
        found: list[tuple[str, str, int, str, str]] = []
        for first in range(0, len(audit_ids), _IDS_PER_QUERY):
            chunk = list(audit_ids[first : first + _IDS_PER_QUERY])
            found += self.conn.execute(
                "SELECT audit_id, question_id, count(*), group_concat(cells, char(30)),"
                " group_concat(position) FROM table_rows"
                f" WHERE audit_id IN ({', '.join('?' * len(chunk))})"
                " GROUP BY audit_id, question_id",
                chunk,
            ).fetchall()
        return found

    def row_totals(self, audit_ids: Sequence[str]) -> dict[str, int]:
        """How many table rows each audit has (every id present), from the index alone."""
        found = dict.fromkeys(audit_ids, 0)
        for first in range(0, len(audit_ids), _IDS_PER_QUERY):
            chunk = list(audit_ids[first : first + _IDS_PER_QUERY])
            found.update(
                self.conn.execute(
                    "SELECT audit_id, count(*) FROM table_rows"
                    f" WHERE audit_id IN ({', '.join('?' * len(chunk))}) GROUP BY audit_id",
                    chunk,
                ).fetchall()
            )
        return found

    def answers_of(self, audit_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """answers() of several audits by audit id (every id present), in one query."""
        found: dict[str, dict[str, Any]] = {a: {} for a in audit_ids}
        for first in range(0, len(audit_ids), _IDS_PER_QUERY):
            chunk = list(audit_ids[first : first + _IDS_PER_QUERY])
            for audit_id, qid, value in self.conn.execute(
                "SELECT audit_id, question_id, value FROM answers"
                f" WHERE audit_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                found[audit_id][qid] = loads(value)
        return found

    def row_counts(self, audit_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT question_id, count(*) FROM table_rows WHERE audit_id = ? GROUP BY question_id",
            [audit_id],
        ).fetchall()
        return dict(rows)

    def insert_rows(
        self,
        audit_id: str,
        table_id: str,
        position: int,
        cells: Sequence[dict[str, Any]],
        ids: Sequence[str] | None = None,
    ) -> list[Row]:
        """Insert rows at `position` (0 = top), shifting later rows down; commit."""
        if ids is not None and len(ids) != len(cells):
            raise ValueError("ids and cells differ in length")
        new_ids = list(ids) if ids is not None else [_new_id() for _ in cells]
        now = _now()
        count = len(cells)
        with self.transaction("add the rows"):
            self.conn.execute(
                "UPDATE table_rows SET position = position + ? WHERE audit_id = ?"
                " AND question_id = ? AND position >= ?",
                [count, audit_id, table_id, position],
            )
            self.conn.executemany(
                "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (rid, audit_id, table_id, position + i, _dump(c), now)
                    for i, (rid, c) in enumerate(zip(new_ids, cells, strict=True))
                ],
            )
            self._touch(audit_id, now)
        return [
            Row(rid, position + i, dict(c))
            for i, (rid, c) in enumerate(zip(new_ids, cells, strict=True))
        ]

    def delete_rows(self, audit_id: str, table_id: str, row_ids: Iterable[str]) -> None:
        """Delete rows and close the gaps they leave; commit."""
        ids = list(row_ids)
        now = _now()
        with self.transaction("delete the rows"):
            self.conn.executemany(
                "DELETE FROM table_rows WHERE id = ? AND audit_id = ?", [(i, audit_id) for i in ids]
            )
            self._renumber(audit_id, table_id)
            self._touch(audit_id, now)

    def _renumber(self, audit_id: str, table_id: str) -> None:
        self.conn.execute(
            "WITH ordered AS (SELECT id, row_number() OVER (ORDER BY position) - 1 AS n"
            " FROM table_rows WHERE audit_id = ? AND question_id = ?)"
            " UPDATE table_rows SET position = ordered.n FROM ordered"
            " WHERE table_rows.id = ordered.id AND table_rows.position != ordered.n",
            [audit_id, table_id],
        )

    def set_cell(self, audit_id: str, row_id: str, column_id: str, value: Any) -> None:
        """Set one cell (None clears it); commit."""
        now = _now()
        with self.transaction("save the cell"):
            if is_empty(value):
                self.conn.execute(
                    "UPDATE table_rows SET cells = json_remove(cells, ?), updated_at = ?"
                    " WHERE id = ? AND audit_id = ?",
                    [f'$."{column_id}"', now, row_id, audit_id],
                )
            else:
                self.conn.execute(
                    "UPDATE table_rows SET cells = json_set(cells, ?, json(?)), updated_at = ?"
                    " WHERE id = ? AND audit_id = ?",
                    [f'$."{column_id}"', _dump(value), now, row_id, audit_id],
                )
            self._touch(audit_id, now)

    def set_cells(self, audit_id: str, changes: Iterable[tuple[str, str, Any]]) -> None:
        """Set many (row id, column id, value) cells in one commit (a paste)."""
        with self.transaction("save the pasted cells"):
            for row_id, column_id, value in changes:
                self.set_cell(audit_id, row_id, column_id, value)

    def move_row(self, audit_id: str, table_id: str, row_id: str, new_position: int) -> None:
        """Move one row to `new_position` (0-based, among the table's rows); commit."""
        now = _now()
        with self.transaction("move the row"):
            row = self.conn.execute(
                "SELECT position FROM table_rows WHERE id = ? AND audit_id = ?", [row_id, audit_id]
            ).fetchone()
            if row is None:
                raise KeyError(f"no row {row_id}")
            old = int(row[0])
            last = self.conn.execute(
                "SELECT count(*) - 1 FROM table_rows WHERE audit_id = ? AND question_id = ?",
                [audit_id, table_id],
            ).fetchone()[0]
            new_position = max(0, min(new_position, last))  # past either end: to that end
            if old == new_position:
                return
            if new_position > old:
                self.conn.execute(
                    "UPDATE table_rows SET position = position - 1 WHERE audit_id = ?"
                    " AND question_id = ? AND position > ? AND position <= ?",
                    [audit_id, table_id, old, new_position],
                )
            else:
                self.conn.execute(
                    "UPDATE table_rows SET position = position + 1 WHERE audit_id = ?"
                    " AND question_id = ? AND position >= ? AND position < ?",
                    [audit_id, table_id, new_position, old],
                )
            self.conn.execute(
                "UPDATE table_rows SET position = ?, updated_at = ? WHERE id = ?",
                [new_position, now, row_id],
            )
            self._touch(audit_id, now)

    # ------------------------------------------------------------------ bulk (demo, imports)
    def bulk_rows(self, audit_id: str, table_id: str, cells: Sequence[dict[str, Any]]) -> None:
        """Append many rows in one transaction (demo data, imports)."""
        now = _now()
        with self.transaction("add the rows"):
            start = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM table_rows WHERE audit_id = ?"
                " AND question_id = ?",
                [audit_id, table_id],
            ).fetchone()[0]
            self.db.table("table_rows").insert_all(
                (
                    {
                        "id": _new_id(),
                        "audit_id": audit_id,
                        "question_id": table_id,
                        "position": start + i,
                        "cells": _dump(c),
                        "updated_at": now,
                    }
                    for i, c in enumerate(cells)
                ),
                batch_size=1000,
            )
