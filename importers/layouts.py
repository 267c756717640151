"""Which format each sheet is (importers/formats/), else the generic column mapper; and
the rows a recognised sheet gives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from importers.column_mapping import ColumnMapping, mapping_score, suggest_mapping
from importers.formats import FORMATS, GENERIC, Recognition
from importers.formats.base import extract_mapped
from importers.formats.organogram import role_type_from_title
from importers.header_detect import SCAN_ROWS, detect_header
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook
from models.questionnaire import Question, Questionnaire

__all__ = ["Recognition", "extract_rows", "recognise", "recognise_header", "role_type_from_title"]

SAMPLE_ROWS = 40  # data rows given to suggest_mapping to judge values


def recognise(
    book: SourceBook, questionnaire: Questionnaire, *, sheets: Sequence[str] | None = None
) -> list[Recognition]:
    """What each sheet with a header looks like, best first; sheets without one are left out."""
    found: list[Recognition] = []
    for sheet in sheets if sheets is not None else book.sheet_names():
        rows = _first_rows(book, sheet, SCAN_ROWS + SAMPLE_ROWS)
        header = detect_header(rows[:SCAN_ROWS], sheet=sheet, merged=book.merged_ranges(sheet))
        best: Recognition | None = None
        for fmt in FORMATS:
            rec = fmt.recognise(book, sheet, rows, header, questionnaire)
            if rec is not None and (best is None or rec.confidence > best.confidence):
                best = rec
        if best is None and header is not None:
            sample = rows[header.first_data_row : header.first_data_row + SAMPLE_ROWS]
            best = generic_recognition(header, sample, questionnaire)
        if best is not None:
            found.append(best)
    found.sort(key=lambda r: (-r.confidence, r.order))
    return found


def _first_rows(book: SourceBook, sheet: str, count: int) -> list[list[CellValue]]:
    iterator = book.rows(sheet)
    try:
        return list(islice(iterator, count))
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def recognise_header(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], questionnaire: Questionnaire
) -> Recognition:
    """The best known format for a detected header, else a generic mapping."""
    from importers.formats.base import MappedFormat

    best: Recognition | None = None
    for fmt in FORMATS:
        if isinstance(fmt, MappedFormat) and questionnaire.has_question(fmt.target):
            rec = fmt.recognise_header(header, questionnaire)
            if rec is not None and (best is None or rec.confidence > best.confidence):
                best = rec
    return best or generic_recognition(header, sample, questionnaire)


def generic_recognition(
    header: HeaderLayout, sample: Sequence[Sequence[CellValue]], questionnaire: Questionnaire
) -> Recognition:
    """Any other table: the questionnaire table its columns fit best, by total suggestion score."""
    scored: list[tuple[float, ColumnMapping, Question]] = []
    for table in questionnaire.table_questions():
        mapping, suggestions = suggest_mapping(header, sample, table)
        scored.append((mapping_score(mapping, suggestions), mapping, table))
    if not scored:
        raise ValueError("the questionnaire has no table questions to import into")
    score, mapping, table = max(scored, key=lambda s: s[0])
    required = [c.id for c in table.columns if c.required] or [c.id for c in table.columns]
    covered = sum(1 for c in required if mapping.columns.get(c) is not None)
    confidence = 0.0
    if mapping.mapped:
        average = score / len(mapping.mapped)
        confidence = round(min(0.6, 0.6 * average * (0.5 + 0.5 * covered / len(required))), 3)
    notes = [f"no known layout: columns matched to {table.label!r} by their headers"]
    if not mapping.mapped:
        notes = ["no column matched any table: choose the columns by hand"]
    return Recognition(
        layout_id=GENERIC,
        title="Spreadsheet table",
        sheet=header.sheet,
        header=header,
        target=table.id,
        mapping=mapping,
        confidence=confidence,
        notes=notes,
        tech_filter=False,
        editable=True,
    )


def sheet_rows(book: SourceBook, rec: Recognition) -> Iterator[list[CellValue]]:
    """The recognised sheet's rows as its format reads them."""
    if rec.format is not None:
        return rec.format.sheet_rows(book, rec)
    return book.rows(rec.sheet)


def extract_rows(
    rec: Recognition,
    rows: Iterable[Sequence[CellValue]],
    questionnaire: Questionnaire,
    *,
    mapping: ColumnMapping | None = None,
) -> Iterator[ExtractedRow]:
    """Rows bound for the recognised table, each traced to its source row, or why it is left out."""
    mapping = mapping or rec.mapping
    table = questionnaire.question(mapping.target)
    if rec.format is not None:
        return rec.format.extract(rec, rows, table, mapping)
    return extract_mapped(rec, rows, table, mapping, None)
