"""A data-quality note names its table where its section has two (version 2's workforce section
holds the technology workforce and the whole department's): 'row 2' of which?"""

from __future__ import annotations

from models.data_quality import audit_notes
from models.questionnaire import get_questionnaire

V1 = get_questionnaire("board-technology-baseline", 1)
V2 = get_questionnaire("board-technology-baseline", 2)
MIX = [
    {"profession_family": "data", "staff_type": "permanent", "headcount": 10, "fte": 9.0},
    {"profession_family": "data", "staff_type": "contractor", "headcount": 2, "fte": 3.0},
]
WHOLE = [
    {"body": "DWP", "month": "2014-03", "staff_group": "payroll", "grade_group": "eo",
     "headcount": 100, "fte": 90.0},
    {"body": "DWP", "month": "2014-03", "staff_group": "agency", "grade_group": "all_grades",
     "headcount": 2, "fte": 3.0},
]  # fmt: skip


def test_each_note_names_its_table_where_the_section_has_two() -> None:
    rows = {"workforce_mix": MIX, "department_workforce": WHOLE}
    places = sorted(n.text for n in audit_notes(V2, {}, rows, "2014 review"))
    assert places == [
        "Workforce and contractor mix: Department workforce, row 2 “DWP” (FTE, Headcount): "
        "The FTE is more than the headcount.",
        "Workforce and contractor mix: Workforce mix, row 2 “Data” (FTE, Headcount): "
        "The FTE is more than the headcount.",
    ]
    # Version 1's section has one table: named by the section alone, as before.
    (only,) = audit_notes(V1, {}, {"workforce_mix": MIX}, "2014 review")
    assert only.place == "Workforce and contractor mix, row 2 “Data” (FTE, Headcount)"
