"""Suggested mappings from header words and sample values; signatures; the technology filter."""

from __future__ import annotations

from importers.column_mapping import (
    ColumnMapping,
    header_signature,
    header_unit,
    suggest_mapping,
)
from importers.formats.gmpp import Gmpp
from importers.header_detect import detect_header
from importers.source_table import CellValue, HeaderLayout
from importers.tech_filter import technology_reason
from models.questionnaire import Questionnaire
from tests.importers import foreign_files as ff

ROLES: list[list[CellValue]] = [
    ff.GENERIC_ROLES_HEADER,  # Post ref, Title, Grade, Pay band min, Salary max (£), Notes
    ["R-01", "Chief Information Officer", "SCS2", "£98,000", "£120,000", ""],
    ["R-02", "Head of IT", "SCS1", "£76,000", "£90,000", "interim"],
    ["R-03", "Enterprise Architect", "Grade 6", "£60,000", "£70,000", ""],
]


def _header(rows: list[list[CellValue]]) -> HeaderLayout:
    header = detect_header(rows, sheet="s")
    assert header is not None
    return header


def test_generic_roles_headers_map_to_senior_roles(questionnaire: Questionnaire) -> None:
    header = _header(ROLES)
    table = questionnaire.question("senior_roles")
    mapping, suggestions = suggest_mapping(header, ROLES[1:], table)
    assert mapping.mapped == {
        "post_ref": 0,
        "job_title": 1,
        "grade": 2,
        "pay_floor": 3,
        "pay_ceiling": 4,
    }
    assert mapping.columns["role_type"] is None and mapping.columns["fte"] is None
    floor = suggestions["pay_floor"][0]
    assert floor.source_index == 3 and 0.5 <= floor.score < 1
    assert "resembles" in floor.why and "money" in floor.why
    assert suggestions["pay_ceiling"][0].why.startswith("header matches synonym 'Salary max'")
    assert suggestions["grade"][0].why.endswith("values look like grades")
    assert all(len(found) <= 3 for found in suggestions.values())
    assert mapping.source_fields["job_title"] == 1


def test_each_source_column_feeds_one_target(questionnaire: Questionnaire) -> None:
    rows: list[list[CellValue]] = [["FTE", "Headcount", "Staff type"], ["0.5", "3", "Contractor"]]
    mapping, suggestions = suggest_mapping(
        _header(rows), rows[1:], questionnaire.question("workforce_mix")
    )
    assert mapping.mapped == {"fte": 0, "headcount": 1, "staff_type": 2}
    used = list(mapping.mapped.values())
    assert len(used) == len(set(used))
    assert suggestions["profession_family"] == []


def test_unrelated_words_are_not_matched(questionnaire: Questionnaire) -> None:
    rows: list[list[CellValue]] = [
        ["Post Unique Reference", "Contact Phone", "Job Title"],
        ["X1", "0300 123 4567", "Head of IT"],
    ]
    mapping, _ = suggest_mapping(_header(rows), rows[1:], questionnaire.question("senior_roles"))
    # 'Contact Phone' looks a little like 'Contract type' but shares no word with it.
    assert mapping.columns["employment_type"] is None
    assert mapping.mapped == {"post_ref": 0, "job_title": 2}


def test_millions_column_gets_its_unit(questionnaire: Questionnaire) -> None:
    rows: list[list[CellValue]] = [
        ["Project", "Whole Life Costs (£m)", "RAG"],
        ["Universal Credit", 2418.1, "Amber/Red"],
    ]
    mapping, suggestions = suggest_mapping(
        _header(rows), rows[1:], questionnaire.question("major_programmes")
    )
    assert mapping.mapped == {"name": 0, "whole_life_cost": 1, "delivery_confidence": 2}
    assert mapping.units == {"whole_life_cost": 1e6}
    assert "RAG" in suggestions["delivery_confidence"][0].why
    assert header_unit("Cost (£000)") == 1e3 and header_unit("Cost (£)") == 1.0


def test_values_alone_only_suggest(questionnaire: Questionnaire) -> None:
    rows: list[list[CellValue]] = [["Col A", "Col B"], ["£98,000", "SCS2"], ["£76,000", "G7"]]
    mapping, suggestions = suggest_mapping(
        _header(rows), rows[1:], questionnaire.question("senior_roles")
    )
    assert mapping.mapped == {}
    assert suggestions["grade"][0].source_index == 1
    assert suggestions["grade"][0].why == "values look like grades"
    assert suggestions["pay_floor"][0].why == "values look like money"


def test_header_signature_ignores_case_and_spacing_not_order() -> None:
    one = HeaderLayout("a", (0,), 1, (("Post  Ref",), ("Job\nTitle",)))
    same = HeaderLayout("b", (2,), 3, (("post ref",), (" JOB TITLE ",)))
    other = HeaderLayout("a", (0,), 1, (("Job Title",), ("Post Ref",)))
    assert header_signature(one) == header_signature(same)
    assert header_signature(one) != header_signature(other)
    assert len(header_signature(one)) == 40


def test_mapping_json_round_trip() -> None:
    mapping = ColumnMapping(
        target="workforce_mix",
        columns={"headcount": 5, "fte": None},
        constants={"staff_type": "permanent"},
        source_fields={"department": 2},
        units={"annual_cost": 1e6},
        name="CS statistics",
    )
    again = ColumnMapping.from_json(mapping.to_json())
    assert again == mapping


def test_technology_reasons() -> None:
    assert technology_reason({"profession": "Digital, Data and Technology"}) == (
        "profession 'Digital, Data and Technology'"
    )
    assert technology_reason({"job_title": "Head of IT"}) == "job title 'Head of IT' names 'IT'"
    assert Gmpp().technology({"category": "ICT"}) == "GMPP category 'ICT'"
    assert technology_reason({"category": "ICT"}) is None  # only GMPP knows its categories
    assert technology_reason({"job_title": "Senior Software Engineer"}) is not None
    assert technology_reason({"job_title": "Network Engineer"}) is not None
    for title in (
        "Head of Items",
        "Update Officer",
        "Civil Engineer",
        "Service Owner",
        "Head of it",
    ):
        assert technology_reason({"job_title": title}) is None, title
    assert technology_reason({"profession": "Knowledge and Information Management"}) is None
    assert technology_reason({}) is None
