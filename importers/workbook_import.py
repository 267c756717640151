"""Importing the app's own workbooks: plan what would change, show it, then apply all or nothing."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from importers.own_workbook_records import IncomingAudit, Problem, Shown, WorkbookContents
from models import lifecycle
from models.audit_content import (
    AuditContent,
    TableRow,
    read_content,
    replace_content,
    restore_audit,
    restore_department,
)
from models.completion import blank_required_cells, complete_row_counts
from models.content_diff import Change, diff_content
from models.incoming import MismatchError, audit_owner_problem, department_id_problem
from models.lifecycle import SIGNED_OFF, SUBMIT, LifecycleError, Move, moves
from models.records import STATUS_LABELS, Audit, Department
from models.scoring import missing_required
from models.store import SignedOffError, Store, WorkspaceError
from models.validation import clean_label
from models.values import is_empty
from models.workbook_format import layout as L


@dataclass
class PlannedAudit:
    """What importing does to one audit."""

    incoming: IncomingAudit
    department: Department | None  # the workspace's department, None when it will be added
    target: Audit | None  # the audit that changes, None when a new one is added
    content: AuditContent  # what the audit will hold afterwards
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is left as it is, and why

    @property
    def action(self) -> str:
        if self.target is None:
            return "add"
        return "update" if self.changes else "unchanged"

    @property
    def title(self) -> str:
        dept = self.department.name if self.department else self.incoming.department.name
        return f"{dept}, {self.incoming.audit.cycle}"


@dataclass
class ImportPlan:
    """A workbook's effect on a workspace, listed before anything is written."""

    contents: WorkbookContents
    audits: list[PlannedAudit]

    @property
    def problems(self) -> list[Problem]:
        return self.contents.problems

    @property
    def notes(self) -> list[str]:
        return self.contents.notes + [n for p in self.audits for n in p.notes]

    @property
    def changes_anything(self) -> bool:
        return any(p.action != "unchanged" for p in self.audits)

    def summary(self) -> str:
        """One line per audit, for the preview and the command line."""
        lines = []
        for p in self.audits:
            if p.action == "add":
                lines.append(f"Add the audit {p.title} (new).")
            elif p.action == "update":
                lines.append(f"Update {p.title}: {len(p.changes)} change(s).")
            else:
                lines.append(f"{p.title}: already up to date.")
        return "\n".join(lines)


def plan_import(store: Store, contents: WorkbookContents) -> ImportPlan:
    """Match each audit in the workbook to the workspace and work out what would change."""
    planned = []
    for incoming in contents.audits:
        _check_ids(store, contents, incoming)
        department = _find_department(store, incoming.department)
        target = None
        if incoming.audit.id:
            try:
                target = store.audit(incoming.audit.id)
            except KeyError:
                target = None
        if target is None and department is not None:  # the cycle as given, else as stored
            cycle = incoming.audit.cycle
            target = store.find_audit(department.id, cycle) or store.find_audit(
                department.id, clean_label(cycle)
            )
        if target is not None:
            _check_version(contents, incoming, target)
        current = read_content(store, target.id) if target is not None else AuditContent()
        if contents.kind == L.KIND_DATA_RETURN:
            content = _merge_return(current, incoming, contents.shown)
        else:
            content = _export_content(current, incoming)
        changes = diff_content(incoming.questionnaire, current, content)
        notes = []
        if contents.kind == L.KIND_EXPORT and target is not None:
            statuses = (target.status, incoming.audit.status)
            if statuses[0] != statuses[1] and SIGNED_OFF in statuses:
                notes.append(_kept_status(target, incoming.audit))
            refused = _move_refused(target, incoming, content)
            notes += [refused] if refused else []
            changes += _audit_changes(target, incoming.audit, move=refused is None)
        if target is not None and target.status == SIGNED_OFF and changes:
            notes.append(_signed_off_refusal(target, changes))
        planned.append(PlannedAudit(incoming, department, target, content, changes, notes))
    return ImportPlan(contents, planned)


def _check_version(contents: WorkbookContents, incoming: IncomingAudit, target: Audit) -> None:
    """Refuse a file read on another questionnaire than the audit here is on: its content was
    checked against that one (a version 2 table went into a version 1 audit unseen)."""
    form = incoming.questionnaire
    if (form.id, form.version) == (target.questionnaire_id, target.questionnaire_version):
        return
    raise MismatchError(
        f"{Path(contents.path).name} is refused: it holds {target.department_name}, "
        f"{target.cycle} on questionnaire {form.id} version {form.version}, but that audit "
        f"here is on version {target.questionnaire_version} ({target.questionnaire_id}). "
        "Nothing of it was imported: answers and rows of one version do not fit the other."
    )


def _check_ids(store: Store, contents: WorkbookContents, incoming: IncomingAudit) -> None:
    """Refuse a workbook whose audit or department id is another department's or cycle's here:
    the preview names the department and cycle the workbook shows, so only those may change."""
    shown = incoming.department.name
    problem = audit_owner_problem(
        store, incoming.audit.id, shown, incoming.audit.cycle
    ) or department_id_problem(store, incoming.department)
    if problem is not None:
        name = Path(contents.path).name
        raise MismatchError(f"{name} is refused: {problem}")


def _kept_status(target: Audit, incoming: Audit) -> str:
    label = STATUS_LABELS.get(target.status, target.status)
    wanted = STATUS_LABELS.get(incoming.status, incoming.status)
    how = "Audit ▸ Reopen…" if target.status == SIGNED_OFF else "Audit ▸ Sign off…"
    return (
        f"{target.department_name}, {target.cycle}: left {label.lower()}, not "
        f"{wanted.lower()} as in the workbook. Only the app signs an audit off or reopens "
        f"it, with a record of who and why ({how})."
    )


def _signed_off_refusal(target: Audit, changes: list[Change]) -> str:
    """What the preview says of changes to a signed-off audit: importing them is refused."""
    auditor = next((c for c in changes if c.kind == "audit" and c.where == "Auditor"), None)
    what = f"its auditor, {auditor.old!r} → {auditor.new!r}" if auditor else ""
    others = len(changes) - (auditor is not None)
    what = ", ".join(w for w in (f"{others} other change(s)" if others else "", what) if w)
    return (
        f"{target.department_name}, {target.cycle} is signed off here and the file changes "
        f"it ({what}): importing is refused until it is reopened (Audit ▸ Reopen…). A "
        "signed-off audit's content and auditor stay what its sign-off covered."
    )


def _status_move(target: Audit, status: str) -> Move | None:
    """The one lifecycle move from the audit's status to `status` an import may make (never
    a sign-off or a reopen, which only the app's own moves make, with who and why)."""
    if SIGNED_OFF in (target.status, status):
        return None
    return next((m for m in moves(target) if m.target == status), None)


def _move_refused(target: Audit, incoming: IncomingAudit, content: AuditContent) -> str | None:
    """Why the workbook's status is not taken (None when it is, or is the same): a status
    changes by one of the lifecycle's moves, with its checks (a submit needs every required
    answer and cell in what the import leaves), as `audit move` makes it."""
    wanted = incoming.audit.status
    if wanted == target.status or SIGNED_OFF in (target.status, wanted):
        return None
    label, asked = (STATUS_LABELS.get(s, s).lower() for s in (target.status, wanted))
    where = f"{target.department_name}, {target.cycle}: left {label}, not {asked} as in the file"
    move = _status_move(target, wanted)
    if move is None:
        return (
            f"{where}: {label} cannot move to {asked} in one step (Audit menu: "
            f"{', '.join(m.label for m in moves(target)) or 'no move'})."
        )
    if move is SUBMIT:
        form = incoming.questionnaire
        rows = {t: [r.cells for r in table] for t, table in content.tables.items()}
        missing = missing_required(form, content.answers, complete_row_counts(form, rows))
        blanks = blank_required_cells(form, content.answers, rows)
        if missing or blanks:
            return (
                f"{where}: submitting needs every required answer and cell, and "
                f"{len(missing)} required question(s) and {len(blanks)} required cell(s) "
                "would be blank."
            )
    return None


def _audit_changes(target: Audit, incoming: Audit, *, move: bool = True) -> list[Change]:
    """Status (one lifecycle move, when `move`) and auditor, which an export carries and
    restores; never into or out of signed off, which only the lifecycle's own moves make."""
    changes = []
    if move and _status_move(target, incoming.status) is not None:
        old, new = (STATUS_LABELS.get(s, s) for s in (target.status, incoming.status))
        changes.append(Change("audit", "", "Status", old, new))
    auditor = clean_label(incoming.auditor)  # as it would be stored: spacing is no change
    if target.auditor != auditor:
        changes.append(Change("audit", "", "Auditor", target.auditor, auditor))
    return changes


def _find_department(store: Store, dept: Department) -> Department | None:
    for key in (dept.id, dept.govuk_id, dept.name):
        if not key:
            continue
        if key == dept.govuk_id:
            found = next((d for d in store.departments() if d.govuk_id == key), None)
        else:
            found = store.find_department(key)
        if found is not None:
            return found
    return None


def _with_kept_values(current: AuditContent, incoming: IncomingAudit) -> AuditContent:
    """The workbook's content, with values that could not be read kept as they were."""
    content = copy.deepcopy(incoming.content)
    for qid in incoming.skipped_answers:
        if qid in current.answers:
            content.answers[qid] = current.answers[qid]
    for qid in incoming.skipped_comments:  # too long to take: the audit's own stays
        if qid in current.comments:
            content.comments[qid] = current.comments[qid]
    old_rows = {r.id: r for rows in current.tables.values() for r in rows if r.id}
    for table_id, index, column_id in incoming.skipped_cells:
        rows = content.tables.get(table_id, [])
        if index < len(rows):
            old = old_rows.get(rows[index].id or "")
            if old is not None and column_id in old.cells:
                rows[index].cells[column_id] = old.cells[column_id]
    return content


def _is_table(incoming: IncomingAudit, qid: str) -> bool:
    form = incoming.questionnaire
    return form.has_question(qid) and form.question(qid).is_table


def _export_content(current: AuditContent, incoming: IncomingAudit) -> AuditContent:
    """An export's content over the audit's, for every question the workbook has a row for.

    A question whose row was deleted or could not be read keeps what the audit has.
    """
    received = _with_kept_values(current, incoming)
    content = copy.deepcopy(current)
    for qid in incoming.seen:
        if _is_table(incoming, qid):
            content.tables[qid] = received.tables.get(qid, [])
        elif is_empty(received.answers.get(qid)):
            content.answers.pop(qid, None)
        else:
            content.answers[qid] = received.answers[qid]
        if received.comments.get(qid):
            content.comments[qid] = received.comments[qid]
        else:
            content.comments.pop(qid, None)
    return content


def _merge_return(current: AuditContent, incoming: IncomingAudit, shown: Shown) -> AuditContent:
    """A data return's answers over the audit's, changing only what the department changed.

    A filled-in cell sets its answer. A blank cell clears an answer only when the return
    showed it pre-filled (it was deleted on purpose); anything the auditor added since the
    return was sent, or that the return never showed, stays.
    """
    received = _with_kept_values(current, incoming)
    content = copy.deepcopy(current)
    for qid in incoming.seen:
        comment = received.comments.get(qid, "")
        if comment:
            content.comments[qid] = comment
        elif qid in shown.comments:
            content.comments.pop(qid, None)
        if _is_table(incoming, qid):
            content.tables[qid] = merge_rows(
                current.tables.get(qid, []), received.tables.get(qid, []), shown.rows
            )
            continue
        value = received.answers.get(qid)
        if not is_empty(value):
            content.answers[qid] = value
        elif qid in shown.answers and qid not in incoming.skipped_answers:
            content.answers.pop(qid, None)
    return content


def merge_rows(
    current: list[TableRow], returned: list[TableRow], shown: set[str]
) -> list[TableRow]:
    """A returned table's rows merged into the audit's.

    Returned rows come first, in the return's order: a row with a known id updates it; a
    new row takes the id of an identical row the audit already has (so importing the same
    return twice changes nothing). The audit's rows the return showed but no longer has
    were deleted; its rows the return never showed are kept, after the returned ones.
    """
    ids = {r.id for r in current if r.id}
    unshown: dict[str, list[TableRow]] = {}
    for row in current:
        if row.id not in shown:
            unshown.setdefault(_key(row.cells), []).append(row)
    used: set[str] = set()
    result = []
    for row in returned:
        if row.id and row.id in ids and row.id not in used:
            used.add(row.id)
            result.append(TableRow(row.id, dict(row.cells)))
            continue
        twins = [r for r in unshown.get(_key(row.cells), []) if r.id not in used]
        if twins:
            used.add(twins[0].id or "")
            result.append(TableRow(twins[0].id, dict(row.cells)))
        else:
            result.append(TableRow(None, dict(row.cells)))
    result += [r for r in current if r.id not in used and r.id not in shown]
    return result


def _key(cells: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in cells.items() if not is_empty(v)}, sort_keys=True)


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]

    def summary(self) -> str:
        parts = []
        if self.added:
            parts.append(f"added {len(self.added)} audit(s)")
        if self.updated:
            parts.append(f"updated {len(self.updated)}")
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already up to date")
        return "Imported: " + (", ".join(parts) or "nothing") + "."


def apply_import(store: Store, plan: ImportPlan) -> ImportResult:
    """Write the plan in one transaction: every audit changes, or none does."""
    name = Path(plan.contents.path).name
    try:
        return _apply(store, plan, name)
    except KeyError as exc:  # a record the plan named is gone: rolled back, said plainly
        raise WorkspaceError(
            f"{name} could not be imported: {exc.args[0] if exc.args else exc}. "
            "Nothing was imported."
        ) from None


def _apply(store: Store, plan: ImportPlan, name: str) -> ImportResult:
    added, updated, unchanged = [], [], []
    with store.transaction("import the workbook"):
        for p in plan.audits:
            if p.target is None:
                department = p.department or restore_department(store, p.incoming.department)
                audit = p.incoming.audit
                if plan.contents.kind == L.KIND_DATA_RETURN or not audit.id:
                    audit = replace(
                        audit,
                        id=_fresh_id(store, audit.id),
                        status="draft",
                        source=f"data return {name}",
                        created_at="",
                        updated_at="",
                    )
                audit = replace(audit, department_id=department.id, department_name=department.name)
                restore_audit(store, audit, p.content)
                added.append(p.title)
            elif p.changes:
                try:
                    if store.audit(p.target.id).status == SIGNED_OFF:
                        raise SignedOffError(p.title)  # its auditor too, not its content only
                    if any(c.kind != "audit" for c in p.changes):
                        replace_content(store, p.target.id, p.content)
                    if plan.contents.kind == L.KIND_EXPORT:
                        incoming = p.incoming.audit
                        store.set_audit_fields(p.target.id, auditor=incoming.auditor)
                        move = _status_move(store.audit(p.target.id), incoming.status)
                        asked = [c for c in p.changes if c.kind == "audit" and c.where == "Status"]
                        if move and asked:
                            lifecycle.apply(  # its checks again, on what was just written
                                store,
                                p.target.id,
                                move,
                                questionnaire=p.incoming.questionnaire,
                                reason=f"imported from {name}",
                            )
                except LifecycleError as exc:
                    raise WorkspaceError(
                        f"{name} is refused: {exc} Nothing was imported."
                    ) from None
                except SignedOffError:
                    raise SignedOffError(
                        f"{name} changes {p.title}, which is signed off here: reopen it "
                        "(Audit ▸ Reopen…) to import the changes. Nothing was imported."
                    ) from None
                updated.append(p.title)
            else:
                unchanged.append(p.title)
    return ImportResult(added, updated, unchanged)


def _fresh_id(store: Store, wanted: str) -> str:
    """The workbook's audit id when this workspace does not use it, else a new one."""
    import uuid

    if wanted:
        try:
            store.audit(wanted)
        except KeyError:
            return wanted
    return str(uuid.uuid4())
