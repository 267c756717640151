"""Figures the PDF reports compare against: one audit, its department's history, a cycle.

Everything is scored by models/scoring.py; this module only gathers what to score.
Audits of one cycle may be on different questionnaire versions, so sections and
indicators are matched by id, each audit scored against its own definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from models.batch_scoring import score_many
from models.completion import complete_row_counts
from models.cycle_dates import earlier_cycles, in_cycle_order, prior_cycle
from models.department_lineage import lineage_audits
from models.formatting import format_share
from models.gc_pause import gc_paused
from models.indicator_flags import ANSWERED, NOT_ANSWERED, flag_text
from models.json_text import loads
from models.questionnaire import Questionnaire, get_questionnaire
from models.records import STATUS_LABELS, Audit, Department
from models.score_cache import KeptFigures, dump, fingerprint, load
from models.scoring import (
    AuditScore,
    IndicatorValue,
    completion_of,
    score_audit,
    score_sections,
)
from models.store import Store

SUBMITTED = frozenset({"submitted", "reviewed", "signed_off"})
OVERALL = "overall"
NO_AUDIT = "No audit for this cycle"
LEAGUE_KINDS = frozenset({"share", "flag"})
STATUS_ORDER = tuple(STATUS_LABELS)  # draft, submitted, reviewed, signed_off
_BATCH = 25  # audits read and scored together between progress reports (which may cancel)


def audit_rows(
    store: Store, audit_id: str, questionnaire: Questionnaire
) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as cell dicts, keyed by table id: what score_audit reads.

    One query for all the tables, in position order: what store.rows gives table by table.
    """
    tables: dict[str, list[dict[str, Any]]] = {t.id: [] for t in questionnaire.table_questions()}
    for table_id, cells in store.all_cells(audit_id):
        found = tables.get(table_id)
        if found is not None:
            found.append(loads(cells) if cells else {})
    return tables


@dataclass(frozen=True)
class AuditFigures:
    """One audit fully scored, so a report never scores the same audit twice."""

    audit: Audit
    questionnaire: Questionnaire
    score: AuditScore
    completion: float | None  # percent of visible questions answered, 0-100
    missing_required: int
    answered: int = 0  # visible questions answered
    shown: int = 0  # visible questions

    def indicator(self, indicator_id: str) -> IndicatorValue | None:
        """The indicator by id, None when this audit's questionnaire version lacks it."""
        return self.score.indicators.get(indicator_id)

    @property
    def submitted(self) -> bool:
        """Handed in by the department (submitted, reviewed or signed off)."""
        return self.audit.status in SUBMITTED


def kept_figures(store: Store, audit: Audit) -> AuditFigures | None:
    """The audit's figures if they are kept and still valid; None rather than scoring."""
    form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    text = store.cached_figures(audit.id, fingerprint(form))
    kept = load(text) if text is not None else None
    return None if kept is None else _with_audit(audit, form, kept)


def _figures(store: Store, audit: Audit) -> AuditFigures:
    """The audit's figures: kept ones while still valid, else read once and scored, then kept."""
    return many_figures(store, [audit])[0]


def many_figures(
    store: Store, audits: Iterable[Audit], progress: Callable[[int, int], None] | None = None
) -> list[AuditFigures]:
    """Several audits' figures, the ones worked out here kept in one write (one disk sync).

    Audits without kept figures are read and scored in batches (models/batch_scoring.py,
    the same rules as score_one), so a cycle just imported is read in a few queries.
    """
    audits = list(audits)
    out: list[AuditFigures] = []
    fresh: list[tuple[str, str, str]] = []
    # One snapshot: figures are kept only if no edit landed between reading and keeping them
    with store.snapshot(), gc_paused():  # scoring builds a dict per row: no cycles
        for first in range(0, len(audits), _BATCH):
            batch = audits[first : first + _BATCH]
            found = [kept_figures(store, audit) for audit in batch]
            cold = [a for a, f in zip(batch, found, strict=True) if f is None]
            forms = [get_questionnaire(a.questionnaire_id, a.questionnaire_version) for a in cold]
            scored = {}
            for audit, form, kept in zip(
                cold, forms, score_many(store, cold, forms, score_one), strict=True
            ):
                fresh.append((audit.id, fingerprint(form), dump(kept)))
                scored[audit.id] = _with_audit(audit, form, kept)
            for done, (audit, figures) in enumerate(zip(batch, found, strict=True), first + 1):
                out.append(figures if figures is not None else scored[audit.id])
                if progress is not None:
                    progress(done, len(audits))
        if fresh:
            store.cache_figures(fresh)
    return out


def _with_audit(audit: Audit, form: Questionnaire, kept: KeptFigures) -> AuditFigures:
    return AuditFigures(
        audit=audit,
        questionnaire=form,
        score=kept.score,
        completion=kept.completion,
        missing_required=kept.missing_required,
        answered=kept.answered,
        shown=kept.shown,
    )


def score_one(store: Store, audit: Audit, form: Questionnaire) -> KeptFigures:
    """Read the audit's answers and rows once and derive every figure from them: the rules
    that batch_scoring.figures_of follows for many audits at once."""
    answers = store.answers(audit.id)
    rows = audit_rows(store, audit.id, form)
    done = completion_of(form, answers, complete_row_counts(form, rows))
    return KeptFigures(
        score=score_audit(form, answers, rows),
        completion=done.percent,
        missing_required=done.missing_required,
        answered=done.answered,
        shown=done.shown,
    )


def audit_figures(store: Store, audit_id: str) -> AuditFigures:
    """One audit's maturity, indicators and completion, against its own questionnaire."""
    return _figures(store, store.audit(audit_id))


def _earlier_audits(store: Store, audit_id: str) -> list[Audit]:
    """The department's audits of cycles dated before this one's, oldest first, then this one.

    Cycles are placed by the year their label names (models/cycle_dates.py), never by when
    an audit was entered: a 2014 review back-filled after the 2015 one still comes first.
    """
    audit = store.audit(audit_id)
    own = lineage_audits(store, audit.department_id)  # and its former names' (renames)
    return [own[cycle] for cycle in earlier_cycles(audit.cycle, own)] + [audit]


def department_audits(store: Store, department_id: str) -> list[Audit]:
    """Every audit of the department in cycle order (undated cycles first, by label), with
    those of the names it had before a rename (models/department_lineage.py)."""
    own = lineage_audits(store, department_id)
    return [own[cycle] for cycle in in_cycle_order(own)]


def department_history(store: Store, audit_id: str) -> list[AuditFigures]:
    """This audit and the department's audits of earlier cycles, scored, for trends."""
    return many_figures(store, _earlier_audits(store, audit_id))


def prior_audit(store: Store, audit_id: str) -> Audit | None:
    """The department's audit of the cycle just before this one's: what change is measured
    from. None when there is none or it cannot be told (models/cycle_dates.prior_cycle)."""
    audit = store.audit(audit_id)
    own = lineage_audits(store, audit.department_id)  # and its former names' (renames)
    before = prior_cycle(audit.cycle, own)
    return None if before is None else own[before]


def cycles(store: Store) -> list[str]:
    """The workspace's cycle labels oldest first by the year each names (undated first)."""
    return in_cycle_order(a.cycle for a in store.audits())


def _cycle_audits(store: Store, cycle: str) -> list[Audit]:
    """The cycle's audits in creation order; a ValueError naming the cycles there are if none."""
    every = store.audits()
    audits = [a for a in every if a.cycle == cycle]
    if not audits:
        known = list(dict.fromkeys(a.cycle for a in every))
        there = (
            "Cycles in this workspace: " + ", ".join(repr(c) for c in known) + "."
            if known
            else "This workspace has no audits yet."
        )
        raise ValueError(f"No audits in the cycle {cycle!r}. {there}")
    return audits


_Scored = tuple[Questionnaire, Mapping[str, float | None], float | None]


MEDIAN_OF_AT_LEAST = 3  # a "cross-government median" of one or two audits is not one


def _medians(scored: Iterable[_Scored]) -> dict[str, float | None]:
    """Median of each scored section id and of overall maturity, over audits that have one;
    None where fewer than MEDIAN_OF_AT_LEAST have one (with one, the median is the audit
    itself, which the board report then compared it with)."""
    values: dict[str, list[float]] = {}
    overall: list[float] = []
    # Newest version first, so the medians keep its section order (older-only sections after).
    for form, maturity, audit_overall in sorted(scored, key=lambda s: -s[0].version):
        for section in form.sections:
            if section.scored:
                found = maturity.get(section.id)
                values.setdefault(section.id, [])
                if found is not None:
                    values[section.id].append(found)
        if audit_overall is not None:
            overall.append(audit_overall)
    values[OVERALL] = overall
    return {
        key: round(median(v), 2) if len(v) >= MEDIAN_OF_AT_LEAST else None
        for key, v in values.items()
    }


def cycle_section_medians(store: Store, cycle: str) -> dict[str, float | None]:
    """Cross-government median maturity per section and overall: answers only, so quick."""
    scored: list[_Scored] = []
    for audit in _cycle_audits(store, cycle):
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        sections = score_sections(form, store.answers(audit.id))
        scored.append((form, sections.section_maturity, sections.overall))
    return _medians(scored)


@dataclass(frozen=True)
class DepartmentStanding:
    """Where one department stands in a cycle: its scored audit, or none."""

    department: Department
    figures: AuditFigures | None  # None: no audit in this cycle
    submitted: bool  # status is submitted, reviewed or signed_off


@dataclass(frozen=True)
class LeagueEntry:
    """One department's value of one indicator, in league order.

    A flag's value is None unless answered without conflict; `status` says which
    (models.indicator_flags), and `text` is what to print: never Yes or No for a blank.
    """

    department: Department
    value: float | bool | None
    status: str = ANSWERED  # a flag: answered, not answered or conflicting
    rank: int | None = None  # shares only: 1 is the best; equal as printed, equal rank
    audit_status: str = ""  # the audit's status: a figure from a draft may change

    @property
    def text(self) -> str:
        """A flag as printed: Yes, No, Not answered or Conflicting — resolve before sign-off."""
        return flag_text(self.value if isinstance(self.value, bool) else None, self.status)


@dataclass(frozen=True)
class CycleSummary:
    """The cross-government picture of one cycle, for the summary report."""

    cycle: str
    questionnaire: Questionnaire  # newest version in the cycle: its sections and indicators
    standings: list[DepartmentStanding]  # every department, by name
    section_medians: dict[str, float | None]  # incl. "overall"
    leagues: dict[str, list[LeagueEntry]]  # share and flag indicator ids
    not_submitted: list[tuple[Department, str]]  # no audit, or still draft, with why

    @property
    def status_counts(self) -> dict[str, int]:
        """How many of the cycle's audits are at each status, in lifecycle order."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for standing in self.standings:
            if standing.figures is not None:
                status = standing.figures.audit.status
                counts[status] = counts.get(status, 0) + 1
        return counts


def _league_key(value: float | bool | None, better: str = "lower") -> tuple[int, float]:
    """Shares best first (lowest when lower is better), flags Yes then No, None last.

    The sort is stable, so departments with equal values stay in name order.
    """
    if value is None:
        return (2, 0.0)
    if isinstance(value, bool):
        return (0 if value else 1, 0.0)
    return (0, float(value) if better == "lower" else -float(value))


def _ranked(entries: list[LeagueEntry], kind: str) -> list[LeagueEntry]:
    """Competition ranks (1, 1, 3) for shares, equal when they print the same; flags are
    counted, not ranked, and an unknown value has no rank."""
    if kind != "share":
        return entries
    ranked: list[LeagueEntry] = []
    previous, rank = "", 0
    for position, entry in enumerate(entries, 1):
        if entry.value is None or isinstance(entry.value, bool):
            ranked.append(entry)
            continue
        shown = format_share(float(entry.value))
        if shown != previous:
            rank, previous = position, shown
        ranked.append(replace(entry, rank=rank))
    return ranked


def _draft_text(figures: AuditFigures) -> str:
    """'Draft, 64% complete': what the summary says of an audit not yet handed in."""
    if figures.completion is None:
        return "Draft"
    return f"Draft, {format_share(figures.completion)} complete"


def cycle_summary(
    store: Store, cycle: str, progress: Callable[[int, int], None] | None = None
) -> CycleSummary:
    """Score every audit of the cycle once and compare departments; progress may cancel."""
    audits = _cycle_audits(store, cycle)
    scored = many_figures(store, audits, progress)
    figures = {f.audit.department_id: f for f in scored}

    newest = max((f.questionnaire for f in figures.values()), key=lambda q: q.version)
    standings = []
    not_submitted: list[tuple[Department, str]] = []
    for department in store.departments():
        found = figures.get(department.id)
        submitted = found is not None and found.submitted
        standings.append(DepartmentStanding(department, found, submitted))
        if found is None:
            not_submitted.append((department, NO_AUDIT))
        elif found.audit.status == "draft":
            not_submitted.append((department, _draft_text(found)))

    leagues: dict[str, list[LeagueEntry]] = {}
    for indicator in newest.indicators:
        if indicator.kind not in LEAGUE_KINDS:
            continue
        entries = []
        for standing in standings:
            if standing.figures is not None:
                value = standing.figures.indicator(indicator.id)
                entries.append(
                    LeagueEntry(
                        standing.department,
                        None if value is None else value.value,
                        NOT_ANSWERED if value is None else value.status,
                        audit_status=standing.figures.audit.status,
                    )
                )
        ordered = sorted(entries, key=lambda e: _league_key(e.value, indicator.better))
        leagues[indicator.id] = _ranked(ordered, indicator.kind)

    medians = _medians(
        [(f.questionnaire, f.score.section_maturity, f.score.overall) for f in figures.values()]
    )
    return CycleSummary(cycle, newest, standings, medians, leagues, not_submitted)
