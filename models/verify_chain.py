"""Check 1 of models.verify: the hash chain over sealed history and its recorded end."""

from __future__ import annotations

import bisect
import itertools
import sqlite3
from collections import deque
from collections.abc import Iterator

from models.history_chain import GENESIS, Link, head, last_seq, link_hash, links
from models.progress import Progress
from models.verify_names import (
    CHAIN,
    WORKSPACE,
    Problem,
    _Names,
)

REORDER_WINDOW = 64  # how far ahead a moved history entry is looked for


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
