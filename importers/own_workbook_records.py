"""What reading one of the app's own workbooks gives: the audits, the problems, what was shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.audit_content import AuditContent
from models.questionnaire import Questionnaire
from models.records import Audit, Department

QuestionnaireSource = Callable[[str, int], Questionnaire]


class WorkbookError(Exception):
    """A workbook that cannot be read at all; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Problem:
    """A value that could not be read: where it is and why. It is not imported."""

    sheet: str
    cell: str
    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} ({self.question}): {self.message}"


@dataclass
class IncomingAudit:
    """One audit as a workbook holds it."""

    audit: Audit  # id is "" for a blank data return
    department: Department
    questionnaire: Questionnaire
    content: AuditContent = field(default_factory=AuditContent)
    seen: set[str] = field(default_factory=set)  # questions the workbook has a row or sheet for
    skipped_answers: set[str] = field(default_factory=set)  # answers not read (a problem)
    skipped_comments: set[str] = field(default_factory=set)  # comments refused: kept as were
    skipped_cells: set[tuple[str, int, str]] = field(default_factory=set)  # table, row, column


@dataclass
class WorkbookContents:
    """Everything read from one workbook, with what could not be read."""

    path: Path
    kind: str
    prefilled: bool
    audits: list[IncomingAudit]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    shown: Shown = field(default_factory=lambda: Shown())


@dataclass
class Shown:
    """What a data return showed pre-filled: only these can be cleared by leaving them blank."""

    answers: set[str] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    rows: set[str] = field(default_factory=set)
