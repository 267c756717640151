"""The cross-government summary for one cycle: where every department stands, in one PDF.

A heat map of maturity (departments × sections, numbers in every cell), league tables of
the headline indicators, distributions against the median, and who has not submitted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Spacer

from exporters.board_report_pages import HANDLING, long_date
from exporters.pdf_charts import distribution_chart
from exporters.pdf_document import (
    FRAME_WIDTH,
    WIDE_FRAME_WIDTH,
    PageFurniture,
    ReportDocument,
    Styles,
    make_styles,
    para,
)
from exporters.progress import Progress, no_progress, replacing, stage
from exporters.report_blocks import grid, heading, rating
from exporters.report_options import ReportOptions, ReportResult
from models.cycle_summary import CycleSummary, cycle_summary
from models.formatting import format_maturity, format_share
from models.records import STATUS_LABELS
from models.store import Store


def write_summary_report(
    store: Store,
    cycle: str,
    path: Path,
    options: ReportOptions | None = None,
    progress: Progress = no_progress,
    *,
    issued: date | None = None,
) -> ReportResult:
    """Write the cross-government summary of one cycle to `path` (replaced when complete)."""
    options = options or ReportOptions()
    issued = issued or date.today()
    summary = cycle_summary(store, cycle, progress=stage(progress, 0, 40))
    path = Path(path)
    with replacing(path) as temp:
        doc = ReportDocument(
            temp,
            PageFurniture(options.marking, f"{cycle} · Cross-government summary", issued),
            title=f"Technology capability across government: {cycle}",
            subject=(
                f"Cross-government summary of board-level technology capability audits, {cycle}."
            ),
            author="Baseline",
            keywords=("technology capability", "cross-government summary", cycle),
            progress=stage(progress, 40, 100),
        )
        pages = doc.build_story(summary_story(summary, options, issued))
    return ReportResult(path, pages)


def summary_story(summary: CycleSummary, options: ReportOptions, issued: date) -> list[Flowable]:
    """Every flowable of the cross-government summary, in order."""
    styles = make_styles()
    story = cover(summary, options, issued, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += overview(summary, styles)
    story += [NextPageTemplate("wide"), PageBreak()]  # landscape: a column per section
    story += heat_map(summary, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += leagues(summary, styles)
    story += [PageBreak()]
    story += distributions(summary, styles)
    story += not_submitted(summary, styles)
    return story


def _audited(summary: CycleSummary) -> list[Any]:
    return [s for s in summary.standings if s.figures is not None]


def cover(
    summary: CycleSummary, options: ReportOptions, issued: date, styles: Styles
) -> list[Flowable]:
    audited = _audited(summary)
    submitted = sum(1 for s in audited if s.submitted)
    rows = [
        ("Audit cycle", summary.cycle),
        ("Departments audited", f"{len(audited)} of {len(summary.standings)}"),
        ("Submitted or later", f"{submitted}"),
        (
            "Questionnaire",
            f"{summary.questionnaire.title}, version {summary.questionnaire.version}",
        ),
        ("Date of report", long_date(issued)),
        ("Protective marking", options.marking),
    ]
    return [
        Spacer(1, 90),
        para("Technology capability audit", styles.subtitle),
        Spacer(1, 6),
        para("Cross-government summary", styles.title),
        Spacer(1, 4),
        para(summary.cycle, styles.subtitle),
        Spacer(1, 40),
        grid(("", ""), rows, styles, (1, 2.6)),
        Spacer(1, 24),
        para(HANDLING.get(options.marking, ""), styles.body),
    ]


def overview(summary: CycleSummary, styles: Styles) -> list[Flowable]:
    story = heading("Overview", styles.h1, 0, "overview")
    audited = _audited(summary)
    median = summary.section_medians.get("overall")
    text = (
        f"{len(audited)} of {len(summary.standings)} departments have an audit for "
        f"{summary.cycle}. The median overall maturity is {format_maturity(median)} out of 5."
    )
    if summary.not_submitted:
        text += (
            f" {len(summary.not_submitted)} department"
            f"{'s have' if len(summary.not_submitted) != 1 else ' has'} not submitted "
            "(listed at the end)."
        )
    story.append(para(text, styles.body))
    story += heading("Overall maturity across departments", styles.h2, 1, "overview")
    values = [(_name(s.department), s.figures.score.overall) for s in audited]
    story.append(distribution_chart(values, width=FRAME_WIDTH))

    story += heading("Headline indicators", styles.h2, 1, "overview", outline="Headline counts")
    rows = []
    for indicator in summary.questionnaire.indicators:
        entries = summary.leagues.get(indicator.id)
        if not entries:
            continue
        known = [e for e in entries if e.value is not None]
        if indicator.kind == "flag":
            yes = sum(1 for e in known if e.value is True)
            rows.append([indicator.label, f"{yes} of {len(known)} departments", ""])
        else:
            numbers = sorted(float(e.value) for e in known if isinstance(e.value, int | float))
            if numbers:
                mid = _median(numbers)
                span = f"{format_share(numbers[0])} to {format_share(numbers[-1])}"
                rows.append([indicator.label, f"median {format_share(mid)}", span])
            else:
                rows.append([indicator.label, "Not known", ""])
    story.append(grid(("Indicator", "Across government", "Range"), rows, styles, (5, 2, 2)))
    return story


def _median(values: list[float]) -> float:
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def _name(department: Any) -> str:
    return str(department.abbreviation or department.name)


def heat_map(summary: CycleSummary, styles: Styles) -> list[Flowable]:
    story = heading("Maturity by department and section", styles.h1, 0, "heatmap")
    story.append(
        para(
            "Each cell is the section's maturity from 1 (weak) to 5 (strong). Shading repeats "
            "the rating: Green 3.5 and above, Amber 2.5 to 3.4, Red below 2.5; a dash means "
            "not scored.",
            styles.muted,
        )
    )
    sections = [s for s in summary.questionnaire.sections if s.scored]
    header = ["Department", *[s.title for s in sections], "Overall", "Status"]
    rows: list[list[str]] = []
    tints: list[tuple[int, int, Any]] = []
    row_index = 0
    for standing in summary.standings:
        figures = standing.figures
        if figures is None:
            continue
        values = [figures.score.section_maturity.get(s.id) for s in sections]
        values.append(figures.score.overall)
        status = STATUS_LABELS.get(figures.audit.status, figures.audit.status)
        rows.append([standing.department.name, *[format_maturity(v) for v in values], status])
        for col, value in enumerate(values, 1):
            tints.append((col, row_index, rating(value)[1]))
        row_index += 1
    medians = [summary.section_medians.get(s.id) for s in sections]
    medians.append(summary.section_medians.get("overall"))
    rows.append(["Median", *[format_maturity(m) for m in medians], ""])
    widths = (2.6, *([1.0] * len(sections)), 0.8, 1.0)
    numeric = tuple(range(1, len(sections) + 2))
    story.append(
        grid(
            header,
            rows,
            styles,
            widths,
            numeric=numeric,
            tints=tints,
            bold_last=True,
            frame_width=WIDE_FRAME_WIDTH,
        )
    )
    return story


def leagues(summary: CycleSummary, styles: Styles) -> list[Flowable]:
    story = heading("Indicator league tables", styles.h1, 0, "leagues")
    story.append(
        para(
            "Departments ranked on each headline indicator, highest share first. A share is of "
            "the department's own technology workforce or senior posts.",
            styles.muted,
        )
    )
    for indicator in summary.questionnaire.indicators:
        entries = summary.leagues.get(indicator.id)
        if not entries:
            continue
        story.append(CondPageBreak(160))
        story += heading(indicator.label, styles.h2, 1, "leagues", indicator.id)
        rows = []
        rank = 0
        previous: Any = object()
        for position, entry in enumerate(entries, 1):
            if entry.value != previous:
                rank = position
                previous = entry.value
            if indicator.kind == "flag":
                text = {True: "Yes", False: "No"}.get(entry.value, "Not known")  # type: ignore[arg-type]
            else:
                number = entry.value if isinstance(entry.value, int | float) else None
                text = format_share(number)
            shown_rank = str(rank) if entry.value is not None else "–"
            rows.append([shown_rank, entry.department.name, text])
        story.append(
            grid(("Rank", "Department", "Value"), rows, styles, (0.7, 5, 1.5), numeric=(0, 2))
        )
    return story


def distributions(summary: CycleSummary, styles: Styles) -> list[Flowable]:
    story = heading("Distributions by section", styles.h1, 0, "distributions")
    story.append(
        para(
            "Each dot is one department's maturity in the section; the line marks the "
            "cross-government median.",
            styles.muted,
        )
    )
    audited = _audited(summary)
    for section in summary.questionnaire.sections:
        if not section.scored:
            continue
        values = [
            (_name(s.department), s.figures.score.section_maturity.get(section.id)) for s in audited
        ]
        story.append(CondPageBreak(120))
        story += heading(section.title, styles.h2, 1, "distributions", section.id)
        story.append(distribution_chart(values, width=FRAME_WIDTH))
    return story


def not_submitted(summary: CycleSummary, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(200)]
    story += heading("Departments that have not submitted", styles.h1, 0, "not-submitted")
    if not summary.not_submitted:
        story.append(
            para(f"Every department has submitted its {summary.cycle} audit.", styles.body)
        )
        return story
    rows = [[dept.name, reason] for dept, reason in summary.not_submitted]
    story.append(grid(("Department", "Position"), rows, styles, (3, 2)))
    return story
