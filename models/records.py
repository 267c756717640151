"""Plain records the store hands out: departments, audits, table rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("draft", "submitted", "reviewed", "signed_off")


@dataclass(frozen=True)
class Department:
    """A department or body being audited."""

    id: str
    name: str
    abbreviation: str = ""
    govuk_id: str = ""
    created_at: str = ""

    @property
    def display(self) -> str:
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name


@dataclass(frozen=True)
class Audit:
    """One department's audit for one cycle, on one questionnaire version."""

    id: str
    department_id: str
    department_name: str  # the name as it was when the audit was made
    cycle: str
    questionnaire_id: str
    questionnaire_version: int
    status: str = "draft"
    auditor: str = ""
    created_at: str = ""
    updated_at: str = ""
    copied_from: str | None = None
    source: str = ""


@dataclass
class Row:
    """One row of a table question, with its cells keyed by column id."""

    id: str
    position: int
    cells: dict[str, Any] = field(default_factory=dict)
