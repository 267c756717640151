"""Demo rows for the whole department's workforce (questionnaire version 2), as a monthly
workforce management information return gives them: payroll staff by grade group, then
contingent labour, per body and month, every row passing the table's data-quality rules."""

from __future__ import annotations

import random
from typing import Any

# Share of payroll headcount in each grade group, and a monthly cost per FTE in pounds.
GRADE_MIX = (
    ("ao_aa", 0.38, 1_900.0),
    ("eo", 0.27, 2_400.0),
    ("seo_heo", 0.21, 3_300.0),
    ("grade_6_7", 0.12, 4_900.0),
    ("scs", 0.02, 8_600.0),
)
# Contingent labour as a share of payroll headcount (at a middling level), and monthly cost.
CONTINGENT = (
    ("agency", 0.030, 2_600.0),
    ("interim", 0.002, 12_000.0),
    ("contractor", 0.012, 10_500.0),
    ("consultant", 0.003, 15_000.0),
    ("other_contingent", 0.004, 3_500.0),
)


def department_rows(
    rng: random.Random, body: str, year: int, level: float, n: int
) -> list[dict[str, Any]]:
    """n rows for `body`: March of `year` first, then earlier months, one row per staff
    group and grade group each month (so no two rows are the same combination)."""
    payroll = rng.randrange(2_000, 85_000, 10)
    groups: list[tuple[str, str, float, float]] = [
        ("payroll", grade, share, rate) for grade, share, rate in GRADE_MIX
    ]
    lean = 1.6 - level  # weaker departments lean more on contingent labour
    groups += [(kind, "all_grades", share * lean, rate) for kind, share, rate in CONTINGENT]
    rows: list[dict[str, Any]] = []
    back = 0  # months before March of `year`
    while len(rows) < n:
        y, m = divmod(year * 12 + 2 - back, 12)
        drift = rng.uniform(0.97, 1.03)  # months differ a little
        for staff_group, grade, share, rate in groups:
            if len(rows) == n:
                break
            headcount = max(1, round(payroll * share * drift * rng.uniform(0.9, 1.1)))
            fte = round(headcount * rng.uniform(0.86, 0.98), 1)
            rows.append(
                {
                    "body": body,
                    "month": f"{y}-{m + 1:02d}",
                    "staff_group": staff_group,
                    "grade_group": grade,
                    "headcount": headcount,
                    "fte": fte,
                    "cost": round(fte * rate * rng.uniform(0.95, 1.05), 2),
                }
            )
        back += 1
    return rows
