"""The cross-government summary, written from real workspaces and read back with pypdf."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from exporters.report_options import ReportOptions
from exporters.summary_report import write_summary_report
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters import sample_audit
from tests.exporters.test_board_report import outline_titles, pages_text


@pytest.fixture
def three_departments(store: Store, questionnaire: Questionnaire) -> Store:
    """DfT (submitted sample), HO (draft, board maturity 1), and MoJ with no audit."""
    sample_audit(store, questionnaire)  # DfT, submitted, overall 2.8
    home = store.add_department("Home Office", "HO")
    draft = store.create_audit(home.id, "2013 baseline", questionnaire)
    store.set_answer(draft.id, "board_capability_maturity", 1)
    store.set_answer(draft.id, "digital_leader_nominated", False)
    store.add_department("Ministry of Justice", "MoJ")
    return store


def test_summary_of_a_cycle(three_departments: Store, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    result = write_summary_report(
        three_departments,
        "2013 baseline",
        out,
        ReportOptions(marking="OFFICIAL-SENSITIVE"),
        issued=date(2014, 5, 2),
    )
    texts = pages_text(out)
    assert len(texts) == result.pages
    for number, text in enumerate(texts, 1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2
        assert re.search(rf"Page {number} of {result.pages}\b", text)
    joined = " ".join(texts)
    assert "Cross-government summary" in texts[0]
    assert "Departments audited 2 of 3" in texts[0]
    assert "2 May 2014" in texts[0]
    # heat map: DfT's board 4.0 and overall 2.8; Home Office board 1.0 (both halves of "1.0")
    # (governance and skills rest on 1 of 6 and 1 of 3 scoring questions: said, issue 15)
    assert re.search(
        r"Department for Transport 4\.0 4\.0 2\.0 Provisional \(1 of 6 answered\) 1\.0 "
        r"3\.0 Provisional \(1 of 3 answered\) 2\.8 Submitted",
        joined,
    )
    assert re.search(r"Home Office 1\.0 .*?Draft", joined)
    # two audits have no median (the board report's rule): no 'Median 2.5' drawn, none said
    assert "Median 2.5" not in joined and "– out of 5" not in joined
    assert "No median overall maturity is given: fewer than 3 departments have one." in joined
    assert "no median of fewer than 3" in joined
    # league table of a flag, and who has not submitted
    assert "A digital leader sits on the board" in joined
    assert "Ministry of Justice No audit for this cycle" in joined
    assert re.search(r"Home Office Draft, \d+% complete", joined)
    titles = outline_titles(out)
    for expected in (
        "Overview",
        "Maturity by department and section",
        "Indicator league tables",
        "Distributions by section",
        "Departments that have not submitted",
    ):
        assert expected in titles
    meta = pypdf.PdfReader(out).metadata
    assert (
        meta is not None and meta.title == "Technology capability across government: 2013 baseline"
    )


def test_unknown_cycle_is_named(three_departments: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2099 review"):
        write_summary_report(three_departments, "2099 review", tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


def test_demo_cycle_lists_every_department(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "demo-summary.pdf"
    cycle = demo.audits()[-1].cycle
    write_summary_report(demo, cycle, out)
    joined = " ".join(pages_text(out))
    for dept in demo.departments():
        assert dept.name in joined
