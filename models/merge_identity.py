"""Department renames and auditor changes merged like any other change (models/merge.py).

History records them with an empty audit id (migration v7); a package carries, with each
audit, the renames of its department and the changes of its auditor
(models/audit_package.identity_changes). Merging compares change ids as for answers: only
the package's new changes, take its value; only this workspace's, keep; both, to different
values, a conflict that `--take mine|theirs` or a choice decides. The ids are absorbed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from models.audit_package import IDENTITY, PackageChange, PackagedAudit, identity_changes
from models.merge_planning import _decide, _with_who
from models.merge_records import AuditPlan, Conflict, Key, Take, Version
from models.store import Store
from models.validation import checked_label, clean_label

DEPARTMENT, AUDIT = "department", "audit"
SIGNED_OFF = "signed_off"
MAX_NAME = 500  # longer than any department's or person's name


def is_identity(change: PackageChange) -> bool:
    """A department rename or an auditor change, not a change to the audit's content."""
    return (change.kind, change.question_id) in IDENTITY


def content_only(changes: Iterable[PackageChange]) -> list[PackageChange]:
    """The changes to an audit's answers, comments, rows and status."""
    return [c for c in changes if not is_identity(c)]


def history_names(incoming: PackagedAudit) -> set[str]:
    """Every name the package's own history says its department had (old and new)."""
    return {
        str(v)
        for c in incoming.changes
        if (c.kind, c.question_id) == (DEPARTMENT, "name")
        for v in (c.old, c.new)
        if v
    }


def department_here(store: Store, incoming: PackagedAudit) -> str | None:
    """The department here a new audit of the package goes to, in the order adding it
    matches one (models/audit_content.restore_department: id, GOV.UK id, name), else the
    one its recorded renames lead to; None when it brings a department of its own."""
    department = incoming.department
    for sql, value in (
        ("id = ?", department.id),
        ("govuk_id != '' AND govuk_id = ?", department.govuk_id),
        ("lower(name) = lower(?)", department.name),  # one an earlier version stored so
        ("lower(name) = lower(?)", clean_label(department.name)),
    ):
        row = store.conn.execute(f"SELECT id FROM departments WHERE {sql} LIMIT 1", [value])
        found = row.fetchone() if value else None
        if found is not None:
            return str(found[0])
    wanted = clean_label(department.name).lower()  # one an earlier version stored uncleaned
    held = next((d for d in store.departments() if clean_label(d.name).lower() == wanted), None)
    return held.id if held is not None and wanted else department_by_history(store, incoming)


def department_by_history(store: Store, incoming: PackagedAudit) -> str | None:
    """The department here the package's recorded renames lead to, by a former name."""
    for name in sorted(history_names(incoming)):
        row = store.conn.execute(
            "SELECT id FROM departments WHERE lower(name) = lower(?) LIMIT 1", [name]
        ).fetchone()
        if row is not None:
            return str(row[0])
    return None


def plan_identity(
    store: Store,
    plan: AuditPlan,
    department_id: str | None,
    choices: Mapping[Key, str],
    take: str | None,
    planned: set[str],
) -> None:
    """Add to `plan` the package's department rename and auditor change, as takes or
    conflicts (a department in several audits of one package is planned once: `planned`)."""
    if plan.action == "skip" or department_id is None:
        return
    incoming = plan.incoming
    exists = plan.action != "add"
    mine = identity_changes(store, plan.audit_id if exists else "", department_id)
    records: list[tuple[str, str, str, str, object]] = []
    if department_id not in planned:
        planned.add(department_id)
        here = store.department(department_id).name
        records.append((DEPARTMENT, department_id, "name", here, incoming.department.name))
    if exists:
        here = store.audit(plan.audit_id).auditor
        records.append((AUDIT, plan.audit_id, "auditor", here, incoming.audit.auditor))
    my_ids = {c.origin for c in mine}
    their_all = [c for c in incoming.changes if is_identity(c)]
    their_ids = {c.origin for c in their_all}
    for kind, item, field, my_value, their_value in records:
        theirs = [c for c in their_all if (c.kind, c.question_id) == (kind, field)]
        ours = [c for c in mine if (c.kind, c.question_id) == (kind, field)]
        new = [c for c in theirs if c.origin not in my_ids]
        unseen = [c for c in ours if c.origin not in their_ids]
        if not new:
            plan.ahead += bool(unseen)
            continue
        if my_value == their_value:
            plan.combined += bool(unseen)
            continue
        problem = _name_problem(their_value, required=kind == DEPARTMENT)
        if problem is not None:
            plan.note = ", ".join(p for p in (plan.note, problem) if p)
            continue
        change = Take(kind, item, field, their_value)
        if not unseen:
            plan.takes.append(change)
            continue
        conflict = Conflict(
            plan.audit_id, kind, item, field,
            _with_who(Version(my_value), ours), _with_who(Version(their_value), theirs),
        )  # fmt: skip
        _decide(plan, conflict, choices, take, Take(kind, item, field, their_value, why="chosen"))
    if plan.action == "unchanged" and (renames(plan) or plan.conflicts):
        plan.action = "merge"
    plan.resign = exists and _signed_again_there(store, plan, my_ids)
    if exists and not plan.resign:
        _keep_signed_off_auditor(store, plan)


def _keep_signed_off_auditor(store: Store, plan: AuditPlan) -> None:
    """An audit signed off here that stays signed off keeps its auditor, as it keeps its
    content: a package changing it is not merged until the audit is reopened."""
    auditor = next((t for t in renames(plan) if t.kind == AUDIT), None)
    current = store.audit(plan.audit_id).status
    if auditor is None or current != SIGNED_OFF or (plan.status or current) != SIGNED_OFF:
        return
    from models.merge_checks import _skip

    _skip(
        plan,
        f"it is signed off here and the package changes its auditor to “{auditor.value}”. "
        "Reopen it (Audit ▸ Reopen…) and import the package again to take the change.",
    )


def _signed_again_there(store: Store, plan: AuditPlan, my_ids: set[str]) -> bool:
    """Whether the audit stays signed off here and the package signed it off again since
    the two shared, with the names merging leaves: then this workspace's record of what
    the sign-off covered is taken afresh, as the package's was (else verify would report a
    rename the package's own sign-off covers)."""
    if not renames(plan) or plan.conflicts or plan.action != "merge":
        return False
    incoming = plan.incoming
    if incoming.audit.status != SIGNED_OFF or (plan.status or "") not in ("", SIGNED_OFF):
        return False
    if store.audit(plan.audit_id).status != SIGNED_OFF and plan.status != SIGNED_OFF:
        return False
    chosen = {(t.kind, t.question_id): t.value for t in renames(plan)}
    department = chosen.get((DEPARTMENT, "name"), incoming.department.name)
    auditor = chosen.get((AUDIT, "auditor"), incoming.audit.auditor)
    if (department, auditor) != (incoming.department.name, incoming.audit.auditor):
        return False  # this workspace's own name kept: not what the package signed off
    return any(
        c.kind == "status" and c.new == SIGNED_OFF and c.origin not in my_ids
        for c in incoming.changes
    )


def _name_problem(value: object, *, required: bool) -> str | None:
    """Why a name from a package cannot be stored (None when it can)."""
    if not isinstance(value, str) or len(value) > MAX_NAME:
        return "its department or auditor name is not a name and was left as it is"
    if required and not value.strip():
        return "its department name is blank and was left as it is"
    return None


def renames(plan: AuditPlan) -> list[Take]:
    """The department renames and auditor changes merging `plan` takes."""
    return [t for t in plan.takes if t.kind in (DEPARTMENT, AUDIT)]


def rename_words(plan: AuditPlan) -> list[str]:
    """What the renames do, for the plan's line and the report."""
    words = {DEPARTMENT: "department renamed to", AUDIT: "auditor to"}
    return [f"{words[t.kind]} “{t.value}”" for t in renames(plan)]


def apply_identity(store: Store, plan: AuditPlan) -> None:
    """Write the plan's renames (the history triggers record them, the merge seals them),
    and take the sign-off's record afresh when the package signed the audit off again."""
    for t in renames(plan):
        if t.kind == DEPARTMENT:
            store.conn.execute(
                "UPDATE departments SET name = ? WHERE id = ?",
                [checked_label(str(t.value), "department name"), t.item],
            )
        elif plan.resign:  # the package's new sign-off covers it: taken afresh just below
            store.conn.execute(
                "UPDATE audits SET auditor = ?, signed_as = '' WHERE id = ?", [str(t.value), t.item]
            )
        else:  # migration v9 refuses it while the audit is signed off (plan_identity skips)
            store.conn.execute("UPDATE audits SET auditor = ? WHERE id = ?", [str(t.value), t.item])
    if plan.resign and store.audit(plan.audit_id).status == SIGNED_OFF:
        store.set_status(plan.audit_id, SIGNED_OFF, note="signed off again in the package")
