"""`main.py import FILE` on foreign files: the report, exit codes, and a workspace left alone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from importers.department_match import DepartmentMatcher
from models.cycle_summary import audit_figures
from models.foreign_imports import imports_of, save_mapping
from models.questionnaire import current_questionnaire, get_questionnaire
from models.reference import departments
from models.store import Store
from tests.importers import bad_files
from tests.importers import foreign_files as F


def _workspace(folder: Path, *names: str) -> Path:
    path = folder / "ws.sqlite"
    with Store(path) as store:
        for name in names:
            entry = next(d for d in departments() if d.name == name)
            store.add_department(entry.name, entry.abbreviation, entry.govuk_id)
    return path


def _digest(path: Path) -> str:
    with Store(path) as store:  # the content, not the file: opening may checkpoint the WAL
        rows = store.conn.execute(
            "SELECT group_concat(x, '|') FROM (SELECT id || cells AS x FROM table_rows"
            " UNION ALL SELECT id || cycle FROM audits UNION ALL SELECT seq || coalesce(hash, '')"
            " FROM history ORDER BY 1)"
        ).fetchone()[0]
    return hashlib.sha256((rows or "").encode()).hexdigest()


def test_import_prints_the_report_and_writes(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    code = cli_main(
        ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025", "--whole-department"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Imported 20 rows from 04_wmi_dwp_2025-01.csv into 1 audit" in out
    assert "Department for Work and Pensions, 2025: 20 rows" in out
    with Store(db) as store:
        audit = store.audits()[0]
        assert [r.rows_imported for r in imports_of(store, audit.id)] == [20]


def test_dry_run_writes_nothing(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    before = _digest(db)
    code = cli_main(
        [
            "import",
            str(F.DWP_WMI_CSV),
            "--db",
            str(db),
            "--cycle",
            "2025",
            "--whole-department",
            "--dry-run",
        ]
    )
    assert code == 0
    assert "Would import 20 rows" in capsys.readouterr().out
    assert _digest(db) == before


def test_nothing_importable_exits_non_zero(tmp_path, capsys):
    db = _workspace(tmp_path, "Cabinet Office")  # the file is all DWP bodies
    code = cli_main(
        ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025", "--whole-department"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "Nothing could be imported" in captured.err
    assert "is not in this workspace" in captured.out  # every row's reason is listed


def test_department_option_keeps_only_that_departments_rows(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions", "Home Office")
    report = tmp_path / "report.csv"
    code = cli_main(
        [
            "import", str(F.gmpp_xlsx(tmp_path)), "--db", str(db), "--cycle", "2013",
            "--department", "HO", "--report", str(report),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Home Office, 2013: 1 row" in out
    assert "for Department for Work and Pensions, not Home Office" in out
    assert "for Department for Work and Pensions, not Home Office" in report.read_text("utf-8-sig")


def test_repeat_needs_a_choice_and_replace_does_not_double(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    args = ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025", "--whole-department"]
    assert cli_main(args) == 0
    assert cli_main(args) == 1
    assert "imported into Department for Work and Pensions (2025) before" in capsys.readouterr().err
    assert cli_main([*args, "--on-repeat", "replace"]) == 0
    with Store(db) as store:
        assert store.row_counts(store.audits()[0].id) == {"department_workforce": 20}


def _empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _truncated(folder: Path) -> Path:
    whole = bad_files.xlsx(folder / "whole.xlsx", [["Supplier", "Value"], ["Acme", 100]] * 50)
    return bad_files.truncated(folder / "cut.xlsx", whole)


@pytest.mark.parametrize(
    "build",
    [
        _empty,
        lambda folder: bad_files.random_bytes(folder / "noise.xlsx"),
        lambda folder: bad_files.random_bytes(folder / "noise.csv"),
        lambda folder: bad_files.text_named(folder / "text.xlsx"),
        _truncated,
        lambda folder: bad_files.entity_bomb_xlsx(folder / "bomb.xlsx"),
        lambda folder: bad_files.ratio_bomb_xlsx(folder / "zipbomb.xlsx"),
        lambda folder: bad_files.encrypted_workbook(folder / "locked.xlsx"),
        lambda folder: bad_files.million_row_csv(folder / "million.csv"),
    ],
    ids=[
        "empty",
        "noise-xlsx",
        "noise-csv",
        "text-xlsx",
        "truncated",
        "entity-bomb",
        "zip-bomb",
        "password",
        "million-rows",
    ],
)
def test_bad_files_are_refused_by_name_and_change_nothing(tmp_path, capsys, build):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    before = _digest(db)
    bad = build(tmp_path)
    code = cli_main(["import", str(bad), "--db", str(db), "--cycle", "2025"])
    err = capsys.readouterr().err
    assert code == 2
    assert bad.name in err
    assert _digest(db) == before


def test_saved_mapping_is_used_by_name(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    source = F.generic_roles_csv(tmp_path)
    from importers.foreign_plan import read_foreign
    from models.questionnaire import current_questionnaire

    foreign = read_foreign(source, current_questionnaire())
    recognition = foreign.recognitions[0]
    foreign.close()
    mapping = recognition.mapping
    mapping.columns["job_title"] = None  # the user's saved mapping leaves the title out
    with Store(db) as store:
        from importers.column_mapping import header_signature

        save_mapping(store, "roles 2013", header_signature(recognition.header), mapping.target,
                     mapping.to_json())  # fmt: skip
    args = ["import", str(source), "--db", str(db), "--cycle", "2013", "--department", "DWP"]
    assert cli_main([*args, "--mapping", "roles 2013"]) == 0
    with Store(db) as store:
        rows = store.rows(store.audits()[0].id, mapping.target)
        assert rows and all("job_title" not in r.cells for r in rows)
    assert cli_main([*args, "--mapping", "no such"]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DWP", "Department for Work and Pensions"),
        ("Department for Work & Pensions", "Department for Work and Pensions"),
        ("HO", "Home Office"),
        ("home office", "Home Office"),
        ("HM Revenue and Customs", "HM Revenue & Customs"),
        ("Health and Safety Executive", "Department for Work and Pensions"),  # its parent
        ("HM Revenue and Customs (HMRC)", "HM Revenue & Customs"),
        ("DWP (excl. agencies)", "Department for Work and Pensions"),
        ("DSA", None),  # two bodies use it: no guess
        ("MOD", None),  # not in this workspace
        ("Ministry of Magic", None),
    ],
)
def test_department_text_matches_names_abbreviations_and_parents(text, expected):
    workspace = []
    for index, name in enumerate(
        ("Department for Work and Pensions", "Home Office", "HM Revenue & Customs")
    ):
        entry = next(d for d in departments() if d.name == name)
        from models.records import Department

        workspace.append(Department(str(index), entry.name, entry.abbreviation, entry.govuk_id, ""))
    found = DepartmentMatcher(workspace).match(text)
    assert (found.name if found else None) == expected


def test_thousands_of_unrecognisable_headers_are_refused_within_seconds(tmp_path, capsys):
    import time

    db = _workspace(tmp_path, "Department for Work and Pensions")
    wide = bad_files.wide_xlsx(tmp_path / "wide.xlsx")  # 16,384 columns
    start = time.perf_counter()
    code = cli_main(["import", str(wide), "--db", str(db), "--cycle", "2025"])
    assert time.perf_counter() - start < 15
    assert code == 1
    assert "none of the 16,384 column headers in wide.xlsx matches" in capsys.readouterr().err


def test_a_file_with_only_headers_says_so(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    path = tmp_path / "headers.csv"
    path.write_text("Post ref,Job title,Grade,Department,FTE\n", encoding="utf-8")
    assert cli_main(["import", str(path), "--db", str(db), "--cycle", "2025"]) == 2
    err = capsys.readouterr().err
    assert "headers.csv: has column names (Post ref, Job title, Grade, Department, …)" in err
    assert "no rows of data" in err


def test_duplicate_headers_are_named_in_the_report(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions")
    path = tmp_path / "dup.csv"
    path.write_text(
        "Post ref,Job title,Grade,Job title,Department\nP1,CTO,SCS2,Chief Technology Officer,DWP\n",
        encoding="utf-8",
    )
    args = ["import", str(path), "--db", str(db), "--cycle", "2025", "--dry-run"]
    assert cli_main(args) == 1  # the mapper cannot tell B from D: refused, not guessed
    captured = capsys.readouterr()
    assert "columns B and D are both headed 'Job title': column B is read" in captured.out
    assert "Refused: columns B, D are all headed 'Job title'" in captured.out
    assert "Nothing was imported" in captured.err


def _v1_audit(db: Path, name: str, cycle: str) -> str:
    """An audit on questionnaire version 1, which has no department-wide workforce table."""
    with Store(db) as store:
        dept = next(d for d in store.departments() if d.name == name)
        v1 = get_questionnaire("board-technology-baseline", 1)
        return store.create_audit(dept.id, cycle, v1).id


def test_whole_department_figures_need_confirming(tmp_path, capsys):
    """WMI counts every member of staff: into a version 1 audit's technology table only
    when confirmed."""
    db = _workspace(tmp_path, "Department for Work and Pensions")
    audit_id = _v1_audit(db, "Department for Work and Pensions", "2025")
    before = _digest(db)
    args = ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025"]
    assert cli_main(args) == 1
    captured = capsys.readouterr()
    assert "these figures are for whole departments, not their technology staff" in captured.err
    assert "--whole-department" in captured.err
    assert "Whole-department figures (NOT confirmed)" in captured.out
    assert _digest(db) == before  # nothing written
    assert cli_main([*args, "--whole-department"]) == 0
    out = capsys.readouterr().out
    assert "Whole-department figures (confirmed)" in out
    assert "imported as whole-department figures, as confirmed" in out
    assert "Checked against the file's own totals: 4 of 4 rows agree" in out
    with Store(db) as store:
        assert store.row_counts(audit_id) == {"workforce_mix": 20}


def test_whole_department_figures_go_to_their_own_table_in_version_2(tmp_path, capsys):
    """A new audit is on version 2: WMI fills the department-wide table, nothing to confirm,
    and the technology workforce (and its contractor share) is left as it was."""
    db = _workspace(tmp_path, "Department for Work and Pensions")
    with Store(db) as store:
        dept = store.departments()[0]
        audit = store.create_audit(dept.id, "2025", current_questionnaire())
        mix = [
            {"profession_family": "data", "staff_type": "contractor", "fte": 82.0},
            {"profession_family": "data", "staff_type": "permanent", "fte": 18.0},
        ]
        store.bulk_rows(audit.id, "workforce_mix", mix)
    args = ["import", str(F.DWP_WMI_CSV), "--db", str(db), "--cycle", "2025"]
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert "Whole-department figures" not in out
    with Store(db) as store:
        assert store.row_counts(audit.id) == {"workforce_mix": 2, "department_workforce": 20}
        figures = audit_figures(store, audit.id).score.indicators
    assert figures["contractor_share_fte"].value == 82.0  # not 3.5: technology left alone
    # DWP's own row: contingent 818 of 92,799 payroll + 818 by headcount; by FTE, as filed.
    assert figures["department_contractor_share_fte"].value is not None
    assert figures["department_contractor_share_fte"].value < 5
    gap = figures["contractor_share_gap_fte"].value
    assert gap == 82.0 - round(figures["department_contractor_share_fte"].value)  # as printed


def test_a_macro_enabled_workbook_imports_like_any_other(tmp_path, capsys):
    db = _workspace(tmp_path, "Department for Work and Pensions", "Home Office")
    xlsm = F.gmpp_xlsx(tmp_path).rename(tmp_path / "gmpp-2013.xlsm")
    assert cli_main(["import", str(xlsm), "--db", str(db), "--cycle", "2013"]) == 0
    assert "Imported 3 rows from gmpp-2013.xlsm into 2 audits" in capsys.readouterr().out


def test_a_renamed_staff_group_is_refused_naming_the_column(tmp_path, capsys):
    """A WMI return whose staff group is not one WMI has used: nothing half-read."""
    db = _workspace(tmp_path, "Department for Work and Pensions")
    before = _digest(db)
    renamed = tmp_path / "wmi-renamed.csv"
    renamed.write_bytes(F.DWP_WMI_CSV.read_bytes().replace(b"Admin and Clerical", b"Gig workers"))
    args = ["import", str(renamed), "--db", str(db), "--cycle", "2025", "--whole-department"]
    assert cli_main(args) == 1
    captured = capsys.readouterr()
    assert "Refused: column T 'Non-payroll staff; Gig workers; Headcount'" in captured.out
    assert "staff group 'Gig workers' is not one WMI has used" in captured.out
    assert "Nothing was imported" in captured.err
    assert _digest(db) == before
