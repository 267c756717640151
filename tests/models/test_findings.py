"""Key findings for the board report, checked against figures worked out by hand.

Every audit is built on a real workspace file with the shipped questionnaire and scored by
models/cycle_summary.py, as the board report does. Points (from the questionnaire): yes 5,
no 1, a maturity answer its level; a section's maturity is the mean of its answered, visible,
scored questions, overall the mean of the section maturities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from models.cycle_summary import cycle_section_medians, department_history
from models.findings import Finding, _points, key_findings
from models.questionnaire import Questionnaire
from models.store import Store

CYCLE = "2013 baseline"
LATER = "2014 review"  # sorts after CYCLE, so history order holds even within one millisecond

# A complete audit whose five scored sections all come to 3.0, so on its own it says little.
COMPLETE: dict[str, Any] = {
    "digital_leader_nominated": True,  # 5
    "board_capability_maturity": 1,  # 1 -> board (5 + 1) / 2 = 3.0
    "digital_strategy_published": True,  # 5
    "user_needs_maturity": 1,  # 1 -> strategy 3.0
    "independent_review_new_projects": True,  # 5
    "governance_maturity": 1,  # 1 -> governance 3.0
    "contract_exit_plans": True,  # 5
    "contract_data_access": False,  # 1 -> contracts 3.0
    "senior_technical_skills_maturity": 3,  # skills 3.0; overall 15 / 5 = 3.0
    "total_tech_spend": 2_000_000.0,
    "tech_spend_year": "2012-13",
}


def post(
    role: str, employment: str = "permanent", status: str = "filled", board: bool = False
) -> dict[str, Any]:
    """A senior-roles row."""
    return {
        "post_ref": f"P-{role}",
        "job_title": role.replace("_", " ").title(),
        "role_type": role,
        "grade": "scs2",
        "employment_type": employment,
        "board_member": board,
        "vacant_or_interim": status,
    }


# A digital leader and a CIO on the board, both permanent: both flags true, shares 0%.
BOARD_POSTS = [post("digital_leader", board=True), post("cio", board=True)]


def staff(permanent: float, contractor: float) -> list[dict[str, Any]]:
    """Workforce-mix rows: permanent and contractor FTE."""
    return [
        {"profession_family": "it_operations", "staff_type": kind, "fte": fte}
        for kind, fte in (("permanent", permanent), ("contractor", contractor))
        if fte
    ]


def make_audit(
    store: Store,
    questionnaire: Questionnaire,
    cycle: str = CYCLE,
    department: str = "Home Office",
    *,
    answers: Mapping[str, Any] = COMPLETE,
    senior: Sequence[dict[str, Any]] = BOARD_POSTS,
    workforce: Sequence[dict[str, Any]] | None = None,
    programmes: Sequence[dict[str, Any]] = (),
) -> str:
    """An audit's id, with the given answers and table rows (10 permanent FTE by default)."""
    dept = store.find_department(department) or store.add_department(department)
    audit = store.create_audit(dept.id, cycle, questionnaire, auditor="A. Auditor")
    for question_id, value in answers.items():
        store.set_answer(audit.id, question_id, value)
    for table_id, rows in (
        ("senior_roles", senior),
        ("workforce_mix", staff(10.0, 0.0) if workforce is None else workforce),
        ("major_programmes", programmes),
    ):
        if rows:
            store.bulk_rows(audit.id, table_id, list(rows))
    return audit.id


def findings_for(
    store: Store,
    audit_id: str,
    medians: Mapping[str, float | None] | None = None,
    limit: int | None = 20,
) -> list[Finding]:
    """The audit's findings as the board report gathers them: prior from history, cycle medians.

    Up to 20 by default, so a test sees every finding; limit=None uses key_findings' own.
    """
    history = department_history(store, audit_id)
    prior = history[-2] if len(history) > 1 else None
    if medians is None:
        medians = cycle_section_medians(store, history[-1].audit.cycle)
    if limit is None:
        return key_findings(history[-1], prior, medians)
    return key_findings(history[-1], prior, medians, limit=limit)


THIN = " (provisional: 9 of 22 answered)"  # the sample audit's overall rests on 9 of 22


def about(found: list[Finding], phrase: str) -> list[str]:
    """The texts of the findings that contain `phrase`."""
    return [f.text for f in found if phrase in f.text]


# --------------------------------------------------------------------------- ranking


def test_complete_middling_audit_says_only_it_is_close_to_the_median(
    store: Store, questionnaire: Questionnaire
) -> None:
    """A complete, unremarkable audit yields one finding, with no comparison to a prior."""
    found = findings_for(store, make_audit(store, questionnaire))
    # Overall 3.0, alone in its cycle: no median (it would be this audit itself).
    assert found == [
        Finding(
            # 9 of the 22 scoring questions answered: provisional, and said (day D1)
            "Overall maturity is 3.0 out of 5 (provisional: 9 of 22 answered).",
            1,
            concern=False,
        )
    ]
    first = store.audits()[0].id
    for name in ("Bravo", "Charlie"):  # three audits alike: a median there is one
        make_audit(store, questionnaire, department=name)
    found = findings_for(store, first)
    assert [f.text for f in found] == [
        "Overall maturity is 3.0 out of 5 (provisional: 9 of 22 answered), close to the "
        "cross-government median of 3.0 for 2013 baseline."
    ]


def test_findings_are_ordered_by_weight_and_cut_to_the_limit(
    store: Store, questionnaire: Questionnaire
) -> None:
    """The most important finding comes first and only `limit` of them are returned."""
    answers = {
        **{k: v for k, v in COMPLETE.items() if k not in ("total_tech_spend", "tech_spend_year")},
        "digital_leader_nominated": False,  # 1 (hides digital_leader_on_board)
        "cio_on_board": False,  # 1
        "board_capability_maturity": 1,  # 1 -> board 3 / 3 = 1.0
        "user_needs_maturity": 2,  # strategy (5 + 2) / 2 = 3.5
        "governance_maturity": 3,  # governance (5 + 3) / 2 = 4.0
    }  # contracts 3.0, skills 3.0 -> overall 14.5 / 5 = 2.9
    audit_id = make_audit(
        store,
        questionnaire,
        answers=answers,
        # No digital leader or CIO row on the board; 2 of the 3 held posts interim or
        # contractor, 1 of 4 vacant (a vacant post is held by nobody: issue 15).
        senior=[
            post("head_of_it", "contractor"),
            post("cto", "interim", "interim"),
            post("ciso", "permanent", "vacant"),
            post("cdo"),
        ],
        workforce=staff(6.0, 4.0),  # 40%
        programmes=[
            {"name": "Alpha", "whole_life_cost": 1.2e9, "delivery_confidence": "red"},
            {"name": "Bravo", "whole_life_cost": 3e8, "delivery_confidence": "amber_red"},
            {"name": "Charlie", "whole_life_cost": 5e7, "delivery_confidence": "green"},
        ],
    )
    # Two other departments answer only the board maturity: overall 4.0 and 5.0.
    make_audit(store, questionnaire, department="Alpha", answers={"board_capability_maturity": 4})
    make_audit(store, questionnaire, department="Bravo", answers={"board_capability_maturity": 5})
    # Median overall of 2.9, 4.0, 5.0 is 4.0: gap -1.1.

    expected = [
        # total_tech_spend missing (tech_spend_year is then hidden): 1 required answer.
        (
            "The audit is not complete: 1 required answer is still missing, "
            "so some figures in this report may change.",
            100,
        ),
        ("No digital leader sits on the departmental board.", 90),
        (
            "Overall maturity is 2.9 out of 5 (provisional: 10 of 21 answered), below the "
            "cross-government median of 4.0 "
            "for 2013 baseline.",
            81,  # 70 + 10 * 1.1
        ),
        ("No CIO or equivalent business-led technology leader sits on the board.", 80),
        (
            "67% of senior technology posts are held by interims, contractors or consultants.",
            45 + 200 / 3 / 2,  # 2 of 3 posts: 66.67%
        ),
        ("Board capability is the weakest area, at 1.0 out of 5.", 75),  # 60 + 10 * 1.5
        (
            "2 of 3 major programmes, worth £1.5bn over their whole lives, "
            "have delivery confidence rated Red or Amber/Red.",
            70,  # 62 + 4 * 2
        ),
        (
            "Contractors and consultants make up 40% of the technology workforce by FTE.",
            60,  # 40 + 40 / 2
        ),
        ("25% of senior technology posts are vacant.", 40 + 25 / 3),
        (  # 2 of the section's 6 scoring questions answered: said (issue 15)
            "Governance mechanisms is the strongest area, at 4.0 out of 5 "
            "(provisional: 2 of 6 answered).",
            26,
        ),
    ]
    found = findings_for(store, audit_id, limit=20)
    assert [f.text for f in found] == [text for text, _ in expected]
    assert [f.weight for f in found] == pytest.approx([weight for _, weight in expected])
    assert [f.concern for f in found] == [True] * 9 + [False]

    default = findings_for(store, audit_id, limit=None)
    assert [f.text for f in default] == [t for t, _ in expected[:5]]
    assert [f.text for f in findings_for(store, audit_id, limit=2)] == [t for t, _ in expected[:2]]


def test_audit_with_no_answers_says_only_how_many_are_missing(
    store: Store, questionnaire: Questionnaire
) -> None:
    """An empty audit, after an empty one, raises nothing and reports what is missing (plural)."""
    make_audit(store, questionnaire, answers={}, senior=[], workforce=[])
    audit_id = make_audit(store, questionnaire, LATER, answers={}, senior=[], workforce=[])
    # Shown and required with nothing answered: digital leader nominated, board maturity,
    # strategy published, user needs, independent review, governance maturity, the senior
    # roles and workforce tables, skills maturity, total spend (its year is hidden): 10.
    assert findings_for(store, audit_id) == [
        Finding(
            "The audit is not complete: 10 required answers are still missing, "
            "so some figures in this report may change.",
            100,
        )
    ]


# --------------------------------------------------------------------------- board seats


def test_a_board_seat_held_in_the_prior_audit_is_reported_as_lost(
    store: Store, questionnaire: Questionnaire
) -> None:
    """'No longer sits ... as one did in <cycle>' only for a seat the prior audit had."""
    # Prior: digital leader on the board, CIO not (cio_on_board answered no). The answer
    # decides; the table agrees (issue 15: a table row alone is no longer the answer).
    make_audit(
        store,
        questionnaire,
        answers={**COMPLETE, "cio_on_board": False, "digital_leader_on_board": True},
        senior=[post("digital_leader", board=True)],
    )
    # Now neither: the digital leader's row is no longer a board member.
    now = make_audit(
        store,
        questionnaire,
        LATER,
        answers={**COMPLETE, "cio_on_board": False, "digital_leader_on_board": False},
        senior=[post("digital_leader")],
    )
    found = findings_for(store, now)
    seats = [(f.text, f.weight) for f in found if "sits on the" in f.text]
    assert seats == [
        ("A digital leader no longer sits on the board, as one did in 2013 baseline.", 95),
        ("No CIO or equivalent business-led technology leader sits on the board.", 80),
    ]


# --------------------------------------------------------------------------- maturity


@pytest.mark.parametrize(
    ("median", "expected", "weight"),
    [
        (3.0, "close to the cross-government median of 3.0", 28),
        (2.8, "close to the cross-government median of 2.8", 28),  # gap +0.2
        (3.2, "close to the cross-government median of 3.2", 28),  # gap -0.2
        (2.5, "above the cross-government median of 2.5", 32.5),  # +0.5: 30 + 5 * 0.5
        (3.5, "below the cross-government median of 3.5", 75),  # -0.5: 70 + 10 * 0.5
        # Exactly 0.3 counts, though 3.0 - 2.7 is 0.2999999999999998 in binary floats.
        (2.7, "above the cross-government median of 2.7", 31.5),  # +0.3: 30 + 5 * 0.3
        (3.3, "below the cross-government median of 3.3", 73),  # -0.3: 70 + 10 * 0.3
        (None, None, None),  # no median known: nothing to compare with
    ],
)
def test_overall_maturity_against_the_cycle_median(
    store: Store,
    questionnaire: Questionnaire,
    median: float | None,
    expected: str | None,
    weight: float | None,
) -> None:
    """Overall maturity is below/above the median from a gap of 0.3, otherwise close to it."""
    found = findings_for(store, make_audit(store, questionnaire), {"overall": median})
    overall = [f for f in found if f.text.startswith("Overall maturity")]
    if expected is None:  # nothing to compare with: the figure alone, as the last resort
        assert [(f.text, f.weight) for f in overall] == [
            ("Overall maturity is 3.0 out of 5 (provisional: 9 of 22 answered).", 1)
        ]
        return
    assert [f.text for f in overall] == [
        f"Overall maturity is 3.0 out of 5{THIN}, {expected} for 2013 baseline."
    ]
    assert overall[0].weight == pytest.approx(weight)
    assert overall[0].concern == expected.startswith("below")


def test_weakest_and_strongest_sections_from_2_5_and_4_0(
    store: Store, questionnaire: Questionnaire
) -> None:
    """A section at 2.5 or below is the weakest area, one at 4.0 or above the strongest."""
    on_the_line = {
        **COMPLETE,
        "digital_strategy_published": False,  # 1
        "user_needs_maturity": 4,  # strategy (1 + 4) / 2 = 2.5
        "governance_maturity": 3,  # governance (5 + 3) / 2 = 4.0
    }  # board, contracts, skills 3.0 -> overall 15.5 / 5 = 3.1
    found = findings_for(store, make_audit(store, questionnaire, answers=on_the_line))
    assert [(f.text, f.weight) for f in found] == [
        ("Strategy and alignment is the weakest area, at 2.5 out of 5.", 60),  # no median
        (  # 2 of the section's 6 scoring questions answered: said (issue 15)
            "Governance mechanisms is the strongest area, at 4.0 out of 5 "
            "(provisional: 2 of 6 answered).",
            26,
        ),
    ]

    inside = {
        **COMPLETE,
        "board_capability_maturity": 2,
        "perm_sec_integrated_advice": False,  # board (5 + 2 + 1) / 3 = 2.67
        "governance_maturity": 3,
        "active_programme_review": "internal_only",  # governance (5 + 3 + 3) / 3 = 3.67
    }
    other = make_audit(store, questionnaire, LATER, "Cabinet Office", answers=inside)
    assert about(findings_for(store, other), "area") == []


@pytest.mark.parametrize(
    ("before", "now", "expected", "weight"),
    [
        (  # board +0.5 (3.0 -> 3.5), skills -1.0 (4 -> 3): the bigger change is reported
            {"senior_technical_skills_maturity": 4},
            {"board_capability_maturity": 2},
            "Skills and pay has declined since 2013 baseline, from 4.0 to 3.0 out of 5 "
            "(provisional: 1 of 3 answered).",  # thin evidence is said (issue 15)
            45,  # 35 + 10 * 1.0
        ),
        (  # board (5 + 1) / 2 = 3.0 -> (5 + 2) / 2 = 3.5: exactly 0.5 counts
            {},
            {"board_capability_maturity": 2},
            "Board capability has improved since 2013 baseline, from 3.0 to 3.5 out of 5 "
            "(provisional: 2 of 7 answered).",  # thin evidence is said (issue 15)
            40,
        ),
        (  # board 3.0 -> (5 + 1 + 4) / 3 = 3.33: too small to mention
            {},
            {"board_tech_item_frequency": "monthly"},
            None,
            None,
        ),
    ],
)
def test_biggest_section_change_since_the_prior_audit(
    store: Store,
    questionnaire: Questionnaire,
    before: dict[str, Any],
    now: dict[str, Any],
    expected: str | None,
    weight: float | None,
) -> None:
    """The largest section change of 0.5 or more is reported; a decline is a concern."""
    make_audit(store, questionnaire, answers={**COMPLETE, **before})
    current = make_audit(store, questionnaire, LATER, answers={**COMPLETE, **now})
    found = [f for f in findings_for(store, current) if " has " in f.text]
    if expected is None:
        assert found == []
        return
    assert [f.text for f in found] == [expected]
    assert found[0].weight == pytest.approx(weight)
    assert found[0].concern == ("declined" in expected)


# --------------------------------------------------------------------------- shares


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (None, staff(3.0, 1.0), "25% of the technology workforce by FTE."),  # no prior
        (None, staff(4.0, 1.0), "20% of the technology workforce by FTE."),  # threshold
        # 19.99% prints '20%' and is judged as printed, as the recommendation at 20% is
        (None, staff(80.01, 19.99), "20% of the technology workforce by FTE."),
        (None, staff(80.6, 19.4), None),  # 19.4% prints '19%': not reported
        (  # 25% -> 1 / 3 = 33.33%: up 8.33 points, whole as the shares are printed
            staff(3.0, 1.0),
            staff(2.0, 1.0),
            "33% of the technology workforce by FTE, up 8 percentage points since 2013 baseline.",
        ),
        (  # 50% -> 25%
            staff(1.0, 1.0),
            staff(3.0, 1.0),
            "25% of the technology workforce by FTE, down 25 percentage points since "
            "2013 baseline.",
        ),
        (  # 25% -> 25.3%: under half a point
            staff(3.0, 1.0),
            staff(74.7, 25.3),
            "25% of the technology workforce by FTE, about the same as in 2013 baseline.",
        ),
        (  # 25% -> 25.5%: half a point rounds to one, as 25% -> 26% is printed
            staff(3.0, 1.0),
            staff(74.5, 25.5),
            "26% of the technology workforce by FTE, up 1 percentage point since 2013 baseline.",
        ),
        (  # 25% -> 26%: one point, singular
            staff(3.0, 1.0),
            staff(74.0, 26.0),
            "26% of the technology workforce by FTE, up 1 percentage point since 2013 baseline.",
        ),
    ],
)
def test_contractor_share_and_its_change_since_the_prior_audit(
    store: Store,
    questionnaire: Questionnaire,
    before: list[dict[str, Any]] | None,
    now: list[dict[str, Any]],
    expected: str | None,
) -> None:
    """From 20% the contractor share is reported, whole, with its change since the prior."""
    if before is not None:
        make_audit(store, questionnaire, workforce=before)
    current = make_audit(store, questionnaire, LATER, workforce=now)
    found = about(findings_for(store, current), "Contractors and consultants")
    wanted = [] if expected is None else [f"Contractors and consultants make up {expected}"]
    assert found == wanted


def test_senior_post_shares_from_25_percent_interim_and_20_percent_vacant(
    store: Store, questionnaire: Questionnaire
) -> None:
    """Interim cover is reported from 25% of senior posts, vacancies from 20%."""
    quarter = make_audit(
        store,
        questionnaire,
        senior=[*BOARD_POSTS, post("cto", "interim", "interim"), post("ciso")],  # 1 of 4
    )
    assert about(findings_for(store, quarter), "senior technology posts") == [
        "25% of senior technology posts are held by interims, contractors or consultants."
    ]
    fifth = make_audit(
        store,
        questionnaire,
        LATER,
        "Cabinet Office",
        senior=[  # vacant posts are held by nobody (issue 15): 1 of 8 held is interim
            *BOARD_POSTS,
            post("cto", "interim", "interim"),  # 1 of 8 held posts interim: not reported
            post("ciso", "permanent", "vacant"),  # 2 of 10 vacant: 20%
            post("cdo", "permanent", "vacant"),
            post("head_of_it"),
            *[post("other") for _ in range(4)],
        ],
    )
    found = [f for f in findings_for(store, fifth) if "senior technology posts" in f.text]
    assert [f.text for f in found] == ["20% of senior technology posts are vacant."]
    assert found[0].weight == pytest.approx(40 + 20 / 3)


def test_shares_print_whole_as_everywhere_else() -> None:
    """Shares print as every figure in the app does: whole percent, '<1%' above nothing."""
    # Findings only report shares of 20% or more, so the rule is checked on the helper.
    assert _points(8.33) == "8%"
    assert _points(9.94) == "10%"
    assert _points(0.2) == "<1%"
    assert _points(5.02) == "5%"
    assert _points(33.33) == "33%"
    assert _points(66.67) == "67%"


def test_half_percent_shares_round_up_as_in_the_report_tables(
    store: Store, questionnaire: Questionnaire
) -> None:
    """5 of 8 senior posts on interim terms is 62.5%, which the report's tables print as 63%."""
    interims = [post(r, "interim", "interim") for r in ("cto", "cdo", "ciso", "sro", "other")]
    audit_id = make_audit(
        store, questionnaire, senior=[*BOARD_POSTS, post("head_of_it"), *interims]
    )
    assert about(findings_for(store, audit_id), "senior technology posts") == [
        "63% of senior technology posts are held by interims, contractors or consultants."
    ]


# --------------------------------------------------------------------------- programmes


def programme(name: str, rating: str | None, cost: float | None = None) -> dict[str, Any]:
    """A major-programmes row."""
    row: dict[str, Any] = {"name": name}
    if rating is not None:
        row["delivery_confidence"] = rating
    if cost is not None:
        row["whole_life_cost"] = cost
    return row


@pytest.mark.parametrize(
    ("rows", "expected", "weight"),
    [
        (
            [
                programme("A", "red", 1.2e9),
                programme("B", "amber_red", 3e8),
                programme("C", "green", 5e7),
            ],
            "2 of 3 major programmes, worth £1.5bn over their whole lives, have delivery "
            "confidence rated Red or Amber/Red.",
            70,  # 62 + 4 * 2
        ),
        (  # no cost recorded: no 'worth'; the unrated programme still counts in the total
            [
                programme("A", "red"),
                programme("B", "amber"),
                programme("C", "green"),
                programme("D", None),
            ],
            "1 of 4 major programmes has delivery confidence rated Red or Amber/Red.",
            66,
        ),
        ([programme("A", "amber_green", 1e8), programme("B", "green")], None, None),
        ([], None, None),
        (  # £999.6m to three figures rounds up to the next unit
            [programme("A", "amber_red", 999_600_000), programme("B", "green")],
            "1 of 2 major programmes, worth £1bn over their whole lives, has delivery "
            "confidence rated Red or Amber/Red.",
            66,
        ),
    ],
)
def test_programmes_rated_red_or_amber_red(
    store: Store,
    questionnaire: Questionnaire,
    rows: list[dict[str, Any]],
    expected: str | None,
    weight: float | None,
) -> None:
    """Programmes rated Red or Amber/Red are counted, with their whole-life cost if known."""
    found = [
        f
        for f in findings_for(store, make_audit(store, questionnaire, programmes=rows))
        if "major programmes" in f.text
    ]
    expected_findings = [] if expected is None else [Finding(expected, weight or 0)]
    assert found == expected_findings
