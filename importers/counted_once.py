"""Whole-department workforce rows counted once: a month already in the audit, or a body's
month given twice in one file, is left out and said, never added again.

The same return re-saved as XLSX, a corrected re-publication, or two months joined with no
month column would otherwise double the department's staff with exit status 0."""

from __future__ import annotations

from collections.abc import Sequence

from importers.foreign_records import PlannedRow, WorkspaceFacts
from models.foreign_imports import WorkforceKey, workforce_key
from models.questionnaire import Question

TABLE = "department_workforce"


def count_once(
    facts: WorkspaceFacts,
    planned: Sequence[PlannedRow],
    cycle: str,
    checksum: str,
    table: Question,
) -> None:
    """Leave out, as a problem naming where the figures already are, every row whose body,
    month, staff group and grade group the audit already holds (from another file: this
    very file's earlier import is a repeat, replaced or skipped as the user chooses) or an
    earlier row of this file gives."""
    seen: dict[tuple[str, WorkforceKey], int] = {}
    for item in planned:
        if not item.imported or item.department is None:
            continue
        cells = item.row.cells
        key = workforce_key(
            cells.get("body"),
            cells.get("month"),
            cells.get("staff_group"),
            cells.get("grade_group"),
        )
        audit = facts.audit(item.department.id, cycle) if cycle else None
        held = facts.workforce.get(audit.id, {}).get(key) if audit is not None else None
        what = _what(cells, table)
        if held is not None and held[1] != checksum:
            where = f"from {held[0]}" if held[0] else "entered by hand"
            item.reason = f"already in the audit ({where}): {what}"
            item.problem = f"{what} is already in the {item.department.name} audit ({where}): " + (
                "not imported again. Delete those rows first to replace them with this file's"
            )
        elif (item.department.id, key) in seen:
            first = seen[(item.department.id, key)]
            item.reason = f"the same figures as row {first}: {what}"
            item.problem = (
                f"{what} is given again (row {first} has it): two returns joined without their "
                "months? Counted once"
            )
        else:
            seen[(item.department.id, key)] = item.row.source_row


def _what(cells: dict[str, object], table: Question) -> str:
    """'Department for Work and Pensions, 2025-01, Payroll staff AO/AA', as the table shows it."""
    month = cells.get("month") or "no month"
    group = table.column("staff_group").option_label(str(cells.get("staff_group") or ""))
    grade = str(cells.get("grade_group") or "")
    if grade and grade != "all_grades":
        group += " " + table.column("grade_group").option_label(grade)
    return f"{cells.get('body') or '(no body)'}, {month}, {group}"
