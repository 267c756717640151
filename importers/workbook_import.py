"""Importing the app's own workbooks: plan what would change, show it, then apply all or nothing."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path

from exporters import layout as L
from importers.own_workbook import IncomingAudit, Problem, WorkbookContents
from models.audit_content import (
    AuditContent,
    TableRow,
    read_content,
    replace_content,
    restore_audit,
    restore_department,
)
from models.content_diff import Change, diff_content
from models.records import Audit, Department
from models.store import Store
from models.validation import is_empty


@dataclass
class PlannedAudit:
    """What importing does to one audit."""

    incoming: IncomingAudit
    department: Department | None  # the workspace's department, None when it will be added
    target: Audit | None  # the audit that changes, None when a new one is added
    content: AuditContent  # what the audit will hold afterwards
    changes: list[Change] = field(default_factory=list)

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
        return self.contents.notes

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
        department = _find_department(store, incoming.department)
        target = None
        if incoming.audit.id:
            try:
                target = store.audit(incoming.audit.id)
            except KeyError:
                target = None
        if target is None and department is not None:
            target = store.find_audit(department.id, incoming.audit.cycle)
        current = read_content(store, target.id) if target is not None else AuditContent()
        if contents.kind == L.KIND_DATA_RETURN:
            content = _merge_return(current, incoming, prefilled=contents.prefilled)
        else:
            content = _with_kept_values(current, incoming)
        changes = diff_content(incoming.questionnaire, current, content)
        planned.append(PlannedAudit(incoming, department, target, content, changes))
    return ImportPlan(contents, planned)


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
    old_rows = {r.id: r for rows in current.tables.values() for r in rows if r.id}
    for table_id, index, column_id in incoming.skipped_cells:
        rows = content.tables.get(table_id, [])
        if index < len(rows):
            old = old_rows.get(rows[index].id or "")
            if old is not None and column_id in old.cells:
                rows[index].cells[column_id] = old.cells[column_id]
    return content


def _merge_return(
    current: AuditContent, incoming: IncomingAudit, *, prefilled: bool
) -> AuditContent:
    """A data return's answers over the audit's.

    A pre-filled return shows every answer, so what it leaves blank was cleared on purpose.
    A blank return's empty cells never wipe an answer the auditor has; a table it fills
    in replaces the audit's table (the preview lists the rows that go), an empty one
    leaves it alone.
    """
    received = _with_kept_values(current, incoming)
    content = copy.deepcopy(current)
    for qid in incoming.seen:
        question = (
            incoming.questionnaire.question(qid)
            if incoming.questionnaire.has_question(qid)
            else None
        )
        if question is not None and question.is_table:
            rows = received.tables.get(qid, [])
            if rows or prefilled:
                content.tables[qid] = [TableRow(r.id, dict(r.cells)) for r in rows]
            continue
        value = received.answers.get(qid)
        if not is_empty(value):
            content.answers[qid] = value
        elif prefilled and qid not in incoming.skipped_answers:
            content.answers.pop(qid, None)
        comment = received.comments.get(qid, "")
        if comment:
            content.comments[qid] = comment
        elif prefilled:
            content.comments.pop(qid, None)
    return content


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
    added, updated, unchanged = [], [], []
    name = Path(plan.contents.path).name
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
                replace_content(store, p.target.id, p.content)
                if plan.contents.kind == L.KIND_EXPORT:
                    incoming = p.incoming.audit
                    store.set_audit_fields(
                        p.target.id, auditor=incoming.auditor, status=incoming.status
                    )
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
