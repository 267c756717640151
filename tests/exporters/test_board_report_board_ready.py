"""The board report as a board paper: recommendations a board can act on, findings linked to
them, DRAFT on every page of an audit not signed off. Written from real workspaces and read
back with pypdf."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdf
import pytest
from reportlab.platypus import NextPageTemplate, Spacer

from exporters.board_report import gather, write_board_report
from exporters.board_report_pages import appendices
from exporters.pdf_document import PageFurniture, ReportDocument, make_styles
from exporters.report_options import ReportOptions
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters.test_board_report import ISSUED, pages_text, prior_and_sample


@pytest.fixture
def sample(store: Store, questionnaire: Questionnaire, tmp_path: Path) -> tuple[Store, str, Path]:
    _prior, current = prior_and_sample(store, questionnaire)
    out = tmp_path / "board.pdf"
    write_board_report(store, current.id, out, issued=ISSUED)
    return store, current.id, out


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_every_printed_recommendation_has_owner_timescale_measure_and_decision(
    sample: tuple[Store, str, Path],
) -> None:
    store, audit_id, path = sample
    recs = gather(store, audit_id, ReportOptions()).recommendations
    assert len(recs) >= 3
    text = " ".join(pages_text(path))
    body = text.split("Decisions for the board", 1)[1]
    blocks = re.split(r"Recommendation (\d+): ", body)[1:]
    numbers = [int(n) for n in blocks[0::2]]
    assert numbers == list(range(1, len(recs) + 1))
    for rec, block in zip(recs, blocks[1::2], strict=True):
        assert block.startswith(_normal(rec.title))
        for label, value in (
            ("Owner", rec.owner),
            ("By when", rec.timescale),
            ("Success measure", rec.measure),
            ("Decision for the board", rec.decision),
        ):
            assert value, (rec.id, label)
            assert f"{label} {_normal(value)}" in block, (rec.id, label)
    # the decisions table up front lists each one with its owner and timescale
    table = body.split("Recommendation 1: ", 1)[0]
    for rec in recs:
        assert _normal(rec.decision) in table


def test_a_finding_names_its_recommendation_and_links_to_it(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    store.set_answer(current.id, "cio_on_board", False)
    cdio = store.rows(current.id, "senior_roles")[0]  # the CDIO, on the board in the sample
    store.set_cell(current.id, cdio.id, "board_member", False)
    out = tmp_path / "board.pdf"
    write_board_report(store, current.id, out, issued=ISSUED)
    data = gather(store, current.id, ReportOptions())
    cio_rec = 1 + [r.id for r in data.recommendations].index("business_led_cio_on_board")
    cio_finding = 1 + next(i for i, f in enumerate(data.findings) if "CIO" in f.text)
    finding_text = data.findings[cio_finding - 1].text
    text = " ".join(pages_text(out))
    summary = text.split("Key findings", 1)[1].split("Recommendations", 1)[0]
    assert f"{finding_text} (see Recommendation {cio_rec})" in summary
    block = text.split(f"Recommendation {cio_rec}: ", 1)[1][:600]
    assert f"Responds to Finding {cio_finding} of the executive summary" in block
    # the link is a real jump inside the PDF
    reader = pypdf.PdfReader(out)
    links = [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots") or []
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert links, "no internal links"


@pytest.mark.parametrize(
    ("status", "line"),
    [
        ("draft", "DRAFT: not yet submitted or signed off. Figures may change."),
        ("submitted", "DRAFT: submitted, not yet signed off."),
        ("reviewed", "DRAFT: reviewed, not yet signed off."),
    ],
)
def test_an_audit_not_signed_off_prints_draft_on_every_page(
    store: Store, questionnaire: Questionnaire, tmp_path: Path, status: str, line: str
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    store.set_audit_fields(current.id, status=status)
    out = tmp_path / "board.pdf"
    result = write_board_report(store, current.id, out, issued=ISSUED)
    texts = pages_text(out)
    assert len(texts) == result.pages >= 6
    for number, text in enumerate(texts, 1):
        assert line in text, f"page {number} lacks the draft line"
        assert text.count("DRAFT") >= 2, f"page {number} lacks the watermark"


def test_a_signed_off_audit_prints_no_draft_marking(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    store.set_audit_fields(current.id, status="signed_off")
    out = tmp_path / "board.pdf"
    write_board_report(store, current.id, out, issued=ISSUED)
    for number, text in enumerate(pages_text(out), 1):
        assert "DRAFT" not in text, f"page {number}"


def test_redaction_prints_a_short_stable_label_for_each_name(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    roles = store.rows(current.id, "senior_roles")
    store.set_cell(current.id, roles[0].id, "post_holder_name", "Gwenllian Ap Rhys")
    store.set_cell(current.id, roles[1].id, "post_holder_name", "Iolo Morganwg-Jones")
    store.set_cell(current.id, roles[1].id, "post_ref", None)  # no reference: a code instead
    options = ReportOptions(redact_names=True)
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    write_board_report(store, current.id, first, options, issued=ISSUED)
    write_board_report(store, current.id, second, options, issued=ISSUED)
    text = " ".join(pages_text(first))
    assert "Gwenllian" not in text and "Morganwg" not in text
    assert "Post DIG-01" in text  # the post reference
    codes = re.findall(r"Post ([0-9A-F]{4,})\b", text)
    assert len(codes) == 1 and len(codes[0]) == 4, codes  # "Post F247": short
    assert codes == re.findall(r"Post ([0-9A-F]{4,})\b", " ".join(pages_text(second)))
    assert "post holder]" not in text


def test_no_appendix_page_holds_only_the_tail_of_a_table(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """However the roles fall across pages, every appendix page shows the table (its header
    repeats on each page) with at least two rows: never a row, or the count, on its own."""
    _prior, current = prior_and_sample(store, questionnaire)
    data = gather(store, current.id, ReportOptions())
    shown = data.shown - {"workforce_mix", "department_workforce", "contracts", "major_programmes"}
    role = data.rows["senior_roles"][0]
    rows = [{**role, "post_ref": f"R{i:03d}"} for i in range(23)]  # about a page and a row
    only_roles = dataclasses.replace(data, rows={"senior_roles": rows}, shown=shown)
    story = appendices(only_roles, make_styles())[2:]  # from the heading, on a landscape page
    for shift in range(0, 60, 2):  # space above the heading moves where the page ends
        out = tmp_path / f"appendix-{shift}.pdf"
        doc = ReportDocument(
            out, PageFurniture("OFFICIAL", "Test", ISSUED), title="t", subject="s", author="a"
        )
        doc.build_story([NextPageTemplate("wide"), Spacer(1, shift), *story])
        for number, text in enumerate(pages_text(out), 1):
            assert "Post reference" in text, (shift, number, text[-120:])
            assert len(re.findall(r"\bR\d{3}\b", text)) >= 2, (shift, number)
