"""Recommendations from the rules kept with the questionnaire, checked against hand-worked cases."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from models.questionnaire import DefinitionError, Questionnaire, parse_questionnaire
from models.recommendations import Evidence, Recommendation, recommend
from models.scoring import score_audit
from models.store import Store

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def run(
    q: Questionnaire, answers: Mapping[str, Any], rows: Rows | None = None
) -> list[Recommendation]:
    """Score the audit as the report does, then derive its recommendations."""
    rows = rows or {}
    return recommend(q, answers, score_audit(q, answers, rows))


def fired(q: Questionnaire, answers: Mapping[str, Any], rows: Rows | None = None) -> list[str]:
    return [rec.id for rec in run(q, answers, rows)]


def only(recs: list[Recommendation], rule_id: str) -> Recommendation:
    matches = [rec for rec in recs if rec.id == rule_id]
    assert len(matches) == 1, [rec.id for rec in recs]
    return matches[0]


def senior_roles(interim: int, permanent: int) -> dict[str, list[dict[str, Any]]]:
    """A senior roles table with this many interim and permanent posts."""
    cells = [{"employment_type": "interim"}] * interim + [
        {"employment_type": "permanent"}
    ] * permanent
    return {"senior_roles": cells}


def workforce(contractor_fte: float, permanent_fte: float) -> dict[str, list[dict[str, Any]]]:
    return {
        "workforce_mix": [
            {
                "profession_family": "software_development",
                "staff_type": "contractor",
                "fte": contractor_fte,
            },
            {
                "profession_family": "software_development",
                "staff_type": "permanent",
                "fte": permanent_fte,
            },
        ]
    }


# --------------------------------------------------------------------------- the shipped rules

# (rule id, answers that trigger it, rows, the evidence expected as (ref, shown value),
#  answers and rows that must not trigger it)
SHIPPED = [
    (
        "nominate_digital_leader",
        {"digital_leader_nominated": False},
        {},
        [("digital_leader_nominated", "No")],
        {"digital_leader_nominated": True},
        {},
    ),
    (
        "digital_leader_full_board_member",
        {"digital_leader_nominated": True, "digital_leader_on_board": False},
        {},
        [("digital_leader_nominated", "Yes"), ("digital_leader_on_board", "No")],
        {"digital_leader_nominated": True, "digital_leader_on_board": True},
        {},
    ),
    (
        "business_led_cio_on_board",
        {"cio_on_board": False},
        {},
        [("cio_on_board", "No")],
        {"cio_on_board": True},
        {},
    ),
    (
        "independent_review_before_projects",
        {"independent_review_new_projects": False},
        {},
        [("independent_review_new_projects", "No")],
        {"independent_review_new_projects": True},
        {},
    ),
    (
        "independent_review_active_programmes",
        {"active_programme_review": "none"},
        {},
        [("active_programme_review", "Not reviewed beyond routine programme reporting")],
        {"active_programme_review": "independent"},
        {},
    ),
    (
        "independent_review_active_programmes",
        {"active_programme_review": "internal_only"},
        {},
        [("active_programme_review", "Reviewed internally only")],
        {"active_programme_review": "independent"},
        {},
    ),
    (
        "fold_it_strategy_into_service_strategy",
        {"it_strategy_relation": "standalone"},
        {},
        [("it_strategy_relation", "Standalone: a separate IT strategy with its own objectives")],
        {"it_strategy_relation": "partly_integrated"},
        {},
    ),
    (
        "review_senior_technology_pay",
        {"senior_it_pay_reviewed": True},
        senior_roles(interim=3, permanent=1),
        [("senior_interim_contractor_share", "75%")],
        {"senior_it_pay_reviewed": True},
        senior_roles(interim=1, permanent=4),
    ),
    (
        "review_senior_technology_pay",
        {},
        senior_roles(interim=2, permanent=1),
        [("senior_interim_contractor_share", "67%")],
        {},
        senior_roles(interim=1, permanent=4),
    ),
    (
        "review_senior_technology_pay",  # at_least: exactly a quarter fires, as the finding does
        {},
        senior_roles(interim=1, permanent=3),
        [("senior_interim_contractor_share", "25%")],
        {},
        senior_roles(interim=24, permanent=76),
    ),
    (
        "fill_senior_vacancies",
        {},
        {"senior_roles": [{"vacant_or_interim": "vacant"}, {"vacant_or_interim": "filled"}]},
        [("senior_vacancy_share", "50%")],
        {},
        # a post with no status is left out of both sides: 1 vacant of 6 known is 17%
        {
            "senior_roles": [{"vacant_or_interim": "vacant"}]
            + [{"vacant_or_interim": "filled"}] * 5
            + [{}] * 3
        },
    ),
    (
        "address_poor_programme_confidence",
        {},
        {"major_programmes": [{"delivery_confidence": "red"}, {"delivery_confidence": "red"}]},
        [("programmes_by_rag", "2 Red")],
        {},
        {"major_programmes": [{"delivery_confidence": "amber"}]},
    ),
    (
        "scrutinise_legislation_for_technology",
        {"legislation_tech_scrutiny": False},
        {},
        [("legislation_tech_scrutiny", "No")],
        {"legislation_tech_scrutiny": True},
        {},
    ),
    (
        "operate_spend_controls",
        {"spend_controls": False},
        {},
        [("spend_controls", "No")],
        {"spend_controls": True},
        {},
    ),
    (
        "name_framework_owners",
        {"framework_owners": ["none"]},
        {},
        [("framework_owners", "None of these has a named owner")],
        {"framework_owners": ["security", "privacy"]},
        {},
    ),
    (
        "build_in_house_capability",
        {},
        workforce(contractor_fte=62, permanent_fte=38),
        [("contractor_share_fte", "62%")],
        {},
        workforce(contractor_fte=19, permanent_fte=81),
    ),
    (
        "build_in_house_capability",  # at_least: exactly 20% fires, as the finding does
        {},
        workforce(contractor_fte=2, permanent_fte=8),
        [("contractor_share_fte", "20%")],
        {},
        workforce(contractor_fte=1.9, permanent_fte=8.1),
    ),
    (
        "agree_contract_exit_plans",
        {"contract_exit_plans": False},
        {},
        [("contract_exit_plans", "No")],
        {"contract_exit_plans": True},
        {},
    ),
    (
        "secure_data_access",
        {"contract_data_access": False},
        {},
        [("contract_data_access", "No")],
        {"contract_data_access": True},
        {},
    ),
    (
        "measure_by_outcomes",
        {"outcome_success_measures": False},
        {},
        [("outcome_success_measures", "No")],
        {"outcome_success_measures": True},
        {},
    ),
    (
        "train_scs_in_technology_policy",
        {"scs_tech_policy_trained_pct": 35},
        {},
        [("scs_tech_policy_trained_pct", "35%")],
        {"scs_tech_policy_trained_pct": 40},  # below is strict: 40% is enough
        {},
    ),
    (
        "train_scs_in_technology_policy",
        {"scs_tech_policy_trained_pct": 39.5},
        {},
        [("scs_tech_policy_trained_pct", "39.5%")],
        {"scs_tech_policy_trained_pct": 80},
        {},
    ),
]


def label_of(q: Questionnaire, ref: str, kind: str = "question") -> str:
    if kind == "question" and q.has_question(ref):
        return q.question(ref).label
    return next(ind.label for ind in q.indicators if ind.id == ref)


@pytest.mark.parametrize(
    ("rule_id", "answers", "rows", "evidence", "other_answers", "other_rows"),
    SHIPPED,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(SHIPPED)],
)
def test_each_shipped_rule_fires_on_its_trigger_only(
    questionnaire: Questionnaire,
    rule_id: str,
    answers: dict[str, Any],
    rows: Rows,
    evidence: list[tuple[str, str]],
    other_answers: dict[str, Any],
    other_rows: Rows,
) -> None:
    rule = next(r for r in questionnaire.recommendations if r.id == rule_id)
    rec = only(run(questionnaire, answers, rows), rule_id)
    assert (rec.title, rec.text, rec.priority) == (rule.title, rule.text, rule.priority)
    assert [(e.ref, e.value) for e in rec.evidence] == evidence
    for e in rec.evidence:
        # cio_on_board is both a question and the indicator that reads it: the rule says which
        kinds = {leaf.kind for leaf in rule.when.leaves() if leaf.ref == e.ref}
        assert kinds == {e.kind}
        assert e.label == label_of(questionnaire, e.ref, e.kind)
    assert rule_id not in fired(questionnaire, other_answers, other_rows)


def test_every_shipped_rule_is_exercised(questionnaire: Questionnaire) -> None:
    # the section rules are exercised by tests/models/test_board_recommendations.py
    shipped = {r.id for r in questionnaire.recommendations if r.when.kind != "section"}
    assert shipped == {case[0] for case in SHIPPED}


def test_evidence_reads_as_the_form_shows_it(questionnaire: Questionnaire) -> None:
    recs = run(
        questionnaire,
        {"digital_leader_nominated": False, "it_strategy_relation": "standalone"},
        workforce(contractor_fte=62, permanent_fte=38),
    )
    assert only(recs, "nominate_digital_leader").evidence == (
        Evidence(
            "question",
            "digital_leader_nominated",
            "Has the department nominated a board member as its Digital Leader?",
            "No",
        ),
    )
    assert only(recs, "fold_it_strategy_into_service_strategy").evidence[0].value == (
        "Standalone: a separate IT strategy with its own objectives"
    )
    assert only(recs, "build_in_house_capability").evidence == (
        Evidence(
            "indicator",
            "contractor_share_fte",
            "Contractor and consultant share of the technology workforce (FTE)",
            "62%",
        ),
    )


def test_a_good_audit_gets_no_recommendations(questionnaire: Questionnaire) -> None:
    answers = {
        "digital_leader_nominated": True,
        "digital_leader_on_board": True,
        "cio_on_board": True,
        "independent_review_new_projects": True,
        "active_programme_review": "independent",
        "it_strategy_relation": "integral",
        "senior_it_pay_reviewed": True,
        "legislation_tech_scrutiny": True,
        "spend_controls": True,
        "framework_owners": ["identity_and_trust", "security"],
        "contract_exit_plans": True,
        "contract_data_access": True,
        "outcome_success_measures": True,
        "scs_tech_policy_trained_pct": 75,
    }
    rows = {**senior_roles(interim=1, permanent=4), **workforce(10, 90)}
    assert run(questionnaire, answers, rows) == []


def test_nothing_answered_fires_nothing(questionnaire: Questionnaire) -> None:
    assert run(questionnaire, {}) == []


def test_a_stale_answer_to_a_hidden_question_is_not_a_fact(questionnaire: Questionnaire) -> None:
    # digital_leader_on_board is shown only when a Digital Leader is nominated.
    recs = run(questionnaire, {"digital_leader_nominated": False, "digital_leader_on_board": False})
    # the one answer also rates Board capability Red (1 out of 5), which has its own rule
    assert [r.id for r in recs] == ["nominate_digital_leader", "improve_board_section"]
    assert [e.ref for e in recs[0].evidence] == ["digital_leader_nominated"]


def test_any_cites_only_the_comparisons_that_held(questionnaire: Questionnaire) -> None:
    rule = "review_senior_technology_pay"
    by_answer = only(
        run(questionnaire, {"senior_it_pay_reviewed": False}, senior_roles(1, 4)), rule
    )
    assert [(e.ref, e.value) for e in by_answer.evidence] == [("senior_it_pay_reviewed", "No")]
    by_share = only(run(questionnaire, {"senior_it_pay_reviewed": True}, senior_roles(3, 1)), rule)
    assert [(e.ref, e.value) for e in by_share.evidence] == [
        ("senior_interim_contractor_share", "75%")
    ]
    both = only(run(questionnaire, {"senior_it_pay_reviewed": False}, senior_roles(3, 1)), rule)
    assert [e.ref for e in both.evidence] == [
        "senior_interim_contractor_share",
        "senior_it_pay_reviewed",
    ]


def test_an_indicator_that_cannot_be_computed_fires_nothing(questionnaire: Questionnaire) -> None:
    # No workforce rows, or rows with no FTE: the share is unknown (None), not 0% or 100%.
    score = score_audit(questionnaire, {}, {})
    assert score.indicators["contractor_share_fte"].value is None
    assert run(questionnaire, {}, {}) == []
    no_fte = {"workforce_mix": [{"staff_type": "contractor"}, {"staff_type": "permanent"}]}
    assert score_audit(questionnaire, {}, no_fte).indicators["contractor_share_fte"].value is None
    assert run(questionnaire, {}, no_fte) == []


def test_recommendations_are_listed_by_priority_then_file_order(
    questionnaire: Questionnaire,
) -> None:
    answers = {
        "outcome_success_measures": False,  # priority 3
        "it_strategy_relation": "standalone",  # 2
        "cio_on_board": False,  # 1
        "digital_leader_nominated": False,  # 1, earlier in the file
        "contract_data_access": False,  # 3, earlier in the file than outcomes
    }
    assert fired(questionnaire, answers) == [
        "nominate_digital_leader",
        "business_led_cio_on_board",
        "fold_it_strategy_into_service_strategy",
        "improve_board_section",  # two No answers rate Board capability Red (priority 2)
        "improve_strategy_section",  # as "standalone" rates Strategy and alignment
        "improve_contracts_section",  # and "No" to data access, Contracts and suppliers
        "secure_data_access",
        "measure_by_outcomes",
    ]


def test_an_audit_read_back_from_the_store(questionnaire: Questionnaire, store: Store) -> None:
    dept = store.add_department("Department for Testing", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
    store.set_answer(audit.id, "digital_leader_nominated", True)
    store.set_answer(audit.id, "digital_leader_on_board", False)
    store.set_answer(audit.id, "cio_on_board", True)
    store.set_answer(audit.id, "it_strategy_relation", "standalone")
    store.insert_rows(
        audit.id, "senior_roles", 0, senior_roles(interim=5, permanent=3)["senior_roles"]
    )
    answers = store.answers(audit.id)
    rows = {"senior_roles": [r.cells for r in store.rows(audit.id, "senior_roles")]}
    recs = run(questionnaire, answers, rows)
    assert [r.id for r in recs] == [
        "digital_leader_full_board_member",
        "fold_it_strategy_into_service_strategy",
        "review_senior_technology_pay",
        "improve_strategy_section",  # "standalone" alone rates the section Red
    ]
    assert recs[2].evidence[0].value == "63%"


# --------------------------------------------------------------------------- a small definition

QUESTIONS = """
- {id: led, type: yesno, label: Led}
- id: relation
  type: single_choice
  label: Relation
  options: [{value: "standalone", label: Standalone}, {value: "integral", label: Integral}]
- {id: trained, type: percentage, label: Trained}
- {id: note, type: text, label: Note}
- id: people
  type: table
  label: People
  columns:
    - id: kind
      label: Kind
      type: single_choice
      options: [{value: "perm", label: Perm}, {value: "contract", label: Contract}]
    - {id: fte, label: FTE, type: decimal}
"""

INDICATORS = """
- {id: contract_share, label: Contract share, kind: share, table: people, value_column: fte,
   where: {column: kind, equals: contract}}
- {id: led_flag, label: Someone leads, kind: flag, sources: [{question: led, equals: true}]}
- {id: by_kind, label: By kind, kind: group, table: people, group_column: kind}
"""


def small(recommendations: str) -> str:
    """A one-section definition with the questions and indicators above, plus these rules."""
    body = textwrap.indent(textwrap.dedent(QUESTIONS).strip(), " " * 6)
    return (
        "id: t\nversion: 1\ntitle: T\nsections:\n"
        "  - id: s\n    title: S\n    scored: false\n    questions:\n"
        f"{body}\n"
        "indicators:\n" + textwrap.indent(textwrap.dedent(INDICATORS).strip(), "  ") + "\n"
        "recommendations:\n"
        + textwrap.indent(textwrap.dedent(recommendations).strip(), "  ")
        + "\n"
    )


BOARD = "owner: PS, timescale: Within 3 months, measure: It is done., decision: Agree it."


def rule(when: str, rule_id: str = "r", priority: int = 1) -> str:
    return (
        f"- {{id: {rule_id}, title: Do it, text: Because., priority: {priority}, "
        f"when: {when}, {BOARD}}}"
    )


def parsed(*rules: str) -> Questionnaire:
    return parse_questionnaire(small("\n".join(rules)), source="x.yaml")


def test_the_shipped_file_parses_into_typed_rules(questionnaire: Questionnaire) -> None:
    rule = questionnaire.recommendations[0]
    assert rule.id == "nominate_digital_leader"
    assert (rule.when.kind, rule.when.ref, rule.when.op, rule.when.value) == (
        "question",
        "digital_leader_nominated",
        "equals",
        False,
    )
    assert all(1 <= r.priority <= 3 for r in questionnaire.recommendations)


def test_a_file_without_recommendations_has_none() -> None:
    q = parse_questionnaire(small("[]").replace("recommendations:\n  []\n", ""), "x.yaml")
    assert q.recommendations == ()
    assert run(q, {"led": False}) == []


def test_not_equals_needs_an_answer() -> None:
    q = parsed(rule('{question: relation, not_equals: "integral"}'))
    assert run(q, {}) == []
    rec = only(run(q, {"relation": "standalone"}), "r")
    assert rec.evidence == (Evidence("question", "relation", "Relation", "Standalone"),)
    assert run(q, {"relation": "integral"}) == []


def test_answered_true_cites_the_answer() -> None:
    q = parsed(rule("{question: note, answered: true}"))
    assert run(q, {}) == []
    assert only(run(q, {"note": "See annex"}), "r").evidence[0].value == "See annex"


def test_flag_indicators_compare_with_true_or_false() -> None:
    q = parsed(rule("{indicator: led_flag, equals: false}"))
    assert run(q, {}) == []  # the flag is unknown, not false
    rec = only(run(q, {"led": False}), "r")
    assert rec.evidence == (Evidence("indicator", "led_flag", "Someone leads", "No"),)
    assert run(q, {"led": True}) == []


@pytest.mark.parametrize(
    ("op", "limit", "fires_at"),
    [
        ("at_least", 25, [25, 40]),
        ("above", 25, [40]),
        ("below", 25, [10]),
        ("at_most", 25, [10, 25]),
    ],
)
def test_share_comparisons(op: str, limit: int, fires_at: list[int]) -> None:
    q = parsed(rule(f"{{indicator: contract_share, {op}: {limit}}}"))
    for share in (10, 25, 40):
        rows = {
            "people": [{"kind": "contract", "fte": share}, {"kind": "perm", "fte": 100 - share}]
        }
        assert bool(run(q, {}, rows)) is (share in fires_at), share


def test_share_evidence_is_a_whole_percent_as_everywhere() -> None:
    q = parsed(rule("{indicator: contract_share, above: 0}"))
    rows = {"people": [{"kind": "contract", "fte": 1}, {"kind": "perm", "fte": 2}]}
    assert only(run(q, {}, rows), "r").evidence[0].value == "33%"


def test_all_fails_when_one_comparison_fails_and_cites_every_one_when_it_holds() -> None:
    q = parsed(rule("{all: [{question: led, equals: false}, {question: trained, below: 50}]}"))
    assert run(q, {"led": False}) == []
    assert run(q, {"led": False, "trained": 60}) == []
    rec = only(run(q, {"led": False, "trained": 12.5}), "r")
    assert [(e.ref, e.value) for e in rec.evidence] == [("led", "No"), ("trained", "12.5%")]


def test_nested_any_inside_all() -> None:
    q = parsed(
        rule(
            "{all: [{question: led, equals: false},"
            " {any: [{question: trained, below: 50}, {question: relation, equals: standalone}]}]}"
        )
    )
    rec = only(run(q, {"led": False, "relation": "standalone", "trained": 90}), "r")
    assert [e.ref for e in rec.evidence] == ["led", "relation"]


def test_a_fact_cited_twice_is_shown_once() -> None:
    q = parsed(rule("{any: [{question: led, equals: false}, {question: led, in: [false]}]}"))
    assert [e.ref for e in only(run(q, {"led": False}), "r").evidence] == ["led"]


def test_priority_beats_file_order() -> None:
    q = parsed(
        rule("{question: led, equals: false}", "later", priority=3),
        rule("{question: led, equals: false}", "first", priority=1),
        rule("{question: led, equals: false}", "middle", priority=2),
        rule("{question: led, equals: false}", "first_too", priority=1),
    )
    assert fired(q, {"led": False}) == ["first", "first_too", "middle", "later"]


# --------------------------------------------------------------------------- refusals


def refused(*rules: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        parsed(*rules)
    return info.value


def assert_names(error: DefinitionError, rule_id: str, fragment: str) -> None:
    """The message reads 'x.yaml: recommendation '<id>': <what is wrong>'."""
    where = f"recommendation '{rule_id}'"
    assert error.source == "x.yaml"
    assert error.where == where
    assert str(error).startswith(f"x.yaml: {where}: ")
    assert fragment in error.message, error.message


GOOD = "{question: led, equals: false}"


def raw_rule(fields: str) -> str:
    """A rule written out in full, for the cases that break its own keys."""
    return "- {" + fields + ", " + BOARD + "}"


# (case, one rule as YAML, the fragment of what is wrong)
REFUSALS = [
    (
        "unknown key",
        raw_rule("id: r, title: T, text: X., priority: 1, when: " + GOOD + ", sponsor: PS"),
        "unknown key(s): sponsor",
    ),
    (
        "missing title",
        raw_rule("id: r, text: X., priority: 1, when: " + GOOD),
        "'title' is missing",
    ),
    ("missing text", raw_rule("id: r, title: T, priority: 1, when: " + GOOD), "'text' is missing"),
    (
        "empty text",
        raw_rule("id: r, title: T, text: '  ', priority: 1, when: " + GOOD),
        "'text' must be non-empty text",
    ),
    ("missing when", "- {id: r, title: T, text: X., priority: 1}", "'when' is missing"),
    (
        "priority too high",
        raw_rule("id: r, title: T, text: X., priority: 4, when: " + GOOD),
        "'priority' must be 1, 2 or 3",
    ),
    (
        "priority zero",
        raw_rule("id: r, title: T, text: X., priority: 0, when: " + GOOD),
        "'priority' must be 1, 2 or 3",
    ),
    (
        "priority as text",
        raw_rule("id: r, title: T, text: X., priority: high, when: " + GOOD),
        "'priority' must be 1, 2 or 3",
    ),
    (
        "priority missing",
        raw_rule("id: r, title: T, text: X., when: " + GOOD),
        "'priority' must be 1, 2 or 3",
    ),
    ("unknown question", rule("{question: nope, equals: true}"), "'nope' is not a question"),
    ("unknown indicator", rule("{indicator: nope, at_least: 5}"), "'nope' is not an indicator"),
    ("at_least on a flag", rule("{indicator: led_flag, at_least: 1}"), "is a flag"),
    ("flag against a string", rule('{indicator: led_flag, equals: "yes"}'), "is a flag"),
    ("equals on a share", rule("{indicator: contract_share, equals: 50}"), "is a share"),
    (
        "share limit out of range",
        rule("{indicator: contract_share, at_least: 150}"),
        "from 0 to 100",
    ),
    ("share limit as text", rule('{indicator: contract_share, below: "half"}'), "from 0 to 100"),
    ("group indicator", rule("{indicator: by_kind, at_least: 1}"), "is a group"),
    (
        "two comparisons on an indicator",
        rule("{indicator: contract_share, at_least: 1, below: 9}"),
        "exactly one of",
    ),
    (
        "not an option of the question",
        rule('{question: relation, equals: "separate"}'),
        "'separate' is not an option of 'relation'",
    ),
    (
        "yes/no compared with text",
        rule('{question: led, equals: "no"}'),
        "'led' is yes/no; compare it with true or false",
    ),
    ("number comparison on a yes/no", rule("{question: led, at_least: 1}"), "only for numbers"),
    ("number comparison with text", rule('{question: trained, below: "half"}'), "must be a number"),
    ("table question", rule("{question: people, answered: true}"), "is a table"),
    ("answered false", rule("{question: led, answered: false}"), "never holds"),
    ("no operator", rule("{question: led}"), "exactly one of"),
    (
        "neither question nor indicator",
        rule("{column: kind, equals: perm}"),
        "needs 'question', 'indicator' or 'section'",
    ),
    ("empty all", rule("{all: []}"), "'all' must be the only key"),
    ("bad leaf inside any", rule("{any: [" + GOOD + ", {indicator: nope, above: 1}]}"), "'nope'"),
]


@pytest.mark.parametrize(
    ("rule_yaml", "fragment"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS]
)
def test_a_broken_rule_is_refused_naming_the_file_and_the_rule(
    rule_yaml: str, fragment: str
) -> None:
    assert_names(refused(rule_yaml), "r", fragment)


def test_duplicate_ids_are_refused() -> None:
    error = refused(rule(GOOD, "twice"), rule(GOOD, "once"), rule(GOOD, "twice"))
    assert_names(error, "twice", "duplicate recommendation id")


def test_an_id_that_is_not_snake_case_is_refused() -> None:
    error = refused(rule(GOOD, "Nominate-Leader"))
    assert error.where == "recommendation #1"
    assert "snake_case" in error.message


def test_recommendations_must_be_a_list() -> None:
    with pytest.raises(DefinitionError) as info:
        parse_questionnaire(small("[]").replace("  []", "  nope: 1"), source="x.yaml")
    assert str(info.value).startswith("x.yaml: recommendations: ")
