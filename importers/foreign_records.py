"""What a foreign import works with: the workspace facts, the file read, the user's choices,
and the plan of rows and target audits the preview shows and the import writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers.column_mapping import ColumnMapping
from importers.department_match import DepartmentMatcher
from importers.import_report import ImportReport
from importers.layouts import Recognition, extract_rows, sheet_rows
from importers.source_table import (
    ExtractedRow,
    SourceBook,
)
from models.foreign_imports import (
    ImportRecord,
    RowKey,
    all_imports,
    edited_counts,
    held_rows,
)
from models.progress import Cancelled, Progress, ShouldCancel
from models.questionnaire import Questionnaire
from models.records import Audit, Department
from models.store import Store


@dataclass(frozen=True)
class WorkspaceFacts:
    """What planning needs from the workspace, read once on the store's own thread, so the
    plan itself (seconds on a big file) can run on another."""

    departments: tuple[Department, ...]
    audits: tuple[Audit, ...]
    imports: tuple[ImportRecord, ...]
    edited: Mapping[str, int] = field(default_factory=dict)  # import id -> rows edited since
    # table -> audit id -> its rows' keys (models/foreign_imports.ROW_KEYS) -> (file name,
    # checksum) they came from: what another file's rows would count a second time.
    held: Mapping[str, Mapping[str, Mapping[RowKey, tuple[str, str, list[str]]]]] = field(
        default_factory=dict
    )

    @classmethod
    def of(cls, store: Store, cycle: str | None = None) -> WorkspaceFacts:
        """The facts; with `cycle` (the import's), rows held are read of its audits only."""
        audits = tuple(store.audits())
        chosen = None if cycle is None else [a.id for a in audits if a.cycle == cycle.strip()]
        return cls(
            tuple(store.departments()),
            audits,
            tuple(all_imports(store)),
            edited_counts(store),
            held_rows(store, chosen),
        )

    def department(self, text: str) -> Department | None:
        """A department by id, name or abbreviation, as the command line accepts it."""
        wanted = text.strip().lower()
        for dept in self.departments:
            if wanted in (dept.id.lower(), dept.name.lower(), dept.abbreviation.lower()):
                return dept
        return DepartmentMatcher(self.departments).match(text)

    def questionnaire_for(self, department: str, cycle: str) -> Questionnaire:
        """The version of the audits an import goes into (a version 1 audit keeps version 1's
        tables); the newest when they are new, or of more than one version."""
        from models.questionnaire import current_questionnaire, get_questionnaire

        audits = [a for a in self.audits if a.cycle == cycle.strip()]
        if department.strip():
            dept = self.department(department)
            audits = [a for a in audits if dept is not None and a.department_id == dept.id]
        versions = {(a.questionnaire_id, a.questionnaire_version) for a in audits}
        if len(versions) == 1:
            return get_questionnaire(*versions.pop())
        return current_questionnaire()

    def audit(self, department_id: str, cycle: str) -> Audit | None:
        for audit in self.audits:
            if audit.department_id == department_id and audit.cycle == cycle:
                return audit
        return None

    def repeats(self, audit_id: str, checksum: str, table_id: str, sheet: str) -> list[str]:
        """Ids of earlier imports of this file and sheet into this audit's table."""
        return [
            r.id
            for r in self.imports
            if r.audit_id == audit_id
            and r.checksum == checksum
            and r.table_id == table_id
            and r.sheet == sheet
        ]


@dataclass
class ForeignFile:
    """A file read and looked at: its sheets and every layout recognised in them."""

    book: SourceBook
    recognitions: list[Recognition]
    own_workbook: bool = False
    # The rows last extracted, by (recognition, mapping): ticking a row or changing the
    # cycle re-plans from these instead of reading and normalising the whole file again.
    extracted: tuple[tuple[int, str], list[ExtractedRow]] | None = None

    @property
    def path(self) -> Path:
        return self.book.path

    def rows_for(
        self,
        index: int,
        mapping: ColumnMapping,
        questionnaire: Questionnaire,
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
    ) -> list[ExtractedRow]:
        """Every row the recognition at `index` extracts under `mapping` (kept for re-plans)."""
        key = (index, mapping.to_json())
        if self.extracted is not None and self.extracted[0] == key:
            return self.extracted[1]
        recognition = self.recognitions[index]
        total = self.book.row_count(recognition.sheet) or 0
        rows = counted(sheet_rows(self.book, recognition), total, progress, should_cancel)
        extracted = list(extract_rows(recognition, rows, questionnaire, mapping=mapping))
        self.extracted = (key, extracted)
        return extracted

    def close(self) -> None:
        self.extracted = None
        self.book.close()


@dataclass
class Choices:
    """What the user decided in the wizard (or on the command line)."""

    recognition: int = 0  # index into ForeignFile.recognitions
    mapping: ColumnMapping | None = None  # corrections; None: the recognised mapping
    department: str = ""  # route every row here; other departments' rows are left out
    cycle: str = ""
    tech_filter: bool | None = None  # None: what the layout suggests
    # Rows the user kept despite the filter, and rows the user left out: a whole source row
    # (its number), or one of the rows it became ((number, part), as PlannedRow.key gives).
    include: set[int | tuple[int, int]] = field(default_factory=set)
    exclude: set[int | tuple[int, int]] = field(default_factory=set)
    # The user knows the figures cover whole departments and imports them all the same.
    whole_department: bool = False
    # The user chose the mapping (edited it, or picked a saved one); None: when `mapping` is set.
    explicit_mapping: bool | None = None
    # Replace rows another file's import added with the same keys (a corrected return).
    replace_earlier: bool = False


@dataclass(slots=True)  # no __dict__: an import makes one per row
class PlannedRow:
    """One extracted row and where it goes."""

    row: ExtractedRow
    department: Department | None
    reason: str = ""  # why it is left out; "" when it is imported
    technology: str | None = None  # why it counts as technology, when the filter applies
    part: int = 0  # which of the rows its source row became (a WMI row becomes several)
    problem: str = ""  # left out for a reason the import stops at until accepted

    @property
    def key(self) -> tuple[int, int]:
        """This row alone, for ticking it in or out: (source row, part)."""
        return self.row.source_row, self.part

    @property
    def imported(self) -> bool:
        return not self.reason


@dataclass
class Target:
    """One audit that rows go to, and what is already there from the same file."""

    department: Department
    cycle: str
    audit_id: str | None  # None: a new audit, marked as imported
    rows: int
    repeats: int  # earlier imports of this very file into this audit's table
    signed_off: bool
    edited: int = 0  # rows of those earlier imports edited since: a replace undoes the edits


@dataclass
class ForeignPlan:
    """Everything the preview shows and the import writes."""

    file: ForeignFile
    recognition: Recognition
    mapping: ColumnMapping
    rows: list[PlannedRow]
    targets: list[Target]
    report: ImportReport
    tech_filter: bool
    # department id -> rows other files' imports added that this file's rows replace, when
    # the user chose to (Choices.replace_earlier): a corrected return.
    replaces: dict[str, list[str]] = field(default_factory=dict)

    @property
    def importable(self) -> int:
        return sum(1 for r in self.rows if r.imported)

    @property
    def repeats(self) -> list[Target]:
        return [t for t in self.targets if t.repeats]

    @property
    def file_sheet_key(self) -> str:
        """The sheet the import is recorded under (a CSV's is '')."""
        return sheet_key(self.file, self.recognition)


def counted(
    rows: Iterable[Any], total: int, progress: Progress | None, should_cancel: ShouldCancel | None
) -> Iterable[Any]:
    """The rows passed through, polling for cancel and reporting progress every 2,000."""
    for index, row in enumerate(rows):
        if index % 2000 == 0:
            if should_cancel is not None and should_cancel():
                raise Cancelled()
            if progress is not None:
                progress(index, total)
        yield row
    if progress is not None:
        progress(total, total)


def sheet_key(foreign: ForeignFile, recognition: Recognition) -> str:
    """The sheet an import is recorded under: a CSV's 'sheet' is only its file's name, so
    a renamed copy of the same CSV is still the same import."""
    return "" if foreign.book.kind == "csv" else recognition.sheet
