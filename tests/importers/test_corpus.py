"""The real public corpus (tests/fixtures/samples/): every file imported into one workspace and
reconciled with the file's own figures, or refused with the reason — never half-read.

WMI: payroll headcount per body against the totals ORIGINS.md gives (read by hand from each
file) and against the file's own total column. GMPP: project count and whole-life cost per
department against the file read independently. Organograms: post counts and FTE. Civil
Service statistics: headcount of staff in post.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from importers.department_match import history
from importers.foreign_plan import (
    Choices,
    ForeignPlan,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from importers.formats.gmpp import transpose
from importers.formats.wmi import NO_MONTH
from importers.readers import open_source
from models.questionnaire import Questionnaire, current_questionnaire
from models.reference import departments
from models.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".md")

# Payroll headcount per body, as ORIGINS.md gives it ("checks"), for the sheet imported:
# file | body ("(none)": the file names no organisation; "…": the name starts so) | headcount.
# CMA: December 2020, the latest of its months; Charity Commission: the grades (no total).
_CHECKS = """
hm-treasury_2011-08_stacked3-preamble.csv | HM Treasury | 1179
hm-treasury_2011-08_stacked3-preamble.csv | Debt Management Office | 100
mod_2011-04_flat-header.csv | Ministry of Defence | 62261
mod_2011-04_flat-header.csv | Defence Support Group | 2987
decc_2012-03_stacked4-fy-average.csv | Department of Energy & Climate Change | 1241
decc_2012-03_stacked4-fy-average.csv | Coal Authority | 138
dclg_2012-02_stacked3-spelled-grades.xls | Department for Communities & Local Government | 1883
dclg_2012-02_stacked3-spelled-grades.xls | Planning Inspectorate | 682
moj_2013-11_return-workbook.xls | Ministry of Justice | 4303
moj_2013-11_return-workbook.xls | HM Courts and Tribunals Service | 18987
home-office_2013-12_stacked3-spelled-grades.ods | Home Office (excl agencies) | 23317
home-office_2013-12_stacked3-spelled-grades.ods | HM Passport Office | 3582
dfid_2013-11_stacked3-nil.xlsx | Department for International Development | 1934
dfid_2013-11_stacked3-nil.xlsx | Independent Commission for Aid Impact | 5
cabinet-office_2012-02_flat-header-float-noise.xlsx | Cabinet Office | 1763
cabinet-office_2012-02_flat-header-float-noise.xlsx | Big Lottery Fund | 977
dwp_2015-08_flat-header-dots.csv | Department for Work & Pensions | 84617
dwp_2015-08_flat-header-dots.csv | Health and Safety Executive | 2763
bis_2016-06_stacked3.csv | Department for Business, Innovation &Skills (BIS) | 2332
bis_2016-06_stacked3.csv | Advisory Conciliation & Arbitration Service (ACAS) | 850
hm-land-registry_2015-05_stacked3-dot-placeholders.csv | Land Registry | 4302
dfid_2016-10_stacked3-nil.ods | Department for International Development | 2071
home-office_2016-12_stacked3-spelled-grades.ods | Home Office (excl agencies) | 27599
moj_2016-06_return-workbook.xls | Ministry of Justice | 2932
moj_2016-06_return-workbook.xls | HM Courts and Tribunals Service | 16391
dfe_2014-03_stacked3-spelled-grades.xls | Department for Education | 2293
dfe_2014-03_stacked3-spelled-grades.xls | Education Funding Agency | 747
hm-treasury_2015-07_return-workbook.xlsx | HM Treasury | 1250
hm-treasury_2015-07_return-workbook.xlsx | Debt Management Office | 114
beis_2020-05_stacked2-no-group-no-id-headers.csv | Department for Business, Energy… | 4705
beis_2020-05_stacked2-no-group-no-id-headers.csv | UKRI | 6982
moj_2021-01_flat-header.csv | Ministry of Justice | 5370
moj_2021-01_flat-header.csv | HM Courts and Tribunals Service | 16304
cma_2020-04_months-as-rows.csv | (none) | 851
dit_2021-05_flat-colon-header.csv | Department for International Trade | 4132
dexeu_2018-04_stacked3-mojibake-pound.csv | Department for Exiting the European Union | 644
moj_2018-12_return-workbook.ods | Ministry of Justice | 3948
moj_2018-12_return-workbook.ods | HM Courts and Tribunals Service | 15904
dwp_2017-12_stacked3-spelled-grades.ods | Department for Work and Pensions | 83155
dwp_2017-12_stacked3-spelled-grades.ods | Health and Safety Executive | 2585
mod_2021-01_return-workbook-25-month-sheets.xlsx | Ministry of Defence | 39031
mod_2021-01_return-workbook-25-month-sheets.xlsx | Defence Equipment and Support | 10906
mod_2021-01_return-workbook-25-month-sheets.xlsx | Defence Science and Technology Laboratory | 4396
defra_2021-11_stacked3-year-month-cols.xlsx | Department for Environment, Food… | 6245
defra_2021-11_stacked3-year-month-cols.xlsx | Animal and Plant Health Agency | 2704
dluhc_2023-05_stacked3-year-month-cols.csv | Department for Levelling Up… | 3212
dluhc_2023-05_stacked3-year-month-cols.csv | Homes England | 1342
charity-commission_2022-05_semicolon-nil.csv | Charity Commission | 485
fcdo_2025-01_flat-aa-ao-order.csv | Foreign, Commonwealth & Development Office | 8239
fcdo_2025-01_flat-aa-ao-order.csv | British Council | 1126
dft_2025-01_colon-header.csv | Department for Transport | 3873
dft_2025-01_colon-header.csv | Driver and Vehicle Licensing Agency | 6192
mod_2022-06_semicolon-comma-decimals.ods | Ministry of Defence | 39333
mod_2022-06_semicolon-comma-decimals.ods | Defence Science and Technology Laboratory | 4774
ons_2024-06_semicolon-blank-organisation.xlsx | (none) | 5432
ago_2024-04_semicolon-12-month-sheets.ods | Attorney General's Office | 53
ago_2024-04_semicolon-12-month-sheets.ods | Government Legal Department | 2994
04_wmi_dwp_2025-01.csv | Department for Work and Pensions | 92799
"""
WMI_CHECKS: dict[str, dict[str, int]] = defaultdict(dict)
for _line in _CHECKS.strip().splitlines():
    _file, _body, _count = (part.strip() for part in _line.split(" | "))
    WMI_CHECKS[_file]["" if _body == "(none)" else _body] = int(_count)
# The file's own total column disagrees with its grades, as ORIGINS.md says: mistyped
# continental thousands (MOD 2022) or no total at all ('Nil', Charity Commission).
TOTALS_WRONG_IN_FILE = {
    "mod_2022-06_semicolon-comma-decimals.ods": {
        "Defence Equipment and Support",
        "Defence Science and Technology Laboratory",
    },
    "charity-commission_2022-05_semicolon-nil.csv": {"Charity Commission"},
}
SHEETS = {"ago_2024-04_semicolon-12-month-sheets.ods": "April_2024"}  # ORIGINS' checks
# Files that name no department: the department is chosen, as a user would.
CHOSEN = {
    "cma_2020-04_months-as-rows.csv": "Competition and Markets Authority",
    "ons_2024-06_semicolon-blank-organisation.xlsx": "UK Statistics Authority",
}


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return current_questionnaire()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One workspace holding every department, as named now and as named then."""
    store = Store(tmp_path_factory.mktemp("corpus") / "corpus.sqlite")
    names: set[str] = set()
    for entry in departments():
        if entry.type.lower() in ("ministerial department", "non-ministerial department"):
            store.add_department(entry.name, entry.abbreviation, entry.govuk_id)
            names.add(entry.name)
    for entry in set(history().values()):
        if entry.name not in names:
            store.add_department(entry.name, entry.spellings[0] if entry.spellings else "")
            names.add(entry.name)
    yield store
    store.close()


def _plan(store: Store, path: Path, q: Questionnaire) -> ForeignPlan:
    foreign = read_foreign(path, q)
    choices = Choices(cycle=path.name, tech_filter=False, whole_department=True)
    choices.department = CHOSEN.get(path.name, "")
    if path.name in SHEETS:
        choices.recognition = next(
            i for i, r in enumerate(foreign.recognitions) if r.sheet == SHEETS[path.name]
        )
    return plan_foreign(WorkspaceFacts.of(store), foreign, choices, q)


def _written(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM table_rows").fetchone()[0])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_real_file_is_read_right_or_refused(workspace: Store, questionnaire, path: Path):
    plan = _plan(workspace, path, questionnaire)
    try:
        assert not plan.recognition.generic, f"{path.name} not recognised"
        assert not plan.report.refused, plan.report.refused
        assert plan.importable > 0
        # Every column is imported, used as a check, or listed with the reason.
        for line in plan.report.columns:
            assert re.match(r"column [A-Z]+( '.*')?: \S", line), line
        before = _written(workspace)
        report = apply_foreign(workspace, plan, questionnaire)
        assert _written(workspace) - before == report.imported == plan.importable
        _reconcile(path, plan)
    finally:
        plan.file.close()


def _reconcile(path: Path, plan: ForeignPlan) -> None:
    layout = plan.recognition.layout_id
    if layout == "wmi":
        _reconcile_wmi(path, plan)
    elif layout.startswith("gmpp"):
        _reconcile_gmpp(path, plan)
    elif layout == "organogram_senior":
        _reconcile_senior(path, plan)
    elif layout == "organogram_junior":
        _reconcile_junior(path, plan)
    elif layout == "cs_statistics":
        _reconcile_cs_statistics(path, plan)
    else:  # pragma: no cover - a new format needs its reconciliation here
        raise AssertionError(f"no reconciliation for {layout}")


def _reconcile_wmi(path: Path, plan: ForeignPlan) -> None:
    payroll: dict[str, int] = defaultdict(int)
    for item in plan.rows:
        row = item.row
        # Version 2: the department-wide table's payroll rows; version 1: permanent staff.
        payroll_row = row.cells.get("staff_group", row.cells.get("staff_type")) in (
            "payroll",
            "permanent",
        )
        if item.imported and payroll_row:
            payroll[row.source.get("organisation", "")] += row.cells.get("headcount", 0)
    for body, expected in WMI_CHECKS.get(path.name, {}).items():
        named = [
            o for o in payroll if o == body or (body.endswith("…") and o.startswith(body[:-1]))
        ]
        assert len(named) == 1, (body, list(payroll))
        assert payroll[named[0]] == expected, (body, payroll[named[0]], expected)
    # The file's own payroll total column, body by body.
    wrong = {
        text.split(":")[0]
        for ok, text in (r.row.check for r in plan.rows if r.row.check is not None)
        if not ok
    }
    assert wrong == TOTALS_WRONG_IN_FILE.get(path.name, set())
    if plan.mapping.target == "department_workforce":  # version 2: where whole-department
        assert not plan.report.confirm  # figures belong, with nothing to confirm
        months = [r.row.cells.get("month") for r in plan.rows if r.imported]
        if NO_MONTH in plan.recognition.notes:  # the file does not say: left blank, said
            assert not any(months)
        else:
            assert all(re.fullmatch(r"(19|20)\d\d-[01]\d", m or "") for m in months), months
    else:
        assert plan.report.confirm and plan.report.confirmed  # said and confirmed


def _money_m(text: str) -> float | None:
    """'£26.19m', '5609.46', '£1,234.5' in £ millions; None for anything else."""
    cleaned = text.replace("£", "").replace(",", "").strip().lower().removesuffix("m").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _raw_table(path: Path) -> list[list[str]]:
    book = open_source(path)
    try:
        rows = [
            [str(c) if c is not None else "" for c in r] for r in book.rows(book.sheet_names()[0])
        ]
    finally:
        book.close()
    if rows and rows[0] and rows[0][0].strip().lower() == "project name":
        rows = [[str(c or "") for c in r] for r in transpose(rows)]
    return rows


def _reconcile_gmpp(path: Path, plan: ForeignPlan) -> None:
    """Project count and whole-life cost per department, against the file read on its own."""
    rows = _raw_table(path)
    header = [" ".join(h.split()).lower() for h in rows[0]]
    name = header.index("project name")
    dept = header.index("department")
    cost = next(i for i, h in enumerate(header) if "whole life cost" in h)
    expected_count: dict[str, int] = defaultdict(int)
    expected_cost: dict[str, float] = defaultdict(float)
    for row in rows[1:]:
        if len(row) > name and row[name].strip():
            expected_count[row[dept].strip()] += 1
            expected_cost[row[dept].strip()] += _money_m(row[cost]) or 0.0
    count: dict[str, int] = defaultdict(int)
    total: dict[str, float] = defaultdict(float)
    for item in plan.rows:
        assert item.imported, item.reason  # department codes of the time all matched
        count[item.row.department] += 1
        total[item.row.department] += (item.row.cells.get("whole_life_cost") or 0.0) / 1e6
    assert dict(count) == dict(expected_count)
    for department, value in expected_cost.items():
        assert total[department] == pytest.approx(value, abs=0.01), department
    _reconcile_gmpp_ratings(rows, header, plan)


def _reconcile_gmpp_ratings(rows: list[list[str]], header: list[str], plan: ForeignPlan) -> None:
    """Each project's rating as published: the IPA's, or the SRO's where the IPA's is blank
    (2021-22 onwards), and each row says whose; words that are no rating are not rated."""
    ipa = next(i for i, h in enumerate(header) if "delivery confidence" in h or "rag" in h)
    sro = next((i for i, h in enumerate(header) if h.startswith("sro delivery confidence")), None)
    for item in plan.rows:
        raw = rows[item.row.source_row - 1]
        published = raw[ipa].strip() or (raw[sro].strip() if sro is not None else "")
        rating = item.row.cells.get("delivery_confidence")
        by = item.row.source.get("rating_by")
        if published.lower().replace(" ", "") in RAG:
            assert rating == RAG[published.lower().replace(" ", "")], (published, rating)
        else:
            assert rating in (None, "not_assessed"), (published, rating)
        if sro is None:
            assert by is None
        elif rating is not None:
            assert by == ("IPA" if raw[ipa].strip() else "SRO"), (raw[ipa], raw[sro], by)
            assert (by == "SRO") == ("SRO's delivery confidence" in item.row.note)


RAG = {
    "red": "red",
    "amber/red": "amber_red",
    "amber": "amber",
    "amber/green": "amber_green",
    "green": "green",
}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(encoding=encoding, newline="") as fh:
                return list(csv.DictReader(fh))
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path.name}: not UTF-8 or Windows-1252")


def _reconcile_senior(path: Path, plan: ForeignPlan) -> None:
    """Every post of the file is in the plan once: imported, or eliminated (and said so)."""
    raw = [r for r in _csv_rows(path) if any((v or "").strip() for v in r.values())]
    # data.gov.uk's converted exports wrap values in stray quotes ('"Eliminated"').
    eliminated = sum(
        1 for r in raw if (r.get("Name") or "").strip().strip("'\"").lower() == "eliminated"
    )
    assert len({item.row.source_row for item in plan.rows}) == len(raw)
    left = [item for item in plan.rows if not item.imported]
    assert sum(1 for i in left if i.reason == "post eliminated") == eliminated
    assert all(i.reason for i in left)
    # Pay published as 0 to 0 is undisclosed (N/D), never a £0 pay range.
    for item in plan.rows:
        cells = item.row.cells
        pay = (cells.get("pay_floor"), cells.get("pay_ceiling"))
        assert pay not in ((0.0, 0.0), (0.0, None), (None, 0.0)), (item.row.source_row, pay)
        if "not disclosed" in item.row.note:
            assert pay == (None, None)


def _reconcile_junior(path: Path, plan: ForeignPlan) -> None:
    """Posts in FTE add up to the file's own column."""
    raw = _csv_rows(path)
    column = next(k for k in raw[0] if k and "Number of Posts in FTE" in k)
    expected = sum(float(r[column]) for r in raw if (r.get(column) or "").strip())
    imported = sum(i.row.cells.get("fte", 0.0) for i in plan.rows if i.imported)
    assert imported == pytest.approx(expected, abs=0.01)


def _reconcile_cs_statistics(path: Path, plan: ForeignPlan) -> None:
    raw = _csv_rows(path)
    expected = sum(
        int(r["Headcount"])
        for r in raw
        if r.get("Status") == "In post" and (r.get("Headcount") or "").isdigit()
    )
    imported = sum(i.row.cells.get("headcount", 0) for i in plan.rows if i.row.skip is None)
    assert imported == expected
