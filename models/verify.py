"""Checking a workspace: is its recorded history intact, and does the content agree with it?

An edit made behind the app's back (the sqlite3 shell, another program) shows up as one of:

1. a break in the hash chain over sealed history: an entry edited, deleted or reordered;
   the chain's last entry must be the one the app last sealed (meta 'history_head');
2. an unsealed history entry: the triggers recorded a change the app did not make;
3. content that differs from its last recorded change: written with the triggers dropped;
4. a signed-off audit whose content no longer matches the content hash taken at sign-off;
5. SQLite's own integrity and foreign-key checks failing.

Everything here only reads, inside one read transaction, so the workspace is never changed.
The chain's end is also recorded outside the file (models/chain_anchor.py): the sidecar
beside the workspace, compared every time, and a backup, package or report's printed chain
head given with `verify --against`. History cut short with its recorded end pointed back
fails against any of them made after the cut entries were sealed.

What it cannot catch: someone who recomputes the whole chain and its recorded end, and
also rewrites or deletes every outside record within their reach (the sidecar is only as
safe as the folder), can forge history; records beyond their reach (a printed report, a
package sent away, a backup kept elsewhere) are the outside anchors.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.chain_anchor import AnchorError, ChainHead, SignOffSeal, read_sidecar
from models.content_hash import content_hash, short
from models.history_chain import head
from models.progress import Progress
from models.store import Store
from models.verify_anchors import anchor_problems, identity_problems, seal_problems
from models.verify_chain import _chain_problems, _deleted_unsealed, _gaps
from models.verify_names import (
    CHAIN,
    CONTENT,
    DATABASE,
    OUTSIDE,
    SIGNED_OFF,
    WORKSPACE,
    Problem,
    _Names,
    _row_change,
    _shown,
)

__all__ = [  # Problem and the check names live in verify_names; importers keep using this module
    "CHAIN",
    "CONTENT",
    "DATABASE",
    "OUTSIDE",
    "SIGNED_OFF",
    "WORKSPACE",
    "Problem",
    "Progress",
    "VerifyReport",
    "verify",
]


@dataclass
class VerifyReport:
    """What verify found: the counts it checked, and every problem."""

    audits: int = 0
    changes: int = 0  # history entries
    sealed: int = 0
    signed_off: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def chain_intact(self) -> bool:
        return not any(p.check == CHAIN for p in self.problems)

    def summary(self) -> str:
        """One line: "OK: 12 audits, 3,456 recorded changes, chain intact", or the count."""
        if self.ok:
            return (
                f"OK: {self.audits:,} audit{'s' if self.audits != 1 else ''}, "
                f"{self.changes:,} recorded change{'s' if self.changes != 1 else ''}, "
                "chain intact"
            )
        count = len(self.problems)
        audits = len({p.audit_id for p in self.problems if p.audit_id})
        where = [f"in {audits} audit{'s' if audits != 1 else ''}"] if audits else []
        if any(not p.audit_id for p in self.problems):
            where.append("across the workspace")
        return (
            f"{count:,} problem{'s' if count != 1 else ''} found {' and '.join(where)}; "
            f"{self.audits:,} audits, {self.changes:,} recorded changes checked"
        )

    def text(self) -> str:
        """The report as plain text: the summary, then each audit's problems, one a line."""
        lines = [self.summary()]
        for _audit_id, label, problems in self.by_audit():
            lines += ["", label]
            for problem in problems:
                when = f" [{problem.when_text}]" if problem.when else ""
                lines.append(f"  {problem.record}: {problem.problem}{when}")
        return "\n".join(lines) + "\n"

    def by_audit(self) -> list[tuple[str, str, list[Problem]]]:
        """(audit id, audit label, problems) with workspace-wide problems first, then by label."""
        groups: dict[str, tuple[str, list[Problem]]] = {}
        for problem in self.problems:
            groups.setdefault(problem.audit_id, (problem.audit, []))[1].append(problem)
        ordered = sorted(groups.items(), key=lambda g: (g[0] != "", g[1][0].lower()))
        return [
            (audit_id, label, sorted(found, key=lambda p: p.seq))
            for audit_id, (label, found) in ordered
        ]


def verify(
    store: Store,
    progress: Progress | None = None,
    against: Sequence[ChainHead | SignOffSeal] = (),
) -> VerifyReport:
    """Check the workspace without writing to it; see the module docstring for the checks.

    `against`: chain heads recorded outside the file (a backup's, a package's, a report's),
    and sign-off seals printed on reports;
    the sidecar kept beside the workspace is always compared when it is there.
    """
    conn = store.conn
    report = progress or _no_progress
    anchors = [a for a in against if isinstance(a, ChainHead)]
    seals = [a for a in against if isinstance(a, SignOffSeal)]
    try:
        kept = read_sidecar(store.path)
    except AnchorError as exc:
        kept = None
        unreadable = str(exc)
    else:
        unreadable = ""
    if kept is not None:
        anchors.insert(0, kept)
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one consistent snapshot; a read transaction writes nothing
    try:
        result = _verify(conn, report)
        from models.evidence_verify import evidence_problems

        result.problems += evidence_problems(conn, store.path, _Names(conn))
        recorded_end, _ = head(conn)
        broken = not result.chain_intact
        names = _Names(conn) if seals else None
        for seal in seals:
            assert names is not None
            result.problems += [
                Problem(audit_id, names.audit(audit_id), record, what, check=SIGNED_OFF)
                for audit_id, (record, what, _seq) in seal_problems(conn, seal)
            ]  # fmt: skip
        for anchor in anchors:
            if broken and anchor.seq <= recorded_end and not _hash_at(conn, anchor.seq):
                continue  # the file's own record of its end already says these were removed
            result.problems += [
                Problem("", WORKSPACE, record, what, check=CHAIN, seq=seq)
                for record, what, seq in anchor_problems(conn, anchor)
            ]
        if unreadable:
            result.problems.append(
                Problem("", WORKSPACE, "the chain head kept beside the workspace", unreadable,
                        check=CHAIN)
            )  # fmt: skip
        return result
    finally:
        if began and conn.in_transaction:
            conn.execute("ROLLBACK")


def _hash_at(conn: sqlite3.Connection, seq: int) -> str:
    row = conn.execute("SELECT hash FROM history WHERE seq = ?", [seq]).fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def _no_progress(done: int, total: int) -> None:
    """Report nothing."""


def _verify(conn: sqlite3.Connection, progress: Progress) -> VerifyReport:
    names = _Names(conn)
    result = VerifyReport(audits=len(names.audits))
    result.changes, result.sealed = conn.execute(
        "SELECT count(*), count(hash) FROM history"
    ).fetchone()
    signed_off = [
        str(r[0]) for r in conn.execute("SELECT id FROM audits WHERE status = 'signed_off'")
    ]
    result.signed_off = len(signed_off)
    found = result.problems
    progress(0, 100)
    found += _database_problems(conn, names)
    found += _trigger_problems(conn)
    progress(15, 100)
    gaps = _gaps(conn)
    chain, leftover = _chain_problems(conn, names, gaps, result.sealed, progress)
    found += chain
    found += _deleted_unsealed(leftover)
    progress(70, 100)
    found += _outside_changes(conn, names)
    found += _content_problems(conn, names)
    progress(85, 100)
    for i, audit_id in enumerate(signed_off):
        found += _signed_off_problems(conn, names, audit_id)
        progress(85 + 15 * (i + 1) // max(1, len(signed_off)), 100)
    progress(100, 100)
    return result


# ---------------------------------------------------------------- 5. the database file
def _database_problems(conn: sqlite3.Connection, names: _Names) -> list[Problem]:
    found = [
        Problem(
            "",
            WORKSPACE,
            "database file",
            f"SQLite's integrity check reports: {msg}",
            check=DATABASE,
        )
        for (msg,) in conn.execute("PRAGMA integrity_check")
        if msg != "ok"
    ]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        column = "id" if table == "audits" else "audit_id"
        try:
            row = conn.execute(
                f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', [rowid]
            ).fetchone()
        except sqlite3.Error:  # a table without that column: the workspace as a whole
            row = None
        audit_id = str(row[0]) if row and row[0] is not None else ""
        found.append(
            Problem(
                audit_id if audit_id in names.audits else "",
                names.audit(audit_id) if audit_id in names.audits else WORKSPACE,
                f"{table} record {rowid}",
                f"refers to a {parent} record that does not exist (foreign key check)",
                check=DATABASE,
            )
        )
    return found


@functools.cache
def _expected_triggers() -> dict[str, str]:
    """The triggers a workspace of this version has: those of a new one, made in memory."""
    import sqlite_utils

    from models.migrations import migrate

    conn = sqlite3.connect(":memory:")
    try:
        migrate(sqlite_utils.Database(conn), 0)
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        conn.close()


def _trigger_problems(conn: sqlite3.Connection) -> list[Problem]:
    """History and the signed-off lock rest on triggers: one dropped or altered is reported."""
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    problems = []
    for name, sql in _expected_triggers().items():
        if name not in found:
            why = "is missing: changes it should record or refuse can go unnoticed"
        elif found[name] != sql:
            why = "was altered: it no longer does what the app made it to do"
        else:
            continue
        problems.append(Problem("", WORKSPACE, f"trigger {name}", why, check=DATABASE))
    for name in sorted(set(found) - set(_expected_triggers())):
        problems.append(
            Problem("", WORKSPACE, f"trigger {name}", "was added outside the app", check=DATABASE)
        )
    return problems


# ---------------------------------------------------------------- 2. changes outside the app
def _outside_changes(conn: sqlite3.Connection, names: _Names) -> list[Problem]:
    found = []
    for seq, audit_id, kind, item, question_id, old, new, old_pos, new_pos, at in conn.execute(
        "SELECT seq, audit_id, kind, item, question_id, old, new, old_position, new_position,"
        " at FROM history WHERE hash IS NULL ORDER BY seq"
    ):
        position = new_pos if new_pos is not None else old_pos
        record = names.record(kind, audit_id, item, question_id, position)
        if kind == "row":
            change = _row_change(old, new, old_pos, new_pos)
        elif old is None:
            change = f"set to {_shown(kind, new)}"
        elif new is None:
            change = f"cleared (it was {_shown(kind, old)})"
        else:
            change = f"from {_shown(kind, old)} to {_shown(kind, new)}"
        owner = str(item if kind == "audit" else audit_id)  # a move or rename: its audit
        found.append(
            Problem(
                owner,
                names.audit(owner),
                record,
                f"changed outside the app (history entry {seq}): {change}",
                when=str(at),
                check=OUTSIDE,
                seq=int(seq),
            )
        )
    return found


# ---------------------------------------------------------------- 3. content vs history
_KINDS = (  # kind, table, key column, value column, position column
    ("answer", "answers", "question_id", "value", None),
    ("comment", "comments", "question_id", "text", None),
    ("row", "table_rows", "id", "cells", "position"),
    ("evidence", "evidence", "id", "record", None),  # its metadata as JSON (migration v8)
)
_BYPASSED = "with history recording bypassed"


def _content_problems(conn: sqlite3.Connection, names: _Names) -> list[Problem]:
    """Every stored record must be what its last recorded change left, and no more."""
    found: list[Problem] = []
    for kind, table, key, value, pos in _KINDS:
        position = f"t.{pos}" if pos else "NULL"
        moved = f" OR h.new_position IS NOT t.{pos}" if pos else ""
        for audit_id, item, question_id, current, at_pos, seq, new, new_pos in conn.execute(
            f"SELECT t.audit_id, t.{key}, t.question_id, t.{value}, {position}, h.seq, h.new,"
            f" h.new_position FROM {table} t LEFT JOIN history h ON h.seq = (SELECT max(seq)"
            f" FROM history WHERE audit_id = t.audit_id AND kind = '{kind}' AND item = t.{key})"
            f" WHERE h.seq IS NULL OR h.new IS NOT t.{value}{moved}"
        ):
            record = names.record(kind, audit_id, item, question_id, at_pos)
            if seq is None:
                what = (
                    f"is not in the recorded history: it was added {_BYPASSED}, or its "
                    "history was deleted"
                )
            elif new is None:
                what = (
                    f"is present, but its recorded history says it was deleted (history entry "
                    f"{seq}): it was put back {_BYPASSED}"
                )
            elif new != current:
                shown = (
                    _row_change(new, current, None, None)
                    if kind == "row"
                    else (
                        f"holds {_shown(kind, current)}, but its recorded history says "
                        f"{_shown(kind, new)}"
                    )
                )
                if kind == "row":
                    shown = f"differs from its recorded history: {shown}"
                what = (
                    f"{shown} (history entry {seq}): changed {_BYPASSED}, or the history was edited"
                )
            else:
                what = (
                    f"is row {int(at_pos) + 1}, but its recorded history puts it at row "
                    f"{int(new_pos) + 1 if new_pos is not None else '?'} (history entry {seq}): "
                    f"moved {_BYPASSED}"
                )
            found.append(
                Problem(
                    str(audit_id),
                    names.audit(str(audit_id)),
                    record,
                    what,
                    check=CONTENT,
                    seq=int(seq or 0),
                )
            )
    absent = " ".join(
        f"WHEN '{kind}' THEN NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = l.item"
        " AND t.audit_id = l.audit_id)"
        for kind, table, key, _value, _pos in _KINDS
    )
    for audit_id, kind, item, question_id, seq, new, new_pos in conn.execute(
        "SELECT h.audit_id, h.kind, h.item, h.question_id, h.seq, h.new, h.new_position FROM"
        " (SELECT audit_id, kind, item, max(seq) AS seq FROM history"
        " GROUP BY audit_id, kind, item) l JOIN history h ON h.seq = l.seq"
        f" WHERE CASE l.kind {absent} ELSE 0 END AND h.new IS NOT NULL"
    ):
        record = names.record(kind, audit_id, item, question_id, new_pos)
        found.append(
            Problem(
                str(audit_id),
                names.audit(str(audit_id)),
                record,
                f"is missing, but its recorded history says it holds {_shown(kind, new)} "
                f"(history entry {seq}): deleted {_BYPASSED}",
                check=CONTENT,
                seq=int(seq),
            )
        )
    for (audit_id,) in conn.execute(
        "SELECT id FROM audits a WHERE NOT EXISTS (SELECT 1 FROM history WHERE"
        " audit_id = a.id AND kind = 'status' AND item = a.id)"
    ):
        found.append(
            Problem(
                str(audit_id),
                names.audit(str(audit_id)),
                "status of the audit",
                f"has no recorded creation or status: added {_BYPASSED}",
                check=CONTENT,
            )
        )
    for audit_id, status, seq, new in conn.execute(
        "SELECT a.id, a.status, h.seq, h.new FROM audits a JOIN history h ON h.seq = (SELECT"
        " max(seq) FROM history WHERE audit_id = a.id AND kind = 'status' AND item = a.id)"
        " WHERE h.new IS NOT a.status"
    ):
        found.append(
            Problem(
                str(audit_id),
                names.audit(str(audit_id)),
                "status of the audit",
                f"is {_shown('status', status)}, but its recorded history says "
                f"{_shown('status', new)} (history entry {seq}): changed {_BYPASSED}",
                check=CONTENT,
                seq=int(seq),
            )
        )
    return found


# ---------------------------------------------------------------- 4. signed-off audits
def _signed_off_problems(conn: sqlite3.Connection, names: _Names, audit_id: str) -> list[Problem]:
    stored = conn.execute("SELECT content_hash FROM audits WHERE id = ?", [audit_id]).fetchone()
    kept = str(stored[0]) if stored else ""
    label = names.audit(audit_id)
    record = "content hash taken at sign-off"
    if not kept:
        return [
            Problem(
                audit_id,
                label,
                record,
                "the audit is signed off but has no content hash: it was marked signed off "
                "outside the app, or its hash was removed",
                check=SIGNED_OFF,
            )
        ]
    identity = [
        Problem(audit_id, label, record_, what, check=SIGNED_OFF, seq=seq)
        for record_, what, seq in identity_problems(conn, audit_id)
    ]
    now = content_hash(conn, audit_id)
    if now == kept:
        return identity
    return [
        *identity,
        Problem(
            audit_id,
            label,
            record,
            f"changed after sign-off: its content now hashes to {short(now)}, not the "
            f"{short(kept)} taken when it was signed off",
            check=SIGNED_OFF,
        ),
    ]
