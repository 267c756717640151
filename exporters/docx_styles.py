"""The Word styles the board reports are written on, and the small pieces of WordprocessingML
python-docx has no call for (fields, bookmarks, internal links, a table style).

Everything the report looks like is a named style (Title, Subtitle, Heading 1-3, Caption,
Quote, "Baseline Table", "Table Text", "Baseline Note"), so a secretariat restyles the
document by attaching its own template instead of reformatting it by hand.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

FONT = "Arial"  # on every Windows and Mac; LibreOffice shows its metric twin
INK = RGBColor(0x0B, 0x0C, 0x0C)
MUTED = RGBColor(0x50, 0x5A, 0x5F)
ACCENT = RGBColor(0x1D, 0x35, 0x57)
DRAFT_INK = RGBColor(0xA8, 0x28, 0x1B)
TABLE_STYLE = "Baseline Table"
TABLE_TEXT = "Table Text"
APPENDIX_TEXT = "Appendix Table Text"  # the long appendix tables: as small as the PDF's
NOTE = "Baseline Note"
SMALL = "Baseline Small"
FURNITURE = "Page Furniture"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(text: Any) -> str:
    """Text Word can hold: control characters (which XML cannot carry) become spaces."""
    return _CONTROL.sub(" ", "" if text is None else str(text)).replace("\r\n", "\n")


def set_up_styles(document: Any) -> None:
    """The report's look, as styles: fonts, sizes and colours of the PDF."""
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    _east_asian(normal, FONT)
    for name, size, before, after in (
        ("Heading 1", 17, 12, 8),
        ("Heading 2", 12.5, 10, 4),
        ("Heading 3", 10, 6, 2),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = ACCENT if name != "Heading 3" else INK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        _east_asian(style, FONT)
    _font(styles["Title"], 26, ACCENT, bold=True)
    _font(styles["Subtitle"], 14, MUTED)
    _no_border(styles["Title"])
    _font(styles["Caption"], 8.5, MUTED, bold=False, italic=False)
    _font(styles["Quote"], 9, MUTED, italic=True)
    styles["Quote"].paragraph_format.left_indent = Pt(10)
    _paragraph_style(styles, NOTE, 8.5, MUTED)
    _paragraph_style(styles, SMALL, 8.5, INK)
    _paragraph_style(styles, FURNITURE, 8, MUTED, after=0)
    cell = _paragraph_style(styles, TABLE_TEXT, 8.5, INK, after=0)
    cell.paragraph_format.line_spacing = 1.0
    dense = _paragraph_style(styles, APPENDIX_TEXT, 7.5, INK, after=0)
    dense.base_style = cell
    _table_style(document)


def _font(
    style: Any, size: float, colour: RGBColor, *, bold: bool = False, italic: bool = False
) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = colour
    style.font.bold = bold
    style.font.italic = italic
    _east_asian(style, FONT)


def _paragraph_style(
    styles: Any, name: str, size: float, colour: RGBColor, *, after: float = 4
) -> Any:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.color.rgb = colour
    style.paragraph_format.space_after = Pt(after)
    return style


def _east_asian(style: Any, font: str) -> None:
    """Word falls back to the theme's font for some scripts unless every slot is named."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), font)


def _no_border(style: Any) -> None:
    """The default template's Title has a rule under it; the PDF's has none."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _table_style(document: Any) -> None:
    """'Baseline Table': a dark header row in white bold, pale zebra rows, a rule below, a
    stronger rule above a total row. The RAG tints are the only direct cell formatting."""
    xml = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BaselineTable">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblStyleRowBandSize w:val="1"/>
    <w:tblBorders>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="50" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>
      <w:bottom w:w="50" w:type="dxa"/><w:right w:w="90" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1D3557"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:tcBorders>
      <w:top w:val="single" w:sz="6" w:space="0" w:color="1D3557"/>
    </w:tcBorders></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""
    document.styles.element.append(parse_xml(xml))


# --------------------------------------------------------------------------- XML pieces


def field(paragraph: Any, code: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) Word and LibreOffice fill in; `shown` until they do."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(shown)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an anchor: a letter first, then letters, digits, '_'."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    return (name if name[:1].isalpha() else f"b_{name}")[:40]


class Bookmarks:
    """Numbers each bookmark; Word needs a unique id per start/end pair."""

    def __init__(self) -> None:
        self.next_id = 0

    def wrap(self, paragraph: Any, anchor: str) -> None:
        """Make the whole paragraph the target of links to `anchor`."""
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), bookmark_name(anchor))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        p = paragraph._p
        ppr = p.find(qn("w:pPr"))
        p.insert(0 if ppr is None else 1, start)
        p.append(end)


def link_xml(text: str, anchor: str, *, underline: bool) -> str:
    """An internal hyperlink run to a bookmark, in the report's link colour."""
    u = '<w:u w:val="single"/>' if underline else ""
    return (
        f'<w:hyperlink {nsdecls("w")} w:anchor="{bookmark_name(anchor)}" w:history="1">'
        f'<w:r><w:rPr><w:color w:val="1D3557"/>{u}</w:rPr>'
        f'<w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r></w:hyperlink>'
    )


def runs_xml(text: str, *, bold: bool = False) -> str:
    """Runs for plain text: line breaks kept as breaks, tabs as tabs, everything escaped."""
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    pieces = []
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return f"<w:r>{props}{''.join(pieces)}</w:r>" if pieces else ""
