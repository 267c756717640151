"""One department's audits over time: maturity per section per cycle, and what changed.

Everything is scored once per audit by models/cycle_summary.py (which uses the one scoring
implementation); sections and indicators are matched by id across questionnaire versions,
each audit scored against its own version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.cycle_dates import cycle_before, prior_cycle
from models.cycle_summary import AuditFigures, audit_figures, department_audits, many_figures
from models.formatting import (
    MATURITY,
    POINTS,
    change_between,
    format_change,
    format_count_of,
    format_maturity,
    format_points,
    format_share,
)
from models.records import Department
from models.scoring import IndicatorValue
from models.store import Store
from models.values import yes_no

NO_EARLIER = "No earlier audit"
NO_ORDER = "Not compared: cycle order unknown"  # cycle names do not tell which came just before
NOT_COMPARABLE = "Not comparable"  # one of the two audits has no figure for it
OVERALL_LABEL = "Overall maturity (1–5)"


def indicator_text(value: IndicatorValue) -> str:
    """An indicator as reports print it: '38%', 'Yes', '5 programmes'."""
    if value.kind == "share":
        return format_share(value.value if isinstance(value.value, int | float) else None)
    if value.kind == "difference":
        return format_points(value.value if isinstance(value.value, int | float) else None)
    if value.kind == "flag":
        return value.text  # Yes, No, Not answered, or Conflicting — resolve before sign-off
    count = int(value.value or 0)
    return format_count_of(count, "programme") if count else "None recorded"


def indicator_change(
    now: IndicatorValue, before: IndicatorValue | None, better: str | None = None
) -> str:
    """The change in words ('Up 4 points (worse)', 'was Yes', 'No change'), '' when it cannot
    be said; `better` ('lower' or 'higher', a share's direction) says which way is good."""
    if before is None:
        return ""
    if now.kind in ("share", "difference"):
        if isinstance(now.value, int | float) and isinstance(before.value, int | float):
            return change_between(float(now.value), float(before.value), POINTS, better=better)
        return ""
    if now.kind == "flag":
        if now.value is None or before.value is None:
            return ""
        if now.value == before.value:
            return format_change(0.0, "")
        return f"was {yes_no(bool(before.value))}"
    if not now.value or not before.value:  # a table of no rows is unanswered: no change said
        return ""
    return format_change(float(int(now.value) - int(before.value)), "")


@dataclass(frozen=True)
class SectionTrend:
    """One scored section's maturity in each audit, oldest first (None: not scored then)."""

    id: str
    title: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class HeadlineChange:
    """One headline figure of an audit, with its change since the audit before, in words."""

    id: str
    label: str
    now: str  # '38%', '3.2', 'Yes'
    change: str  # 'Up 4 pts', 'was No', 'No change', NO_EARLIER or NOT_COMPARABLE


@dataclass(frozen=True)
class DepartmentTrends:
    """A department's audits, oldest first, each scored once, for tables and charts."""

    department: Department
    history: tuple[AuditFigures, ...]

    @property
    def cycles(self) -> list[str]:
        """The audits' cycle labels, oldest first: the x axis of every trend."""
        return [f.audit.cycle for f in self.history]

    @property
    def latest(self) -> AuditFigures | None:
        return self.history[-1] if self.history else None

    @property
    def sections(self) -> list[SectionTrend]:
        """Scored sections matched by id: the newest version's order, then older-only ones."""
        titles: dict[str, str] = {}
        for figures in sorted(self.history, key=lambda f: -f.questionnaire.version):
            for section in figures.questionnaire.sections:
                if section.scored:
                    titles.setdefault(section.id, section.title)
        return [
            SectionTrend(sid, title, tuple(f.score.section_maturity.get(sid) for f in self.history))
            for sid, title in titles.items()
        ]

    @property
    def overall(self) -> list[float | None]:
        """Overall maturity of each audit, oldest first."""
        return [f.score.overall for f in self.history]

    def indicator_series(self, indicator_id: str) -> list[float | None]:
        """A share indicator's value in each audit, oldest first (None where not computed)."""
        values: list[float | None] = []
        for figures in self.history:
            found = figures.indicator(indicator_id)
            value = None if found is None else found.value
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            values.append(float(value) if ok else None)  # type: ignore[arg-type]
        return values

    def index_of(self, audit_id: str) -> int:
        """Where the audit sits in the history; KeyError when it is not this department's."""
        for index, figures in enumerate(self.history):
            if figures.audit.id == audit_id:
                return index
        raise KeyError(f"no audit {audit_id} in the history of {self.department.name}")

    def previous(self, audit_id: str) -> AuditFigures | None:
        """The audit of the cycle just before this one's (models/cycle_dates.prior_cycle), what
        its changes are measured from; None when there is none or it cannot be told."""
        before = prior_cycle(self.history[self.index_of(audit_id)].audit.cycle, self.cycles)
        return next((f for f in self.history if f.audit.cycle == before), None)

    def headline(self, audit_id: str | None = None) -> list[HeadlineChange]:
        """Overall maturity and every indicator of the audit (default: latest), with change."""
        if not self.history:
            return []
        index = len(self.history) - 1 if audit_id is None else self.index_of(audit_id)
        figures = self.history[index]
        before = self.previous(figures.audit.id)

        this = figures.audit.cycle
        later = all(cycle_before(this, c) for c in self.cycles if c != this)

        def change(words: str) -> str:
            if before is None:
                return NO_EARLIER if later else NO_ORDER
            return words or NOT_COMPARABLE

        overall, was = figures.score.overall, before.score.overall if before else None
        rows = [
            HeadlineChange(
                "overall",
                OVERALL_LABEL,
                format_maturity(overall),
                change(change_between(overall, was, MATURITY, better="higher")),
            )
        ]
        for indicator in figures.questionnaire.indicators:
            now = figures.indicator(indicator.id)
            if now is None:
                continue
            then = before.indicator(indicator.id) if before else None
            rows.append(
                HeadlineChange(
                    indicator.id,
                    indicator.label,
                    indicator_text(now),
                    change(indicator_change(now, then, indicator.better)),
                )
            )
        return rows

    def with_audit(self, figures: AuditFigures) -> DepartmentTrends:
        """The same history with one audit's figures replaced (after an edit to it)."""
        index = self.index_of(figures.audit.id)
        history = (*self.history[:index], figures, *self.history[index + 1 :])
        return replace(self, history=history)


def department_trends(store: Store, department_id: str) -> DepartmentTrends:
    """Score each of the department's audits once, in cycle order (models/cycle_dates.py)."""
    department = store.department(department_id)
    return DepartmentTrends(
        department, tuple(many_figures(store, department_audits(store, department_id)))
    )


def rescored(store: Store, trends: DepartmentTrends, audit_id: str) -> DepartmentTrends:
    """The trends after one audit changed: only that audit is read and scored again."""
    return trends.with_audit(audit_figures(store, audit_id))
