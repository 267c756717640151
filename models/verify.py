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

import bisect
import functools
import itertools
import json
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.chain_anchor import AnchorError, ChainHead, SignOffSeal, read_sidecar
from models.content_hash import content_hash, short
from models.history_chain import GENESIS, Link, head, last_seq, link_hash, links
from models.json_text import loads
from models.questionnaire import DefinitionError, Questionnaire, get_questionnaire
from models.records import STATUS_LABELS
from models.store import Store
from models.verify_anchors import anchor_problems, identity_problems, seal_problems

Progress = Callable[[int, int], None]  # (done, total); may raise to cancel

CHAIN, OUTSIDE, CONTENT, SIGNED_OFF, DATABASE = (
    "chain",
    "outside the app",
    "content",
    "sign-off",
    "database",
)
WORKSPACE = "Whole workspace"  # the "audit" of problems no single audit owns
REORDER_WINDOW = 64  # how far ahead a moved history entry is looked for
_LABEL_CHARS = 70
_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One thing found wrong, with the audit and the record it touched."""

    audit_id: str  # "" for the workspace as a whole
    audit: str  # "Home Office — 2013 baseline", or WORKSPACE
    record: str  # "answer to '…' (cio_on_board)", "row 3 of …", "history entry 1234"
    problem: str  # what is wrong, in words
    when: str = ""  # when it happened as recorded (UTC, "2024-05-01T14:03:12.345"), if known
    check: str = ""  # which check found it: CHAIN, OUTSIDE, CONTENT, SIGNED_OFF, DATABASE
    seq: int = 0  # the history entry it concerns, for ordering (0: none)

    @property
    def when_text(self) -> str:
        """The time for people: "2024-05-01 14:03:12 UTC"."""
        return f"{self.when[:19].replace('T', ' ')} UTC" if self.when else ""


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


# ---------------------------------------------------------------- naming records
class _Names:
    """Audits and records as people know them: department, cycle, question, table row."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.audits: dict[str, tuple[str, tuple[str, int]]] = {
            str(audit_id): (f"{name} — {cycle}", (str(form), int(version)))
            for audit_id, name, cycle, form, version in conn.execute(
                "SELECT a.id, coalesce(d.name, a.department_name), a.cycle, a.questionnaire_id,"
                " a.questionnaire_version FROM audits a LEFT JOIN departments d"
                " ON d.id = a.department_id"
            )
        }
        self._forms: dict[tuple[str, int], Questionnaire | None] = {}

    def audit(self, audit_id: str) -> str:
        if not audit_id:
            return WORKSPACE
        known = self.audits.get(audit_id)
        return known[0] if known else f"audit {audit_id} (no longer in the workspace)"

    def _form(self, audit_id: str) -> Questionnaire | None:
        known = self.audits.get(audit_id)
        if known is None:
            return None
        key = known[1]
        if key not in self._forms:
            try:
                self._forms[key] = get_questionnaire(*key)
            except DefinitionError:
                self._forms[key] = None
        return self._forms[key]

    def question(self, audit_id: str, question_id: str) -> str:
        """The question's label and id, or the id alone when the form lacks it."""
        form = self._form(audit_id)
        if form is None or not form.has_question(question_id):
            return question_id
        return f"'{_clip(form.question(question_id).label, _LABEL_CHARS)}' ({question_id})"

    def table(self, audit_id: str, question_id: str) -> str:
        """A table by its section's title ("Senior technology roles"), else its id."""
        form = self._form(audit_id)
        if form is None or not form.has_question(question_id):
            return question_id
        question = form.question(question_id)
        section = form.section(question.section_id)
        tables = [q for q in section.questions if q.is_table]
        return section.title if len(tables) == 1 else _clip(question.label, _LABEL_CHARS)

    def record(
        self, kind: str, audit_id: str, item: str, question_id: str, position: Any = None
    ) -> str:
        """What a history entry or a stored record is about, in words."""
        if kind == "answer":
            return f"answer to {self.question(audit_id, item)}"
        if kind == "comment":
            return f"comment on {self.question(audit_id, item)}"
        if kind == "row":
            if position is None:
                row = self.conn.execute(
                    "SELECT position FROM table_rows WHERE id = ?", [item]
                ).fetchone()
                position = row[0] if row else None
            where = f"row {int(position) + 1}" if position is not None else "a row"
            return f"{where} of {self.table(audit_id, question_id)} (row id {item})"
        if kind == "status":
            return "status of the audit"
        if kind == "audit":
            return f"{question_id.replace('_', ' ')} of {self.audit(item)}"
        if kind == "department":
            return f"department {item}'s {question_id}"
        return f"{kind} {item}"

    def entry(self, link: Link) -> str:
        """A sealed entry and what it is about: "history entry 1234 (answer to …)"."""
        _seq, audit_id, kind, item, question_id, _o, _n, old_pos, new_pos = link.fields[:9]
        position = new_pos if new_pos is not None else old_pos
        about = self.record(str(kind), str(audit_id), str(item), str(question_id), position)
        return f"history entry {link.seq} ({about})"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shown(kind: str, text: str | None) -> str:
    """A stored value as a person reads it: Yes/No, quoted text, lists joined, 'nothing'."""
    if text is None:
        return "nothing"
    if kind in ("comment", "audit", "department"):
        return f'"{_clip(text, _VALUE_CHARS)}"'
    if kind == "status":
        return STATUS_LABELS.get(text, text)
    try:
        value = loads(text)
    except ValueError:
        return f"unreadable text {_clip(text, _VALUE_CHARS)!r}"
    return _plain(value)


def _plain(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return f'"{_clip(value, _VALUE_CHARS)}"'
    if isinstance(value, list):
        return _clip(", ".join(str(v) for v in value), _VALUE_CHARS)
    if isinstance(value, dict):
        return _clip(json.dumps(value, ensure_ascii=False), _VALUE_CHARS)
    return str(value)


def _row_change(old: str | None, new: str | None, old_pos: Any, new_pos: Any) -> str:
    """What happened to a table row: added, deleted, moved, which cells changed."""
    if old is None:
        return f"added, holding {_shown('row', new)}"
    if new is None:
        return f"deleted (it held {_shown('row', old)})"
    parts = []
    if old_pos != new_pos and old_pos is not None and new_pos is not None:
        parts.append(f"moved from row {int(old_pos) + 1} to row {int(new_pos) + 1}")
    try:
        before, after = loads(old), loads(new)
    except ValueError:
        before, after = None, None
    if isinstance(before, dict) and isinstance(after, dict):
        for column in sorted(set(before) | set(after)):
            if before.get(column) != after.get(column):
                parts.append(
                    f"{column} from {_plain(before.get(column))} to {_plain(after.get(column))}"
                )
    elif old != new:
        parts.append(f"cells from {_shown('row', old)} to {_shown('row', new)}")
    return "; ".join(parts) or "rewritten with the same cells"


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


# ---------------------------------------------------------------- 1. the chain
def _gaps(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """Runs of history seqs given out but no longer in the table: (first, last), in order."""
    present = conn.execute("SELECT min(seq), max(seq) FROM history").fetchone()
    given = last_seq(conn)
    if present[0] is None:
        return [(1, given)] if given else []
    runs = [
        (int(a) + 1, int(b) - 1)
        for a, b in conn.execute(
            "SELECT seq, nxt FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS nxt"
            " FROM history) WHERE nxt > seq + 1"
        )
    ]
    if present[0] > 1:
        runs.insert(0, (1, int(present[0]) - 1))
    if given > present[1]:
        runs.append((int(present[1]) + 1, given))
    return runs


def _entries(first: int, last: int) -> str:
    return f"history entry {first}" if first == last else f"history entries {first}–{last}"


class _Lookahead:
    """Sealed history in chain order, with the next few entries visible ahead."""

    def __init__(self, source: Iterator[Link]) -> None:
        self.source = source
        self.buffer: deque[Link] = deque()

    def peek(self, count: int) -> list[Link]:
        while len(self.buffer) < count:
            nxt = next(self.source, None)
            if nxt is None:
                break
            self.buffer.append(nxt)
        return list(itertools.islice(self.buffer, count))

    def take(self) -> Link | None:
        return self.buffer.popleft() if self.buffer else next(self.source, None)

    def put_back(self, link: Link) -> None:
        self.buffer.appendleft(link)


def _chain_problems(
    conn: sqlite3.Connection,
    names: _Names,
    gaps: list[tuple[int, int]],
    sealed: int,
    progress: Progress,
) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Breaks in the chain, worded as edited, deleted or reordered entries, each followed by
    a re-sync so later, independent breaks are reported too; and the gaps left unexplained."""
    found: list[Problem] = []
    explained: set[tuple[int, int]] = set()
    starts = [g[0] for g in gaps]
    chain = _Lookahead(links(conn))
    previous, previous_seq = GENESIS, 0
    end: tuple[int, str] | None = None  # (seq, hash) where the chain ends, as walked
    done = 0
    while (link := chain.take()) is not None:
        done += 1
        if done % 4096 == 0:
            progress(15 + 55 * done // max(1, sealed), 100)
        if link_hash(previous, link.fields) == link.hash:
            previous, previous_seq = link.hash, link.seq
            end = previous_seq, previous
            continue
        chain.put_back(link)  # the break is worked out with the entries ahead in view
        order = _reordered(chain.peek(REORDER_WINDOW), previous)
        if order is not None:
            window = chain.peek(len(order))
            for position, index in enumerate(order):
                if position != index:
                    moved = window[index]
                    found.append(
                        Problem(
                            str(moved.fields[1]),
                            names.audit(str(moved.fields[1])),
                            names.entry(moved),
                            f"was moved: it was recorded as entry {window[position].seq}, "
                            "so the history has been reordered",
                            when=str(moved.fields[9]),
                            check=CHAIN,
                            seq=moved.seq,
                        )
                    )
            for _ in order:
                chain.take()
            # the chain goes on from the entry recorded last in the block, wherever it sits now
            previous, previous_seq = window[order[-1]].hash, window[-1].seq
            end = previous_seq, previous
            continue
        between = _gaps_between(gaps, starts, previous_seq, link.seq)
        if between:
            explained.update(between)
            for first, final in between:
                found.append(
                    Problem(
                        "",
                        WORKSPACE,
                        _entries(first, final),
                        f"{'were' if final > first else 'was'} deleted: entry {link.seq}, "
                        f"which followed, no longer fits the chain after entry {previous_seq}",
                        check=CHAIN,
                        seq=first,
                    )
                )
        else:
            after = chain.peek(2)[1:]
            certain = bool(after) and link_hash(link.hash, after[0].fields) == after[0].hash
            what = (
                "was changed after it was recorded: it no longer matches its seal"
                if certain
                else "does not match its seal: it, or its seal, was changed after it was recorded"
            )
            found.append(
                Problem(
                    str(link.fields[1]),
                    names.audit(str(link.fields[1])),
                    names.entry(link),
                    what,
                    when=str(link.fields[9]),
                    check=CHAIN,
                    seq=link.seq,
                )
            )
        chain.take()
        previous, previous_seq = link.hash, link.seq
        end = previous_seq, previous
    found += _head_problems(conn, end, gaps, explained)
    return found, [g for g in gaps if g not in explained]


def _reordered(window: list[Link], previous: str) -> list[int] | None:
    """If the entries ahead are the chain's own entries in another order, which entry was
    recorded at each position (indexes into window) up to where the order is whole again."""
    used: set[int] = set()
    order: list[int] = []
    current = previous
    for position, here in enumerate(window):
        match = next(
            (
                j
                for j, candidate in enumerate(window)
                if j not in used
                and link_hash(current, (here.seq, *candidate.fields[1:])) == candidate.hash
            ),
            None,
        )
        if match is None or (position == 0 and match == 0):
            return None
        used.add(match)
        order.append(match)
        current = window[match].hash
        if max(used) == position:  # positions 0..position hold exactly entries 0..position
            return order
    return None


def _gaps_between(
    gaps: list[tuple[int, int]], starts: list[int], after: int, before: int
) -> list[tuple[int, int]]:
    index = bisect.bisect_right(starts, after)
    found = []
    while index < len(gaps) and gaps[index][1] < before:
        found.append(gaps[index])
        index += 1
    return found


def _head_problems(
    conn: sqlite3.Connection,
    end: tuple[int, str] | None,
    gaps: list[tuple[int, int]],
    explained: set[tuple[int, int]],
) -> list[Problem]:
    """The chain must end where the app last sealed it (meta 'history_head')."""
    head_seq, head_hash = head(conn)
    record = "the end of the sealed history"
    if end is None:
        if head_seq == 0:
            return []
        explained.update(g for g in gaps if g[1] <= head_seq)
        return [
            Problem(
                "",
                WORKSPACE,
                _entries(1, head_seq),
                "the recorded changes were removed: the app had sealed history up to entry "
                f"{head_seq}, and none of it is left",
                check=CHAIN,
                seq=head_seq,
            )
        ]
    end_seq, end_hash = end
    if head_seq == end_seq and head_hash == end_hash:
        return []
    if head_seq == 0:
        problem = (
            "the app's record of where the sealed history ends is missing: it was removed "
            f"outside the app (the history runs to entry {end_seq})"
        )
        return [Problem("", WORKSPACE, record, problem, check=CHAIN, seq=end_seq)]
    if head_seq > end_seq:
        explained.update(g for g in gaps if g[0] > end_seq)
        return [
            Problem(
                "",
                WORKSPACE,
                _entries(end_seq + 1, head_seq),
                "the latest recorded changes were removed: the app last sealed entry "
                f"{head_seq}, and the sealed history now ends at entry {end_seq}",
                check=CHAIN,
                seq=end_seq + 1,
            )
        ]
    if head_seq < end_seq:
        return [
            Problem(
                "",
                WORKSPACE,
                _entries(head_seq + 1, end_seq),
                f"were sealed outside the app: the app last sealed entry {head_seq}",
                check=CHAIN,
                seq=head_seq + 1,
            )
        ]
    return [
        Problem(
            "",
            WORKSPACE,
            record,
            f"history entry {end_seq} ends the chain with a seal other than the one the app "
            "recorded: the history was rewritten and sealed again outside the app",
            check=CHAIN,
            seq=end_seq,
        )
    ]


def _deleted_unsealed(gaps: list[tuple[int, int]]) -> list[Problem]:
    """Gaps the chain does not explain: entries that were never sealed, then deleted."""
    return [
        Problem(
            "",
            WORKSPACE,
            _entries(first, final),
            f"{'were' if final > first else 'was'} deleted; not being part of the sealed chain, "
            f"{'they' if final > first else 'it'} recorded changes made outside the app",
            check=CHAIN,
            seq=first,
        )
        for first, final in gaps
    ]


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
