"""The export's figures as analysts pivot them: typed numbers, one column per thing counted.

The Summary has one row per audit: shares as fractions shown '52%', 'Last updated' as a
date and time, maturity to one decimal as every report prints it, and a group indicator
(programmes by delivery confidence) as one count column per rating plus a total. The All
indicators sheet has one row per audit and indicator (or group), its figure split into a
number column and a text column, and sums of money or FTE rounded to pence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.dashboard import SHORT_TITLES
from models.formatting import (
    COUNT_FORMAT,
    DATETIME_FORMAT,
    MATURITY_FORMAT,
    MONEY_FORMAT,
    POINTS_FORMAT,
    SHARE_FORMAT,
    parse_moment,
    share_format,
    share_fraction,
    to_pence,
)
from models.questionnaire import Field, Indicator, Questionnaire
from models.scoring import IndicatorValue
from models.values import BLANK, yes_no
from models.workbook_format import layout as L
from models.workbook_format.cells import escape_text

NOT_RATED = "not rated"
NOT_ANSWERED = "Not answered"  # a flag with no answer and no rows to go on
NO_DATA = "No data"  # a share with nothing to count (no rows, or none with an amount)
AMOUNT_FORMATS = {"currency": MONEY_FORMAT, "decimal": "#,##0.00", "integer": COUNT_FORMAT}


@dataclass(frozen=True)
class Column:
    """One workbook column: header, number format (None for text) and starting width."""

    header: str
    fmt: str | None
    width: float


@dataclass(frozen=True)
class GroupColumns:
    """A group indicator's columns: the total, then one count per option, then not rated."""

    indicator_id: str
    field: Field | None
    options: tuple[tuple[str, str], ...]  # (stored value, label)


def _group_label(field: Field | None, group: str) -> str:
    """A group's label as the form shows it ("Amber/Green", not "amber_green")."""
    if not group:
        return f"({BLANK})"  # rows with no value in the grouping column
    return escape_text(field.option_label(group) if field is not None else group)


class FigureColumns:
    """The indicator columns of the Summary and the rows of All indicators, for every version."""

    def __init__(self, forms: Sequence[Questionnaire]) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.fields: dict[str, Field] = {}  # group indicators: the column grouped by
        self.amounts: dict[str, str] = {}  # the number format of what an indicator sums
        options: dict[str, dict[str, str]] = {}
        for form in sorted(forms, key=lambda q: q.version, reverse=True):  # newest wording
            for ind in form.indicators:
                self.indicators.setdefault(ind.id, ind)
                if ind.table and form.has_question(ind.table):
                    table = form.question(ind.table)
                    if ind.value_column in {c.id for c in table.columns}:
                        amount = AMOUNT_FORMATS.get(table.column(ind.value_column).type)
                        self.amounts.setdefault(ind.id, amount or "#,##0.00")
                    if ind.kind == "group" and ind.group_column:
                        field = table.column(ind.group_column)
                        self.fields.setdefault(ind.id, field)
                        known = options.setdefault(ind.id, {})
                        for option in field.options:
                            known.setdefault(option.value, option.label)
        self.groups = {
            iid: GroupColumns(iid, self.fields.get(iid), tuple(options.get(iid, {}).items()))
            for iid, ind in self.indicators.items()
            if ind.kind == "group"
        }

    # ------------------------------------------------------------------ Summary
    def summary_columns(self) -> list[Column]:
        columns = []
        for iid, ind in self.indicators.items():
            if ind.kind == "share":
                columns.append(Column(escape_text(ind.label), SHARE_FORMAT, 18))
            elif ind.kind == "flag":
                columns.append(Column(escape_text(ind.label), None, 14))
            elif ind.kind == "difference":  # two shares compared, in percentage points
                columns.append(Column(escape_text(ind.label), POINTS_FORMAT, 18))
            else:  # 'Major programmes: Amber/Red', short: one column per rating
                label = escape_text(SHORT_TITLES.get(iid, ind.label))
                columns.append(Column(f"{label}: total", COUNT_FORMAT, 12))
                for _, option in self.groups[iid].options:
                    columns.append(Column(f"{label}: {escape_text(option)}", COUNT_FORMAT, 12))
                columns.append(Column(f"{label}: {NOT_RATED}", COUNT_FORMAT, 12))
        return columns

    def summary_values(self, indicators: dict[str, IndicatorValue]) -> list[Any]:
        """The indicator cells of one audit's Summary row (blank where there is no figure)."""
        values: list[Any] = []
        for iid, ind in self.indicators.items():
            found = indicators.get(iid)
            if ind.kind != "group":
                values.append(_summary_figure(found))
                continue
            group = self.groups[iid]
            width = len(group.options) + 2
            if found is None:
                values += [None] * width
                continue
            counts = {key: count for key, (count, _) in found.groups.items()}
            values.append(sum(counts.values()))
            values += [counts.get(value, 0) for value, _ in group.options]
            values.append(counts.get("", 0))
        return values

    def summary_formats(self, indicators: dict[str, IndicatorValue], start: int) -> dict[int, str]:
        """Number formats of the share cells of one Summary row (`start` is the first
        indicator column) that would round to 0% or 100%: they show '<1%' or '>99%'."""
        formats: dict[int, str] = {}
        at = start
        for iid, ind in self.indicators.items():
            if ind.kind == "group":
                at += len(self.groups[iid].options) + 2
                continue
            found = indicators.get(iid)
            if ind.kind == "share" and found is not None:
                fmt = _share_format(found)
                if fmt != SHARE_FORMAT:
                    formats[at] = fmt
            at += 1
        return formats

    # ------------------------------------------------------------------ All indicators
    def long_rows(
        self, base: list[Any], indicators: dict[str, IndicatorValue]
    ) -> list[tuple[list[Any], dict[int, str | None]]]:
        """All indicators rows after `base` (department … kind): group, value, text, sums.

        Each row comes with the number formats of its cells (by index in the row).
        """
        rows: list[tuple[list[Any], dict[int, str | None]]] = []
        at = len(base)  # index of the Indicator ID column
        for iid, ind in self.indicators.items():
            found = indicators.get(iid)
            if found is None:
                continue
            head = [*base, iid, escape_text(ind.label), ind.kind]
            amount = self.amounts.get(iid, COUNT_FORMAT)
            if ind.kind == "group":
                for group, (count, total) in sorted(found.groups.items()):
                    label = _group_label(self.fields.get(iid), group)
                    sums = to_pence(total) if iid in self.amounts else None
                    valued = found.valued.get(group, 0)
                    # a blank value adds nothing to the sum: say whose values it holds
                    partial = (
                        f"Sum of the {valued} of {count} with a recorded value"
                        if sums is not None and valued < count
                        else None
                    )
                    rows.append(
                        (
                            [*head, label, count, partial, sums, None],
                            {at + 4: COUNT_FORMAT, at + 6: amount},
                        )
                    )
                continue
            number, text = _long_figure(found)
            shares = found.kind == "share"
            rows.append(
                (
                    [
                        *head,
                        None,
                        number,
                        text,
                        to_pence(found.numerator) if shares else None,
                        to_pence(found.denominator) if shares else None,
                    ],
                    {
                        at + 4: POINTS_FORMAT
                        if found.kind == "difference"
                        else _share_format(found),
                        at + 6: amount,
                        at + 7: amount,
                    },
                )
            )
        return rows


LONG_HEADERS = ["Indicator ID", "Indicator", "Kind", "Group", "Value", "Text"]
LONG_HEADERS += ["Numerator", "Denominator"]


def _summary_figure(found: IndicatorValue | None) -> Any:
    if found is not None and found.kind == "flag":
        return found.text  # Yes, No, Not answered or Conflicting: never a guess
    if found is None or found.value is None:
        return None
    if found.kind == "share":
        return share_fraction(float(found.value))
    return found.value


def _share_format(found: IndicatorValue) -> str:
    """'0%', or '"<1%"' / '">99%"' for a share that would otherwise show as none or all."""
    if found.kind != "share" or not isinstance(found.value, int | float):
        return SHARE_FORMAT
    return share_format(float(found.value))


def _long_figure(found: IndicatorValue) -> tuple[float | None, str | None]:
    """(number, text): a share's fraction, or the words for a flag or a missing figure."""
    if found.kind == "flag":
        return None, found.text  # Yes, No, Not answered or Conflicting: never a guess
    if found.value is None:
        return None, NO_DATA if found.kind == "share" else NOT_ANSWERED
    if isinstance(found.value, bool):
        return None, yes_no(found.value)
    if found.kind == "difference":
        return float(found.value), None  # percentage points, not a fraction
    return share_fraction(float(found.value)), None


def last_updated(stamp: str) -> Any:
    """An audit's last change as a date and time (local), else the text as stored."""
    moment = parse_moment(stamp)
    return moment.replace(microsecond=0) if moment is not None else escape_text(stamp)


SUMMARY_FIXED = [
    Column(L.DEPARTMENT, None, 34),
    Column("Abbreviation", None, 12),
    Column(L.CYCLE, None, 16),
    Column("Status", None, 12),
    Column("Auditor", None, 20),
    Column("Last updated", DATETIME_FORMAT, 18),
    Column("Questionnaire", None, 30),
    Column("Completion", SHARE_FORMAT, 12),
    Column("Overall maturity", MATURITY_FORMAT, 12),
]
