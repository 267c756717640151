"""What a report is asked for (protective marking, redaction), how it is written (PDF or
Word, by the file's name) and what came out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exporters.progress import replacing
from models.progress import Progress, no_progress

if TYPE_CHECKING:
    from exporters.report_content import Report

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


WORD_SUFFIX = ".docx"


def is_word(path: Path) -> bool:
    """Whether a report at `path` is written as a Word document (named .docx) or a PDF."""
    return Path(path).suffix.lower() == WORD_SUFFIX


def write_report(report: Report, path: Path, progress: Progress = no_progress) -> ReportResult:
    """Write `report` to `path` as Word (.docx) or PDF; the file appears only when complete."""
    path = Path(path)
    with replacing(path) as temp:
        if is_word(path):
            from exporters.report_docx import write_docx

            pages = write_docx(report, temp, progress)
        else:
            from exporters.report_pdf import write_pdf

            pages = write_pdf(report, temp, progress)
    return ReportResult(path, pages)
