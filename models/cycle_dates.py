"""Whether a file's dates fit the audit cycle it is imported into (a 2025 file into 2014)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

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
