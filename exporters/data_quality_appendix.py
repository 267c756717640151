"""The board report's appendix of open data-quality notes: what to resolve before sign-off."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from exporters.pdf_document import WIDE_FRAME_WIDTH, Styles, para
from exporters.pdf_tables import Column, RowsTable
from exporters.report_blocks import heading
from models.data_quality import DataQualityNote


def data_quality_appendix(
    notes: Sequence[DataQualityNote], letter: str, styles: Styles, *, signed_off: bool = False
) -> list[Flowable]:
    """Appendix `letter` listing every open note, or nothing when every check passes."""
    if not notes:
        return []
    title = f"Appendix {letter}: Open data-quality notes"
    n = len(notes)
    story: list[Flowable] = [NextPageTemplate("wide"), PageBreak()]
    story += heading(title, styles.h1, 0, "appendix", letter)
    story.append(
        para(
            f"{n} open note{'s' if n != 1 else ''}: data-quality checks that the questionnaire "
            "defines and this audit's answers do not pass. The figures in this report are "
            "computed from the answers as they stand; "
            + (
                "these notes were still open when the audit was signed off. "
                if signed_off
                else "resolve each note, or record why it stands, before the audit is signed off. "
            )
            + "Row numbers are those of the table appendices.",
            styles.body,
        )
    )
    columns = [Column("Where", 2.0), Column("Note", 3.0)]
    rows = [[note.place, note.message] for note in notes]
    story.append(Spacer(1, 4))
    story.append(RowsTable(columns, rows, width=WIDE_FRAME_WIDTH, max_lines=8))
    return story
