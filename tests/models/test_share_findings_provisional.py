"""A share finding resting on few countable rows says it is provisional (review F19).

'Contractors and consultants make up 100% of the technology workforce by FTE.' rested on
1 of 10 rows (the others had no FTE), while the headline table marked it provisional.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from models.cycle_summary import AuditFigures
from models.findings import key_findings
from models.questionnaire import current_questionnaire
from models.records import Audit
from models.scoring import score_audit
from tests.exporters.test_figures_agree import ROWS

Q = current_questionnaire()
SHARES = {
    "contractor_share_fte": "of the technology workforce by FTE",
    "senior_interim_contractor_share": "of senior technology posts are held by",
    "senior_vacancy_share": "of senior technology posts are vacant",
}


def _findings(rows: dict[str, list[Any]]) -> tuple[AuditFigures, list[str]]:
    audit = Audit("a1", "d1", "Department for Work and Pensions", "2015 review", Q.id, Q.version)
    figures = AuditFigures(audit, Q, score_audit(Q, {}, rows), 50.0, 0)
    return figures, [f.text for f in key_findings(figures, None, {}, limit=20)]


def test_one_counted_row_of_ten_is_provisional() -> None:
    workforce = [{"profession_family": "data", "staff_type": "contractor", "fte": 5.0}] + [
        {"profession_family": "data", "staff_type": "permanent", "headcount": 40}
    ] * 9
    _, said = _findings({"workforce_mix": workforce})
    assert (
        "Contractors and consultants make up 100% of the technology workforce by FTE "
        "(provisional: 1 of 10 answered)." in said
    )


def test_a_share_on_every_row_is_stated_plainly() -> None:
    workforce = [
        {"profession_family": "data", "staff_type": "contractor", "fte": 5.0},
        {"profession_family": "data", "staff_type": "permanent", "fte": 5.0},
    ]
    _, said = _findings({"workforce_mix": workforce})
    assert "Contractors and consultants make up 50% of the technology workforce by FTE." in said


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS)
def test_every_share_finding_says_provisional_exactly_when_its_share_is(
    rows: dict[str, list[Any]],
) -> None:
    figures, said = _findings(rows)
    for key, phrase in SHARES.items():
        covered = figures.score.indicators[key].coverage
        for text in (t for t in said if phrase in t):
            assert covered is not None
            assert ("(provisional: " in text) == covered.provisional, (key, text, covered)
