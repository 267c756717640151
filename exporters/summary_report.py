"""The cross-government summary for one cycle: a typeset PDF (STUB: being built)."""

from __future__ import annotations

from pathlib import Path

from exporters.progress import Progress, no_progress, replacing
from exporters.report_options import ReportOptions, ReportResult
from models.store import Store


def write_summary_report(
    store: Store,
    cycle: str,
    path: Path,
    options: ReportOptions = ReportOptions(),
    progress: Progress = no_progress,
) -> ReportResult:
    """Write the cross-government summary of one cycle to `path` (replaced when complete)."""
    from reportlab.pdfgen.canvas import Canvas

    if not any(a.cycle == cycle for a in store.audits()):
        raise ValueError(f"No audits in the cycle {cycle!r}.")
    path = Path(path)
    with replacing(path) as temp:
        progress(1, 1)
        c = Canvas(str(temp))
        c.drawString(72, 720, f"{options.marking} Cross-government summary {cycle}")
        c.showPage()
        c.save()
    return ReportResult(path, 1)
