"""Rows counted once: a body's month of staff, a post or a programme that the audit already
holds from another file (or typed in) is left out and said, never added again; so is a
body's month given twice in one workforce file.

The same return or organogram re-saved as XLSX, a corrected re-publication, or two months
joined with no month column would otherwise count staff, posts or programmes (and their
whole-life costs) twice, with exit status 0."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from importers.foreign_records import PlannedRow, WorkspaceFacts
from models.foreign_imports import ROW_KEYS, RowKey, row_key
from models.questionnaire import Question
from models.records import Audit

WORKFORCE = "department_workforce"  # one file gives each body's month once
ALREADY = "already in the audit from another file (listed as a problem)"
AGAIN = "given twice in this file (listed as a problem)"


def count_once(
    facts: WorkspaceFacts,
    planned: Sequence[PlannedRow],
    cycle: str,
    checksum: str,
    table: Question,
    replace: bool = False,
) -> dict[str, list[str]]:
    """Leave out, as a problem naming where the figures already are, every row whose key
    (ROW_KEYS) the audit already holds from another file or typing (this very file's earlier
    import is a repeat, replaced or skipped as the user chooses), or, for the department's
    workforce, an earlier row of this file gives. With `replace` (the user's choice for a
    corrected return) rows another file's import added are replaced instead: their ids, by
    department, are returned for the import to delete in its transaction."""
    replaced: dict[str, list[str]] = {}
    if table.id not in ROW_KEYS:
        return replaced
    held_by_audit = facts.held.get(table.id, {})
    seen: dict[tuple[str, RowKey], int] = {}
    audits: dict[str, Audit | None] = {}
    for item in planned:
        if not item.imported or item.department is None:
            continue
        key = row_key(table.id, item.row.cells)
        if not any(key):
            continue  # nothing that identifies the row: not judged
        dept_id = item.department.id
        if dept_id not in audits:  # one look-up per department, not per row
            audits[dept_id] = facts.audit(dept_id, cycle) if cycle else None
        audit = audits[dept_id]
        held = held_by_audit.get(audit.id, {}).get(key) if audit is not None else None
        what = _what(item.row.cells, table)
        if held is not None and held[1] != checksum and replace and held[0]:
            replaced.setdefault(dept_id, []).extend(held[2])  # a corrected copy: replaced
        elif held is not None and held[1] != checksum:
            how = (
                f"from {held[0]}): not imported again. To replace them with this file's (a "
                "corrected return), choose to replace them: --on-repeat replace, or the "
                "import window's 'Replace what other files added'"
                if held[0]
                else "entered by hand): not imported again. Delete those rows first to import "
                "this file's"
            )
            item.reason = ALREADY
            item.problem = f"{what} is already in the {item.department.name} audit ({how}"
        elif table.id == WORKFORCE and (item.department.id, key) in seen:
            first = seen[(item.department.id, key)]
            item.reason = AGAIN
            item.problem = (
                f"{what} is given again (row {first} has it): two returns joined without their "
                "months? Counted once"
            )
        else:
            seen.setdefault((item.department.id, key), item.row.source_row)
    return {d: sorted(set(ids)) for d, ids in replaced.items()}


def _what(cells: dict[str, Any], table: Question) -> str:
    """The row as the table shows it: 'DWP, 2025-01, Payroll staff AO/AA', "post 55 'Local
    Director'", "programme 'Falcon IT Platform'"."""
    if table.id == "senior_roles":
        return f"post {cells.get('post_ref') or '(no reference)'} {cells.get('job_title')!r}"
    if table.id == "major_programmes":
        return f"programme {cells.get('name')!r}"
    month = cells.get("month") or "no month"
    group = table.column("staff_group").option_label(str(cells.get("staff_group") or ""))
    grade = str(cells.get("grade_group") or "")
    if grade and grade != "all_grades":
        group += " " + table.column("grade_group").option_label(grade)
    return f"{cells.get('body') or '(no body)'}, {month}, {group}"
