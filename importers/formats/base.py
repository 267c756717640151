"""What every known public format provides, behind one small interface.

A format module (organogram, WMI, GMPP, Civil Service statistics) holds its header variants
as data, its recogniser, its row extractor and its notes. The planner, the command line and
the wizard only see `Format` and `Recognition`; none of them names a format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from importers.cell_parsers import PERCENT_POINTS, holds_points
from importers.column_mapping import ColumnMapping, normalise_header, suggest_source_fields
from importers.rows import Bound, bound_columns, mapped_row, row_kind
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook
from importers.tech_filter import technology_reason
from models.questionnaire import Question, Questionnaire

GENERIC = "generic"


@dataclass
class Recognition:
    """What a sheet was taken for, how it maps onto a table, and how sure that is."""

    layout_id: str
    title: str
    sheet: str
    header: HeaderLayout
    target: str
    mapping: ColumnMapping
    confidence: float
    notes: list[str] = field(default_factory=list)
    tech_filter: bool = False
    editable: bool = True
    format: Format | None = None  # None: the generic column mapper
    # Source columns deliberately not imported, by index, with the reason in words.
    left_out: dict[int, str] = field(default_factory=dict)
    # Why the import cannot go ahead as recognised (a renamed or unknown column), if it cannot.
    blocking: list[str] = field(default_factory=list)
    order: tuple[Any, ...] = ()  # among equally sure sheets, lower sorts first
    extra: dict[str, Any] = field(default_factory=dict)  # the format's own facts

    @property
    def generic(self) -> bool:
        """Mapped column by column by the generic mapper, not a known format."""
        return self.format is None

    @property
    def whole_department(self) -> str:
        """Why the figures cover a whole department (all staff), or '' when they do not."""
        return self.format.whole_department if self.format is not None else ""


class Names:
    """A header's column names, normalised, for finding known columns."""

    def __init__(self, header: HeaderLayout) -> None:
        self.header = header
        self.keys = [normalise_header(n) for n in header.names]
        self.part_keys = [tuple(normalise_header(p) for p in parts) for parts in header.parts]

    def find(self, *names: str) -> int | None:
        """The first column whose whole name is one of these."""
        for name in (normalise_header(n) for n in names):
            for index, key in enumerate(self.keys):
                if key == name:
                    return index
        return None

    def containing(self, *words: str) -> int | None:
        """The first column whose name contains one of these phrases."""
        for phrase in (normalise_header(w) for w in words):
            for index, key in enumerate(self.keys):
                if f" {phrase} " in f" {key} ":
                    return index
        return None


def empty_mapping(table: Question, header: HeaderLayout, name: str) -> ColumnMapping:
    """A mapping onto `table` with no columns bound yet and the usual provenance columns."""
    return ColumnMapping(
        target=table.id,
        columns={c.id: None for c in table.columns},
        source_fields=suggest_source_fields(header),
        name=name,
    )


class Format:
    """One real public format. Subclasses fill in the class attributes and `recognise`."""

    id: ClassVar[str]
    title: ClassVar[str]
    target: ClassVar[str]
    tech_filter: ClassVar[bool] = False
    editable: ClassVar[bool] = True
    # Why its figures cover all of a department's staff, not its technology staff ('' if not).
    whole_department: ClassVar[str] = ""

    def recognise(
        self,
        book: SourceBook,
        sheet: str,
        rows: Sequence[Sequence[CellValue]],
        header: HeaderLayout | None,
        questionnaire: Questionnaire,
    ) -> Recognition | None:
        """This format's reading of a sheet (its first rows, the generic header), or None."""
        raise NotImplementedError

    def sheet_rows(self, book: SourceBook, rec: Recognition) -> Iterator[list[CellValue]]:
        """The sheet's rows as this format reads them (a transposed layout turns them)."""
        return book.rows(rec.sheet)

    def extract(
        self,
        rec: Recognition,
        rows: Iterable[Sequence[CellValue]],
        table: Question,
        mapping: ColumnMapping,
    ) -> Iterator[ExtractedRow]:
        """Rows bound for the table, each traced to its source row, or why it is left out."""
        return extract_mapped(rec, rows, table, mapping, self)

    # Hooks for the row-by-row mapping: a format overrides what it knows.

    def before(
        self, rec: Recognition, mapping: ColumnMapping, row: Sequence[CellValue]
    ) -> tuple[str | None, bool]:
        """(why the row is left out or None, whether the post is vacant) before mapping it."""
        return None, False

    def derive(self, rec: Recognition, cells: dict[str, Any], source: dict[str, Any]) -> None:
        """Fill cells the format can work out from the row (role type from a job title)."""

    def technology(self, source: Mapping[str, Any]) -> str | None:
        """Why a row of this format counts as technology, or None (the filter's question)."""
        return technology_reason(source)


def extract_mapped(
    rec: Recognition,
    rows: Iterable[Sequence[CellValue]],
    table: Question,
    mapping: ColumnMapping,
    fmt: Format | None,
) -> Iterator[ExtractedRow]:
    """Every data row under the header through the mapping; blank rows vanish, totals and
    notes rows are left out with the reason."""
    width = rec.header.width
    bound = bound_columns(table, mapping)
    first = rec.header.first_data_row
    if any(column[2].type == "percentage" for column in bound):
        rows = list(rows)  # a percentage column is judged whole before any cell is read
        bound = judged_percentages(bound, rows[first:], width)
    for index, row in enumerate(rows):
        if index < first:
            continue
        source_row = index + 1
        kind = row_kind(row, width)
        if kind == "blank":
            continue
        if kind is not None:
            yield ExtractedRow(source_row, {}, {"sheet": rec.sheet}, skip=kind)
            continue
        yield mapped_row(rec, mapping, table, row, source_row, bound, fmt)


def judged_percentages(
    bound: list[Bound], rows: Sequence[Sequence[CellValue]], width: int
) -> list[Bound]:
    """Each percentage column read as whole percentages when any of its data cells is one
    (beyond -1 to 1): the same table then gives the same values from CSV, XLSX and ODS."""
    data = [row for row in rows if row_kind(row, width) is None]
    judged: list[Bound] = []
    for column in bound:
        column_id, index, field_, _unit, convert, _seen = column
        if field_.type == "percentage" and holds_points(
            row[index] for row in data if index < len(row)
        ):
            column = (column_id, index, field_, PERCENT_POINTS, convert, {})
        judged.append(column)
    return judged


@dataclass(frozen=True)
class HeaderSpec:
    """The header names a layout must have (each a set of alternatives) and may have."""

    required: tuple[tuple[str, ...], ...]
    optional: tuple[str, ...] = ()
    contains: bool = False  # required names may be contained in a longer header

    def confidence(self, names: Names) -> float:
        """0 unless every required name is there; then more the more optional names agree."""
        finder = names.containing if self.contains else names.find
        for alternatives in self.required:
            if finder(*alternatives) is None:
                return 0.0
        if not self.optional:
            return 1.0
        present = sum(1 for name in self.optional if names.find(name) is not None)
        return round(0.8 + 0.2 * present / len(self.optional), 3)


class MappedFormat(Format):
    """A format whose rows map column by column, recognised by its header names."""

    spec: ClassVar[HeaderSpec]

    def recognise(
        self,
        book: SourceBook,
        sheet: str,
        rows: Sequence[Sequence[CellValue]],
        header: HeaderLayout | None,
        questionnaire: Questionnaire,
    ) -> Recognition | None:
        if header is None or not questionnaire.has_question(self.target):
            return None
        return self.recognise_header(header, questionnaire)

    def recognise_header(
        self, header: HeaderLayout, questionnaire: Questionnaire
    ) -> Recognition | None:
        """This format's reading of a header, or None when it is not this format."""
        names = Names(header)
        confidence = self.spec.confidence(names)
        if not confidence:
            return None
        table = questionnaire.question(self.target)
        mapping = empty_mapping(table, header, self.title)
        notes: list[str] = []
        self.map_columns(names, mapping, notes)
        return Recognition(
            layout_id=self.id,
            title=self.title,
            sheet=header.sheet,
            header=header,
            target=table.id,
            mapping=mapping,
            confidence=confidence,
            notes=notes,
            tech_filter=self.tech_filter,
            editable=self.editable,
            format=self,
        )

    def map_columns(self, names: Names, mapping: ColumnMapping, notes: list[str]) -> None:
        """Bind the table's columns to the header's, and say what the reading means."""
        raise NotImplementedError
