"""For random audits every surface prints the same headline figures (hypothesis).

One random audit (answers of every type, unanswered ones, answers its roles table
contradicts, vacant posts, 'None of these', blank cells, any status) is stored in a real
workspace; then the models' figures, the workbook's Summary (openpyxl, as numbers, shown
as Excel shows them), the board report's executive summary (pypdf) and the dashboard (the
model rows and the Qt model's text) must agree figure for figure, and no sentence may say
Yes or No about a flag that is not answered.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from exporters.audit_workbook import export_audits
from exporters.board_report import gather, write_board_report
from exporters.dashboard_workbook import write_dashboard_workbook
from exporters.report_blocks import rating
from exporters.report_options import ReportOptions
from models.cycle_summary import AuditFigures, audit_figures
from models.dashboard import cycle_dashboard, table_values
from models.department_trends import indicator_text
from models.formatting import (
    POINTS_FORMAT,
    format_count,
    format_maturity,
    format_points,
    format_share,
)
from models.indicator_flags import ANSWERED
from models.questionnaire import Field, current_questionnaire
from models.records import STATUS_LABELS, STATUSES
from models.store import Store
from models.validation import visible_questions
from models.values import is_empty
from ui.dashboard_view import DashboardModel

Q = current_questionnaire()
CYCLE = "2014 review"
TEXT = st.text(alphabet="abc XYZ&<'", min_size=1, max_size=8)


def _value(item: Field) -> st.SearchStrategy[Any]:
    """Any value the form could hold for a question or a table column."""
    values = sorted(item.option_values)
    if item.type == "yesno":
        return st.booleans()
    if item.type == "maturity":
        return st.integers(1, 5)
    if item.type == "single_choice" and values:
        return st.sampled_from(values)
    if item.type == "multi_choice" and values:
        named = [v for v in values if v not in item.exclusive_values]
        alone = [[v] for v in sorted(item.exclusive_values)]
        # 'None of these' alone, named areas, and (stored from outside) both together
        return st.one_of(
            st.sampled_from(alone) if alone else st.nothing(),
            st.lists(st.sampled_from(named), min_size=1, max_size=3, unique=True),
            st.lists(st.sampled_from(values), min_size=2, max_size=3, unique=True),
        )
    if item.type == "percentage":
        return st.integers(0, 100)
    if item.type == "integer":
        return st.integers(0, 40)
    if item.type in ("decimal", "currency"):
        return st.one_of(
            st.integers(0, 40).map(float), st.integers(0, 10**9).map(lambda p: p / 100)
        )
    if item.type == "date":
        return st.dates(date(2010, 1, 1), date(2020, 12, 31)).map(date.isoformat)
    return TEXT


# the flags' questions are drawn every time (None: unanswered, so stored as blank)
FLAG_QUESTIONS = ("digital_leader_nominated", "digital_leader_on_board", "cio_on_board")
ANSWERS = st.fixed_dictionaries(
    {q: st.one_of(st.none(), st.booleans()) for q in FLAG_QUESTIONS},
    optional={
        q.id: _value(q) for q in Q.questions() if not q.is_table and q.id not in FLAG_QUESTIONS
    },
)


def _row(table_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """A row with any of its cells blank."""
    cells = {c.id: _value(c) for c in Q.question(table_id).columns}
    if table_id == "senior_roles":  # leading posts often, so answers and rows often disagree
        leading = st.sampled_from(["cio", "cdio", "digital_leader"])
        role = st.one_of(leading, cells.pop("role_type"))
        fixed = {"role_type": role, "board_member": st.booleans()}
        cells.pop("board_member")
        return st.fixed_dictionaries(fixed, optional=cells)
    return st.fixed_dictionaries({}, optional=cells)


ROWS = st.fixed_dictionaries({t.id: st.lists(_row(t.id), max_size=5) for t in Q.table_questions()})
# the audit, and sometimes the department's audit of the cycle before (changes, 'no longer')
AUDITS = st.tuples(
    ANSWERS, ROWS, st.sampled_from(STATUSES), st.one_of(st.none(), st.tuples(ANSWERS, ROWS))
)


# --------------------------------------------------------------------------- reading back


def _excel_text(value: Any, number_format: str) -> str:
    """A number as Excel shows it in a '0%' or '0.0' cell (half away from zero), or a literal."""
    if value is None:
        return "–"
    literal = re.fullmatch(r'"([^"]*)"', number_format)
    if literal:
        return literal.group(1)
    number = Decimal(repr(float(value)))
    if number_format == "0%":
        whole = (number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{whole}%"
    assert number_format == "0.0", number_format
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def _summary_row(path: Path) -> dict[str, Any]:
    """The Summary's one audit row: header -> cell."""
    sheet = load_workbook(path)["Summary"]
    header = [c.value for c in sheet[1]]
    return dict(zip(header, sheet[2], strict=False))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_pages(path: Path) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(path).pages]


def _between(text: str, start: str, end: str) -> str:
    """The text from the heading `start` to the heading `end` (both must be there)."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


# --------------------------------------------------------------------------- expectations


def _section_word(figures: AuditFigures, section_id: str | None) -> str:
    score = figures.score
    value = score.overall if section_id is None else score.section_maturity.get(section_id)
    word = rating(value)[0]
    covered = score.section_coverage.get(section_id) if section_id else score.overall_coverage
    if covered is not None and covered.provisional and value is not None:
        word = f"{word} · {covered.marker}"
    return word


def _indicator_now(figures: AuditFigures, indicator_id: str) -> str:
    found = figures.score.indicators[indicator_id]
    shown = indicator_text(found)
    if found.coverage is not None and found.coverage.provisional and found.value is not None:
        shown = f"{shown} · {found.coverage.marker}"
    return shown


Answers = dict[str, Any]
Rows = dict[str, list[Any]]
RandomAudit = tuple[Answers, Rows, str, tuple[Answers, Rows] | None]


def _fill(store: Store, audit_id: str, answers: Answers, rows: Rows) -> None:
    for question_id, value in answers.items():
        store.set_answer(audit_id, question_id, value)
    for table_id, cells in rows.items():
        if cells:
            store.bulk_rows(audit_id, table_id, cells)


def _store_audit(store: Store, audit: RandomAudit) -> str:
    answers, rows, status, prior = audit
    dept = store.add_department("Department for Work and Pensions", "DWP")
    if prior is not None:
        before = store.create_audit(dept.id, "2013 baseline", Q, "A. Auditor")
        _fill(store, before.id, *prior)
    created = store.create_audit(dept.id, CYCLE, Q, "A. Auditor")
    _fill(store, created.id, answers, rows)
    if status != "draft":
        store.set_status(created.id, status)
    return created.id


@settings(
    max_examples=15,
    deadline=None,
    # a report and a workbook per example make shrinking take minutes: the failing
    # example is printed as found
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@example(  # answered No, but the table has a filled CIO post on the board: Conflicting
    audit=(
        {"cio_on_board": False, "digital_leader_nominated": True},
        {"senior_roles": [{"role_type": "cio", "board_member": True, "grade": "scs2"}]},
        "submitted",
        None,
    )
)
@example(  # unanswered, though the table shows a Digital Leader on the board; was Yes before
    audit=(
        {"digital_leader_nominated": True},
        {"senior_roles": [{"role_type": "digital_leader", "board_member": True}]},
        "signed_off",
        ({"digital_leader_nominated": True, "digital_leader_on_board": True}, {}),
    )
)
@given(audit=AUDITS)
def test_pdf_workbook_dashboard_and_models_print_the_same_figures(
    qtbot: Any, audit: RandomAudit
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store = Store(tmp / "workspace.sqlite")
        try:
            audit_id = _store_audit(store, audit)
            figures = audit_figures(store, audit_id)
            data = gather(store, audit_id, ReportOptions())
            write_board_report(store, audit_id, tmp / "board.pdf")
            export_audits(store, [audit_id], tmp / "audit.xlsx")
            dashboard = cycle_dashboard(store, CYCLE)
        finally:
            store.close()
        _check_figures(figures, tmp / "board.pdf", tmp / "audit.xlsx", dashboard, qtbot)
        _check_no_fact_about_unanswered(figures, data, _pdf_pages(tmp / "board.pdf"))


def _check_figures(
    figures: AuditFigures, pdf: Path, xlsx: Path, dashboard: Any, qtbot: Any
) -> None:
    score = figures.score
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    summary = _summary_row(xlsx)
    model = DashboardModel()
    model.set_dashboard(dashboard)
    (row,) = dashboard.rows
    shown = {
        column.key: model.data(model.index(0, i), Qt.ItemDataRole.DisplayRole)
        for i, column in enumerate(model.columns)
    }

    # Every page says DRAFT until the audit is signed off.
    signed = figures.audit.status == "signed_off"
    assert all(("DRAFT" in page) != signed for page in pages), figures.audit.status
    assert summary["Status"].value == STATUS_LABELS[figures.audit.status] == shown["status"]

    # Completion: the lead sentence, the Summary's fraction and the dashboard.
    completion = format_share(figures.completion)
    assert _excel_text(summary["Completion"].value, summary["Completion"].number_format) == (
        completion if figures.completion is not None else "–"
    )
    assert shown["completion"] == completion
    if figures.completion is not None:
        assert f"{completion} of the questions that apply have been answered" in text

    # Maturity: each scored section and overall, in the executive summary's table.
    table = _between(text, "Maturity by section", "Headline indicators")
    sections = [(s.id, s.title) for s in Q.sections if s.scored]
    for section_id, title in [*sections, (None, "Overall")]:
        value = score.overall if section_id is None else score.section_maturity[section_id]
        printed = format_maturity(value)
        assert f"{title} {printed} {_section_word(figures, section_id)}" in table, title
        header = "Overall maturity" if section_id is None else f"{title} (maturity)"
        cell = summary[header]
        assert cell.value == value, header
        assert _excel_text(cell.value, cell.number_format) == printed, header
        key = "overall" if section_id is None else f"section:{section_id}"
        assert row.value(next(c for c in dashboard.columns if c.key == key)) == value
        assert shown[key] == printed, key
        if section_id is not None:  # thin evidence is said on the dashboard as in the PDF
            column = next(i for i, c in enumerate(model.columns) if c.key == key)
            tip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
            marker = _section_word(figures, section_id).partition(" · ")[2]
            assert (marker in tip) if marker else ("Provisional" not in tip), (key, tip)

    # Headline indicators: shares as whole percentages, flags in words, counts.
    headline = _between(text, "Headline indicators", "Key findings")
    for indicator in Q.indicators:
        found = score.indicators[indicator.id]
        event(f"{indicator.kind}: {indicator_text(found)[:14]}")
        assert f"{indicator.label} {_indicator_now(figures, indicator.id)}" in headline, (
            indicator.id
        )
        key = f"indicator:{indicator.id}"
        column = next(i for i, c in enumerate(model.columns) if c.key == key)
        tip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole) or ""
        marker = _indicator_now(figures, indicator.id).partition(" · ")[2]
        assert (marker in tip) if marker else ("Provisional" not in tip), (key, tip)
        if indicator.kind == "share":
            cell = summary[indicator.label]
            printed = format_share(found.value)  # type: ignore[arg-type]
            assert _excel_text(cell.value, cell.number_format) == printed, indicator.id
            assert shown[key] == printed, indicator.id
        elif indicator.kind == "flag":
            assert summary[indicator.label].value == found.text, indicator.id
            assert shown[key] == found.text, indicator.id
            assert found.text in ("Yes", "No") or found.value is None
        elif indicator.kind == "difference":  # two shares compared, in percentage points
            cell = summary[indicator.label]
            if found.value is None:
                assert cell.value is None, indicator.id
            else:
                assert cell.value == found.value, indicator.id
                assert cell.number_format == POINTS_FORMAT, indicator.id
            assert shown[key] == format_points(found.value), indicator.id  # type: ignore[arg-type]
        else:  # programmes: the count, its total column and the dashboard's count
            assert summary["Major programmes: total"].value == int(found.value or 0)
            # none listed is an unanswered table: the dashboard says so, never '0'
            listed = format_count(found.value) if found.value else "Not answered"  # type: ignore[arg-type]
            assert shown[key] == listed
    qtbot.wait(0)


# Sentences that state a flag as No: none may be printed unless the flag is answered No.
STATED_NO = {
    "digital_leader_on_board": (
        "No digital leader sits on the departmental board",
        "A digital leader no longer sits on the board",
        "Make the Digital Leader a full member of the board",
    ),
    "cio_on_board": (
        "No CIO or equivalent business-led technology leader sits on the board",
        "A CIO or equivalent no longer sits on the board",
        "Put a business-led CIO, or equivalent, on the board",
    ),
}


def _check_no_fact_about_unanswered(figures: AuditFigures, data: Any, pages: list[str]) -> None:
    text = " ".join(pages)
    answers = data.answers
    shown = visible_questions(Q, answers)
    for indicator in Q.indicators:
        if indicator.kind != "flag":
            continue
        found = figures.score.indicators[indicator.id]
        if found.status == ANSWERED and found.value is False:
            continue
        for sentence in STATED_NO[indicator.id]:
            assert sentence not in text, (indicator.id, found.status, sentence)
        for finding in data.findings:
            if f"indicator:{indicator.id}" in finding.refs:
                assert found.status == ANSWERED, finding.text
    for rec in data.recommendations:
        for evidence in rec.evidence:
            if evidence.kind == "question":  # the answer cited is a visible, given answer
                assert evidence.ref in shown and not is_empty(answers.get(evidence.ref)), (
                    rec.id,
                    evidence,
                )
            elif evidence.ref in figures.score.indicators:
                cited = figures.score.indicators[evidence.ref]
                assert cited.kind != "flag" or cited.status == ANSWERED, (rec.id, evidence)


# --------------------------------------------------------------------------- hand-worked


def _edge_shares_audit(store: Store) -> str:
    """Contractors hold 1 of 250 FTE (0.4%) but 249,000 of £250,000 cost (99.6%)."""
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, CYCLE, Q)
    row = {"profession_family": "data"}
    store.bulk_rows(
        audit.id,
        "workforce_mix",
        [
            {**row, "staff_type": "contractor", "fte": 1.0, "annual_cost": 249_000.0},
            {**row, "staff_type": "permanent", "fte": 249.0, "annual_cost": 1_000.0},
        ],
    )
    return audit.id


def test_workbook_shows_a_share_that_rounds_to_none_or_all_as_the_reports_do(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "workspace.sqlite")
    try:
        audit_id = _edge_shares_audit(store)
        figures = audit_figures(store, audit_id)
        export_audits(store, [audit_id], tmp_path / "one.xlsx")
        export_audits(store, [audit_id], tmp_path / "all.xlsx", consolidated=True)
        dashboard = cycle_dashboard(store, CYCLE)
    finally:
        store.close()
    labels = {i.id: i.label for i in Q.indicators}
    assert figures.score.indicators["contractor_share_fte"].value == 0.4
    assert figures.score.indicators["contractor_share_cost"].value == 99.6
    summary = _summary_row(tmp_path / "one.xlsx")
    fte_cell = summary[labels["contractor_share_fte"]]
    cost_cell = summary[labels["contractor_share_cost"]]
    assert fte_cell.value == 0.004 and fte_cell.number_format == '"<1%"'
    assert cost_cell.value == 0.996 and cost_cell.number_format == '">99%"'
    # the share of FTE not employed is the contractors' too: 0.4%, '<1%'; nothing else changes
    assert summary[labels["external_share_fte"]].number_format == '"<1%"'
    long_sheet = load_workbook(tmp_path / "all.xlsx")["All indicators"]
    header = [c.value for c in long_sheet[1]]
    shown = {
        r[header.index("Indicator ID")].value: r[header.index("Value")]
        for r in long_sheet.iter_rows(min_row=2)
    }
    assert shown["contractor_share_fte"].number_format == '"<1%"'
    assert shown["contractor_share_cost"].number_format == '">99%"'
    (row,) = table_values(dashboard.columns, dashboard.rows)
    write_dashboard_workbook(tmp_path / "dashboard.xlsx", dashboard.columns, [row])
    sheet = load_workbook(tmp_path / "dashboard.xlsx")["Dashboard"]
    titles = [c.value for c in sheet[1]]
    cells = dict(zip(titles, sheet[2], strict=False))
    assert cells["Contractor share (FTE)"].number_format == '"<1%"'
    assert cells["Contractor share (cost)"].number_format == '">99%"'


def test_share_format_only_changes_what_0_percent_would_round_to_none_or_all() -> None:
    from models.formatting import share_format

    assert [share_format(p) for p in (0, 0.4, 0.5, 50, 99.4, 99.6, 100, None)] == [
        "0%", '"<1%"', "0%", "0%", "0%", '">99%"', "0%", "0%",
    ]  # fmt: skip


def test_dashboard_marks_a_section_rating_on_thin_evidence_as_the_board_report_does(
    qtbot: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "workspace.sqlite")
    try:
        dept = store.add_department("Home Office", "HO")
        audit = store.create_audit(dept.id, CYCLE, Q)
        store.set_answer(audit.id, "governance_maturity", 4)  # 1 of governance's 6 questions
        store.set_answer(audit.id, "digital_leader_nominated", True)  # board: 1 of 3 shown
        store.set_answer(audit.id, "digital_leader_on_board", True)
        store.set_answer(audit.id, "cio_on_board", True)
        store.set_answer(audit.id, "board_capability_maturity", 3)
        # one of four senior posts says how it is held: the share rests on 1 of 4 rows
        posts = [{"grade": "scs2", "employment_type": "interim"}, *[{"grade": "scs2"}] * 3]
        store.bulk_rows(audit.id, "senior_roles", posts)
        dashboard = cycle_dashboard(store, CYCLE)
    finally:
        store.close()
    model = DashboardModel()
    model.set_dashboard(dashboard)
    tips = {
        c.key: model.data(model.index(0, i), Qt.ItemDataRole.ToolTipRole)
        for i, c in enumerate(model.columns)
    }
    assert tips["section:governance"] == (
        "Governance mechanisms: 4.0 (Green: good). Provisional (1 of 6 answered)"
    )
    assert "Provisional" not in tips["section:board"]
    assert tips["section:strategy"] == "Strategy and alignment: – (Not scored)"
    label = next(i.label for i in Q.indicators if i.id == "senior_interim_contractor_share")
    assert tips["indicator:senior_interim_contractor_share"] == (
        f"{label}. Provisional (1 of 4 answered)"
    )
