"""What `audit show --json` adds to an audit: its figures and open data-quality notes.

Both are worked out by the same code the form, dashboard and reports use
(models/cycle_summary.py, models/data_quality.py); reading a document back ignores them.
"""

from __future__ import annotations

from typing import Any

from models.cycle_summary import audit_figures
from models.data_quality import stored_audit_notes
from models.records import Audit
from models.scoring import Coverage, IndicatorValue
from models.store import Store


def _indicator(value: IndicatorValue) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "label": value.label,
        "kind": value.kind,
        "value": value.value,
        "text": value.text,
        "status": value.status,
    }
    if value.kind != "flag":
        shown["numerator"] = value.numerator
        shown["denominator"] = value.denominator
    if value.groups:
        shown["groups"] = {k: {"count": c, "sum": s} for k, (c, s) in value.groups.items()}
    if value.note:
        shown["note"] = value.note
    if value.coverage is not None:
        shown["coverage"] = _coverage(value.coverage)
    return shown


def _coverage(cover: Coverage) -> dict[str, Any]:
    return {"answered": cover.answered, "total": cover.total, "provisional": cover.provisional}


def figures(store: Store, audit: Audit) -> dict[str, Any]:
    """Maturity by section and overall, completion and every indicator, as the reports give them."""
    found = audit_figures(store, audit.id)
    score = found.score
    return {
        "overall_maturity": score.overall,
        "section_maturity": dict(score.section_maturity),
        "section_coverage": {  # a rating on fewer answers than asked for is provisional
            key: _coverage(cover) for key, cover in score.section_coverage.items()
        },
        "overall_coverage": (  # across the scored sections: provisional as a section is
            None if score.overall_coverage is None else _coverage(score.overall_coverage)
        ),
        "completion_percent": found.completion,
        "questions_answered": found.answered,
        "questions_shown": found.shown,
        "required_unanswered": found.missing_required,
        "indicators": {key: _indicator(value) for key, value in score.indicators.items()},
    }


def data_quality(store: Store, audit: Audit) -> list[dict[str, Any]]:
    """The open data-quality notes, each with the place it names."""
    return [
        {
            "rule": note.rule_id,
            "kind": note.kind,
            "severity": note.severity,
            "section": note.section_id,
            "question": note.subject_id,
            "rows": list(note.rows),
            "columns": list(note.columns),
            "place": note.place,
            "message": note.message,
        }
        for note in stored_audit_notes(store, audit.id)
    ]
