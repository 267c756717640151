"""The board report for one audit: the typeset PDF a Permanent Secretary reads.

Everything it says is computed in `models/` (scoring, findings, recommendation rules, cycle
medians); this module gathers those figures and `board_report_pages` lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from exporters.evidence_appendix import row_places
from exporters.redaction import redact_rows
from exporters.report_content import Furniture, Report
from exporters.report_options import ReportOptions, ReportResult, write_report
from models.chain_anchor import current_head
from models.content_hash import signed_seal
from models.cycle_summary import (
    AuditFigures,
    audit_figures,
    audit_rows,
    cycle_section_medians,
    department_history,
    prior_audit,
)
from models.data_quality import DataQualityNote, audit_notes
from models.evidence import Evidence
from models.evidence import listed as listed_evidence
from models.findings import Finding, key_findings
from models.progress import Progress, no_progress, stage
from models.recommendations import Recommendation, recommend
from models.records import STATUS_LABELS, Department
from models.store import Store
from models.validation import visible_questions


@dataclass(frozen=True)
class BoardReportData:
    """Everything one board report shows, already computed and (if asked) redacted."""

    department: Department
    figures: AuditFigures
    history: list[AuditFigures]  # the department's audits up to this one, oldest first
    prior: AuditFigures | None
    medians: dict[str, float | None]
    answers: dict[str, Any]
    comments: dict[str, str]
    shown: set[str]  # ids of the questions the form shows for these answers
    rows: dict[str, list[dict[str, Any]]]
    findings: list[Finding]
    recommendations: list[Recommendation]
    options: ReportOptions
    issued: date
    chain_head: str = ""  # the history's chain head when gathered: "1234:9f2c81d077aa0e13"
    sign_off_seal: str = ""  # over department, cycle, auditor and content (content_hash.py)
    data_quality: tuple[DataQualityNote, ...] = ()  # open notes, listed in their own appendix
    evidence: tuple[Evidence, ...] = ()  # files kept with the audit (exporters/evidence_appendix)
    evidence_places: Mapping[str, str | None] = field(default_factory=dict)  # their rows


def gather(
    store: Store, audit_id: str, options: ReportOptions, progress: Progress = no_progress
) -> BoardReportData:
    """Read and compute everything the board report of `audit_id` shows."""
    progress(0, 4)
    figures = audit_figures(store, audit_id)
    audit = figures.audit
    questionnaire = figures.questionnaire
    history = department_history(store, audit_id)
    progress(1, 4)
    before = prior_audit(store, audit_id)  # by cycle date; None when it cannot be told
    prior = next((f for f in history if before is not None and f.audit.id == before.id), None)
    medians = cycle_section_medians(store, audit.cycle)
    progress(2, 4)
    answers = store.answers(audit_id)
    rows = audit_rows(store, audit_id, questionnaire)
    data_quality = audit_notes(questionnaire, answers, rows, audit.cycle)  # before redaction
    if options.redact_names:
        rows = {
            table.id: redact_rows(
                table, rows.get(table.id, []), [r.id for r in store.rows(audit_id, table.id)]
            )
            for table in questionnaire.table_questions()
        }
    findings = key_findings(figures, prior, medians)
    kept = listed_evidence(store, audit_id)
    recommendations = recommend(questionnaire, answers, figures.score)
    progress(3, 4)
    return BoardReportData(
        department=store.department(audit.department_id),
        figures=figures,
        history=history,
        prior=prior,
        medians=medians,
        answers=answers,
        comments=store.comments(audit_id),
        shown=visible_questions(questionnaire, answers),
        rows=rows,
        findings=findings,
        recommendations=recommendations,
        options=options,
        issued=date.today(),
        chain_head=current_head(store.conn).text(),
        sign_off_seal=signed_seal(store.conn, audit_id),
        data_quality=tuple(data_quality),
        evidence=tuple(kept),
        evidence_places=row_places(store, audit_id, kept, questionnaire),
    )


def draft_line(status: str) -> str:
    """What every page of a report on an audit not signed off says of it ("" once signed off)."""
    if status == "signed_off":
        return ""
    if status == "draft":
        return "DRAFT: not yet submitted or signed off. Figures may change."
    return f"DRAFT: {STATUS_LABELS.get(status, status).lower()}, not yet signed off."


def board_report(data: BoardReportData) -> Report:
    """The whole board report as content: what the PDF and the Word file both say."""
    from exporters.board_report_pages import board_content

    audit = data.figures.audit
    dept = data.department
    short = dept.abbreviation or dept.name
    return Report(
        title=f"{audit.department_name}: technology capability board report, {audit.cycle}",
        subject=(
            f"Board-level technology capability audit of {audit.department_name}, "
            f"{audit.cycle}: findings, recommendations and the answers behind them."
        ),
        author=audit.auditor or "Baseline",
        keywords=("technology capability", "board report", audit.cycle, short),
        furniture=Furniture(
            data.options.marking,
            f"{short} · {audit.cycle} · Board report",
            data.issued,
            draft=draft_line(audit.status),
        ),
        blocks=board_content(data),
        status=STATUS_LABELS.get(audit.status, audit.status),
    )


def write_board_report(
    store: Store,
    audit_id: str,
    path: Path,
    options: ReportOptions | None = None,
    progress: Progress = no_progress,
    *,
    issued: date | None = None,
) -> ReportResult:
    """Write the board report of one audit to `path`, a PDF or, named .docx, a Word file
    (replaced only when complete)."""
    options = options or ReportOptions()
    data = gather(store, audit_id, options, stage(progress, 0, 20))
    if issued is not None:
        data = replace(data, issued=issued)
    return write_report(board_report(data), Path(path), stage(progress, 20, 100))
