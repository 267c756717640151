"""Merging another workspace's audit package: record by record, by the change ids each side knows.

A record is an answer, a comment, a table row or an audit's status. For each, the changes
the package knows of and this workspace does not are "theirs"; the ones only this
workspace knows are "mine". Only theirs: take their value (fast-forward). Only mine: keep.
Both, with different values: a conflict that nothing overwrites until someone chooses.
Their change ids are then absorbed, so importing the same package again changes nothing.
Everything is written in one transaction: the whole package, or nothing.

This module applies a plan; planning is in models/merge_planning.py (its checks in
models/merge_checks.py), the vocabulary and words for conflicts in models/merge_records.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from models.audit_content import AuditContent, TableRow, restore_audit, restore_department
from models.audit_package import Package, PackageChange, PackagedAudit
from models.content_hash import short
from models.evidence import insert as insert_evidence
from models.foreign_imports import merge_imports
from models.incoming import listed
from models.merge_planning import plan_merge
from models.merge_records import (
    DRAFT,
    MINE,
    NEEDS_ANSWERS,
    SIGNED_OFF,
    THEIRS,
    AuditPlan,
    Conflict,
    Key,
    MergeError,
    MergePlan,
    MergeReport,
    Record,
    Take,
    UnresolvedConflictsError,
    Version,
    changed_by,
    describe,
    show,
)
from models.package_evidence import from_value as evidence_from_value
from models.package_evidence import take_files
from models.package_evidence import value as evidence_value
from models.package_shape import refused_lines, unfit_values
from models.store import DuplicateAuditError, Store, WorkspaceWriteError, _dump, _now
from models.values import is_empty

__all__ = [
    "DRAFT",
    "MINE",
    "NEEDS_ANSWERS",
    "SIGNED_OFF",
    "THEIRS",
    "AuditPlan",
    "Conflict",
    "Key",
    "MergeError",
    "MergePlan",
    "MergeReport",
    "Record",
    "Take",
    "UnresolvedConflictsError",
    "Version",
    "apply_merge",
    "changed_by",
    "describe",
    "plan_merge",
    "show",
]


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
    from models.package_checks import cross_audit_problems

    collisions = cross_audit_problems(package.audits)  # a package built in code, too
    if collisions:
        raise MergeError(
            f"{package.name} is refused: its audits collide, so merging would write one "
            f"audit's content into another's; nothing was merged:\n{listed(collisions)}"
        )
    report = MergeReport(package.name)
    report.notes += refused_lines(package)
    # Evidence files first, each checked against its hash: rows written below name them.
    take_files(store, package.path, package.audits)
    with store.recording(note=f"merged from {package.name}", own=False):
        plan = plan_merge(store, package, resolutions, take=take)
        if plan.conflicts:
            raise UnresolvedConflictsError(plan.conflicts)
        for audit_plan in plan.audits:
            _apply_audit(store, audit_plan, report)
        _check_evidence(store, plan, report)
    return report


def _check_evidence(store: Store, plan: MergePlan, report: MergeReport) -> None:
    """Evidence merged must be where `evidence add` would put it (one check:
    models/evidence.target_problem), checked once every audit is written: else nothing is."""
    from models.evidence import target_problem

    problems = []
    for p in plan.audits:
        if p.audit_id not in report.changed_audit_ids:
            continue
        if p.action == "add":
            items = [e.id for e in p.incoming.evidence]
        else:
            items = [t.item for t in p.takes if t.kind == "evidence" and t.value is not None]
        for item in items:
            row = store.conn.execute(
                "SELECT question_id, row_id, name FROM evidence WHERE id = ? AND audit_id = ?",
                [item, p.audit_id],
            ).fetchone()
            problem = row and target_problem(store, p.audit_id, row[0], row[1], gone_row=True)
            if problem:
                problems.append(f"{p.title}: the evidence file {row[2]!r}: {problem}")
    if problems:
        raise MergeError(
            f"{plan.package.name} is refused: evidence in it is not on a question and row of "
            f"its own audit; nothing was merged:\n{listed(problems)}"
        )


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
    if not incoming.evidence:
        restore_audit(store, audit, content, note="")  # sealed with the merge's own note
        return
    # Evidence goes in before the status: a signed-off audit takes no more, and its
    # sign-off must cover the evidence it was signed off with.
    restore_audit(store, replace(audit, status=DRAFT), content, note="")
    for e in incoming.evidence:
        _write_evidence(store, audit.id, e.id, evidence_value(e))
    if audit.status != DRAFT:
        store.set_status(audit.id, audit.status)
    if audit.updated_at:
        store.conn.execute(
            "UPDATE audits SET updated_at = ? WHERE id = ?", [audit.updated_at, audit.id]
        )


def _merge_audit(store: Store, plan: AuditPlan) -> None:
    conn = store.conn
    audit_id = plan.audit_id
    now = _now()
    content = plan.content_takes
    current = store.audit(audit_id).status
    moves_auditor = not plan.resign and any(t.kind == "audit" for t in plan.takes)
    if (content or moves_auditor) and current == SIGNED_OFF:  # the package's status is taken
        store.set_status(audit_id, DRAFT, note=plan.note if plan.status == DRAFT else "")
    tables: set[str] = set()
    for t in content:
        if t.kind == "answer":  # the store's own writes: one way to store an answer
            store.set_answer(audit_id, t.item, None if is_empty(t.value) else t.value)
        elif t.kind == "comment":
            store.set_comment(audit_id, t.item, str(t.value) if t.value else "")
        elif t.kind == "evidence":
            _write_evidence(store, audit_id, t.item, t.value)
        elif t.kind == "row":
            tables.add(t.question_id)
            if t.value is None:
                conn.execute(
                    "DELETE FROM table_rows WHERE id = ? AND audit_id = ?", [t.item, audit_id]
                )
            else:  # never into another audit's row: the guard skips it, and that refuses
                written = conn.execute(
                    "INSERT INTO table_rows (id, audit_id, question_id, position, cells,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " position = excluded.position, cells = excluded.cells,"
                    " updated_at = excluded.updated_at"
                    " WHERE table_rows.audit_id = excluded.audit_id",
                    [t.item, audit_id, t.question_id, t.position or 0, _dump(t.value), now],
                ).rowcount
                if written != 1:
                    raise _Refused(
                        f"one of its rows ({t.item}) belongs to another audit here; nothing "
                        "of it was merged."
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


def _write_evidence(store: Store, audit_id: str, item: str, value: Any) -> None:
    """Write (or, for None, delete) one evidence row as the package has it."""
    owner = store.conn.execute("SELECT audit_id FROM evidence WHERE id = ?", [item]).fetchone()
    if owner is not None and owner[0] != audit_id:
        raise _Refused(f"one of its evidence files ({item}) belongs to another audit here.")
    if value is None:
        store.conn.execute("DELETE FROM evidence WHERE id = ?", [item])
        return
    e = evidence_from_value(item, audit_id, value)
    if owner is None:
        insert_evidence(store, e)
        return
    store.conn.execute(
        "UPDATE evidence SET question_id = ?, row_id = ?, name = ?, size = ?, sha256 = ?,"
        " added_at = ?, added_by = ?, removed = ? WHERE id = ?",
        [e.question_id, e.row_id, e.name, e.size, e.sha256, e.added_at, e.added_by,
         int(e.removed), item],
    )  # fmt: skip


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
