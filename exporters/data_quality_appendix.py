"""The board report's appendix of open data-quality notes: what to resolve before sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exporters.report_content import Appendix, Column, LongTable, Space, text
from models.data_quality import DataQualityNote

TITLE = "Open data-quality notes"


def data_quality_appendix(
    notes: Sequence[DataQualityNote], *, signed_off: bool = False
) -> list[Appendix]:
    """The appendix listing every open note, or none when every check passes."""
    if not notes:
        return []
    n = len(notes)
    lead = text(
        f"{n} open note{'s' if n != 1 else ''}: data-quality checks that the questionnaire "
        "defines and this audit's answers do not pass. The figures in this report are "
        "computed from the answers as they stand; "
        + (
            "these notes were still open when the audit was signed off. "
            if signed_off
            else "resolve each note, or record why it stands, before the audit is signed off. "
        )
        + "Row numbers are those of the table appendices."
    )
    columns = (Column("Where", 2.0), Column("Note", 3.0))
    rows = [[note.place, note.message] for note in notes]
    return [Appendix(TITLE, [lead, Space(4), LongTable(columns, rows, max_lines=8)])]


def data_quality_appendices(data: Any) -> list[Appendix]:
    """The board report's data-quality appendix (an AppendixSource)."""
    return data_quality_appendix(
        data.data_quality, signed_off=data.figures.audit.status == "signed_off"
    )
