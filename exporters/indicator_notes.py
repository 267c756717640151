"""The board report's notes on its figures: each indicator's written rule, how much of it
rests on answers, and the conflicts to resolve before sign-off.

The rules are the `definition` of each indicator in the questionnaire file, so the report
says exactly what the scoring counts (models/scoring.py, models/indicator_flags.py).
"""

from __future__ import annotations

from exporters.report_content import Block, Heading, KeepSpace, text
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


def indicator_notes(figures: AuditFigures) -> list[Block]:
    """Conflicts first (they stop a figure being printed), then every indicator's rule."""
    blocks: list[Block] = [KeepSpace(160)]
    conflicts = conflicting_indicators(figures)
    if conflicts:
        blocks.append(Heading(RESOLVE_TITLE, 2, ("notes", "resolve")))
        for conflict in conflicts:
            blocks.append(Heading(f"{conflict.label}: {CONFLICTING_TEXT}.", 3))
            blocks.append(text(conflict.note))
    blocks.append(Heading(NOTES_TITLE, 2, ("notes", "rules")))
    blocks.append(
        text(
            "Each headline indicator, as the questionnaire defines it. 'n of m answered' "
            "counts the questions, or the table rows with the cells the figure needs, "
            "that were filled in.",
            "muted",
        )
    )
    for indicator in figures.questionnaire.indicators:
        value = figures.score.indicators.get(indicator.id)
        blocks.append(Heading(indicator.label, 3))
        if indicator.definition:
            blocks.append(text(indicator.definition))
        if value is None:
            continue
        said = []
        if indicator.kind == "difference":  # each share's own rows: two tables' n of m summed
            said += _sides(figures, (indicator.of, indicator.minus))  # say neither
        elif value.coverage is not None and value.coverage.total:
            said.append(value.coverage.marker or value.coverage.text.capitalize())
        if value.note and value.status != CONFLICTING:
            said.append(value.note)
        if said:
            blocks.append(text(". ".join(s.rstrip(".") for s in said) + ".", "muted"))
    return blocks


def _sides(figures: AuditFigures, refs: tuple[str | None, ...]) -> list[str]:
    """What each share of a difference rests on: 'Its share (FTE): 24 of 24 answered', or
    that it has no figure (an empty table is not '24 of 24 answered' beside a dash)."""
    said = []
    for ref in refs:
        share = figures.score.indicators.get(ref or "")
        if share is None:
            continue
        covered = share.coverage
        if share.value is None:
            rows = f"{covered.text}" if covered is not None and covered.total else "no rows"
            said.append(f"{share.label}: no figure ({rows})")
        elif covered is not None:
            said.append(f"{share.label}: {covered.marker or covered.text}")
    return said
