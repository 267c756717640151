"""Whether a row of public workforce or project data is about technology, and why, in words.

A row counts when its profession is Digital, Data and Technology (or the older "Information
Technology"/"IT"/"ICT"/"Digital" groups), when its job title or team function names a DDaT role
or a technology word (CIO, CTO, CDO, CDIO, CISO, Chief Digital/Data/Information/Technology
Officer, Digital, Data, Technology, IT, ICT, Cyber, Information Security, Architect, Software,
Developer, or Engineer with a technology word beside it); a format may add reasons of its
own (importers/formats/gmpp.py: the Annual Report Category ICT or Digital). "Knowledge and
Information Management" is its own profession (records and information governance), not
DDaT, so it does not count on its own; nor do titles whose DDaT name is also common outside
technology (Business Analyst, Delivery Manager, Service Owner, Performance Analyst).
Matching is by whole words: "IT" must be capitals and never matches "Items"; "Data" never
matches "Update".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from models.reference import reference_list

TECH_PROFESSIONS = (
    "Digital, Data and Technology",
    "Digital Data and Technology",
    "Digital, Data & Technology",
    "DDaT",
    "Digital and Data",
    "Information Technology",
    "IT",
    "ICT",
    "Digital",
    "Technology",
    "Digital and Technology",
)

# DDaT role names that are as common outside technology as in it: not enough on their own.
AMBIGUOUS_ROLES = frozenset(
    {
        "business analyst",
        "business architect",
        "business relationship manager",
        "delivery manager",
        "programme delivery manager",
        "service owner",
        "performance analyst",
        "incident manager",
        "problem manager",
        "graphic designer",
        "technical writer",
        "content strategist",
        "command and control centre manager",
        "accessibility specialist",
    }
)

_ACRONYMS = re.compile(r"\b(CIO|CTO|CDO|CDIO|CISO|CDDO|DDaT|ICT|IT)\b")
_WORDS = re.compile(
    r"\b(chief (digital|data|information|technology|technical) (and \w+ )?officer"
    r"|digital|data|technology|technologies|cyber|information security|information technology"
    r"|architect|architecture|software|developer|devops|cloud|service desk|user research(er)?"
    r"|interaction design(er)?|service design(er)?|content design(er)?)\b",
    re.IGNORECASE,
)
_ENGINEER = re.compile(r"\bengineer(ing|s)?\b", re.IGNORECASE)
_ENGINEER_CONTEXT = re.compile(
    r"\b(software|data|network|cloud|platform|security|devops|infrastructure|site reliability"
    r"|systems?|test|machine learning|analytics|end user computing|applications?)\b",
    re.IGNORECASE,
)


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@functools.cache
def _ddat_roles() -> tuple[tuple[re.Pattern[str], str], ...]:
    """DDaT role names from the shipped families, as whole-word patterns, longest first."""
    names: set[str] = set()
    for item in reference_list("ddat_families").items:
        for key in ("roles", "role_levels"):
            for role in item.attributes.get(key) or ():
                names.add(str(role))
    usable = [n for n in names if _squash(n) not in AMBIGUOUS_ROLES]
    usable.sort(key=len, reverse=True)
    return tuple(
        (re.compile(r"\b" + r"\s+".join(map(re.escape, _squash(n).split())) + r"\b"), n)
        for n in usable
    )


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def title_reason(title: str, what: str = "job title") -> str | None:
    """Why a job title (or team function) is technology, or None."""
    if not title:
        return None
    squashed = _squash(title)
    for pattern, role in _ddat_roles():
        if pattern.search(squashed):
            return f"{what} {title!r} is the DDaT role '{role}'"
    if match := _ACRONYMS.search(title):
        return f"{what} {title!r} names {match.group(0)!r}"
    if match := _WORDS.search(title):
        return f"{what} {title!r} names {match.group(0)!r}"
    if _ENGINEER.search(title) and (context := _ENGINEER_CONTEXT.search(title)):
        return f"{what} {title!r} is a {context.group(0).lower()} engineering post"
    return None


def technology_reason(source: Mapping[str, Any]) -> str | None:
    """Why a row counts as technology (profession, job title, function, project), or None;
    a format adds its own reasons (GMPP's report category) in its `technology` method."""
    profession = _text(source.get("profession"))
    if profession and _squash(profession) in {_squash(p) for p in TECH_PROFESSIONS}:
        return f"profession {profession!r}"
    for key, what in (
        ("job_title", "job title"),
        ("function", "team function"),
        ("project", "project name"),
    ):
        if reason := title_reason(_text(source.get(key)), what):
            return reason
    return None
