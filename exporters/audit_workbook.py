"""Audit and consolidated exports: the workbook analysts receive, which the app can read back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from exporters.figure_columns import (
    LONG_HEADERS,
    SUMMARY_FIXED,
    Column,
    FigureColumns,
    last_updated,
)
from exporters.ods_book import OdsBook, add_sheet, is_ods
from exporters.progress import replacing
from exporters.streaming_sheet import StreamingSheet, discard
from models.applicability import APPLIES, not_applying
from models.audit_content import read_content
from models.completion import complete_row_counts
from models.foreign_imports import row_sources
from models.formatting import COUNT_FORMAT, MATURITY_FORMAT, SHARE_FORMAT, share_format
from models.progress import Progress, no_progress
from models.questionnaire import NUMERIC_TYPES, Questionnaire, get_questionnaire
from models.records import STATUS_LABELS, Audit
from models.scoring import score_audit, section_progress
from models.store import Store
from models.validation import format_value
from models.values import is_empty
from models.workbook_format import layout as L
from models.workbook_format import long_text
from models.workbook_format.cells import cell_encoder, escape_text, number_format, to_cell

QuestionnaireSource = Callable[[str, int], Questionnaire]


def app_version() -> str:
    try:
        return metadata.version("baseline-audit")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class ExportResult:
    """What was written, for the status bar and the benchmark."""

    path: Path
    audits: int
    cells: int
    sheets: list[str]


def export_audits(
    store: Store,
    audit_ids: Sequence[str],
    path: Path | str,
    *,
    consolidated: bool | None = None,
    progress: Progress = no_progress,
    questionnaires: QuestionnaireSource = get_questionnaire,
) -> ExportResult:
    """Write the audits to an .xlsx file (or, named .ods, an OpenDocument spreadsheet with
    the same sheets, columns, types and formats); the file appears only once it is complete.

    A consolidated export (the default for more than one audit) adds long-format sheets
    of every answer and indicator. `progress(done, total)` is called per audit and may
    raise Cancelled.
    """
    audits = [store.audit(a) for a in audit_ids]
    if not audits:
        raise ValueError("There are no audits to export.")
    if consolidated is None:
        consolidated = len(audits) > 1
    versions = {(a.questionnaire_id, a.questionnaire_version) for a in audits}
    forms = {key: questionnaires(*key) for key in sorted(versions)}
    writer = _ExportWriter(list(forms.values()), consolidated, ods=is_ods(path))
    total = len(audits)
    try:
        progress(0, total)
        with replacing(Path(path)) as temp:
            for done, audit in enumerate(audits, 1):
                form = forms[(audit.questionnaire_id, audit.questionnaire_version)]
                writer.add_audit(store, audit, form)
                progress(done, total)
            writer.finish(audits, store)
            writer.workbook.save(temp)
    except BaseException:
        discard(writer.workbook)
        raise
    return ExportResult(Path(path), len(audits), writer.cells, writer.workbook.sheetnames)


class _ExportWriter:
    """Sheets of one export, filled audit by audit."""

    def __init__(self, forms: list[Questionnaire], consolidated: bool, ods: bool = False) -> None:
        self.workbook: Any = OdsBook() if ods else Workbook(write_only=True)
        self.cells = 0
        newest = max(forms, key=lambda q: q.version)
        self.newest = newest
        reserved = ["Summary", "Scores", "All answers", "All indicators", L.METADATA_SHEET]
        self.layout = L.plan_layout(forms, reserved)
        self.scored = [(s.id, s.title) for s in newest.sections if s.scored]
        self.figures = FigureColumns(forms)
        self.summary = self._summary_sheet()
        self.scores = self._sheet(
            "Scores",
            [
                L.DEPARTMENT,
                L.CYCLE,
                "Section",
                "Maturity",
                "Answered",
                "Questions shown",
                "Required answered",
                "Required",
            ],
            [None, None, None, MATURITY_FORMAT, *[COUNT_FORMAT] * 4],
            [34, 16, 34, 10, 10, 10, 10, 10],
        )
        self.sections: dict[str, StreamingSheet] = {}
        for section in self.layout.sections:
            self.sections[section.section_id] = self._sheet(
                section.name,
                list(L.EXPORT_SECTION_HEADERS),
                [None] * len(L.EXPORT_SECTION_HEADERS),
                [34, 16, 28, 60, 40, 40, 30, 38],
                hidden=[L.AUDIT_ID],
                wrap=[L.QUESTION, L.ANSWER, L.COMMENT, L.APPLIES],
            )
        self.tables: dict[str, tuple[StreamingSheet, L.TableSheet]] = {}
        self.encoders = {
            t.table.id: [cell_encoder(c) for c in t.table.columns] for t in self.layout.tables
        }
        for tsheet in self.layout.tables:
            columns = tsheet.table.columns
            self.tables[tsheet.table.id] = (
                self._sheet(
                    tsheet.name,
                    [*L.export_table_headers(tsheet.table), *L.PROVENANCE_HEADERS],
                    [None, None, *(number_format(c) for c in columns), None, None, None, None, "0"],
                    [34, 16, *(L.column_width(c) for c in columns), 38, 38, 30, 30, 10],
                    hidden=[L.ROW_ID, L.AUDIT_ID],
                ),
                tsheet,
            )
        self.long_answers: StreamingSheet | None = None
        self.long_indicators: StreamingSheet | None = None
        if consolidated:
            self.long_answers = self._sheet(
                "All answers",
                [
                    L.DEPARTMENT,
                    L.CYCLE,
                    "Status",
                    "Section",
                    L.REF,
                    L.QUESTION,
                    L.ANSWER,
                    "Number",
                    L.APPLIES,
                    L.AUDIT_ID,
                ],
                [*[None] * 7, "General", None, None],  # each number gets its question's format
                [34, 16, 12, 30, 22, 50, 40, 14, 30, 38],
                hidden=[L.AUDIT_ID],
            )
            self.long_indicators = self._sheet(
                "All indicators",
                [L.DEPARTMENT, L.CYCLE, "Status", *LONG_HEADERS, L.AUDIT_ID],
                [*[None] * 7, "General", None, "General", "General", None],
                [34, 16, 12, 28, 50, 8, 16, 10, 12, 12, 12, 38],
                hidden=[L.AUDIT_ID],
            )

    def _sheet(
        self,
        title: str,
        headers: list[str],
        formats: list[str | None],
        widths: list[float],
        **kwargs: Any,
    ) -> StreamingSheet:
        sheet: StreamingSheet = add_sheet(self.workbook, title)
        sheet.setup(headers, formats, widths, **kwargs)
        return sheet

    def _summary_sheet(self) -> StreamingSheet:
        columns = list(SUMMARY_FIXED)
        for _, title in self.scored:
            columns.append(Column(f"{title} (maturity)", MATURITY_FORMAT, 14))
        columns += self.figures.summary_columns()
        headers = [c.header for c in columns]
        formats = [c.fmt for c in columns]
        widths = [c.width for c in columns]
        headers.append(L.AUDIT_ID)
        formats.append(None)
        widths.append(38)
        return self._sheet("Summary", headers, formats, widths, hidden=[L.AUDIT_ID])

    def _row(
        self,
        sheet: StreamingSheet,
        values: list[Any],
        formats: dict[int, str | None] | None = None,
        *,
        muted: bool = False,
    ) -> None:
        sheet.add_row(values, formats, muted=muted)
        self.cells += sum(1 for v in values if v is not None)

    def add_audit(self, store: Store, audit: Audit, form: Questionnaire) -> None:
        content = read_content(store, audit.id)
        dept = escape_text(audit.department_name)
        cycle = escape_text(audit.cycle)
        status = STATUS_LABELS.get(audit.status, audit.status)
        answers, comments = content.answers, content.comments
        rows_cells = {t: [r.cells for r in rows] for t, rows in content.tables.items()}
        counts = complete_row_counts(form, rows_cells)  # a half-filled row answers nothing
        score = score_audit(form, answers, rows_cells)
        progress = section_progress(form, answers, counts)
        shown = sum(p.total for p in progress.values())
        done = sum(p.answered for p in progress.values())
        abbreviation = store.department(audit.department_id).abbreviation
        # A stored answer the form hides is kept (the form keeps it too) but marked, greyed
        # and left out of the numbers: never read as a current answer.
        hidden = not_applying(form, answers)

        summary: list[Any] = [
            dept,
            escape_text(abbreviation),
            cycle,
            status,
            escape_text(audit.auditor),
            last_updated(audit.updated_at),
            escape_text(f"{form.title} v{form.version}"),
            done / shown if shown else None,
            score.overall,
        ]
        summary += [score.section_maturity.get(sid) for sid, _ in self.scored]
        # a share that would round to 0% or 100% shows '<1%' or '>99%', as the reports print it
        formats: dict[int, str | None] = {}
        if shown and share_format(100 * done / shown) != SHARE_FORMAT:
            formats[7] = share_format(100 * done / shown)
        formats.update(self.figures.summary_formats(score.indicators, len(summary)))
        summary += self.figures.summary_values(score.indicators)
        self._row(self.summary, [*summary, audit.id], formats)

        for section in form.sections:
            p = progress[section.id]
            self._row(
                self.scores,
                [
                    dept,
                    cycle,
                    section.title,
                    score.section_maturity.get(section.id),
                    p.answered,
                    p.total,
                    p.required_answered,
                    p.required_total,
                ],
            )

        for ssheet in self.layout.sections:
            sheet = self.sections[ssheet.section_id]
            for question in ssheet.questions:
                if not form.has_question(question.id):
                    continue
                question = form.question(question.id)
                if question.is_table:  # every row the table sheet lists, as the PDF counts
                    written = len(rows_cells.get(question.id, []))
                    answer = L.table_pointer(written, self.tables[question.id][1].name)
                    half = written - counts.get(question.id, 0)
                    if half > 0:  # "3 rows (1 incomplete): see sheet 'Senior roles'"
                        head, _, tail = answer.partition(": ")
                        answer = f"{head} ({half} incomplete): {tail}"
                else:
                    answer = to_cell(question, answers.get(question.id))
                comment = comments.get(question.id)
                applies = hidden.get(question.id, APPLIES)
                self._row(
                    sheet,
                    [
                        dept,
                        cycle,
                        question.id,
                        escape_text(question.label),
                        answer,
                        escape_text(comment) if comment else None,
                        applies,
                        audit.id,
                    ],
                    {4: number_format(question)} if answer is not None else None,
                    muted=question.id in hidden,
                )
                if self.long_answers is not None and not question.is_table:
                    value = answers.get(question.id)
                    number = (
                        value
                        if question.type in NUMERIC_TYPES
                        and question.id not in hidden
                        and isinstance(value, int | float)
                        and not isinstance(value, bool)
                        else None
                    )
                    self._row(
                        self.long_answers,
                        [
                            dept,
                            cycle,
                            status,
                            ssheet.title,
                            question.id,
                            escape_text(question.label),
                            escape_text(format_value(question, value))
                            if not is_empty(value)
                            else None,
                            number,
                            applies,
                            audit.id,
                        ],
                        {7: number_format(question)} if number is not None else None,
                        muted=question.id in hidden,
                    )

        sources = row_sources(store, audit.id)  # imported rows: their body, file and row
        for table_id, (sheet, tsheet) in self.tables.items():
            if not form.has_question(table_id):
                continue
            columns = tsheet.table.columns
            encoders = self.encoders[table_id]
            for row in content.tables.get(table_id, ()):
                cells = row.cells
                source = sources.get(row.id) if row.id is not None else None
                body, file_name, source_row = source if source is not None else ("", "", None)
                self._row(
                    sheet,
                    [
                        dept,
                        cycle,
                        *(
                            encode(cells.get(c.id))
                            for c, encode in zip(columns, encoders, strict=True)
                        ),
                        row.id,
                        audit.id,
                        escape_text(body) if body else None,
                        escape_text(file_name) if file_name else None,
                        source_row,
                    ],
                )

        if self.long_indicators is not None:
            base = [dept, cycle, status]
            for values, formats in self.figures.long_rows(base, score.indicators):
                self._row(self.long_indicators, [*values, audit.id], formats)

    def finish(self, audits: list[Audit], store: Store) -> None:
        """Excel tables over the data, then the metadata sheet that identifies the workbook."""
        self.summary.add_table("Summary")
        self.scores.add_table("Scores")
        for section in self.layout.sections:
            self.sections[section.section_id].add_table(f"Section_{_safe(section.section_id)}")
        for table_id, (sheet, _) in self.tables.items():
            sheet.add_table(f"Table_{_safe(table_id)}")
        if self.long_answers is not None:
            self.long_answers.add_table("AllAnswers")
        if self.long_indicators is not None:
            self.long_indicators.add_table("AllIndicators")
        write_metadata(self.workbook, L.KIND_EXPORT, audits, store, self.layout)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def write_metadata(
    workbook: Workbook,
    kind: str,
    audits: Sequence[Audit],
    store: Store | None,
    layout: L.WorkbookLayout,
    extra: dict[str, Any] | None = None,
    records: Sequence[list[Any]] = (),
) -> None:
    """The very hidden sheet that says this is the app's workbook, and what it holds."""
    if workbook.write_only:
        sheet: Any = add_sheet(workbook, L.METADATA_SHEET)
        headers = ["record", *L.AUDIT_FIELDS]
        sheet.setup(headers, [None] * len(headers), [20] * len(headers))
        add = sheet.add_row
    else:
        sheet = workbook.create_sheet(L.METADATA_SHEET)
        sheet.append(["record", *L.AUDIT_FIELDS])

        def add(values: list[Any]) -> None:
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"

    properties = {
        "format": L.FORMAT,
        "format_version": L.FORMAT_VERSION,
        "kind": kind,
        "app_version": app_version(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **(extra or {}),
    }
    for key, value in properties.items():
        add(["property", key, value])
    for section in layout.sections:
        add(["sheet", section.name, "section", section.section_id])
    for tsheet in layout.tables:
        add(["sheet", tsheet.name, "table", tsheet.table.id])
    add(["audit fields", *L.AUDIT_FIELDS])
    for audit in audits:
        dept = store.department(audit.department_id) if store is not None else None
        add(["audit", *(escape_text(str(v)) for v in audit_record(audit, dept))])
    for record in records:
        add(record)
    for record in long_text.records():  # the whole of texts too long for their cells
        add(record)
    sheet.sheet_state = "veryHidden"


def audit_record(audit: Audit, dept: Any) -> list[Any]:
    """An audit's metadata row, in AUDIT_FIELDS order."""
    return [
        audit.id,
        audit.department_id,
        audit.department_name,
        dept.abbreviation if dept is not None else "",
        dept.govuk_id if dept is not None else "",
        audit.cycle,
        audit.questionnaire_id,
        audit.questionnaire_version,
        audit.status,
        audit.auditor,
        audit.created_at,
        audit.updated_at,
        audit.copied_from or "",
        audit.source,
    ]
