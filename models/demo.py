"""Realistic demo workspaces: for trying the app, screenshots, benchmarks and checks."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from models.questionnaire import Field, Question, Questionnaire, current_questionnaire
from models.reference import departments, reference_list
from models.store import Store

FIRST_NAMES = (
    "Siân", "Gwenllian", "Rhodri", "Dafydd", "Ffion", "Aled", "Priya", "Oluwaseun", "Mark",
    "Joanna", "Kevin", "Liam", "Mairéad", "Zoë", "Chloé", "Tomasz", "Aisha", "Eleri", "Ŵyn",
)  # fmt: skip
LAST_NAMES = (
    "Jones", "Ap Ifan", "Williams", "Okafor", "Patel", "Smith", "O'Brien", "Nowak", "Huws",
    "Davies", "Ellis-Bextor", "Ng", "Thomas", "MacLeod", "Ŷwain", "Hughes",
)  # fmt: skip
SUPPLIERS = (
    "Capgemini UK plc", "Fujitsu Services Ltd", "IBM United Kingdom Ltd", "Atos IT Services UK",
    "CGI IT UK Ltd", "Hewlett Packard Enterprise", "BT plc", "Accenture (UK) Ltd",
    "Kainos Software Ltd", "Amazon Web Services EMEA", "Microsoft Ltd", "Sopra Steria Ltd",
)  # fmt: skip
SERVICES = (
    "Desktop and end-user computing", "Hosting and data centre", "Application maintenance",
    "Network and telephony", "Case management system", "Cloud hosting (G-Cloud)",
    "Service desk", "Payroll and HR system", "Identity verification",
)  # fmt: skip
PROGRAMMES = (
    "Digital Case Management", "Universal Credit Digital Service", "Future Borders",
    "Estates and Workplace Modernisation", "Common Platform", "Tax Platform Transformation",
    "Legacy Hosting Exit", "Single Customer Record", "Emergency Services Network Link",
)  # fmt: skip
JOB_TITLES = {
    "cio": "Chief Information Officer", "cdio": "Chief Digital and Information Officer",
    "cto": "Chief Technology Officer", "cdo": "Chief Data Officer",
    "ciso": "Chief Information Security Officer", "head_of_it": "Head of IT",
    "digital_leader": "Director General, Digital", "sro": "Senior Responsible Owner",
    "coo": "Chief Operating Officer", "other": "Deputy Director, Technology",
}  # fmt: skip
PREFERRED = (
    "Department for Work and Pensions", "HM Revenue & Customs", "Home Office",
    "Ministry of Justice",
    "Department for Education", "Cabinet Office", "Ministry of Defence", "Department for Transport",
    "Department for Environment, Food & Rural Affairs", "Department of Health", "HM Treasury",
    "Foreign & Commonwealth Office",
)  # fmt: skip
TEXT = (
    "Seen in board minutes for March; the department's own summary agrees.",
    "Evidence: published strategy and the organogram for September.",
    "Confirmed in interview with the Director of Digital.",
    "Partly: the technology committee reports to the board twice a year.",
)


@dataclass(frozen=True)
class DemoSize:
    """How big a demo workspace to write."""

    departments: int = 6
    cycles: int = 2
    roles: int = 12
    workforce: int = 24
    contracts: int = 8
    programmes: int = 5


def cycle_label(index: int) -> str:
    return f"{2013 + index} baseline" if index == 0 else f"{2013 + index} review"


def write_demo(
    store: Store,
    size: DemoSize = DemoSize(),
    *,
    seed: int = 2013,
    questionnaire: Questionnaire | None = None,
) -> int:
    """Fill the store with departments and audits; returns the number of audits written."""
    if size.departments < 1 or size.cycles < 1:
        raise ValueError("A demo needs at least one department and one cycle.")
    rng = random.Random(seed)
    q = questionnaire or current_questionnaire()
    central = [
        d
        for d in departments()
        if d.type in ("Ministerial department", "Non-ministerial department")
    ]
    entries = sorted(
        central,
        key=lambda d: (
            d.name not in PREFERRED,
            PREFERRED.index(d.name) if d.name in PREFERRED else 0,
        ),
    )
    existing = {d.name for d in store.departments()}
    entries = [e for e in entries if e.name not in existing]
    count = 0
    for i in range(size.departments):
        entry = entries[i % len(entries)] if entries else None
        name = entry.name if entry and i < len(entries) else f"Demo department {i + 1}"
        with store.transaction("write demo data"):
            dept = store.add_department(
                name, entry.abbreviation if entry else "", entry.govuk_id if entry else ""
            )
            strength = rng.uniform(0.2, 0.8)  # how mature this department tends to be
            for c in range(size.cycles):
                latest = c == size.cycles - 1
                audit = store.create_audit(
                    dept.id,
                    cycle_label(c),
                    q,
                    auditor=rng.choice(("A. Auditor", "R. Huws", "P. Okafor")),
                )
                level = min(0.95, strength + 0.1 * c)
                fill = 0.75 if latest and size.cycles > 1 else 1.0
                for question in q.questions():
                    if question.is_table:
                        n = _table_size(question.id, size)
                        rows = [_row(question, rng, level) for _ in range(n)]
                        store.bulk_rows(audit.id, question.id, rows)
                    elif rng.random() < fill or (question.required and not latest):
                        value = _answer(question, rng, level)
                        if value is not None:
                            store.set_answer(audit.id, question.id, value)
                if rng.random() < 0.5:
                    first = next(iter(q.questions()))
                    store.set_comment(audit.id, first.id, rng.choice(TEXT))
                if not latest:
                    store.set_audit_fields(audit.id, status="signed_off")
                count += 1
    return count


def _table_size(table_id: str, size: DemoSize) -> int:
    if "role" in table_id:
        return size.roles
    if "workforce" in table_id:
        return size.workforce
    if "contract" in table_id:
        return size.contracts
    return size.programmes


def _answer(question: Field, rng: random.Random, level: float) -> Any:
    """A plausible answer for any question type; `level` (0-1) leans answers towards good."""
    t = question.type
    if t == "yesno":
        return rng.random() < level
    if t == "single_choice":
        options = [o.value for o in question.options]
        index = min(len(options) - 1, int(rng.triangular(0, len(options), level * len(options))))
        return options[index]
    if t == "multi_choice":
        options = [o.value for o in question.options if not o.exclusive]
        k = round(level * len(options) * rng.uniform(0.6, 1.2))
        alone = [o.value for o in question.options if o.exclusive]
        if k < 1 and alone:
            return alone[:1]  # "None of these", on its own as validation requires
        return rng.sample(options, min(max(1, k), len(options)))
    if t == "maturity":
        return max(1, min(5, round(1 + 4 * level + rng.uniform(-1, 1))))
    if t == "date":
        return (date(2012, 1, 1) + timedelta(days=rng.randint(0, 900))).isoformat()
    if t in ("integer", "decimal", "currency", "percentage"):
        return _number(question, rng, level)
    if t == "long_text":
        return rng.choice(TEXT)
    if question.pattern:  # a web address or a financial year; blank if neither fits
        candidates = (
            "https://www.gov.uk/government/publications/departmental-digital-strategy",
            "2012-13",
        )
        return next((c for c in candidates if re.fullmatch(question.pattern, c)), None)
    if question.id.endswith("_post"):
        return "Director General, Digital and Operations (SCS3)"
    if "name" in question.id:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return rng.choice(TEXT)[:60]


def _number(field: Field, rng: random.Random, level: float) -> int | float:
    low = field.minimum if field.minimum is not None else 0
    if field.type == "percentage":
        high = field.maximum if field.maximum is not None else 100
        return round(min(high, max(low, rng.gauss(level * 100, 12))), 1)
    if field.type == "currency":
        if "pay" in field.id:
            return float(rng.randrange(76_000, 160_000, 500))
        scale = 50_000_000 if "total" in field.id or "spend" in field.id else 4_000_000
        value = round(rng.uniform(0.05, 1.0) * scale, 2)
        return min(value, field.maximum) if field.maximum is not None else value
    if field.type == "integer":
        spread = 60 if ("hire" in field.id or "count" not in field.id) else 6
        high = field.maximum if field.maximum is not None else low + spread
        return rng.randint(int(low), int(min(high, low + spread)))
    high = field.maximum if field.maximum is not None else 100.0
    return round(rng.uniform(float(low), float(high)), 2)


def _row(table: Question, rng: random.Random, level: float) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    # Titles and pay follow the role and grade, so those columns are filled first.
    late = ("job_title", "pay_floor", "pay_ceiling", "post_holder_name")
    ordered = sorted(table.columns, key=lambda c: c.id in late)
    for column in ordered:
        value = _cell(table.id, column, rng, level, cells)
        if value is not None:
            cells[column.id] = value
    return cells


def _cell(
    table_id: str, column: Field, rng: random.Random, level: float, cells: dict[str, Any]
) -> Any:
    cid = column.id
    if cid == "post_ref":
        return f"{rng.choice('ABCDEFGH')}{rng.randint(100, 999)}"
    if cid == "job_title":
        return JOB_TITLES.get(str(cells.get("role_type", "other")), "Deputy Director, Technology")
    if cid == "grade" and "role" in table_id:
        return rng.choice(("scs1", "scs1", "scs1a", "scs2", "scs2", "scs3", "g6"))
    if cid == "pay_floor" and "grade" in cells:
        band = reference_list("grades").item(str(cells["grade"])).attributes
        return float(band.get("pay_min", 62_000))
    if cid == "vacant_or_interim":
        employment = cells.get("employment_type")
        if employment == "interim":
            return "interim"
        return "vacant" if rng.random() < 0.08 else "filled"
    if cid == "post_holder_name" and cells.get("vacant_or_interim") == "vacant":
        return None
    if cid == "employment_type":
        contingent = reference_list("staff_types").values_where("contingent")
        return rng.choice(contingent) if rng.random() > level else "permanent"
    if cid == "staff_type":
        staff = [i.value for i in reference_list("staff_types").items]
        return rng.choice(staff)
    if cid == "supplier":
        return rng.choice(SUPPLIERS)
    if cid == "service":
        return rng.choice(SERVICES)
    if cid in ("name",) and "programme" in table_id:
        return rng.choice(PROGRAMMES)
    if cid == "fte" and "role" in table_id:
        return 1.0 if rng.random() < 0.9 else 0.6
    if cid == "headcount":
        return rng.randint(1, 400)
    if cid == "fte":
        return round(float(cells.get("headcount", 10)) * rng.uniform(0.8, 1.0), 1)
    if cid == "annual_cost":
        return round(float(cells.get("fte", 10)) * rng.uniform(45_000, 120_000), 2)
    if cid == "pay_ceiling" and "pay_floor" in cells:
        return float(cells["pay_floor"]) + rng.randrange(5_000, 40_000, 500)
    if column.personal_data or cid in ("sro", "post_holder_name"):
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if column.type == "text":
        return rng.choice(
            ("Permanent Secretary", "Chief Operating Officer", "Director General", "CDIO")
        )
    return _answer(column, rng, level)
