"""From a recognised foreign file to rows bound for audits, and then into the workspace.

Reading happens once (`read_foreign`); planning (`plan_foreign`) is re-run whenever the
user changes the sheet, mapping, filter or routing, and decides for every source row
where it goes or why it is left out; `apply_foreign` writes the plan in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

from importers.accounting import account, duplicate_headers, other_sheets
from importers.column_mapping import ColumnMapping, header_signature
from importers.counted_once import count_once
from importers.department_match import DepartmentMatcher
from importers.foreign_records import (
    Choices,
    ForeignFile,
    ForeignPlan,
    PlannedRow,
    Target,
    WorkspaceFacts,
    sheet_key,
)
from importers.formats import Format
from importers.header_detect import SCAN_ROWS
from importers.import_report import IMPORTED, PROBLEM, SKIPPED, ImportReport, ReportLine
from importers.layouts import Recognition, recognise
from importers.readers import open_source
from importers.source_table import (
    ExtractedRow,
    ImportFileError,
    SourceBook,
)
from importers.tech_filter import technology_reason
from models.foreign_imports import (
    mapping_for_shape,
    mapping_named,
)
from models.gc_pause import gc_paused
from models.progress import Progress, ShouldCancel
from models.questionnaire import Questionnaire
from models.records import Department
from models.store import Store
from models.workbook_format.layout import METADATA_SHEET

_YEAR_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")

# Why a row the technology filter leaves out is left out (the preview lets it be ticked back).
NOT_TECHNOLOGY = "not technology (no technology profession, job title or project category)"
BY_YOU = "left out by you in the preview"
OWN_WORKBOOK_SHEET = METADATA_SHEET  # the app's own workbooks have it


@gc_paused()
def read_foreign(
    path: Path | str,
    questionnaire: Questionnaire,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> ForeignFile:
    """Open a file (guards first) and recognise its sheets; raises ImportFileError."""
    path = Path(path)
    book = open_source(path, progress=progress, should_cancel=should_cancel)  # guards first
    try:
        if OWN_WORKBOOK_SHEET in book.sheet_names():
            return ForeignFile(book, [], own_workbook=True)
        recognitions = recognise(book, questionnaire)
    except BaseException:
        book.close()
        raise
    if not recognitions:
        try:
            message = _why_no_header(book)
        finally:
            book.close()
        raise ImportFileError(path, message)
    return ForeignFile(book, recognitions)


def _why_no_header(book: SourceBook) -> str:
    """What to tell the user when no sheet has a header over data: headers alone, or neither."""
    for sheet in book.sheet_names():
        filled = []
        for row in islice(book.rows(sheet), SCAN_ROWS):
            if any(cell not in (None, "") for cell in row):
                filled.append(row)
        if len(filled) == 1:
            shown = [str(c) for c in filled[0] if c not in (None, "")]
            names = ", ".join(shown[:4]) + (", …" if len(shown) > 4 else "")
            where = "" if book.kind == "csv" else f" (sheet {sheet!r})"
            return (
                f"has column names ({names}) but no rows of data under them{where}: there "
                "is nothing to import"
            )
    if not any(True for sheet in book.sheet_names() for _ in islice(book.rows(sheet), 1)):
        return "has no rows at all: there is nothing to import"
    return (
        "no sheet has a header row Baseline can read (a row of column names above the "
        "data). Check that this is the file you meant, or save the data as CSV with one "
        "header row."
    )


def remembered_mapping(
    store: Store, recognition: Recognition, name: str = ""
) -> ColumnMapping | None:
    """The mapping saved under `name`, or the last one saved for a header of this shape."""
    saved = (
        mapping_named(store, name)
        if name
        else mapping_for_shape(store, header_signature(recognition.header))
    )
    if saved is None:
        return None
    mapping = ColumnMapping.from_json(saved.mapping)
    if any(i is not None and i >= recognition.header.width for i in mapping.columns.values()):
        return None  # saved for a wider file: it cannot apply here
    return mapping


@gc_paused()
def plan_foreign(
    facts: WorkspaceFacts,
    foreign: ForeignFile,
    choices: Choices,
    questionnaire: Questionnaire,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> ForeignPlan:
    """Decide for every source row where it goes, or why it is left out."""
    recognition = foreign.recognitions[choices.recognition]
    mapping = choices.mapping or recognition.mapping
    tech = recognition.tech_filter if choices.tech_filter is None else choices.tech_filter
    matcher = DepartmentMatcher(facts.departments)
    chosen: Department | None = None
    if choices.department:
        chosen = facts.department(choices.department)
        if chosen is None:
            raise ImportFileError(
                foreign.path,
                f"there is no department {choices.department!r} in this workspace. "
                "Add it first, or leave the department out to route rows by the file's own "
                "department column.",
            )
    table = questionnaire.question(mapping.target)
    report = ImportReport(
        file_name=foreign.path.name,
        checksum=foreign.book.checksum,
        layout=recognition.title,
        sheet=recognition.sheet if foreign.book.kind != "csv" else "",
        table=table.label,
    )
    report.notes.extend(foreign.book.warnings)
    report.notes.extend(recognition.notes)
    report.notes.extend(duplicate_headers(recognition, mapping))
    report.notes.extend(other_sheets(foreign.recognitions, recognition))
    extracted = foreign.rows_for(
        choices.recognition, mapping, questionnaire, progress, should_cancel
    )
    account(
        report,
        recognition,
        mapping,
        questionnaire,
        extracted,
        explicit_mapping=(
            choices.mapping is not None
            if choices.explicit_mapping is None
            else choices.explicit_mapping
        ),
        whole_department_confirmed=choices.whole_department,
    )
    planned = []
    part, previous = 0, -1
    fmt = recognition.format
    for row in extracted:
        part = part + 1 if row.source_row == previous else 0
        previous = row.source_row
        item = _place(row, chosen, matcher, tech, choices, part, fmt)
        item.part = part
        planned.append(item)
    cycle = choices.cycle.strip()
    replaces = count_once(
        facts, planned, cycle, foreign.book.checksum, table, choices.replace_earlier
    )
    targets = _targets(
        facts,
        planned,
        cycle,
        mapping.target,
        foreign.book.checksum,
        sheet_key(foreign, recognition),
    )
    signed = {t.department.id for t in targets if t.signed_off}
    for item in planned:
        if item.imported and item.department is not None and item.department.id in signed:
            item.reason = f"the {item.department.name} audit for {cycle} is signed off"
    _report(report, planned, cycle)
    report.notes.extend(sorted(set(matcher.routes.values())))
    if not cycle:
        report.notes.append("Choose the audit cycle the rows belong to before importing.")
    if replaces:
        count = sum(len(ids) for ids in replaces.values())
        report.notes.append(
            f"{count:,} rows that an earlier import of another file added for the same "
            "bodies and months, posts or programmes are replaced by this file's, as you chose"
        )
    return ForeignPlan(foreign, recognition, mapping, planned, targets, report, tech, replaces)


def _place(
    row: ExtractedRow,
    chosen: Department | None,
    matcher: DepartmentMatcher,
    tech: bool,
    choices: Choices,
    part: int = 0,
    fmt: Format | None = None,
) -> PlannedRow:
    as_of = _month(row)
    named = matcher.match(row.department, as_of) if row.department else None
    if row.skip:
        return PlannedRow(row, named or chosen, row.skip)
    if choices.exclude and (
        row.source_row in choices.exclude or (row.source_row, part) in choices.exclude
    ):
        return PlannedRow(row, named or chosen, BY_YOU)
    if chosen is not None:
        if row.department and named is not None and named.id != chosen.id:
            return PlannedRow(row, named, f"for {named.name}, not {chosen.name}")
        if row.department and named is None and _names_other(row.department, chosen):
            return PlannedRow(row, None, f"for {row.department!r}, not {chosen.name}")
        body = "" if row.department else str(row.source.get("organisation") or "")
        owner = matcher.match(body, as_of) if body else None  # no department: the body's own
        if owner is not None and owner.id != chosen.id:
            why = f"for {owner.name} (organisation {body!r}), not {chosen.name}"
            return PlannedRow(row, owner, why)
        department: Department | None = chosen
    elif not row.department:
        return PlannedRow(row, None, "names no department: choose the department to import into")
    elif named is None:
        return PlannedRow(
            row, None, f"department {row.department!r} is not in this workspace (add it first)"
        )
    else:
        department = named
    judge = fmt.technology if fmt is not None else technology_reason
    reason = judge(row.source) if tech else None
    if tech and reason is None and not _kept(choices.include, row.source_row, part):
        return PlannedRow(row, department, NOT_TECHNOLOGY, None)
    return PlannedRow(row, department, "", reason)


def _month(row: ExtractedRow) -> str:
    """The month a row's figures describe ('2023-05'), for names as they were then; '' if unsaid."""
    month = row.cells.get("month")
    return month if isinstance(month, str) and _YEAR_MONTH.fullmatch(month) else ""


def _kept(include: set[int | tuple[int, int]], source_row: int, part: int) -> bool:
    """Whether the user ticked this row (the whole source row, or this part of it) back in."""
    return source_row in include or (source_row, part) in include


def _names_other(text: str, chosen: Department) -> bool:
    """Whether unmatched department text plainly names some other department."""
    from models.department_history import key

    return key(text) not in (key(chosen.name), key(chosen.abbreviation or chosen.name))


def _targets(
    facts: WorkspaceFacts,
    planned: Sequence[PlannedRow],
    cycle: str,
    table_id: str,
    checksum: str,
    sheet: str,
) -> list[Target]:
    counts: dict[str, int] = {}
    departments: dict[str, Department] = {}
    for item in planned:
        if item.imported and item.department is not None:
            counts[item.department.id] = counts.get(item.department.id, 0) + 1
            departments[item.department.id] = item.department
    targets = []
    for dept_id, count in counts.items():
        audit = facts.audit(dept_id, cycle) if cycle else None
        earlier = facts.repeats(audit.id, checksum, table_id, sheet) if audit else []
        signed = audit is not None and audit.status == "signed_off"
        edited = sum(facts.edited.get(i, 0) for i in earlier)
        targets.append(
            Target(
                departments[dept_id],
                cycle,
                audit.id if audit else None,
                count,
                len(earlier),
                signed,
                edited,
            )
        )
    targets.sort(key=lambda t: t.department.name.lower())
    return targets


def _report(report: ImportReport, planned: Sequence[PlannedRow], cycle: str) -> None:
    """A line for each row (imported or why not) and each of its values left blank."""
    labels: dict[str, str] = {}  # department id -> "Name, cycle", the report's audit
    add = report.add
    for item in planned:
        dept = item.department
        if dept is None:
            audit = ""
        else:
            audit = labels.get(dept.id) or labels.setdefault(dept.id, f"{dept.name}, {cycle}")
        row = item.row
        if item.reason:  # not imported
            add(ReportLine(row.source_row, SKIPPED, audit, item.reason))
            for problem in row.problems if row.skip else ():  # the file's own, not routing
                add(ReportLine(row.source_row, PROBLEM, audit, problem))
            if item.problem:  # counted already: the import stops until accepted
                add(ReportLine(row.source_row, PROBLEM, audit, item.problem))
            continue
        detail = "; ".join(part for part in (item.technology, row.note) if part)
        add(ReportLine(row.source_row, IMPORTED, audit, detail))
        for problem in row.problems:
            add(ReportLine(row.source_row, PROBLEM, audit, problem))


# Writing the plan lives in foreign_apply.py; it is imported from here as before.
from importers.foreign_apply import apply_foreign  # noqa: E402

__all__ = [
    "BY_YOU",
    "NOT_TECHNOLOGY",
    "Choices",
    "ForeignFile",
    "ForeignPlan",
    "PlannedRow",
    "Target",
    "WorkspaceFacts",
    "apply_foreign",
    "plan_foreign",
    "read_foreign",
    "remembered_mapping",
]
