"""Which source column feeds which table column: suggested from header words and sample values."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from importers.header_detect import cell_text, is_numberish
from importers.source_table import CellValue, HeaderLayout
from models.questionnaire import Field, Question

FUZZY_THRESHOLD = 0.75
MAP_THRESHOLD = 0.5  # below this a suggestion is listed but not used
TOP_SUGGESTIONS = 3

# Header spellings seen in real files, per table and column. Each column's own label and
# id are synonyms too, so a table not listed here still gets header matches.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "senior_roles": {
        "post_ref": (
            "Post Unique Reference",
            "Post reference",
            "Post ID",
            "Post number",
            "Unique reference",
            "Ref",
        ),
        "job_title": (
            "Job Title",
            "Generic Job Title",
            "Role",
            "Post title",
            "Job",
            "Position",
            "Title",
        ),
        "role_type": ("Role type", "Type of role", "Role category"),
        "grade": (
            "Grade (or equivalent)",
            "Grade",
            "Responsibility_level_ungrouped",
            "Responsibility level",
            "Band",
            "Pay band",
            "Grade or equivalent",
        ),
        "employment_type": (
            "Employment type",
            "Staff type",
            "Employment status",
            "Contract type",
            "Type of employment",
        ),
        "board_member": ("Board member", "On the board", "Board", "Board membership"),
        "reports_to": (
            "Reports to Senior Post",
            "Reporting Senior Post",
            "Reports to",
            "Line manager",
            "Manager post",
        ),
        "pay_floor": (
            "Actual Pay Floor (£)",
            "Payscale Minimum (£)",
            "Pay floor",
            "Salary min",
            "Salary minimum",
            "Minimum salary",
            "Pay band minimum",
            "Pay range minimum",
            "Pay scale minimum",
        ),
        "pay_ceiling": (
            "Actual Pay Ceiling (£)",
            "Payscale Maximum (£)",
            "Pay ceiling",
            "Salary max",
            "Salary maximum",
            "Maximum salary",
            "Pay band maximum",
            "Pay range maximum",
            "Pay scale maximum",
        ),
        "fte": ("FTE", "Full-time equivalent", "Number of Posts in FTE", "FTE of post"),
        "contract_mgmt_pct": (
            "Time managing contracts",
            "Contract management time",
            "% time on contracts",
            "Contract management %",
        ),
        "vacant_or_interim": ("Post status", "Vacant or interim", "Status", "Vacancy"),
        "post_holder_name": (
            "Name",
            "Post holder",
            "Post holder name",
            "Postholder",
            "Name of post holder",
            "Incumbent",
        ),
    },
    "workforce_mix": {
        "profession_family": (
            "Role family",
            "DDaT role family",
            "Job family",
            "Profession family",
            "DDaT family",
            "Family",
        ),
        "staff_type": (
            "Staff type",
            "Employment type",
            "Type of staff",
            "Worker type",
            "Contract type",
        ),
        "headcount": (
            "Headcount",
            "Head count",
            "Number of staff",
            "Number of people",
            "Staff numbers",
            "People",
        ),
        "fte": ("FTE", "Full-time equivalent", "Number of Posts in FTE", "Full time equivalent"),
        "annual_cost": (
            "Annual cost",
            "Cost",
            "Annual cost (£)",
            "Total cost",
            "Paybill",
            "Total paybill",
            "Staff costs",
            "Spend",
        ),
    },
    "contracts": {
        "supplier": ("Supplier", "Supplier name", "Contractor", "Vendor", "Provider", "Company"),
        "service": (
            "Service",
            "Service provided",
            "Description",
            "Contract description",
            "Contract title",
            "Services",
            "What it covers",
        ),
        "annual_value": (
            "Annual value",
            "Annual value (£)",
            "Annual",
            "Annual cost",
            "Value per year",
            "Yearly value",
            "Annual spend",
        ),
        "total_value": (
            "Total value",
            "Total value (£)",
            "Contract value",
            "Whole life value",
            "Total contract value",
            "Value",
            "Total",
        ),
        "end_date": (
            "End date",
            "Contract end",
            "Contract end date",
            "Expiry date",
            "Expiry",
            "Ends",
        ),
        "route": (
            "Route",
            "Route to market",
            "Procurement route",
            "Framework",
            "Procurement vehicle",
        ),
        "managed_by": ("Managed by", "Contract manager", "Owner", "Contract owner"),
    },
    "major_programmes": {
        "name": ("Project Name", "Programme", "Programme name", "Project", "Project title", "Name"),
        "gmpp_id": ("GMPP ID Number", "GMPP ID", "GMPP reference", "Project ID", "GMPP number"),
        "whole_life_cost": (
            "Whole Life Costs (£m)",
            "Whole life cost",
            "Whole Life Cost",
            "Total Baseline Whole Life Costs (£m)",
            "Whole-life cost",
            "Baseline Whole Life Costs (£m)",
            "WLC",
        ),
        "delivery_confidence": (
            "Delivery Confidence Assessment",
            "DCA",
            "RAG",
            "RAG rating",
            "Delivery confidence",
            "IPA Delivery Confidence Assessment",
            "MPA Delivery Confidence Assessment",
        ),
        "independent_review_done": (
            "Independent review",
            "Independent review done",
            "Reviewed",
            "Gateway review",
        ),
        "review_date": ("Review date", "Date of review", "Last review", "Gateway date"),
        "sro": ("SRO", "Senior Responsible Owner", "SRO name", "Senior Responsible Officer"),
    },
}

# Provenance kept with each row (not a table column): header spellings per name.
SOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    "organisation": (
        "Organisation",
        "Organisation name",
        "Organization",
        "Body",
        "Organisation_name",
    ),
    "organisation_type": ("Organisation type",),
    "unit": ("Unit", "Business unit", "Directorate", "Team"),
    "department": (
        "Parent Department",
        "Main, parent or sponsoring department",
        "Department",
        "Parent_department",
        "Department & Agency",
        "Sponsoring department",
        "Dept",
    ),
    "post_ref": ("Post Unique Reference", "Post reference", "Post ref", "Post ID"),
    "reporting_senior_post": ("Reporting Senior Post", "Reports to Senior Post"),
    "grade": (
        "Grade (or equivalent)",
        "Grade",
        "Responsibility_level_ungrouped",
        "Band",
        "Responsibility level",
    ),
    "profession": (
        "Professional/Occupational Group",
        "Profession_of_post",
        "Profession",
        "Professional Occupational Group",
    ),
    "function": ("Job/Team Function", "Team function", "Function"),
    "staff_type": ("Staff type", "Employment type", "Type of staff"),
    "job_title": ("Job Title", "Generic Job Title", "Title", "Role"),
    "region": ("Office Region", "Region"),
    "category": ("Annual Report Category", "Category"),
    "status": ("Status",),
    "year": ("Year",),
    "month": ("Month",),
}

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


_GRADE_LIKE = re.compile(
    r"^(aa|ao|eo|heo|seo|g ?[67]|grade ?[67]|scs ?(pay band ?)?[1-4]a?|pb ?[1-4]|of ?-?[6-9]"
    r"|deputy director|director( general)?|permanent secretary)$",
    re.I,
)
_RAG_LIKE = re.compile(r"^(green|amber|red|amber ?[/-] ?(green|red)|[gar]|a ?/ ?[gr])$", re.I)
_YESNO_LIKE = re.compile(r"^(yes|no|y|n|true|false)$", re.I)
_MONEY_MARK = re.compile(r"£|\d\s*(k|m|bn|million)\b", re.I)


def _values_kind(values: Sequence[CellValue]) -> dict[str, float]:
    """Shares of a sample column that look like money, dates, grades, fractions and so on."""
    texts = [cell_text(v) for v in values]
    filled = [(v, t) for v, t in zip(values, texts, strict=True) if t]
    if not filled:
        return {}
    n = len(filled)
    kinds = {
        "money": sum(1 for v, t in filled if _MONEY_MARK.search(t) or _big_number(v, t)) / n,
        "date": sum(1 for v, t in filled if isinstance(v, date) or _looks_date(t)) / n,
        "grade": sum(1 for _, t in filled if _GRADE_LIKE.match(t.strip())) / n,
        "fraction": sum(1 for v, t in filled if _fraction(v, t)) / n,
        "rag": sum(1 for _, t in filled if _RAG_LIKE.match(t.strip())) / n,
        "yesno": sum(1 for _, t in filled if _YESNO_LIKE.match(t.strip())) / n,
        "number": sum(1 for v, _ in filled if is_numberish(v)) / n,
    }
    return kinds


def _number(value: CellValue, text: str) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(text.replace(",", "").replace("£", ""))
    except ValueError:
        return None


def _big_number(value: CellValue, text: str) -> bool:
    number = _number(value, text)
    return number is not None and abs(number) >= 1000


def _fraction(value: CellValue, text: str) -> bool:
    number = _number(value, text)
    return number is not None and 0 <= number <= 1


_DATE_TEXT = re.compile(
    r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$"
    r"|^(\d{1,2} )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ -]\d{2,4}$",
    re.I,
)


def _looks_date(text: str) -> bool:
    return bool(_DATE_TEXT.match(text.strip()))


def _value_fit(column: Field, kinds: dict[str, float]) -> tuple[float, str]:
    """How well sample values suit a column's type: (score, why), negative when they clash."""
    if not kinds:
        return 0.0, ""
    if column.type == "currency":
        if kinds["money"] >= 0.6:
            return 0.3, "values look like money"
        return (-0.2, "values do not look like money") if kinds["number"] < 0.3 else (0.0, "")
    if column.type == "date":
        if kinds["date"] >= 0.6:
            return 0.3, "values look like dates"
        return -0.2, "values do not look like dates"
    if column.type in ("integer", "decimal", "percentage"):
        if column.id == "fte" and kinds["fraction"] >= 0.8:
            return 0.3, "values are fractions from 0 to 1"
        if kinds["number"] >= 0.6:
            return 0.15, "values are numbers"
        return -0.2, "values are not numbers"
    if column.reference == "grades":
        return (0.35, "values look like grades") if kinds["grade"] >= 0.5 else (0.0, "")
    if column.reference == "rag":
        return (0.35, "values look like RAG ratings") if kinds["rag"] >= 0.5 else (0.0, "")
    if column.type == "yesno":
        return (0.3, "values are yes or no") if kinds["yesno"] >= 0.6 else (0.0, "")
    if column.type in ("text", "long_text") and kinds["number"] >= 0.9:
        return -0.1, "values are numbers"
    return 0.0, ""


def suggest_mapping(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], table: Question
) -> tuple[ColumnMapping, dict[str, list[Suggestion]]]:
    """The likeliest mapping of a sheet onto a table, and the top candidates per table column."""
    names = header.names
    columns_values = [
        [row[i] if i < len(row) else None for row in sample] for i in range(len(names))
    ]
    kinds = [_values_kind(values) for values in columns_values]
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
            fit, fit_why = _value_fit(column, kinds[index])
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
