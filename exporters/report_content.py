"""One report's content as plain data, built once and rendered to PDF and to Word alike.

The board report and the cross-government summary are each built as a `Report`: its
blocks (headings, paragraphs, tables, figures, notes and the few layout hints a typeset
page needs) and its furniture (marking, running title, draft line, document properties).
`report_pdf` lays a Report out with reportlab; `report_docx` writes it on Word styles. Both
read the same blocks, so the two documents cannot say different things.

Text here is plain text: each renderer escapes it for its own format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

TextStyle = Literal["title", "subtitle", "body", "muted", "small", "quote"]
Layout = Literal["body", "wide"]  # portrait, or landscape for wide appendix tables


@dataclass(frozen=True)
class Link:
    """Text that jumps to the block whose `anchor` is `target` when clicked."""

    text: str
    target: str
    underline: bool = False


Inline = str | Link


@dataclass(frozen=True)
class Heading:
    """A heading (level 1-3). With `key`, it also gets a bookmark (PDF outline, Word's
    navigation pane lists every heading anyway); `outline` is the bookmark's own title."""

    text: str
    level: int
    key: tuple[str, ...] = ()
    outline: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class Text:
    """A paragraph of runs; `number` makes it an item of a numbered list ("1.")."""

    parts: tuple[Inline, ...]
    style: TextStyle = "body"
    anchor: str = ""
    number: str = ""

    @property
    def plain(self) -> str:
        """The words as read, links included."""
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


def text(words: str, style: TextStyle = "body") -> Text:
    """A paragraph of plain words."""
    return Text((words,), style)


@dataclass(frozen=True)
class Change:
    """A change since the last audit; the PDF draws an arrow for its direction."""

    text: str


Cell = str | Change | Link


@dataclass(frozen=True)
class Grid:
    """A small table with a header row. `widths` are shares of the page's width; `tints`
    are (column, row, "#rrggbb") backgrounds that repeat a rating already in words."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[int, ...] = ()
    tints: tuple[tuple[int, int, str], ...] = ()
    bold_last: bool = False
    wide: bool = False


@dataclass(frozen=True)
class Fields:
    """A labelled panel: one row per (label, value)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Column:
    """A column of a LongTable: its heading, share of the width and alignment."""

    label: str
    weight: float = 1.0
    numeric: bool = False


@dataclass(frozen=True)
class LongTable:
    """An appendix table of any length, on a landscape page; cells are plain text.

    The PDF shows at most `max_lines` lines of a cell; Word shows every cell whole.
    """

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[str]]
    max_lines: int = 8


@dataclass(frozen=True)
class Figure:
    """A chart: a reportlab Drawing (vector in the PDF, a PNG image in Word)."""

    drawing: Any
    description: str = ""  # alt text: what the chart shows, for a screen reader


@dataclass(frozen=True)
class Space:
    """Vertical space, in points."""

    height: float


@dataclass(frozen=True)
class KeepSpace:
    """Start a new page unless this much room (points) is left on the current one."""

    height: float


@dataclass(frozen=True)
class NewPage:
    """A page break; with `layout`, the pages from here on are portrait or landscape."""

    layout: Layout | None = None


@dataclass(frozen=True)
class Together:
    """Blocks kept on one page."""

    blocks: tuple[Block, ...]


Block = Heading | Text | Grid | Fields | LongTable | Figure | Space | KeepSpace | NewPage | Together


@dataclass(frozen=True)
class Furniture:
    """What every page repeats: the marking above and below, the report's name, the date,
    and while the audit is not signed off the draft line."""

    marking: str
    running_title: str
    issued: date
    draft: str = ""


@dataclass(frozen=True)
class Report:
    """A whole report: its properties, furniture and blocks (the first page is the cover)."""

    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    furniture: Furniture
    blocks: list[Block] = field(default_factory=list)
    status: str = ""  # "Draft", "Signed off": the document's content status


@dataclass(frozen=True)
class Appendix:
    """One appendix before it has its letter: title, blocks, and its bookmark's key."""

    title: str
    blocks: list[Block]


AppendixSource = Callable[[Any], list[Appendix]]
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def appendix_letter(index: int) -> str:
    """A, B, … Z, then AA, AB, …: never the same letter for two appendices."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = APPENDIX_LETTERS[rest] + letters
    return letters


def lettered(appendices: Sequence[Appendix], first: int = 0) -> list[Block]:
    """Each appendix on new landscape pages under "Appendix A: …", lettered in order."""
    blocks: list[Block] = []
    for index, appendix in enumerate(appendices, first):
        letter = appendix_letter(index)
        blocks.append(NewPage("wide"))
        blocks.append(Heading(f"Appendix {letter}: {appendix.title}", 1, ("appendix", letter)))
        blocks += appendix.blocks
    return blocks
