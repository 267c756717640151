"""The board report's section-detail pages and table appendices: every answer and every row.

Built as report content (exporters/report_content.py); nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from exporters.board_report import BoardReportData
from exporters.pdf_document import WIDE_FRAME_WIDTH
from exporters.pdf_fonts import SANS, SANS_BOLD
from exporters.report_blocks import rating
from exporters.report_content import (
    Appendix,
    Block,
    Column,
    Heading,
    KeepSpace,
    LongTable,
    Space,
    Together,
    appendix_letter,
    lettered,
    text,
)
from models.formatting import (
    format_count,
    format_date,
    format_maturity,
    format_money,
    format_pounds,
    format_share,
)
from models.questionnaire import Field, Question, Questionnaire
from models.validation import format_value
from models.values import is_empty


def answer_text(question: Field, value: Any) -> str:
    """An answer as a board paper prints it."""
    if is_empty(value):
        return "Not answered"
    if question.type == "maturity" and isinstance(value, int) and question.levels:
        level = question.levels[value - 1] if 1 <= value <= len(question.levels) else ""
        return f"Level {value} of 5: {level}"
    if question.type == "date":
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if question.type == "currency" and isinstance(value, int | float):
        return format_money(float(value))
    if question.type == "percentage" and isinstance(value, int | float):
        return format_share(value)
    if question.type == "decimal" and isinstance(value, int | float):
        return _decimal(float(value))
    return format_value(question, value)


def section_detail(data: BoardReportData) -> list[Block]:
    q = data.figures.questionnaire
    blocks: list[Block] = [
        Heading("Section detail", 1, ("detail",)),
        text(
            "Each question as the auditor answered it, with the auditor's comment. Questions "
            "that do not apply, given earlier answers, are left out.",
            "muted",
        ),
    ]
    letters = _appendix_letters(data)
    for section in q.sections:
        blocks.append(KeepSpace(120))
        blocks.append(Heading(section.title, 2, ("detail", section.id)))
        maturity = data.figures.score.section_maturity.get(section.id)
        if section.scored:
            covered = data.figures.score.section_coverage.get(section.id)
            thin = f" {covered.marker}." if covered and covered.provisional and maturity else ""
            blocks.append(
                text(
                    f"Maturity {format_maturity(maturity)} out of 5: {rating(maturity)[0]}.{thin}",
                    "muted",
                )
            )
        for question in section.questions:
            if question.id not in data.shown:
                continue
            if question.is_table:
                count = len(data.rows.get(question.id, []))
                letter = letters.get(question.id, "")
                noun = question.row_label if count == 1 else f"{question.row_label}s"
                said = f"{count:,} {noun} recorded"
                said += f": see Appendix {letter}." if count and letter else "."
            else:
                said = answer_text(question, data.answers.get(question.id))
            blocks.append(Together((Heading(question.label, 3), text(said))))
            comment = data.comments.get(question.id, "")
            if comment.strip():
                blocks.append(text(f"Auditor's comment: {comment}", "quote"))
    return blocks


def _appendix_letters(data: BoardReportData) -> dict[str, str]:
    """The letter of each table's appendix: the table appendices are lettered first."""
    tables = [t for t in data.figures.questionnaire.table_questions() if t.id in data.shown]
    return {t.id: appendix_letter(i) for i, t in enumerate(tables)}


def _appendix_title(q: Questionnaire, table: Question) -> str:
    """The table's section; with the table named when its section has more than one."""
    section = q.section(table.section_id)
    if sum(1 for t in section.questions if t.is_table) < 2:
        return section.title
    return f"{section.title}: {table.id.replace('_', ' ').capitalize()}"


def cell_text(column: Field, value: Any) -> str:
    if is_empty(value):
        return ""
    if column.type == "date":
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if column.type == "currency" and isinstance(value, int | float):
        return format_pounds(value)
    if column.type == "percentage" and isinstance(value, int | float):
        return format_share(value)
    if column.type == "decimal" and isinstance(value, int | float) and not isinstance(value, bool):
        return _decimal(float(value))
    return format_value(column, value)


def _decimal(value: float) -> str:
    """An FTE (the decimals of the questionnaire) as reports print it, to one decimal: an
    imported 9275.915405405405 is '9,275.9'; one above 0 that rounds to 0 is '<0.1'."""
    shown = format_count(value)
    return "<0.1" if shown in ("0", "-0") and value != 0 else shown


def table_appendices(data: BoardReportData) -> list[Appendix]:
    """One appendix per table the form shows, listing every row."""
    found: list[Appendix] = []
    q = data.figures.questionnaire
    for table_id in _appendix_letters(data):
        table: Question = q.question(table_id)
        rows = data.rows.get(table_id, [])
        title = _appendix_title(q, table)
        if not rows:
            blocks: list[Block] = [
                text(table.label, "muted"),
                text(f"No {table.row_label}s recorded."),
            ]
            found.append(Appendix(title, blocks))
            continue
        # the count goes above the table: below it, it could be left alone on a page
        noun = table.row_label if len(rows) == 1 else f"{table.row_label}s"
        texts = [[cell_text(c, row.get(c.id)) for c in table.columns] for row in rows]
        widths = column_widths([c.label for c in table.columns], texts[:_SAMPLE], WIDE_FRAME_WIDTH)
        columns = tuple(
            Column(
                c.label,
                width,
                numeric=c.type in ("integer", "decimal", "currency", "percentage"),
            )
            for c, width in zip(table.columns, widths, strict=True)
        )
        blocks = [
            text(f"{table.label} {format_count(len(rows))} {noun}.", "muted"),
            Space(4),
            LongTable(columns, texts, max_lines=8),
        ]
        found.append(Appendix(title, blocks))
    return found


def appendices(data: BoardReportData) -> list[Block]:
    """The table appendices alone, lettered from A (each from its page break)."""
    return lettered(table_appendices(data))


_SAMPLE = 400  # rows measured to size the columns of a long appendix


def column_widths(
    labels: Sequence[str], sample: Sequence[Sequence[str]], total: float
) -> list[float]:
    """Widths for an appendix's columns from what their cells need.

    Every column gets at least room for its header on two lines and for its longest word,
    so headers and figures are never cut; what is left goes to the columns whose cells
    want more (up to nine in ten of them on one line), in proportion, and they wrap.
    """
    floors, wants = [], []
    for index, label in enumerate(labels):
        word = max(
            (stringWidth(w, SANS, 7.5) for row in sample for w in row[index].split()),
            default=0.0,
        )
        floor = max(_header_width(label), min(word, 90.0), 18.0) + 8
        cells = sorted(stringWidth(row[index], SANS, 7.5) for row in sample) or [0.0]
        typical = cells[int(0.9 * (len(cells) - 1))]
        floors.append(floor)
        wants.append(max(floor, min(typical, 170.0) + 8))
    if sum(wants) <= total:
        spare = (total - sum(wants)) / len(wants)
        return [w + spare for w in wants]
    if sum(floors) >= total:
        return [f * total / sum(floors) for f in floors]
    share = (total - sum(floors)) / (sum(wants) - sum(floors))
    return [f + (w - f) * share for f, w in zip(floors, wants, strict=True)]


def _header_width(label: str) -> float:
    """The narrowest width at which a column header wraps onto two lines or fewer."""
    low = max((stringWidth(w, SANS_BOLD, 7.5) for w in label.split()), default=0.0)
    high = stringWidth(label, SANS_BOLD, 7.5)
    while high - low > 1:
        mid = (low + high) / 2
        if len(simpleSplit(label, SANS_BOLD, 7.5, mid)) <= 2:
            high = mid
        else:
            low = mid
    return float(high)
