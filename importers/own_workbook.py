"""Reading back the app's own workbooks (exports and returned data-return workbooks).

Sheets are found through the metadata sheet and columns by their headers, so a workbook
an analyst re-sorted or a department rearranged still reads, with a note saying what was
mapped. Every value goes through the same codec the writer used.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from importers.ods_reader import OdsError, OdsWorkbook, is_ods_file
from importers.own_workbook_records import (
    IncomingAudit,
    Problem,
    QuestionnaireSource,
    Shown,
    WorkbookContents,
    WorkbookError,
)
from importers.readers import uncalculated_formulas
from importers.source_table import ImportFileError
from models.audit_content import TableRow
from models.progress import Progress, no_progress
from models.questionnaire import (
    DefinitionError,
    Question,
    get_questionnaire,
    questionnaire_key_problem,
)
from models.records import STATUSES, Audit, Department
from models.validation import InvalidAnswer, comment_problem
from models.workbook_format import layout as L
from models.workbook_format import long_text
from models.workbook_format.cells import from_cell, unescape_text

# The reader's results are imported from here by the ui and the command line.
__all__ = ["WorkbookContents", "WorkbookError", "read_own_workbook"]


def uncalculated(path: Path) -> None:
    """Refuses a workbook whose formulas were never calculated (each would read as blank,
    and a blank in a pre-filled return clears the answer), sized first by the file guards."""
    try:
        found = uncalculated_formulas(path, None) if zipfile.is_zipfile(path) else []
    except ImportFileError as exc:
        raise WorkbookError(str(exc)) from None
    if found:
        where = ", ".join(f"{count:,} in sheet {sheet!r}" for sheet, count in found)
        raise WorkbookError(
            f"{path.name} has formulas with no saved results ({where}): the file was never "
            "calculated, so they would read as blank and clear those answers. Open and save "
            "it in Excel, then import it again. Nothing was imported."
        )


# What a damaged part of a readable zip raises once openpyxl reads it.
_DAMAGED = (zipfile.BadZipFile, zlib.error, ParseError, XMLSyntaxError, EOFError, KeyError, OSError)


def read_own_workbook(
    path: Path | str,
    *,
    questionnaires: QuestionnaireSource = get_questionnaire,
    progress: Progress = no_progress,
) -> WorkbookContents:
    """Read an export or data return the app wrote; raise WorkbookError if it cannot."""
    path = Path(path)
    failure = None  # raised outside the except blocks, so no traceback keeps the file open
    try:
        if path.suffix.lower() == ".ods" or is_ods_file(path):  # the app's own .ods export
            book = OdsWorkbook(path)
        else:
            uncalculated(path)  # a formula with no saved result would read as a cleared cell
            book = load_workbook(path, read_only=True, data_only=True)
    except OdsError as exc:
        failure = str(exc)
    except FileNotFoundError:
        failure = f"{path} does not exist."
    except (InvalidFileException, ValueError, *_DAMAGED) as exc:
        detail = "" if isinstance(exc, InvalidFileException) else f" ({exc})"
        failure = f"{path.name} is not an Excel workbook (.xlsx) or is damaged{detail}."
    if failure is not None:
        raise WorkbookError(failure)
    try:
        return _Reader(path, book, questionnaires, progress).read()
    # Sheets are read lazily: damage inside the zip shows up only now, and a number cell
    # that is not a number (<v>nan</v>) as openpyxl's ValueError.
    except (*_DAMAGED, ValueError) as exc:
        failure = f"{path.name} is damaged and cannot be read ({exc})."
    finally:
        book.close()
    raise WorkbookError(failure)


def _rows(sheet: Any, typed: bool = False) -> Iterator[tuple[Any, ...]]:
    """A sheet's values row by row; `typed` rows give percentages as typed ("45%").

    Excel stores a percentage typed as "45%" as 0.45 with a % format; a data return's
    percentage questions mean 45, so those cells are read back as the text typed.
    """
    if not typed:
        yield from sheet.iter_rows(values_only=True)
        return
    for row in sheet.iter_rows():
        yield tuple(_typed_value(cell) for cell in row)


_QUOTED = re.compile(r'"[^"]*"|\\.')


def _typed_value(cell: Any) -> Any:
    value = cell.value
    if type(value) in (int, float) and "%" in _QUOTED.sub("", cell.number_format or ""):
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_text(str(value))


class _Reader:
    def __init__(
        self, path: Path, book: Any, questionnaires: QuestionnaireSource, progress: Progress
    ) -> None:
        self.path = path
        self.name = path.name
        self.book = book
        self.questionnaires = questionnaires
        self.progress = progress
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.shown = Shown()

    def fail(self, message: str) -> WorkbookError:
        return WorkbookError(f"{self.name}: {message}")

    # ------------------------------------------------------------------ metadata
    def read(self) -> WorkbookContents:
        if L.METADATA_SHEET not in self.book.sheetnames:
            raise self.fail(
                "this is not a workbook exported by Baseline (it has no metadata sheet)."
            )
        props, sheets, records = self._metadata()
        long_text.use(self.book[L.METADATA_SHEET].iter_rows(values_only=True))  # whole again
        if props.get("format") != L.FORMAT:
            raise self.fail("the metadata sheet does not describe a Baseline workbook.")
        try:
            version = int(props.get("format_version", ""))
        except ValueError:
            raise self.fail("the metadata sheet has no format version.") from None
        if version > L.FORMAT_VERSION:
            raise self.fail(
                f"it was written by a newer version of Baseline (workbook format {version}; "
                f"this version reads up to {L.FORMAT_VERSION}). Update the app to import it."
            )
        kind = props.get("kind", "")
        if kind not in (L.KIND_EXPORT, L.KIND_DATA_RETURN):
            raise self.fail(f"unknown workbook kind {kind!r}.")
        if not records:
            raise self.fail("the metadata sheet lists no audit.")
        self.kind = kind
        self.audits = [self._incoming(r) for r in records]
        self.by_id = {a.audit.id: a for a in self.audits}
        self.expected = set(sheets)
        self.claimed: set[str] = set()
        total = len(sheets)
        for done, (name, (sheet_kind, item_id)) in enumerate(sheets.items()):
            self.progress(done, total)
            if sheet_kind == "section":
                self._section_sheet(name, item_id)
            elif sheet_kind == "table":
                self._table_sheet(name, item_id)
        self.progress(total, total)
        return WorkbookContents(
            self.path,
            kind,
            props.get("prefilled", "") == "yes",
            self.audits,
            self.problems,
            self.notes,
            self.shown,
        )

    def _metadata(
        self,
    ) -> tuple[dict[str, str], dict[str, tuple[str, str]], list[dict[str, str]]]:
        props: dict[str, str] = {}
        sheets: dict[str, tuple[str, str]] = {}
        records: list[dict[str, str]] = []
        fields: list[str] = []
        for row in _rows(self.book[L.METADATA_SHEET]):
            values = [_text(v) for v in row]
            if not values:
                continue
            tag = values[0]
            if tag == "property" and len(values) >= 3:
                props[values[1]] = values[2]
            elif tag == "sheet" and len(values) >= 4:
                sheets[values[1]] = (values[2], values[3])
            elif tag == "audit fields":
                fields = values[1:]
            elif tag == "audit":
                records.append(dict(zip(fields, values[1:], strict=False)))
            elif tag == "shown answer" and len(values) >= 2:
                self.shown.answers.add(values[1])
            elif tag == "shown comment" and len(values) >= 2:
                self.shown.comments.add(values[1])
            elif tag == "shown row" and len(values) >= 3:
                self.shown.rows.add(values[2])
        return props, sheets, records

    def _incoming(self, record: dict[str, str]) -> IncomingAudit:
        qid = record.get("questionnaire_id", "")
        try:
            qversion = int(record.get("questionnaire_version", ""))
        except ValueError:
            raise self.fail(
                "an audit in the metadata sheet has no questionnaire version."
            ) from None
        problem = questionnaire_key_problem(qid, qversion)
        if problem is not None:  # an identifier, never a path, whatever looks it up
            raise self.fail(f"its metadata sheet is refused: {problem}.")
        try:
            form = self.questionnaires(qid, qversion)
        except DefinitionError:
            raise self.fail(
                f"it was made for questionnaire {qid!r} version {qversion}, which this "
                "version of Baseline does not have. Update the app to import it."
            ) from None
        status = record.get("status", "draft")
        audit = Audit(
            id=record.get("audit_id", ""),
            department_id=record.get("department_id", ""),
            department_name=record.get("department_name", ""),
            cycle=record.get("cycle", ""),
            questionnaire_id=qid,
            questionnaire_version=qversion,
            status=status if status in STATUSES else "draft",
            auditor=record.get("auditor", ""),
            created_at=record.get("created_at", ""),
            updated_at=record.get("updated_at", ""),
            copied_from=record.get("copied_from") or None,
            source=record.get("source", ""),
        )
        dept = Department(
            record.get("department_id", ""),
            record.get("department_name", ""),
            record.get("department_abbreviation", ""),
            record.get("govuk_id", ""),
        )
        if not audit.cycle or not dept.name:
            raise self.fail("an audit in the metadata sheet has no department or cycle.")
        return IncomingAudit(audit, dept, form)

    # ------------------------------------------------------------------ finding sheets
    def _sheet(
        self, name: str, needed: tuple[str, ...], what: str, refs: set[str] | None = None
    ) -> tuple[Any, str]:
        """The sheet called `name`, or the one it was renamed to.

        A renamed sheet is recognised by its headers and, for a section, by holding at
        least one of the section's Refs; each sheet stands in for one missing sheet only.
        """
        if name in self.book.sheetnames:
            return self.book[name], name
        for other in self.book.sheetnames:
            if other in self.expected or other in (L.METADATA_SHEET, L.LISTS_SHEET):
                continue
            if other in self.claimed:
                continue
            header = self._header(self.book[other])
            if not all(L.header_key(h) in header for h in needed):
                continue
            if refs is not None:
                col = header[L.header_key(L.REF)]
                found = {_text(r[col]) for r in _rows(self.book[other]) if col < len(r)}
                if not found & refs:
                    continue
            self.claimed.add(other)
            self.notes.append(
                f"Sheet '{name}' ({what}) was not found; sheet '{other}' has its "
                "columns and was read in its place."
            )
            return self.book[other], other
        raise self.fail(
            f"sheet '{name}' is missing. It holds {what}. Was it renamed or deleted? "
            "Restore it (or import a copy of the workbook as it was sent) and try again."
        )

    @staticmethod
    def _header(sheet: Any) -> dict[str, int]:
        for row in sheet.iter_rows(max_row=1, values_only=True):
            return {L.header_key(v): i for i, v in enumerate(row) if v is not None}
        return {}

    def _owner_columns(self, header: dict[str, int]) -> tuple[int | None, ...]:
        """Where a data sheet says whose row it is: Audit ID, else Department and Cycle."""
        return tuple(header.get(L.header_key(h)) for h in (L.AUDIT_ID, L.DEPARTMENT, L.CYCLE))

    def _audit_for(
        self, row: tuple[Any, ...], columns: tuple[int | None, ...], sheet: str, n: int
    ) -> IncomingAudit | None:
        """The audit a row belongs to; a problem (and None) when it cannot be told."""
        if self.kind == L.KIND_DATA_RETURN and len(self.audits) == 1:
            return self.audits[0]
        audit_col, dept_col, cycle_col = columns
        value = row[audit_col] if audit_col is not None and audit_col < len(row) else None
        if value is not None:
            audit = self.by_id.get(_text(value))
            if audit is None:
                self.problems.append(
                    Problem(sheet, f"{_letter(audit_col)}{n}", "",
                            f"audit id {_text(value)!r} is not one of this workbook's audits")
                )  # fmt: skip
            return audit
        if dept_col is not None and cycle_col is not None:
            dept = _text(row[dept_col]) if dept_col < len(row) else ""
            cycle = _text(row[cycle_col]) if cycle_col < len(row) else ""
            found = [
                a for a in self.audits if a.audit.department_name == dept and a.audit.cycle == cycle
            ]
            if len(found) == 1:
                return found[0]
        if len(self.audits) == 1:
            return self.audits[0]
        self.problems.append(
            Problem(sheet, f"row {n}", "", "cannot tell which audit this row belongs to "
                    "(its Audit ID, Department and Cycle do not name one); it was ignored")
        )  # fmt: skip
        return None

    # ------------------------------------------------------------------ section sheets
    def _section_sheet(self, name: str, section_id: str) -> None:
        what = f"the answers of section '{section_id}'"
        refs = {
            q.id
            for a in self.audits
            for s in a.questionnaire.sections
            if s.id == section_id
            for q in s.questions
        }
        sheet, name = self._sheet(name, (L.REF, L.ANSWER), what, refs)
        rows = _rows(sheet, typed=self.kind == L.KIND_DATA_RETURN)
        header = {L.header_key(v): i for i, v in enumerate(next(rows, ()) or ()) if v is not None}
        for needed in (L.REF, L.ANSWER):
            if L.header_key(needed) not in header:
                raise self.fail(f"sheet '{name}' has no '{needed}' column in its first row.")
        ref_col = header[L.header_key(L.REF)]
        answer_col = header[L.header_key(L.ANSWER)]
        comment_col = header.get(L.header_key(L.COMMENT))
        owner_cols = self._owner_columns(header)
        seen: set[tuple[str, str]] = set()
        for n, row in enumerate(rows, 2):
            ref = _text(row[ref_col]) if ref_col < len(row) else ""
            if not ref:
                continue
            incoming = self._audit_for(row, owner_cols, name, n)
            if incoming is None:
                continue
            form = incoming.questionnaire
            ref_cell = f"{_letter(ref_col)}{n}"
            if not form.has_question(ref):
                self.problems.append(
                    Problem(name, ref_cell, ref, "no question has this Ref; the row was ignored")
                )
                continue
            if (incoming.audit.id, ref) in seen:
                self.problems.append(
                    Problem(
                        name, ref_cell, ref, "this question appears twice; the first row was read"
                    )
                )
                continue
            seen.add((incoming.audit.id, ref))
            question = form.question(ref)
            incoming.seen.add(ref)
            if comment_col is not None and comment_col < len(row):
                comment = _text(row[comment_col])
                too_long = comment_problem(comment)
                if too_long:
                    cell = f"{_letter(comment_col)}{n}"
                    self.problems.append(Problem(name, cell, question.label, too_long))
                    incoming.skipped_comments.add(ref)
                elif comment.strip():
                    incoming.content.comments[ref] = comment
            if question.is_table:
                continue
            raw = row[answer_col] if answer_col < len(row) else None
            try:
                value = from_cell(question, raw)
            except InvalidAnswer as exc:
                incoming.skipped_answers.add(ref)
                self.problems.append(
                    Problem(name, f"{_letter(answer_col)}{n}", question.label, str(exc))
                )
                continue
            if value is not None:
                incoming.content.answers[ref] = value

    # ------------------------------------------------------------------ table sheets
    def _table_sheet(self, name: str, table_id: str) -> None:
        forms = [a.questionnaire for a in self.audits if a.questionnaire.has_question(table_id)]
        if not forms:
            return
        table = max(forms, key=lambda q: q.version).question(table_id)
        headers = L.column_headers(table)
        sheet, name = self._sheet(name, tuple(headers[:1]), f"the table '{table.label}'")
        rows = _rows(sheet, typed=self.kind == L.KIND_DATA_RETURN)
        header_row = next(rows, ()) or ()
        by_header = L.header_columns(table)
        columns: list[tuple[int, Question | Any]] = []
        row_id_col = None
        found: set[str] = set()
        owner_cols = self._owner_columns(
            {L.header_key(v): i for i, v in enumerate(header_row) if v is not None}
        )
        for i, value in enumerate(header_row):
            key = L.header_key(value)
            if key in by_header:
                columns.append((i, by_header[key]))
                found.add(by_header[key].id)
            elif key == L.header_key(L.ROW_ID):
                row_id_col = i
            elif key and key not in {
                L.header_key(h) for h in (L.AUDIT_ID, L.DEPARTMENT, L.CYCLE, *L.PROVENANCE_HEADERS)
            }:
                self.notes.append(
                    f"Sheet '{name}': column '{_text(value)}' is not part of the table "
                    f"'{table.label}' and was ignored."
                )
        for header, column in zip(headers, table.columns, strict=True):
            if column.id not in found:
                self.problems.append(
                    Problem(
                        name, "row 1", header,
                        "this column is missing; its values are left as they were",
                    )
                )  # fmt: skip
        for incoming in self.audits:
            if incoming.questionnaire.has_question(table_id):
                incoming.seen.add(table_id)
                incoming.content.tables.setdefault(table_id, [])
        for n, row in enumerate(rows, 2):
            cells_raw = [(i, c) for i, c in columns if i < len(row) and row[i] is not None]
            row_id = (
                _text(row[row_id_col]) if row_id_col is not None and row_id_col < len(row) else ""
            )
            blank = all(isinstance(row[i], str) and not row[i].strip() for i, _ in cells_raw)
            if blank and (not row_id or self.kind == L.KIND_DATA_RETURN):
                # A data return's spare row, or a row the department emptied to delete it
                # (its sheet is protected: emptying is how a row is deleted). An exported
                # empty row keeps its id and comes back.
                continue
            owner = self._audit_for(row, owner_cols, name, n)
            if owner is None:
                continue
            incoming = owner
            rows_so_far = incoming.content.tables.setdefault(table_id, [])
            cells: dict[str, Any] = {}
            for i, column in cells_raw:
                try:
                    value = from_cell(column, row[i])
                except InvalidAnswer as exc:
                    incoming.skipped_cells.add((table_id, len(rows_so_far), column.id))
                    self.problems.append(Problem(name, f"{_letter(i)}{n}", column.label, str(exc)))
                    continue
                if value is not None:
                    cells[column.id] = value
            for column in table.columns:
                if column.id not in found:
                    incoming.skipped_cells.add((table_id, len(rows_so_far), column.id))
            rows_so_far.append(TableRow(row_id or None, cells))


def _letter(index: int | None) -> str:
    return get_column_letter(index + 1) if index is not None else "?"
