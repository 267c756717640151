"""What the import wizard has read and chosen so far, and what follows from it (no widgets).

The wizard (ui/import_wizard.py) shows this state in its pages; the work it starts is in
ui/import_tasks.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from importers.column_mapping import ColumnMapping, Suggestion, suggest_mapping
from importers.source_table import CellValue
from ui.import_sources import Read, copy_mapping

if TYPE_CHECKING:
    from importers.foreign_plan import Choices, ForeignFile, ForeignPlan, WorkspaceFacts
    from importers.import_report import ImportReport
    from importers.layouts import Recognition
    from models.questionnaire import Question, Questionnaire
    from models.store import Store


class ImportState:
    """The file read, the layout and mapping chosen per recognition, the rows ticked, the plan."""

    def __init__(self, path: Path, questionnaire: Questionnaire) -> None:
        self.path = path
        self.questionnaire = questionnaire
        self.read: Read | None = None
        self.recognition_index = 0
        self.mappings: dict[int, ColumnMapping] = {}  # per recognition: the mapping in use
        self.remembered: dict[int, str] = {}  # per recognition: the saved mapping's name
        self.edited: set[int] = set()  # recognitions whose mapping the user changed
        self.include: set[int | tuple[int, int]] = set()  # PlannedRow.key of rows ticked in
        self.exclude: set[int | tuple[int, int]] = set()  # and of rows ticked out
        self.plan: ForeignPlan | None = None
        self.importing: ForeignPlan | None = None  # the plan being written
        self.report: ImportReport | None = None
        self.closed_audit: str | None = None  # the open audit, closed while importing into it

    @property
    def foreign(self) -> ForeignFile | None:
        return self.read.foreign if self.read is not None else None

    @property
    def recognition(self) -> Recognition:
        assert self.foreign is not None
        return self.foreign.recognitions[self.recognition_index]

    def mapping(self) -> ColumnMapping:
        """The mapping in use for the chosen recognition (edited, remembered or recognised)."""
        index = self.recognition_index
        if index not in self.mappings:
            self.mappings[index] = copy_mapping(self.recognition.mapping)
        return self.mappings[index]

    def table(self) -> Question:
        return self.questionnaire.question(self.mapping().target)

    def suggestions(
        self, recognition: Recognition, table: Question, sample: Sequence[Sequence[CellValue]]
    ) -> dict[str, list[Suggestion]]:
        if not recognition.editable:
            return {}
        return suggest_mapping(recognition.header, sample, table)[1]

    def derived(
        self,
        recognition: Recognition,
        mapping: ColumnMapping,
        sample: Sequence[Sequence[CellValue]],
    ) -> dict[str, list[str]]:
        """Up to three values per table column, as the layout extracts them from the sample."""
        from importers.layouts import extract_rows
        from ui.import_plan_model import value_text

        table = self.questionnaire.question(mapping.target)
        padded: list[Sequence[CellValue]] = [[] for _ in range(recognition.header.first_data_row)]
        found: dict[str, list[str]] = {}
        try:
            for row in extract_rows(
                recognition, [*padded, *sample], self.questionnaire, mapping=mapping
            ):
                for column in table.columns:
                    value = row.cells.get(column.id)
                    text = value_text(column, value) if value is not None else ""
                    seen = found.setdefault(column.id, [])
                    if text and text not in seen and len(seen) < 3:
                        seen.append(text)
        except (ValueError, KeyError):
            return {}
        return {k: v for k, v in found.items() if v}


def summary_text(plan: ForeignPlan) -> str:
    """The preview's one-paragraph account of the plan: what goes where, what is left out."""
    left = sum(1 for r in plan.rows if not r.imported)
    if not plan.importable:
        return f"No rows will be imported; {left:,} left out (the table says why)."
    audits = []
    for target in plan.targets:
        name = target.department.abbreviation or target.department.name
        how = "new audit, marked as imported" if target.audit_id is None else "existing audit"
        replaced = len(plan.replaces.get(target.department.id, ()))
        if replaced:  # a corrected return, as the user chose
            how += f", replacing {replaced:,} row{'s' if replaced != 1 else ''} other files added"
        if target.signed_off:
            how = "signed off: not changed"
        rows = f"{target.rows:,} row{'s' if target.rows != 1 else ''}"
        audits.append(f"{name} {target.cycle} ({rows}, {how})")
    text = (
        f"{plan.importable:,} row{'s' if plan.importable != 1 else ''} will be imported "
        f"into: {', '.join(audits)}; {left:,} left out"
    )
    problems = len(plan.report.problems)
    if problems:
        text += f"; {problems:,} value{'s' if problems != 1 else ''} left blank (marked ⚠)"
    return text + "."


def version_chosen(facts: WorkspaceFacts, choices: Choices) -> Questionnaire | None:
    """The questionnaire version of the audits the wizard's choices point at, which decides
    the tables (version 1 has no department-wide workforce); None when the cycle has both
    versions there, so the plan's own audits tell (version_planned)."""
    audits = [a for a in facts.audits if a.cycle == choices.cycle.strip()]
    if choices.department:
        audits = [a for a in audits if a.department_id == choices.department]
    if len({(a.questionnaire_id, a.questionnaire_version) for a in audits}) > 1:
        return None
    return facts.questionnaire_for(choices.department, choices.cycle)


def version_planned(store: Store, plan: ForeignPlan) -> Questionnaire | None:
    """The one version of every audit the plan's rows go to (a new audit: the newest)."""
    from models.questionnaire import current_questionnaire, get_questionnaire

    keys = set()
    for target in plan.targets:
        if target.audit_id is None:
            keys.add(current_questionnaire().key)
        else:
            audit = store.audit(target.audit_id)
            keys.add((audit.questionnaire_id, audit.questionnaire_version))
    return get_questionnaire(*keys.pop()) if len(keys) == 1 else None
