"""Realistic foreign spreadsheets for tests: organograms, GMPP, older WMI, a hand-made audit."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
# The real public samples (see their README for origin): tests copy or read them in place.
DWP_WMI_CSV = SAMPLES / "04_wmi_dwp_2025-01.csv"
HOME_OFFICE_WMI_ODS = SAMPLES / "06_wmi_home_office_2025-01.ods"
CS_STATISTICS_CSV = SAMPLES / "08_csstats_2023_parentdept_x_profession_x_grade.csv"

ORGANOGRAM_SENIOR_HEADER = [
    "Post Unique Reference",
    "Name",
    "Grade (or equivalent)",
    "Job Title",
    "Job/Team Function",
    "Parent Department",
    "Organisation",
    "Unit",
    "Contact Phone",
    "Contact E-mail",
    "Reports to Senior Post",
    "Salary Cost of Reports (£)",
    "FTE",
    "Actual Pay Floor (£)",
    "Actual Pay Ceiling (£)",
    "Total Pay (£)",
    "Professional/Occupational Group",
    "Office Region",
    "Notes",
    "Valid?",
]

# Post ref, name, grade, title, function, parent dept, organisation, unit, reports to,
# FTE, pay floor, pay ceiling, profession. Pay is text with £ and commas on some rows,
# numbers on others, as published files mix them.
_SENIOR_POSTS: list[
    tuple[str, str, str, str, str, str, str, str, str, str, object, object, str]
] = [
    (
        "DWP001",
        "Peter Schofield",
        "SCS4",
        "Permanent Secretary",
        "Leads the department",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Permanent Secretary's Office",
        "XX",
        "1",
        "£180,000",
        "£184,999",
        "Senior Leadership",
    ),
    (
        "DWP010",
        "N/D",
        "SCS3",
        "Chief Digital and Information Officer",
        "Digital group",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Digital Group",
        "DWP001",
        "1",
        "£160,000",
        "£164,999",
        "Digital, Data and Technology",
    ),
    (
        "DWP011",
        "Vacant",
        "SCS2",
        "Chief Technology Officer",
        "Technology strategy and architecture",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Digital Group",
        "DWP010",
        "1",
        98000,
        162500,
        "Digital, Data and Technology",
    ),
    (
        "DWP012",
        "Jane Smith",
        "SCS1",
        "Head of Cyber Security",
        "Security operations",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Digital Group",
        "DWP010",
        "0.8",
        "£76,000",
        "£117,800",
        "Digital, Data and Technology",
    ),
    (
        "DWP020",
        "Eliminated",
        "SCS1",
        "Deputy Director Digital Change",
        "Post removed",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Digital Group",
        "DWP010",
        "0",
        "N/D",
        "N/D",
        "Digital, Data and Technology",
    ),
    (
        "DWP030",
        "N/D",
        "SCS2",
        "Director of Finance",
        "Finance",
        "Department for Work and Pensions",
        "Department for Work and Pensions",
        "Finance Group",
        "DWP001",
        "1",
        "£120,000",
        "£124,999",
        "Finance",
    ),
    (
        "CO001",
        "Alex Chisholm",
        "SCS4",
        "Chief Operating Officer",
        "Runs the Cabinet Office",
        "Cabinet Office",
        "Cabinet Office",
        "COO Office",
        "XX",
        "1",
        "£175,000",
        "£179,999",
        "Senior Leadership",
    ),
    (
        "CO020",
        "N/D",
        "SCS2",
        "Chief Data Officer",
        "Data strategy",
        "Cabinet Office",
        "Government Digital Service",
        "Data Directorate",
        "CO001",
        "1",
        "£130,000",
        "£134,999",
        "Operational Delivery",
    ),
    (
        "CO030",
        "N/D",
        "SCS1",
        "Head of Communications",
        "Press office",
        "Cabinet Office",
        "Cabinet Office",
        "Communications",
        "CO001",
        "1",
        "£80,000",
        "£84,999",
        "Communications",
    ),
]


def organogram_senior_csv(folder: Path) -> Path:
    """A data.gov.uk senior-staff organogram CSV, two parent departments, published quirks."""
    path = folder / "organogram-senior-2024-09-30.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ORGANOGRAM_SENIOR_HEADER)
        for post in _SENIOR_POSTS:
            ref, name, grade, title, function, parent, org, unit, reports, fte, lo, hi, prof = post
            total = "" if name in ("Vacant", "Eliminated") else "N/D"
            writer.writerow(
                [
                    ref,
                    name,
                    grade,
                    title,
                    function,
                    parent,
                    org,
                    unit,
                    "0300 123 4567",
                    "N/D",
                    reports,
                    "N/D",
                    fte,
                    lo,
                    hi,
                    total,
                    prof,
                    "London",
                    "",
                    "1",
                ]
            )
    return path


def organogram_older_xlsx(folder: Path) -> Path:
    """An older organogram workbook: '(final data)' senior and junior sheets, header 'Grade'."""
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover.append(["Organogram of staff roles and salaries"])
    cover.append(["Department for Education, 31 March 2012"])
    senior = book.create_sheet("(final data) senior-staff")
    senior.append(
        [
            "Post Unique Reference",
            "Name",
            "Grade",
            "Job Title",
            "Job/Team Function",
            "Parent Department",
            "Organisation",
            "Unit",
            "Contact Phone",
            "Contact E-mail",
            "Reports to Senior Post",
            "Salary Cost of Reports (£)",
            "FTE",
            "Actual Pay Floor (£)",
            "Actual Pay Ceiling (£)",
            "Professional/Occupational Group",
            "Notes",
            "Valid?",
        ]
    )
    senior.append(
        [
            "1",
            "Chris Wormald",
            "SCS4",
            "Permanent Secretary",
            "Leadership",
            "Department for Education",
            "Department for Education",
            "Private Office",
            "020 7783 8000",
            "N/D",
            "XX",
            1234567,
            1,
            160000,
            164999,
            "Policy",
            "",
            1,
        ]
    )
    senior.append(
        [
            "2",
            "N/D",
            "SCS Pay Band 2",
            "Director of IT",
            "Information technology",
            "Department for Education",
            "Department for Education",
            "ICT Directorate",
            "N/D",
            "N/D",
            "1",
            2345678,
            1,
            85000,
            89999,
            "Information Technology",
            "",
            1,
        ]
    )
    senior.append(
        [
            "3",
            "Vacant",
            "SCS Pay Band 1",
            "Head of Information Security",
            "Security",
            "Department for Education",
            "Department for Education",
            "ICT Directorate",
            "N/D",
            "N/D",
            "2",
            0,
            1,
            60000,
            64999,
            "Information Technology",
            "",
            1,
        ]
    )
    junior = book.create_sheet("(final data) junior-staff")
    junior.append(
        [
            "Parent Department",
            "Organisation",
            "Unit",
            "Reporting Senior Post",
            "Grade",
            "Payscale Minimum (£)",
            "Payscale Maximum (£)",
            "Generic Job Title",
            "Number of Posts in FTE",
            "Professional/Occupational Group",
        ]
    )
    junior.append(
        [
            "Department for Education",
            "Department for Education",
            "ICT Directorate",
            "2",
            "Grade 7",
            55000,
            65000,
            "Technical Architect",
            3.5,
            "Information Technology",
        ]
    )
    junior.append(
        [
            "Department for Education",
            "Department for Education",
            "ICT Directorate",
            "2",
            "HEO",
            30000,
            35000,
            "Service Desk Analyst",
            12,
            "Information Technology",
        ]
    )
    junior.append(
        [
            "Department for Education",
            "Department for Education",
            "Private Office",
            "1",
            "EO",
            24000,
            27000,
            "Diary Secretary",
            2,
            "Policy",
        ]
    )
    path = folder / "organogram-dfe-2012-03-31.xlsx"
    book.save(path)
    book.close()
    return path


GMPP_HEADER = [
    "GMPP ID Number",
    "Project Name",
    "Department",
    "Annual Report Category",
    "Description / Aims",
    "MPA Delivery Confidence\nAssessment\n(September 2013)",
    "Start Date",
    "End Date",
    "Total Baseline Whole Life Costs (£m)\n(including non-Government costs)",
    "Departmental narrative on budget / forecast variance",
]


def gmpp_xlsx(folder: Path) -> Path:
    """A GMPP report workbook: title row, multi-line headers, NA and Section 43 exemptions."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "GMPP data"
    sheet.append(["Major Projects Authority Annual Report 2014: project data (September 2013)"])
    sheet.append([])
    sheet.append(GMPP_HEADER)
    rows: list[list[object]] = [
        [
            "DWP-0001",
            "Universal Credit Programme",
            "DWP",
            "ICT",
            "A new benefit replacing six means-tested benefits",
            "Amber/Red",
            datetime(2011, 4, 1),
            datetime(2017, 12, 31),
            2418.1,
            "Reset in 2013",
        ],
        [
            "HO-0042",
            "Emergency Services Mobile Communications Programme",
            "HO",
            "ICT",
            "Replace Airwave",
            "Amber",
            datetime(2015, 9, 1),
            datetime(2020, 12, 31),
            "Exempt under Section 43 of the Freedom of Information Act",
            "",
        ],
        [
            "MOJ-0007",
            "Prison Estate Transformation",
            "MoJ",
            "Infrastructure and Construction",
            "New prison places",
            "Amber/Green",
            datetime(2016, 1, 1),
            datetime(2025, 3, 31),
            1300,
            "",
        ],
        [
            "DWP-0009",
            "Fraud and Error Service",
            "DWP",
            "Digital",
            "Digital fraud checking",
            "Green",
            datetime(2014, 1, 1),
            datetime(2016, 3, 31),
            "NA",
            "",
        ],
        [
            "DH-0003",
            "NHS e-Referral Service",
            "DH",
            "ICT",
            "Replace Choose and Book",
            "Red",
            datetime(2012, 1, 1),
            datetime(2015, 6, 30),
            "16.27",
            "",
        ],
    ]
    for row in rows:
        sheet.append(row)
    path = folder / "gmpp-2013.xlsx"
    book.save(path)
    book.close()
    return path


# Older WMI layout (before 2022): three stacked header rows under a title, merged cells.
WMI_GROUPS: list[tuple[str, list[str]]] = [
    ("Payroll staff", ["AO/AA", "EO", "SEO/HEO", "Grade 6/7", "SCS", "Other", "Total"]),
    (
        "Non-payroll staff",
        [
            "Admin and Clerical",
            "Interim Managers & Specialist Contractors & Medical",
            "Other Contingent labour",
            "Total Contingent labour",
        ],
    ),
]
WMI_ID_COLUMNS = ["Organisation name", "Organisation type", "Main, parent or sponsoring department"]
# Organisation rows: payroll (headcount, FTE) per grade group incl. Total, then non-payroll
# (headcount, FTE) per sub-group incl. total, consultancy contracts, payroll cost.
WMI_ROWS: list[tuple[str, str, str, list[object], list[object], object, object]] = [
    (
        "Department for Education",
        "Ministerial Department",
        "Department for Education",
        [120, 110.5, 900, 850.2, 1500, 1420.0, 1100, 1050.75, 95, 93.0, 0, 0, 3715, 3524.45],
        [12, 11.0, 140, 138.0, None, None, 152, 149.0],
        4,
        15234567.89,
    ),
    (
        "Education Funding Agency",
        "Executive Agency",
        "Department for Education",
        [40, 38.0, 300, 290.0, 420, 410.0, 180, 175.0, 10, 10.0, 2, 1.5, 952, 924.5],
        [0, 0, 25, 25.0, 3, 2.4, 28, 27.4],
        0,
        3456789.0,
    ),
]


def wmi_older_xlsx(folder: Path) -> Path:
    """A pre-2022 WMI return: title row, then three header rows joined by merged cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "WMI March 2019"
    sheet.append(["Workforce management information: Department for Education, March 2019"])
    top: list[object] = [*WMI_ID_COLUMNS]
    middle: list[object] = [None] * len(WMI_ID_COLUMNS)
    bottom: list[object] = [None] * len(WMI_ID_COLUMNS)
    spans: list[tuple[int, int, int, int]] = []  # 1-based (row1, col1, row2, col2)
    col = len(WMI_ID_COLUMNS) + 1
    for group, subgroups in WMI_GROUPS:
        start = col
        for sub in subgroups:
            top += [group if col == start else None, None]
            middle += [sub, None]
            bottom += ["Headcount", "FTE"]
            spans.append((3, col, 3, col + 1))
            col += 2
        spans.append((2, start, 2, col - 1))
    top += ["Non-payroll staff", "Payroll staff costs"]
    middle += ["Consultancy", "Total paybill"]
    bottom += ["Number of Contracts", "£"]
    col += 2
    for c in range(1, len(WMI_ID_COLUMNS) + 1):
        spans.append((2, c, 4, c))
    sheet.append(top)
    sheet.append(middle)
    sheet.append(bottom)
    for name, kind, parent, payroll, non_payroll, contracts, cost in WMI_ROWS:
        sheet.append([name, kind, parent, *payroll, *non_payroll, contracts, cost])
    for r1, c1, r2, c2 in spans:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    path = folder / "wmi-dfe-2019-03.xlsx"
    book.save(path)
    book.close()
    return path


def prior_audit_xlsx(folder: Path) -> Path:
    """A hand-made 2012 audit workbook: title, merged header cells, totals and notes rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Contracts"
    sheet.append(["Technology contracts baseline: Department for Education"])
    sheet.append(["Prepared by the audit team, April 2012"])
    sheet.append([])
    sheet.append(
        [
            "Supplier",
            "Service provided",
            "Contract value",
            None,
            "Contract end",
            "Route to market",
            "Notes",
        ]
    )
    sheet.append([None, None, "Annual (£)", "Total (£)", None, None, None])
    sheet.merge_cells("C4:D4")
    for column in "ABEFG":
        sheet.merge_cells(f"{column}4:{column}5")
    sheet.append(
        [
            "Capgemini",
            "Desktop and hosting (Aspire)",
            "£1.2m",
            "£6m",
            "March 2012",
            "Direct award",
            "Extension agreed",
        ]
    )
    sheet.append(
        ["Atos", "Payroll service", "1,234k", "£4,936k", "31/03/2014", "Another framework", ""]
    )
    sheet.append(
        ["Kainos", "Digital exemplar build", 350000, "£700,000", "September 2013", "G-Cloud", ""]
    )
    sheet.append(["Total", None, "£2.78m", "£11.64m", None, None, None])
    sheet.append(["Note: values exclude VAT and are taken from the contracts register"])
    path = folder / "prior-audit-2012.xlsx"
    book.save(path)
    book.close()
    return path


GENERIC_ROLES_HEADER = ["Post ref", "Title", "Grade", "Pay band min", "Salary max (£)", "Notes"]


def generic_roles_csv(folder: Path) -> Path:
    """A hand-made list of senior roles whose headers are near, not equal to, the form's."""
    path = folder / "senior-roles-2013.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(GENERIC_ROLES_HEADER)
        writer.writerow(["R-01", "Chief Information Officer", "SCS2", "£98,000", "£120,000", ""])
        writer.writerow(["R-02", "Head of IT", "SCS1", "£76,000", "£90,000", "interim"])
        writer.writerow(["R-03", "Enterprise Architect", "Grade 6", "£60,000", "£70,000", ""])
    return path
