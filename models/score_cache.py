"""Audit figures kept in the workspace between sessions, so a cycle opens without rescoring.

A kept entry is trusted only while nothing it was worked out from has changed: the audit's
answers and rows (SQLite triggers drop the entry on any change, see migrations v3) and the
scoring itself (the fingerprint covers the questionnaire file and the scoring code).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from models.questionnaire import Questionnaire
from models.scoring import AuditScore, Coverage, IndicatorValue

# Every module whose code decides a figure: answers and rows as read, the definition, scoring
_SCORING_CODE = (
    "scoring.py",
    "formatting.py",  # a difference is of the shares as printed
    "indicator_flags.py",
    "completion.py",
    "validation.py",
    "questionnaire.py",
    "questionnaire_parser.py",
    "indicator_parser.py",  # e.g. a share's `latest` option
    "records.py",
    "store.py",
    "store_base.py",
    "store_content.py",
    "score_cache.py",
    "cycle_summary.py",
    "batch_scoring.py",
)


@dataclass(frozen=True)
class KeptFigures:
    """What scoring an audit yields, apart from the audit and questionnaire themselves."""

    score: AuditScore
    completion: float | None
    missing_required: int
    answered: int
    shown: int


_FINGERPRINTS: dict[int, tuple[Questionnaire, str]] = {}


@cache
def _code_digest() -> bytes:
    here = Path(__file__).parent
    return b"".join(hashlib.sha256((here / n).read_bytes()).digest() for n in _SCORING_CODE)


def fingerprint(questionnaire: Questionnaire) -> str:
    """What kept figures depend on besides the audit: the whole definition and the scoring code.

    The definition's repr holds every question, rule and indicator, so an edited
    questionnaire file, or a changed scoring module, never reuses figures worked out before.
    """
    known = _FINGERPRINTS.get(id(questionnaire))
    if known is not None and known[0] is questionnaire:
        return known[1]
    digest = hashlib.sha256(_code_digest())
    digest.update(repr(questionnaire).encode())
    value = digest.hexdigest()
    _FINGERPRINTS[id(questionnaire)] = (questionnaire, value)
    return value


def dump(kept: KeptFigures) -> str:
    score = kept.score
    return json.dumps(
        {
            "sections": score.section_maturity,
            "overall": score.overall,
            "points": score.question_points,
            "indicators": [
                [
                    i.id,
                    i.label,
                    i.kind,
                    i.value,
                    i.numerator,
                    i.denominator,
                    i.groups,
                    i.status,
                    i.note,
                    _coverage(i.coverage),
                    i.valued,
                ]
                for i in score.indicators.values()
            ],
            "coverage": {k: _coverage(c) for k, c in score.section_coverage.items()},
            "overall_coverage": _coverage(score.overall_coverage),
            "completion": kept.completion,
            "missing": kept.missing_required,
            "answered": kept.answered,
            "shown": kept.shown,
        }
    )


def _coverage(found: Coverage | None) -> list[Any] | None:
    return None if found is None else [found.answered, found.total, found.provisional]


def _uncover(kept: list[Any] | None) -> Coverage | None:
    return None if kept is None else Coverage(int(kept[0]), int(kept[1]), bool(kept[2]))


def load(text: str) -> KeptFigures | None:
    """The kept figures, or None when the text is not what dump() wrote (then rescore)."""
    try:
        data: dict[str, Any] = json.loads(text)
        indicators = {
            ind_id: IndicatorValue(
                ind_id,
                label,
                kind,
                value,
                numerator,
                denominator,
                {k: (int(c), float(t)) for k, (c, t) in groups.items()},
                status,
                note,
                _uncover(covered),
                {k: int(n) for k, n in valued.items()},
            )
            for (
                ind_id, label, kind, value, numerator, denominator, groups, status, note, covered,
                valued,
            ) in data["indicators"]
        }  # fmt: skip
        sections = {k: _uncover(c) for k, c in data["coverage"].items()}
        score = AuditScore(
            data["sections"],
            data["overall"],
            data["points"],
            indicators,
            {k: c for k, c in sections.items() if c is not None},
            _uncover(data.get("overall_coverage")),
        )
        return KeptFigures(
            score,
            data["completion"],
            int(data["missing"]),
            int(data["answered"]),
            int(data["shown"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
