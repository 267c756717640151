"""An audit package's parts and limits, and the wording of a file error: shared by writing
(models/audit_package.py) and reading (models/package_reader.py)."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.records import Audit, Department

if TYPE_CHECKING:
    from models.evidence import Evidence

FORMAT = "baseline-audit-package"
FORMAT_VERSION = 1
SUFFIX = ".baseline-package"
MANIFEST = "manifest.json"
CONTENT = "content.json"
MAX_MANIFEST_BYTES = 1 << 20
MAX_CONTENT_BYTES = 1 << 30  # 1 GiB of JSON is far beyond any real set of audits
MAX_RATIO = 200  # JSON deflates 5-30x; a zip bomb deflates ~1000x


class PackageError(ValueError):
    """A package that cannot be read or written; the message says why and what to do."""


@dataclass(frozen=True)
class PackageChange:
    """One change a workspace knows of: its change id and what it did."""

    origin: str  # "<workspace id>:<seq>" of the workspace that made it
    kind: str  # answer | comment | row | status
    item: str  # question id, row id, or audit id for a status
    question_id: str
    old: str | None  # as stored in history: JSON text for answers and rows, else plain
    new: str | None
    who: str
    at: str
    note: str = ""

    @property
    def moved_only(self) -> bool:
        """A row that only changed place: its cells are what they were."""
        return self.kind == "row" and self.old is not None and self.old == self.new


@dataclass(frozen=True)
class PackagedRow:
    id: str
    table: str
    position: int
    cells: dict[str, Any]


@dataclass
class PackagedAudit:
    """One audit as the package carries it."""

    audit: Audit
    department: Department
    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    rows: list[PackagedRow] = field(default_factory=list)
    changes: list[PackageChange] = field(default_factory=list)
    # Which file each imported row came from (models/foreign_imports.py): carried so that
    # importing the same file again after a merge is known as a repeat, not doubled.
    imports: list[dict[str, Any]] = field(default_factory=list)
    provenance: list[list[Any]] = field(default_factory=list)  # [row id, import id, row, source]
    # What reading left out because it does not fit the questionnaire (models/incoming.py):
    # a merge leaves this workspace's own value for each, and says so.
    refused: list[str] = field(default_factory=list)
    refused_answers: set[str] = field(default_factory=set)
    refused_comments: set[str] = field(default_factory=set)
    refused_cells: dict[str, set[str]] = field(default_factory=dict)  # row id: column ids
    refused_rows: set[str] = field(default_factory=set)  # row ids
    # Evidence rows (models/package_evidence.py); their files travel as evidence/<sha256>.
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.department.name}, {self.audit.cycle}"


@dataclass(frozen=True)
class Manifest:
    format_version: int
    schema_version: int
    workspace_id: str
    created_at: str
    created_by: str
    questionnaires: tuple[tuple[str, int], ...]
    audit_ids: tuple[str, ...]
    content_sha256: str
    content_bytes: int


@dataclass
class Package:
    """A package read and checked: its manifest and its audits."""

    path: Path
    manifest: Manifest
    audits: list[PackagedAudit]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def refused(self) -> list[str]:
        """Every value reading left out, "audit: where: why"."""
        return [line for a in self.audits for line in a.refused]


@dataclass(frozen=True)
class PackageSummary:
    """What write_package wrote."""

    path: Path
    audits: int
    changes: int
    bytes: int

    def text(self) -> str:
        return (
            f"Wrote {self.audits} audit(s) with {self.changes:,} recorded change(s) to "
            f"{self.path} ({self.bytes:,} bytes)."
        )


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EFBIG:
        return "the file is too large for that disk (or the disk is full)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only or you may not write there"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    return exc.strerror or str(exc)
