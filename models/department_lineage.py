"""A department's audits across its renames: DCLG's 2014 review is the earlier audit of
MHCLG's 2019 review. Only one-to-one renames are followed (the reference list's successions,
models/department_history.py), never mergers or splits: FCO and DFID's audits are not FCDO's,
BIS's and DECC's are not BEIS's, and BEIS's are none of its three successors'."""

from __future__ import annotations

from typing import Protocol

from models.department_history import HistoricName, history, key
from models.records import Audit, Department


class Store(Protocol):
    """What the lineage reads of the workspace (models/store.py's Store has it)."""

    def department(self, department_id: str) -> Department: ...
    def departments(self) -> list[Department]: ...
    def audits(self, department_id: str | None = None) -> list[Audit]: ...


def renamed_from(name: str) -> list[HistoricName]:
    """The names a department had before a rename to `name`: a predecessor whose successor it
    is, and which no other predecessor joined on the same day (that is a merger)."""
    entry = history().get(key(name))
    if entry is None:
        return []
    entries = set(history().values())
    before = [e for e in entries if e.successor and key(e.successor) == key(entry.name)]
    renamed = [e for e in before if sum(1 for o in before if o.end == e.end) == 1]
    return sorted(renamed, key=lambda e: e.end, reverse=True)


def lineage(store: Store, department_id: str) -> list[Department]:
    """The department, then the workspace's departments it was renamed from, nearest first;
    a name that came back (MHCLG, DLUHC, MHCLG again) is listed once."""
    own = store.department(department_id)
    by_key: dict[str, Department] = {}
    for dept in store.departments():
        for text in (dept.name, dept.abbreviation):
            if text:
                by_key.setdefault(key(text), dept)
    found, names, seen = [own], [own.name], {own.id}
    while names:
        for entry in renamed_from(names.pop(0)):
            former = next(
                (by_key[key(t)] for t in (entry.name, *entry.spellings) if key(t) in by_key), None
            )
            if former is not None and former.id not in seen:
                seen.add(former.id)
                found.append(former)
                names.append(former.name)
    return found


def lineage_audits(store: Store, department_id: str) -> dict[str, Audit]:
    """Audits by cycle: the department's own, and for a cycle it has none of, the nearest
    former name's; never two departments' audits of one cycle."""
    chosen: dict[str, Audit] = {}
    for dept in lineage(store, department_id):
        for audit in store.audits(dept.id):
            chosen.setdefault(audit.cycle, audit)
    return chosen


def cycle_as_named(audit: Audit, department_id: str) -> str:
    """An audit's cycle as printed beside another department's: '2014 review (as DCLG)' when it
    is an audit of a name the department had before a rename (lineage), else the cycle."""
    if audit.department_id == department_id:
        return audit.cycle
    entry = history().get(key(audit.department_name))
    short = next((s for s in entry.spellings if len(s) <= 10), "") if entry is not None else ""
    return f"{audit.cycle} (as {short or audit.department_name})"
