"""A Report (exporters/report_content.py) laid out as a PDF with reportlab.

Each block becomes the flowables the reports have always used (escaped paragraphs,
`grid` tables, drawn change arrows, RowsTable appendices, charts as vector drawings), on
the A4 templates and page furniture of `pdf_document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from exporters.pdf_document import (
    FRAME_WIDTH,
    RULE,
    SHADE,
    WIDE_FRAME_WIDTH,
    PageFurniture,
    ReportDocument,
    Styles,
    make_styles,
    para,
    safe,
)
from exporters.pdf_fonts import SANS
from exporters.pdf_tables import Column as RowsColumn
from exporters.pdf_tables import RowsTable
from exporters.report_blocks import ChangeCell, grid, heading
from exporters.report_content import (
    Block,
    Change,
    Fields,
    Figure,
    Grid,
    Heading,
    Inline,
    KeepSpace,
    Link,
    LongTable,
    NewPage,
    Report,
    Space,
    Text,
    Together,
)
from models.progress import Progress, no_progress

LINK_COLOUR = "#1d3557"


def figure_caption(number: int, figure: Figure) -> str:
    """The caption under a figure, the same in the PDF and in Word."""
    return f"Figure {number}: {figure.description}" if figure.description else f"Figure {number}"


def write_pdf(report: Report, path: Path, progress: Progress = no_progress) -> int:
    """Lay the report out into `path`; returns the page count."""
    furniture = report.furniture
    doc = ReportDocument(
        path,
        PageFurniture(
            furniture.marking, furniture.running_title, furniture.issued, draft=furniture.draft
        ),
        title=report.title,
        subject=report.subject,
        author=report.author,
        keywords=report.keywords,
        progress=progress,
    )
    return doc.build_story(flowables(report.blocks))


def flowables(
    blocks: Sequence[Block], styles: Styles | None = None, figures: list[int] | None = None
) -> list[Flowable]:
    """The blocks as reportlab flowables, in order; `figures` counts the figures so far."""
    styles = styles or make_styles()
    figures = [0] if figures is None else figures
    story: list[Flowable] = []
    for block in blocks:
        story += _render(block, styles, figures)
    return story


def _render(block: Block, styles: Styles, figures: list[int]) -> list[Flowable]:
    if isinstance(block, Heading):
        style = {1: styles.h1, 2: styles.h2}.get(block.level, styles.h3)
        if block.anchor:
            return [Paragraph(f'<a name="{block.anchor}"/>{safe(block.text)}', style)]
        if block.key:
            return heading(block.text, style, block.level - 1, *block.key, outline=block.outline)
        return [para(block.text, style)]
    if isinstance(block, Text):
        return [_paragraph(block, styles)]
    if isinstance(block, Grid):
        return [_grid(block, styles)]
    if isinstance(block, Fields):
        return [_fields(block, styles)]
    if isinstance(block, LongTable):
        columns = [RowsColumn(c.label, c.weight, numeric=c.numeric) for c in block.columns]
        return [RowsTable(columns, block.rows, width=WIDE_FRAME_WIDTH, max_lines=block.max_lines)]
    if isinstance(block, Figure):
        figures[0] += 1
        return [block.drawing, para(figure_caption(figures[0], block), styles.muted)]
    if isinstance(block, Space):
        return [Spacer(1, block.height)]
    if isinstance(block, KeepSpace):
        return [CondPageBreak(block.height)]
    if isinstance(block, NewPage):
        return [*([NextPageTemplate(block.layout)] if block.layout else []), PageBreak()]
    if isinstance(block, Together):
        return [KeepTogether(flowables(block.blocks, styles, figures))]
    raise TypeError(f"not a report block: {block!r}")


def link_markup(link: Link) -> str:
    """Escaped text that jumps to the anchor `link.target` elsewhere in the report."""
    words = safe(link.text)
    if link.underline:
        words = f"<u>{words}</u>"
    return f'<a href="#{link.target}" color="{LINK_COLOUR}">{words}</a>'


def _markup(parts: Sequence[Inline]) -> str:
    return "".join(safe(p) if isinstance(p, str) else link_markup(p) for p in parts)


def _paragraph(block: Text, styles: Styles) -> Paragraph:
    style = getattr(styles, block.style)
    if block.number:
        style = styles.bullet.clone(f"bullet{block.number}")
        style.bulletText = block.number
        style.bulletFontName = styles.body.fontName
    anchor = f'<a name="{block.anchor}"/>' if block.anchor else ""
    return Paragraph(anchor + _markup(block.parts), style)


def _grid(block: Grid, styles: Styles) -> Table:
    right = set(block.numeric)

    def cell(value: Any, index: int) -> Any:
        style = styles.cell_right if index in right else styles.cell
        if isinstance(value, Change):
            return ChangeCell(value.text, styles.cell) if value.text else ""
        if isinstance(value, Link):
            return Paragraph(link_markup(value), style)
        return value

    rows = [[cell(v, i) for i, v in enumerate(row)] for row in block.rows]
    tints = [(c, r, colors.HexColor(tint)) for c, r, tint in block.tints]
    return grid(
        block.header,
        rows,
        styles,
        block.widths,
        numeric=block.numeric,
        tints=tints,
        frame_width=WIDE_FRAME_WIDTH if block.wide else FRAME_WIDTH,
        bold_last=block.bold_last,
    )


def _fields(block: Fields, styles: Styles) -> Table:
    data = [
        [para(label, styles.cell_bold), para(value, styles.cell)] for label, value in block.rows
    ]
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
