"""A Report (exporters/report_content.py) written as a Word document with python-docx.

The same blocks as the PDF, on Word styles (see docx_styles): headings are Heading 1-3 (so
Word's navigation pane and a tagged PDF saved from Word have the outline), tables are in
the "Baseline Table" style with their header row repeated on each page, charts are PNG
images with alt text and a caption. Every section's header and footer carries the marking
(and the draft line while the audit is not signed off); the cover has its own, without the
running title. Landscape sections hold the wide appendix tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from exporters.chart_png import drawing_png
from exporters.docx_styles import (
    APPENDIX_TEXT,
    DRAFT_INK,
    FURNITURE,
    NOTE,
    SMALL,
    TABLE_TEXT,
    Bookmarks,
    clean,
    field,
    link_xml,
    runs_xml,
    set_up_styles,
)
from exporters.pdf_document import (
    BOTTOM,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TOP,
)
from exporters.report_content import (
    Block,
    Change,
    Fields,
    Figure,
    Furniture,
    Grid,
    Heading,
    KeepSpace,
    Link,
    LongTable,
    NewPage,
    Report,
    Space,
    Text,
    Together,
)
from exporters.report_pdf import figure_caption
from models.formatting import format_date
from models.progress import Progress, no_progress

STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "body": "Normal",
    "muted": NOTE,
    "small": SMALL,
    "quote": "Quote",
}
TWIPS = 20  # per point
KEEP_TOGETHER_ROWS = 30  # a table this short stays on one page, as the PDF keeps it


def write_docx(report: Report, path: Path, progress: Progress = no_progress) -> int:
    """Write the report to `path` as .docx; returns 0 (Word lays out the pages itself)."""
    writer = _Writer(report)
    total = max(1, len(report.blocks))
    progress(0, total)
    for done, block in enumerate(report.blocks, 1):
        writer.block(block)
        if done % 16 == 0:
            progress(done, total)
    writer.document.save(str(path))
    progress(total, total)
    return 0


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.document = Document()
        set_up_styles(self.document)
        # python-docx finds a style by name by searching the whole styles part each time
        styles = self.document.styles
        self.style_ids = {
            name: styles[name].style_id
            for name in {*STYLES.values(), "Heading 1", "Heading 2", "Heading 3", "Caption"}
        }
        self.table_text = styles[TABLE_TEXT].style_id
        self.appendix_text = styles[APPENDIX_TEXT].style_id
        self.bookmarks = Bookmarks()
        self.figures = 0
        self.layout = "body"
        self.page_break = False  # the next paragraph starts a page
        self.space = 0.0  # points to leave above the next paragraph
        self.keep: bool = False  # inside Together: keep each paragraph with the next
        self._properties()
        section = self.document.sections[0]
        self._page(section, landscape=False)
        section.different_first_page_header_footer = True  # the cover: no running title
        self._furniture(section, cover=True)
        self._furniture(section, cover=False)

    # ------------------------------------------------------------------ document
    def _properties(self) -> None:
        report = self.report
        core = self.document.core_properties
        core.title = clean(report.title)
        core.subject = clean(report.subject)
        core.author = clean(report.author)
        core.keywords = clean("; ".join(report.keywords))
        core.category = report.furniture.marking  # the protective marking
        core.content_status = clean(report.status or ("Draft" if report.furniture.draft else ""))
        core.comments = clean(report.furniture.draft)
        core.language = "en-GB"
        core.last_modified_by = "Baseline"
        core.created = core.modified = datetime.combine(report.furniture.issued, time(12))
        core.revision = 1

    def _page(self, section: Any, *, landscape: bool) -> None:
        width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Pt(width), Pt(height)
        section.left_margin = section.right_margin = Pt(MARGIN)
        section.top_margin, section.bottom_margin = Pt(TOP), Pt(BOTTOM)
        section.header_distance, section.footer_distance = Pt(22), Pt(16)

    def _furniture(self, section: Any, *, cover: bool) -> None:
        """The marking at the top and bottom of every page, the running title, the draft
        line, "Page n of N" and the date of issue."""
        furniture: Furniture = self.report.furniture
        header = section.first_page_header if cover else section.header
        footer = section.first_page_footer if cover else section.footer
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        width = section.page_width - section.left_margin - section.right_margin
        top = header.paragraphs[0]
        _marking(top, furniture.marking)
        if furniture.draft:  # the PDF's watermark: said in words at the top of every page
            run = top.add_run("  ·  DRAFT")
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = DRAFT_INK
        if not cover:
            line = header.add_paragraph(clean(furniture.running_title), FURNITURE)
            line.paragraph_format.space_after = Pt(6)
        pages = footer.paragraphs[0]
        if furniture.draft:
            pages.style = FURNITURE
            pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = pages.add_run(clean(furniture.draft))
            run.bold = True
            run.font.color.rgb = DRAFT_INK
            pages = footer.add_paragraph()
        pages.style = FURNITURE
        pages.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        pages.add_run("Page ")
        field(pages, "PAGE", "1")
        pages.add_run(" of ")
        field(pages, "NUMPAGES", "1")
        pages.add_run(f"\tIssued {format_date(furniture.issued)}")
        _marking(footer.add_paragraph(), furniture.marking)

    def _new_section(self, layout: str) -> None:
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        self._page(section, landscape=layout == "wide")
        self._furniture(section, cover=False)
        self.layout = layout
        self.page_break = False

    # ------------------------------------------------------------------ blocks
    def block(self, block: Block) -> None:
        if isinstance(block, NewPage):
            if block.layout and block.layout != self.layout:
                self._new_section(block.layout)
            else:
                self.page_break = True
            self.space = 0.0
        elif isinstance(block, Space):
            self.space += block.height
        elif isinstance(block, KeepSpace):
            pass  # Word keeps headings with what follows them
        elif isinstance(block, Heading):
            paragraph = self._paragraph(f"Heading {min(max(block.level, 1), 3)}")
            paragraph.add_run(clean(block.text))
            if block.anchor:
                self.bookmarks.wrap(paragraph, block.anchor)
        elif isinstance(block, Text):
            self._text(block)
        elif isinstance(block, Grid):
            self._grid(block)
        elif isinstance(block, Fields):
            self._table(("", ""), [[a, b] for a, b in block.rows], (0.24, 0.76), label=True)
        elif isinstance(block, LongTable):
            self._table(
                tuple(c.label for c in block.columns),
                block.rows,
                tuple(c.weight for c in block.columns),
                numeric={i for i, c in enumerate(block.columns) if c.numeric},
                dense=True,
            )
        elif isinstance(block, Figure):
            self._figure(block)
        elif isinstance(block, Together):
            keep, self.keep = self.keep, True
            for index, inner in enumerate(block.blocks):
                self.keep = keep or index < len(block.blocks) - 1
                self.block(inner)
            self.keep = keep
        else:
            raise TypeError(f"not a report block: {block!r}")

    def _paragraph(self, style: str) -> Any:
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.style_ids[style]
        fmt = paragraph.paragraph_format
        if self.page_break:
            fmt.page_break_before = True
            self.page_break = False
        if self.space:
            fmt.space_before = Pt(self.space)
            self.space = 0.0
        if self.keep:
            fmt.keep_with_next = True
        return paragraph

    def _text(self, block: Text) -> None:
        paragraph = self._paragraph(STYLES.get(block.style, "Normal"))
        if block.number:
            paragraph.paragraph_format.left_indent = Pt(18)
            paragraph.paragraph_format.first_line_indent = Pt(-18)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(18))
            paragraph.add_run(f"{block.number}\t")
        for part in block.parts:
            if isinstance(part, Link):
                paragraph._p.append(
                    parse_xml(link_xml(part.text, part.target, underline=part.underline))
                )
            else:
                paragraph.add_run(clean(part))
        if block.anchor:
            self.bookmarks.wrap(paragraph, block.anchor)

    def _figure(self, block: Figure) -> None:
        self.figures += 1
        paragraph = self._paragraph("Normal")
        paragraph.paragraph_format.keep_with_next = True
        drawing = block.drawing
        run = paragraph.add_run()
        picture = run.add_picture(io.BytesIO(drawing_png(drawing)), width=Pt(drawing.width))
        picture._inline.docPr.set("descr", clean(block.description))
        picture._inline.docPr.set("title", clean(figure_caption(self.figures, block)))
        caption = self._paragraph("Caption")
        caption.add_run(clean(figure_caption(self.figures, block)))

    def _grid(self, block: Grid) -> None:
        def cell(value: Any) -> Any:
            if isinstance(value, Change):
                return value.text
            return value

        rows = [[cell(v) for v in row] for row in block.rows]
        tints = {(c, r): tint for c, r, tint in block.tints}
        self._table(
            block.header,
            rows,
            block.widths,
            numeric=set(block.numeric),
            tints=tints,
            last=block.bold_last,
            together=len(block.rows) <= KEEP_TOGETHER_ROWS,
        )

    def _table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        numeric: set[int] | frozenset[int] = frozenset(),
        tints: dict[tuple[int, int], str] | None = None,
        last: bool = False,
        together: bool = False,
        label: bool = False,
        dense: bool = False,
    ) -> None:
        """A table in the "Baseline Table" style, written as XML in one piece (an appendix
        of thousands of rows would take minutes cell by cell through python-docx)."""
        if self.page_break:
            self._paragraph(NOTE)  # a table cannot start a page itself
        self.space = 0.0  # a table keeps its own spacing
        page = PAGE_HEIGHT if self.layout == "wide" else PAGE_WIDTH
        room = (page - 2 * MARGIN) * TWIPS
        total = sum(widths) or 1.0
        twips = [int(room * w / total) for w in widths]
        has_header = any(h for h in header)
        tints = tints or {}
        flags = 0x0400 | (0x0020 if has_header else 0) | (0x0040 if last else 0)  # noVBand
        look = (
            f'<w:tblLook w:val="{flags:04X}" w:firstRow="{int(has_header)}" '
            f'w:lastRow="{int(last)}" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" '
            'w:noVBand="1"/>'
        )
        parts = [
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="BaselineTable"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>',
            # the PDF's 3-point cell padding, so the columns sized for it hold their figures
            '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
            "</w:tblCellMar>"
            if dense
            else "",
            f"{look}</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{w}"/>' for w in twips),
            "</w:tblGrid>",
        ]
        style = self.appendix_text if dense else self.table_text
        if has_header:
            parts.append("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
            for index, (text, width) in enumerate(zip(header, twips, strict=True)):
                parts.append(
                    _cell(text, width, style, index in numeric, header=True, keep=together)
                )
            parts.append("</w:tr>")
        for row_index, row in enumerate(rows):
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for index, (value, width) in enumerate(zip(row, twips, strict=True)):
                parts.append(
                    _cell(
                        value,
                        width,
                        style,
                        index in numeric,
                        tint=tints.get((index, row_index)),
                        bold=label and index == 0,
                        keep=together and row_index < len(rows) - 1,
                    )
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        table = parse_xml("".join(parts))
        body = self.document.element.body
        body.insert(len(body) - 1, table)  # before the last section's properties
        spacer = self._paragraph(NOTE)  # Word needs a paragraph between two tables
        spacer.paragraph_format.space_after = Pt(2)


def _marking(paragraph: Any, marking: str) -> None:
    paragraph.style = FURNITURE
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(clean(marking))
    run.bold = True
    run.font.size = Pt(10)


def _cell(
    value: Any,
    width: int,
    style: str,
    right: bool,
    *,
    header: bool = False,
    tint: str | None = None,
    bold: bool = False,
    keep: bool = False,
) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{tint.lstrip("#")}"/>' if tint else ""
    if bold:
        shade += '<w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/>'
    align = '<w:jc w:val="right"/>' if right else ""
    if keep:  # every row kept with the next: a short table is not split across pages
        align = "<w:keepNext/>" + align
    if isinstance(value, Link):
        runs = link_xml(value.text, value.target, underline=value.underline).replace(
            f" {nsdecls('w')}", ""
        )
    else:
        runs = runs_xml("" if value is None else str(value), bold=bold)
        if header:
            runs = runs.replace("<w:r>", '<w:r><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>', 1)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{escape(style)}"/>{align}</w:pPr>{runs}</w:p></w:tc>'
    )
