"""Working out what a paste from Excel does to a table, before anything is written."""

from __future__ import annotations

import pytest

from models.questionnaire import Field, Questionnaire
from models.records import Row
from models.table_paste import plan_paste, split_clipboard


@pytest.fixture
def columns(questionnaire: Questionnaire) -> tuple[Field, ...]:
    """senior_roles: post_ref, job_title, role_type, grade, employment_type, board_member,
    reports_to, pay_floor, pay_ceiling, fte, contract_mgmt_pct, vacant_or_interim,
    post_holder_name."""
    return questionnaire.question("senior_roles").columns


def tsv(*rows: str) -> str:
    return "\r\n".join(rows) + "\r\n"  # as Excel puts it on the clipboard


def test_rows_pasted_at_the_end_of_an_empty_table(columns: tuple[Field, ...]) -> None:
    text = tsv(
        "DIG-01\tChief Digital Officer\tCDIO\tSCS Pay Band 2\tPermanent\tYes\tXX"
        "\t£98,000\t£162,500\t1\t10%\tFilled substantively\tSiân Ŷwain",
        "DIG-02\tHead of IT\tHead of IT\tG6\tInterim manager\tno\tDIG-01\t\t\t0.6\t\tinterim\t",
        "DIG-03\tCISO\tciso\tDirector\tContractor\tN\tDIG-01\t£120,000.00\t\t1\t55 %\tVacant",
    )
    plan = plan_paste(columns, [], 0, 0, text)
    assert plan.problems == []
    assert plan.changes == []
    assert not plan.skipped_header
    assert plan.new_rows == [
        {
            "post_ref": "DIG-01",
            "job_title": "Chief Digital Officer",
            "role_type": "cdio",  # the option value, any case
            "grade": "scs2",  # a synonym in grades.yaml
            "employment_type": "permanent",
            "board_member": True,
            "reports_to": "XX",
            "pay_floor": 98_000.0,
            "pay_ceiling": 162_500.0,
            "fte": 1.0,
            "contract_mgmt_pct": 10.0,
            "vacant_or_interim": "filled",  # by label
            "post_holder_name": "Siân Ŷwain",
        },
        {
            "post_ref": "DIG-02",
            "job_title": "Head of IT",
            "role_type": "head_of_it",  # by label
            "grade": "g6",
            "employment_type": "interim",  # by label "Interim manager"
            "board_member": False,
            "reports_to": "DIG-01",
            "fte": 0.6,
            "vacant_or_interim": "interim",
        },  # blank cells are left out
        {
            "post_ref": "DIG-03",
            "job_title": "CISO",
            "role_type": "ciso",
            "grade": "scs2",  # "Director" is SCS2
            "employment_type": "contractor",
            "board_member": False,
            "reports_to": "DIG-01",
            "pay_floor": 120_000.0,
            "fte": 1.0,
            "contract_mgmt_pct": 55.0,
            "vacant_or_interim": "vacant",
        },
    ]
    assert all(type(row["fte"]) is float for row in plan.new_rows)


@pytest.mark.parametrize(
    "header",
    [
        "Post reference\tJob title\tRole type\tGrade",
        "post ref\tJOB TITLE\trole_type\tGrade",  # abbreviated, other case, or by id
    ],
)
def test_header_row_is_skipped(columns: tuple[Field, ...], header: str) -> None:
    text = tsv(header, "DIG-01\tCDIO\tCDIO\tSCS3")
    plan = plan_paste(columns, [], 0, 0, text)
    assert plan.skipped_header
    assert plan.new_rows == [
        {"post_ref": "DIG-01", "job_title": "CDIO", "role_type": "cdio", "grade": "scs3"}
    ]


def test_header_is_matched_against_the_columns_pasted_into(columns: tuple[Field, ...]) -> None:
    # Pasting from the Grade column on, "Grade" and "Employment type" are headers...
    plan = plan_paste(columns, [], 0, 3, tsv("Grade\tEmployment type", "G7\tPermanent"))
    assert plan.skipped_header
    assert plan.new_rows == [{"grade": "g7", "employment_type": "permanent"}]
    # ...but a row of data is never taken for one.
    plan = plan_paste(columns, [], 0, 3, tsv("G7\tPermanent"))
    assert not plan.skipped_header
    assert plan.new_rows == [{"grade": "g7", "employment_type": "permanent"}]


def test_bad_cells_are_reported_and_left_out(columns: tuple[Field, ...]) -> None:
    rows = [Row("r1", 0, {"post_ref": "A"}), Row("r2", 1, {"post_ref": "B"})]
    # pasted below the two existing rows, so the pasted row is table row 3
    text = tsv("DIG-09\tData lead\tCDO\tGrade 99\tPermanent\tperhaps\tXX\t\t\tlots")
    plan = plan_paste(columns, rows, 2, 0, text)
    assert plan.problems == [
        "Row 3, Grade: 'Grade 99' is not one of the choices for 'Grade'.",
        "Row 3, Board member: 'perhaps' is not yes or no.",
        "Row 3, FTE: 'lots' is not a number.",
    ]
    assert plan.new_rows == [
        {
            "post_ref": "DIG-09",
            "job_title": "Data lead",
            "role_type": "cdo",
            "employment_type": "permanent",
            "reports_to": "XX",
        }
    ]


def test_out_of_range_cell_is_reported(columns: tuple[Field, ...]) -> None:
    # FTE runs from 0 to 1 in the shipped questionnaire
    plan = plan_paste(columns, [], 0, 9, tsv("1.5"))
    assert plan.problems == ["Row 1, FTE: Must be at most 1."]
    assert plan.new_rows == [{}]


def test_pasting_over_existing_rows(columns: tuple[Field, ...]) -> None:
    rows = [
        Row("r1", 0, {"post_ref": "A1", "grade": "g7", "board_member": False}),
        Row("r2", 1, {"post_ref": "A2", "grade": "scs1", "employment_type": "permanent"}),
    ]
    # from the Grade column (3) of the first row: grade, employment_type, board_member;
    # three rows pasted onto two, so the third is added.
    text = tsv("SCS2\tPermanent\tYes", "SCS1\t\tNo", "G6\tAgency\t")
    plan = plan_paste(columns, rows, 0, 3, text)
    assert plan.problems == []
    assert plan.changes == [
        ("r1", "grade", "g7", "scs2"),
        ("r1", "employment_type", None, "permanent"),
        ("r1", "board_member", False, True),
        # r2's grade is unchanged (scs1 both), so it is not listed; a blank clears
        ("r2", "employment_type", "permanent", None),
        ("r2", "board_member", None, False),
    ]
    assert plan.new_rows == [{"grade": "g6", "employment_type": "agency"}]


def test_same_value_of_another_type_is_a_change(columns: tuple[Field, ...]) -> None:
    # A cell stored as the integer 1 (say, by an import) becomes the float 1.0 a decimal holds.
    rows = [Row("r1", 0, {"fte": 1})]
    plan = plan_paste(columns, rows, 0, 9, tsv("1"))
    assert plan.changes == [("r1", "fte", 1, 1.0)]


def test_quoted_multi_line_cells(columns: tuple[Field, ...]) -> None:
    # Excel quotes a cell holding a line break or a double quote, doubling the quotes.
    text = (
        'DIG-01\t"Chief Digital\nand Information Officer"\tCDIO\r\n'
        'DIG-02\t"The ""real"" CTO"\tCTO\r\n'
    )
    assert split_clipboard(text) == [
        ["DIG-01", "Chief Digital\nand Information Officer", "CDIO"],
        ["DIG-02", 'The "real" CTO', "CTO"],
    ]
    plan = plan_paste(columns, [], 0, 0, text)
    assert plan.problems == []
    assert plan.new_rows == [
        {"post_ref": "DIG-01", "job_title": "Chief Digital\nand Information Officer",
         "role_type": "cdio"},
        {"post_ref": "DIG-02", "job_title": 'The "real" CTO', "role_type": "cto"},
    ]  # fmt: skip


def test_extra_columns_are_reported(columns: tuple[Field, ...]) -> None:
    # From column 11 (Post status) there are two columns left; the other two are extra.
    plan = plan_paste(columns, [], 0, 11, tsv("Filled\tAda\textra 1\textra 2", "Vacant\t\t\t"))
    assert plan.new_rows == [
        {"vacant_or_interim": "filled", "post_holder_name": "Ada"},
        {"vacant_or_interim": "vacant"},
    ]
    assert plan.problems == [
        "2 pasted column(s) went past the last column (Post holder's name) and were not used."
    ]


def test_empty_clipboard_plans_nothing(columns: tuple[Field, ...]) -> None:
    assert plan_paste(columns, [], 0, 0, "").empty
    assert not plan_paste(columns, [], 0, 0, "x").empty
