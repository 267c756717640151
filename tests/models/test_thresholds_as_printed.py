"""A share's threshold holds for the share as printed: two departments both shown '20%' get the
same key finding and the same recommendation (19.6 was below 20, 20.0 was not)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.formatting import format_share
from models.questionnaire import Questionnaire, current_questionnaire
from models.recommendations import recommend
from models.scoring import score_audit
from models.store import Store
from tests.models.test_findings import about, findings_for, make_audit, staff

FORM = current_questionnaire()


def test_a_share_printed_20_percent_is_at_least_20_percent(
    store: Store, questionnaire: Questionnaire
) -> None:
    """196 of 1,000 FTE contractors is 19.6%, printed '20%': the finding and the
    recommendation the questionnaire sets at 20% hold, with the figure printed."""
    audit_id = make_audit(store, questionnaire, workforce=staff(804.0, 196.0))
    assert about(findings_for(store, audit_id), "Contractors and consultants") == [
        "Contractors and consultants make up 20% of the technology workforce by FTE."
    ]
    score = score_audit(questionnaire, {}, {"workforce_mix": staff(804.0, 196.0)})
    fired = {r.id: r for r in recommend(questionnaire, {}, score)}
    assert [e.value for e in fired["build_in_house_capability"].evidence] == ["20%"]


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 1000, allow_nan=False))
def test_the_rule_fires_exactly_when_the_printed_share_reaches_it(contractor: float) -> None:
    score = score_audit(FORM, {}, {"workforce_mix": staff(1000.0 - contractor, contractor)})
    share = score.indicators["contractor_share_fte"].value
    fired = {r.id for r in recommend(FORM, {}, score)}
    if share is None:
        assert "build_in_house_capability" not in fired
        return
    printed = format_share(share)
    reaches = (printed not in ("<1%", ">99%") and int(printed[:-1]) >= 20) or printed == ">99%"
    assert ("build_in_house_capability" in fired) is reaches, printed
