"""Writing a planned foreign import into the workspace: one transaction, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from importers.import_report import IMPORTED, SKIPPED, ImportReport, ReportLine
from models.foreign_imports import (
    REPLACE,
    SKIP,
    AuditRows,
    ImportSource,
    apply_rows,
)
from models.gc_pause import gc_paused
from models.progress import Progress, ShouldCancel
from models.questionnaire import Questionnaire
from models.store import Store

if TYPE_CHECKING:
    from importers.foreign_records import ForeignPlan


@gc_paused()
def apply_foreign(
    store: Store,
    plan: ForeignPlan,
    questionnaire: Questionnaire,
    *,
    on_repeat: str | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> ImportReport:
    """Write the plan in one transaction; the returned report is the plan's, marked done.

    A target that already holds an import of this very file needs `on_repeat` ("replace"
    or "skip"); without it nothing is written and ValueError says which audits.
    """
    cycle = plan.targets[0].cycle if plan.targets else ""
    if not cycle:
        raise ValueError("Choose the audit cycle to import into.")
    if plan.report.blocked:
        raise ValueError(f"{plan.file.path.name}: nothing was imported. {plan.report.blocked}")
    if plan.repeats and on_repeat not in (REPLACE, SKIP):
        names = ", ".join(t.department.name for t in plan.repeats)
        raise ValueError(
            f"{plan.file.path.name} has been imported into {names} ({cycle}) before: "
            "choose to replace those rows or skip those audits."
        )
    batches: dict[str, AuditRows] = {}
    for target in plan.targets:
        if not target.signed_off:
            batches[target.department.id] = AuditRows(
                plan.mapping.target,
                target.department.id,
                cycle,
                target.audit_id,
                replace_rows=plan.replaces.get(target.department.id, []),
            )
    for item in plan.rows:
        if item.imported and item.department is not None and item.department.id in batches:
            batches[item.department.id].rows.append(
                (item.row.cells, item.row.source_row, item.row.source)
            )
    report = replace(
        plan.report,
        dry_run=False,
        lines=list(plan.report.lines),
        per_audit=dict(plan.report.per_audit),
        notes=list(plan.report.notes),
    )
    source = ImportSource(
        plan.file.path.name,
        plan.file.book.checksum,
        plan.recognition.layout_id,
        plan.file_sheet_key,
        _stored_report(report),
    )
    results = apply_rows(
        store,
        questionnaire,
        source,
        list(batches.values()),
        on_repeat=on_repeat or SKIP,
        should_cancel=should_cancel,
        progress=progress,
    )
    edited = {t.department.id: t.edited for t in plan.targets}
    for result, batch in zip(results, batches.values(), strict=True):
        name = store.department(batch.department_id).name
        if result.skipped_as_repeat:
            chosen = " as you chose" if on_repeat == SKIP else " (imported there meanwhile)"
            report.notes.append(f"{name}, {cycle}: this file was imported before; skipped{chosen}.")
            _unimport(report, f"{name}, {cycle}", "skipped: this file was imported before")
        elif result.rows_replaced:
            note = (
                f"{name}, {cycle}: replaced the {result.rows_replaced:,} rows an earlier "
                "import added"
            )
            if edited.get(batch.department_id):
                note += (
                    f", {edited[batch.department_id]:,} of them edited since (the audit's "
                    "history keeps the edits)"
                )
            report.notes.append(note + ".")
        if result.created:
            report.notes.append(f"Created the {name} audit for {cycle}, marked as imported.")
    return report


def _unimport(report: ImportReport, audit: str, reason: str) -> None:
    """Turn an audit's imported lines into skipped ones (a repeat the user chose to skip)."""
    lines = []
    for line in report.lines:
        if line.audit == audit and line.outcome == IMPORTED:
            line = ReportLine(line.source_row, SKIPPED, audit, reason)
            report.imported -= 1
            report.skipped += 1
        lines.append(line)
    report.lines = lines
    report.per_audit.pop(audit, None)


def _stored_report(report: ImportReport) -> str:
    """The report kept with the import: every line but the imported ones (counted)."""
    kept = replace(report, lines=[line for line in report.lines if line.outcome != IMPORTED])
    return kept.to_json()
