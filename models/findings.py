"""The few things a board should know first, ranked: what the executive summary leads with.

Each candidate finding gets a weight from how far it falls short of what good looks like
(domain.md: a digital leader and a CIO on the board, few interims in senior posts, a
workforce not dominated by contractors, programmes that are likely to deliver); the
heaviest five are reported. Every figure comes from the one scoring implementation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.department_lineage import cycle_as_named
from models.formatting import (
    POINTS,
    RED,
    format_change,
    format_maturity,
    format_money,
    format_share,
    maturity_band,
    share_as_printed,
    shown_maturity,
    shown_share,
)
from models.indicator_flags import CONFLICTING, CONFLICTING_TEXT
from models.scoring import IndicatorValue

if TYPE_CHECKING:
    from models.cycle_summary import AuditFigures

POOR_RATINGS = ("red", "amber_red")
# a recommendation citing one of these answers also answers the finding on the indicator
_ALSO_ABOUT = {"digital_leader_on_board": ("question:digital_leader_nominated",)}


@dataclass(frozen=True)
class Finding:
    """One plain-English statement for the board, with how much it matters."""

    text: str
    weight: float
    concern: bool = True
    # what it is about ("indicator:<id>", "section:<id>"), to link it to its recommendations
    refs: tuple[str, ...] = field(default=(), compare=False)


def _share(indicators: Mapping[str, IndicatorValue], key: str) -> float | None:
    ind = indicators.get(key)
    if ind is None or ind.kind != "share" or not isinstance(ind.value, int | float):
        return None
    return float(ind.value)


def _reaches(share: float | None, limit: float) -> bool:
    """Whether a share as printed reaches a threshold: 19.6 prints '20%' and is 'at least
    20%', as the recommendations judge it, so two shares printed alike are judged alike."""
    return share is not None and share_as_printed(share) >= limit


def _flag(indicators: Mapping[str, IndicatorValue], key: str) -> bool | None:
    ind = indicators.get(key)
    if ind is None or ind.kind != "flag" or not isinstance(ind.value, bool):
        return None
    return ind.value


def _points(value: float) -> str:
    """A share as every figure in the app prints it (format_share): whole percent."""
    return format_share(value)


def _pounds(value: float) -> str:
    return format_money(value)


def _since(now: float, before: float | None, cycle: str | None) -> str:
    """The change in a share since the prior audit, in whole points as the shares are printed;
    one that rounds to no change is 'about the same'."""
    if before is None or cycle is None:
        return ""
    change = format_change(shown_share(now) - shown_share(before), POINTS)  # as both print
    if change == "No change":
        return f", about the same as in {cycle}"
    word, size, _ = change.split(" ", 2)
    unit = "percentage point" if size == "1" else "percentage points"
    return f", {word.lower()} {size} {unit} since {cycle}"


def _gap(now: float, then: float) -> float:
    """The difference of two maturities as printed, to one decimal (3.0 - 2.7 is 0.2999…)."""
    return round((shown_maturity(now) or 0.0) - (shown_maturity(then) or 0.0), 1)


def _overall(figures: AuditFigures) -> str:
    """'Overall maturity is 3.2 out of 5', with '(provisional: 1 of 22 answered)' when it
    rests on thin evidence: never a provisional overall stated as a plain fact."""
    covered = figures.score.overall_coverage
    thin = f" (provisional: {covered.text})" if covered is not None and covered.provisional else ""
    return f"Overall maturity is {format_maturity(figures.score.overall)} out of 5{thin}"


def _rows_thin(indicators: Mapping[str, IndicatorValue], key: str) -> str:
    """' (provisional: 1 of 10 answered)' when a share rests on thin evidence (few of its
    table's rows could be counted), as the headline table marks it: never stated as fact."""
    covered = indicators[key].coverage if key in indicators else None
    if covered is None or not covered.provisional:
        return ""
    return f" (provisional: {covered.text})"


def _thin(figures: AuditFigures, section_id: str, cycle: str | None = None) -> str:
    """' (provisional: 1 of 3 answered)' when the section's rating rests on thin evidence;
    naming the cycle when it is the earlier audit's rating that does."""
    covered = figures.score.section_coverage.get(section_id)
    if covered is None or not covered.provisional:
        return ""
    when = f" in {cycle}" if cycle else ""
    return f" (provisional{when}: {covered.text})"


def key_findings(
    current: AuditFigures,
    prior: AuditFigures | None,
    medians: Mapping[str, float | None],
    *,
    limit: int = 5,
) -> list[Finding]:
    """The `limit` most important findings for this audit, most important first."""
    found: list[Finding] = []
    q = current.questionnaire
    ind = current.score.indicators
    before = prior.score.indicators if prior is not None else {}
    own = current.audit.department_id  # a former name's audit is said as such: '(as DCLG)'
    prior_cycle = cycle_as_named(prior.audit, own) if prior is not None else None

    if current.missing_required:
        n = current.missing_required
        found.append(
            Finding(
                f"The audit is not complete: {n} required answer{'s are' if n != 1 else ' is'} "
                "still missing, so some figures in this report may change.",
                100,
            )
        )

    for key, missing_text, lost_text, weight in (
        (
            "digital_leader_on_board",
            "No digital leader sits on the departmental board.",
            "A digital leader no longer sits on the board, as one did in {cycle}.",
            90,
        ),
        (
            "cio_on_board",
            "No CIO or equivalent business-led technology leader sits on the board.",
            "A CIO or equivalent no longer sits on the board, as one did in {cycle}.",
            80,
        ),
    ):
        conflicted = ind.get(key)
        if conflicted is not None and conflicted.status == CONFLICTING:
            # Neither Yes nor No: the board is told the figure waits on a resolved conflict.
            text = f"{conflicted.label}: {CONFLICTING_TEXT}. {conflicted.note}"
            found.append(Finding(text, weight + 2))
            continue
        now = _flag(ind, key)  # None when not answered: no sentence states a fact about it
        if now is False:
            was = _flag(before, key)
            text = lost_text.format(cycle=prior_cycle) if was else missing_text
            about = (f"indicator:{key}", f"question:{key}", *_ALSO_ABOUT.get(key, ()))
            found.append(Finding(text, weight + (5 if was else 0), refs=about))

    overall, median = current.score.overall, medians.get("overall")
    if overall is not None and median is not None:
        gap = _gap(overall, median)  # between the figures as printed
        where = (
            f"the cross-government median of {format_maturity(median)} for {current.audit.cycle}"
        )
        said = _overall(current)
        if gap <= -0.3:
            text = f"{said}, below {where}."
            red = tuple(
                f"section:{k}"
                for k, v in current.score.section_maturity.items()
                if maturity_band(v) == RED
            )
            found.append(Finding(text, 70 + 10 * abs(gap), refs=red))
        elif gap >= 0.3:
            text = f"{said}, above {where}."
            found.append(Finding(text, 30 + 5 * gap, concern=False))
        else:
            text = f"{said}, close to {where}."
            found.append(Finding(text, 28, concern=False))

    # sections as printed, so a threshold and its sentence agree ('2.5' is not below 2.5)
    printed = {k: shown_maturity(v) for k, v in current.score.section_maturity.items()}
    scored = {k: v for k, v in printed.items() if v is not None}
    if scored:
        weakest = min(scored, key=lambda k: (scored[k], k))
        if scored[weakest] <= 2.5:
            title = q.section(weakest).title
            text = (
                f"{title} is the weakest area, at {format_maturity(scored[weakest])} out of 5"
                f"{_thin(current, weakest)}."
            )
            found.append(
                Finding(text, 60 + 10 * (2.5 - scored[weakest]), refs=(f"section:{weakest}",))
            )
        strongest = max(scored, key=lambda k: (scored[k], k))
        if scored[strongest] >= 4.0:
            title = q.section(strongest).title
            text = (
                f"{title} is the strongest area, at {format_maturity(scored[strongest])} out of 5"
                f"{_thin(current, strongest)}."
            )
            found.append(Finding(text, 26, concern=False))

    if prior is not None:
        changes = []
        for key, now_value in scored.items():
            was_value = shown_maturity(prior.score.section_maturity.get(key))
            if was_value is not None:
                changes.append((_gap(now_value, was_value), key, was_value, now_value))
        if changes:
            delta, key, was_value, now_value = max(changes, key=lambda c: (abs(c[0]), c[1]))
            if abs(delta) >= 0.5:
                verb = "improved" if delta > 0 else "declined"
                text = (
                    f"{q.section(key).title} has {verb} since {prior_cycle}, "
                    f"from {format_maturity(was_value)} to {format_maturity(now_value)} out of 5"
                    f"{_thin(current, key) or _thin(prior, key, prior_cycle)}."
                )
                found.append(
                    Finding(text, 35 + 10 * abs(delta), delta < 0, refs=(f"section:{key}",))
                )

    fte = _share(ind, "contractor_share_fte")
    if fte is not None and _reaches(fte, 20):
        text = (
            f"Contractors and consultants make up {_points(fte)} of the technology workforce "
            f"by FTE{_rows_thin(ind, 'contractor_share_fte')}"
            f"{_since(fte, _share(before, 'contractor_share_fte'), prior_cycle)}."
        )
        found.append(Finding(text, 40 + fte / 2, refs=("indicator:contractor_share_fte",)))

    senior = _share(ind, "senior_interim_contractor_share")
    if senior is not None and _reaches(senior, 25):
        text = (
            f"{_points(senior)} of senior technology posts are held by interims, "
            f"contractors or consultants{_rows_thin(ind, 'senior_interim_contractor_share')}."
        )
        found.append(
            Finding(text, 45 + senior / 2, refs=("indicator:senior_interim_contractor_share",))
        )

    vacant = _share(ind, "senior_vacancy_share")
    if vacant is not None and _reaches(vacant, 20):
        text = (
            f"{_points(vacant)} of senior technology posts are vacant"
            f"{_rows_thin(ind, 'senior_vacancy_share')}."
        )
        found.append(Finding(text, 40 + vacant / 3, refs=("indicator:senior_vacancy_share",)))

    programmes = ind.get("programmes_by_rag")
    if programmes is not None and programmes.groups:
        total = sum(count for count, _ in programmes.groups.values())
        poor = [programmes.groups[r] for r in POOR_RATINGS if r in programmes.groups]
        count = sum(c for c, _ in poor)
        if count:
            # a sum counts a blank cost as 0: it is the programmes' worth only for those costed
            value = sum(v for _, v in poor)
            costed = sum(programmes.valued.get(r, 0) for r in POOR_RATINGS)
            complete = costed == count and 0 < value < math.inf  # not inf of 1e308s
            worth = f", worth {_pounds(value)} over their whole lives," if complete else ""
            text = (
                f"{count} of {total} major programmes{worth} "
                f"{'have' if count != 1 else 'has'} delivery confidence rated Red or Amber/Red"
            )
            if 0 < costed < count and 0 < value < math.inf:
                text += (
                    f"; the {costed} of {count} with a recorded whole-life cost "
                    f"{'is' if costed == 1 else 'are'} worth {_pounds(value)}"
                )
            text += "."
            found.append(Finding(text, 62 + 4 * count, refs=("indicator:programmes_by_rag",)))

    if not found and overall is not None:
        found.append(Finding(f"{_overall(current)}.", 1, concern=False))
    elif not found:
        found.append(Finding("No answers that can be scored have been recorded yet.", 1))
    found.sort(key=lambda f: -f.weight)
    return found[:limit]
