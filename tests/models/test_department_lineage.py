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


def test_reports_name_the_former_department_of_the_earlier_audit(tmp_path: Path) -> None:
    """MHCLG's 2019 board report compares with DCLG's 2014 review: it says so, '2014 review
    (as DCLG)', in the summary, the headline table and the trend chart, never as if MHCLG
    had been audited in 2014; an audit of the department's own name is its cycle alone."""
    import pypdf

    from exporters.board_report import write_board_report
    from exporters.chart_inputs import contractor_share_series
    from models.cycle_summary import department_history
    from models.department_lineage import cycle_as_named

    store, ids = _store(tmp_path, DCLG, MHCLG)
    form = current_questionnaire()
    old = store.create_audit(ids[DCLG], "2014 review", form)
    new = store.create_audit(ids[MHCLG], "2019 review", form)
    for audit_id in (old.id, new.id):
        store.set_answer(audit_id, "board_tech_expert_count", 1)
    assert cycle_as_named(store.audit(old.id), ids[MHCLG]) == "2014 review (as DCLG)"
    assert cycle_as_named(store.audit(new.id), ids[MHCLG]) == "2019 review"
    categories, _ = contractor_share_series(department_history(store, new.id))
    assert categories == ["2014 review (as DCLG)", "2019 review"]
    path = write_board_report(store, new.id, tmp_path / "r.pdf").path
    text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(path).pages)
    text = " ".join(text.split())
    assert "Change since 2014 review (as DCLG)" in text
    assert "Change since 2014 review Change" not in text
    store.close()
