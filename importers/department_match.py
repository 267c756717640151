"""Which of the workspace's departments a row's department text means: "DWP", "HO", a body.

Published files name departments every way there is: full names with "&" or "and", the
GOV.UK abbreviation, the short forms people write ("HO", "MoJ"), names as they were before
a machinery-of-government change ("DCLG", "Her Majesty's Revenue and Customs"), or a body
whose parent department is the one audited. resources/reference/department_history.tsv
lists the historic names, spellings and abbreviations with their successions, dates and
sources. A row's own department column names a department: when it names a department
(ministerial or not) that is not in the workspace, the row is reported, not moved to the
reference list's parent. A name that matches nothing is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from models.department_history import HISTORY_FILE as HISTORY_FILE  # where it was
from models.department_history import HistoricName as HistoricName
from models.department_history import history, key
from models.records import Department
from models.reference import DepartmentEntry, departments

# Short forms seen in returns and publications that the GOV.UK list does not give.
ALIASES = {
    "ho": "Home Office",
    "mod": "Ministry of Defence",
    "moj": "Ministry of Justice",
    "dfe": "Department for Education",
    "dft": "Department for Transport",
    "dh": "Department of Health",
    "dhsc": "Department of Health and Social Care",
    "fco": "Foreign & Commonwealth Office",
    "fcdo": "Foreign, Commonwealth & Development Office",
    "hmt": "HM Treasury",
    "hmrc": "HM Revenue & Customs",
    "co": "Cabinet Office",
    "cabo": "Cabinet Office",
    "dwp": "Department for Work and Pensions",
    "defra": "Department for Environment, Food & Rural Affairs",
    "dcms": "Department for Culture, Media & Sport",
    "beis": "Department for Business, Energy & Industrial Strategy",
    "bis": "Department for Business, Innovation & Skills",
    "dclg": "Department for Communities and Local Government",
    "mhclg": "Ministry of Housing, Communities & Local Government",
    "decc": "Department of Energy & Climate Change",
    "dfid": "Department for International Development",
    "dit": "Department for International Trade",
    "ago": "Attorney General's Office",
}

_DEPARTMENT_TYPES = frozenset({"ministerial department", "non-ministerial department"})


@lru_cache(maxsize=1)
def _reference_by_key() -> dict[str, DepartmentEntry]:
    """GOV.UK bodies by name, and by abbreviation where only one body uses it (DSA, IPT and
    others are shared: a guess between them would be a silent one)."""
    found: dict[str, DepartmentEntry] = {}
    for entry in departments():
        found.setdefault(key(entry.name), entry)
    shared: dict[str, list[DepartmentEntry]] = {}
    for entry in departments():
        if entry.abbreviation:
            shared.setdefault(key(entry.abbreviation), []).append(entry)
    for abbreviation, entries in shared.items():
        if len(entries) == 1:
            found.setdefault(abbreviation, entries[0])
    return found


_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")


class DepartmentMatcher:
    """Finds the workspace department a piece of text names, remembering each answer."""

    def __init__(self, workspace: Sequence[Department]) -> None:
        self._by_key: dict[str, Department] = {}
        self._by_govuk: dict[str, Department] = {}
        for dept in workspace:
            self._by_key.setdefault(key(dept.name), dept)
            if dept.abbreviation:
                self._by_key.setdefault(key(dept.abbreviation), dept)
            if dept.govuk_id:
                self._by_govuk.setdefault(dept.govuk_id, dept)
        self._seen: dict[str, Department | None] = {}
        # How a historic name reached a workspace department: text -> the words for the report.
        self.routes: dict[str, str] = {}

    def match(self, text: str, as_of: str = "") -> Department | None:
        """The department `text` names, or None; with `as_of` (a row's 'YYYY-MM'), a name
        that had already gone by then is read as the department it had become, when that
        one is in the workspace (a May 2023 row naming DCLG is DLUHC's, not DCLG's)."""
        seen_key = f"{text}\x00{as_of}"
        if seen_key in self._seen:
            return self._seen[seen_key]
        found = self._find(text)
        if found is not None and as_of:
            found = self._in_force(text, found, as_of)
        self._seen[seen_key] = found
        return found

    def _in_force(self, text: str, found: Department, as_of: str) -> Department:
        """The workspace department `found` had become by `as_of`, following the successions
        in force at that date (MHCLG, DLUHC, then MHCLG again in 2024); `found` otherwise."""
        entry = history().get(key(found.name))
        since, steps = "", []
        for _ in range(10):  # successions are few; a cycle in the list must not hang
            if entry is None or not entry.successor:
                break
            end = entry.end if entry.end > since else ""  # re-created: in force again
            if not end or as_of < end:
                break
            steps.append(f"{entry.name} became {entry.successor} on {entry.end}")
            since, entry = end, history().get(key(entry.successor))
        if entry is None or not steps:
            return found
        for spelling in (entry.name, *entry.spellings):
            now = self._by_key.get(key(spelling))
            if now is not None and now.id != found.id:
                self.routes[f"{text}\x00{as_of}"] = (
                    f"{text!r} in {as_of} read as {now.name}: " + "; ".join(steps)
                )
                return now
            if now is not None:
                return found
        return found

    def _find(self, text: str) -> Department | None:
        found = self._find_exact(text)
        bracketed = _BRACKETED.match(text.strip())
        if found is None and bracketed:  # "Department for Education (DfE)", "DWP (excl. …)"
            found = self._find_exact(bracketed["name"]) or self._find_exact(bracketed["inner"])
        return found

    def _find_exact(self, text: str) -> Department | None:
        wanted = key(text)
        if not wanted:
            return None
        if wanted in self._by_key:
            return self._by_key[wanted]
        alias = ALIASES.get(wanted.replace(" ", ""))
        if alias and key(alias) in self._by_key:
            return self._by_key[key(alias)]
        historic = self._historic(text, wanted)
        if historic is not None:
            return historic
        entry = _reference_by_key().get(wanted) or (
            _reference_by_key().get(key(alias)) if alias else None
        )
        for step in range(3):  # a body, its parent, the parent's parent
            if entry is None:
                return None
            if entry.govuk_id in self._by_govuk:
                return self._by_govuk[entry.govuk_id]
            if key(entry.name) in self._by_key:
                return self._by_key[key(entry.name)]
            if step == 0 and entry.type.lower() in _DEPARTMENT_TYPES:
                return None  # the row names a department of its own: not its parent's rows
            entry = _reference_by_key().get(key(entry.parent)) if entry.parent else None
        return None

    def _historic(self, text: str, wanted: str) -> Department | None:
        """A department by a name it had, or by what it became (one successor at a time)."""
        entry = history().get(wanted)
        seen: set[str] = set()
        steps: list[str] = []
        while entry is not None and entry.name not in seen:
            seen.add(entry.name)
            for spelling in (entry.name, *entry.spellings):
                found = self._by_key.get(key(spelling))
                if found is not None:
                    if steps:
                        self.routes[text] = f"{text!r} read as {found.name}: " + "; ".join(steps)
                    return found
            if not entry.successor:
                return None
            steps.append(f"{entry.name} became {entry.successor} on {entry.end}")
            entry = history().get(key(entry.successor))
        return None
