"""The board report's recommendations page: a table of the decisions asked of the board, then
each recommendation with its owner, timescale, success measure and the findings it answers.
"""

from __future__ import annotations

from exporters.board_report import BoardReportData
from exporters.report_content import (
    Block,
    Fields,
    Grid,
    Heading,
    Link,
    Space,
    Text,
    Together,
    text,
)
from models.recommendations import Recommendation, finding_links

PRIORITY_LABELS = {1: "Priority 1: act now", 2: "Priority 2: act this year", 3: "Priority 3: plan"}


def recommendations(data: BoardReportData) -> list[Block]:
    blocks: list[Block] = [Heading("Recommendations", 1, ("recommendations",))]
    if not data.recommendations:
        blocks.append(
            text("The answers recorded trigger none of the questionnaire's recommendation rules.")
        )
        return blocks
    blocks.append(
        text(
            "Each recommendation follows from the answers listed under it, by rules kept with "
            "the questionnaire, and names the post that owns it, when it is due, how success "
            "will be seen and the decision asked of the board. Priority 1 items need the "
            "board's attention now.",
            "muted",
        )
    )
    answers = _answered_findings(data)
    blocks.append(Heading("Decisions for the board", 2, ("recommendations",), "Decisions"))
    rows = tuple(
        (Link(f"{number}", f"rec-{number}"), rec.title, rec.owner, rec.timescale, rec.decision)
        for number, rec in enumerate(data.recommendations, 1)
    )
    blocks.append(
        Grid(
            ("No", "Recommendation", "Owner", "By when", "Decision for the board"),
            rows,
            (0.5, 2.5, 1.7, 1.15, 3.0),
        )
    )
    for number, rec in enumerate(data.recommendations, 1):
        block: list[Block] = [
            Heading(f"Recommendation {number}: {rec.title}", 2, anchor=f"rec-{number}"),
            text(PRIORITY_LABELS.get(rec.priority, f"Priority {rec.priority}"), "muted"),
            text(rec.text),
        ]
        for finding in answers.get(number - 1, []):
            words = f"Responds to Finding {finding + 1} of the executive summary"
            block.append(Text((Link(words, f"finding-{finding + 1}"),), "small"))
        for evidence in rec.evidence:
            block.append(text(f"Because: {evidence.label} — {evidence.value}", "quote"))
        block += [Space(4), board_fields(rec), Space(6)]
        blocks.append(Together(tuple(block)))
    return blocks


def _answered_findings(data: BoardReportData) -> dict[int, list[int]]:
    """For each recommendation (0-based), the key findings (0-based) it answers."""
    answered: dict[int, list[int]] = {}
    for finding, recs in finding_links(data.findings, data.recommendations).items():
        for rec in recs:
            answered.setdefault(rec, []).append(finding)
    return answered


def board_fields(rec: Recommendation) -> Fields:
    """Owner, by when, success measure and decision as a labelled panel."""
    return Fields(
        (
            ("Owner", rec.owner),
            ("By when", rec.timescale),
            ("Success measure", rec.measure),
            ("Decision for the board", rec.decision),
        )
    )
