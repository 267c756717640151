"""Text longer than an Excel cell holds, written whole and read back whole.

An Excel cell holds at most 32,767 characters (UTF-16 units); Excel "repairs" a file with a
longer one by cutting it. So while a workbook is written (`collecting`), a longer text goes
into its cell as the part that fits and a marker naming the rest, and the whole text goes
into the workbook's metadata sheet in parts that fit ("long text" records). Reading a
workbook back (`use` on its metadata sheet), a cell ending in such a marker, whose part
still matches the start of the whole, is the whole text again; a cell edited since is
taken as edited. Nothing is ever cut short silently.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

LIMIT = 32_767  # characters (UTF-16 units) in one Excel cell
RECORD = "long text"
_MARK = re.compile(
    r"\n\[… continued: ([\d,]+) more characters are kept in this workbook and come back "
    r"when it is imported \(ref (LT[0-9a-f]{16}-\d+)\)\]\Z"
)
_TOKEN = re.compile(r"_x[0-9A-Fa-f]{4}_")


@dataclass
class _Overflow:
    token: str = field(default_factory=lambda: secrets.token_hex(8))
    parts: list[tuple[str, str]] = field(default_factory=list)  # (ref, whole escaped text)


_collecting: ContextVar[_Overflow | None] = ContextVar("long_text_collecting", default=None)
_restoring: ContextVar[dict[str, str] | None] = ContextVar("long_text_restoring", default=None)


def units(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (a character beyond U+FFFF is two)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _cut(text: str, budget: int) -> int:
    """The longest prefix length of `text` within `budget` units, not inside an _xHHHH_."""
    end = min(len(text), budget)
    while end > 0 and units(text[:end]) > budget:
        end -= max(1, units(text[:end]) - budget)
    for match in _TOKEN.finditer(text, max(0, end - 6), min(len(text), end + 6)):
        if match.start() < end < match.end():
            end = match.start()
    return end


def split(text: str, limit: int = LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` units, never splitting an _xHHHH_ escape."""
    pieces = []
    while units(text) > limit:
        end = _cut(text, limit) or 1
        pieces.append(text[:end])
        text = text[end:]
    pieces.append(text)
    return pieces


@contextmanager
def collecting() -> Iterator[None]:
    """While a workbook is written: too-long texts are kept for its metadata sheet."""
    if _collecting.get() is not None:
        yield  # an enclosing writer collects already
        return
    reset = _collecting.set(_Overflow())
    try:
        yield
    finally:
        _collecting.reset(reset)


def fit(escaped: str) -> str:
    """What a cell holds for an escaped text: itself if it fits, else its start and a marker.

    Outside `collecting` there is nowhere to keep the rest, so the text is returned whole
    (never cut); every writer of the app's workbooks collects.
    """
    overflow = _collecting.get()
    if overflow is None or units(escaped) <= LIMIT:
        return escaped
    ref = f"LT{overflow.token}-{len(overflow.parts) + 1}"
    marker = (
        "\n[… continued: {:,} more characters are kept in this workbook and come back when it "
        f"is imported (ref {ref})]"
    )
    head_len = _cut(escaped, LIMIT - units(marker.format(len(escaped))))
    overflow.parts.append((ref, escaped))
    return escaped[:head_len] + marker.format(len(escaped) - head_len)


def records() -> list[list[Any]]:
    """The metadata rows holding every too-long text written so far: record, ref, part, text."""
    overflow = _collecting.get()
    if overflow is None:
        return []
    return [
        [RECORD, ref, number, piece]
        for ref, whole in overflow.parts
        for number, piece in enumerate(split(whole), 1)
    ]


def use(rows: Iterator[tuple[Any, ...]]) -> None:
    """Read the long-text records of a workbook's metadata sheet (raw cell values), for
    `restore` to use on cells read from that workbook, before they are unescaped."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        if len(row) < 4 or row[0] != RECORD or not isinstance(row[1], str):
            continue
        try:
            number = int(row[2])
        except (TypeError, ValueError):
            continue
        parts.setdefault(row[1], []).append((number, "" if row[3] is None else str(row[3])))
    _restoring.set({ref: "".join(p for _, p in sorted(pieces)) for ref, pieces in parts.items()})


def restore(text: str) -> str:
    """The whole (escaped) text for a raw cell holding the start of one and its marker."""
    wholes = _restoring.get()
    if not wholes or not text.endswith(")]"):
        return text
    match = _MARK.search(text)
    if match is None:
        return text
    whole = wholes.get(match.group(2))
    head = text[: match.start()]
    if whole is None or not whole.startswith(head):
        return text  # edited since it was written: taken as it now reads
    return whole
