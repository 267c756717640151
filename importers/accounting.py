"""Never silently partial: every column of the source accounted for, columns the mapper cannot
tell apart refused, the file's own totals checked, and whole-department figures confirmed.

The planner calls `account` once per plan; what it finds goes into the report (`columns`,
`refused`, `checks`, `confirm`) and the command line and wizard act on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from importers.column_mapping import ColumnMapping
from importers.formats.base import Recognition
from importers.import_report import ImportReport
from importers.source_table import ExtractedRow, column_letter
from models.questionnaire import Questionnaire

TECHNOLOGY_TABLES = frozenset({"workforce_mix", "senior_roles"})


def _name(recognition: Recognition, index: int) -> str:
    name = recognition.header.names[index] if index < recognition.header.width else ""
    return f"column {column_letter(index)}" + (f" {name!r}" if name else "")


def account(
    report: ImportReport,
    recognition: Recognition,
    mapping: ColumnMapping,
    questionnaire: Questionnaire,
    rows: Sequence[ExtractedRow],
    *,
    explicit_mapping: bool,
    whole_department_confirmed: bool,
) -> None:
    """Fill the report's column accounting, refusals, totals checks and confirmation."""
    table = questionnaire.question(mapping.target)
    used = set(mapping.mapped.values()) | set(mapping.source_fields.values())
    for index in range(recognition.header.width):
        if index in used:
            continue
        why = recognition.left_out.get(index)
        if why is None and recognition.format is not None and recognition.format.editable:
            why = f"not a column the {recognition.title} import reads"
        if why is None and recognition.format is None:
            why = f"not mapped to any column of {table.label!r}"
        if why is None:
            continue  # a fixed layout reads it (WMI count columns)
        if not recognition.header.parts[index] and index not in recognition.left_out:
            continue  # no header and no data under it
        report.columns.append(f"{_name(recognition, index)}: {why}")
    report.refused.extend(recognition.blocking)
    if not explicit_mapping:
        report.refused.extend(_indistinct(recognition, mapping))
    checks = [row.check for row in rows if row.check is not None]
    if checks:
        agreed = sum(1 for ok, _ in checks if ok)
        report.checks.append(
            f"{agreed} of {len(checks)} rows agree" + ("" if agreed == len(checks) else ":")
        )
        report.checks.extend(f"  {text}" for ok, text in checks if not ok)
    why = recognition.whole_department
    if why and mapping.target in TECHNOLOGY_TABLES:
        report.confirm = (
            f"these figures are for whole departments, not their technology staff ({why}); "
            f"importing them into {table.label!r} counts every member of staff as technology "
            "workforce"
        )
        report.confirmed = whole_department_confirmed
        if whole_department_confirmed:
            report.notes.append(
                "imported as whole-department figures, as confirmed: " + report.confirm
            )


def _indistinct(recognition: Recognition, mapping: ColumnMapping) -> list[str]:
    """Mapped columns whose header another column repeats: the mapper cannot tell them apart."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(recognition.header.names):
        if name.strip():
            columns.setdefault(" ".join(name.lower().split()), []).append(index)
    refused = []
    for column_id, index in mapping.mapped.items():
        name = " ".join(recognition.header.names[index].lower().split())
        same = columns.get(name, [])
        if len(same) < 2:
            continue
        letters = ", ".join(column_letter(i) for i in same)
        refused.append(
            f"columns {letters} are all headed {recognition.header.names[index]!r}, and "
            f"{column_id!r} would be read from column {column_letter(index)} alone: map the "
            "columns yourself (in the wizard, or a saved mapping with --mapping)"
        )
    return refused


def other_sheets(recognitions: Sequence[Recognition], recognition: Recognition) -> list[str]:
    """Which other sheets of the file were read as the same format (one is imported)."""
    same = [
        r.sheet
        for r in recognitions
        if r is not recognition and r.format is not None and r.format is recognition.format
    ]
    if not same:
        return []
    shown = ", ".join(repr(s) for s in same[:6]) + (", …" if len(same) > 6 else "")
    return [
        f"{len(same)} other sheet{'s' if len(same) != 1 else ''} of this file "
        f"{'are' if len(same) != 1 else 'is'} read the same way ({shown}): only sheet "
        f"{recognition.sheet!r} is imported; choose another sheet to import it instead"
    ]


def duplicate_headers(recognition: Recognition, mapping: ColumnMapping) -> list[str]:
    """A note for each header name used by more than one column: which one is read."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(recognition.header.names):
        if name.strip():
            columns.setdefault(" ".join(name.lower().split()), []).append(index)
    used = set(mapping.mapped.values()) | set(mapping.source_fields.values())
    notes = []
    for indexes in columns.values():
        if len(indexes) < 2:
            continue
        letters = " and ".join(column_letter(i) for i in indexes)
        name = recognition.header.names[indexes[0]]
        read = [column_letter(i) for i in indexes if i in used]
        which = f"column {', '.join(read)} is read" if read else "neither is read"
        notes.append(
            f"columns {letters} are both headed {name!r}: {which}; check it is the right one"
        )
    return notes
