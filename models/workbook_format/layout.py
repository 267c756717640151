"""The layout of the app's own workbooks, shared by the writer and the reader so they cannot drift.

Every workbook the app writes has a very hidden metadata sheet naming its format, kind,
questionnaire, audits and which sheet holds which section or table. Data sheets are read
by their header names, so a column moved in Excel is still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.questionnaire import Field, Question, Questionnaire

FORMAT = "baseline-workbook"
FORMAT_VERSION = 1
METADATA_SHEET = "_baseline"
LISTS_SHEET = "_lists"
KIND_EXPORT = "export"
KIND_DATA_RETURN = "data-return"

# Column headers. The reader finds columns by these names.
DEPARTMENT = "Department"
CYCLE = "Cycle"
REF = "Ref"
QUESTION = "Question"
GUIDANCE = "Guidance"
ANSWER = "Answer"
COMMENT = "Comment"
APPLIES = "Applies"  # exports: 'Yes', or why the form hides the question (models/applicability)
ROW_ID = "Row ID"
AUDIT_ID = "Audit ID"
# Where an imported row came from (body, file, row), beside it on every exported table sheet.
PROVENANCE_HEADERS = ("Source body", "Source file", "Source row")

EXPORT_SECTION_HEADERS = (DEPARTMENT, CYCLE, REF, QUESTION, ANSWER, COMMENT, APPLIES, AUDIT_ID)
RETURN_SECTION_HEADERS = (REF, QUESTION, GUIDANCE, ANSWER, COMMENT)

# The metadata sheet: "property" rows, then "sheet" rows, then one "audit" row per audit.
AUDIT_FIELDS = (
    "audit_id",
    "department_id",
    "department_name",
    "department_abbreviation",
    "govuk_id",
    "cycle",
    "questionnaire_id",
    "questionnaire_version",
    "status",
    "auditor",
    "created_at",
    "updated_at",
    "copied_from",
    "source",
)

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def export_table_headers(table: Question) -> list[str]:
    return [DEPARTMENT, CYCLE, *column_headers(table), ROW_ID, AUDIT_ID]


def return_table_headers(table: Question) -> list[str]:
    return [*column_headers(table), ROW_ID]


def column_headers(table: Question) -> list[str]:
    """One header per column: its label, made unique and kept clear of the fixed headers."""
    used = {DEPARTMENT, CYCLE, ROW_ID, AUDIT_ID}
    headers = []
    for column in table.columns:
        header = column.label.strip() or column.id
        while header in used:
            header = f"{header} ({column.id})"
        used.add(header)
        headers.append(header)
    return headers


def header_columns(table: Question) -> dict[str, Field]:
    """Header text → column, for the reader (case and spacing forgiven)."""
    return {
        _key(header): column
        for header, column in zip(column_headers(table), table.columns, strict=True)
    }


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def header_key(text: object) -> str:
    return _key(str(text)) if text is not None else ""


def sheet_name(title: str, used: set[str]) -> str:
    """A legal, unique Excel sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", title).strip().strip("'") or "Sheet"
    name = base[:31]
    n = 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.casefold())
    return name


@dataclass(frozen=True)
class SectionSheet:
    """One questionnaire section's sheet: question ids in form order (tables included)."""

    name: str
    section_id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class TableSheet:
    """One table question's sheet."""

    name: str
    table: Question


@dataclass(frozen=True)
class WorkbookLayout:
    """Which sheets a workbook has for its questionnaire(s)."""

    sections: tuple[SectionSheet, ...]
    tables: tuple[TableSheet, ...]


def plan_layout(
    questionnaires: Sequence[Questionnaire], reserved: Iterable[str] = ()
) -> WorkbookLayout:
    """Section and table sheets for one or more questionnaire versions (matched by id).

    A later version's new questions join their section; the newest wording wins.
    """
    used = {name.casefold() for name in reserved}
    sections: dict[str, tuple[str, dict[str, Question]]] = {}
    tables: dict[str, Question] = {}
    for questionnaire in sorted(questionnaires, key=lambda q: q.version, reverse=True):
        for section in questionnaire.sections:
            _, questions = sections.setdefault(section.id, (section.title, {}))
            for question in section.questions:
                questions.setdefault(question.id, question)
                if question.is_table:
                    tables.setdefault(question.id, question)
    section_sheets = tuple(
        SectionSheet(sheet_name(f"{n} {title}", used), sid, title, tuple(questions.values()))
        for n, (sid, (title, questions)) in enumerate(sections.items(), 1)
    )
    table_sheets = tuple(
        TableSheet(sheet_name(t.id.replace("_", " ").capitalize(), used), t)
        for t in tables.values()
    )
    return WorkbookLayout(section_sheets, table_sheets)


def table_pointer(rows: int, sheet: str) -> str:
    """What a section sheet says in place of a table's answer."""
    noun = "row" if rows == 1 else "rows"
    return f"{rows} {noun}: see sheet '{sheet}'"


def column_width(field: Field) -> float:
    """A sensible starting width for a column of this field (Excel character units)."""
    if field.type == "long_text":
        return 60
    if field.type == "text":
        return min(40, max(16, (field.max_length or 40) // 5))
    if field.type in ("single_choice", "multi_choice"):
        longest = max((len(o.label) for o in field.options), default=12)
        return min(40, max(12, longest + 2, len(field.label) * 0.6))
    if field.type == "date":
        return 12
    return max(12, min(20, len(field.label) * 0.6))
