"""The page furniture every PDF report shares: A4 templates, marking, page numbers, bookmarks.

User-typed text only ever reaches reportlab through `para()`/`safe()`, which escape it, so
`<b>`, `<font color=…>`, `<img src=…>` and `&` print literally and fetch nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from exporters.pdf_fonts import SANS, SANS_BOLD, SANS_ITALIC, register_fonts
from models.formatting import format_date
from models.progress import Progress, no_progress

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 56.0  # about 20 mm
TOP = 64.0  # room for the header line
BOTTOM = 60.0  # room for the footer line
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
# Landscape pages for wide appendix tables
WIDE_FRAME_WIDTH = PAGE_HEIGHT - 2 * MARGIN
WIDE_FRAME_HEIGHT = PAGE_WIDTH - TOP - BOTTOM

INK = colors.HexColor("#0b0c0c")  # body text: 19:1 on white
MUTED = colors.HexColor("#505a5f")  # secondary text: 7:1 on white
RULE = colors.HexColor("#b1b4b6")
ACCENT = colors.HexColor("#1d3557")  # headings, table headers (white on it: 12:1)
SHADE = colors.HexColor("#f3f2f1")  # zebra rows and panels
DRAFT_TINT = colors.HexColor("#eceae8")  # the watermark: faint enough to read through
DRAFT_INK = colors.HexColor("#a8281b")  # the draft line: 6.9:1 on white

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_PAGE_TOTAL = "baselinePageTotal"


def safe(text: Any) -> str:
    """Text as Paragraph markup that prints literally: escaped, control characters dropped."""
    cleaned = _CONTROL.sub(" ", "" if text is None else str(text))
    return escape(cleaned).replace("\t", " ").replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user or report text, never interpreted as markup."""
    return Paragraph(safe(text), style)


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SANS,
        "fontSize": 10,
        "leading": 14,
        "textColor": INK,
        "alignment": TA_LEFT,
        "splitLongWords": 1,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    """The report's paragraph styles, made once fonts are registered."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head_right: ParagraphStyle
    bullet: ParagraphStyle
    quote: ParagraphStyle


def make_styles() -> Styles:
    """Paragraph styles on the embedded font (registers it first)."""
    register_fonts()
    return Styles(
        title=_style("title", fontName=SANS_BOLD, fontSize=26, leading=32, textColor=ACCENT),
        subtitle=_style("subtitle", fontSize=14, leading=20, textColor=MUTED),
        h1=_style(
            "h1", fontName=SANS_BOLD, fontSize=17, leading=22, textColor=ACCENT, spaceAfter=8
        ),
        h2=_style(
            "h2",
            fontName=SANS_BOLD,
            fontSize=12.5,
            leading=17,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        h3=_style("h3", fontName=SANS_BOLD, fontSize=10, leading=14, spaceBefore=6),
        body=_style("body", spaceAfter=4),
        small=_style("small", fontSize=8.5, leading=11.5),
        muted=_style("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        cell=_style("cell", fontSize=8.5, leading=11),
        cell_bold=_style("cell_bold", fontName=SANS_BOLD, fontSize=8.5, leading=11),
        cell_head=_style(
            "cell_head", fontName=SANS_BOLD, fontSize=8.5, leading=11, textColor=colors.white
        ),
        cell_right=_style("cell_right", fontSize=8.5, leading=11, alignment=TA_RIGHT),
        cell_head_right=_style(
            "cell_head_right",
            fontName=SANS_BOLD,
            fontSize=8.5,
            leading=11,
            textColor=colors.white,
            alignment=TA_RIGHT,
        ),
        bullet=_style("bullet", leftIndent=14, bulletIndent=2, spaceAfter=3),
        quote=_style(
            "quote", fontName=SANS_ITALIC, leftIndent=10, textColor=MUTED, fontSize=9, leading=12.5
        ),
    )


class Bookmark(Flowable):  # type: ignore[misc]
    """An invisible mark that adds a PDF outline entry for the page it lands on."""

    def __init__(self, title: str, level: int, key: str) -> None:
        super().__init__()
        self.title, self.level, self.key = title, level, key
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        canv = self.canv
        _x, y = canv.absolutePosition(0, 0)
        canv.bookmarkPage(self.key, fit="XYZ", left=0, top=y + 24)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level > 0)


@dataclass(frozen=True)
class PageFurniture:
    """What every page repeats: the marking above and below, the report's name, page numbers."""

    marking: str
    running_title: str
    issued: date
    draft: str = ""  # e.g. "DRAFT: Submitted, not signed off"; printed on every page when set


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """An A4 report: a cover page then body pages, each with marking, title and "Page n of N".

    The page total is a PDF form drawn on every page and defined once the last page is known,
    so the document is laid out once, not twice.
    """

    def __init__(
        self,
        path: Path,
        furniture: PageFurniture,
        *,
        title: str,
        subject: str,
        author: str,
        keywords: Sequence[str] = (),
        progress: Progress = no_progress,
    ) -> None:
        super().__init__(
            str(path),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=title,
            subject=subject,
            author=author,
            creator="Baseline",
            keywords=list(keywords),
            lang="en-GB",
            invariant=False,
            # without these the canvas opens every page in Helvetica, which is not embedded
            initialFontName=SANS,
            initialFontSize=9,
        )
        self.furniture = furniture
        self.progress = progress
        self._done = 0
        self._total = 1
        frame = Frame(MARGIN, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body", showBoundary=0)
        wide = Frame(MARGIN, BOTTOM, WIDE_FRAME_WIDTH, WIDE_FRAME_HEIGHT, id="wide")
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPage=self._decorate_cover, pagesize=A4),
                PageTemplate("body", [frame], onPage=self._decorate, pagesize=A4),
                PageTemplate("wide", [wide], onPage=self._decorate, pagesize=landscape(A4)),
            ]
        )

    def build_story(self, story: list[Flowable]) -> int:
        """Lay out the story, reporting progress per flowable; returns the page count."""
        self._total = max(1, len(story))
        self._done = 0
        self.progress(0, self._total)
        self.build(story)
        return int(self.page)

    def afterFlowable(self, flowable: Flowable) -> None:
        self._done += 1
        if self._done % 8 == 0 or self._done == self._total:
            self.progress(min(self._done, self._total), self._total)

    def _endBuild(self) -> None:
        # Defined after the last page is laid out; every page's footer already refers to it.
        pages = self.page
        canv = self.canv
        canv.beginForm(_PAGE_TOTAL)
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        canv.drawString(0, 0, str(pages))
        canv.endForm()
        super()._endBuild()

    def _decorate_cover(self, canv: Any, doc: Any) -> None:
        self._marking(canv)
        self._footer(canv, show_title=False)

    def _decorate(self, canv: Any, doc: Any) -> None:
        self._marking(canv)
        width, height = canv._pagesize
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        title = fit_text(self.furniture.running_title, SANS, 8, width / 2 - MARGIN - 60)
        canv.drawString(MARGIN, height - 30, title)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, height - TOP + 14, width - MARGIN, height - TOP + 14)
        canv.restoreState()
        self._footer(canv, show_title=True)

    def _marking(self, canv: Any) -> None:
        """The protective marking, centred at the top and bottom of every page."""
        if self.furniture.draft:
            self._draft(canv)
        canv.saveState()
        canv.setFont(SANS_BOLD, 10)
        canv.setFillColor(INK)
        marking = self.furniture.marking
        width, height = canv._pagesize
        canv.drawCentredString(width / 2, height - 30, marking)
        canv.drawCentredString(width / 2, 24, marking)
        canv.restoreState()

    def _draft(self, canv: Any) -> None:
        """A pale diagonal DRAFT behind the page, and the status in words above the footer."""
        width, height = canv._pagesize
        canv.saveState()
        canv.setFillColor(DRAFT_TINT)
        canv.setFont(SANS_BOLD, 110)
        canv.translate(width / 2, height / 2)
        canv.rotate(40)
        canv.drawCentredString(0, -38, "DRAFT")
        canv.restoreState()
        canv.saveState()
        canv.setFont(SANS_BOLD, 8.5)
        canv.setFillColor(DRAFT_INK)
        canv.drawCentredString(width / 2, 40, self.furniture.draft)
        canv.restoreState()

    def _footer(self, canv: Any, *, show_title: bool) -> None:
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        label = f"Page {canv.getPageNumber()} of "
        canv.drawString(MARGIN, 24, label)
        canv.translate(MARGIN + stringWidth(label, SANS, 8), 24)
        canv.doForm(_PAGE_TOTAL)
        canv.restoreState()
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(
            canv._pagesize[0] - MARGIN, 24, f"Issued {format_date(self.furniture.issued)}"
        )
        canv.restoreState()


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text cut with an ellipsis so that it fits `width` points on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def bookmark_key(*parts: str) -> str:
    """A PDF destination name from parts (letters, digits and dashes only)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", "-".join(parts)).strip("-") or "x"
