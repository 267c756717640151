"""Rows routed into one chosen department are left out, with the reason, when the file
names no department but their organisation is (or belongs to) another department of the
workspace: HMRC's staff must not be counted in DWP's audit."""

from __future__ import annotations

import csv
from pathlib import Path

from importers.foreign_plan import Choices, WorkspaceFacts, plan_foreign, read_foreign
from models.questionnaire import Questionnaire
from models.reference import departments
from models.store import Store

DWP_WMI = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "04_wmi_dwp_2025-01.csv"


def test_another_departments_organisations_are_left_out(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    for name in ("Department for Work and Pensions", "HM Revenue & Customs"):
        entry = next(d for d in departments() if d.name == name)
        store.add_department(entry.name, entry.abbreviation, entry.govuk_id)
    with DWP_WMI.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        row[4] = ""  # no department column, as the ONS sample has none
    rows[1][2], rows[2][2] = "HM Revenue & Customs", "Valuation Office Agency"
    path = tmp_path / "wmi_2025-01.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows(rows)
    foreign = read_foreign(path, questionnaire)
    try:
        choices = Choices(cycle="2025", department="DWP", whole_department=True)
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
    finally:
        foreign.close()
    by_body: dict[str, set[str]] = {}
    for item in plan.rows:
        body = str(item.row.source.get("organisation", ""))
        by_body.setdefault(body, set()).add(item.reason)
    hmrc = "for HM Revenue & Customs (organisation {!r}), not Department for Work and Pensions"
    assert by_body["HM Revenue & Customs"] == {hmrc.format("HM Revenue & Customs")}
    assert by_body["Valuation Office Agency"] == {hmrc.format("Valuation Office Agency")}
    assert by_body["The Pensions Regulator"] == {""}  # DWP's own body: imported
    assert {d.department.name for d in plan.targets} == {"Department for Work and Pensions"}
