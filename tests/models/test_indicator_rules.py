"""Issue 15: figures that agree with the answers. Hand-worked cases, one per defect found.

Each case failed on the code before issue 15: a board-member row overrode an answer of No,
an unanswered question was printed as No, "None of these" scored a point beside named
areas, a vacant post counted as held, a rating on one answer of four carried no warning,
an empty audit showed sections complete, and the submit check ignored blank cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.audit_package import read_package, write_package
from models.completion import (
    blank_required_cells,
    complete_row_counts,
    stored_complete_row_counts,
    stored_rows,
)
from models.cycle_summary import audit_figures, cycle_summary
from models.findings import key_findings
from models.indicator_flags import (
    CONFLICTING,
    CONFLICTING_TEXT,
    NOT_ANSWERED,
    audit_flag_conflicts,
)
from models.lifecycle import MissingAnswersError, apply
from models.merge import apply_merge
from models.questionnaire import Questionnaire
from models.recommendations import recommend
from models.scoring import score_audit, score_sections, section_progress
from models.store import Store
from models.validation import InvalidAnswer, parse_text, validate
from tests.models.test_findings import COMPLETE, post

CYCLE = "2013 baseline"


def audit_with(
    store: Store,
    questionnaire: Questionnaire,
    answers: dict[str, Any],
    senior: list[dict[str, Any]] = (),  # type: ignore[assignment]
    department: str = "Home Office",
) -> str:
    dept = store.find_department(department) or store.add_department(department)
    audit = store.create_audit(dept.id, CYCLE, questionnaire, auditor="A. Auditor")
    for question_id, value in answers.items():
        store.set_answer(audit.id, question_id, value)
    if senior:
        store.insert_rows(audit.id, "senior_roles", 0, list(senior))
    return audit.id


# --------------------------------------------------------------------------- answer vs table


def test_answer_no_with_a_board_member_row_is_conflicting_everywhere(
    store: Store, questionnaire: Questionnaire
) -> None:
    """Home Office 2013: answered No, but the roles table has the Digital Leader on the board."""
    answers = {**COMPLETE, "digital_leader_on_board": False, "cio_on_board": True}
    senior = [post("digital_leader", board=True), post("cio", board=True)]
    audit_id = audit_with(store, questionnaire, answers, senior)
    figures = audit_figures(store, audit_id)
    flag = figures.score.indicators["digital_leader_on_board"]
    assert (flag.value, flag.status) == (None, CONFLICTING)
    assert flag.text == "Conflicting — resolve before sign-off"
    assert "Answered No" in flag.note and "row 1 (P-digital_leader" in flag.note
    # the agreeing flag is the answer
    assert figures.score.indicators["cio_on_board"].value is True

    [conflict] = audit_flag_conflicts(store, audit_id, questionnaire)
    assert (conflict.indicator_id, conflict.question_id) == (
        "digital_leader_on_board",
        "digital_leader_on_board",
    )
    assert (conflict.table_id, conflict.rows) == ("senior_roles", (1,))

    texts = [f.text for f in key_findings(figures, None, {}, limit=20)]
    assert any(CONFLICTING_TEXT in t and "digital leader" in t.lower() for t in texts)
    assert not any("No digital leader sits" in t for t in texts)
    # the recommendation that rested on the disputed No waits for it to be resolved
    fired = [r.id for r in recommend(questionnaire, store.answers(audit_id), figures.score)]
    assert "digital_leader_full_board_member" not in fired

    summary = cycle_summary(store, CYCLE)
    [entry] = summary.leagues["digital_leader_on_board"]
    assert (entry.value, entry.text) == (None, CONFLICTING_TEXT)


def test_answer_yes_with_the_post_marked_not_on_the_board_is_conflicting(
    questionnaire: Questionnaire,
) -> None:
    answers = {**COMPLETE, "cio_on_board": True}
    rows = {"senior_roles": [post("cio", board=False)]}
    flag = score_audit(questionnaire, answers, rows).indicators["cio_on_board"]
    assert flag.status == CONFLICTING and "Answered Yes" in flag.note


def test_unanswered_with_a_board_member_row_is_not_answered_with_a_note(
    questionnaire: Questionnaire,
) -> None:
    """The table alone is evidence, not the answer: never printed as Yes."""
    rows = {"senior_roles": [post("cio", board=True)]}
    flag = score_audit(questionnaire, dict(COMPLETE), rows).indicators["cio_on_board"]
    assert (flag.value, flag.status, flag.text) == (None, NOT_ANSWERED, "Not answered")
    assert "row 1" in flag.note and "not taken as the answer" in flag.note


def test_a_vacant_board_post_is_not_evidence_of_a_seat(questionnaire: Questionnaire) -> None:
    answers = {**COMPLETE, "cio_on_board": False}
    rows = {"senior_roles": [post("cio", status="vacant", board=True)]}
    flag = score_audit(questionnaire, answers, rows).indicators["cio_on_board"]
    assert (flag.value, flag.status) == (False, "answered")


def test_no_digital_leader_nominated_means_none_sits_on_the_board(
    questionnaire: Questionnaire,
) -> None:
    answers = {**COMPLETE, "digital_leader_nominated": False}
    flag = score_audit(questionnaire, answers, {}).indicators["digital_leader_on_board"]
    assert (flag.value, flag.text) == (False, "No")


# --------------------------------------------------------------------------- unanswered


def test_unanswered_cio_is_not_a_finding_nor_no_in_the_summary(
    store: Store, questionnaire: Questionnaire
) -> None:
    """DWP 2014: cio_on_board unanswered, no CIO row: no 'No CIO ... sits on the board'."""
    audit_id = audit_with(store, questionnaire, dict(COMPLETE), [post("cto")])
    figures = audit_figures(store, audit_id)
    flag = figures.score.indicators["cio_on_board"]
    assert (flag.value, flag.text) == (None, "Not answered")
    texts = [f.text for f in key_findings(figures, None, {}, limit=20)]
    assert not any("CIO" in t for t in texts)
    fired = [r.id for r in recommend(questionnaire, store.answers(audit_id), figures.score)]
    assert "business_led_cio_on_board" not in fired
    [entry] = cycle_summary(store, CYCLE).leagues["cio_on_board"]
    assert entry.text == "Not answered"


# --------------------------------------------------------------------------- exclusive choices


def test_none_of_these_with_named_areas_is_refused_by_validation(
    questionnaire: Questionnaire,
) -> None:
    owners = questionnaire.question("framework_owners")
    assert owners.exclusive_values == {"none"}
    validate(owners, ["none"])
    validate(owners, ["security", "privacy"])
    with pytest.raises(InvalidAnswer, match="cannot be chosen with other options"):
        validate(owners, ["none", "security"])
    with pytest.raises(InvalidAnswer, match="None of these has a named owner"):
        parse_text(owners, "None of these has a named owner; Security")


def test_none_of_these_scores_as_no_area_named(questionnaire: Questionnaire) -> None:
    """Governance 3.17, not 3.33: 'None' mixed in (stored before issue 15) earns no point."""
    base = {
        "legislation_tech_scrutiny": True,  # 5
        "independent_review_new_projects": True,  # 5
        "active_programme_review": "internal_only",  # 3
        "spend_controls": False,  # 1
        "governance_maturity": 3,  # 3
    }
    score = score_sections(questionnaire, {**base, "framework_owners": ["none", "security"]})
    assert score.question_points["framework_owners"] == 1.0
    assert score.section_maturity["governance"] == pytest.approx(3.0)  # (5+5+3+1+1+3) / 6
    alone = score_sections(questionnaire, {**base, "framework_owners": ["none"]})
    assert alone.question_points["framework_owners"] == 1.0
    two = score_sections(questionnaire, {**base, "framework_owners": ["security", "privacy"]})
    assert two.question_points["framework_owners"] == 2.0


def test_merge_refuses_none_of_these_ticked_with_others(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b:
        audit_id = audit_with(a, questionnaire, {"framework_owners": ["security"]})
        write_package(a, tmp_path / "one.zip", [audit_id])
        apply_merge(b, read_package(tmp_path / "one.zip"))
        assert b.answers(audit_id)["framework_owners"] == ["security"]
        # written behind validation's back, as an older app could have stored it
        a.set_answer(audit_id, "framework_owners", ["none", "security"])
        write_package(a, tmp_path / "two.zip", [audit_id])
        report = apply_merge(b, read_package(tmp_path / "two.zip"))
        # the one validation path (models/incoming.py) leaves the value out, keeps ours and
        # lists it, as for any other value that does not fit its question
        assert b.answers(audit_id)["framework_owners"] == ["security"]
        assert "cannot be chosen with other options" in report.summary()
        # a new audit carrying it comes without that answer, and says so
        other = audit_with(a, questionnaire, {"framework_owners": ["none", "privacy"]}, [], "DWP")
        write_package(a, tmp_path / "three.zip", [other])
        report = apply_merge(b, read_package(tmp_path / "three.zip"))
        assert "framework_owners" not in b.answers(other)
        assert "cannot be chosen with other options" in report.summary()


# --------------------------------------------------------------------------- vacant posts


def test_vacant_and_junior_posts_are_not_counted_as_held(questionnaire: Questionnaire) -> None:
    """5 of 12 counted a vacant post and an agency admin worker; the rule makes it 3 of 10."""
    senior = (
        [post("cto", "interim", "interim"), post("head_of_it", "contractor")]
        + [post("ciso", "consultant")]
        + [post("other") for _ in range(7)]  # 3 of 10 held senior posts
        + [post("cdo", "contractor", "vacant")]  # vacant: held by nobody
        + [{**post("other", "agency"), "grade": "ao"}]  # an agency admin worker
    )
    found = score_audit(questionnaire, {}, {"senior_roles": senior}).indicators
    share = found["senior_interim_contractor_share"]
    assert (share.numerator, share.denominator, share.value) == (3.0, 10.0, 30.0)
    vacancy = found["senior_vacancy_share"]  # vacant posts are counted as vacant
    assert (vacancy.numerator, vacancy.denominator) == (1.0, 11.0)
    assert "Vacant posts are left out" in next(
        i.definition for i in questionnaire.indicators if i.id == "senior_interim_contractor_share"
    )


def test_every_indicator_has_a_written_definition(questionnaire: Questionnaire) -> None:
    assert all(len(i.definition) > 80 for i in questionnaire.indicators)


# --------------------------------------------------------------------------- coverage


def test_a_rating_on_one_answer_of_three_is_provisional(questionnaire: Questionnaire) -> None:
    """Skills and pay rated from 1 of its 3 scoring questions: said, not hidden."""
    score = score_sections(questionnaire, {"senior_technical_skills_maturity": 1})
    assert score.section_maturity["skills"] == 1.0
    covered = score.section_coverage["skills"]
    assert (covered.answered, covered.total, covered.provisional) == (1, 3, True)
    assert covered.marker == "Provisional (1 of 3 answered)"
    full = score_sections(
        questionnaire,
        {
            "senior_technical_skills_maturity": 1,
            "senior_it_pay_reviewed": True,
            "scs_tech_policy_trained_pct": 10.0,
        },
    )
    assert full.section_coverage["skills"].marker == ""


# --------------------------------------------------------------------------- completion


def test_a_new_audit_has_no_section_complete(questionnaire: Questionnaire) -> None:
    progress = section_progress(questionnaire, {}, complete_row_counts(questionnaire, {}))
    assert [p.section_id for p in progress.values() if p.complete] == []


def test_a_blank_or_half_filled_row_does_not_answer_a_required_table(
    questionnaire: Questionnaire,
) -> None:
    rows = {"senior_roles": [{}, {"post_ref": "DIG-01", "job_title": "CIO"}]}
    counts = complete_row_counts(questionnaire, rows)
    assert counts["senior_roles"] == 0
    assert not section_progress(questionnaire, {}, counts)["senior_roles"].complete
    rows["senior_roles"].append(post("cio"))
    counts = complete_row_counts(questionnaire, rows)
    assert section_progress(questionnaire, {}, counts)["senior_roles"].complete


def test_submit_lists_blank_required_cells_by_table_row_and_column(
    store: Store, questionnaire: Questionnaire
) -> None:
    answers = {**COMPLETE, "cio_on_board": True}
    senior = [post("cio", board=True), {**post("cto"), "grade": None}]
    audit_id = audit_with(store, questionnaire, answers, senior)
    store.insert_rows(
        audit_id,
        "workforce_mix",
        0,
        [{"profession_family": "data", "staff_type": "permanent"}, {"profession_family": "data"}],
    )
    with pytest.raises(MissingAnswersError) as caught:
        apply(store, audit_id, "submit", questionnaire=questionnaire)
    assert caught.value.missing == []
    assert [b.text for b in caught.value.blanks] == [
        "Senior technology roles, row 2: Grade",
        "Workforce and contractor mix, row 2: Staff type",
    ]
    assert "Senior technology roles, row 2: Grade" in str(caught.value)
    rows = {t: [r.cells for r in store.rows(audit_id, t)] for t in ("senior_roles",)}
    assert len(blank_required_cells(questionnaire, store.answers(audit_id), rows)) == 1


def test_a_finding_on_a_thin_rating_says_it_is_provisional(
    store: Store, questionnaire: Questionnaire
) -> None:
    answers = {**COMPLETE, "cio_on_board": True, "digital_leader_on_board": True}
    answers["senior_technical_skills_maturity"] = 1  # 1 of 3 scoring questions: weakest
    audit_id = audit_with(store, questionnaire, answers, [post("cio", board=True)])
    texts = [f.text for f in key_findings(audit_figures(store, audit_id), None, {}, limit=20)]
    assert (
        "Skills and pay is the weakest area, at 1.0 out of 5 "
        "(provisional: 1 of 3 answered)." in texts
    )


def test_complete_rows_counted_in_sqlite_agree_with_the_rule(
    store: Store, questionnaire: Questionnaire
) -> None:
    """The quick count (SQL, for the dashboard and the form) and row_complete agree."""
    audit_id = audit_with(store, questionnaire, {}, [post("cio"), {}, {**post("cto"), "grade": ""}])
    store.insert_rows(
        audit_id,
        "workforce_mix",
        0,
        [{"profession_family": "data", "staff_type": "permanent"}, {"staff_type": "agency"}],
    )
    rows = stored_rows(store, audit_id, questionnaire)
    quick = stored_complete_row_counts(store, audit_id, questionnaire)
    assert quick == complete_row_counts(questionnaire, rows)
    assert (quick["senior_roles"], quick["workforce_mix"], quick["contracts"]) == (1, 1, 0)


def test_quick_count_treats_an_empty_list_as_blank_like_the_rule(
    store: Store, questionnaire: Questionnaire
) -> None:
    """A required cell holding [] is blank to row_complete, and so to the SQL count."""
    odd = [{**post("cio"), "grade": []}, {**post("cto"), "grade": "[]"}, post("ciso")]
    audit_id = audit_with(store, questionnaire, {}, odd)
    rows = stored_rows(store, audit_id, questionnaire)
    quick = stored_complete_row_counts(store, audit_id, questionnaire)
    assert quick == complete_row_counts(questionnaire, rows)
    assert quick["senior_roles"] == 2
