"""The board report's notes on its figures: each indicator's written rule, how much of it
rests on answers, and the conflicts to resolve before sign-off.

The rules are the `definition` of each indicator in the questionnaire file, so the report
says exactly what the scoring counts (models/scoring.py, models/indicator_flags.py).
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from exporters.pdf_document import Styles, para
from exporters.report_blocks import heading
from models.cycle_summary import AuditFigures
from models.indicator_flags import CONFLICTING, CONFLICTING_TEXT
from models.scoring import IndicatorValue

NOTES_TITLE = "How the figures are worked out"
RESOLVE_TITLE = "To resolve before sign-off"


def conflicting_indicators(figures: AuditFigures) -> list[IndicatorValue]:
    """The audit's flags whose answer and table disagree, in questionnaire order."""
    found = []
    for indicator in figures.questionnaire.indicators:
        value = figures.score.indicators.get(indicator.id)
        if value is not None and value.status == CONFLICTING:
            found.append(value)
    return found


def indicator_notes(figures: AuditFigures, styles: Styles) -> list[Flowable]:
    """Conflicts first (they stop a figure being printed), then every indicator's rule."""
    story: list[Flowable] = [CondPageBreak(160)]
    conflicts = conflicting_indicators(figures)
    if conflicts:
        story += heading(RESOLVE_TITLE, styles.h2, 1, "notes", "resolve")
        for conflict in conflicts:
            story.append(para(f"{conflict.label}: {CONFLICTING_TEXT}.", styles.h3))
            story.append(para(conflict.note, styles.body))
    story += heading(NOTES_TITLE, styles.h2, 1, "notes", "rules")
    story.append(
        para(
            "Each headline indicator, as the questionnaire defines it. 'n of m answered' "
            "counts the questions, or the table rows with the cells the figure needs, "
            "that were filled in.",
            styles.muted,
        )
    )
    for indicator in figures.questionnaire.indicators:
        value = figures.score.indicators.get(indicator.id)
        story.append(para(indicator.label, styles.h3))
        if indicator.definition:
            story.append(para(indicator.definition, styles.body))
        if value is None:
            continue
        said = []
        if value.coverage is not None and value.coverage.total:
            said.append(value.coverage.marker or value.coverage.text.capitalize())
        if value.note and value.status != CONFLICTING:
            said.append(value.note)
        if said:
            story.append(para(". ".join(s.rstrip(".") for s in said) + ".", styles.muted))
    return story
