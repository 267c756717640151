"""The board report's pages, in reading order: cover, summary, recommendations, charts, detail.

The section detail and the appendices are laid out in `board_report_detail`.

Every string a user typed goes through `para()` (escaped); nothing here reads the store.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from exporters.board_recommendations import recommendations
from exporters.board_report import BoardReportData
from exporters.board_report_detail import (
    APPENDIX_LETTERS,
    _appendix_letters,
    appendices,
    section_detail,
)
from exporters.board_report_detail import answer_text as answer_text
from exporters.board_report_detail import cell_text as cell_text
from exporters.board_report_detail import column_widths as column_widths
from exporters.chart_inputs import contractor_share_series, workforce_mix
from exporters.data_quality_appendix import data_quality_appendix
from exporters.evidence_appendix import appendix_rows, citation, evidence_appendix
from exporters.indicator_notes import indicator_notes
from exporters.pdf_charts import (
    maturity_vs_median_chart,
    programmes_by_confidence_chart,
    share_trend_chart,
    workforce_mix_chart,
)
from exporters.pdf_document import (
    FRAME_WIDTH,
    Styles,
    make_styles,
    para,
    safe,
)
from exporters.report_blocks import ChangeCell, grid, heading, rating
from models.content_hash import short as short_hash
from models.department_trends import NOT_COMPARABLE, indicator_change, indicator_text
from models.formatting import (
    MATURITY,
    format_change,
    format_date,
    format_maturity,
    format_share,
)
from models.recommendations import finding_links
from models.records import STATUS_LABELS
from models.reference import reference_list

HANDLING = {
    "OFFICIAL": "Handle as OFFICIAL: routine government business, not for publication.",
    "OFFICIAL-SENSITIVE": (
        "Handle as OFFICIAL-SENSITIVE: share only with those who need to know; "
        "do not forward outside government."
    ),
}


def long_date(value: date) -> str:
    return format_date(value)


def iso_day(text: str) -> str:
    return format_date(text)


def board_story(data: BoardReportData) -> list[Flowable]:
    """Every flowable of the board report, in order."""
    styles = make_styles()
    story: list[Flowable] = []
    story += cover(data, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += executive_summary(data, styles)
    story += [PageBreak()]
    story += recommendations(data, styles)
    story += [PageBreak()]
    story += charts(data, styles)
    story += [PageBreak()]
    story += section_detail(data, styles)
    story += indicator_notes(data.figures, styles)
    story += appendices(data, styles)
    story += data_quality_appendix(
        data.data_quality,
        APPENDIX_LETTERS[len(_appendix_letters(data))],
        styles,
        signed_off=data.figures.audit.status == "signed_off",
    )
    story += evidence_appendix(
        appendix_rows(
            data.evidence, data.figures.questionnaire, redact_names=data.options.redact_names
        ),
        APPENDIX_LETTERS[len(_appendix_letters(data)) + (1 if data.data_quality else 0)],
        styles,
    )
    return story


# --------------------------------------------------------------------------- cover


SEAL_NOTE = (
    "The sign-off seal is a hash over the department (id and name), the cycle, the auditor "
    "and the content hash at sign-off; verify --against with it shows whether any has "
    "changed since."
)


def cover(data: BoardReportData, styles: Styles) -> list[Flowable]:
    audit = data.figures.audit
    marking = data.options.marking
    status = STATUS_LABELS.get(audit.status, audit.status)
    if audit.status == "signed_off":
        sign_off = f"Signed off {iso_day(audit.updated_at)}" if audit.updated_at else "Signed off"
    else:
        sign_off = f"{status}: not yet signed off"
    rows = [
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
    story: list[Flowable] = [
        Spacer(1, 90),
        para("Technology capability audit", styles.subtitle),
        Spacer(1, 6),
        para(audit.department_name, styles.title),
        Spacer(1, 4),
        para(f"Board report, {audit.cycle}", styles.subtitle),
        Spacer(1, 40),
        grid(("", ""), rows, styles, (1, 2.6)),
        *([Spacer(1, 6), para(SEAL_NOTE, styles.small)] if data.sign_off_seal else []),
        Spacer(1, 24),
        para(HANDLING.get(marking, ""), styles.body),
    ]
    if data.options.redact_names:
        story.append(
            para(
                "Names of post holders have been replaced by short labels for wider "
                "circulation: “Post” and the post's reference, or a code for the row.",
                styles.body,
            )
        )
    story += [
        Spacer(1, 12),
        para(
            "Maturity is scored from 1 (weak) to 5 (strong) from the answers to the audit "
            "questionnaire; figures are as recorded by the auditor on the date of this report.",
            styles.muted,
        ),
    ]
    return story


# --------------------------------------------------------------------------- summary


def executive_summary(data: BoardReportData, styles: Styles) -> list[Flowable]:
    figures = data.figures
    q = figures.questionnaire
    score = figures.score
    prior = data.prior
    story = heading("Executive summary", styles.h1, 0, "summary")
    overall = score.overall
    median = data.medians.get("overall")
    lead = f"Overall maturity is {format_maturity(overall)} out of 5"
    if overall is None:
        lead = "No section can be scored yet"
    else:
        word = rating(overall)[0].split(": ")[1]
        lead += f" ({word})"
        if median is not None:
            lead += f", against a cross-government median of {format_maturity(median)}"
    lead += "."
    if figures.completion is not None:
        lead += (
            f" {format_share(figures.completion)} of the questions that apply have been answered."
        )
    if prior is not None and prior.score.overall is not None and overall is not None:
        lead += f" In {prior.audit.cycle} it was {format_maturity(prior.score.overall)} out of 5."
    elif prior is None:
        lead += " This is the department's first audit, so there is no earlier figure to compare."
    story.append(para(lead, styles.body))

    story += heading("Maturity by section", styles.h2, 1, "summary", outline="Maturity by section")
    rows: list[list[str]] = []
    tints: list[tuple[int, int, Any]] = []
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
        covered = score.section_coverage.get(key) if section is not None else None
        if covered is not None and covered.provisional and value is not None:
            word = f"{word} · {covered.marker}"  # thin evidence is said beside the rating
        change = (
            format_change(value - was, MATURITY, better="higher")
            if value is not None and was is not None
            else ""
        )
        change_cell = ChangeCell(change, styles.cell) if change else ""
        rows.append(
            [
                title,
                format_maturity(value),
                word,
                format_maturity(data.medians.get(key)),
                change_cell,
            ]
        )
        tints.append((2, index, tint))
    since = f"Change since {prior.audit.cycle}" if prior else "Change since last audit"
    story.append(
        grid(
            ("Section", "Maturity (1–5)", "Rating", "Median across government", since),
            rows,
            styles,
            (2.8, 1.1, 1.9, 1.5, 1.8),
            numeric=(1, 3),
            tints=tints,
            bold_last=True,
        )
    )

    story += heading("Headline indicators", styles.h2, 1, "summary", outline="Headline indicators")
    ind_rows = []
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
            change = NOT_COMPARABLE if then is not None else f"Not measured in {prior.audit.cycle}"
        ind_rows.append([indicator.label, shown_now, ChangeCell(change, styles.cell)])
    story.append(grid(("Indicator", "Now", since), ind_rows, styles, (5.2, 1.6, 2.3), numeric=(1,)))
    story += heading("Key findings", styles.h2, 1, "summary", outline="Key findings")
    links = finding_links(data.findings, data.recommendations)
    for number, finding in enumerate(data.findings, 1):
        markup = f'<a name="finding-{number}"/>{safe(finding.text)}'
        markup += safe(citation(finding, data.evidence, data.figures.questionnaire))
        targets = [r + 1 for r in links.get(number - 1, [])]
        if targets:
            refs = ", ".join(
                f'<a href="#rec-{r}" color="#1d3557"><u>Recommendation {r}</u></a>' for r in targets
            )
            markup += f" (see {refs})"
        story.append(Paragraph(markup, _bulleted(styles, number)))
    return story


def _bulleted(styles: Styles, number: int) -> Any:
    style = styles.bullet.clone(f"bullet{number}")
    style.bulletText = f"{number}."
    style.bulletFontName = styles.body.fontName
    return style


# --------------------------------------------------------------------------- recommendations


# --------------------------------------------------------------------------- charts


def charts(data: BoardReportData, styles: Styles) -> list[Flowable]:
    figures = data.figures
    q = figures.questionnaire
    story = heading("The picture in charts", styles.h1, 0, "charts")

    story += heading(
        "Maturity by section", styles.h2, 1, "charts", outline="Maturity against the median"
    )
    rows = [
        (s.title, figures.score.section_maturity.get(s.id), data.medians.get(s.id))
        for s in q.sections
        if s.scored
    ]
    story.append(maturity_vs_median_chart(rows, subject=_short(data), width=FRAME_WIDTH))

    story += heading(
        "Technology workforce by role family and staff type",
        styles.h2,
        1,
        "charts",
        outline="Workforce mix",
    )
    story += _workforce_chart(data, styles)

    story.append(CondPageBreak(220))
    story += heading(
        "Contractor and consultant share over time",
        styles.h2,
        1,
        "charts",
        outline="Contractor share",
    )
    if len(data.history) >= 2:
        categories, series = contractor_share_series(data.history)
        story.append(share_trend_chart(categories, series, width=FRAME_WIDTH, height=125))
    else:
        story.append(
            para(
                "This is the department's first audit: the trend starts with the next one.",
                styles.body,
            )
        )

    programmes = _programmes_chart(data, styles)
    story.append(CondPageBreak(36 + sum(getattr(f, "height", 14) for f in programmes)))
    story += heading(
        "Major programmes by delivery confidence", styles.h2, 1, "charts", outline="Programmes"
    )
    story += programmes
    return story


def _short(data: BoardReportData) -> str:
    return data.department.abbreviation or data.department.name


def _workforce_chart(data: BoardReportData, styles: Styles) -> list[Flowable]:
    mix = workforce_mix(data.figures.questionnaire, data.rows)
    if mix is None:
        return []
    return [
        workforce_mix_chart(
            mix.families, mix.staff_types, mix.totals, measure=mix.measure, width=FRAME_WIDTH
        ),
        para(
            f"Each bar is one role family; its segments show {mix.measure} by staff type, "
            "numbered as in the key. Appendix B lists every figure.",
            styles.muted,
        ),
    ]


def _programmes_chart(data: BoardReportData, styles: Styles) -> list[Flowable]:
    value = data.figures.score.indicators.get("programmes_by_rag")
    if value is None or not value.groups:
        return [para("No major programmes are recorded.", styles.body)]
    rag = reference_list("rag")
    rows = []
    known = set()
    for item in rag.items:
        known.add(item.value)
        if item.value in value.groups:
            count, cost = value.groups[item.value]
            colour = str(item.attributes.get("colour", "#b1b4b6"))
            rows.append((item.label, colour, count, cost))
    for key, (count, cost) in value.groups.items():
        if key not in known:
            rows.append((key or "Not given", "#b1b4b6", count, cost))
    return [programmes_by_confidence_chart(rows, width=FRAME_WIDTH)]
