"""Merging another workspace's audit package: record by record, by the change ids each side knows.

A record is an answer, a comment, a table row or an audit's status. For each, the changes
the package knows of and this workspace does not are "theirs"; the ones only this
workspace knows are "mine". Only theirs: take their value (fast-forward). Only mine: keep.
Both, with different values: a conflict that nothing overwrites until someone chooses.
Their change ids are then absorbed, so importing the same package again changes nothing.
Everything is written in one transaction: the whole package, or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from models.audit_content import AuditContent, TableRow, restore_audit, restore_department
from models.audit_package import Package, PackageChange, PackagedAudit, known_changes
from models.completion import row_complete
from models.content_hash import short
from models.foreign_imports import merge_imports
from models.incoming import audit_owner_problem, department_id_problem, listed
from models.json_text import loads
from models.package_shape import refused_lines, unfit_values
from models.questionnaire import DefinitionError, Question, Questionnaire, get_questionnaire
from models.records import STATUS_LABELS
from models.scoring import missing_required
from models.store import DuplicateAuditError, Store, WorkspaceWriteError, _dump, _now
from models.validation import exclusive_problem

MINE, THEIRS = "mine", "theirs"
DRAFT, SIGNED_OFF = "draft", "signed_off"
NEEDS_ANSWERS = ("submitted", "reviewed")  # statuses that need every required answer
Key = tuple[str, str, str]  # (audit id, kind, item)
Record = tuple[str, str]  # (kind, item)


class MergeError(ValueError):
    """A merge that cannot go ahead as asked; nothing was written."""


class UnresolvedConflictsError(MergeError):
    """Conflicts remain undecided: nothing is written until each has a choice."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(
            f"{len(conflicts)} conflicting change(s) need a choice (keep this workspace's value "
            "or take the package's). Nothing was merged."
        )


@dataclass(frozen=True)
class Version:
    """One side's state of a record, and who last changed it when."""

    value: Any  # decoded; None when absent (cleared, deleted, never there)
    who: str = ""
    at: str = ""
    table: str = ""  # rows: the table question
    position: int | None = None  # rows


@dataclass(frozen=True)
class Conflict:
    """Both sides changed a record to different values since they last shared."""

    audit_id: str
    kind: str
    item: str
    question_id: str
    mine: Version
    theirs: Version

    @property
    def key(self) -> Key:
        return (self.audit_id, self.kind, self.item)


@dataclass(frozen=True)
class Take:
    """A record to write here: the package's value (None removes it), and a row's place."""

    kind: str
    item: str
    question_id: str
    value: Any
    position: int | None = None
    why: str = "fast-forward"  # or "chosen"; "moved" for a row that only changes place


@dataclass
class AuditPlan:
    """What merging does to one audit of the package."""

    incoming: PackagedAudit
    action: str  # add | merge | unchanged | skip
    takes: list[Take] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    combined: int = 0  # changed on both sides to the same value
    ahead: int = 0  # records changed only here: kept
    absorb: list[PackageChange] = field(default_factory=list)
    status: str | None = None  # the status to end with, when it changes
    reason: str = ""  # why an audit is skipped
    note: str = ""  # why the status ends other than the package's (kept as draft)
    department_id: str | None = None  # the department here a new audit goes to, if any
    resign: bool = False  # signed off again there after a rename: the sign-off covers it

    @property
    def audit_id(self) -> str:
        return self.incoming.audit.id

    @property
    def title(self) -> str:
        return self.incoming.title

    @property
    def content_takes(self) -> list[Take]:
        return [t for t in self.takes if t.kind in ("answer", "comment", "row")]

    def line(self) -> str:
        """One line saying what happens to this audit."""
        from models.merge_identity import rename_words

        if self.action == "add":
            a = self.incoming
            return (
                f"+ {self.title}: new audit ({len(a.answers)} answer(s), {len(a.rows)} row(s), "
                f"{STATUS_LABELS.get(a.audit.status, a.audit.status).lower()})"
            ) + "".join(f", {w}" for w in rename_words(self))
        if self.action == "skip":
            return f"! {self.title}: not merged: {self.reason}"
        if self.action == "unchanged" and not self.conflicts:
            return f"= {self.title}: nothing new" + (f" ({self.note})" if self.note else "")
        parts = [f"{len(self.content_takes)} change(s) to take", *rename_words(self)]
        if self.status is not None:
            parts.append(f"status to {STATUS_LABELS.get(self.status, self.status).lower()}")
        if self.combined:
            parts.append(f"{self.combined} made on both sides alike")
        if self.ahead:
            parts.append(f"{self.ahead} newer here, kept")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflict(s)")
        if self.note:
            parts.append(self.note)
        return f"~ {self.title}: " + ", ".join(parts)


@dataclass
class MergePlan:
    """A package's effect on this workspace, worked out before anything is written."""

    package: Package
    audits: list[AuditPlan]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for a in self.audits for c in a.conflicts]

    @property
    def skipped(self) -> list[AuditPlan]:
        return [a for a in self.audits if a.action == "skip"]

    def summary(self) -> str:
        m = self.package.manifest
        who = f" by {m.created_by}" if m.created_by else ""
        lines = [
            f"{self.package.name}: {len(self.audits)} audit(s), made{who} on {m.created_at[:16]}",
            *(a.line() for a in self.audits),
        ]
        lines += refused_lines(self.package)
        conflicts = self.conflicts
        if conflicts:
            lines.append(f"{len(conflicts)} conflict(s): both sides changed these differently:")
            plans = {a.audit_id: a for a in self.audits}
            for conflict in conflicts:
                audit = plans[conflict.audit_id].incoming.audit
                key = (audit.questionnaire_id, audit.questionnaire_version)
                where = describe(conflict, key)
                lines.append(f"  {plans[conflict.audit_id].title}: {where}")
                lines.append(f"    mine:   {show(conflict.mine, conflict.theirs, key, conflict)}")
                lines.append(f"    theirs: {show(conflict.theirs, conflict.mine, key, conflict)}")
        return "\n".join(lines)


@dataclass
class MergeReport:
    """What a merge wrote."""

    package: str
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "title: reason"
    notes: list[str] = field(default_factory=list)  # "title kept as draft: why"
    changed_audit_ids: list[str] = field(default_factory=list)
    taken: int = 0
    absorbed: int = 0

    def summary(self) -> str:
        lines = [
            f"Merged {self.package}: {len(self.added)} audit(s) added, {len(self.updated)} updated."
        ]
        lines += [f"  added: {t}" for t in self.added]
        lines += [f"  updated: {t}" for t in self.updated]
        lines += [f"  not merged: {s}" for s in self.skipped]
        lines += [f"  {n}" for n in self.notes]
        if not (self.added or self.updated or self.skipped or self.notes):
            lines.append("  Nothing new: this workspace already had everything in the package.")
        return "\n".join(lines)


# ---------------------------------------------------------------- describing


def _question(conflict: Conflict, key: tuple[str, int] | None) -> Question | None:
    if key is None:
        return None
    try:
        q = get_questionnaire(*key)
    except DefinitionError:
        return None
    return q.question(conflict.question_id) if q.has_question(conflict.question_id) else None


def describe(conflict: Conflict, questionnaire_key: tuple[str, int] | None = None) -> str:
    """Which record a conflict is about, in words (question labels when the key is given)."""
    question = _question(conflict, questionnaire_key)
    label = question.label if question is not None else conflict.question_id
    if conflict.kind == "status":
        return "Status"
    if conflict.kind in ("department", "audit"):  # models/merge_identity.py
        return "Department name" if conflict.kind == "department" else "Auditor"
    if conflict.kind == "comment":
        return f"Comment on: {label}"
    if conflict.kind == "row":
        cells = [v for v in (conflict.theirs.value, conflict.mine.value) if isinstance(v, dict)]
        columns = [c.id for c in question.columns] if question is not None else []
        names = columns + sorted({k for c in cells for k in c} - set(columns))
        first = next((c[k] for k in names for c in cells if not _is_empty(c.get(k))), None)
        return f"Row “{first}” of {label}" if first is not None else f"A row of {label}"
    return label


def show(
    version: Version,
    other: Version | None = None,
    questionnaire_key: tuple[str, int] | None = None,
    conflict: Conflict | None = None,
    *,
    by: bool = True,
) -> str:
    """A side's value in words (for a row, the cells that differ from `other`), and by
    default who changed it when."""
    value = version.value
    if value is None:
        text = "(removed)" if version.at else "(none)"
    elif isinstance(value, dict):
        question = _question(conflict, questionnaire_key) if conflict is not None else None
        labels = {c.id: c.label for c in question.columns} if question is not None else {}
        against = other.value if other is not None and isinstance(other.value, dict) else None
        keys = [k for k in value if against is None or value.get(k) != against.get(k)]
        if against is not None:
            keys += [k for k in against if k not in value]  # cleared here
        text = "; ".join(f"{labels.get(k, k)}: {_plain(value.get(k))}" for k in keys)
        text = text or "(same cells)"
    else:
        text = _plain(value)
    if not by:
        return text
    who = changed_by(version)
    return f"{text}  [{who}]" if who else text


def changed_by(version: Version) -> str:
    """Who last changed a side's value, and when (UTC)."""
    when = version.at[:16].replace("T", " ")
    return ", ".join(p for p in (version.who, f"{when} UTC" if when else "") if p)


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return STATUS_LABELS.get(value, value)
    return str(value)


# ---------------------------------------------------------------- planning


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


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
        if not _is_empty(value):
            values[("answer", qid)] = Version(value)
    for qid, text in incoming.comments.items():
        if text:
            values[("comment", qid)] = Version(text)
    for row in incoming.rows:
        values[("row", row.id)] = Version(row.cells, table=row.table, position=row.position)
    values[("status", incoming.audit.id)] = Version(incoming.audit.status)
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
        if not _is_empty(value):
            values[("answer", qid)] = Version(value)
    for qid, text in store.comments(audit_id).items():
        if text:
            values[("comment", qid)] = Version(text)
    for rid, table, pos, cells in store.conn.execute(
        "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?", [audit_id]
    ):
        values[("row", rid)] = Version(loads(cells), table=table, position=int(pos))
    values[("status", audit_id)] = Version(store.audit(audit_id).status)
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
    return MergePlan(package, plans)


def _check_values(plan: AuditPlan) -> None:
    """Merging is a door into the store: a choice that breaks its exclusive option ("None of
    these" ticked with named areas, models.validation.exclusive_problem) is refused, and the
    audit skipped whole with the value named. (Other value checks are not made here yet.)"""
    if plan.action == "skip":
        return
    audit = plan.incoming.audit
    try:
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    except DefinitionError:
        return  # refused when the package is read
    if plan.action == "add":
        answers = list(plan.incoming.answers.items())
        rows = [(r.table, r.cells) for r in plan.incoming.rows]
    else:
        answers = [(t.item, t.value) for t in plan.takes if t.kind == "answer"]
        rows = [(t.question_id, t.value) for t in plan.takes if t.kind == "row" and t.value]
    problems = [
        f"the answer to '{form.question(qid).label}': {problem}"
        for qid, value in answers
        if form.has_question(qid) and (problem := exclusive_problem(form.question(qid), value))
    ]
    for table_id, cells in rows:
        if not form.has_question(table_id) or not isinstance(cells, dict):
            continue
        table = form.question(table_id)
        for column in table.columns:
            problem = exclusive_problem(column, cells.get(column.id))
            if problem:
                problems.append(
                    f"a {table.row_label} of '{table.label}', {column.label}: {problem}"
                )
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        _skip(plan, f"{problems[0]}{more}; nothing of it was merged.")


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


def _check_signed_off(
    plan: AuditPlan, mine: dict[Record, Version], theirs: dict[Record, Version], resigned: bool
) -> None:
    """A signed-off audit ends with exactly the content its signer saw, or is not merged.

    `resigned`: signed off on both sides, and only the package has moved it since (reopened
    and signed off again there): its content is taken with its sign-off."""
    audit_id = plan.audit_id
    current = mine[("status", audit_id)].value
    status_take = next((t for t in plan.takes if t.kind == "status"), None)
    final = status_take.value if status_take else current
    if final != SIGNED_OFF:
        return
    content = plan.content_takes
    if status_take is None and content and resigned:
        status_take = Take("status", audit_id, "", SIGNED_OFF)
        plan.takes.append(status_take)
    if status_take is None:
        if content or any(c.kind != "status" for c in plan.conflicts):
            _skip(
                plan,
                "it is signed off here and the package changes its content. Reopen it "
                "(Audit ▸ Reopen…) and import the package again to take the changes.",
            )
        return
    # The content merging would leave, answers, comments and each row's cells, table and
    # place, must be the package's: the content its signer saw.
    after = _after(mine, content)
    signed = {record: v for record, v in theirs.items() if record[0] != "status"}
    if after != signed:
        key = (plan.incoming.audit.questionnaire_id, plan.incoming.audit.questionnaire_version)
        _skip(
            plan,
            "it was signed off in the package, but this workspace has changes the sign-off "
            f"did not include ({_differences(after, signed, key)}). Ask for it to be "
            "reopened, or send your changes first.",
        )


def _after(mine: dict[Record, Version], takes: list[Take]) -> dict[Record, Version]:
    """An audit's content records as writing `takes` leaves them (as _merge_audit writes
    them: rows of the tables it touches numbered again)."""
    after = {record: v for record, v in mine.items() if record[0] != "status"}
    tables: set[str] = set()
    for t in takes:
        record = (t.kind, t.item)
        if t.kind == "row":
            tables.add(t.question_id)
            if t.value is None:
                after.pop(record, None)
            else:
                after[record] = Version(t.value, table=t.question_id, position=t.position or 0)
        elif _is_empty(t.value):
            after.pop(record, None)
        elif t.kind in ("answer", "comment"):
            after[record] = Version(t.value)
    for table in tables:
        placed = sorted(
            (v.position or 0, item)
            for (kind, item), v in after.items()
            if kind == "row" and v.table == table
        )
        for n, (_, item) in enumerate(placed):
            after[("row", item)] = replace(after[("row", item)], position=n)
    return after


def _differences(
    here: dict[Record, Version], there: dict[Record, Version], key: tuple[str, int]
) -> str:
    """What differs between two versions of an audit's content, in a few words."""
    try:
        questionnaire: Questionnaire | None = get_questionnaire(*key)
    except DefinitionError:
        questionnaire = None

    def label(question_id: str) -> str:
        if questionnaire is not None and questionnaire.has_question(question_id):
            return f"“{questionnaire.question(question_id).label}”"
        return question_id

    found: list[str] = []
    for record in sorted(here.keys() | there.keys()):
        mine, theirs = here.get(record), there.get(record)
        if mine == theirs:
            continue
        kind, item = record
        if kind == "answer":
            found.append(f"the answer to {label(item)}")
        elif kind == "comment":
            found.append(f"the comment on {label(item)}")
        else:
            table = label((mine or theirs or Version(None)).table)
            same_cells = mine is not None and theirs is not None and mine.value == theirs.value
            found.append(f"the order of the rows of {table}" if same_cells else f"a row of {table}")
    found = list(dict.fromkeys(found))
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return "; ".join(found[:3]) + more


def _check_required(plan: AuditPlan, mine: dict[Record, Version], current: str) -> None:
    """A merge never leaves an audit submitted or reviewed with required answers missing:
    the package's move there is not taken (but known, so it is not offered again: someone
    submits once the answers are there), and a status of this workspace's own that the
    merged answers no longer support returns to draft. No answer is changed."""
    final = plan.status or current
    if final not in NEEDS_ANSWERS or not plan.takes:
        return
    audit = plan.incoming.audit
    try:
        questionnaire = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    except DefinitionError:
        return  # a questionnaire this version of the app does not have: nothing to check
    after = _after(mine, plan.content_takes)
    answers = {item: v.value for (kind, item), v in after.items() if kind == "answer"}
    row_counts: dict[str, int] = defaultdict(int)
    for (kind, _), v in after.items():
        if kind == "row" and questionnaire.has_question(v.table):
            table = questionnaire.question(v.table)
            row_counts[v.table] += row_complete(table, v.value or {}) if table.is_table else 1
    missing = missing_required(questionnaire, answers, row_counts)
    if not missing:
        return
    names = "; ".join(q.label for q in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    unanswered = f"{len(missing)} required question(s) unanswered: {names}{more}"
    ending = "kept as draft" if current == DRAFT else "returned to draft"
    if plan.status is not None:
        label = STATUS_LABELS.get(plan.status, plan.status)
        plan.note = f"{ending}: the package's “{label}” would leave {unanswered}"
        plan.takes = [t for t in plan.takes if t.kind != "status"]
    else:
        plan.note = f"{ending}: after merging, {unanswered}"
    plan.status = None if current == DRAFT else DRAFT


def _check_row_ids(plan: AuditPlan, store: Store) -> None:
    """A row id held by another audit here cannot be given to this one."""
    if plan.action == "skip":
        return
    for t in plan.content_takes:
        if t.kind != "row" or t.value is None:
            continue
        owner = store.conn.execute(
            "SELECT audit_id FROM table_rows WHERE id = ?", [t.item]
        ).fetchone()
        if owner is not None and owner[0] != plan.audit_id:
            _skip(plan, f"one of its rows ({t.item}) already belongs to another audit here.")
            return


def _skip(plan: AuditPlan, reason: str) -> None:
    plan.action, plan.reason = "skip", reason
    plan.takes, plan.conflicts, plan.absorb, plan.status = [], [], [], None


# ---------------------------------------------------------------- applying


def apply_merge(
    store: Store,
    package: Package,
    resolutions: Mapping[Key, str] | None = None,
    *,
    take: str | None = None,
) -> MergeReport:
    """Merge the package in one transaction, planned afresh inside it (so nothing changed in
    between is overwritten). Raises UnresolvedConflictsError, writing nothing, while any
    conflict has no choice; audits that cannot be merged are skipped and reported."""
    if getattr(store, "read_only", False):
        reason = getattr(store, "read_only_reason", "") or "it is open read-only"
        raise WorkspaceWriteError(
            f"This workspace cannot be changed: {reason}. Nothing was merged."
        )
    unchecked = unfit_values(package)
    if unchecked:
        raise MergeError(
            f"{package.name} holds values that do not fit the questionnaire; nothing was "
            f"merged:\n{listed(unchecked)}"
        )
    report = MergeReport(package.name)
    report.notes += refused_lines(package)
    with store.recording(note=f"merged from {package.name}", own=False):
        plan = plan_merge(store, package, resolutions, take=take)
        if plan.conflicts:
            raise UnresolvedConflictsError(plan.conflicts)
        for audit_plan in plan.audits:
            _apply_audit(store, audit_plan, report)
    return report


class _Refused(Exception):
    """Raised inside an audit's savepoint to undo everything merging it wrote."""


def _apply_audit(store: Store, plan: AuditPlan, report: MergeReport) -> None:
    incoming = plan.incoming
    if plan.action == "skip":
        report.skipped.append(f"{plan.title}: {plan.reason}")
        return
    if plan.action not in ("add", "merge"):
        _absorb(store, plan.audit_id, plan.absorb)
        merge_imports(store, plan.audit_id, incoming.imports, incoming.provenance)
        report.absorbed += len(plan.absorb)
        report.notes += [f"{plan.title} {plan.note}"] if plan.note else []
        return
    from models.merge_identity import apply_identity, rename_words

    try:
        with store.transaction("merge the audit"):
            if plan.action == "add":
                apply_identity(store, plan)  # a rename first: a sign-off covers the new name
                _add_audit(store, incoming, plan.department_id)
                signed = incoming.audit.content_hash
            else:
                signed = store.audit(plan.audit_id).content_hash
                _merge_audit(store, plan)
                if plan.status == SIGNED_OFF:
                    signed = incoming.audit.content_hash
            _check_signed_content(store, plan, signed)
            _absorb(store, plan.audit_id, plan.absorb)
            merge_imports(store, plan.audit_id, incoming.imports, incoming.provenance)
    except DuplicateAuditError as exc:
        report.skipped.append(f"{plan.title}: {exc}")
        return
    except _Refused as exc:
        report.skipped.append(f"{plan.title}: {exc}")
        return
    (report.added if plan.action == "add" else report.updated).append(plan.title)
    report.changed_audit_ids.append(plan.audit_id)
    report.taken += len(plan.takes)
    report.absorbed += len(plan.absorb)
    report.notes += [f"{plan.title} {plan.note}"] if plan.note else []
    report.notes += [f"{plan.title}: {w}" for w in rename_words(plan)]


def _check_signed_content(store: Store, plan: AuditPlan, signed: str) -> None:
    """An audit merging leaves signed off must hold what was signed (`signed`: the content
    hash taken at that sign-off), else merging it is undone whole."""
    if store.audit(plan.audit_id).status != SIGNED_OFF:
        return
    now = store.content_hash(plan.audit_id)
    if now == signed:
        return
    was = f"content hash {short(signed)}" if signed else "no content hash"
    raise _Refused(
        f"it was signed off with different content than merging would give here: the "
        f"sign-off has {was}, merging would give {short(now)}; nothing of it was merged."
    )


def _add_audit(store: Store, incoming: PackagedAudit, department_id: str | None = None) -> None:
    dept = (
        store.department(department_id)
        if department_id is not None
        else restore_department(store, incoming.department)
    )
    audit = replace(incoming.audit, department_id=dept.id)
    tables: dict[str, list[TableRow]] = {}
    for row in sorted(incoming.rows, key=lambda r: (r.table, r.position, r.id)):
        tables.setdefault(row.table, []).append(TableRow(row.id, row.cells))
    content = AuditContent(dict(incoming.answers), dict(incoming.comments), tables)
    restore_audit(store, audit, content, note="")  # sealed with the merge's own note


def _merge_audit(store: Store, plan: AuditPlan) -> None:
    conn = store.conn
    audit_id = plan.audit_id
    now = _now()
    content = plan.content_takes
    current = store.audit(audit_id).status
    if content and current == SIGNED_OFF:  # only when the package's status is taken
        store.set_status(audit_id, DRAFT, note=plan.note if plan.status == DRAFT else "")
    tables: set[str] = set()
    for t in content:
        if t.kind == "answer":  # the store's own writes: one way to store an answer
            store.set_answer(audit_id, t.item, None if _is_empty(t.value) else t.value)
        elif t.kind == "comment":
            store.set_comment(audit_id, t.item, str(t.value) if t.value else "")
        elif t.kind == "row":
            tables.add(t.question_id)
            if t.value is None:
                conn.execute(
                    "DELETE FROM table_rows WHERE id = ? AND audit_id = ?", [t.item, audit_id]
                )
            else:
                conn.execute(
                    "INSERT INTO table_rows (id, audit_id, question_id, position, cells,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " position = excluded.position, cells = excluded.cells,"
                    " updated_at = excluded.updated_at",
                    [t.item, audit_id, t.question_id, t.position or 0, _dump(t.value), now],
                )
    for table in sorted(tables):
        _renumber(store, audit_id, table)
    if content:
        conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", [now, audit_id])
    from models.merge_identity import apply_identity

    apply_identity(store, plan)  # before a sign-off: it covers the names merged
    final = plan.status or current
    if store.audit(audit_id).status != final:
        store.set_status(audit_id, final, note=plan.note)


def _renumber(store: Store, audit_id: str, table: str) -> None:
    """Positions 0..n-1 again, in the order merged (ties: by row id, the same everywhere)."""
    store.conn.execute(
        "WITH ordered AS (SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS n"
        " FROM table_rows WHERE audit_id = ? AND question_id = ?)"
        " UPDATE table_rows SET position = ordered.n FROM ordered"
        " WHERE table_rows.id = ordered.id AND table_rows.position != ordered.n",
        [audit_id, table],
    )


def _absorb(store: Store, audit_id: str, changes: list[PackageChange]) -> None:
    store.conn.executemany(
        "INSERT OR IGNORE INTO absorbed_changes (audit_id, origin, kind, item, question_id, old,"
        " new, who, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (audit_id, c.origin, c.kind, c.item, c.question_id, c.old, c.new, c.who, c.at, c.note)
            for c in changes
        ],
    )
