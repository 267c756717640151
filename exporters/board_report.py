"""The board report for one audit: a typeset PDF for a Permanent Secretary (STUB: being built)."""

from __future__ import annotations

from pathlib import Path

from exporters.progress import Progress, no_progress, replacing
from exporters.report_options import ReportOptions, ReportResult
from models.store import Store


def write_board_report(
    store: Store,
    audit_id: str,
    path: Path,
    options: ReportOptions = ReportOptions(),
    progress: Progress = no_progress,
) -> ReportResult:
    """Write the board report of one audit to `path` (replaced only when complete)."""
    from reportlab.pdfgen.canvas import Canvas

    audit = store.audit(audit_id)
    path = Path(path)
    with replacing(path) as temp:
        for i in range(5):
            progress(i, 5)
        c = Canvas(str(temp))
        c.drawString(72, 720, f"{options.marking} Board report {audit.department_name} {audit.cycle}")
        c.showPage()
        c.save()
    return ReportResult(path, 1)
