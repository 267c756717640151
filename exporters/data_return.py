"""Data-return workbooks: what a department without the app fills in Excel and sends back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exporters import exact_cells
from exporters.audit_workbook import write_metadata
from exporters.progress import replacing
from exporters.streaming_sheet import fit_to_page_width, row_height
from models.applicability import not_applying
from models.audit_content import AuditContent, read_content
from models.questionnaire import Field, Question, Questionnaire, current_questionnaire
from models.records import Audit
from models.store import Store
from models.values import is_empty
from models.workbook_format import layout as L
from models.workbook_format.cells import escape_text, number_format, to_cell
from models.workbook_format.long_text import collecting

SPARE_ROWS = 100  # blank rows below a table's rows; the sheet is protected, so none can be added
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: "type here"
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# Why a stored answer is left blank: the form hides its question for the answers given.
exact_cells.install()  # pre-filled numbers keep every digit: an untouched return changes nothing
NOT_PREFILLED = "Not pre-filled: the form does not show this question now: "


def write_data_return(
    store: Store,
    department_id: str,
    cycle: str,
    path: Path | str,
    *,
    prefill: bool = False,
    questionnaire: Questionnaire | None = None,
) -> Path:
    """Write a protected data-return workbook for a department and cycle.

    Pre-filled returns start from the department's audit for the cycle, or else its
    latest audit; table rows keep their ids only when they belong to the cycle's audit.
    """
    cycle = cycle.strip()
    if not cycle:
        raise ValueError("A data return needs a cycle label, such as '2015 review'.")
    dept = store.department(department_id)
    target = store.find_audit(dept.id, cycle)
    source = target or store.latest_audit(dept.id)
    if prefill and source is None:
        raise ValueError(f"{dept.name} has no audit to pre-fill the data return from.")
    if questionnaire is None:
        from models.questionnaire import get_questionnaire

        questionnaire = (
            get_questionnaire(target.questionnaire_id, target.questionnaire_version)
            if target is not None
            else current_questionnaire()
        )
    content = read_content(store, source.id) if prefill and source is not None else AuditContent()
    same_audit = target is not None and source is not None and source.id == target.id
    record = Audit(
        id=target.id if target is not None else "",
        department_id=dept.id,
        department_name=dept.name,
        cycle=cycle,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        status="draft",
    )
    with collecting():  # a text too long for a cell is kept whole (exporters/long_text.py)
        writer = _ReturnWriter(
            questionnaire, content, keep_ids=same_audit, keep_comments=same_audit
        )
        writer.instructions(dept.display, cycle, prefill, source)
        writer.sheets()
        write_metadata(
            writer.book,
            L.KIND_DATA_RETURN,
            [record],
            store,
            writer.layout,
            {"prefilled": "yes" if prefill else "no"},
            writer.shown,
        )
    writer.book.security = WorkbookProtection(lockStructure=True)
    with replacing(Path(path)) as temp:
        writer.book.save(temp)
    return Path(path)


class _ReturnWriter:
    def __init__(
        self,
        questionnaire: Questionnaire,
        content: AuditContent,
        *,
        keep_ids: bool,
        keep_comments: bool,
    ) -> None:
        self.form = questionnaire
        self.content = content
        self.keep_ids = keep_ids
        self.keep_comments = keep_comments
        self.book = Workbook()
        self.first = self.book.active
        self.layout = L.plan_layout(
            [questionnaire], ["Instructions", L.METADATA_SHEET, L.LISTS_SHEET]
        )
        self.lists = self.book.create_sheet(L.LISTS_SHEET)
        self.lists.sheet_state = "hidden"
        self.list_ranges: dict[tuple[str, ...], str] = {}
        # What the return showed pre-filled, so that only those can be cleared on import.
        self.shown: list[list[Any]] = []
        # Stored answers the form hides now: not pre-filled as if current (kept in the audit).
        self.hidden = not_applying(questionnaire, content.answers)

    # ------------------------------------------------------------------ instructions
    def instructions(
        self, department: str, cycle: str, prefill: bool, source: Audit | None
    ) -> None:
        ws = self.first
        ws.title = "Instructions"
        lines: list[tuple[str, Font | None]] = [
            (f"{self.form.title}: data return", Font(bold=True, size=14)),
            (f"Department: {department}", Font(bold=True)),
            (f"Cycle: {cycle}", Font(bold=True)),
            (
                f"Pre-filled from the {source.cycle} audit: check every answer and correct it."
                if prefill and source is not None
                else "This return is blank: answer every question you can.",
                None,
            ),
            ("", None),
            ("How to fill it in", Font(bold=True)),
            ("• Type your answers in the yellow cells. Everything else is locked.", None),
            (
                "• Each section of the questionnaire has its own sheet, and so does each table.",
                None,
            ),
            ("• Where a cell has a drop-down list, choose from it.", None),
            (
                "• Dates: 31/03/2025. Amounts: pounds, no £ sign. Percentages: 45 for 45%.",
                None,
            ),
            ("• Where several choices are allowed, separate them with semicolons (;).", None),
            ("• Questions marked * are required.", None),
            ("• Tables have spare yellow rows at the bottom; leave unused rows empty.", None),
            (
                "• Please do not rename sheets, insert rows or columns, or unprotect the sheets:",
                None,
            ),
            ("  the audit team's tool reads this workbook back by its layout.", None),
            (
                "• When done, save the workbook as .xlsx and send it back to your auditor.",
                None,
            ),
            ("", None),
            ("Sheets", Font(bold=True)),
        ]
        for section in self.layout.sections:
            lines.append((f"{section.name}: questions on {section.title.lower()}", None))
        for tsheet in self.layout.tables:
            lines.append((f"{tsheet.name}: {tsheet.table.label}", None))
        for row, (text, font) in enumerate(lines, 1):
            cell = ws.cell(row, 1, escape_text(text) if text else None)
            cell.data_type = "s"
            if font is not None:
                cell.font = font
        ws.column_dimensions["A"].width = 110
        _protect(ws)

    # ------------------------------------------------------------------ data sheets
    def sheets(self) -> None:
        for section in self.layout.sections:
            self.section_sheet(section)
        for tsheet in self.layout.tables:
            self.table_sheet(tsheet)
        # the lists sheet goes last, before the metadata
        self.book.move_sheet(self.lists, offset=len(self.book.sheetnames) - 1)
        _protect(self.lists)

    def section_sheet(self, section: L.SectionSheet) -> None:
        ws = self.book.create_sheet(section.name)
        _header(ws, L.RETURN_SECTION_HEADERS, [28, 60, 50, 36, 40])
        tables = {t.table.id: t.name for t in self.layout.tables}
        answer_col = L.RETURN_SECTION_HEADERS.index(L.ANSWER) + 1
        comment_col = L.RETURN_SECTION_HEADERS.index(L.COMMENT) + 1
        for row, question in enumerate(section.questions, 2):
            label = question.label + (" *" if question.required else "")
            _text_cell(ws, row, 1, question.id)
            _text_cell(ws, row, 2, label).alignment = WRAP
            value = None if question.is_table else self.content.answers.get(question.id)
            stale = question.id in self.hidden and not is_empty(value)
            note = (
                f" {NOT_PREFILLED}{self.hidden[question.id].removeprefix('No — ')}."
                if stale
                else ""
            )
            _text_cell(ws, row, 3, guidance(question) + escape_text(note)).alignment = WRAP
            answer = ws.cell(row, answer_col)
            if question.is_table:
                count = len(self.content.tables.get(question.id, []))
                _text_cell(ws, row, answer_col, L.table_pointer(count, tables[question.id]))
                answer.fill = LOCKED_FILL
            else:
                value = None if stale else value
                self._input(ws, answer, question, value)
                if not is_empty(value):
                    self.shown.append(["shown answer", question.id])
            comment = ws.cell(row, comment_col)
            text = self.content.comments.get(question.id) if self.keep_comments else None
            if text:
                comment.value = escape_text(text)
                comment.data_type = "s"
                self.shown.append(["shown comment", question.id])
            comment.protection = UNLOCKED
            comment.fill = INPUT_FILL
            comment.alignment = WRAP
            for cell in ws[row]:
                if cell.alignment != WRAP:
                    cell.alignment = TOP
            widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 6)]
            texts = [c.value if c.alignment.wrap_text else None for c in ws[row]]
            height = row_height(list(zip(texts, widths, strict=True)))
            if height:
                ws.row_dimensions[row].height = height
        _protect(ws)

    def table_sheet(self, tsheet: L.TableSheet) -> None:
        table = tsheet.table
        ws = self.book.create_sheet(tsheet.name)
        headers = L.return_table_headers(table)
        widths = [L.column_width(c) for c in table.columns] + [38]
        _header(ws, headers, widths)
        row_id_col = len(headers)
        ws.column_dimensions[get_column_letter(row_id_col)].hidden = True
        rows = self.content.tables.get(table.id, [])
        last = len(rows) + SPARE_ROWS + 1
        for r in range(2, last + 1):
            data = rows[r - 2] if r - 2 < len(rows) else None
            for c, column in enumerate(table.columns, 1):
                value = data.cells.get(column.id) if data is not None else None
                self._input(ws, ws.cell(r, c), column, value, validate=False)
            if data is not None and self.keep_ids and data.id:
                _text_cell(ws, r, row_id_col, data.id)
                self.shown.append(["shown row", table.id, data.id])
        for c, column in enumerate(table.columns, 1):
            letter = get_column_letter(c)
            dv = self._validation(column)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
        _protect(ws)

    def _input(
        self, ws: Worksheet, cell: Any, field: Field, value: Any, validate: bool = True
    ) -> None:
        """An unlocked, yellow answer cell holding `value` as the export would write it."""
        written = to_cell(field, value)
        if written is not None:
            cell.value = written
            if isinstance(written, str):
                cell.data_type = "s"
        fmt = number_format(field) or ("@" if field.type in ("text", "long_text") else None)
        if fmt:
            cell.number_format = fmt
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        if field.type in ("long_text", "multi_choice"):
            cell.alignment = WRAP
        if validate:
            dv = self._validation(field)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(cell)

    def _validation(self, field: Field) -> DataValidation | None:
        """Excel's check for a field: a drop-down for choices, ranges for numbers and dates."""
        title = field.label[:32]
        ftype = field.type
        dv: DataValidation | None = None
        if ftype == "single_choice":
            dv = DataValidation(type="list", formula1=self._list_range(field), allow_blank=True)
            dv.error = "Choose one of the options in the drop-down list."
        elif ftype == "yesno":
            dv = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
            dv.error = "Choose Yes or No."
        elif ftype in ("integer", "maturity", "decimal", "currency", "percentage"):
            whole = ftype in ("integer", "maturity")
            low = (
                field.minimum if field.minimum is not None else (1 if ftype == "maturity" else None)
            )
            high = (
                field.maximum if field.maximum is not None else (5 if ftype == "maturity" else None)
            )
            dv = _range(
                "whole" if whole else "decimal",
                low,
                high,
                "Enter a whole number" if whole else "Enter a number",
            )
        elif ftype == "date":
            low_day = _day(field.minimum) or date(1900, 1, 1)
            high_day = _day(field.maximum) or date(9999, 12, 31)
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=f"DATE({low_day.year},{low_day.month},{low_day.day})",
                formula2=f"DATE({high_day.year},{high_day.month},{high_day.day})",
                allow_blank=True,
            )
            dv.error = f"Enter a date between {low_day:%d/%m/%Y} and {high_day:%d/%m/%Y}."
        elif ftype in ("text", "long_text") and field.max_length:
            dv = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(field.max_length),
                allow_blank=True,
            )
            dv.error = f"Keep it to {field.max_length:,} characters."
        if dv is None:
            return None
        dv.errorTitle = title
        dv.showErrorMessage = True
        if field.help:
            dv.promptTitle = title
            dv.prompt = field.help[:250]
            dv.showInputMessage = True
        return dv

    def _list_range(self, field: Field) -> str:
        labels = tuple(o.label for o in field.options)
        if labels not in self.list_ranges:
            col = len(self.list_ranges) + 1
            letter = get_column_letter(col)
            self.lists.cell(1, col, field.id).data_type = "s"
            for r, label in enumerate(labels, 2):
                cell = self.lists.cell(r, col, escape_text(label))
                cell.data_type = "s"
            sheet = quote_sheetname(L.LISTS_SHEET)
            self.list_ranges[labels] = f"{sheet}!${letter}$2:${letter}${len(labels) + 1}"
        return self.list_ranges[labels]


def guidance(question: Question) -> str:
    """What to write in the answer cell, in words."""
    parts = [question.help] if question.help else []
    ftype = question.type
    if ftype == "single_choice":
        parts.append("Choose from the drop-down list.")
    elif ftype == "multi_choice":
        parts.append("One or more of: " + "; ".join(o.label for o in question.options) + ".")
    elif ftype == "maturity":
        levels = "; ".join(f"{i} {lvl}" for i, lvl in enumerate(question.levels, 1))
        parts.append(f"A level from 1 to 5{': ' + levels if levels else ''}.")
    elif ftype == "yesno":
        parts.append("Yes or No.")
    elif ftype == "date":
        parts.append("A date, e.g. 31/03/2025.")
    elif ftype == "currency":
        parts.append("An amount in pounds.")
    elif ftype == "percentage":
        parts.append("A percentage: 45 for 45%.")
    elif ftype in ("integer", "decimal"):
        parts.append("A number.")
    elif question.is_table:
        parts.append("Fill in the table's own sheet.")
    return escape_text(" ".join(parts))


def _range(kind: str, low: Any, high: Any, message: str) -> DataValidation:
    if low is not None and high is not None:
        dv = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high))
        message += f" from {low:,} to {high:,}"
    elif low is not None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
        message += f" of at least {low:,}"
    elif high is not None:
        dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(high))
        message += f" of at most {high:,}"
    else:
        dv = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15")
    dv.allow_blank = True
    dv.error = message + "."
    return dv


def _day(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text_cell(ws: Worksheet, row: int, col: int, text: str) -> Any:
    cell = ws.cell(row, col, escape_text(text) if text else None)
    cell.data_type = "s"
    return cell


def _header(ws: Worksheet, headers: Any, widths: list[float]) -> None:
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = _text_cell(ws, 1, col, header)
        cell.font = HEADER_FONT
        cell.fill = LOCKED_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    fit_to_page_width(ws)


def _protect(ws: Worksheet) -> None:
    """Locked except the yellow cells; columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
