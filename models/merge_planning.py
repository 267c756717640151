"""Planning a merge: each record diffed by the change ids each side knows, into takes and
conflicts; nothing is written here (models/merge.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from models.audit_package import Package, PackageChange, PackagedAudit, known_changes
from models.incoming import audit_owner_problem, department_id_problem
from models.json_text import loads
from models.merge_checks import (
    _check_required,
    _check_row_ids,
    _check_signed_off,
    _check_values,
    _skip,
    check_evidence_rows,
)
from models.merge_records import (
    MINE,
    SIGNED_OFF,
    THEIRS,
    AuditPlan,
    Conflict,
    Key,
    MergePlan,
    Record,
    Take,
    Version,
)
from models.package_evidence import packaged_evidence
from models.package_evidence import value as evidence_value
from models.store import Store
from models.values import is_empty


def _by_record(changes: Iterable[PackageChange]) -> dict[Record, list[PackageChange]]:
    found: dict[Record, list[PackageChange]] = defaultdict(list)
    for change in changes:
        found[(change.kind, change.item)].append(change)
    return found


def _last(changes: list[PackageChange]) -> tuple[str, str]:
    """(who, at) of the latest change that altered the value (else the latest at all)."""
    chosen = [c for c in changes if not c.moved_only] or changes
    if not chosen:
        return "", ""
    last = max(chosen, key=lambda c: c.at)
    return last.who, last.at


def _values(incoming: PackagedAudit) -> dict[Record, Version]:
    values: dict[Record, Version] = {}
    for qid, value in incoming.answers.items():
        if not is_empty(value):
            values[("answer", qid)] = Version(value)
    for qid, text in incoming.comments.items():
        if text:
            values[("comment", qid)] = Version(text)
    for row in incoming.rows:
        values[("row", row.id)] = Version(row.cells, table=row.table, position=row.position)
    values[("status", incoming.audit.id)] = Version(incoming.audit.status)
    for e in incoming.evidence:  # models/package_evidence.py
        values[("evidence", e.id)] = Version(evidence_value(e), table=e.question_id)
    return values


def _kept_where_refused(
    incoming: PackagedAudit, theirs: dict[Record, Version], mine: dict[Record, Version]
) -> dict[Record, Version]:
    """The package's rows with this workspace's own cell wherever the package's was refused."""
    for row_id, columns in incoming.refused_cells.items():
        their, my = theirs.get(("row", row_id)), mine.get(("row", row_id))
        if their is None or my is None:
            continue
        cells = dict(their.value)
        cells.update({c: my.value[c] for c in columns if c in my.value})
        theirs[("row", row_id)] = replace(their, value=cells)
    return theirs


def _my_values(store: Store, audit_id: str) -> dict[Record, Version]:
    values: dict[Record, Version] = {}
    for qid, value in store.answers(audit_id).items():
        if not is_empty(value):
            values[("answer", qid)] = Version(value)
    for qid, text in store.comments(audit_id).items():
        if text:
            values[("comment", qid)] = Version(text)
    for rid, table, pos, cells in store.conn.execute(
        "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?", [audit_id]
    ):
        values[("row", rid)] = Version(loads(cells), table=table, position=int(pos))
    values[("status", audit_id)] = Version(store.audit(audit_id).status)
    for e in packaged_evidence(store, audit_id):
        values[("evidence", e.id)] = Version(evidence_value(e), table=e.question_id)
    return values


def _with_who(version: Version | None, changes: list[PackageChange]) -> Version:
    who, at = _last(changes)
    return replace(version or Version(None), who=who, at=at)


def plan_merge(
    store: Store,
    package: Package,
    resolutions: Mapping[Key, str] | None = None,
    *,
    take: str | None = None,
) -> MergePlan:
    """What merging `package` would do, given the choices made so far (writes nothing).

    `resolutions` maps a conflict's key to MINE or THEIRS; `take` decides every conflict
    not in it. Conflicts left undecided are listed; apply_merge refuses until none are.
    """
    from models.merge_identity import plan_identity

    choices = dict(resolutions or {})
    plans = []
    planned: set[str] = set()  # departments whose rename is planned
    for incoming in package.audits:
        exists = store.conn.execute(
            "SELECT department_id FROM audits WHERE id = ?", [incoming.audit.id]
        ).fetchone()
        if exists:
            plans.append(_plan_existing(store, incoming, choices, take))
            plans[-1].department_id = str(exists[0])
        else:
            plans.append(_plan_new(store, incoming))
        _check_values(plans[-1])
        plan_identity(store, plans[-1], plans[-1].department_id, choices, take, planned)
    check_evidence_rows(store, plans, package.name)
    return MergePlan(package, plans)


def _plan_new(store: Store, incoming: PackagedAudit) -> AuditPlan:
    from models.merge_identity import department_here, history_names

    plan = AuditPlan(incoming, "add", absorb=list(incoming.changes))
    mismatch = department_id_problem(store, incoming.department, history_names(incoming))
    if mismatch is not None:
        _skip(plan, mismatch)
        return plan
    plan.department_id = department_here(store, incoming)
    if plan.department_id is not None:
        clash = store.find_audit(plan.department_id, incoming.audit.cycle)
        if clash is not None:
            plan.action, plan.absorb = "skip", []
            plan.reason = (
                f"this workspace already has another audit of {clash.department_name} for "
                f"{clash.cycle!r} (made separately, so they cannot be matched). Merge by hand "
                "or delete one of them first."
            )
    return plan


def _plan_existing(
    store: Store, incoming: PackagedAudit, choices: Mapping[Key, str], take: str | None
) -> AuditPlan:
    from models.merge_identity import content_only, history_names

    audit_id = incoming.audit.id
    plan = AuditPlan(incoming, "unchanged")
    names = history_names(incoming)
    mismatch = audit_owner_problem(
        store, audit_id, incoming.department.name, incoming.audit.cycle, names
    ) or department_id_problem(store, incoming.department, names)
    if mismatch is not None:
        _skip(plan, mismatch)
        return plan
    known = known_changes(store, audit_id)
    mine_changes = _by_record(content_only(known))
    theirs_changes = _by_record(content_only(incoming.changes))
    my_ids = {o.origin for o in known}
    mine = _my_values(store, audit_id)
    theirs = _kept_where_refused(incoming, _values(incoming), mine)
    plan.absorb = [c for c in incoming.changes if c.origin not in my_ids]
    their_ids = {c.origin for c in incoming.changes}
    plan.ahead = sum(
        1
        for record, changes in mine_changes.items()
        if record not in theirs_changes and any(c.origin not in their_ids for c in changes)
    )
    for record, changes in theirs_changes.items():
        new = [c for c in changes if c.origin not in my_ids]
        if not new:
            continue
        kind, item = record
        if (
            (kind == "answer" and item in incoming.refused_answers)
            or (kind == "comment" and item in incoming.refused_comments)
            or (kind == "row" and item in incoming.refused_rows)
        ):
            continue  # the package's value was refused: this workspace's stays
        ours = mine_changes.get(record, [])
        unseen = [c for c in ours if c.origin not in their_ids]  # mine, new to them
        my_version, their_version = mine.get(record), theirs.get(record)
        my_value = my_version.value if my_version else None
        their_value = their_version.value if their_version else None
        if kind == "row":
            _plan_row(
                plan, record, new, unseen, my_version, their_version, changes, ours, choices, take
            )
            continue
        question_id = changes[-1].question_id
        if not unseen:
            if my_value != their_value:
                plan.takes.append(Take(kind, item, question_id, their_value))
            continue
        if my_value == their_value:
            plan.combined += 1
            continue
        conflict = Conflict(
            audit_id, kind, item, question_id,
            _with_who(my_version, ours), _with_who(their_version, changes),
        )  # fmt: skip
        _decide(
            plan, conflict, choices, take, Take(kind, item, question_id, their_value, why="chosen")
        )
    _follow_order(plan, mine_changes, theirs_changes, my_ids, their_ids, mine, theirs)
    status = ("status", audit_id)
    resigned = (
        mine[status].value == theirs[status].value == SIGNED_OFF
        and any(c.origin not in my_ids for c in theirs_changes.get(status, []))
        and not any(c.origin not in their_ids for c in mine_changes.get(status, []))
    )
    _check_signed_off(plan, mine, theirs, resigned)
    if plan.action != "skip":
        statuses = [t for t in plan.takes if t.kind == "status"]
        plan.status = str(statuses[0].value) if statuses else None
        _check_required(plan, mine, store.audit(audit_id).status)
        if plan.takes or plan.conflicts or plan.status is not None:
            plan.action = "merge"
    _check_row_ids(plan, store)
    return plan


def _follow_order(
    plan: AuditPlan,
    mine_changes: dict[Record, list[PackageChange]],
    theirs_changes: dict[Record, list[PackageChange]],
    my_ids: set[str],
    their_ids: set[str],
    mine: dict[Record, Version],
    theirs: dict[Record, Version],
) -> None:
    """A table only the package has rearranged since the two last shared takes the package's
    order whole, rows placed by an earlier merge included: so once packages have gone both
    ways, both workspaces list the rows in the same order."""
    placed_here = {
        changes[-1].question_id
        for (kind, _), changes in mine_changes.items()
        if kind == "row"
        and any(
            c.origin not in their_ids and (c.moved_only or c.old is None or c.new is None)
            for c in changes
        )
    }
    new_there = {
        changes[-1].question_id
        for (kind, _), changes in theirs_changes.items()
        if kind == "row" and any(c.origin not in my_ids for c in changes)
    }
    follow = new_there - placed_here
    if not follow:
        return
    taken = {t.item: i for i, t in enumerate(plan.takes) if t.kind == "row"}
    undecided = {c.item for c in plan.conflicts if c.kind == "row"}
    for record, their in theirs.items():
        kind, row_id = record
        if kind != "row" or their.table not in follow or row_id in undecided:
            continue
        index = taken.get(row_id)
        if index is not None:
            t = plan.takes[index]
            if t.value is not None and t.position != their.position:
                plan.takes[index] = replace(t, position=their.position)
            continue
        my = mine.get(record)
        if my is not None and my.position != their.position:
            plan.takes.append(Take("row", row_id, their.table, my.value, their.position, "moved"))


def _decide(
    plan: AuditPlan, conflict: Conflict, choices: Mapping[Key, str], take: str | None, theirs: Take
) -> None:
    choice = choices.get(conflict.key, take)
    if choice == THEIRS:
        plan.takes.append(theirs)
    elif choice != MINE:
        plan.conflicts.append(conflict)


def _plan_row(
    plan: AuditPlan,
    record: Record,
    new: list[PackageChange],
    unseen: list[PackageChange],
    my_version: Version | None,
    their_version: Version | None,
    changes: list[PackageChange],
    ours: list[PackageChange],
    choices: Mapping[Key, str],
    take: str | None,
) -> None:
    """A row: its cells merge like an answer; its place follows the side whose change is taken."""
    _, row_id = record
    table = (their_version or my_version or Version(None, table=changes[-1].question_id)).table
    my_cells = my_version.value if my_version else None
    their_cells = their_version.value if their_version else None
    position = their_version.position if their_version else None
    theirs_edit = any(not c.moved_only for c in new)
    mine_edit = any(not c.moved_only for c in unseen)
    if theirs_edit and mine_edit and my_cells != their_cells:
        conflict = Conflict(
            plan.audit_id, "row", row_id, table,
            _with_who(my_version, ours), _with_who(their_version, changes),
        )  # fmt: skip
        chosen = Take("row", row_id, table, their_cells, position, "chosen")
        _decide(plan, conflict, choices, take, chosen)
        return
    fast_forward = theirs_edit and not mine_edit
    if theirs_edit and not fast_forward:
        plan.combined += 1
    cells = their_cells if fast_forward else my_cells
    if cells is None:
        if my_version is not None:
            plan.takes.append(Take("row", row_id, table, None))
        return
    if my_version is not None and not fast_forward:
        # Kept cells: the row takes their place only if it moved there and not here.
        if not (_placed(new) and not _placed(unseen)):
            position = my_version.position
    elif my_version is not None and _placed(unseen) and not _placed(new):
        position = my_version.position  # their cells, but the place this side gave it
    if my_version is None or cells != my_cells or position != my_version.position:
        why = "fast-forward" if fast_forward else "moved"
        plan.takes.append(Take("row", row_id, table, cells, position, why))


def _placed(changes: list[PackageChange]) -> bool:
    """Whether any of these changes put the row somewhere: added it, or moved it."""
    return any(c.moved_only or c.old is None for c in changes)
