"""Cells matched to reference lists: choices, Civil Service grades and staff types."""

from __future__ import annotations

import difflib
import functools
import re

from importers.cell_cleaning import Unparsed, clean_text, match_key, shown
from importers.source_table import CellValue
from models.reference import ReferenceItem, reference_list

# --------------------------------------------------------------------------- reference lists


@functools.cache
def _choice_index(list_id: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Key -> value for a list's values, labels and synonyms, and keys that mean two things."""
    found: dict[str, set[str]] = {}
    for item in reference_list(list_id).items:
        for spelling in (item.value, item.label, *item.synonyms):
            key = match_key(spelling)
            if key:
                found.setdefault(key, set()).add(item.value)
    index = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    clashes = {k: tuple(sorted(v)) for k, v in found.items() if len(v) > 1}
    return index, clashes


def _list_title(list_id: str) -> str:
    return reference_list(list_id).title


def parse_choice(value: CellValue, list_id: str) -> str:
    """A reference list's value for its value, label or a synonym, spelled loosely; raises Unparsed.

    Grades and staff types go through parse_grade and parse_staff_type.
    """
    if list_id == "grades":
        return parse_grade(value)
    if list_id == "staff_types":
        return parse_staff_type(value)
    if type(value) is not str:
        value = clean_text(value)
    return _choice_text(value, list_id)


@functools.lru_cache(maxsize=8192)
def _choice_text(value: str, list_id: str) -> str:
    index, clashes = _choice_index(list_id)
    key = match_key(value)
    if key in index:
        return index[key]
    if key in clashes:
        raise Unparsed(f"{shown(value)} could mean {' or '.join(clashes[key])}")
    raise Unparsed(f"{shown(value)} is not in the list of {_list_title(list_id)}")


# Grades -------------------------------------------------------------------------------

_GROUP_ALIASES = {
    "scs": "SCS",
    "scslevel": "SCS",
    "scsall": "SCS",
    "seniorcivilservice": "SCS",
    "seniorcivilservants": "SCS",
    "grade67": "Grade 6/7",
    "grades67": "Grade 6/7",
    "grade6and7": "Grade 6/7",
    "grades6and7": "Grade 6/7",
    "grade76": "Grade 6/7",
    "g67": "Grade 6/7",
    "otherunknownunspecified": "Other",
}
_GRADE_SPLIT = re.compile(r"\s*(?:/|&|\+|,|\band\b|\bor\b|\bto\b)\s*")
_PARENS = re.compile(r"\(([^()]*)\)")
_LEADING_WORD = re.compile(r"^(.*?)\s*\d+[a-z]?$")


@functools.cache
def _grade_tables() -> tuple[dict[str, str], dict[str, str], dict[str, ReferenceItem]]:
    """(key -> grade, key -> publisher group, grade -> item)."""
    index, _clashes = _choice_index("grades")
    items = {item.value: item for item in reference_list("grades").items}
    members: dict[str, list[str]] = {}
    for item in items.values():
        members.setdefault(item.group, []).append(item.value)
    groups = {match_key(name): name for name, values in members.items() if len(values) > 1}
    for name in list(members):
        if "/" in name:
            groups.setdefault(match_key("/".join(reversed(name.split("/")))), name)
    for alias, name in _GROUP_ALIASES.items():
        groups.setdefault(alias, name)
    return index, groups, items


def _grade_lookup(text: str) -> str | None:
    index = _grade_tables()[0]
    key = match_key(text)
    if key in index:
        return index[key]
    outer = _PARENS.sub(" ", text).strip()
    inner = [part.strip() for part in _PARENS.findall(text)]
    if not inner or outer == text:
        return None
    found = {index[k] for k in (match_key(outer), *map(match_key, inner)) if k in index}
    if len(found) == 1:
        return found.pop()
    return None


def _grade_parts(text: str) -> list[str]:
    """The grades a grouping such as 'Grade 6/7' or 'SEO/HEO' names (two or more), or []."""
    parts = [p for p in _GRADE_SPLIT.split(text) if p]
    if len(parts) < 2:
        return []
    prefix = _LEADING_WORD.match(parts[0].lower())
    found: list[str] = []
    for part in parts:
        grade = _grade_lookup(part)
        if grade is None and part.isdigit() and prefix is not None:
            grade = _grade_lookup(prefix[1] + " " + part)
        if grade is None:
            return []
        found.append(grade)
    return found if len(set(found)) > 1 else []


@functools.lru_cache(maxsize=4096)
def _grade_text(value: str) -> tuple[str | None, str | None]:
    """(grade, None) for one grade, (None, group or '') for a grouping, (None, None) if unknown."""
    text = clean_text(value)
    grade = _grade_lookup(text)
    if grade is not None:
        return grade, None
    _index, groups, items = _grade_tables()
    group = groups.get(match_key(text))
    if group is not None:
        return None, group
    parts = _grade_parts(text)
    if parts:
        shared = {items[p].group for p in parts}
        return None, shared.pop() if len(shared) == 1 else ""
    return None, None


def parse_grade(value: CellValue) -> str:
    """A 'grades' value: 'G7' -> 'g7', 'SCS Pay Band 2' -> 'scs2'; a grouping raises Unparsed."""
    text = value if type(value) is str else clean_text(value)
    grade, group = _grade_text(text)
    if grade is not None:
        return grade
    if group is not None:
        raise Unparsed(f"{shown(value)} is a group of grades, not one grade")
    raise Unparsed(f"{shown(value)} is not a Civil Service grade")


def grade_group(value: CellValue) -> str | None:
    """The publishers' grouping of a grade or grouping text ('G7' -> 'Grade 6/7'), or None."""
    text = value if type(value) is str else clean_text(value)
    grade, group = _grade_text(text)
    if grade is not None:
        return _grade_tables()[2][grade].group or None
    return group or None


# Staff types -------------------------------------------------------------------------

_STAFF_WORD = re.compile(r"[a-z0-9]+")
_FUZZ = 0.88


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _staff_words(text: str) -> list[str]:
    low = text.lower().replace("&", " and ").replace("+", " and ")
    return [_singular(w) for w in _STAFF_WORD.findall(low)]


@functools.cache
def _staff_tables() -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(words -> value, sorted words -> value, (words, value) for fuzzy matching)."""
    exact: dict[str, set[str]] = {}
    unordered: dict[str, set[str]] = {}
    spellings: list[tuple[str, str]] = []
    for item in reference_list("staff_types").items:
        for spelling in (item.value.replace("_", " "), item.label, *item.synonyms):
            words = _staff_words(spelling)
            if not words:
                continue
            exact.setdefault(" ".join(words), set()).add(item.value)
            unordered.setdefault(" ".join(sorted(words)), set()).add(item.value)
            spellings.append((" ".join(words), item.value))
    return (
        {k: next(iter(v)) for k, v in exact.items() if len(v) == 1},
        {k: next(iter(v)) for k, v in unordered.items() if len(v) == 1},
        tuple(spellings),
    )


@functools.lru_cache(maxsize=4096)
def _staff_text(value: str) -> tuple[str | None, str]:
    """(staff type, '') or (None, why not); failures are cached too, fuzzy matching is slow."""
    try:
        return _staff_match(value), ""
    except Unparsed as exc:
        return None, str(exc)


def _staff_match(value: str) -> str:
    exact, unordered, spellings = _staff_tables()
    words = _staff_words(value)
    joined = " ".join(words)
    if joined in exact:
        return exact[joined]
    ordered = " ".join(sorted(words))
    if ordered in unordered:
        return unordered[ordered]
    if len(joined) >= 5:
        best: dict[str, float] = {}
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(joined)
        for spelling, staff_type in spellings:
            matcher.set_seq1(spelling)
            if matcher.real_quick_ratio() < _FUZZ or matcher.quick_ratio() < _FUZZ:
                continue
            ratio = matcher.ratio()
            if ratio >= _FUZZ and ratio > best.get(staff_type, 0.0):
                best[staff_type] = ratio
        if len(best) == 1:
            return next(iter(best))
        if len(best) > 1:
            raise Unparsed(f"{shown(value)} could be {' or '.join(sorted(best))}")
    raise Unparsed(f"{shown(value)} is not a known staff type")


def parse_staff_type(value: CellValue) -> str:
    """A 'staff_types' value from its spellings, plurals, '&'/'and', any word order or a near miss.

    Raises Unparsed rather than guess when nothing is close enough or two types are.
    """
    found, problem = _staff_text(value if type(value) is str else clean_text(value))
    if found is None:
        raise Unparsed(problem)
    return found
