"""Who hears that a workspace changed: listeners the store calls after each commit, without Qt.

The store calls `committed()` after every outermost transaction it commits, so no writer can
forget to tell the views (the ui forwards a `WorkspaceChange` to its Qt signal). Listeners run
on the thread that wrote; a store is used by one thread, so each list is too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

# Commits that change nothing anyone sees: a cache of figures that can always be worked out again.
QUIET_ACTIONS = frozenset({"keep the audits' figures"})
# History kinds that change what lists of departments and audits show (name, cycle, status).
LISTED_KINDS = frozenset({"status", "audit", "department"})


@dataclass(frozen=True)
class WorkspaceChange:
    """One commit: the audits whose content or status it changed, and what the writer was doing.

    `audit_ids` is empty when the commit touched no audit's history (a department added or
    renamed, a mapping saved, a workspace restored): listeners then re-read everything.
    `kinds` are the history kinds it wrote ("answer", "row", "status", "audit", ...).
    """

    audit_ids: frozenset[str]
    action: str = ""
    kinds: frozenset[str] = frozenset()

    def lists_changed(self) -> bool:
        """Departments or audits may have been added, renamed, moved or changed status, not
        only an audit's answers and rows (a list of them needs reading again)."""
        return not self.audit_ids or bool(self.kinds & LISTED_KINDS)


Listener = Callable[[WorkspaceChange], None]


class ChangeListeners:
    """The callbacks one store calls after each commit; nothing is done when there are none."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def add(self, listener: Listener) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def __bool__(self) -> bool:
        return bool(self._listeners)

    def committed(self, conn: sqlite3.Connection, after_seq: int, action: str) -> None:
        """Tell the listeners about the commit that wrote history rows after seq `after_seq`."""
        if not self._listeners:
            return
        # An audit's own fields are recorded with audit_id '' and the audit as the item; a
        # department's with audit_id '' and the department as the item.
        rows = conn.execute(
            "SELECT DISTINCT CASE WHEN kind = 'audit' THEN item ELSE audit_id END, kind"
            " FROM history WHERE seq > ?",
            [after_seq],
        ).fetchall()
        audit_ids = frozenset(str(row[0]) for row in rows if row[0])
        kinds = frozenset(str(row[1]) for row in rows)
        if not rows and action in QUIET_ACTIONS:
            return
        self.notify(WorkspaceChange(audit_ids, action, kinds))

    def notify(self, change: WorkspaceChange) -> None:
        """Tell every listener, in the order they were added (the commit has already happened)."""
        for listener in list(self._listeners):
            listener(change)
