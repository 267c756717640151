"""A board report compares with the earlier CYCLE, even when that audit was entered later."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pypdf

from exporters.board_report import write_board_report
from models.questionnaire import Questionnaire
from models.store import Store
from tests.models.test_cycle_summary import make_audit

HIGH = {"board_capability_maturity": 5, "cio_on_board": True}
LOW = {"board_capability_maturity": 1, "cio_on_board": True}


def report_text(store: Store, audit_id: str, path: Path) -> str:
    """The report's text as one line, read back from the PDF written."""
    write_board_report(store, audit_id, path)
    pages = pypdf.PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def test_back_filled_2014_review_is_what_2015_is_compared_with(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    later = make_audit(store, questionnaire, "DWP", "2015 review", answers=LOW)
    time.sleep(0.01)  # created_at has millisecond resolution: 2014 is entered second
    earlier = make_audit(store, questionnaire, "DWP", "2014 review", answers=HIGH)

    text_2015 = report_text(store, later.id, tmp_path / "2015.pdf")
    assert "Change since 2014 review" in text_2015
    assert re.search(r"declined since 2014 review", text_2015), text_2015[:2000]

    text_2014 = report_text(store, earlier.id, tmp_path / "2014.pdf")
    assert "since 2015 review" not in text_2014
    assert "Change since last audit" in text_2014  # what a first audit's report says
