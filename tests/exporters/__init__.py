"""Tests of the app's own workbooks: exports, data returns, reading them back, the command line.

The builders below are shared by the modules of this package; fixtures stay in each module.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from models.demo import DemoSize, write_demo
from models.questionnaire import Questionnaire
from models.records import Audit
from models.store import Store, copy_workspace

# A hand-built audit whose scores are worked out by hand below (see SAMPLE_MATURITY).
SAMPLE_ANSWERS: dict[str, Any] = {
    "digital_leader_nominated": True,  # 5 points
    "digital_leader_on_board": False,  # 1
    "digital_leader_post": "Director General, Digital (SCS3)",
    "board_tech_expert_count": 2,  # band "2 or more": 5
    "cio_on_board": True,  # 5
    "board_tech_item_frequency": "quarterly",  # 3
    "board_capability_maturity": 5,  # 5 -> board: 24 / 6 = 4.0
    "digital_strategy_published": True,  # 5
    "digital_strategy_date": "2013-03-31",
    "it_strategy_relation": "integral",  # 5
    "user_needs_maturity": 2,  # 2 -> strategy: 12 / 3 = 4.0
    "framework_owners": ["privacy", "security"],  # 2 per selected -> governance 2.0
    "contract_exit_plans": False,  # 1 -> contracts 1.0
    "scs_tech_policy_trained_pct": 45.5,  # band 40-60: 3 -> skills 3.0
    "total_tech_spend": 1_250_000.5,
    "tech_spend_year": "2012-13",
}
SAMPLE_MATURITY = {
    "Board capability": 4.0,
    "Strategy and alignment": 4.0,
    "Governance mechanisms": 2.0,
    "Contracts and suppliers": 1.0,
    "Skills and pay": 3.0,
}
SAMPLE_OVERALL = 2.8  # mean of the five sections above
SAMPLE_COMMENTS = {"cio_on_board": "Seen in the board minutes of March 2013."}
SAMPLE_ROWS: dict[str, list[dict[str, Any]]] = {
    "senior_roles": [
        {"post_ref": "DIG-01", "job_title": "Chief Digital and Information Officer",
         "role_type": "cdio", "grade": "scs2", "employment_type": "permanent",
         "board_member": True, "pay_floor": 120_000.0, "pay_ceiling": 150_000.0, "fte": 1.0,
         "contract_mgmt_pct": 20.0, "vacant_or_interim": "filled"},
        {"post_ref": "DIG-02", "job_title": "Chief Technology Officer", "role_type": "cto",
         "grade": "scs1", "employment_type": "interim", "vacant_or_interim": "interim"},
        {"post_ref": "DIG-03", "job_title": "Head of IT", "role_type": "head_of_it",
         "grade": "g6", "employment_type": "contractor", "vacant_or_interim": "filled"},
        {"post_ref": "DIG-04", "job_title": "Chief Information Security Officer",
         "role_type": "ciso", "grade": "scs1", "employment_type": "permanent",
         "vacant_or_interim": "vacant"},
    ],
    "workforce_mix": [
        {"profession_family": "architecture", "staff_type": "permanent", "headcount": 32,
         "fte": 30.0, "annual_cost": 1_500_000.0},
        {"profession_family": "data", "staff_type": "contractor", "headcount": 10,
         "fte": 10.0, "annual_cost": 1_000_000.0},
    ],
    "contracts": [
        {"supplier": "Fujitsu Services Ltd", "service": "Desktop and end-user computing",
         "annual_value": 1_000_000.0, "total_value": 5_000_000.0, "end_date": "2015-03-31",
         "route": "direct_award"},
    ],
    "major_programmes": [
        {"name": "Common Platform", "whole_life_cost": 250_000_000.0,
         "delivery_confidence": "amber_green"},
        {"name": "Legacy Hosting Exit", "delivery_confidence": "green"},
        {"name": "Future Borders", "delivery_confidence": "amber_green"},
    ],
}  # fmt: skip
# Worked out by hand from SAMPLE_ROWS (Summary shows shares as "50%", flags as Yes/No).
SAMPLE_INDICATORS = {
    "Contractor and consultant share of the technology workforce (FTE)": "25%",
    "Contractor and consultant share of the technology workforce (cost)": "40%",
    "Share of the technology workforce not employed by the department (FTE)": "25%",
    # 2 of the 3 held posts: the vacant post is held by nobody (issue 15; was "50%")
    "Share of senior technology posts held by interims, contractors or consultants": "66.67%",
    "Share of senior technology posts vacant": "25%",
    "A digital leader sits on the board": "No",
    "A CIO or equivalent sits on the board": "Yes",
}


def sample_audit(
    store: Store,
    questionnaire: Questionnaire,
    *,
    department: str = "Department for Transport",
    abbreviation: str = "DfT",
    cycle: str = "2013 baseline",
) -> Audit:
    """A submitted audit holding SAMPLE_ANSWERS, SAMPLE_COMMENTS and SAMPLE_ROWS."""
    dept = store.find_department(department) or store.add_department(
        department, abbreviation, "department-for-transport"
    )
    audit = store.create_audit(dept.id, cycle, questionnaire, auditor="R. Huws")
    for question_id, value in SAMPLE_ANSWERS.items():
        store.set_answer(audit.id, question_id, value)
    for question_id, text in SAMPLE_COMMENTS.items():
        store.set_comment(audit.id, question_id, text)
    for table_id, rows in SAMPLE_ROWS.items():
        store.insert_rows(audit.id, table_id, 0, rows)
    store.set_audit_fields(audit.id, status="submitted")
    return store.audit(audit.id)


def demo_template(folder: Path) -> Path:
    """A demo workspace file to copy: DWP and HMRC, a 2013 baseline and a 2014 review each."""
    path = folder / "demo.sqlite"
    with Store(path, durable=False) as store:
        write_demo(store, DemoSize(departments=2, cycles=2), seed=1)
    return path


def demo_copy(template: Path, path: Path) -> Path:
    """A test's own copy of the demo workspace (writing the demo once per module is faster)."""
    copy_workspace(template, path)
    return path


def dump_workspace(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a workspace file, read through a separate connection."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


def audit_snapshot(store: Store, audit_id: str) -> dict[str, Any]:
    """An audit's answers, comments and table rows (ids, positions, cells) from the store."""
    tables = {}
    for table_id in store.row_counts(audit_id):
        tables[table_id] = [(r.id, r.position, r.cells) for r in store.rows(audit_id, table_id)]
    return {
        "answers": store.answers(audit_id),
        "comments": store.comments(audit_id),
        "tables": tables,
    }


def metadata_rows(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The metadata sheet's properties and audit records, read with openpyxl."""
    book = load_workbook(path, read_only=True)
    try:
        props: dict[str, Any] = {}
        fields: list[str] = []
        audits: list[dict[str, Any]] = []
        for row in book["_baseline"].iter_rows(values_only=True):
            if row[0] == "property":
                props[row[1]] = row[2]
            elif row[0] == "audit fields":
                fields = list(row[1:])
            elif row[0] == "audit":
                audits.append(dict(zip(fields, row[1:], strict=False)))
        return props, audits
    finally:
        book.close()


def header_index(ws: Worksheet) -> dict[str, int]:
    """Header text -> 1-based column number of a sheet's first row."""
    return {c.value: c.column for c in ws[1] if c.value is not None}


def row_of(ws: Worksheet, ref: str, column: int = 1) -> int:
    """The row whose `column` holds `ref` (a question id in a section sheet)."""
    for cell in ws.iter_cols(min_col=column, max_col=column).__next__():
        if cell.value == ref:
            return int(cell.row)
    raise AssertionError(f"{ref!r} is not in sheet {ws.title!r}")
