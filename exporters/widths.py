"""How wide a workbook column must be to show its values, from their number formats.

Excel shows '###' for a number wider than its column, and clips text at the next filled
cell. A width here is in Excel's character units: digits are one unit each in the default
font, so a formatted number's length plus room for the cell's margins is enough.
"""

from __future__ import annotations

from collections.abc import Iterable

PADDING = 2.0  # the cell's margins and a filter button's worth of room
MAX_WIDTH = 80.0  # longer text wraps or runs on; a wider column hides the rest of the sheet
MAX_HEADER_WORD = 30


def header_width(header: str) -> float:
    """Wide enough that the header wraps between words, never inside one."""
    longest = max((len(word) for word in header.split()), default=0)
    return min(MAX_HEADER_WORD, longest) + PADDING


def formatted_length(value: float, fmt: str | None) -> int:
    """How many characters Excel shows for a number in one of the app's formats."""
    fmt = fmt or "General"
    if "yy" in fmt:  # a date or a moment: the format's own length
        return len(fmt.replace('"', ""))
    sign = 1 if value < 0 else 0
    size = abs(value)
    if fmt.endswith("%") and not fmt.endswith('"%"'):  # a fraction shown as a percentage
        places = len(fmt.split(".")[1]) - 1 if "." in fmt else 0
        return sign + len(f"{size * 100:.{places}f}") + 1
    if fmt == "General" or fmt.startswith("General"):
        text = f"{size:.10g}"  # Excel's General shows up to 11 characters
        return sign + min(11, len(text)) + (1 if fmt.endswith('"%"') else 0)
    places = len(fmt.rsplit(".", 1)[1].rstrip('"%')) if "." in fmt else 0
    grouped = "," in fmt
    text = f"{size:,.{places}f}" if grouped else f"{size:.{places}f}"
    prefix = 1 if "£" in fmt else 0
    suffix = 1 if fmt.endswith('"%"') else 0
    return sign + prefix + len(text) + suffix


def fitted_width(
    start: float, text_len: int, extremes: tuple[float, float], formats: Iterable[str | None]
) -> float:
    """The column's width: its starting width, widened to its widest text or number."""
    high, low = extremes
    numbers = max(
        (formatted_length(v, fmt) for fmt in formats for v in (high, low) if v),
        default=0,
    )
    return round(min(MAX_WIDTH, max(start, numbers + PADDING, text_len + PADDING)), 1)
