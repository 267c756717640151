"""Reading the audit JSON format (docs/audit-json.md) into what a workbook import plans from.

A document read here is planned and applied by importers/workbook_import.py exactly as an
exported workbook is, so a JSON file has the same guarantees: the preview lists every
change, a value that does not fit is named and not imported, and the audits change all
together or not at all. Each audit in a document is its whole content: a question it
has no answer for is left unanswered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.own_workbook_records import (
    IncomingAudit,
    Problem,
    QuestionnaireSource,
    WorkbookContents,
)
from models.audit_content import AuditContent, TableRow
from models.audit_json import DERIVED_KEYS, FORMAT, FORMAT_VERSION, json_value
from models.questionnaire import (
    DefinitionError,
    Question,
    Questionnaire,
    get_questionnaire,
    questionnaire_key_problem,
)
from models.records import STATUSES, Audit, Department
from models.validation import InvalidAnswer, comment_problem
from models.values import is_empty
from models.workbook_format import layout as L

MAX_BYTES = 512 * 1024 * 1024  # larger than any workspace's export; refused before reading
_AUDIT_KEYS = {
    "id", "department", "department_name", "cycle", "questionnaire", "status", "auditor",
    "created_at", "updated_at", "copied_from", "source", "answers", "comments", "tables",
    *DERIVED_KEYS,
}  # fmt: skip


class JsonFormatError(ValueError):
    """A document that cannot be read at all; the message names the file and the place."""


@dataclass(frozen=True)
class JsonProblem(Problem):
    """A value that does not fit its question, named by department, cycle, question and row."""

    def __str__(self) -> str:
        return f"{self.sheet}: {self.cell}: {self.message}"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice in one object")
        found[key] = value
    return found


def load_json(path: Path | str, *, what: str = "document") -> Any:
    """A JSON file's value; JsonFormatError naming the file when it is not strict JSON."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise JsonFormatError(f"{path.name} is larger than any {what} Baseline reads.")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise JsonFormatError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise JsonFormatError(f"{path} is a folder, not a JSON file.") from None
    except UnicodeDecodeError as exc:
        raise JsonFormatError(f"{path.name} is not UTF-8 text ({exc.reason}).") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise JsonFormatError(
            f"{path.name} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except ValueError as exc:
        raise JsonFormatError(f"{path.name} is refused: {exc}.") from None


def read_json_audits(
    path: Path | str, *, questionnaires: QuestionnaireSource = get_questionnaire
) -> WorkbookContents:
    """Read an audit JSON document; raise JsonFormatError when it cannot be read."""
    path = Path(path)
    return contents_of(load_json(path), path, questionnaires=questionnaires)


def contents_of(
    doc: Any, path: Path, *, questionnaires: QuestionnaireSource = get_questionnaire
) -> WorkbookContents:
    """A parsed document as the import plans it (the file's name only names places)."""
    reader = _Reader(path.name, questionnaires)
    audits = reader.document(doc)
    return WorkbookContents(path, L.KIND_EXPORT, False, audits, reader.problems, reader.notes)


class _Reader:
    def __init__(self, name: str, questionnaires: QuestionnaireSource) -> None:
        self.name = name
        self.questionnaires = questionnaires
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    def fail(self, where: str, message: str) -> JsonFormatError:
        return JsonFormatError(f"{self.name}: {where}: {message}")

    def document(self, doc: Any) -> list[IncomingAudit]:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise JsonFormatError(
                f'{self.name} is not a Baseline audit document (its "format" is not {FORMAT!r}).'
            )
        version = doc.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("format_version", "a whole number from 1 is needed.")
        if version > FORMAT_VERSION:
            raise JsonFormatError(
                f"{self.name} was written by a newer version of Baseline (audit JSON format "
                f"{version}; this version reads up to {FORMAT_VERSION}). Update the app to "
                "import it."
            )
        records = doc.get("audits")
        if not isinstance(records, list):
            raise self.fail("audits", "a list of audits is needed.")
        audits = [self.audit(record, f"audits[{i}]") for i, record in enumerate(records)]
        seen: dict[tuple[str, str], str] = {}
        for i, incoming in enumerate(audits):
            keys = [("id", incoming.audit.id)] if incoming.audit.id else []
            keys.append((incoming.department.name.lower(), incoming.audit.cycle))
            for key in keys:
                if key in seen:
                    raise self.fail(
                        f"audits[{i}]",
                        f"{incoming.department.name}, {incoming.audit.cycle} is the same audit "
                        f"as {seen[key]}; a document holds each audit once.",
                    )
                seen[key] = f"audits[{i}]"
        return audits

    def _text(self, record: dict[str, Any], key: str, where: str, *, needed: bool = False) -> str:
        value = record.get(key, "")
        if value is None and key in ("copied_from",):
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "text is needed.")
        if needed and not value.strip():
            raise self.fail(f"{where}.{key}", "cannot be empty.")
        return value

    def audit(self, record: Any, where: str) -> IncomingAudit:
        if not isinstance(record, dict):
            raise self.fail(where, "an audit must be a JSON object.")
        unknown = sorted(set(record) - _AUDIT_KEYS)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}.")
        dept = record.get("department")
        if not isinstance(dept, dict):
            raise self.fail(f"{where}.department", "an object with the department's name.")
        place = f"{where}.department"
        unknown = sorted(set(dept) - {"id", "name", "abbreviation", "govuk_id", "created_at"})
        if unknown:
            raise self.fail(place, f"unknown key(s) {', '.join(map(repr, unknown))}.")
        department = Department(
            self._text(dept, "id", place),
            self._text(dept, "name", place, needed=True).strip(),
            self._text(dept, "abbreviation", place).strip(),
            self._text(dept, "govuk_id", place).strip(),
            self._text(dept, "created_at", place),
        )
        form = self.questionnaire(record.get("questionnaire"), f"{where}.questionnaire")
        status = record.get("status", "draft")
        if status not in STATUSES:
            raise self.fail(f"{where}.status", f"one of {', '.join(STATUSES)} is needed.")
        audit = Audit(
            id=self._text(record, "id", where),
            department_id=department.id,
            department_name=self._text(record, "department_name", where) or department.name,
            cycle=self._text(record, "cycle", where, needed=True).strip(),
            questionnaire_id=form.id,
            questionnaire_version=form.version,
            status=status,
            auditor=self._text(record, "auditor", where),
            created_at=self._text(record, "created_at", where),
            updated_at=self._text(record, "updated_at", where),
            copied_from=self._text(record, "copied_from", where) or None,
            source=self._text(record, "source", where),
        )
        incoming = IncomingAudit(audit, department, form)
        incoming.seen = {q.id for q in form.questions()}  # the audit's whole content
        label = f"{self.name}: {department.name}, {audit.cycle}"
        self.content(incoming, record, where, label)
        return incoming

    def questionnaire(self, given: Any, where: str) -> Questionnaire:
        if not isinstance(given, dict):
            raise self.fail(where, 'an object {"id": …, "version": …} is needed.')
        qid, version = given.get("id"), given.get("version")
        problem = questionnaire_key_problem(qid, version)
        if problem is not None:
            raise self.fail(where, f"{problem}.")
        assert isinstance(qid, str) and isinstance(version, int)
        try:
            return self.questionnaires(qid, version)
        except DefinitionError:
            raise self.fail(
                where,
                f"questionnaire {qid!r} version {version} is not one this version of Baseline "
                "has. Update the app to import it.",
            ) from None

    def content(
        self, incoming: IncomingAudit, record: dict[str, Any], where: str, label: str
    ) -> None:
        form = incoming.questionnaire
        read = ContentReader(form, label)
        incoming.content = read.content(record, where, self.fail)
        incoming.skipped_answers = read.skipped_answers
        incoming.skipped_comments = read.skipped_comments
        incoming.skipped_cells = read.skipped_cells
        self.problems += read.problems


class ContentReader:
    """Answers, comments and tables of one audit from JSON, each value validated.

    Shared by `import` and `audit set --from-json`. Bad values become problems (named by
    question, row and column) and are skipped; a bad shape raises through `fail`.
    """

    def __init__(self, form: Questionnaire, label: str) -> None:
        self.form = form
        self.label = label
        self.problems: list[Problem] = []
        self.skipped_answers: set[str] = set()
        self.skipped_comments: set[str] = set()
        self.skipped_cells: set[tuple[str, int, str]] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(JsonProblem(self.label, where, "", message))

    def question(self, qid: str, section: str) -> Question | None:
        if self.form.has_question(qid):
            return self.form.question(qid)
        self.problem(
            f"{section} {qid!r}",
            f"questionnaire {self.form.id} version {self.form.version} has no question with "
            "this id; it was not imported",
        )
        return None

    def content(self, record: dict[str, Any], where: str, fail: Any) -> AuditContent:
        content = AuditContent()
        for key in ("answers", "comments", "tables"):
            if not isinstance(record.get(key, {}), dict):
                raise fail(f"{where}.{key}", "an object keyed by question id is needed.")
        for qid, raw in record.get("answers", {}).items():
            question = self.question(qid, "answer to")
            if question is None:
                continue
            if question.is_table:
                self.problem(f"question {qid!r}", 'is a table: give its rows under "tables"')
                continue
            try:
                value = json_value(question, raw)
            except InvalidAnswer as exc:
                self.skipped_answers.add(qid)
                self.problem(f"question {qid!r} ({question.label})", str(exc))
                continue
            if value is not None:
                content.answers[qid] = value
        for qid, text in record.get("comments", {}).items():
            if self.question(qid, "comment on") is None or text is None:
                continue  # null: no comment
            if not isinstance(text, str):
                raise fail(f"{where}.comments.{qid}", "a comment is text.")
            too_long = comment_problem(text)
            if too_long:
                self.problem(f"comment on {qid!r}", too_long)
                self.skipped_comments.add(qid)
            elif text:
                content.comments[qid] = text
        for qid, rows in record.get("tables", {}).items():
            table = self.question(qid, "table")
            if table is None:
                continue
            if not table.is_table:
                self.problem(f"table {qid!r}", 'is not a table: give its answer under "answers"')
                continue
            if not isinstance(rows, list):
                raise fail(f"{where}.tables.{qid}", "a list of rows is needed.")
            content.tables[qid] = [
                self.row(table, row, n, f"{where}.tables.{qid}[{n}]", fail)
                for n, row in enumerate(rows)
            ]
        return content

    def row(self, table: Question, row: Any, index: int, where: str, fail: Any) -> TableRow:
        if not isinstance(row, dict) or not isinstance(row.get("cells", {}), dict):
            raise fail(where, 'a row is an object {"id": …, "cells": {…}}.')
        unknown = sorted(set(row) - {"id", "cells"})
        if unknown:
            raise fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}.")
        row_id = row.get("id")
        if row_id is not None and not isinstance(row_id, str):
            raise fail(f"{where}.id", "a row id is text (or null for a new row).")
        cells: dict[str, Any] = {}
        place = f"table {table.id!r} ({table.label}), {table.row_label} {index + 1}"
        columns = {c.id: c for c in table.columns}
        for column_id, raw in row.get("cells", {}).items():
            column = columns.get(column_id)
            if column is None:
                self.problem(f"{place}, column {column_id!r}", "the table has no such column")
                continue
            if is_empty(raw):
                cells[column_id] = raw  # kept as stored: a blank cell reads back blank
                continue
            try:
                value = json_value(column, raw)
            except InvalidAnswer as exc:
                self.skipped_cells.add((table.id, index, column_id))
                self.problem(f"{place}, column {column_id!r} ({column.label})", str(exc))
                continue
            cells[column_id] = value
        return TableRow(row_id or None, cells)
