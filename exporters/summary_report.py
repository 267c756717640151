"""The cross-government summary for one cycle: where every department stands, in one PDF.

A heat map of maturity (departments × sections, numbers in every cell), league tables of
the headline indicators, distributions against the median, and who has not submitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from exporters.board_report_pages import HANDLING, long_date
from exporters.pdf_charts import distribution_chart
from exporters.pdf_document import FRAME_WIDTH
from exporters.report_blocks import rating, tint_hex
from exporters.report_content import (
    Block,
    Figure,
    Furniture,
    Grid,
    Heading,
    KeepSpace,
    NewPage,
    Report,
    Space,
    text,
)
from exporters.report_options import ReportOptions, ReportResult, write_report
from models.cycle_summary import MEDIAN_OF_AT_LEAST, CycleSummary, cycle_summary
from models.formatting import format_maturity, format_share
from models.indicator_flags import CONFLICTING
from models.progress import Progress, no_progress, stage
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
    """Write the cross-government summary of one cycle to `path`, a PDF or, named .docx, a
    Word file (replaced when complete)."""
    options = options or ReportOptions()
    issued = issued or date.today()
    summary = cycle_summary(store, cycle, progress=stage(progress, 0, 40))
    report = summary_report(summary, options, issued)
    return write_report(report, Path(path), stage(progress, 40, 100))


def summary_report(summary: CycleSummary, options: ReportOptions, issued: date) -> Report:
    """The whole cross-government summary as content: what the PDF and Word file both say."""
    cycle = summary.cycle
    return Report(
        title=f"Technology capability across government: {cycle}",
        subject=f"Cross-government summary of board-level technology capability audits, {cycle}.",
        author="Baseline",
        keywords=("technology capability", "cross-government summary", cycle),
        furniture=Furniture(options.marking, f"{cycle} · Cross-government summary", issued),
        blocks=summary_content(summary, options, issued),
    )


def summary_content(summary: CycleSummary, options: ReportOptions, issued: date) -> list[Block]:
    """Every block of the cross-government summary, in order."""
    blocks = cover(summary, options, issued)
    blocks += [NewPage("body")]
    blocks += overview(summary)
    blocks += [NewPage("wide")]  # landscape: a column per section
    blocks += heat_map(summary)
    blocks += [NewPage("body")]
    blocks += leagues(summary)
    blocks += [NewPage()]
    blocks += distributions(summary)
    blocks += not_submitted(summary)
    return blocks


_DOTS = "Each department's maturity as a dot on the 1 to 5 scale, with the median marked."


def _dots(values: Sequence[tuple[str, float | None]]) -> str:
    """The distribution's caption: the median is marked only where there is one."""
    if sum(v is not None for _, v in values) >= MEDIAN_OF_AT_LEAST:
        return _DOTS
    return "Each department's maturity as a dot on the 1 to 5 scale."


def _rows(rows: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _audited(summary: CycleSummary) -> list[Any]:
    return [s for s in summary.standings if s.figures is not None]


def cover(
    summary: CycleSummary,
    options: ReportOptions,
    issued: date,
) -> list[Block]:
    audited = _audited(summary)
    rows = [
        ("Audit cycle", summary.cycle),
        ("Departments audited", f"{len(audited)} of {len(summary.standings)}"),
        ("Audits by status", status_breakdown(summary)),
        ("Questionnaire", questionnaire_versions(summary)),
        ("Date of report", long_date(issued)),
        ("Protective marking", options.marking),
    ]
    return [
        Space(90),
        text("Technology capability audit", "subtitle"),
        Space(6),
        text("Cross-government summary", "title"),
        Space(4),
        text(summary.cycle, "subtitle"),
        Space(40),
        Grid(("", ""), tuple(rows), (1, 2.6)),
        Space(24),
        text(HANDLING.get(options.marking, "")),
    ]


def questionnaire_versions(summary: CycleSummary) -> str:
    """The questionnaire the cycle's audits answered: its version, or, when they differ, how
    many audits answered each (a cycle of version 1 and 2 audits is not all 'version 2')."""
    versions = Counter(s.figures.questionnaire.version for s in _audited(summary))
    title = summary.questionnaire.title
    if len(versions) <= 1:
        return f"{title}, version {summary.questionnaire.version}"
    each = [f"{n} audit{'s' if n != 1 else ''} on version {v}" for v, n in sorted(versions.items())]
    return f"{title}: {', '.join(each)}"


def _across(numbers: list[float]) -> tuple[str, str]:
    """A share across departments: the median and range of at least MEDIAN_OF_AT_LEAST of
    them, with how many; fewer are given as they are, never called a median."""
    n = len(numbers)
    if n >= MEDIAN_OF_AT_LEAST:
        span = f"{format_share(numbers[0])} to {format_share(numbers[-1])}"
        return f"median {format_share(_median(numbers))} of {n} departments", span
    shown = " and ".join(format_share(v) for v in numbers)
    return f"{shown} ({n} department{'s' if n != 1 else ''} only)", ""


def overview(summary: CycleSummary) -> list[Block]:
    blocks: list[Block] = [Heading("Overview", 1, ("overview",))]
    median = summary.section_medians.get("overall")
    blocks.append(text(standing_sentence(summary)))
    if median is not None:
        blocks.append(text(f"The median overall maturity is {format_maturity(median)} out of 5."))
    else:  # never '– out of 5': say why there is none
        blocks.append(
            text(
                f"No median overall maturity is given: fewer than {MEDIAN_OF_AT_LEAST} "
                "departments have one."
            )
        )
    blocks.append(Heading("Overall maturity across departments", 2, ("overview",)))
    values = [(_name(s.department), s.figures.score.overall) for s in _audited(summary)]
    blocks.append(Figure(distribution_chart(values, width=FRAME_WIDTH), _dots(values)))

    blocks.append(Heading("Headline indicators", 2, ("overview",), "Headline counts"))
    rows = []
    for indicator in summary.questionnaire.indicators:
        entries = summary.leagues.get(indicator.id)
        if not entries:
            continue
        known = [e for e in entries if e.value is not None]
        if indicator.kind == "flag":
            # Counted over the departments that answered; the rest are said, not guessed.
            yes = sum(1 for e in known if e.value is True)
            open_ = [e.text for e in entries if e.value is None]
            rest = "; ".join(
                f"{open_.count(t)} {t.split(' — ')[0].lower()}" for t in dict.fromkeys(open_)
            )
            rows.append(
                [indicator.label, f"Yes in {yes} of {len(known)} departments answering", rest]
            )
        else:
            numbers = sorted(float(e.value) for e in known if isinstance(e.value, int | float))
            if numbers:
                rows.append([indicator.label, *_across(numbers)])
            else:
                rows.append([indicator.label, "Not known", ""])
    blocks.append(Grid(("Indicator", "Across government", "Range"), _rows(rows), (5, 2, 2)))
    return blocks


def status_breakdown(summary: CycleSummary) -> str:
    """'4 drafts, 1 submitted, 0 reviewed, 1 signed off': every status, even when none."""
    counts = summary.status_counts
    parts = []
    for status, count in counts.items():
        label = STATUS_LABELS.get(status, status).lower()
        if status == "draft":
            label = "draft" if count == 1 else "drafts"
        parts.append(f"{count} {label}")
    return ", ".join(parts)


def standing_sentence(summary: CycleSummary) -> str:
    """How far the cycle has got, before any figure: how many audits, at what status, and
    whether the figures can still change."""
    audited = len(_audited(summary))
    total = len(summary.standings)
    counts = summary.status_counts
    signed = counts.get("signed_off", 0)
    drafts = counts.get("draft", 0)
    text = (
        f"{audited} of {total} departments have an audit for {summary.cycle}: "
        f"{status_breakdown(summary)}."
    )
    if audited and signed == audited:
        return text + " Every figure below comes from audits that have been signed off."
    if audited and drafts == audited:
        text += (
            " No audit has been submitted yet, so every figure below comes from drafts "
            "and may change."
        )
    elif signed < audited:
        text += (
            f" {audited - signed} of the {audited} audits are not yet signed off, so their "
            "figures may change; the league tables give each department's status."
        )
    if audited < total:
        text += f" {total - audited} department{'s have' if total - audited != 1 else ' has'}"
        text += " no audit (listed at the end)."
    return text


def _draft_note(summary: CycleSummary, *, lead: str = ": ") -> str:
    """How many of the figures come from audits not yet signed off, as a sentence's end."""
    counts = summary.status_counts
    audited = sum(counts.values())
    unsigned = audited - counts.get("signed_off", 0)
    if not unsigned:
        return "." if lead == ": " else ""
    if unsigned == audited:
        text = "no audit has been signed off yet, so every figure may change."
    else:
        verb = "is" if unsigned == 1 else "are"
        text = (
            f"{unsigned} of {audited} audits {verb} not yet signed off; their figures may change."
        )
    return f"{lead}{text}" if lead == ": " else f"{lead}{text[0].upper()}{text[1:]}"


def _median(values: list[float]) -> float:
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def _name(department: Any) -> str:
    return str(department.abbreviation or department.name)


def heat_map(summary: CycleSummary) -> list[Block]:
    blocks: list[Block] = [Heading("Maturity by department and section", 1, ("heatmap",))]
    blocks.append(
        text(
            "Each cell is the section's maturity from 1 (weak) to 5 (strong). Shading repeats "
            "the rating: Green 3.5 and above, Amber 2.5 to 3.4, Red below 2.5; a dash means "
            "not scored. 'Provisional (n of m answered)' marks a rating resting on fewer "
            "than half of its scoring questions (of all sections, for Overall). Status says "
            f"how far each audit has got{_draft_note(summary)}",
            "muted",
        )
    )
    sections = [s for s in summary.questionnaire.sections if s.scored]
    header = ["Department", *[s.title for s in sections], "Overall", "Status"]
    rows: list[list[str]] = []
    tints: list[tuple[int, int, str]] = []
    row_index = 0
    for standing in summary.standings:
        figures = standing.figures
        if figures is None:
            continue
        values = [figures.score.section_maturity.get(s.id) for s in sections]
        values.append(figures.score.overall)
        status = STATUS_LABELS.get(figures.audit.status, figures.audit.status)
        cells = [format_maturity(v) for v in values]
        for col, section in enumerate([*sections, None]):
            covered = (
                figures.score.section_coverage.get(section.id)
                if section
                else figures.score.overall_coverage
            )
            if covered is not None and covered.provisional and values[col] is not None:
                cells[col] += f" {covered.marker}"  # said beside the rating, never hidden
        rows.append([standing.department.name, *cells, status])
        for col, value in enumerate(values, 1):
            tints.append((col, row_index, tint_hex(rating(value)[1])))
        row_index += 1
    medians = [summary.section_medians.get(s.id) for s in sections]
    medians.append(summary.section_medians.get("overall"))
    rows.append(["Median", *[format_maturity(m) for m in medians], ""])
    widths = (2.6, *([1.0] * len(sections)), 0.8, 1.0)
    numeric = tuple(range(1, len(sections) + 2))
    blocks.append(
        Grid(
            tuple(header),
            _rows(rows),
            widths,
            numeric=numeric,
            tints=tuple(tints),
            bold_last=True,
            wide=True,
        )
    )
    return blocks


def leagues(summary: CycleSummary) -> list[Block]:
    blocks: list[Block] = [Heading("Indicator league tables", 1, ("leagues",))]
    blocks.append(
        text(
            "Departments ranked on each share, best first: each table says which end is "
            "better. Departments whose shares print the same share a rank. Each share is of "
            "what its title names, in the department's own figures. Yes/no indicators are "
            "counted, not ranked. Figures from audits not yet signed off may change.",
            "muted",
        )
    )
    for indicator in summary.questionnaire.indicators:
        entries = summary.leagues.get(indicator.id)
        if not entries:
            continue
        blocks.append(KeepSpace(160))
        blocks.append(
            Heading(
                indicator.label,
                2,
                (
                    "leagues",
                    indicator.id,
                ),
            )
        )
        if indicator.kind == "flag":
            blocks += _counted(entries)
            continue
        rows = []
        for entry in entries:
            number = entry.value if isinstance(entry.value, int | float) else None
            rows.append(
                [
                    str(entry.rank) if entry.rank is not None else "–",
                    entry.department.name,
                    _not_asked(summary, entry.department.id, indicator.id) or format_share(number),
                    STATUS_LABELS.get(entry.audit_status, entry.audit_status),
                ]
            )
        blocks.append(
            Grid(
                ("Rank", "Department", f"Share ({indicator.better} is better)", "Audit status"),
                _rows(rows),
                (0.7, 4.2, 1.9, 1.3),
                numeric=(0, 2),
            )
        )
    return blocks


def _not_asked(summary: CycleSummary, department_id: str, indicator_id: str) -> str:
    """'Not asked (version 1)' for an audit whose questionnaire lacks the indicator: not
    measured, which a dash (no figure from its answers) would not say."""
    for standing in summary.standings:
        if standing.department.id == department_id and standing.figures is not None:
            form = standing.figures.questionnaire
            if all(i.id != indicator_id for i in form.indicators):
                return f"Not asked (version {form.version})"
    return ""


def _counted(entries: list[Any]) -> list[Block]:
    """A yes/no indicator: how many departments say yes, and who, in name order."""
    yes = sum(1 for e in entries if e.value is True)
    no = sum(1 for e in entries if e.value is False)
    conflicting = sum(1 for e in entries if e.value is None and e.status == CONFLICTING)
    unanswered = len(entries) - yes - no - conflicting
    # the same count as the headline table: Yes over the departments answering
    said = f"Yes in {yes} of {yes + no} departments answering, No in {no}"
    if unanswered:
        said += f", not answered in {unanswered}"
    if conflicting:
        said += f", conflicting in {conflicting}"
    rows = [
        [e.department.name, e.text, STATUS_LABELS.get(e.audit_status, e.audit_status)]
        for e in sorted(entries, key=lambda e: e.department.name)
    ]
    return [
        text(said + "."),
        Grid(("Department", "Answer", "Audit status"), _rows(rows), (4.6, 2.2, 1.3)),
    ]


def distributions(summary: CycleSummary) -> list[Block]:
    blocks: list[Block] = [Heading("Distributions by section", 1, ("distributions",))]
    blocks.append(
        text(
            "Each dot is one department's maturity in the section; the line marks the "
            f"cross-government median, where at least {MEDIAN_OF_AT_LEAST} departments are "
            f"scored.{_draft_note(summary, lead=' ')}",
            "muted",
        )
    )
    audited = _audited(summary)
    for section in summary.questionnaire.sections:
        if not section.scored:
            continue
        values = [
            (_name(s.department), s.figures.score.section_maturity.get(section.id)) for s in audited
        ]
        blocks.append(KeepSpace(120))
        blocks.append(
            Heading(
                section.title,
                2,
                (
                    "distributions",
                    section.id,
                ),
            )
        )
        blocks.append(Figure(distribution_chart(values, width=FRAME_WIDTH), _dots(values)))
    return blocks


def not_submitted(summary: CycleSummary) -> list[Block]:
    blocks: list[Block] = [KeepSpace(200)]
    blocks.append(Heading("Departments that have not submitted", 1, ("not-submitted",)))
    if not summary.not_submitted:
        blocks.append(text(f"Every department has submitted its {summary.cycle} audit."))
        return blocks
    rows = [[dept.name, reason] for dept, reason in summary.not_submitted]
    blocks.append(Grid(("Department", "Position"), _rows(rows), (3, 2)))
    return blocks
