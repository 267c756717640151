"""Realistic demo workspaces: for trying the app, screenshots, benchmarks and checks."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models.demo_workforce import department_rows
from models.questionnaire import (
    Field,
    Question,
    Questionnaire,
    current_questionnaire,
    get_questionnaire,
)
from models.reference import departments, reference_list
from models.store import Store
from models.validation import visible_questions

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


# The leading senior technology posts, one each, in organogram order; SROs and deputy
# directors fill the rest of the table.
LEADING_POSTS = ("digital_leader", "cio", "cto", "cdo", "ciso", "head_of_it", "coo")
GRADES_BY_ROLE = {
    "digital_leader": ("scs3", "scs2"), "cio": ("scs2", "scs3"), "cdio": ("scs2", "scs3"),
    "cto": ("scs1", "scs2"), "cdo": ("scs1", "scs2"), "ciso": ("scs1", "scs1a"),
    "head_of_it": ("scs1", "g6"), "coo": ("scs2", "scs3"), "sro": ("scs1", "scs2"),
}  # fmt: skip
LONG_TEXT = {
    "senior_roles_notes": (
        "From the September organogram. The CTO post was created in the spring; the Chief "
        "Data Officer post is shared with an arm's-length body."
    ),
    "workforce_source": (
        "HR system extract at 31 March; contingent labour from the Q4 invoices; outsourced "
        "staff from the suppliers' staffing returns under the contracts."
    ),
}
# A part of the spend and the whole it belongs to, with the share range it takes.
SPEND_PARTS = {
    "cloud_spend": ("total_tech_spend", (0.02, 0.2)),
    "framework_spend": ("total_tech_spend", (0.2, 0.6)),
    "gcloud_spend": ("framework_spend", (0.05, 0.4)),
}
MANAGERS = (
    "Head of Technology Commercial", "Deputy Director, Digital Operations",
    "Service Owner, Hosting", "Chief Technology Officer", "Head of End-User Services",
)  # fmt: skip


@dataclass
class _Facts:
    """What one demo audit has said so far, so later answers and rows agree with it."""

    abbreviation: str
    year: int  # the year the cycle names
    level: float
    answers: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    post_refs: set[str] = field(default_factory=set)
    roles_made: int = 0  # senior roles rows so far: the first take the leading posts
    body: str = ""  # the department's name, as its workforce return gives it


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
    newest = questionnaire or current_questionnaire()
    # Unless one version is asked for, earlier cycles were audited on version 1 and the latest
    # on the newest (version 2 adds the whole department's workforce).
    earliest = newest if questionnaire else get_questionnaire(newest.id, 1)
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
    login = store.actor
    try:
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
                    q = newest if latest else earliest
                    picked = rng.choice(("A. Auditor", "R. Huws", "P. Okafor"))
                    if c == 0:  # one auditor per department, who the history says made it all
                        store.actor = picked
                    audit = store.create_audit(dept.id, cycle_label(c), q, auditor=store.actor)
                    level = min(0.95, strength + 0.1 * c)
                    fill = 0.75 if latest and size.cycles > 1 else 1.0
                    facts = _Facts(_gmpp_prefix(dept.name, dept.abbreviation), 2013 + c, level)
                    facts.body = dept.name
                    for question in q.questions():
                        if question.is_table:
                            n = _table_size(question.id, size)
                            rows = _rows(question, rng, facts, n)
                            facts.tables[question.id] = rows
                            store.bulk_rows(audit.id, question.id, rows)
                        elif question.visible_if is not None and question.id not in (
                            visible_questions(q, facts.answers)
                        ):
                            continue  # the form hides it for these answers: no answer to give
                        elif rng.random() < fill or (question.required and not latest):
                            value = _answer(question, rng, level, facts)
                            if value is not None:
                                facts.answers[question.id] = value
                    _reconcile(facts)
                    for question_id, value in facts.answers.items():
                        store.set_answer(audit.id, question_id, value)
                    if rng.random() < 0.5:
                        first = next(iter(q.questions()))
                        store.set_comment(audit.id, first.id, rng.choice(TEXT))
                    if not latest:
                        store.set_audit_fields(audit.id, status="signed_off")
                    count += 1
    finally:
        store.actor = login  # later changes are the person's at the keyboard again
    return count


def _reconcile(facts: _Facts) -> None:
    """Answers given before the tables agree with them: a board with a CIO or Digital
    Leader on it has at least that many members with technology expertise."""
    count = facts.answers.get("board_tech_expert_count")
    if count is None:
        return
    experts = sum(
        1
        for row in facts.tables.get("senior_roles", [])
        if row.get("board_member") is True
        and row.get("role_type") in ("digital_leader", "cio", "cdio", "cto", "cdo")
    )
    facts.answers["board_tech_expert_count"] = max(int(count), experts)


def _gmpp_prefix(name: str, abbreviation: str) -> str:
    """The department part of a GMPP ID: DWP, HMRC; HO for the Home Office."""
    cleaned = abbreviation.replace("&", "").replace(" ", "")
    if re.fullmatch(r"[A-Z]{2,6}", cleaned):
        return cleaned
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()) or "DEPT"


def _table_size(table_id: str, size: DemoSize) -> int:
    if "role" in table_id:
        return size.roles
    if "workforce" in table_id:
        return size.workforce
    if "contract" in table_id:
        return size.contracts
    return size.programmes


def _answer(question: Field, rng: random.Random, level: float, facts: _Facts | None = None) -> Any:
    """A plausible answer for any question type; `level` (0-1) leans answers towards good.

    `facts` holds the audit's answers so far, so parts never exceed their whole (cloud
    spend within the total, G-Cloud within framework spend), and dates fall before it.
    """
    t = question.type
    if t == "currency" and question.id in SPEND_PARTS:
        whole = (facts.answers if facts else {}).get(SPEND_PARTS[question.id][0])
        if whole is None:
            return None  # a part of an unknown whole is not given
        low, high = SPEND_PARTS[question.id][1]
        return round(float(whole) * rng.uniform(low, high), 2)
    if t == "yesno":
        return rng.random() < level
    if t == "single_choice":
        options = [o.value for o in question.options]
        index = min(len(options) - 1, int(rng.triangular(0, len(options), level * len(options))))
        return options[index]
    if t == "multi_choice":
        # "None of these" (an exclusive option) is ticked on its own or not at all.
        options = [o.value for o in question.options if not o.exclusive]
        alone = [o.value for o in question.options if o.exclusive]
        k = round(level * len(options) * rng.uniform(0.6, 1.2))
        if k == 0 and alone:
            return alone[:1]
        chosen = set(rng.sample(options, min(max(k, 1), len(options))))
        return [o for o in options if o in chosen]
    if t == "maturity":
        return max(1, min(5, round(1 + 4 * level + rng.uniform(-1, 1))))
    if t == "date":
        year = facts.year if facts else 2013
        return (date(year - 2, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat()
    if t in ("integer", "decimal", "currency", "percentage"):
        return _number(question, rng, level)
    if t == "long_text":
        return LONG_TEXT.get(question.id) or rng.choice(TEXT)
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
        if field.id == "total_tech_spend":  # a central department: £80m to £1.2bn a year
            value = round(10 ** rng.uniform(7.9, 9.08), -3)
        else:
            value = round(rng.uniform(0.05, 1.0) * 4_000_000, 2)
        return min(value, field.maximum) if field.maximum is not None else value
    if field.type == "integer":
        spread = 60 if ("hire" in field.id or "count" not in field.id) else 3
        high = field.maximum if field.maximum is not None else low + spread
        return rng.randint(int(low), int(min(high, low + spread)))
    high = field.maximum if field.maximum is not None else 100.0
    return round(rng.uniform(float(low), float(high)), 2)


def _rows(table: Question, rng: random.Random, facts: _Facts, n: int) -> list[dict[str, Any]]:
    """A table's rows, consistent with each other and with the answers given so far."""
    if table.id == "department_workforce":
        return department_rows(rng, facts.body, facts.year, facts.level, n)
    if table.id == "workforce_mix":
        groups = _workforce_groups(rng, facts.level, n)
        rows = [
            _row(table, rng, facts, {"profession_family": f, "staff_type": t}) for f, t in groups
        ]
    else:
        rows = [_row(table, rng, facts) for _ in range(n)]
    if table.id == "senior_roles":
        _seat_board(rows, rng, facts)
    if table.id == "major_programmes":
        names = rng.sample(PROGRAMMES, min(n, len(PROGRAMMES)))
        for row, name in zip(rows, names, strict=False):
            row["name"] = name
    return rows


def _workforce_groups(rng: random.Random, level: float, n: int) -> list[tuple[str, str]]:
    """n (role family, staff type) pairs, each once while there are pairs left.

    Weighted towards permanent staff in stronger departments, so shares look real.
    """
    families = [i.value for i in reference_list("ddat_families").items]
    contingent = set(reference_list("staff_types").values_where("contingent"))
    pairs = [(f, i.value) for f in families for i in reference_list("staff_types").items]
    weights = [
        (1.5 - level if t in contingent else 1.0 + level) * (3.0 if t == "permanent" else 1.0)
        for _, t in pairs
    ]
    chosen: list[tuple[str, str]] = []
    while len(chosen) < n:
        if not pairs:  # more rows asked for than pairs exist (benchmarks): repeat
            chosen.append(chosen[len(chosen) % len(families)])
            continue
        i = rng.choices(range(len(pairs)), weights)[0]
        chosen.append(pairs.pop(i))
        weights.pop(i)
    return chosen


def _seat_board(rows: list[dict[str, Any]], rng: random.Random, facts: _Facts) -> None:
    """Two to four filled posts on the board, agreeing with the board questions' answers."""
    for row in rows:
        row["board_member"] = False
        if row.get("role_type") == "digital_leader" and (
            facts.answers.get("digital_leader_nominated") is not True
        ):  # no Digital Leader was nominated, so no post holds the role
            row["role_type"], row["job_title"] = "other", JOB_TITLES["other"]
            row["grade"] = "scs1"
            row.pop("pay_floor", None)
            row.pop("pay_ceiling", None)
    filled = [r for r in rows if r.get("vacant_or_interim") != "vacant"]
    seats = rng.randint(2, 4)
    for question_id, role_types in (
        ("digital_leader_on_board", ("digital_leader",)),
        ("cio_on_board", ("cio", "cdio")),
    ):
        if facts.answers.get(question_id) is True and rows and seats > 0:
            holder = next((r for r in rows if r.get("role_type") in role_types), None)
            if holder is None:  # the answer says there is one: the table lists the post
                holder = rng.choice([r for r in filled if not r["board_member"]] or rows)
                holder["role_type"] = role_types[0]
                holder["job_title"] = JOB_TITLES[role_types[0]]
            if holder.get("vacant_or_interim") == "vacant":  # someone sits on the board
                holder["vacant_or_interim"] = "filled"
                holder["post_holder_name"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                filled.append(holder)
            holder["board_member"] = True
            seats -= 1
    others = [
        r
        for r in filled
        if not r["board_member"] and r.get("role_type") not in ("digital_leader", "cio", "cdio")
    ]
    rng.shuffle(others)
    others.sort(key=lambda r: r.get("grade") not in ("scs2", "scs3"))  # senior posts first
    for row in others[:seats]:
        row["board_member"] = True


def _row(
    table: Question, rng: random.Random, facts: _Facts, cells: dict[str, Any] | None = None
) -> dict[str, Any]:
    cells = dict(cells or {})
    # Titles and pay follow the role and grade, so those columns are filled first; a
    # review date follows whether a review happened, a total value the annual value.
    late = ("job_title", "pay_floor", "pay_ceiling", "post_holder_name", "review_date")
    ordered = sorted(table.columns, key=lambda c: (c.id in late, c.id == "total_value"))
    for column in ordered:
        if column.id in cells:
            continue
        value = _cell(table.id, column, rng, facts, cells)
        if value is not None:
            cells[column.id] = value
    return cells


def _cell(
    table_id: str, column: Field, rng: random.Random, facts: _Facts, cells: dict[str, Any]
) -> Any:
    cid = column.id
    level = facts.level
    if cid == "post_ref":
        while True:  # each post once
            ref = f"{rng.choice('ABCDEFGH')}{rng.randint(100, 999)}"
            if ref not in facts.post_refs:
                facts.post_refs.add(ref)
                return ref
    if cid == "role_type" and "role" in table_id:
        index, facts.roles_made = facts.roles_made, facts.roles_made + 1
        if index < len(LEADING_POSTS):
            post = LEADING_POSTS[index]
            return "cdio" if post == "cio" and rng.random() < 0.4 else post
        return rng.choice(("sro", "other", "other"))
    if cid == "contract_mgmt_pct":  # most senior posts spend a fraction of their time on it
        high = 70 if cells.get("role_type") in ("head_of_it", "cio") else 40
        return float(rng.randint(5, high))
    if cid == "reports_to":
        top = cells.get("role_type") in ("digital_leader", "cio", "cdio", "coo")
        return "Permanent Secretary" if top else rng.choice(("Chief Information Officer", "COO"))
    if cid == "job_title":
        return JOB_TITLES.get(str(cells.get("role_type", "other")), "Deputy Director, Technology")
    if cid == "grade" and "role" in table_id:
        return rng.choice(GRADES_BY_ROLE.get(str(cells.get("role_type")), ("scs1", "g6")))
    contingent = reference_list("staff_types").values_where("contingent")
    if cid in ("pay_floor", "pay_ceiling") and cells.get("employment_type") in contingent:
        return None  # contractors' day rates go in a comment, not the pay range
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
    if cid == "employment_type":  # an admin and clerical agency worker holds no senior post
        held = rng.choice(contingent) if rng.random() > level else "permanent"
        return "interim" if held == "agency" else held  # the same draws: the demo stays put
    if cid == "supplier":
        return rng.choice(SUPPLIERS)
    if cid == "service":
        return rng.choice(SERVICES)
    if cid in ("name",) and "programme" in table_id:
        return rng.choice(PROGRAMMES)
    if cid == "gmpp_id":  # as the GMPP publishes them, e.g. DWP_0042; a few are not on it
        return None if rng.random() < 0.15 else f"{facts.abbreviation}_{rng.randint(1, 350):04d}"
    if cid == "whole_life_cost":  # £40m to £2.5bn, to the nearest £100,000
        return float(round(10 ** rng.uniform(7.6, 9.4), -5))
    if cid == "independent_review_done":
        return rng.random() < 0.3 + 0.6 * level
    if cid == "review_date":  # only for a review that happened, in the two years before
        if cells.get("independent_review_done") is not True:
            return None
        start = date(facts.year - 2, 1, 1)
        return (start + timedelta(days=rng.randint(0, 729))).isoformat()
    if cid == "annual_value" and table_id == "contracts":  # £1m to £40m a year
        return float(round(10 ** rng.uniform(6, 7.6), -3))
    if cid == "total_value" and "annual_value" in cells:  # three to ten years of it
        return float(round(cells["annual_value"] * rng.uniform(3, 10), -3))
    if cid == "end_date":  # still running at the time of the audit
        return (date(facts.year, 6, 30) + timedelta(days=rng.randint(0, 365 * 6))).isoformat()
    if cid == "managed_by":
        return rng.choice(MANAGERS)
    if cid == "fte" and "role" in table_id:
        return 1.0 if rng.random() < 0.9 else 0.6
    if cid == "headcount":
        big = cells.get("staff_type") in ("permanent", "outsourced")
        return rng.randint(20, 400) if big else rng.randint(1, 40)
    if cid == "fte":
        return round(float(cells.get("headcount", 10)) * rng.uniform(0.8, 1.0), 1)
    if cid == "annual_cost":
        return round(float(cells.get("fte", 10)) * rng.uniform(45_000, 120_000), 2)
    if cid == "pay_ceiling" and "pay_floor" in cells:
        return float(cells["pay_floor"]) + rng.randrange(5_000, 40_000, 500)
    if column.personal_data or cid in ("sro", "post_holder_name"):
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if column.type == "text":
        return rng.choice(TEXT)[:60]
    return _answer(column, rng, level)
