"""Plain records the store hands out: departments, audits, table rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.json_text import loads

STATUSES = ("draft", "submitted", "reviewed", "signed_off")
STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "reviewed": "Reviewed",
    "signed_off": "Signed off",
}


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
    content_hash: str = ""  # taken at sign-off; empty otherwise


class Row:
    """One row of a table question, with its cells keyed by column id.

    Rows read from the store keep their JSON text until a cell is first read, so a
    table of thousands of rows opens without parsing the rows nobody looks at.
    """

    __slots__ = ("_cells", "_raw", "id", "position")

    def __init__(
        self,
        id: str,
        position: int,
        cells: dict[str, Any] | None = None,
        *,
        raw: str | None = None,
    ) -> None:
        self.id = id
        self.position = position
        self._cells = cells if cells is not None or raw is not None else {}
        self._raw = raw

    @property
    def cells(self) -> dict[str, Any]:
        if self._cells is None:
            self._cells = loads(self._raw) if self._raw else {}
            self._raw = None
        return self._cells

    @cells.setter
    def cells(self, value: dict[str, Any]) -> None:
        self._cells, self._raw = value, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return (self.id, self.position, self.cells) == (other.id, other.position, other.cells)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Row(id={self.id!r}, position={self.position}, cells={self.cells!r})"
