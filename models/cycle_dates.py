"""Whether a file's dates fit the audit cycle it is imported into (a 2025 file into 2014)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)(?:\s*[-/–]\s*(\d\d)(?!\d))?")
SLACK = 1  # a 2014 review reads 2013-14 figures: a year either side fits


def years_in(texts: Iterable[str]) -> Counter[int]:
    """Years named in texts: 2025, 31/03/2013, 2013-03-31 and financial years 2012-13."""
    found: Counter[int] = Counter()
    for text in texts:
        for match in _YEAR.finditer(text):
            year = int(match.group(1))
            found[year] += 1
            end = match.group(2)
            if end is not None and int(end) == (year + 1) % 100:
                found[year + 1] += 1
    return found


def cycle_year(label: str) -> int | None:
    """The year a cycle label names ('2014 review' → 2014), or None when it names none."""
    years = years_in([label])
    return max(years) if years else None


def date_warning(cycle: str, file_name: str, dates: Iterable[str]) -> str | None:
    """A warning when the file's own dates (its name, then its date cells) do not fit the cycle.

    Says nothing when the cycle or the file names no year: a guess is not a warning.
    """
    wanted = cycle_year(cycle)
    if wanted is None:
        return None
    named = years_in([file_name]) or years_in(dates)
    if not named:
        return None
    if any(abs(year - wanted) <= SLACK for year in named):
        return None
    common = [year for year, _ in named.most_common(3)]
    shown = ", ".join(str(y) for y in sorted(common))
    return (
        f"{file_name} has dates from {shown}, but it is being imported into the {cycle} "
        "cycle. Check the cycle before importing."
    )


_ISO_DATE = re.compile(r"20\d\d-\d\d-\d\d")
SAMPLED_VALUES = 5000  # cell values looked at for dates: enough to know, cheap on a big file


def date_warning_for(cycles: Iterable[str], file_name: str, values: Iterable[object]) -> str | None:
    """The warning for the first cycle the file's dates do not fit (None when all fit).

    `values` are stored cell values; dates among them are ISO strings (2025-03-31).
    """
    dates = []
    for n, value in enumerate(values):
        if n >= SAMPLED_VALUES:
            break
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            dates.append(value)
    for cycle in sorted(set(cycles)):
        warning = date_warning(cycle, file_name, dates)
        if warning is not None:
            return warning
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}  # fmt: skip
# Seasons and quarters as the month they start; winter straddles two years, so it says none.
_PARTS = {**_MONTHS, "spring": 3, "summer": 6, "autumn": 9, "fall": 9, "q1": 1, "q2": 4}
_PARTS.update({"q3": 7, "q4": 10})
_WORD = re.compile(r"[a-z]+\d?")


def cycle_date(label: str) -> tuple[int, int | None] | None:
    """When a cycle is: the year its label names and, if it says, the month (a season or a
    quarter as the month it starts); None when the label names no year."""
    year = cycle_year(label)
    if year is None:
        return None
    months = {_PARTS[w] for w in _WORD.findall(label.lower()) if w in _PARTS}
    return (year, months.pop() if len(months) == 1 else None)


def cycle_before(first: str, second: str) -> bool:
    """Whether cycle `first` is known to come before `second`: an earlier year, or the same
    year and an earlier month; never when either cannot be dated that finely."""
    a, b = cycle_date(first), cycle_date(second)
    if a is None or b is None:
        return False
    if a[0] != b[0]:
        return a[0] < b[0]
    return a[1] is not None and b[1] is not None and a[1] < b[1]


def _order_key(label: str) -> tuple[int, int, int, str]:
    when = cycle_date(label)
    if when is None:
        return (0, 0, 0, label)
    return (1, when[0], when[1] or 0, label)


def in_cycle_order(labels: Iterable[str]) -> list[str]:
    """Cycle labels oldest first by the date each names (cycle_date), ties by label.

    A label naming no year cannot be placed in time: such labels come first, by label, and
    are compared with no other cycle (prior_cycle).
    """
    return sorted(set(labels), key=_order_key)


def earlier_cycles(cycle: str, labels: Iterable[str]) -> list[str]:
    """The labels known to come before `cycle` (cycle_before), oldest first.

    A label of the same date, or one that cannot be dated, is neither earlier nor later.
    """
    return [c for c in in_cycle_order(labels) if cycle_before(c, cycle)]


def prior_cycle(cycle: str, labels: Iterable[str]) -> str | None:
    """The cycle just before `cycle`, what change is measured from: the earlier cycle that
    every other earlier one comes before.

    None when that cannot be told: `cycle` cannot be dated, none is earlier, or two could
    each be the last before it (2014 review and 2014 follow-up, before 2015 review).
    """
    earlier = earlier_cycles(cycle, labels)
    last = [c for c in earlier if all(o == c or cycle_before(o, c) for o in earlier)]
    return last[0] if len(last) == 1 else None


def latest_cycle(labels: Sequence[str]) -> str | None:
    """The cycle to start next year's audit from: the one no other is known to come after.

    A cycle naming no year is taken only when none names one. `labels` come in the order
    their audits were created: of several that could each be the latest, the one created last.
    """
    dated = [c for c in labels if cycle_date(c) is not None] or list(labels)
    last = [c for c in dated if not any(cycle_before(c, o) for o in dated)]
    return last[-1] if last else None
