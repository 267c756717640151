"""Which of the workspace's departments a row's department text means: "DWP", "HO", a body.

Published files name departments every way there is: full names with "&" or "and", the
GOV.UK abbreviation, the short forms people write ("HO", "MoJ"), or a body whose parent
department is the one audited. A name that matches nothing is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

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

_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def key(text: str) -> str:
    """A department name reduced to what identifies it: case, '&', 'the', punctuation."""
    low = text.lower().replace("&", " and ").replace("’", "'")
    low = _PUNCT.sub(" ", low.replace("'s ", "s ").replace("'", ""))
    words = [w for w in _SPACES.split(low) if w and w != "the"]
    words = ["department" if w in ("dept", "dep") else w for w in words]
    return " ".join(words)


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

    def match(self, text: str) -> Department | None:
        """The department `text` names, or None."""
        if text in self._seen:
            return self._seen[text]
        found = self._find(text)
        self._seen[text] = found
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
        entry = _reference_by_key().get(wanted) or (
            _reference_by_key().get(key(alias)) if alias else None
        )
        for _ in range(3):  # a body, its parent, the parent's parent
            if entry is None:
                return None
            if entry.govuk_id in self._by_govuk:
                return self._by_govuk[entry.govuk_id]
            if key(entry.name) in self._by_key:
                return self._by_key[key(entry.name)]
            entry = _reference_by_key().get(key(entry.parent)) if entry.parent else None
        return None
