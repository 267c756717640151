"""The board report's pages, in reading order: cover, summary, recommendations, charts, detail.

The section detail and the appendices are laid out in `board_report_detail`.

Every string a user typed goes through `para()` (escaped); nothing here reads the store.
"""

from __future__ import annotations

import math
from datetime import date

from reportlab.platypus import Flowable

from exporters.board_recommendations import recommendations
from exporters.board_report import BoardReportData
from exporters.board_report_detail import answer_text as answer_text
from exporters.board_report_detail import appendices as appendix_blocks
from exporters.board_report_detail import cell_text as cell_text
from exporters.board_report_detail import column_widths as column_widths
from exporters.board_report_detail import (
    section_detail,
    table_appendices,
)
from exporters.chart_inputs import contractor_share_series, workforce_mix
from exporters.data_quality_appendix import data_quality_appendices
from exporters.evidence_appendix import appendix_rows, citation
from exporters.indicator_notes import indicator_notes
from exporters.pdf_charts import (
    maturity_vs_median_chart,
    programmes_by_confidence_chart,
    share_trend_chart,
    workforce_mix_chart,
)
from exporters.pdf_document import FRAME_WIDTH, Styles
from exporters.report_blocks import rating, tint_hex
from exporters.report_content import (
    Appendix,
    AppendixSource,
    Block,
    Change,
    Column,
    Figure,
    Grid,
    Heading,
    KeepSpace,
    Link,
    LongTable,
    NewPage,
    Space,
    Text,
    lettered,
    text,
)
from exporters.report_pdf import flowables
from models.content_hash import short as short_hash
from models.cycle_summary import MEDIAN_OF_AT_LEAST, AuditFigures
from models.department_lineage import cycle_as_named
from models.department_trends import NOT_COMPARABLE, indicator_change, indicator_text
from models.formatting import (
    MATURITY,
    change_between,
    format_date,
    format_maturity,
    format_share,
)
from models.recommendations import finding_links
from models.records import STATUS_LABELS
from models.reference import reference_list

# The board report's appendices, in letter order: each source gives its appendices (none
# when it has nothing to list). Table appendices come first: the section detail cites
# their letters. A new appendix is one more source at the end of this list.


def evidence_appendices(data: BoardReportData) -> list[Appendix]:
    """The files kept with the audit, numbered as the findings cite them (evidence_appendix)."""
    q = data.figures.questionnaire
    rows = appendix_rows(
        data.evidence, q, redact_names=data.options.redact_names, places=data.evidence_places
    )
    if not rows:
        return []
    n = len(rows)
    lead = text(
        f"{n} evidence file{'s' if n != 1 else ''} kept with this audit, by the section "
        "and question each supports. Findings cite them by number. The SHA-256 identifies "
        "each file exactly: a copy whose SHA-256 differs is not the file cited."
    )
    columns = (
        Column("No.", 0.4), Column("Section", 1.2), Column("Question", 1.6), Column("File", 1.5),
        Column("Added", 0.9), Column("SHA-256", 1.5),
    )  # fmt: skip
    table = [[r.ref, r.section, r.question_text, r.name, r.added, r.sha256_text] for r in rows]
    return [Appendix("Evidence", [lead, Space(4), LongTable(columns, table, max_lines=8)])]


APPENDIX_SOURCES: list[AppendixSource] = [
    table_appendices,
    data_quality_appendices,
    evidence_appendices,
]

HANDLING = {
    "OFFICIAL": "Handle as OFFICIAL: routine government business, not for publication.",
    "OFFICIAL-SENSITIVE": (
        "Handle as OFFICIAL-SENSITIVE: share only with those who need to know; "
        "do not forward outside government."
    ),
}


def long_date(value: date) -> str:
    return format_date(value)


def iso_day(day: str) -> str:
    return format_date(day)


def board_content(data: BoardReportData) -> list[Block]:
    """Every block of the board report, in order: what both the PDF and the Word file say."""
    blocks: list[Block] = []
    blocks += cover(data)
    blocks += [NewPage("body")]
    blocks += executive_summary(data)
    blocks += [NewPage()]
    blocks += recommendations(data)
    blocks += [NewPage()]
    blocks += charts(data)
    blocks += [NewPage()]
    blocks += section_detail(data)
    blocks += indicator_notes(data.figures, data.rows)
    blocks += lettered([a for source in APPENDIX_SOURCES for a in source(data)])
    return blocks


def board_story(data: BoardReportData) -> list[Flowable]:
    """Every flowable of the board report's PDF, in order."""
    return flowables(board_content(data))


def appendices(data: BoardReportData, styles: Styles) -> list[Flowable]:
    """The table appendices as PDF flowables (each from its page break)."""
    return flowables(appendix_blocks(data), styles)


# --------------------------------------------------------------------------- cover


SEAL_NOTE = (
    "The sign-off seal is a hash over the department (id and name), the cycle, the auditor "
    "and the content hash at sign-off; verify --against with it shows whether any has "
    "changed since."
)


def cover(data: BoardReportData) -> list[Block]:
    audit = data.figures.audit
    marking = data.options.marking
    status = STATUS_LABELS.get(audit.status, audit.status)
    if audit.status == "signed_off":
        sign_off = f"Signed off {iso_day(audit.updated_at)}" if audit.updated_at else "Signed off"
    else:
        sign_off = f"{status}: not yet signed off"
    rows: list[tuple[str, str]] = [
        ("Department", audit.department_name),
        ("Audit cycle", audit.cycle),
        ("Status", sign_off),
        *(
            [("Content hash", short_hash(audit.content_hash)), ("Chain head", data.chain_head)]
            if audit.status == "signed_off" and audit.content_hash
            else [("Chain head", data.chain_head)]  # a draft circulated anchors the history too
            if data.chain_head
            else []
        ),
        *([("Sign-off seal", short_hash(data.sign_off_seal))] if data.sign_off_seal else []),
        ("Auditor", audit.auditor or "Not recorded"),
        (
            "Questionnaire",
            f"{data.figures.questionnaire.title}, version {audit.questionnaire_version}",
        ),
        ("Date of report", long_date(data.issued)),
        ("Protective marking", marking),
    ]
    blocks: list[Block] = [
        Space(90),
        text("Technology capability audit", "subtitle"),
        Space(6),
        text(audit.department_name, "title"),
        Space(4),
        text(f"Board report, {audit.cycle}", "subtitle"),
        Space(40),
        Grid(("", ""), tuple(rows), (1, 2.6)),
    ]
    if data.sign_off_seal:
        blocks += [Space(6), text(SEAL_NOTE, "small")]
    blocks += [
        Space(24),
        text(HANDLING.get(marking, "")),
    ]
    if data.options.redact_names:
        blocks.append(
            text(
                "Names of post holders have been replaced by short labels for wider "
                "circulation: “Post” and the post's reference, or a code for the row."
            )
        )
    blocks += [
        Space(12),
        text(
            "Maturity is scored from 1 (weak) to 5 (strong) from the answers to the audit "
            "questionnaire; figures are as recorded by the auditor on the date of this report.",
            "muted",
        ),
    ]
    return blocks


# --------------------------------------------------------------------------- summary


def _as_named(prior: AuditFigures, figures: AuditFigures) -> str:
    """The prior audit's cycle, '(as DCLG)' when it is of the department's former name."""
    return cycle_as_named(prior.audit, figures.audit.department_id)


def executive_summary(data: BoardReportData) -> list[Block]:
    figures = data.figures
    q = figures.questionnaire
    score = figures.score
    prior = data.prior
    blocks: list[Block] = [Heading("Executive summary", 1, ("summary",))]
    overall = score.overall
    median = data.medians.get("overall")
    lead = f"Overall maturity is {format_maturity(overall)} out of 5"
    if overall is None:
        lead = "No section can be scored yet"
    else:
        word = rating(overall)[0].split(": ")[1]
        thin = score.overall_coverage  # on thin evidence: said, as for a section
        said = f"{word}; provisional: {thin.text}" if thin and thin.provisional else word
        lead += f" ({said})"
        if median is not None:
            lead += f", against a cross-government median of {format_maturity(median)}"
    lead += "."
    if figures.completion is not None:
        lead += (
            f" {format_share(figures.completion)} of the questions that apply have been answered."
        )
    if prior is not None and prior.score.overall is not None and overall is not None:
        earlier = format_maturity(prior.score.overall)
        lead += f" In {_as_named(prior, figures)} it was {earlier} out of 5."
    elif prior is None:
        lead += " This is the department's first audit, so there is no earlier figure to compare."
    blocks.append(text(lead))

    blocks.append(Heading("Maturity by section", 2, ("summary",), "Maturity by section"))
    rows: list[tuple[str | Change, ...]] = []
    tints: list[tuple[int, int, str]] = []
    sections = [s for s in q.sections if s.scored]
    for index, section in enumerate([*sections, None]):
        if section is None:
            title, value, key = "Overall", overall, "overall"
            was = prior.score.overall if prior else None
        else:
            title, key = section.title, section.id
            value = score.section_maturity.get(section.id)
            was = prior.score.section_maturity.get(section.id) if prior else None
        word, tint = rating(value)
        covered = score.section_coverage.get(key) if section else score.overall_coverage
        if covered is not None and covered.provisional and value is not None:
            word = f"{word} · {covered.marker}"  # thin evidence is said beside the rating
        change = (
            change_between(value, was, MATURITY, better="higher")
            if value is not None and was is not None
            else ""
        )
        rows.append(
            (
                title,
                format_maturity(value),
                word,
                format_maturity(data.medians.get(key)),
                Change(change),
            )
        )
        tints.append((2, index, tint_hex(tint)))
    since = f"Change since {_as_named(prior, data.figures)}" if prior else "Change since last audit"
    blocks.append(
        Grid(
            ("Section", "Maturity (1–5)", "Rating", "Median across government", since),
            tuple(rows),
            (2.8, 1.1, 1.9, 1.5, 1.8),
            numeric=(1, 3),
            tints=tuple(tints),
            bold_last=True,
        )
    )
    if any(data.medians.get(key) is None for key in [*(s.id for s in sections), "overall"]):
        blocks.append(
            text(
                f"No median is given where fewer than {MEDIAN_OF_AT_LEAST} audits of the "
                "cycle have that figure."
            )
        )

    blocks.append(Heading("Headline indicators", 2, ("summary",), "Headline indicators"))
    ind_rows: list[tuple[str | Change, ...]] = []
    before = prior.score.indicators if prior else {}
    for indicator in q.indicators:
        now = score.indicators.get(indicator.id)
        if now is None:
            continue
        shown_now = indicator_text(now)
        if now.coverage is not None and now.coverage.provisional and now.value is not None:
            shown_now = f"{shown_now} · {now.coverage.marker}"
        then = before.get(indicator.id)
        change = indicator_change(now, then, indicator.better)
        if prior is not None and not change:  # say why there is no change, never leave a gap
            change = (
                NOT_COMPARABLE
                if then is not None
                else f"Not measured in {_as_named(prior, data.figures)}"
            )
        ind_rows.append((indicator.label, shown_now, Change(change)))
    blocks.append(Grid(("Indicator", "Now", since), tuple(ind_rows), (5.2, 1.6, 2.3), numeric=(1,)))
    blocks.append(Heading("Key findings", 2, ("summary",), "Key findings"))
    links = finding_links(data.findings, data.recommendations)
    for number, finding in enumerate(data.findings, 1):
        parts: list[str | Link] = [
            finding.text
            + citation(finding, data.evidence, data.figures.questionnaire, data.evidence_places)
        ]
        targets = [r + 1 for r in links.get(number - 1, [])]
        if targets:
            parts.append(" (see ")
            for i, r in enumerate(targets):
                if i:
                    parts.append(", ")
                parts.append(Link(f"Recommendation {r}", f"rec-{r}", underline=True))
            parts.append(")")
        blocks.append(Text(tuple(parts), anchor=f"finding-{number}", number=f"{number}."))
    return blocks


# --------------------------------------------------------------------------- charts


def charts(data: BoardReportData) -> list[Block]:
    figures = data.figures
    q = figures.questionnaire
    blocks: list[Block] = [Heading("The picture in charts", 1, ("charts",))]

    blocks.append(Heading("Maturity by section", 2, ("charts",), "Maturity against the median"))
    rows = [
        (s.title, figures.score.section_maturity.get(s.id), data.medians.get(s.id))
        for s in q.sections
        if s.scored
    ]
    blocks.append(
        Figure(
            maturity_vs_median_chart(rows, subject=_short(data), width=FRAME_WIDTH),
            "Each scored section's maturity (1 to 5) against the cross-government median.",
        )
    )

    blocks.append(
        Heading(
            "Technology workforce by role family and staff type",
            2,
            ("charts",),
            "Workforce mix",
        )
    )
    blocks += _workforce_chart(data)

    blocks.append(KeepSpace(220))
    blocks.append(
        Heading("Contractor and consultant share over time", 2, ("charts",), "Contractor share")
    )
    if len(data.history) >= 2:
        categories, series = contractor_share_series(data.history)
        blocks.append(
            Figure(
                share_trend_chart(categories, series, width=FRAME_WIDTH, height=125),
                "The contractor and consultant share of the technology workforce at each audit.",
            )
        )
    else:
        blocks.append(
            text("This is the department's first audit: the trend starts with the next one.")
        )

    programmes = _programmes_chart(data)
    room = sum(
        getattr(b.drawing, "height", 14) if isinstance(b, Figure) else 14 for b in programmes
    )
    blocks.append(KeepSpace(36 + room))
    blocks.append(Heading("Major programmes by delivery confidence", 2, ("charts",), "Programmes"))
    blocks += programmes
    return blocks


def _short(data: BoardReportData) -> str:
    return data.department.abbreviation or data.department.name


def _workforce_chart(data: BoardReportData) -> list[Block]:
    mix = workforce_mix(data.figures.questionnaire, data.rows)
    if mix is None:
        return []
    if not math.isfinite(sum(mix.totals.values())):  # 1e308 FTEs stored before bounds: a bar
        # of inf cannot be drawn (reportlab failed the whole report)
        return [text("The workforce figures are too large to chart: Appendix B lists them.")]
    if not any(v > 0 for v in mix.totals.values()):  # no bar to draw or describe
        if not mix.rows:
            return [text("No technology workforce is recorded.")]
        zero = f" Every row with {'an' if mix.measure == 'FTE' else 'a'} {mix.measure} has 0."
        return [text("Nothing to chart." + (zero if mix.totals else "") + mix.note)]
    return [
        Figure(
            workforce_mix_chart(
                mix.families, mix.staff_types, mix.totals, measure=mix.measure, width=FRAME_WIDTH
            ),
            f"The technology workforce ({mix.measure}) of each role family by staff type.",
        ),
        text(
            f"Each bar is one role family; its segments show {mix.measure} by staff type, "
            "numbered as in the key. Appendix B lists every figure." + mix.note,
            "muted",
        ),
    ]


def _programmes_chart(data: BoardReportData) -> list[Block]:
    value = data.figures.score.indicators.get("programmes_by_rag")
    if value is None or not value.groups:
        return [text("No major programmes are recorded.")]
    rag = reference_list("rag")
    rows = []
    known = set()
    for item in rag.items:
        known.add(item.value)
        if item.value in value.groups:
            count, cost = value.groups[item.value]
            if value.valued.get(item.value, 0) < count:  # a blank cost is not £0: no sum
                cost = math.nan
            colour = str(item.attributes.get("colour", "#b1b4b6"))
            rows.append((item.label, colour, count, cost))
    for key, (count, cost) in value.groups.items():
        if key not in known:
            cost = cost if value.valued.get(key, 0) == count else math.nan
            rows.append((key or "Not given", "#b1b4b6", count, cost))
    return [
        Figure(
            programmes_by_confidence_chart(rows, width=FRAME_WIDTH),
            "How many major programmes, and how much money, sit at each delivery confidence.",
        )
    ]
