"""What the charts are drawn from, built once for the PDF reports and the app alike.

Each builder turns scored audits into the plain inputs of a chart in exporters/pdf_charts.py
or exporters/trend_charts.py, and each `describe_*` says the same figures in words: the
text a screen reader gives for the chart in the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from models.cycle_summary import AuditFigures
from models.department_lineage import cycle_as_named
from models.formatting import format_count, format_maturity, format_share
from models.questionnaire import Questionnaire
from models.scoring import IndicatorValue

WORKFORCE_TABLE = "workforce_mix"
CONTRACTOR_SERIES = (
    ("contractor_share_fte", "By FTE"),
    ("contractor_share_cost", "By cost"),
)


def share_value(value: IndicatorValue | None) -> float | None:
    """A share indicator's points as a number, None when it is missing or not a share."""
    if value is None or not isinstance(value.value, int | float) or isinstance(value.value, bool):
        return None
    return float(value.value)


def ordered(present: Sequence[str], order: Sequence[str]) -> list[str]:
    """The labels present, in the questionnaire's option order, then any others by name."""
    seen = set(present)
    known = [o for o in order if o in seen]
    return known + sorted(seen - set(known))


@dataclass(frozen=True)
class WorkforceMix:
    """Inputs of workforce_mix_chart: FTE (or headcount) per role family and staff type."""

    families: list[str]
    staff_types: list[str]
    totals: dict[tuple[str, str], float]
    measure: str  # 'FTE' or 'headcount'
    left_out: int = 0  # rows without that measure: not in the chart
    rows: int = 0  # rows in the table

    @property
    def note(self) -> str:
        """What the chart leaves out, in words, after a space ('' when it shows every row)."""
        if not self.left_out:
            return ""
        if self.left_out == self.rows:
            return " No row of the table has an FTE or a headcount."
        if self.left_out == 1:
            return f" 1 of the table's {self.rows} rows has no {self.measure}: it is not charted."
        return (
            f" {self.left_out} of the table's {self.rows} rows have no {self.measure}: "
            "they are not charted."
        )


def workforce_mix(
    questionnaire: Questionnaire, rows: Mapping[str, Sequence[Mapping[str, Any]]]
) -> WorkforceMix | None:
    """Sum the workforce table by family and staff type; None when the version has no table."""
    if not questionnaire.has_question(WORKFORCE_TABLE):
        return None
    table = questionnaire.question(WORKFORCE_TABLE)
    cells = rows.get(table.id, [])
    family_col, type_col = table.column("profession_family"), table.column("staff_type")
    # The measure more rows give (FTE when as many): never one that drops rows the other keeps.
    with_fte = sum(_is_number(r.get("fte")) for r in cells)
    with_headcount = sum(_is_number(r.get("headcount")) for r in cells)
    measure, label = ("fte", "FTE") if with_fte >= with_headcount else ("headcount", "headcount")
    totals: dict[tuple[str, str], float] = {}
    left_out = 0
    for row in cells:
        value = row.get(measure)
        if not _is_number(value):
            left_out += 1
            continue
        key = (
            family_col.option_label(row.get("profession_family")) or "Not given",
            type_col.option_label(row.get("staff_type")) or "Not given",
        )
        totals[key] = totals.get(key, 0.0) + float(value)
    families = ordered([k[0] for k in totals], [o.label for o in family_col.options])
    types = ordered([k[1] for k in totals], [o.label for o in type_col.options])
    return WorkforceMix(families, types, totals, label, left_out, len(cells))


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def contractor_share_series(
    history: Sequence[AuditFigures],
) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """Inputs of share_trend_chart: cycles, and the contractor share by FTE and by cost."""
    own = history[-1].audit.department_id if history else ""
    categories = [cycle_as_named(h.audit, own) for h in history]  # '(as DCLG)': a former name
    series = []
    for key, label in CONTRACTOR_SERIES:
        values = [share_value(h.score.indicators.get(key)) for h in history]
        if any(v is not None for v in values):
            series.append((label, values))
    return categories, series


def describe_workforce(mix: WorkforceMix) -> str:
    """The workforce mix in words, family by family."""
    if not mix.totals:
        return "No workforce figures recorded." + mix.note
    parts = []
    for family in mix.families:
        kinds = [
            f"{kind} {format_count(mix.totals[(family, kind)])}"
            for kind in mix.staff_types
            if mix.totals.get((family, kind))
        ]
        total = sum(mix.totals.get((family, kind), 0.0) for kind in mix.staff_types)
        parts.append(f"{family}: {format_count(total)} {mix.measure} ({', '.join(kinds)})")
    return "; ".join(parts) + "." + mix.note


def _describe_series(
    cycles: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    number: Callable[[float | None], str],
) -> str:
    """'Name: cycle value, cycle value; Name: ...' for any series over the cycles."""
    return (
        "; ".join(
            f"{name}: "
            + ", ".join(
                f"{cycle} {number(value)}" for cycle, value in zip(cycles, values, strict=False)
            )
            for name, values in series
        )
        + "."
    )


def describe_shares(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> str:
    """Each share series in words, cycle by cycle."""
    return _describe_series(categories, series, format_share) if series else "No shares recorded."


def describe_maturity_trend(
    cycles: Sequence[str], sections: Sequence[tuple[str, Sequence[float | None]]]
) -> str:
    """Each section's maturity in words, cycle by cycle."""
    if not sections:
        return "No section is scored."
    return _describe_series(cycles, sections, format_maturity)


def drawing_texts(drawing: Any) -> list[str]:
    """Every text a reportlab drawing shows, in drawing order: the plainest description."""
    found: list[str] = []

    def walk(node: Any) -> None:
        text = getattr(node, "text", None)
        if isinstance(text, str) and text:
            found.append(text)
        for child in getattr(node, "contents", None) or []:
            walk(child)

    walk(drawing)
    return found
