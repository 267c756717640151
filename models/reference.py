"""Reference lists shipped in resources/: grades, staff types, role types, DDaT families, bodies."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class ReferenceListError(ValueError):
    """A reference list that is missing or malformed."""


@dataclass(frozen=True)
class ReferenceItem:
    """One entry of a vocabulary: the stored value, its label, the spellings seen in real files."""

    value: str
    label: str
    synonyms: tuple[str, ...] = ()
    group: str = ""
    attributes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ReferenceList:
    """A named vocabulary."""

    id: str
    title: str
    items: tuple[ReferenceItem, ...]
    source: str = ""

    def item(self, value: str) -> ReferenceItem:
        for item in self.items:
            if item.value == value:
                return item
        raise KeyError(value)

    def values_where(self, attribute: str, expected: Any = True) -> list[str]:
        """Values whose attribute equals `expected` (e.g. staff types that are contingent)."""
        return [i.value for i in self.items if i.attributes.get(attribute) == expected]


@dataclass(frozen=True)
class DepartmentEntry:
    """A GOV.UK organisation from the shipped list."""

    govuk_id: str
    name: str
    abbreviation: str
    type: str
    parent: str

    @property
    def display(self) -> str:
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name


def _reference_dir() -> Path:
    return Path(str(resources.files("resources") / "reference"))


@functools.cache
def reference_list(list_id: str) -> ReferenceList:
    """Load one list by id from resources/reference/<id>.yaml."""
    path = _reference_dir() / f"{list_id}.yaml"
    if not path.exists():
        raise ReferenceListError(
            f"reference list {list_id!r} does not exist ({path.name} not found)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceListError(f"{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ReferenceListError(f"{path.name}: needs 'id', 'title' and a list of 'items'")
    items = []
    for i, raw in enumerate(data["items"], 1):
        if not isinstance(raw, dict) or not isinstance(raw.get("value"), str) or "label" not in raw:
            raise ReferenceListError(f"{path.name}: item #{i} needs a text 'value' and a 'label'")
        extra = {k: v for k, v in raw.items() if k not in ("value", "label", "synonyms", "group")}
        items.append(
            ReferenceItem(
                value=raw["value"],
                label=str(raw["label"]),
                synonyms=tuple(str(s) for s in raw.get("synonyms") or ()),
                group=str(raw.get("group") or ""),
                attributes=extra,
            )
        )
    values = [i.value for i in items]
    if len(values) != len(set(values)):
        raise ReferenceListError(f"{path.name}: duplicate item values")
    return ReferenceList(
        id=str(data.get("id", list_id)),
        title=str(data.get("title", list_id)),
        items=tuple(items),
        source=str(data.get("source", "")),
    )


@functools.cache
def departments() -> tuple[DepartmentEntry, ...]:
    """The GOV.UK organisation list shipped with the app (ministerial departments first)."""
    path = _reference_dir() / "departments.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return tuple(
            DepartmentEntry(
                govuk_id=r["govuk_id"],
                name=r["name"],
                abbreviation=r.get("abbreviation") or "",
                type=r.get("type") or "",
                parent=r.get("parent") or "",
            )
            for r in rows
        )
