"""The board report's notes on its figures: each indicator's written rule, how much of it
rests on answers, and the conflicts to resolve before sign-off.

The rules are the `definition` of each indicator in the questionnaire file, so the report
says exactly what the scoring counts (models/scoring.py, models/indicator_flags.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from exporters.report_content import Block, Heading, KeepSpace, text
from models.cycle_summary import AuditFigures
from models.indicator_flags import CONFLICTING, CONFLICTING_TEXT
from models.questionnaire import Indicator
from models.scoring import IndicatorValue, latest_rows
from models.validation import row_predicate
from models.values import is_empty

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


def indicator_notes(
    figures: AuditFigures, rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
) -> list[Block]:
    """Conflicts first (they stop a figure being printed), then every indicator's rule, with
    the months and bodies a share of a table kept by body and month adds together."""
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
        if indicator.kind == "share" and rows is not None and value.value is not None:
            said += _periods(figures, indicator, rows)
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


def _periods(
    figures: AuditFigures, indicator: Indicator, rows: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[str]:
    """Which months and bodies a share of a table kept per body and month counts: 'Each
    body's latest month: 2014-03 (2 bodies); 20 rows of earlier months are left out', or,
    for a share that adds them, 'Rows of 3 months (2014-01 to 2014-03) and 2 bodies, added
    together', so the figure is not read as one month's. [] for other tables."""
    form, table_id, latest = figures.questionnaire, indicator.table or "", indicator.latest
    if not form.has_question(table_id):
        return []
    columns = {c.id for c in form.question(table_id).columns}
    if not {"month", "body"} <= columns:
        return []
    cells = rows.get(table_id, ())
    months = sorted({str(r["month"]) for r in cells if not is_empty(r.get("month"))})
    if latest is not None:
        kept = [r for r in latest_rows(cells, *latest) if not is_empty(r.get(latest[0]))]
        # a body with no month in any row is one return, counted whole (scoring.latest_rows)
        dated = {_body(r) for r in cells if not is_empty(r.get(latest[0]))}
        none = len({_body(r) for r in cells} - dated)
        no_month = f"{none} bod{'y' if none == 1 else 'ies'} giving no month, each counted whole"
        if not kept:
            return [no_month[0].upper() + no_month[1:]] if none else []
        ends = sorted({str(r[latest[0]]) for r in kept})
        n = len({_body(r) for r in kept})
        span = ends[0] if len(ends) == 1 else f"{ends[0]} to {ends[-1]}"
        said = f"Each body's latest month: {span} ({n} bod{'y' if n == 1 else 'ies'})"
        if none:
            said += f"; {no_month}"
        earlier = len([r for r in cells if not is_empty(r.get(latest[0]))]) - len(kept)
        if earlier:
            said += f"; {earlier} row{'s' if earlier != 1 else ''} of earlier months left out"
        return [said, *_latest_without_part(indicator, cells, kept)]
    if not months:
        return []
    n = len({_body(r) for r in cells if not is_empty(r.get("body"))})
    span = months[0] if len(months) == 1 else f"{len(months)} months ({months[0]} to {months[-1]})"
    added = ", added together" if len(months) > 1 or n > 1 else ""
    return [f"Rows of {span} and {n} bod{'y' if n == 1 else 'ies'}{added}"]


def _body(row: Mapping[str, Any]) -> str:
    return " ".join(str(row.get("body") or "").split()).casefold()


def _latest_without_part(
    indicator: Indicator, cells: Sequence[Mapping[str, Any]], kept: Sequence[Mapping[str, Any]]
) -> list[str]:
    """A body whose latest month has no row of the share's part (no contingent labour) though
    an earlier month has: a return in part (payroll only) counts as 0%, so say so by name."""
    if indicator.where is None or indicator.latest is None:
        return []
    period = indicator.latest[0]
    part = row_predicate(indicator.where)
    latest = {_body(r): str(r[period]) for r in kept}
    had = {_body(r) for r in kept if part(r)}
    said = []
    for body, month in sorted(latest.items()):
        before = sorted(
            str(r[period])
            for r in cells
            if _body(r) == body
            and not is_empty(r.get(period))
            and part(r)
            and str(r[period]) < month
        )
        if body not in had and before:
            name = next(str(r.get("body")).strip() for r in kept if _body(r) == body)
            said.append(
                f"{name}'s latest month ({month}) has no row counted in the share's part, "
                f"though {before[-1]} has: if that month's return is incomplete, the share is "
                "understated"
            )
    return said
