"""The board report's recommendations page: a table of the decisions asked of the board, then
each recommendation with its owner, timescale, success measure and the findings it answers.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from exporters.board_report import BoardReportData
from exporters.pdf_document import FRAME_WIDTH, RULE, SHADE, Styles, para, safe
from exporters.pdf_fonts import SANS
from exporters.report_blocks import grid, heading
from models.recommendations import Recommendation, finding_links

PRIORITY_LABELS = {1: "Priority 1: act now", 2: "Priority 2: act this year", 3: "Priority 3: plan"}
LINK_COLOUR = "#1d3557"


def recommendations(data: BoardReportData, styles: Styles) -> list[Flowable]:
    story = heading("Recommendations", styles.h1, 0, "recommendations")
    if not data.recommendations:
        story.append(
            para(
                "The answers recorded trigger none of the questionnaire's recommendation rules.",
                styles.body,
            )
        )
        return story
    story.append(
        para(
            "Each recommendation follows from the answers listed under it, by rules kept with "
            "the questionnaire, and names the post that owns it, when it is due, how success "
            "will be seen and the decision asked of the board. Priority 1 items need the "
            "board's attention now.",
            styles.muted,
        )
    )
    answers = _answered_findings(data)
    story += heading(
        "Decisions for the board", styles.h2, 1, "recommendations", outline="Decisions"
    )
    rows = [
        [
            link(f"{number}", f"rec-{number}", styles.cell),
            rec.title,
            rec.owner,
            rec.timescale,
            rec.decision,
        ]
        for number, rec in enumerate(data.recommendations, 1)
    ]
    story.append(
        grid(
            ("No", "Recommendation", "Owner", "By when", "Decision for the board"),
            rows,
            styles,
            (0.5, 2.5, 1.7, 1.15, 3.0),
        )
    )
    for number, rec in enumerate(data.recommendations, 1):
        block: list[Flowable] = [
            anchor_para(f"rec-{number}", f"Recommendation {number}: {rec.title}", styles.h2),
            para(PRIORITY_LABELS.get(rec.priority, f"Priority {rec.priority}"), styles.muted),
            para(rec.text, styles.body),
        ]
        for finding in answers.get(number - 1, []):
            block.append(
                link(
                    f"Responds to Finding {finding + 1} of the executive summary",
                    f"finding-{finding + 1}",
                    styles.small,
                )
            )
        for evidence in rec.evidence:
            block.append(para(f"Because: {evidence.label} — {evidence.value}", styles.quote))
        block += [Spacer(1, 4), board_fields_table(rec, styles), Spacer(1, 6)]
        story.append(KeepTogether(block))
    return story


def _answered_findings(data: BoardReportData) -> dict[int, list[int]]:
    """For each recommendation (0-based), the key findings (0-based) it answers."""
    answered: dict[int, list[int]] = {}
    for finding, recs in finding_links(data.findings, data.recommendations).items():
        for rec in recs:
            answered.setdefault(rec, []).append(finding)
    return answered


def link_markup(text: str, target: str) -> str:
    """Escaped text that jumps to the anchor `target` elsewhere in the report when clicked."""
    return f'<a href="#{target}" color="{LINK_COLOUR}">{safe(text)}</a>'


def link(text: str, target: str, style: Any) -> Paragraph:
    """A paragraph that is one link (see link_markup)."""
    return Paragraph(link_markup(text, target), style)


def anchor_para(name: str, text: str, style: Any) -> Paragraph:
    """A paragraph that is the target of `link(…, name)`."""
    return Paragraph(f'<a name="{name}"/>{safe(text)}', style)


def board_fields_table(rec: Recommendation, styles: Styles) -> Table:
    """Owner, by when, success measure and decision as a labelled panel."""
    rows = [
        ("Owner", rec.owner),
        ("By when", rec.timescale),
        ("Success measure", rec.measure),
        ("Decision for the board", rec.decision),
    ]
    data = [[para(label, styles.cell_bold), para(value, styles.cell)] for label, value in rows]
    table = Table(data, colWidths=[FRAME_WIDTH * 0.24, FRAME_WIDTH * 0.76], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS, 8.5),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
