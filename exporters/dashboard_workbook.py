"""The cycle dashboard as the user sees it (sorted, filtered) written to an .xlsx file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from exporters.progress import replacing
from exporters.streaming_sheet import add_streaming_sheet, discard
from models.dashboard import COUNT, DIFFERENCE, MATURITY, PERCENT, SHARE, TEXT, DashboardColumn
from models.formatting import (
    COUNT_FORMAT,
    MATURITY_FORMAT,
    POINTS_FORMAT,
    SHARE_FORMAT,
    share_format,
    share_fraction,
)
from models.values import yes_no
from models.workbook_format.cells import escape_text

SHEET = "Dashboard"
NOTES_SHEET = "About"
# Shares (points in the dashboard, 45 means 45%) are written as fractions shown as percentages,
# as in the export's Summary, so a pivot or a chart reads them as percentages.
FORMATS = {
    MATURITY: MATURITY_FORMAT,
    PERCENT: SHARE_FORMAT,
    SHARE: SHARE_FORMAT,
    COUNT: COUNT_FORMAT,
    DIFFERENCE: POINTS_FORMAT,
}
WIDTHS = {TEXT: 16.0, MATURITY: 12.0, PERCENT: 11.0, SHARE: 14.0, COUNT: 11.0, DIFFERENCE: 14.0}
FIRST_WIDTH = 40.0  # the department name


def _cell(value: Any, kind: str) -> Any:
    """Text escaped for OOXML (written as text, never a formula); shares as fractions."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return escape_text(value)
    if kind in (PERCENT, SHARE) and isinstance(value, int | float):
        return share_fraction(value)
    return value


def _edge_formats(row: Sequence[Any], columns: Sequence[DashboardColumn]) -> dict[int, str | None]:
    """Share cells that '0%' would show as none or all: shown '<1%' or '>99%' instead."""
    formats: dict[int, str | None] = {}
    for index, (value, column) in enumerate(zip(row, columns, strict=False)):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if column.kind in (PERCENT, SHARE) and numeric and share_format(value) != SHARE_FORMAT:
            formats[index] = share_format(value)
    return formats


def write_dashboard_workbook(
    path: Path | str,
    columns: Sequence[DashboardColumn],
    rows: Sequence[Sequence[Any]],
    *,
    notes: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write the rows under the columns' titles as an Excel table; `notes` go on an About sheet.

    Values are plain: numbers as numbers, shares in points (written as fractions), flags as
    "Yes"/"No" (or bools).
    The file appears only once complete.
    """
    path = Path(path)
    workbook = Workbook(write_only=True)
    try:
        with replacing(path) as temp:
            sheet = add_streaming_sheet(workbook, SHEET)
            widths = [WIDTHS.get(c.kind, 14.0) for c in columns]
            if widths:
                widths[0] = FIRST_WIDTH
            sheet.setup(
                [escape_text(c.title) for c in columns],
                [FORMATS.get(c.kind) for c in columns],
                widths,
            )
            for row in rows:
                sheet.add_row(
                    [_cell(v, c.kind) for v, c in zip(row, columns, strict=False)],
                    _edge_formats(row, columns),
                )
            sheet.add_table(SHEET)
            about = add_streaming_sheet(workbook, NOTES_SHEET)
            about.setup(["Item", "Value"], [None, None], [28, 80])
            for key, text in notes:
                about.add_row([escape_text(key), escape_text(text)])
            for column in columns:
                if column.description:
                    about.add_row([escape_text(column.title), escape_text(column.description)])
            workbook.save(temp)
    except BaseException:
        discard(workbook)
        raise
    return path
