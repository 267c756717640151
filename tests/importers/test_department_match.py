"""Departments as they were called: historic names, spellings, successions, own columns."""

from __future__ import annotations

import pytest

from importers.department_match import DepartmentMatcher, history, key
from models.records import Department


def _dept(name: str, abbreviation: str = "", govuk_id: str = "") -> Department:
    return Department(id=key(name).replace(" ", "-"), name=name, abbreviation=abbreviation,
                      govuk_id=govuk_id)  # fmt: skip


HMRC = _dept("HM Revenue & Customs", "HMRC", "hm-revenue-customs")
DH = _dept("Department of Health", "DH", "department-of-health")
MHCLG = _dept("Ministry of Housing, Communities & Local Government", "MHCLG")
DBT = _dept("Department for Business and Trade", "DBT")
DFE = _dept("Department for Education", "DfE", "department-for-education")
BEIS = _dept("Department for Business, Energy & Industrial Strategy", "BEIS")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her Majesty's Revenue and Customs", HMRC),  # 353 organogram rows were dropped
        ("Her Majesty’s Revenue & Customs", HMRC),
        ("HM Revenue and Customs", HMRC),
        ("HMRC", HMRC),
        ("DOH", DH),
        ("DoH", DH),
        ("Department of Health", DH),
    ],
)
def test_historic_spellings_and_abbreviations(text: str, expected: Department) -> None:
    assert DepartmentMatcher([HMRC, DH, DFE]).match(text) == expected


def test_a_rename_is_followed_to_the_department_now_and_said() -> None:
    matcher = DepartmentMatcher([MHCLG])
    assert matcher.match("Department for Communities & Local Government") == MHCLG
    assert matcher.match("DCLG") == MHCLG
    route = matcher.routes["DCLG"]
    assert "Department for Communities and Local Government became Ministry of Housing" in route
    assert "2018-01-08" in route


def test_a_department_split_in_three_is_never_moved_to_one_of_them() -> None:
    """BEIS became DBT, DSIT and DESNZ: a BEIS row is not DBT's."""
    assert DepartmentMatcher([DBT]).match("BEIS") is None
    assert DepartmentMatcher([DBT]).match("Department for International Trade") == DBT


def test_merger_followed_from_either_side() -> None:
    beis = DepartmentMatcher([BEIS])
    assert beis.match("DECC") == BEIS
    assert beis.match("Department for Business, Innovation & Skills") == BEIS


def test_a_rows_own_department_beats_the_reference_lists_parent() -> None:
    """Ofsted and Ofqual are departments in their own right; GOV.UK lists DfE as parent."""
    matcher = DepartmentMatcher([DFE])
    assert (
        matcher.match("Office for Standards in Education, Children's Services and Skills") is None
    )
    assert matcher.match("Ofqual") is None
    # A body that is not a department still goes to its parent.
    assert matcher.match("Education Funding Agency") == DFE


def test_every_history_entry_names_a_source_and_successors_exist() -> None:
    entries = set(history().values())
    assert len(entries) >= 30
    names = {e.name for e in entries}
    for entry in entries:
        assert entry.source, entry.name
        assert not entry.successor or entry.successor in names, entry.successor
        assert not entry.end or len(entry.end) == 10


def test_an_organogram_naming_her_majestys_revenue_and_customs_goes_to_hmrc(
    tmp_path, store, questionnaire
) -> None:
    """An organogram spelling the department out in full: every post is routed, none dropped."""
    from importers.foreign_plan import Choices, WorkspaceFacts, plan_foreign, read_foreign
    from tests.importers.foreign_files import SAMPLES

    source = (
        SAMPLES / "organograms" / "department_for_international_development-2013-09-30-senior.csv"
    )
    path = tmp_path / "hmrc-senior.csv"
    path.write_bytes(
        source.read_bytes().replace(
            b"Department for International Development", b"Her Majesty's Revenue and Customs"
        )
    )
    store.add_department("HM Revenue & Customs", "HMRC", "hm-revenue-customs")
    foreign = read_foreign(path, questionnaire)
    try:
        choices = Choices(cycle="2013", tech_filter=False)
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)
    finally:
        foreign.close()
    reasons = {r.reason for r in plan.rows if not r.imported}
    assert reasons <= {"post eliminated"}, reasons
    assert plan.importable > 50
    assert {t.department.name for t in plan.targets} == {"HM Revenue & Customs"}


DCLG = _dept("Department for Communities and Local Government", "DCLG")
DLUHC = _dept("Department for Levelling Up, Housing and Communities", "DLUHC")
DIT = _dept("Department for International Trade", "DIT")


@pytest.mark.parametrize(
    ("text", "as_of", "expected"),
    [
        ("Department for Communities and Local Government", "2012-02", DCLG),
        ("Department for Communities and Local Government", "2019-03", MHCLG),
        ("Department for Communities and Local Government", "2023-05", DLUHC),
        ("Ministry of Housing Communities and Local Government", "2023-05", DLUHC),
        ("Ministry of Housing, Communities & Local Government", "2025-01", MHCLG),  # again
        ("DLUHC", "2025-01", MHCLG),
        ("DLUHC", "2022-06", DLUHC),
        ("DCLG", "", DCLG),  # no date: as the row names it
        ("BEIS", "2024-01", BEIS),  # split in three: never moved to one of them
        ("Department for International Trade", "2023-06", DBT),
        ("Department for International Trade", "2022-06", DIT),
    ],
)
def test_a_name_gone_by_the_rows_month_is_read_as_what_it_had_become(
    text: str, as_of: str, expected: Department
) -> None:
    """A workspace holding each name of a department over the years (audits of 2012, 2019,
    2023): a row is routed to the department as it was called in the row's month."""
    matcher = DepartmentMatcher([DCLG, MHCLG, DLUHC, BEIS, DBT, DIT])
    assert matcher.match(text, as_of) == expected
    if expected.name != text and expected.abbreviation != text and as_of:
        assert any(as_of in route for route in matcher.routes.values())


def test_a_may_2023_dluhc_return_with_stale_names_goes_to_one_audit(store, questionnaire) -> None:
    """The real DLUHC May 2023 file names DLUHC on one row, DCLG on six and MHCLG on one: in a
    workspace holding all three names, every row is DLUHC's, and the report says why."""
    from importers.foreign_plan import Choices, WorkspaceFacts, plan_foreign, read_foreign
    from tests.importers.foreign_files import SAMPLES

    for name, abbreviation in ((DCLG.name, "DCLG"), (MHCLG.name, "MHCLG"), (DLUHC.name, "")):
        store.add_department(name, abbreviation)
    path = SAMPLES / "wmi" / "dluhc_2023-05_stacked3-year-month-cols.csv"
    foreign = read_foreign(path, questionnaire)
    try:
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, Choices(cycle="2023"), questionnaire)
        chosen = Choices(cycle="2023", department=DLUHC.name)
        only = plan_foreign(WorkspaceFacts.of(store), foreign, chosen, questionnaire)
    finally:
        foreign.close()
    assert {t.department.name for t in plan.targets} == {DLUHC.name}
    assert len({r.row.source.get("organisation") for r in plan.rows if r.imported}) == 8
    assert any("in 2023-05 read as Department for Levelling Up" in n for n in plan.report.notes)
    assert only.importable == plan.importable  # --department DLUHC leaves none out
