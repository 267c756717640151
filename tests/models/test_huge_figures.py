"""Huge amounts: every figure prints (no Decimal traceback), and no door stores one (review F5)."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from exporters.board_report import write_board_report
from importers.normalise import normalise_for
from models.audit_json import json_value
from models.formatting import (
    exact_sum,
    format_change,
    format_count,
    format_maturity,
    format_money,
    format_points,
    format_pounds,
    format_share,
    share_fraction,
    to_pence,
)
from models.questionnaire import current_questionnaire
from models.store import Store
from models.validation import (
    LARGEST_NUMBER,
    LARGEST_POUNDS,
    InvalidAnswer,
    error_for,
    parse_text,
    validate,
)
from models.workbook_format.cells import from_cell

Q = current_questionnaire()
FINITE = st.floats(allow_nan=False, allow_infinity=False)


def test_amounts_beyond_decimals_default_precision_print_in_full() -> None:
    """1e28 and more failed quantize with the default 28-digit context."""
    assert format_money(1e28) == "£10,000,000,000,000,000,000bn"
    assert format_money(1e40) == "£" + f"{10**31:,}" + "bn"  # 1e40 / 1e9 in decimal, no noise
    assert format_money(-1e28) == "-£10,000,000,000,000,000,000bn"
    assert format_pounds(1e28) == "£" + f"{10**28:,}"
    assert format_pounds(-1e40) == "-£" + f"{10**40:,}"
    assert format_count(1e28) == f"{10**28:,}"  # as written, not the binary 9,999…583,…
    assert to_pence(1e28) == 1e28
    assert exact_sum([1e28, 0.01, -1e28]) == 0.01
    assert format_money(21_323_132.0) == "£21.3m"  # ordinary amounts as before
    assert format_money(999_999_999.0) == "£1bn"
    assert format_pounds(21_323_132.4) == "£21,323,132"


@given(FINITE)
def test_every_formatter_prints_any_finite_number(value: float) -> None:
    for formatter in (
        format_money,
        format_pounds,
        format_count,
        format_share,
        format_points,
        format_maturity,
        share_fraction,
        to_pence,
    ):
        formatter(value)
    for unit in ("points", "maturity", ""):
        format_change(value, unit)


@given(FINITE)
def test_pounds_in_a_table_read_back_to_the_pound(value: float) -> None:
    text = format_pounds(value)
    whole = int(text.replace("£", "").replace(",", "").replace("-", ""))
    with localcontext() as room:
        room.prec = 400
        exact = abs(Decimal(repr(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert whole == exact
    assert text.startswith("-") == (exact != 0 and value < 0)


@given(st.floats(1e6, 1e300))
def test_money_in_prose_reads_back_to_three_figures(value: float) -> None:
    text = format_money(value)
    number, unit = re.fullmatch(r"£([\d,.]+)(bn|m)", text).groups()  # type: ignore[union-attr]
    shown = Decimal(number.replace(",", "")).scaleb(9 if unit == "bn" else 6)
    exact = Decimal(repr(value))
    assert abs(shown - exact) <= exact / 200  # within half of the third figure


# --------------------------------------------------------------------------- validation


def test_an_amount_above_ten_trillion_pounds_is_refused_with_the_bound() -> None:
    spend = Q.question("total_tech_spend")
    validate(spend, float(LARGEST_POUNDS))
    assert parse_text(spend, "£10,000bn") == 1e13
    for refused in (1e13 + 1, 1e28, 1e40, -1e40, 10**400):
        message = error_for(spend, refused)
        assert message is not None and "£10,000,000,000,000" in message, refused
    with pytest.raises(InvalidAnswer, match="at most £10,000,000,000,000"):
        parse_text(spend, "1e40")
    with pytest.raises(InvalidAnswer, match="at most £10,000,000,000,000"):
        parse_text(spend, "£20,000bn")


def test_a_count_or_fte_above_a_trillion_is_refused() -> None:
    fte = Q.question("workforce_mix").column("fte")
    assert error_for(fte, 1e12) is None
    for refused in (1e12 + 1, 1e28, 10**400):
        message = error_for(fte, refused)
        assert message is not None and "1,000,000,000,000" in message, refused


@given(FINITE)
def test_validation_takes_an_amount_exactly_when_a_report_can_print_it(value: float) -> None:
    spend = Q.question("total_tech_spend")
    refused = error_for(spend, value)
    if abs(value) > LARGEST_POUNDS or (spend.minimum is not None and value < spend.minimum):
        assert refused is not None
    else:
        assert refused is None
        assert format_money(value) and format_pounds(value)
    assert LARGEST_NUMBER < LARGEST_POUNDS < 2**53 / 100  # pence stay exact in a float


def test_every_door_refuses_a_huge_amount_naming_the_question_or_column() -> None:
    """The JSON reader, the workbook cell reader and typed text share validate()."""
    spend = Q.question("total_tech_spend")
    with pytest.raises(InvalidAnswer, match="at most £10,000,000,000,000"):
        json_value(spend, 1e40)
    value = Q.question("contracts").column("annual_value")
    with pytest.raises(InvalidAnswer, match="at most £10,000,000,000,000"):
        json_value(value, 1e28)
    with pytest.raises(InvalidAnswer, match="at most £10,000,000,000,000"):
        from_cell(value, 1e28)
    for cell in (1e28, "1e28", 10**30, "£20,000bn"):  # the foreign-workbook importers' reader
        stored, note, ok = normalise_for(value, cell)
        assert (stored, ok) == (None, False) and note, cell
    assert normalise_for(value, 1e13) == (1e13, None, True)


def test_cli_import_of_a_huge_amount_names_the_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    db = tmp_path / "ws.sqlite"
    assert main(["new", "--db", str(db)]) == 0
    document = {
        "format": "baseline-audits",
        "format_version": 1,
        "audits": [
            {
                "department": {"name": "Department for Work and Pensions"},
                "cycle": "2015 review",
                "questionnaire": {"id": Q.id, "version": Q.version},
                "answers": {"total_tech_spend": 1e40},
                "tables": {"contracts": [{"cells": {"supplier": "Acme", "annual_value": 1e28}}]},
            }
        ],
    }
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document))
    capsys.readouterr()
    assert main(["import", str(source), "--db", str(db)]) != 0
    said = capsys.readouterr()
    told = said.out + said.err
    assert "'total_tech_spend'" in told and "annual_value" in told.lower(), told
    assert "at most £10,000,000,000,000" in told and "Traceback" not in told
    with Store(db) as store:
        assert store.departments() == []  # nothing stored


# --------------------------------------------------------------------------- reports


def test_board_report_prints_an_amount_stored_before_the_bound(tmp_path: Path) -> None:
    """A workspace written before the bound may hold 1e40: the report still prints it."""
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
        store.set_answer(audit.id, "total_tech_spend", 1e40)
        store.bulk_rows(audit.id, "contracts", [{"supplier": "Acme", "annual_value": 1e28}])
        write_board_report(store, audit.id, tmp_path / "r.pdf")
        write_board_report(store, audit.id, tmp_path / "r.docx")
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    )
    assert f"£{10**28:,}" in text or "£10,000,000,000,000,000,000bn" in text
    assert (tmp_path / "r.docx").stat().st_size > 0


def test_a_share_whose_sums_overflow_is_not_worked_out_and_stays_json(tmp_path: Path) -> None:
    """Two FTEs of 1e308 stored before the bound: the sum is inf, the share was NaN and
    `audit show --json` refused to write it (review F17). Now: no share, none counted."""
    from models.audit_json_derived import figures
    from models.cycle_summary import audit_figures

    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", Q, "A. Auditor")
        row = {"profession_family": "data", "fte": 1e308}
        store.bulk_rows(
            audit.id,
            "workforce_mix",
            [{**row, "staff_type": "permanent"}, {**row, "staff_type": "contractor"}],
        )
        share = audit_figures(store, audit.id).score.indicators["contractor_share_fte"]
        assert share.value is None and (share.numerator, share.denominator) == (0.0, 0.0)
        assert share.coverage is not None and share.coverage.answered == 0
        json.dumps(figures(store, store.audit(audit.id)), allow_nan=False)
