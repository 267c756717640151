"""The workforce chart never drops rows silently (F22): it charts the measure most rows give,
and says how many rows it leaves out, in its description and under the report's figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf

from exporters.board_report import write_board_report
from exporters.chart_inputs import describe_workforce, workforce_mix
from models.questionnaire import Questionnaire
from models.store import Store


def row(family: str, staff: str, **figures: float) -> dict[str, Any]:
    return {"profession_family": family, "staff_type": staff, **figures}


def test_headcount_is_charted_when_more_rows_give_it(questionnaire: Questionnaire) -> None:
    rows = [row("data", "contractor", headcount=5, fte=5.0)]
    rows += [row(f, "permanent", headcount=40) for f in ("architecture", "it_operations")]
    mix = workforce_mix(questionnaire, {"workforce_mix": rows})
    assert mix is not None
    assert (mix.measure, mix.left_out, mix.note) == ("headcount", 0, "")
    assert sum(mix.totals.values()) == 85  # 5 contractors and 80 permanent staff
    assert describe_workforce(mix).endswith("(Permanent civil servant 40).")


def test_rows_without_the_measure_are_counted_and_said(questionnaire: Questionnaire) -> None:
    rows = [row("data", "contractor", headcount=5, fte=5.0)]
    rows += [row("architecture", "permanent", fte=10.0), row("it_operations", "permanent")]
    rows.append(row("software_development", "permanent", headcount=3))
    mix = workforce_mix(questionnaire, {"workforce_mix": rows})
    assert mix is not None
    assert (mix.measure, mix.left_out, mix.rows) == ("FTE", 2, 4)
    assert sum(mix.totals.values()) == 15
    assert describe_workforce(mix).endswith(
        "2 of the table's 4 rows have no FTE: they are not charted."
    )
    one = workforce_mix(questionnaire, {"workforce_mix": rows[:3]})
    assert one is not None
    assert one.note == " 1 of the table's 3 rows has no FTE: it is not charted."
    none = workforce_mix(questionnaire, {"workforce_mix": [row("data", "permanent")]})
    assert none is not None and not none.totals
    assert describe_workforce(none) == (
        "No workforce figures recorded. No row of the table has an FTE or a headcount."
    )
    whole = workforce_mix(
        questionnaire, {"workforce_mix": [row("data", "permanent", fte=1.0, headcount=1)]}
    )
    assert whole is not None and (whole.measure, whole.note) == ("FTE", "")


def test_the_board_report_says_what_its_chart_leaves_out(
    tmp_path: Path, store: Store, questionnaire: Questionnaire
) -> None:
    dept = store.add_department("Department for Work and Pensions", "DWP")
    audit = store.create_audit(dept.id, "2015 review", questionnaire)
    store.bulk_rows(
        audit.id,
        "workforce_mix",
        [
            row("data", "contractor", headcount=5, fte=5.0),
            row("architecture", "permanent", fte=10.0),
            row("it_operations", "permanent", headcount=40),
        ],
    )
    out = tmp_path / "dwp.pdf"
    write_board_report(store, audit.id, out)
    text = " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(out).pages).split())
    assert "1 of the table's 3 rows has no FTE: it is not charted." in text
