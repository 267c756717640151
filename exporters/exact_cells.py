"""Numbers written by openpyxl's ordinary (not write-only) sheets keep every digit.

openpyxl writes a number as "%.16g", dropping a float's 17th significant digit
(107.17166666666665 becomes 107.1716666666667) and rounding integers above 16 digits, so
a pre-filled data return sent back untouched would read as changed. StreamingSheet writes
repr itself; this gives the ordinary writer (openpyxl 3.1, pinned: cell/_writer.py) the
same, once, for every workbook: a value can only become more exact, never different.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from openpyxl.cell import _writer

_PLAIN: Callable[[Any], str] = _writer.safe_string


def exact_string(value: Any) -> str:
    """A float or int as its shortest exact text (repr); anything else as openpyxl writes it."""
    if type(value) is float and math.isfinite(value):
        return repr(value)
    if type(value) is int:
        return str(value)
    return _PLAIN(value)


def install() -> None:
    """Make openpyxl's cell writer use exact_string (idempotent)."""
    _writer.safe_string = exact_string
