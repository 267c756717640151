"""Audit and consolidated exports: the workbook analysts open, read back with openpyxl."""

from __future__ import annotations

import gc
import re
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from models.progress import Cancelled
from models.questionnaire import Questionnaire, get_questionnaire
from models.records import Audit
from models.store import Store
from tests.exporters import (
    SAMPLE_COMMENTS,
    SAMPLE_INDICATORS,
    SAMPLE_MATURITY,
    SAMPLE_OVERALL,
    SAMPLE_ROWS,
    header_index,
    metadata_rows,
    row_of,
    sample_audit,
)

CURRENCY = '"£"#,##0.00'
DATE = "yyyy-mm-dd"  # real dates shown ISO (models.formatting.DATE_FORMAT)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def sample(store: Store, questionnaire: Questionnaire) -> Audit:
    return sample_audit(store, questionnaire)


def records(ws: Any) -> list[dict[str, Any]]:
    """A sheet's data rows as header -> value."""
    rows = ws.iter_rows(values_only=True)
    headers = next(rows)
    return [dict(zip(headers, row, strict=False)) for row in rows]


# --------------------------------------------------------------------------- one audit


def test_one_audit_has_summary_sections_tables_scores_and_no_long_sheets(
    tmp_path: Path, store: Store, sample: Audit, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "dft.xlsx"
    result = export_audits(store, [sample.id], path)

    book = load_workbook(path)
    names = book.sheetnames
    assert result.audits == 1 and path.exists()
    assert names[:2] == ["Summary", "Scores"]
    section_sheets = [n for n in names if re.match(r"^\d+ ", n)]
    assert len(section_sheets) == len(questionnaire.sections)
    for section, name in zip(questionnaire.sections, section_sheets, strict=True):
        assert section.title in name
    for table in questionnaire.table_questions():
        assert table.id.replace("_", " ").capitalize() in names
    assert "All answers" not in names and "All indicators" not in names  # one audit

    summary = records(book["Summary"])
    assert len(summary) == 1
    row = summary[0]
    assert row["Department"] == "Department for Transport"
    assert row["Abbreviation"] == "DfT"
    assert row["Cycle"] == "2013 baseline"
    assert row["Status"] == "Submitted"
    assert row["Auditor"] == "R. Huws"
    assert row["Overall maturity"] == pytest.approx(SAMPLE_OVERALL)
    for title, maturity in SAMPLE_MATURITY.items():
        assert row[f"{title} (maturity)"] == pytest.approx(maturity), title
    for label, text in SAMPLE_INDICATORS.items():
        # Shares are fractions the format shows as percentages; flags are Yes or No.
        if text.endswith("%"):
            assert row[label] == pytest.approx(float(text[:-1]) / 100, abs=5e-5), label
        else:
            assert row[label] == text, label


def test_section_sheet_has_question_answer_and_comment_with_typed_answers(
    tmp_path: Path, store: Store, sample: Audit, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "dft.xlsx"
    export_audits(store, [sample.id], path)
    book = load_workbook(path)

    board = book["1 Board capability"]
    cols = header_index(board)
    assert {"Ref", "Question", "Answer", "Comment"} <= set(cols)
    refs = [r["Ref"] for r in records(board)]
    assert refs == [q.id for q in questionnaire.section("board").questions]
    cio = row_of(board, "cio_on_board", cols["Ref"])
    assert board.cell(cio, cols["Question"]).value == questionnaire.question("cio_on_board").label
    assert board.cell(cio, cols["Answer"]).value == "Yes"
    assert board.cell(cio, cols["Comment"]).value == SAMPLE_COMMENTS["cio_on_board"]
    frequency = row_of(board, "board_tech_item_frequency", cols["Ref"])
    assert board.cell(frequency, cols["Answer"]).value == "About once a quarter"  # the label

    money = book["9 Money"]
    mcols = header_index(money)
    spend = money.cell(row_of(money, "total_tech_spend", mcols["Ref"]), mcols["Answer"])
    assert spend.value == pytest.approx(1_250_000.5)
    assert spend.number_format == CURRENCY

    strategy = book["2 Strategy and alignment"]
    scols = header_index(strategy)
    day = strategy.cell(row_of(strategy, "digital_strategy_date", scols["Ref"]), scols["Answer"])
    assert isinstance(day.value, datetime) and day.value.date().isoformat() == "2013-03-31"
    assert day.number_format == DATE

    roles = book["4 Senior technology roles"]
    rcols = header_index(roles)
    pointer = roles.cell(row_of(roles, "senior_roles", rcols["Ref"]), rcols["Answer"]).value
    assert "4 rows" in pointer and "Senior roles" in pointer


def test_table_sheets_are_excel_tables_with_frozen_header_formats_and_widths(
    tmp_path: Path, store: Store, sample: Audit, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "dft.xlsx"
    export_audits(store, [sample.id], path)
    book = load_workbook(path)

    for sheet_name, table_id in (("Senior roles", "senior_roles"), ("Contracts", "contracts")):
        ws = book[sheet_name]
        assert ws.freeze_panes == "A2", sheet_name
        assert len(ws.tables) == 1, sheet_name
        table = next(iter(ws.tables.values()))
        rows = len(SAMPLE_ROWS[table_id])
        assert table.ref.endswith(str(rows + 1)) and table.ref.startswith("A1:")
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]]
        assert ws.max_row == rows + 1

    roles = book["Senior roles"]
    cols = header_index(roles)
    form = questionnaire.question("senior_roles")
    assert [roles.cell(1, cols[c.label]).value for c in form.columns] == [
        c.label for c in form.columns
    ]
    first = row_of(roles, "DIG-01", cols["Post reference"])
    pay = roles.cell(first, cols["Pay floor (£)"])
    assert pay.value == 120_000 and pay.number_format == CURRENCY
    share = roles.cell(first, cols["Time managing contracts (%)"])
    assert share.value == 20 and "%" in share.number_format
    assert (
        roles.cell(first, cols["Role type"]).value == "Chief Digital and Information Officer (CDIO)"
    )
    assert roles.cell(first, cols["Board member"]).value == "Yes"
    for hidden in ("Row ID", "Audit ID"):
        letter = roles.cell(1, cols[hidden]).column_letter
        assert roles.column_dimensions[letter].hidden, hidden

    contracts = book["Contracts"]
    ccols = header_index(contracts)
    end = contracts.cell(2, ccols["End date"])
    assert isinstance(end.value, datetime) and end.value.date().isoformat() == "2015-03-31"
    assert end.number_format == DATE
    assert contracts.cell(2, ccols["Annual value (£)"]).number_format == CURRENCY
    assert contracts.cell(2, ccols["Route to market"]).value == "Direct award without competition"

    # Sensible widths: every column set, nothing absurd, long text wider than a date.
    widths = {
        contracts.cell(1, c).value: contracts.column_dimensions[
            contracts.cell(1, c).column_letter
        ].width
        for c in range(1, contracts.max_column + 1)
    }
    assert all(8 <= w <= 80 for w in widths.values()), widths
    assert widths["Service provided"] > widths["End date"]


def test_scores_sheet_has_a_row_per_section_with_maturity(
    tmp_path: Path, store: Store, sample: Audit, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "dft.xlsx"
    export_audits(store, [sample.id], path)
    rows = records(load_workbook(path)["Scores"])
    assert [r["Section"] for r in rows] == [s.title for s in questionnaire.sections]
    by_title = {r["Section"]: r["Maturity"] for r in rows}
    for title, maturity in SAMPLE_MATURITY.items():
        assert by_title[title] == pytest.approx(maturity)
    assert by_title["Money"] is None  # not scored


def test_metadata_sheet_is_very_hidden_and_identifies_the_workbook(
    tmp_path: Path, demo: Store, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "all.xlsx"
    ids = [a.id for a in demo.audits()]
    before = datetime.now(UTC).replace(microsecond=0)
    export_audits(demo, ids, path)
    after = datetime.now(UTC)

    book = load_workbook(path)
    assert book["_baseline"].sheet_state == "veryHidden"
    assert all(book[n].sheet_state == "visible" for n in book.sheetnames if n != "_baseline")
    props, audits = metadata_rows(path)
    assert props["format"] == "baseline-workbook"
    assert int(props["format_version"]) == 1
    assert props["kind"] == "export"
    assert props["app_version"]
    exported = datetime.fromisoformat(props["exported_at"])
    assert before <= exported <= after
    assert [a["audit_id"] for a in audits] == ids
    # The demo's earlier cycle is on version 1, its latest on version 2: each says its own.
    assert {(a["questionnaire_id"], int(a["questionnaire_version"])) for a in audits} == {
        (questionnaire.id, 1),
        (questionnaire.id, questionnaire.version),
    }
    assert {a["department_name"] for a in audits} == {d.name for d in demo.departments()}


# --------------------------------------------------------------------------- consolidated


def test_consolidated_long_sheets_have_one_row_per_audit_and_answer_or_indicator(
    tmp_path: Path, demo: Store, questionnaire: Questionnaire
) -> None:
    audits = demo.audits()
    path = tmp_path / "all.xlsx"
    export_audits(demo, [a.id for a in audits], path)
    book = load_workbook(path)

    answers = records(book["All answers"])
    # Each audit has the questions and indicators of its own version (the demo mixes 1 and 2).
    forms = {a.id: get_questionnaire(a.questionnaire_id, a.questionnaire_version) for a in audits}
    scalar = {a.id: [q for q in forms[a.id].questions() if not q.is_table] for a in audits}
    assert len(answers) == sum(len(s) for s in scalar.values())
    expected_keys = {(a.department_name, a.cycle, q.id) for a in audits for q in scalar[a.id]}
    assert {(r["Department"], r["Cycle"], r["Ref"]) for r in answers} == expected_keys
    spend = {
        (r["Department"], r["Cycle"]): r["Number"]
        for r in answers
        if r["Ref"] == "total_tech_spend"
    }
    for audit in audits:
        assert spend[(audit.department_name, audit.cycle)] == demo.answer(
            audit.id, "total_tech_spend"
        )

    # Shares and flags give one row each; a group indicator one row per group in the table.
    expected = 0
    for audit in audits:
        indicators_of = forms[audit.id].indicators
        expected += len([i for i in indicators_of if i.kind != "group"])
        for ind in [i for i in indicators_of if i.kind == "group"]:
            rows = demo.rows(audit.id, ind.table or "")
            expected += len({r.cells.get(ind.group_column or "") for r in rows})
    indicators = records(book["All indicators"])
    assert len(indicators) == expected
    assert {(r["Department"], r["Cycle"]) for r in indicators} == {
        (a.department_name, a.cycle) for a in audits
    }
    assert len(records(book["Summary"])) == len(audits)
    assert len(records(book["Scores"])) == len(audits) * len(questionnaire.sections)


def test_one_cycle_exports_only_that_cycles_audits(tmp_path: Path, demo: Store) -> None:
    chosen = [a for a in demo.audits() if a.cycle == "2014 review"]
    path = tmp_path / "2014.xlsx"
    export_audits(demo, [a.id for a in chosen], path)
    _, audits = metadata_rows(path)
    assert sorted(a["audit_id"] for a in audits) == sorted(a.id for a in chosen)
    summary = records(load_workbook(path)["Summary"])
    assert {r["Cycle"] for r in summary} == {"2014 review"}
    assert len(summary) == len(demo.departments())


def test_group_indicator_text_uses_option_labels(
    tmp_path: Path, store: Store, sample: Audit
) -> None:
    path = tmp_path / "dft.xlsx"
    export_audits(store, [sample.id], path, consolidated=True)  # with the long sheets
    book = load_workbook(path)
    row = records(book["Summary"])[0]
    # One count column per rating (every option of the column), a total, and not rated.
    label = "Major programmes"
    assert row[f"{label}: total"] == 3
    assert row[f"{label}: Amber/Green"] == 2 and row[f"{label}: Green"] == 1
    assert row[f"{label}: Red"] == 0 and row[f"{label}: not rated"] == 0
    groups = {r["Group"] for r in records(book["All indicators"]) if r["Kind"] == "group"}
    assert groups == {"Amber/Green", "Green"}


# --------------------------------------------------------------------------- formula injection


def test_text_that_looks_like_a_formula_is_written_as_text(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department('=HYPERLINK("http://evil")', "-X")
    audit = store.create_audit(dept.id, "+2013", questionnaire, auditor="@auditor")
    answers = {
        "digital_leader_post": "=1+1",
        "senior_roles_notes": "\t=cmd|' /C calc'!A0",
        "workforce_source": "-2+3\r\nsecond line",
    }
    comments = {"cio_on_board": "@SUM(A1:A9)", "total_tech_spend": "\r=1"}
    cells = {
        "supplier": '=HYPERLINK("http://example.com","x")',
        "service": "+44 20 7946 0000",
        "managed_by": "\t@x",
    }
    for qid, value in answers.items():
        store.set_answer(audit.id, qid, value)
    for qid, text in comments.items():
        store.set_comment(audit.id, qid, text)
    store.insert_rows(audit.id, "contracts", 0, [cells])
    path = tmp_path / "inject.xlsx"
    export_audits(store, [audit.id], path)

    book = load_workbook(path)  # not read-only: data_type is what the XML says
    found: dict[str, Any] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    found[cell.value] = cell.data_type
    everything = [*answers.values(), *comments.values(), *cells.values()]
    everything += [dept.name, "-X", "+2013", "@auditor"]
    missing = [text for text in everything if text not in found]
    assert not missing, missing

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert not re.search(r"<(\w+:)?f[ >/]", xml), name


# --------------------------------------------------------------------------- cancelling
def cancel_after_first(done: int, total: int) -> None:
    if done >= 1:
        raise Cancelled


def other_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("workspace.sqlite"))


def test_cancel_after_the_first_audit_writes_nothing(tmp_path: Path, demo: Store) -> None:
    ids = [a.id for a in demo.audits()]
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        cancel_after_first(done, total)

    target = tmp_path / "out.xlsx"
    with pytest.raises(Cancelled):
        export_audits(demo, ids, target, progress=progress)
    gc.collect()  # an abandoned sheet writer would complain here, failing the test
    assert calls == [(0, len(ids)), (1, len(ids))]
    assert not target.exists()
    assert other_files(tmp_path) == []  # no half-written temporary file either


def test_cancel_keeps_an_existing_file_untouched(tmp_path: Path, demo: Store) -> None:
    ids = [a.id for a in demo.audits()]
    target = tmp_path / "out.xlsx"
    export_audits(demo, ids[:1], target)
    old = target.read_bytes()

    with pytest.raises(Cancelled):
        export_audits(demo, ids, target, progress=cancel_after_first)
    gc.collect()
    assert target.read_bytes() == old
    assert other_files(tmp_path) == ["out.xlsx"]
    _, audits = metadata_rows(target)
    assert [a["audit_id"] for a in audits] == ids[:1]


def test_cancelled_export_leaves_no_temporary_files_or_open_writers(
    tmp_path: Path, demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    ids = [a.id for a in demo.audits()]

    export_audits(demo, ids, tmp_path / "complete.xlsx")
    gc.collect()
    assert list(temp.iterdir()) == [] and ignored == []  # a finished export cleans up

    with pytest.raises(Cancelled):
        export_audits(demo, ids, tmp_path / "cancelled.xlsx", progress=cancel_after_first)
    gc.collect()
    assert [p.name for p in temp.iterdir()] == []
    assert ignored == []
