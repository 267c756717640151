"""The cycle dashboard's figures: one row per department, scored by models/scoring.py.

A row comes in two steps so the dashboard can show at once: `quick_row` needs only the
audit's answers and row counts (section maturity, overall, completion, status), and
`full_row` adds the headline indicators, which read every table row (audit_figures).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.completion import stored_complete_row_counts
from models.cycle_summary import (
    NO_AUDIT,
    AuditFigures,
    audit_figures,
    cycle_summary,
    kept_figures,
    many_figures,
)
from models.indicator_flags import NOT_ANSWERED_TEXT
from models.questionnaire import Questionnaire, get_questionnaire
from models.records import STATUS_LABELS, Audit, Department
from models.scoring import (
    Coverage,
    IndicatorValue,
    completion_of,
    score_sections,
)
from models.store import Store
from models.validation import visible_questions
from models.values import yes_no

# Column kinds: how a value is shown, sorted and written to Excel.
TEXT, MATURITY, PERCENT, SHARE, FLAG, COUNT = (
    "text",
    "maturity",
    "percent",
    "share",
    "flag",
    "count",
)
DIFFERENCE = "difference"  # a difference of two shares, in percentage points
NUMERIC_KINDS = frozenset({MATURITY, PERCENT, SHARE, COUNT, DIFFERENCE})

DEPARTMENT, STATUS, COMPLETION, OVERALL = "department", "status", "completion", "overall"
SCORED_TOGETHER = 10  # cold audits scored between looks at the clock (cycle_dashboard)
BATCH_ROWS = 10_000  # and their table rows at most: a batch takes about 0.05 s here
_clock = time.perf_counter
SECTION_PREFIX, INDICATOR_PREFIX = "section:", "indicator:"

# Headers short enough for a table column; the full label is the column's description.
SHORT_TITLES = {
    "contractor_share_fte": "Contractor share (FTE)",
    "contractor_share_cost": "Contractor share (cost)",
    "external_share_fte": "Not employed (FTE)",
    "senior_interim_contractor_share": "Senior posts interim/contract",
    "senior_vacancy_share": "Senior posts vacant",
    "digital_leader_on_board": "Digital leader on board",
    "cio_on_board": "CIO on board",
    "programmes_by_rag": "Major programmes",
    "department_contractor_share_fte": "Department contingent share (FTE)",
    "contractor_share_gap_fte": "Technology vs department contractors",
}

Value = float | bool | str | None


@dataclass(frozen=True)
class DashboardColumn:
    """One column of the dashboard: what it holds and how to show it."""

    key: str  # "department", "status", "completion", "overall", "section:<id>", "indicator:<id>"
    title: str
    kind: str  # TEXT, MATURITY, PERCENT, SHARE, FLAG or COUNT
    description: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class DashboardRow:
    """One department in one cycle; `audit` is None when it has no audit in the cycle."""

    department: Department
    audit: Audit | None
    section_maturity: dict[str, float | None]
    overall: float | None
    completion: float | None  # percent of visible questions answered
    missing_required: int
    indicators: dict[str, IndicatorValue] | None  # None until worked out (see quick_row)
    questionnaire: Questionnaire | None = None
    section_coverage: dict[str, Coverage] = field(default_factory=dict)  # n of m, provisional
    overall_coverage: Coverage | None = None  # across the scored sections, as the report's

    @property
    def audit_id(self) -> str | None:
        return None if self.audit is None else self.audit.id

    @property
    def status(self) -> str:
        """The status as the app words it, or that there is no audit."""
        if self.audit is None:
            return NO_AUDIT
        return STATUS_LABELS.get(self.audit.status, self.audit.status)

    @property
    def pending(self) -> bool:
        """True while the indicators of an audited department are still to be worked out."""
        return self.audit is not None and self.indicators is None

    def value(self, column: DashboardColumn) -> Value:
        """The column's figure: numbers as numbers (shares in points), flags as bools."""
        key = column.key
        if key == DEPARTMENT:
            return self.department.name
        if key == STATUS:
            return self.status
        if self.audit is None:
            return None
        if key == COMPLETION:
            return self.completion
        if key == OVERALL:
            return self.overall
        if key.startswith(SECTION_PREFIX):
            return self.section_maturity.get(key.removeprefix(SECTION_PREFIX))
        found = self.indicator(column)
        return None if found is None else found.value

    def indicator(self, column: DashboardColumn) -> IndicatorValue | None:
        """The indicator behind an indicator column; None if pending or not in this version."""
        if self.indicators is None or not column.key.startswith(INDICATOR_PREFIX):
            return None
        return self.indicators.get(column.key.removeprefix(INDICATOR_PREFIX))

    def provisional(self, column: DashboardColumn) -> str:
        """'Provisional (1 of 4 answered)' for a section rating or an indicator on thin
        evidence, as the board report marks it; '' otherwise."""
        if self.audit is None or self.value(column) is None:
            return ""
        if column.key.startswith(SECTION_PREFIX):
            covered = self.section_coverage.get(column.key.removeprefix(SECTION_PREFIX))
        elif column.key == OVERALL:
            covered = self.overall_coverage
        else:
            found = self.indicator(column)
            covered = found.coverage if found is not None else None
        return covered.marker if covered is not None else ""

    def flag_text(self, column: DashboardColumn) -> str | None:
        """A flag column as printed: Yes, No, Not answered or Conflicting — resolve before
        sign-off; a count of an empty table 'Not answered' (progress counts it unanswered),
        never 0; None otherwise, when there is no audit or the indicators are pending."""
        found = self.indicator(column)
        if self.audit is None or found is None:
            return None
        if column.kind == COUNT and found.kind == "group" and not found.value:
            return NOT_ANSWERED_TEXT
        return found.text if column.kind == FLAG else None

    def breakdown(self, column: DashboardColumn) -> str:
        """A group indicator's counts by group as words: '2 Green, 1 Amber/Green'."""
        found = self.indicator(column)
        if found is None or found.kind != "group" or not found.groups:
            return ""
        field = None
        indicator_id = column.key.removeprefix(INDICATOR_PREFIX)
        if self.questionnaire is not None:
            for ind in self.questionnaire.indicators:
                if ind.id == indicator_id and ind.table and ind.group_column:
                    field = self.questionnaire.question(ind.table).column(ind.group_column)
        parts = []
        for group, (count, _total) in sorted(found.groups.items(), key=lambda g: -g[1][0]):
            label = field.option_label(group) if field is not None and group else group
            parts.append(f"{count} {label or 'not rated'}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Dashboard:
    """Every department of the workspace for one cycle, with the columns to show."""

    cycle: str
    columns: list[DashboardColumn]
    rows: list[DashboardRow]


def dashboard_columns(questionnaire: Questionnaire) -> list[DashboardColumn]:
    """Department, status, completion, overall, each scored section, each indicator."""
    columns = [
        DashboardColumn(DEPARTMENT, "Department", TEXT),
        DashboardColumn(STATUS, "Status", TEXT),
        DashboardColumn(COMPLETION, "Complete", PERCENT, "Share of the questions shown answered"),
        DashboardColumn(OVERALL, "Overall", MATURITY, "Overall maturity, 1 (weak) to 5 (strong)"),
    ]
    for section in questionnaire.sections:
        if section.scored:
            columns.append(
                DashboardColumn(
                    SECTION_PREFIX + section.id,
                    section.title,
                    MATURITY,
                    f"{section.title}: maturity, 1 (weak) to 5 (strong)",
                )
            )
    kinds = {"share": SHARE, "flag": FLAG, "group": COUNT, "difference": DIFFERENCE}
    for indicator in questionnaire.indicators:
        columns.append(
            DashboardColumn(
                INDICATOR_PREFIX + indicator.id,
                SHORT_TITLES.get(indicator.id, indicator.label),
                kinds.get(indicator.kind, TEXT),
                indicator.label,
            )
        )
    return columns


def _from_figures(department: Department, figures: AuditFigures) -> DashboardRow:
    return DashboardRow(
        department,
        figures.audit,
        figures.score.section_maturity,
        figures.score.overall,
        figures.completion,
        figures.missing_required,
        figures.score.indicators,
        figures.questionnaire,
        figures.score.section_coverage,
        figures.score.overall_coverage,
    )


def empty_row(department: Department) -> DashboardRow:
    """The row of a department with no audit in the cycle."""
    return DashboardRow(department, None, {}, None, None, 0, None)


def full_row(store: Store, audit_id: str) -> DashboardRow:
    """An audit's complete row, indicators included: what an edit elsewhere recomputes."""
    figures = audit_figures(store, audit_id)
    return _from_figures(store.department(figures.audit.department_id), figures)


def full_rows(store: Store, audits: Sequence[Audit]) -> list[DashboardRow]:
    """Complete rows for several audits, their new figures kept in one write."""
    return [
        _from_figures(store.department(f.audit.department_id), f)
        for f in many_figures(store, audits)
    ]


def quick_row(store: Store, department: Department, audit: Audit) -> DashboardRow:
    """An audit's row from its kept figures, else from answers and row counts only, with
    indicators pending (None)."""
    kept = kept_figures(store, audit)
    if kept is not None:
        return _from_figures(department, kept)
    return _quick_row(store, department, audit)


def _quick_row(store: Store, department: Department, audit: Audit) -> DashboardRow:
    """The row from answers and row counts only, indicators pending (None)."""
    form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    answers = store.answers(audit.id)
    counts = stored_complete_row_counts(store, audit.id, form)
    sections = score_sections(form, answers, visible_questions(form, answers))
    done = completion_of(form, answers, counts)
    return DashboardRow(
        department,
        audit,
        sections.section_maturity,
        sections.overall,
        done.percent,
        done.missing_required,
        None,
        form,
        sections.section_coverage,
        sections.overall_coverage,
    )


def cycle_dashboard(
    store: Store, cycle: str, *, indicators: bool = True, score_for: float = 0.0
) -> Dashboard:
    """Every department's row for the cycle, by name; without indicators, rows are quick.

    Without indicators, an audit whose figures are kept still gets its full row, and the
    audits without kept figures are scored now, a few at a time, for up to `score_for`
    seconds (and one batch); the rest get quick rows, their indicators to be filled in
    later.
    Columns follow the newest questionnaire version in the cycle (sections and indicators
    matched by id). Raises ValueError when the cycle has no audits.
    """
    if indicators:
        summary = cycle_summary(store, cycle)
        rows = [
            empty_row(s.department) if s.figures is None else _from_figures(s.department, s.figures)
            for s in summary.standings
        ]
        return Dashboard(cycle, dashboard_columns(summary.questionnaire), rows)
    audits = {a.department_id: a for a in store.audits() if a.cycle == cycle}
    if not audits:
        cycle_summary(store, cycle)  # raises the ValueError that names the cycles there are
    kept = {a.id: kept_figures(store, a) for a in audits.values()}
    cold = [a for a in audits.values() if kept[a.id] is None]
    kept.update((f.audit.id, f) for f in _score_first(store, cold, score_for))
    rows = []
    for department in store.departments():
        audit = audits.get(department.id)
        figures = None if audit is None else kept[audit.id]
        if audit is None:
            rows.append(empty_row(department))
        elif figures is not None:
            rows.append(_from_figures(department, figures))
        else:
            rows.append(_quick_row(store, department, audit))
    newest = max((r.questionnaire for r in rows if r.questionnaire), key=lambda q: q.version)
    return Dashboard(cycle, dashboard_columns(newest), rows)


def _score_first(store: Store, cold: Sequence[Audit], score_for: float) -> list[AuditFigures]:
    """Cold audits scored now, a batch at a time while `score_for` seconds last. A batch
    holds at most SCORED_TOGETHER audits and BATCH_ROWS table rows, so none takes long;
    an audit with more rows than a batch holds is left to be filled in later."""
    if score_for <= 0 or not cold:
        return []
    deadline = _clock() + score_for
    totals = store.row_totals([a.id for a in cold])
    batches: list[list[Audit]] = [[]]
    rows = 0
    for audit in cold:
        count = totals[audit.id]
        if count > BATCH_ROWS:
            continue
        if len(batches[-1]) == SCORED_TOGETHER or rows + count > BATCH_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(audit)
        rows += count
    found: list[AuditFigures] = []
    for batch in batches:
        if not batch or _clock() >= deadline:
            break
        found += many_figures(store, batch)
    return found


def export_value(column: DashboardColumn, value: Value) -> Any:
    """A value as a spreadsheet cell: flags as 'Yes'/'No', everything else unchanged."""
    if column.kind == FLAG and isinstance(value, bool):
        return yes_no(value)
    return value


def table_values(
    columns: Sequence[DashboardColumn], rows: Sequence[DashboardRow]
) -> list[list[Any]]:
    """Rows as spreadsheet cells in column order: what the workbook export writes.

    A flag is written as its text, so an unanswered or conflicting one is said, not blank.
    """
    return [[_table_cell(row, c) for c in columns] for row in rows]


def _table_cell(row: DashboardRow, column: DashboardColumn) -> Any:
    said = row.flag_text(column)
    return said if said is not None else export_value(column, row.value(column))
