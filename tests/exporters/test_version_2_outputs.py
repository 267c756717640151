"""Version 2's comparison of the technology and whole-department contractor shares, as a board
and an analyst read it: every figure agrees with the figures printed beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.board_report import write_board_report
from exporters.summary_report import write_summary_report
from models.formatting import format_points, format_share
from models.questionnaire import get_questionnaire
from models.scoring import score_audit
from models.store import Store
from tests.exporters import header_index, sample_audit
from tests.exporters.test_board_report import pages_text

V1 = get_questionnaire("board-technology-baseline", 1)
V2 = get_questionnaire("board-technology-baseline", 2)
GAP = "Technology contractor share above the whole department's (FTE, points)"


def whole(group: str, fte: float, body: str = "Department for Work and Pensions") -> dict[str, Any]:
    grade = "eo" if group == "payroll" else "all_grades"
    return {"body": body, "month": "2014-03", "staff_group": group, "grade_group": grade,
            "fte": fte}  # fmt: skip


# Technology: 19 of 200 FTE contractors, 9.5%, printed "10%". The whole department: 34 of
# 1,000 FTE contingent, 3.4%, printed "3%". The gap a reader sees is 10 - 3 = 7 points (the
# unrounded 6.1 printed "+6 points" beside them).
MIX = [
    {"profession_family": "data", "staff_type": "contractor", "fte": 19.0},
    {"profession_family": "data", "staff_type": "permanent", "fte": 181.0},
]
WHOLE = [whole("agency", 34.0), whole("payroll", 966.0)]


def test_the_gap_is_the_difference_of_the_shares_printed_beside_it(
    store: Store, tmp_path: Path
) -> None:
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", V2)
    store.insert_rows(audit.id, "workforce_mix", 0, MIX)
    store.insert_rows(audit.id, "department_workforce", 0, WHOLE)

    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert "Contractor and consultant share of the technology workforce (FTE) 10%" in text
    assert "Contingent labour share of the whole department's staff (FTE) 3%" in text
    assert f"{GAP} +7 points" in text

    book = tmp_path / "audit.xlsx"
    export_audits(store, [audit.id], book)
    sheet = load_workbook(book)["Summary"]
    cell = sheet.cell(2, header_index(sheet)[GAP])
    assert cell.value == 7.0  # shown '+7 points' by its number format


shares = st.floats(0, 100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(shares, shares)
def test_a_printed_gap_never_contradicts_the_printed_shares(a: float, b: float) -> None:
    """Whatever the two shares, the gap printed is their printed difference: whole shares
    subtract exactly; a '<1%' or '>99%' share moves it by less than a point."""
    tech = [{"staff_type": "contractor", "fte": a}, {"staff_type": "permanent", "fte": 100 - a}]
    dept = [whole("agency", b), whole("payroll", 100 - b)]
    found = score_audit(V2, {}, {"workforce_mix": tech, "department_workforce": dept})
    first = found.indicators["contractor_share_fte"].value
    second = found.indicators["department_contractor_share_fte"].value
    gap = found.indicators["contractor_share_gap_fte"].value
    if first is None or second is None:
        assert gap is None
        return
    printed = (format_share(first), format_share(second))
    if not any(p in ("<1%", ">99%") for p in printed):
        points = int(printed[0][:-1]) - int(printed[1][:-1])
        sign = "+" if points > 0 else "-" if points < 0 else ""
        unit = "point" if abs(points) == 1 else "points"
        assert format_points(gap) == f"{sign}{abs(points)} {unit}"
    else:
        assert gap is not None and abs(gap - (float(first) - float(second))) < 1


def test_a_summary_of_both_versions_says_so_and_calls_no_single_share_a_median(
    store: Store, tmp_path: Path
) -> None:
    """Three version 1 audits and one version 2: the cover says which audits answered which
    version, and the whole-department share, from one department, is given as that one."""
    for name, short in (("Home Office", "HO"), ("HM Treasury", "HMT"), ("Cabinet Office", "CO")):
        sample_audit(store, V1, department=name, abbreviation=short, cycle="2014 review")
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", V2)
    store.insert_rows(audit.id, "workforce_mix", 0, MIX)
    store.insert_rows(audit.id, "department_workforce", 0, WHOLE)

    pdf = tmp_path / "summary.pdf"
    write_summary_report(store, "2014 review", pdf)
    text = " ".join(pages_text(pdf))
    assert (
        "Questionnaire Board technology capability baseline: 3 audits on version 1, "
        "1 audit on version 2"
    ) in text
    assert (
        "Contingent labour share of the whole department's staff (FTE) 3% (1 department only)"
        in (text)
    )
    assert "median 3%" not in text
    # four technology shares: 25% (three sample audits) and 10%, median 25%
    assert "(FTE) median 25% of 4 departments 10% to 25%" in text
    assert "own technology workforce or senior posts" not in text  # not true of every share
    # a version 1 audit was never asked for the whole department: said, not a bare dash
    assert "– Home Office Not asked (version 1) Submitted" in text


def test_imported_fte_prints_to_one_decimal_in_the_table_appendix(
    store: Store, tmp_path: Path
) -> None:
    """A workforce return's FTE kept exactly (9275.915405405405, MOD January 2021) prints as
    the reports print FTE, '9,275.9'; a sliver above none is '<0.1', never '0'."""
    dept = store.add_department("Ministry of Defence", "MOD")
    audit = store.create_audit(dept.id, "2021 review", V2)
    store.insert_rows(
        audit.id,
        "department_workforce",
        0,
        [whole("payroll", 9275.915405405405, "Ministry of Defence"), whole("agency", 0.04)],
    )
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert "9,275.9 " in text and "9,275.915" not in text
    assert "All grades <0.1" in text


def test_the_gap_says_what_each_share_rests_on_not_two_tables_summed(
    store: Store, tmp_path: Path
) -> None:
    """The technology table full and the whole department's empty: the gap is a dash, and
    its note says the department's share has no figure (it said '2 of 2 answered')."""
    dept = store.add_department("HM Revenue & Customs", "HMRC")
    audit = store.create_audit(dept.id, "2014 review", V2)
    store.insert_rows(audit.id, "workforce_mix", 0, MIX)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert f"{GAP} –" in text
    notes = text.split("Not worked out unless both shares can be.", 1)[1]
    assert notes.startswith(
        " Contractor and consultant share of the technology workforce (FTE): 2 of 2 answered. "
        "Contingent labour share of the whole department's staff (FTE): no figure (no rows)."
    ), notes[:300]


def test_no_bars_are_described_where_there_is_nothing_to_chart(
    store: Store, tmp_path: Path
) -> None:
    """A whole-department table imported, the technology one empty (or all 0 FTE): the chart
    section says so, and no sentence describes bars that are not there."""
    dept = store.add_department("Ministry of Defence", "MOD")
    empty = store.create_audit(dept.id, "2021 review", V2)
    store.insert_rows(empty.id, "department_workforce", 0, WHOLE)
    zeros = store.create_audit(dept.id, "2022 review", V2)
    store.insert_rows(
        zeros.id, "workforce_mix", 0, [{"profession_family": "data", "staff_type": "permanent",
                                        "fte": 0.0}, {"profession_family": "data"}]
    )  # fmt: skip
    for audit, said in (
        (empty, "No technology workforce is recorded."),
        (
            zeros,
            "Nothing to chart. Every row with an FTE has 0. 1 of the table's 2 rows has no FTE",
        ),
    ):
        pdf = tmp_path / f"{audit.cycle}.pdf"
        write_board_report(store, audit.id, pdf)
        text = " ".join(pages_text(pdf))
        assert said in text
        assert "Each bar is one role family" not in text


def test_the_department_share_is_each_bodys_latest_month_never_months_added(
    store: Store, tmp_path: Path
) -> None:
    """DWP has January (payroll only, its contingent labour not yet returned) and March;
    the Pensions Regulator only February. The share is of DWP's March and TPR's February:
    contingent 10 + 5 of 60 + 10 + 25 + 5 = 100 FTE, 15%. Adding January's 500 payroll FTE
    as well gave 15 of 600, 3% (the demo's DWP printed 3% beside months of 5%)."""
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", V2)
    tpr = "The Pensions Regulator"
    rows = [
        {**whole("payroll", 500.0), "month": "2014-01"},
        whole("payroll", 60.0),
        whole("agency", 10.0),
        {**whole("payroll", 25.0, tpr), "month": "2014-02"},
        {**whole("contractor", 5.0, tpr), "month": "2014-02"},
    ]
    store.insert_rows(audit.id, "department_workforce", 0, rows)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert "Contingent labour share of the whole department's staff (FTE) 15%" in text
    assert (
        "4 of 4 answered. Each body's latest month: 2014-02 to 2014-03 (2 bodies); "
        "1 row of earlier months left out."
    ) in text


def test_a_provisional_gap_gives_the_thin_shares_count_not_two_tables_summed(
    store: Store, tmp_path: Path
) -> None:
    """Technology on 1 of 10 rows (provisional), the department on 2 of 2: the gap is
    provisional on the technology share's 1 of 10 (it said 'Provisional (3 of 12 answered)',
    a count of neither table)."""
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", V2)
    thin = [{"profession_family": "data", "staff_type": "contractor", "fte": 5.0}]
    thin += [{"profession_family": "data", "staff_type": "permanent", "headcount": 40}] * 9
    store.insert_rows(audit.id, "workforce_mix", 0, thin)
    store.insert_rows(audit.id, "department_workforce", 0, WHOLE)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert f"{GAP} +97 points · Provisional (1 of 10 answered)" in text


def test_the_share_trend_across_the_version_change_says_which_share(
    store: Store, tmp_path: Path
) -> None:
    """A version 1 audit then a version 2 one: the trend is the technology share in both
    (the whole department's has no earlier figure), and its caption says so."""
    sample_audit(store, V1, department="Home Office", abbreviation="HO", cycle="2013 baseline")
    dept = store.find_department("Home Office")
    assert dept is not None
    audit = store.create_audit(dept.id, "2014 review", V2)
    store.insert_rows(audit.id, "workforce_mix", 0, MIX)
    store.insert_rows(audit.id, "department_workforce", 0, WHOLE)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert "The contractor and consultant share of the technology workforce at each audit." in text
    assert (
        "Contingent labour share of the whole department's staff (FTE) 3% Not measured in 2013"
        in (text)
    )


def test_a_return_naming_no_month_gives_its_share_and_says_so(store: Store, tmp_path: Path) -> None:
    """A WMI file that names no month is imported with Month blank ('to be filled in'): its
    one return is the share, 34 of 1,000 FTE, 3%; the latest-month rule gave no figure ('–',
    '0 of 2 answered') where main printed it. The notes say the body gave no month."""
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2014 review", V2)
    undated = [{k: v for k, v in r.items() if k != "month"} for r in WHOLE]
    store.insert_rows(audit.id, "department_workforce", 0, undated)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(pages_text(pdf))
    assert "Contingent labour share of the whole department's staff (FTE) 3%" in text
    assert "2 of 2 answered. 1 body giving no month, each counted whole." in text


def test_a_latest_month_with_no_contingent_rows_is_named(store: Store, tmp_path: Path) -> None:
    """MOJ's March holds payroll only (its contingent labour not returned, as the demo's DWP
    January), February 100 of 1,000 FTE: the share is March's, 0%, and nothing said why; the
    notes now name the body and month, so the 0% is not read as no contingent labour."""
    dept = store.add_department("Ministry of Justice", "MOJ")
    audit = store.create_audit(dept.id, "2014 review", V2)
    rows = [
        {**whole("payroll", 900.0, "MOJ"), "month": "2014-02"},
        {**whole("agency", 100.0, "MOJ"), "month": "2014-02"},
        whole("payroll", 1000.0, "MOJ"),
    ]
    store.insert_rows(audit.id, "department_workforce", 0, rows)
    pdf = tmp_path / "board.pdf"
    write_board_report(store, audit.id, pdf)
    text = " ".join(" ".join(pages_text(pdf)).split())
    assert "Contingent labour share of the whole department's staff (FTE) 0%" in text
    assert (
        "MOJ's latest month (2014-03) has no row counted in the share's part, though 2014-02 "
        "has: if that month's return is incomplete, the share is understated."
    ) in text
