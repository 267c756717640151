"""Exports read back as an analyst pivots them: typed figures, exact sums, columns that fit."""

from __future__ import annotations

import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from exporters.audit_workbook import export_audits
from models.formatting import (
    COUNT_FORMAT,
    DATETIME_FORMAT,
    MATURITY_FORMAT,
    POINTS_FORMAT,
    SHARE_FORMAT,
)
from models.indicator_flags import CONFLICTING_TEXT
from models.questionnaire import Questionnaire, current_questionnaire
from models.store import Store
from tests.exporters import sample_audit

CONTRACTOR_TYPES = ("agency", "interim", "contractor", "consultant", "other_contingent")


def columns(sheet: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1]}


def column_cells(sheet: Worksheet, header: str) -> list[Any]:
    index = columns(sheet)[header]
    return [row[index - 1] for row in sheet.iter_rows(min_row=2)]


def shown(value: Any, fmt: str) -> str:
    """What Excel shows for a cell in the formats the app uses (written independently)."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if "hh" in fmt else "%Y-%m-%d")
    if fmt == "0%":
        return f"{value * 100:.0f}%"
    if len(fmt) > 1 and fmt[0] == fmt[-1] == '"':  # a literal: '"<1%"' shows <1%
        return fmt[1:-1]
    if fmt == '"£"#,##0.00':
        return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"
    if fmt == "#,##0":
        return f"{value:,.0f}"
    if fmt == "#,##0.00":
        return f"{value:,.2f}"
    if fmt in ("0.0", "0.00", "0"):
        return f"{value:.{len(fmt) - 2 if '.' in fmt else 0}f}"
    if fmt == 'General"%"':
        return f"{value:.10g}%"
    return f"{value:.10g}"  # General: Excel shows at most 11 characters


def assert_columns_fit(sheet: Worksheet) -> None:
    """No visible, unwrapped column narrower than its widest value as shown (and the margin)."""
    for column in sheet.iter_cols(min_row=2):
        if not column:
            continue
        letter = column[0].column_letter
        dims = sheet.column_dimensions[letter]
        if dims.hidden or any(c.alignment.wrap_text for c in column):
            continue
        for cell in column:
            if cell.value is None:
                continue
            text = shown(cell.value, cell.number_format)
            if isinstance(cell.value, str) and len(text) > 78:
                continue  # long text runs on or is read in the formula bar
            assert dims.width >= len(text) + 1, (sheet.title, letter, text, dims.width)


def test_summary_figures_are_typed_for_pivots(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    """Shares are fractions shown '0%', Last updated a datetime, programmes a count per rating."""
    sample_audit(store, questionnaire)
    path = tmp_path / "one.xlsx"
    export_audits(store, [a.id for a in store.audits()], path)
    sheet = load_workbook(path)["Summary"]
    index = columns(sheet)

    def cell(header: str) -> Any:
        return sheet.cell(2, index[header])

    share = cell("Contractor and consultant share of the technology workforce (FTE)")
    assert share.value == 0.25 and share.number_format == SHARE_FORMAT  # 10 of 40 FTE
    assert cell("Contractor and consultant share of the technology workforce (cost)").value == 0.4
    completion = cell("Completion")
    assert isinstance(completion.value, float) and 0 < completion.value <= 1
    assert completion.number_format == SHARE_FORMAT
    updated = cell("Last updated")
    assert isinstance(updated.value, datetime) and updated.number_format == DATETIME_FORMAT
    assert cell("Overall maturity").number_format == MATURITY_FORMAT
    for rating, count in (("total", 3), ("Amber/Green", 2), ("Green", 1), ("Red", 0)):
        programmes = cell(f"Major programmes: {rating}")
        assert programmes.value == count and programmes.number_format == COUNT_FORMAT, rating
    assert cell("A CIO or equivalent sits on the board").value == "Yes"
    assert_columns_fit(sheet)


def test_long_sheets_split_numbers_from_text(tmp_path: Path, demo: Store) -> None:
    """All indicators and All answers: a number column of numbers only, words beside it."""
    path = tmp_path / "all.xlsx"
    export_audits(demo, [a.id for a in demo.audits()], path)
    book = load_workbook(path)
    indicators = book["All indicators"]
    kinds = column_cells(indicators, "Kind")
    values = column_cells(indicators, "Value")
    texts = column_cells(indicators, "Text")
    for kind, value, text in zip(kinds, values, texts, strict=True):
        if kind.value == "share" and text.value is None:
            assert isinstance(value.value, float) and 0 <= value.value <= 1
            assert value.number_format == SHARE_FORMAT
        elif kind.value == "group":
            assert isinstance(value.value, int) and value.number_format == COUNT_FORMAT
        elif kind.value == "difference" and text.value is None:  # two shares, in points
            assert isinstance(value.value, float) and -100 <= value.value <= 100
            assert value.number_format == POINTS_FORMAT
        else:
            assert value.value is None
            assert text.value in ("Yes", "No", "Not answered", "No data", CONFLICTING_TEXT)
    numbers = column_cells(book["All answers"], "Number")
    assert any(c.value is not None for c in numbers)
    assert all(c.value is None or isinstance(c.value, int | float) for c in numbers)
    for name in book.sheetnames:
        if name != "_baseline":
            assert_columns_fit(book[name])


def test_no_float_noise_in_any_number(tmp_path: Path, demo: Store) -> None:
    """Sums of money and FTE carry at most pence. Shares are true ratios, every digit meant:
    rounded to 2 places of points, 1 FTE of 40,001 was a cell holding 0 (review F2)."""
    path = tmp_path / "all.xlsx"
    export_audits(demo, [a.id for a in demo.audits()], path)
    book = load_workbook(path)
    ratios = ("Completion", "Overall maturity")  # true ratios: every digit is meant
    for name in ("Summary", "All indicators"):
        sheet = book[name]
        skip = {i for h, i in columns(sheet).items() if h in ratios or "(maturity)" in h}
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float) and cell.column not in skip:
                    if cell.number_format in (SHARE_FORMAT, POINTS_FORMAT) or (
                        cell.number_format[:1] == '"'
                    ):
                        continue  # a share (or two shares' difference), exact: shown '52%',
                        # '<1%', '>99%' or '+3 points'
                    places = 2
                    exponent = Decimal(repr(cell.value)).as_tuple().exponent
                    assert isinstance(exponent, int) and exponent >= -places, (name, cell.value)


pence = st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False)
workforce = st.lists(
    st.tuples(st.sampled_from(["permanent", *CONTRACTOR_TYPES]), pence), min_size=1, max_size=12
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workforce, st.lists(pence, max_size=6))
def test_money_is_summed_exactly_and_fits_its_column(
    staff: list[tuple[str, Decimal]], costs: list[Decimal]
) -> None:
    """Any pence: the sums in All indicators are the exact decimal sums, no column shows ###."""
    questionnaire = current_questionnaire()
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "w.sqlite") as store:
            dept = store.add_department("Department for Transport", "DfT")
            audits = []
            for cycle in ("2013 baseline", "2014 review"):  # two audits: the long sheets
                audit = store.create_audit(dept.id, cycle, questionnaire)
                rows = [
                    {"profession_family": "data", "staff_type": kind, "annual_cost": float(cost)}
                    for kind, cost in staff
                ]
                store.insert_rows(audit.id, "workforce_mix", 0, rows)
                programmes = [
                    {"name": f"P{i}", "whole_life_cost": float(c), "delivery_confidence": "red"}
                    for i, c in enumerate(costs)
                ]
                store.insert_rows(audit.id, "major_programmes", 0, programmes)
                audits.append(audit.id)
            path = Path(folder) / "money.xlsx"
            export_audits(store, audits, path)
        book = load_workbook(path)
    sheet = book["All indicators"]
    index = columns(sheet)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    cost = [r for r in rows if r[index["Indicator ID"] - 1] == "contractor_share_cost"]
    total = sum((c for _, c in staff), Decimal(0))
    part = sum((c for k, c in staff if k in CONTRACTOR_TYPES), Decimal(0))
    for row in cost:
        if total:
            assert Decimal(repr(row[index["Denominator"] - 1])) == total
            assert Decimal(repr(row[index["Numerator"] - 1] or 0)) == part
    red = [r for r in rows if r[index["Group"] - 1] == "Red"]
    for row in red:
        assert Decimal(repr(row[index["Numerator"] - 1])) == sum(costs, Decimal(0))
    for name in ("Summary", "All indicators", "Workforce mix", "Major programmes"):
        assert_columns_fit(book[name])


def test_a_sum_over_blank_values_says_whose_values_it_holds(tmp_path: Path) -> None:
    """Three Red programmes, one costed: the Red row's sum is that one's, and says so; a
    blank cost is not £0 (review F3, the workbook's part)."""
    with Store(tmp_path / "w.sqlite") as store:
        dept = store.add_department("Department for Transport", "DfT")
        audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
        store.insert_rows(
            audit.id,
            "major_programmes",
            0,
            [
                {"name": "A", "delivery_confidence": "red", "whole_life_cost": 100e6},
                {"name": "B", "delivery_confidence": "red"},
                {"name": "C", "delivery_confidence": "red"},
                {"name": "D", "delivery_confidence": "green", "whole_life_cost": 5e6},
            ],
        )
        other = store.add_department("Department for Education", "DfE")
        second = store.create_audit(other.id, "2014 review", current_questionnaire())
        export_audits(store, [audit.id, second.id], tmp_path / "p.xlsx")  # the long sheets
    sheet = load_workbook(tmp_path / "p.xlsx")["All indicators"]
    index = columns(sheet)
    found = {
        r[index["Group"] - 1]: r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[index["Indicator ID"] - 1] == "programmes_by_rag" and r[0] == dept.name
    }
    red, green = found["Red"], found["Green"]
    assert red[index["Value"] - 1] == 3 and red[index["Numerator"] - 1] == 100e6
    assert red[index["Text"] - 1] == "Sum of the 1 of 3 with a recorded value"
    assert green[index["Numerator"] - 1] == 5e6 and green[index["Text"] - 1] is None
