"""What counts as no value, and how a stored value is said in words: defined once for every page."""

from __future__ import annotations

import json
from typing import Any

# How a value that is not there is said in every message, tooltip and conflict list.
BLANK = "blank"


def is_empty(value: Any) -> bool:
    """No answer: absent, empty text or an empty list (what the store clears, not keeps)."""
    return value is None or value == "" or value == []


def yes_no(value: bool) -> str:
    """A yes/no answer or flag in words, the same on every page, workbook and report."""
    return "Yes" if value else "No"


def clipped(text: str, limit: int | None) -> str:
    """Text on one line, cut to `limit` characters with an ellipsis (whole when None)."""
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def in_words(value: Any, *, limit: int | None = None, quote_text: bool = False) -> str:
    """A stored value as a sentence says it: blank, Yes or No, its text, a list joined.

    `quote_text` puts text in double quotes, so a message shows where it starts and ends;
    `limit` cuts a long value short.
    """
    if is_empty(value):
        return BLANK
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        text = value if limit is None else clipped(value, limit)
        return f'"{text}"' if quote_text else text
    if isinstance(value, list):
        # An item with no visible text is quoted, so a list of blanks never reads as nothing.
        text = ", ".join(str(v) if str(v).strip() else json.dumps(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if limit is None else clipped(text, limit)
