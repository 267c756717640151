"""A department's history across its renames (issue 16: "trends across a rename"): trends,
the prior audit and copy forward follow one-to-one renames, never mergers or splits."""

from __future__ import annotations

from pathlib import Path

from models.cycle_summary import department_audits, prior_audit
from models.department_lineage import lineage, renamed_from
from models.department_trends import department_trends
from models.questionnaire import current_questionnaire
from models.store import Store

DCLG = "Department for Communities and Local Government"
MHCLG = "Ministry of Housing, Communities & Local Government"
DLUHC = "Department for Levelling Up, Housing and Communities"


def _store(tmp_path: Path, *names: str) -> tuple[Store, dict[str, str]]:
    store = Store(tmp_path / "w.sqlite")
    return store, {name: store.add_department(name).id for name in names}


def test_dclg_2014_is_the_earlier_audit_of_mhclg_2019(tmp_path: Path) -> None:
    """Hand-worked: before, MHCLG's 2019 review had no earlier audit, its trends one cycle,
    and copy forward refused ('has no audit to copy forward from')."""
    store, ids = _store(tmp_path, DCLG, MHCLG)
    form = current_questionnaire()
    old = store.create_audit(ids[DCLG], "2014 review", form)
    store.set_answer(old.id, "board_tech_expert_count", 1)
    assert store.latest_audit(ids[MHCLG]) == store.audit(old.id)
    new = store.copy_forward(old.id, "2019 review", form, department_id=ids[MHCLG])
    assert new.department_id == ids[MHCLG]
    assert store.answers(new.id)["board_tech_expert_count"] == 1
    assert prior_audit(store, new.id) == store.audit(old.id)
    trends = department_trends(store, ids[MHCLG])
    assert [(f.audit.cycle, f.audit.department_name) for f in trends.history] == [
        ("2014 review", DCLG),  # the earlier audit shows its own department's name
        ("2019 review", MHCLG),
    ]
    # DCLG's own history does not take on its successor's audits.
    assert [a.cycle for a in department_audits(store, ids[DCLG])] == ["2014 review"]
    store.close()


def test_a_merger_is_not_followed(tmp_path: Path) -> None:
    """FCO and DFID merged into FCDO on one day: neither's audit is FCDO's earlier one."""
    store, ids = _store(
        tmp_path,
        "Foreign & Commonwealth Office",
        "Department for International Development",
        "Foreign, Commonwealth & Development Office",
    )
    form = current_questionnaire()
    store.create_audit(ids["Foreign & Commonwealth Office"], "2015 review", form)
    store.create_audit(ids["Department for International Development"], "2016 review", form)
    fcdo = store.create_audit(
        ids["Foreign, Commonwealth & Development Office"], "2021 review", form
    )
    assert prior_audit(store, fcdo.id) is None
    assert store.latest_audit(ids["Foreign, Commonwealth & Development Office"]) == fcdo
    assert renamed_from("Foreign, Commonwealth & Development Office") == []
    assert renamed_from("Department for Business, Energy & Industrial Strategy") == []  # BIS+DECC
    store.close()


def test_the_mhclg_dluhc_mhclg_loop_ends_and_a_cycle_is_never_two_departments(
    tmp_path: Path,
) -> None:
    store, ids = _store(tmp_path, DCLG, MHCLG, DLUHC)
    form = current_questionnaire()
    store.create_audit(ids[DCLG], "2014 review", form)
    store.create_audit(ids[DCLG], "2019 review", form)  # DCLG's own, entered under the old name
    mhclg_2019 = store.create_audit(ids[MHCLG], "2019 review", form)
    store.create_audit(ids[DLUHC], "2022 review", form)
    mhclg_2025 = store.create_audit(ids[MHCLG], "2025 review", form)
    assert {d.name for d in lineage(store, ids[MHCLG])} == {MHCLG, DLUHC, DCLG}
    audits = department_audits(store, ids[MHCLG])
    assert [(a.cycle, a.department_name) for a in audits] == [
        ("2014 review", DCLG),
        ("2019 review", MHCLG),  # its own, not DCLG's of the same cycle
        ("2022 review", DLUHC),
        ("2025 review", MHCLG),
    ]
    assert prior_audit(store, mhclg_2025.id).department_name == DLUHC  # type: ignore[union-attr]
    assert prior_audit(store, mhclg_2019.id).department_name == DCLG  # type: ignore[union-attr]
    store.close()
