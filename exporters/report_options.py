"""What a PDF report is asked for: protective marking, redaction; and what came out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")


@dataclass(frozen=True)
class ReportOptions:
    """Choices made per report: the marking printed on every page, and name redaction."""

    marking: str = "OFFICIAL"
    redact_names: bool = False

    def __post_init__(self) -> None:
        if self.marking not in MARKINGS:
            raise ValueError(
                f"Unknown protective marking {self.marking!r}: use one of {', '.join(MARKINGS)}."
            )


@dataclass(frozen=True)
class ReportResult:
    """A written report: where it is and how many pages it has."""

    path: Path
    pages: int
