"""Departments as they were called: the reference list of historic names, spellings and
machinery-of-government successions (resources/reference/department_history.tsv, with dates
and sources), read once; importers match rows by it and trends follow renames by it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_PUNCT = re.compile(r"[^\w\s]")
_MAJESTY = re.compile(r"\bher majesty'?s\s+|\bhis majesty'?s\s+|\bh\.m\.\s*")
HISTORY_FILE = Path(__file__).resolve().parent.parent / "resources" / "reference"
HISTORY_FILE = HISTORY_FILE / "department_history.tsv"


@dataclass(frozen=True)
class HistoricName:
    """A department as it was called, and what it became (one successor, or none)."""

    name: str
    spellings: tuple[str, ...]  # its abbreviations and other ways of writing it
    successor: str
    start: str
    end: str
    source: str


@lru_cache(maxsize=1)
def history() -> dict[str, HistoricName]:
    """Historic names by every key they are written with (name, abbreviation, spelling)."""
    found: dict[str, HistoricName] = {}
    with HISTORY_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            spellings = [
                s.strip()
                for field in ("abbreviations", "also_written")
                for s in (row.get(field) or "").split("|")
                if s.strip()
            ]
            entry = HistoricName(
                row["name"],
                tuple(spellings),
                row.get("successor") or "",
                row.get("from") or "",
                row.get("to") or "",
                row.get("source") or "",
            )
            for text in (entry.name, *spellings):
                found.setdefault(key(text), entry)
    return found


_SPACES = re.compile(r"\s+")


def key(text: str) -> str:
    """A department name reduced to what identifies it: case, '&', 'the', punctuation,
    "Her Majesty's" for "HM"."""
    low = text.lower().replace("&", " and ").replace("’", "'")
    low = _MAJESTY.sub("hm ", low)
    low = _PUNCT.sub(" ", low.replace("'s ", "s ").replace("'", ""))
    words = [w for w in _SPACES.split(low) if w and w != "the"]
    words = ["department" if w in ("dept", "dep") else w for w in words]
    return " ".join(words)
