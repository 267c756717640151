"""The cross-government summary says up front how far its audits have got, ranks shares best
first with ties sharing a rank, and counts yes/no indicators. Read back with pypdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exporters.summary_report import write_summary_report
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters.test_board_report import pages_text

CYCLE = "2013 baseline"


def _audit(
    store: Store,
    questionnaire: Questionnaire,
    name: str,
    contractor: float,
    permanent: float,
    status: str,
    cio: bool | None,
) -> None:
    dept = store.add_department(name)
    audit = store.create_audit(dept.id, CYCLE, questionnaire)
    store.bulk_rows(
        audit.id,
        "workforce_mix",
        [
            {"profession_family": "it_operations", "staff_type": "contractor", "fte": contractor},
            {"profession_family": "it_operations", "staff_type": "permanent", "fte": permanent},
        ],
    )
    if cio is not None:
        store.set_answer(audit.id, "cio_on_board", cio)
    if status != "draft":
        store.set_audit_fields(audit.id, status=status)


def _summary(store: Store, tmp_path: Path) -> str:
    out = tmp_path / "summary.pdf"
    write_summary_report(store, CYCLE, out, issued=date(2014, 5, 2))
    return " ".join(pages_text(out))


def test_summary_ranks_best_first_with_ties_and_counts_yes_no(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    # contractor share of FTE: Alpha 60%, Bravo 20%, Charlie 20%, Delta 40%
    _audit(store, questionnaire, "Alpha", 6, 4, "signed_off", True)
    _audit(store, questionnaire, "Bravo", 2, 8, "submitted", True)
    _audit(store, questionnaire, "Charlie", 1, 4, "draft", False)
    _audit(store, questionnaire, "Delta", 4, 6, "draft", None)
    text = _summary(store, tmp_path)
    league = text.split("Contractor and consultant share of the technology workforce (FTE) Rank")[1]
    assert league.startswith(
        " Department Share (lower is better) Audit status "
        "1 Bravo 20% Submitted 1 Charlie 20% Draft 3 Delta 40% Draft 4 Alpha 60% Signed off"
    ), league[:200]
    # the headline table and the counted table give one count: Yes over those answering
    headline = "A CIO or equivalent sits on the board Yes in 2 of 3 departments answering"
    assert f"{headline} 1 not answered" in text
    cio = text.split("A CIO or equivalent sits on the board", 2)[2]
    assert cio.startswith(" Yes in 2 of 3 departments answering, No in 1, not answered in 1.")
    assert "Rank" not in cio.split("Departments that have not submitted")[0][:400]


def test_summary_says_up_front_how_many_audits_are_drafts(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _audit(store, questionnaire, "Alpha", 1, 1, "draft", None)
    _audit(store, questionnaire, "Bravo", 1, 1, "draft", None)
    _audit(store, questionnaire, "Charlie", 1, 1, "reviewed", None)
    store.add_department("Delta")
    text = _summary(store, tmp_path)
    assert "Audits by status 2 drafts, 0 submitted, 1 reviewed, 0 signed off" in text
    overview = text.split("Overview", 1)[1]
    assert overview.startswith(
        " 3 of 4 departments have an audit for 2013 baseline: 2 drafts, 0 submitted, "
        "1 reviewed, 0 signed off. 3 of the 3 audits are not yet signed off, so their "
        "figures may change;"
    ), overview[:300]


def test_summary_of_drafts_only_says_every_figure_is_from_drafts(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _audit(store, questionnaire, "Alpha", 1, 1, "draft", None)
    _audit(store, questionnaire, "Bravo", 1, 1, "draft", None)
    text = _summary(store, tmp_path)
    assert (
        "2 of 2 departments have an audit for 2013 baseline: 2 drafts, 0 submitted, "
        "0 reviewed, 0 signed off. No audit has been submitted yet, so every figure below "
        "comes from drafts and may change."
    ) in text
    assert "have not submitted (listed at the end)" not in text


def test_heat_map_and_distributions_say_which_figures_may_change(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _audit(store, questionnaire, "Alpha", 1, 1, "draft", None)
    _audit(store, questionnaire, "Bravo", 1, 1, "signed_off", None)
    text = _summary(store, tmp_path)
    assert "Status says how far each audit has got: 1 of 2 audits is not yet signed off;" in text
    assert "departments are scored. 1 of 2 audits is not yet signed off;" in text
