"""WMI: the same figures read the same in every header family of 2011-2025 (property test),
and the families' quirks by hand."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.formats.wmi_header import classify, find_header
from importers.layouts import extract_rows, recognise, sheet_rows
from importers.readers import open_source
from importers.source_table import HeaderLayout
from models.questionnaire import get_questionnaire

# Header reading, checked on the technology table of version 1 (its rows say staff type);
# tests/importers/test_wmi_department.py checks the department-wide table of version 2.
QUESTIONNAIRE = get_questionnaire("board-technology-baseline", 1)

GRADES = [  # (grade group, spellings used over the years)
    ("AO/AA", ["AO/AA", "AA/AO", "Admin officers/admin assistants"]),
    ("EO", ["EO", "Executive Officers"]),
    ("SEO/HEO", ["SEO/HEO", "HEO/SEO", "Higher Executive Officers/Senior Executive Officers"]),
    ("Grade 6/7", ["Grade 6/7"]),
    ("SCS", ["SCS", "Senior Civil Service"]),
    ("Other", ["Other, unknown, or unspecified", "Other, unknown, unspecified"]),
]
CONTINGENT = {  # the template's staff groups, before 2022 and since
    "old": [
        ("Agency staff (clerical/admin)", "agency"),
        ("Interim managers", "interim"),
        ("Specialist Contractors", "contractor"),
        ("Consultants/consultancy", "consultant"),
    ],
    "new": [
        ("Admin and Clerical", "agency"),
        ("Interim Managers & Specialist Contractors & Medical", "contractor"),
        ("Other Contingent labour", "other_contingent"),
    ],
}
FAMILIES = ["semicolon", "colon", "flat", "flat_colon", "stacked3", "stacked3_dots", "stacked2"]
NOTHING = ["", ".", "NIL", "Nil", "-"]


def _columns(family: str, grades: list[str], groups: list[str]) -> list[list[str]]:
    """Header rows for the count columns: (group, sub-group, measure) written the family's way."""
    cells: list[tuple[str, str, str]] = []
    for group, subs, total in (
        ("Payroll staff", grades, "Total Employees"),
        ("Non-payroll staff", groups, "Total"),
    ):
        for sub in [*subs, total]:
            for measure in ("Headcount", "Full-time equivalent"):
                cells.append((group, sub, measure))
    if family in ("semicolon", "colon"):
        mark = ";" if family == "semicolon" else ":"
        return [[f"{g}{mark}\n{s}{mark}\n{m}" for g, s, m in cells]]
    if family == "flat":
        return [[f"{g} {s} {m}" for g, s, m in cells]]
    if family == "flat_colon":
        return [[f"{g} ({s}): {m.lower()}" for g, s, m in cells]]
    blank = "." if family == "stacked3_dots" else ""
    rows = []
    if family != "stacked2":
        rows.append(
            [g if i == 0 or cells[i - 1][0] != g else blank for i, (g, _, _) in enumerate(cells)]
        )
    rows.append([s if m == "Headcount" else blank for _, s, m in cells])
    rows.append([m for _, _, m in cells])
    return rows


BODY = st.tuples(
    st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=6, max_size=6),
    st.lists(st.one_of(st.none(), st.integers(0, 300)), min_size=4, max_size=4),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    family=st.sampled_from(FAMILIES),
    era=st.sampled_from(["old", "new"]),
    spelling=st.integers(0, 2),
    bodies=st.lists(BODY, min_size=1, max_size=4),
    nothing=st.sampled_from(NOTHING),
    preamble=st.booleans(),
    template_rows=st.integers(0, 30),
    data=st.data(),
)
def test_the_same_figures_read_the_same_in_every_header_family(
    tmp_path_factory, family, era, spelling, bodies, nothing, preamble, template_rows, data
):
    grades = [spellings[min(spelling, len(spellings) - 1)] for _, spellings in GRADES]
    groups = CONTINGENT[era]
    header = _columns(family, grades, [g for g, _ in groups])
    ids = ["Organisation name", "Organisation type", "Main, parent or sponsoring department"]
    rows: list[list[str]] = []
    if preamble:
        rows += [["Please read the additional data fields before completing this return."], []]
    for i, line in enumerate(header):
        last = i == len(header) - 1
        rows.append(
            [*((ids if last else ["", "", ""]) if family != "stacked2" else ["", "", ""]), *line]
        )
    expected: dict[str, tuple[int, dict[str, int]]] = {}
    for n, (payroll, contingent) in enumerate(bodies):
        name = f"Body {n}"
        contingent = contingent[: len(groups)]
        cells: list[str] = []
        for values in (payroll, contingent):
            for value in values:
                cells += (
                    [nothing, nothing] if value is None else [f"{value:,}", f"{value * 0.9:.2f}"]
                )
            total = sum(v or 0 for v in values)
            cells += [f"{total:,}", f"{total * 0.9:.2f}"]
        rows.append([name, "Executive agency", "Department for Testing", *cells])
        by_type: dict[str, int] = {}
        for (_, kind), value in zip(groups, contingent, strict=True):
            if value is not None:
                by_type[kind] = by_type.get(kind, 0) + value
        expected[name] = (sum(v or 0 for v in payroll), by_type)
    rows += [["", "", "", *(["0"] * len(header[-1]))] for _ in range(template_rows)]
    path = tmp_path_factory.mktemp("wmi") / f"wmi-{family}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)

    book = open_source(path)
    try:
        [rec] = recognise(book, QUESTIONNAIRE)
        assert rec.layout_id == "wmi" and not rec.blocking, rec.blocking
        extracted = list(extract_rows(rec, sheet_rows(book, rec), QUESTIONNAIRE))
    finally:
        book.close()
    found: dict[str, tuple[int, dict[str, int]]] = {}
    for row in extracted:
        assert not row.problems, row.problems
        if row.skip:
            assert row.skip.startswith("no staff figures"), row.skip
            continue
        body = row.source["organisation"]
        payroll_sum, by_type = found.get(body, (0, {}))
        if row.cells["staff_type"] == "permanent":
            payroll_sum += row.cells.get("headcount", 0)
        else:
            kind = row.cells["staff_type"]
            by_type = {**by_type, kind: by_type.get(kind, 0) + row.cells.get("headcount", 0)}
        found[body] = (payroll_sum, by_type)
        if row.check is not None:
            assert row.check[0], row.check[1]  # the file's own payroll total agrees
    for body, (payroll_sum, by_type) in expected.items():
        if body not in found:  # every figure blank or nil: left out, and said so
            assert payroll_sum == 0 and not by_type
            continue
        assert found[body] == (payroll_sum, by_type)


def _header(*rows: list[str]) -> HeaderLayout:
    found = find_header([list(r) for r in rows], "Sheet1")
    assert found is not None
    return found


def test_hand_worked_flat_variants_name_group_sub_group_and_measure() -> None:
    names = [
        "Organisation Name",
        "Payroll staff AO/AA Headcount",
        "Payroll staff AO/AA Full-time Equivalent",
        "Non-payroll Staff Intermin Managers Headcount",
        "Non Payroll staff Interim Mangers &  Specialist Contractors & Medical: Headcount",
        "Payroll staff (total): headcount",
        "Payroll Staff Costs Salary",
    ]
    header = _header(names, ["Body", "1", "1", "2", "3", "1", "£1.00"])
    columns = classify(header)
    assert [(c.role, c.group, c.kind, c.measure) for c in columns] == [
        ("organisation", "", "", ""),
        ("count", "payroll", "AO/AA", "headcount"),
        ("count", "payroll", "AO/AA", "fte"),
        ("count", "non-payroll", "interim", "headcount"),  # 'Intermin', as published
        ("count", "non-payroll", "contractor", "headcount"),  # 'Mangers', FCDO 2025
        ("total", "payroll", "", "headcount"),
        ("cost", "", "", ""),
    ]


def test_a_four_row_header_of_period_averages_is_read_and_said(tmp_path: Path) -> None:
    """DECC 2012: group / sub-group / 'Average totals for the period …' / measure."""
    path = tmp_path / "decc.csv"
    rows = [
        ["Organisation name", "Organisation type", "Main, parent or sponsoring department: ",
         "Payroll staff", "", "", "", "Number of non-payroll staff (contingent labour)", ""],
        ["", "", "", "Executive Officers", "", "Total Employees", "", "Agency staff", ""],
        ["", "", "", "Average totals for the period April 2011 - March 2012", "", "", "", "", ""],
        ["", "", "", "Headcount", "Full-time equivalent", "Headcount", "Full-time equivalent",
         "Headcount", "Full-time equivalent"],
        ["DECC", "Ministerial Department", "DECC", "77.5", "73.2", "78", "73", "1.67", "1.64"],
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    book = open_source(path)
    try:
        [rec] = recognise(book, QUESTIONNAIRE)
        extracted = list(extract_rows(rec, sheet_rows(book, rec), QUESTIONNAIRE))
    finally:
        book.close()
    assert rec.header.header_rows == (0, 1, 2, 3)
    assert any("averages over the period" in n for n in rec.notes)
    eo, agency = extracted
    assert eo.cells == {"headcount": 78, "fte": 73.2, "staff_type": "permanent"}  # 77.5 -> 78
    assert agency.cells == {"headcount": 2, "fte": 1.64, "staff_type": "agency"}
    assert eo.check == (True, "DECC: payroll headcount 77.5 matches the file's total")


SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples" / "wmi"


def test_return_workbooks_say_their_month_and_the_latest_month_sheet_comes_first(
    store, questionnaire
) -> None:
    from importers.foreign_plan import Choices, WorkspaceFacts, plan_foreign, read_foreign

    moj = read_foreign(SAMPLES / "moj_2013-11_return-workbook.xls", questionnaire)
    try:
        rec = moj.recognitions[0]
        assert rec.sheet == "Data sheet"  # among Contents, Cover sheet, Data fields, …
        assert rec.notes[0] == "figures for November 2013"  # the cover's 'Reference month:'
        rows = moj.rows_for(0, rec.mapping, questionnaire)
        assert {r.source.get("period") for r in rows if not r.skip} == {"2013-11"}
    finally:
        moj.close()
    mod = read_foreign(SAMPLES / "mod_2021-01_return-workbook-25-month-sheets.xlsx", questionnaire)
    try:
        assert mod.recognitions[0].sheet == "Jan 21"  # the month the file publishes
        assert sum(r.layout_id == "wmi" for r in mod.recognitions) == 25
        plan = plan_foreign(WorkspaceFacts.of(store), mod, Choices(cycle="2021"), questionnaire)
        note = next(n for n in plan.report.notes if "other sheets of this file" in n)
        assert note.startswith("24 other sheets of this file are read the same way")
        assert "only sheet 'Jan 21' is imported" in note
    finally:
        mod.close()


def test_a_letter_o_for_zero_is_listed_not_read_as_blank() -> None:
    """DLUHC May 2023, row 12: the Regulator of Social Housing's 'Other' FTE is written 'o'."""
    book = open_source(SAMPLES / "dluhc_2023-05_stacked3-year-month-cols.csv")
    try:
        [rec] = [r for r in recognise(book, QUESTIONNAIRE) if r.layout_id == "wmi"]
        rows = [r for r in extract_rows(rec, sheet_rows(book, rec), QUESTIONNAIRE) if r.problems]
    finally:
        book.close()
    assert [(r.source_row, r.source["organisation"], r.problems) for r in rows] == [
        (
            12,
            "Regulator of Social Housing",
            [
                "column Q 'Payroll staff; Other, unknown, or unspecified; Full-time equivalent': "
                "'o' is not a number"
            ],
        )
    ]
