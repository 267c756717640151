"""The board report's appendix of open data-quality notes, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pypdf

from exporters.board_report import write_board_report
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import sample_audit
from tests.exporters.test_board_report import outline_titles, pages_text

TITLE = "Appendix F: Open data-quality notes"  # after the five table appendices, A to E


def test_open_notes_are_printed_in_their_own_appendix(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    audit = sample_audit(store, questionnaire, cycle="2014 review")
    roles = store.rows(audit.id, "senior_roles")
    store.set_cells(
        audit.id, [(roles[1].id, "pay_floor", 90000.0), (roles[1].id, "pay_ceiling", 80000.0)]
    )
    store.set_answer(audit.id, "cloud_spend", 2_000_000.0)  # above the £1,250,000.50 total
    out = tmp_path / "board.pdf"
    write_board_report(store, audit.id, out)

    texts = pages_text(out)
    pages = [t for t in texts if TITLE in t]
    assert len(pages) == 1
    page = pages[0]
    assert "2 open notes: data-quality checks that the questionnaire defines" in page
    for text in (
        "Senior technology roles, role 2 “DIG-02” (Pay floor (£), Pay ceiling (£))",
        "The pay floor is above the pay ceiling.",
        "Cloud spend is more than the total technology spend it is part of.",
    ):
        assert text in page, text
    assert TITLE in outline_titles(out)
    shape = pypdf.PdfReader(out).pages[texts.index(page)].mediabox
    assert shape.width > shape.height  # landscape, like the other appendices
    assert texts.index(page) == len(texts) - 1  # the last appendix
    assert "before the audit is signed off" in page  # it is submitted, not signed off yet


def test_a_signed_off_audit_says_its_notes_were_left_open(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    audit = sample_audit(store, questionnaire, cycle="2014 review")
    store.set_answer(audit.id, "cloud_spend", 2_000_000.0)
    store.set_audit_fields(audit.id, status="signed_off")
    out = tmp_path / "board.pdf"
    write_board_report(store, audit.id, out)
    page = next(t for t in pages_text(out) if TITLE in t)
    assert "these notes were still open when the audit was signed off" in page


def test_no_appendix_when_every_check_passes(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    audit = sample_audit(store, questionnaire, cycle="2014 review")
    out = tmp_path / "board.pdf"
    write_board_report(store, audit.id, out)
    assert not any("data-quality" in t for t in pages_text(out))
