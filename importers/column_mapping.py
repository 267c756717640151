"""Which source column feeds which table column: suggested from header words and sample values."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from importers.header_synonyms import SOURCE_FIELDS, SYNONYMS
from importers.source_table import CellValue, HeaderLayout
from importers.value_kinds import value_fit, values_kind
from models.questionnaire import Field, Question

__all__ = [
    "FUZZY_THRESHOLD",
    "MAP_THRESHOLD",
    "SOURCE_FIELDS",
    "SYNONYMS",
    "TOP_SUGGESTIONS",
    "ColumnMapping",
    "Suggestion",
    "header_signature",
    "header_unit",
    "mapping_score",
    "normalise_header",
    "suggest_mapping",
    "suggest_source_fields",
    "synonyms_for",
]

FUZZY_THRESHOLD = 0.75
MAP_THRESHOLD = 0.5  # below this a suggestion is listed but not used
TOP_SUGGESTIONS = 3

_UNITS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"£\s*(m|mn|million|millions)\b|\(m\)|in millions|£ ?m\)", re.I), 1e6),
    (re.compile(r"£\s*(bn|billion)\b", re.I), 1e9),
    (re.compile(r"£\s*'?0{3}s?\b|£\s*k\b|£ thousands|\(k\)|in thousands", re.I), 1e3),
)
_PUNCT = re.compile(r"[^0-9a-z£%]+")


@dataclass
class ColumnMapping:
    """A table's columns bound to source columns, plus constants, provenance and units."""

    target: str
    columns: dict[str, int | None]
    constants: dict[str, Any] = field(default_factory=dict)
    source_fields: dict[str, int] = field(default_factory=dict)
    units: dict[str, float] = field(default_factory=dict)
    name: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "target": self.target,
                "columns": self.columns,
                "constants": self.constants,
                "source_fields": self.source_fields,
                "units": self.units,
                "name": self.name,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("target"), str):
            raise ValueError("a column mapping needs a 'target' table id")
        columns = data.get("columns") or {}
        return cls(
            target=data["target"],
            columns={str(k): (None if v is None else int(v)) for k, v in columns.items()},
            constants=dict(data.get("constants") or {}),
            source_fields={str(k): int(v) for k, v in (data.get("source_fields") or {}).items()},
            units={str(k): float(v) for k, v in (data.get("units") or {}).items()},
            name=str(data.get("name") or ""),
        )

    @property
    def mapped(self) -> dict[str, int]:
        """Only the target columns that have a source column."""
        return {k: v for k, v in self.columns.items() if v is not None}


@dataclass(frozen=True)
class Suggestion:
    """One candidate source column for a target column, with the reason in words."""

    column_id: str
    source_index: int | None
    score: float
    why: str


def normalise_header(text: str) -> str:
    """Header text for comparing: lowercase, '&' as 'and', punctuation and runs of space gone."""
    text = text.lower().replace("&", " and ").replace("_", " ")
    return " ".join(_PUNCT.sub(" ", text).split())


def _bare(text: str) -> str:
    """Normalised header without pound signs and unit markers, for matching words."""
    text = re.sub(r"\((£|£m|£k|£000|£'000|%|m)\)", " ", text, flags=re.I)
    return " ".join(normalise_header(text).replace("£", " ").split())


def header_signature(header: HeaderLayout) -> str:
    """A key for 'the same shape of file': the column names in order, case and spacing ignored."""
    names = [" ".join(name.lower().split()) for name in header.names]
    return hashlib.sha1("\x1f".join(names).encode("utf-8")).hexdigest()


def header_unit(name: str) -> float:
    """The multiplier a money column's header declares: 1e6 for '(£m)', 1e3 for '£000'."""
    for pattern, unit in _UNITS:
        if pattern.search(name):
            return unit
    return 1.0


def synonyms_for(table: Question, column: Field) -> tuple[str, ...]:
    """The header spellings that name a column: the shipped list, its label and its id."""
    known = SYNONYMS.get(table.id, {}).get(column.id, ())
    return (*known, column.label, column.id.replace("_", " "))


@functools.cache
def _prepared(synonyms: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """Every word the synonyms use, and each synonym with its bare form (worked out once)."""
    bare = tuple((synonym, _bare(synonym)) for synonym in synonyms)
    words = frozenset(word for _, target in bare for word in target.split())
    return words, tuple((synonym, target) for synonym, target in bare if target)


_bare_header = functools.lru_cache(maxsize=65_536)(lambda name: _bare(name))


def _header_score(name: str, synonyms: Sequence[str]) -> tuple[float, str]:
    """How well a header names a column: 1 for a synonym, less for containment or likeness."""
    bare = _bare_header(name)
    if not bare:
        return 0.0, ""
    vocabulary, prepared = _prepared(tuple(synonyms))
    header_words = set(bare.split())
    if not header_words & vocabulary:
        return 0.0, ""  # every kind of match below needs a word in common
    best: tuple[float, str] = (0.0, "")
    words = f" {bare} "
    for synonym, target in prepared:
        if bare == target:
            return 1.0, f"header matches synonym {synonym!r}"
        coverage = len(target) / len(bare)
        one_word = " " not in target
        if len(target) >= 3 and f" {target} " in words and (not one_word or coverage >= 0.6):
            score = 0.55 + 0.35 * coverage
            if score > best[0]:
                best = (score, f"header contains {synonym!r}")
            continue
        if not header_words & set(target.split()):
            continue  # difflib is slow, and a likeness without a shared word does not count
        ratio = difflib.SequenceMatcher(None, bare, target).ratio()
        if ratio >= FUZZY_THRESHOLD and 0.85 * ratio > best[0]:
            best = (0.85 * ratio, f"header resembles {synonym!r} ({ratio:.2f})")
    return best


def suggest_mapping(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], table: Question
) -> tuple[ColumnMapping, dict[str, list[Suggestion]]]:
    """The likeliest mapping of a sheet onto a table, and the top candidates per table column."""
    names = header.names
    columns_values = [
        [row[i] if i < len(row) else None for row in sample] for i in range(len(names))
    ]
    kinds = [values_kind(values) for values in columns_values]
    candidates: dict[str, list[Suggestion]] = {}
    for column in table.columns:
        synonyms = synonyms_for(table, column)
        found: list[Suggestion] = []
        for index, name in enumerate(names):
            score, why = _header_score(name, synonyms)
            parts = header.parts[index]
            if len(parts) > 1:
                # A stacked header's lowest level names the column ('Contract value; Annual').
                low, low_why = _header_score(parts[-1], synonyms)
                if 0.95 * low > score:
                    score, why = 0.95 * low, f"{low_why} (under {'; '.join(parts[:-1])!r})"
            fit, fit_why = value_fit(column, kinds[index])
            if score > 0:
                total = max(0.0, min(1.0, score + (0.1 if fit > 0 else fit)))
                reasons = why if fit == 0 else f"{why}; {fit_why}"
                found.append(Suggestion(column.id, index, round(total, 3), reasons))
            elif fit >= 0.3:
                found.append(Suggestion(column.id, index, round(fit, 3), fit_why))
        found.sort(key=lambda s: (-s.score, s.source_index or 0))
        candidates[column.id] = found
    mapping = ColumnMapping(target=table.id, columns={c.id: None for c in table.columns})
    pairs = sorted(
        (s for found in candidates.values() for s in found if s.score >= MAP_THRESHOLD),
        key=lambda s: (-s.score, s.source_index or 0),
    )
    used: set[int] = set()
    for suggestion in pairs:
        source = suggestion.source_index
        if source is None or source in used or mapping.columns[suggestion.column_id] is not None:
            continue
        mapping.columns[suggestion.column_id] = source
        used.add(source)
        if table.column(suggestion.column_id).type == "currency":
            unit = header_unit(names[source])
            if unit != 1.0:
                mapping.units[suggestion.column_id] = unit
    mapping.source_fields = suggest_source_fields(header)
    return mapping, {k: v[:TOP_SUGGESTIONS] for k, v in candidates.items()}


def suggest_source_fields(header: HeaderLayout) -> dict[str, int]:
    """Provenance columns (organisation, unit, department, grade, …) found by header spelling."""
    found: dict[str, tuple[float, int]] = {}
    taken: dict[int, float] = {}
    scored = []
    for name_id, synonyms in SOURCE_FIELDS.items():
        for index, name in enumerate(header.names):
            score, _ = _header_score(name, synonyms)
            if score >= 0.8:
                scored.append((score, name_id, index))
    for score, name_id, index in sorted(scored, key=lambda s: (-s[0], s[2])):
        if name_id in found or taken.get(index, 0.0) > score:
            continue
        found[name_id] = (score, index)
        taken[index] = max(taken.get(index, 0.0), score)
    return {k: v[1] for k, v in found.items()}


def mapping_score(mapping: ColumnMapping, suggestions: dict[str, list[Suggestion]]) -> float:
    """The total score of the columns a mapping uses: how well a sheet fits a table."""
    total = 0.0
    for column_id, index in mapping.mapped.items():
        for suggestion in suggestions.get(column_id, []):
            if suggestion.source_index == index:
                total += suggestion.score
                break
    return total
