"""Limits, messages and result type the file guards share (apart, to avoid an import cycle)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_CELLS = 20_000_000  # rows x columns of one sheet: calamine holds the whole grid in memory

PASSWORD_MESSAGE = (
    "is password-protected: remove the password in Excel (File ▸ Info ▸ Protect Workbook) "
    "and import it again"
)


@dataclass
class FileCheck:
    """What the guard found: the kind to read the file as, and anything worth telling the user."""

    kind: str
    warnings: list[str] = field(default_factory=list)
    sheet_rows: dict[str, int] = field(default_factory=dict)  # xlsx: rows each sheet declares


def mb(size: int) -> str:
    """A byte count as whole megabytes, for messages."""
    return f"{size / (1024 * 1024):,.0f} MB"
