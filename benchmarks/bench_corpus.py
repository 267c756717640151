"""The real public corpus (tests/fixtures/samples/): seconds per file, share recognised and
share reconciled with the file's own totals.

Each file is read, recognised, planned and written into one workspace holding every
department (as tests/importers/test_corpus.py does). "Recognised" is read as a known format
rather than by the generic column mapper; "reconciled" is imported with nothing refused
and, where the file has total columns, every body agreeing with them (WMI payroll headcount).

    python benchmarks/bench_corpus.py [--workdir DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from _common import ROOT, Result, base_parser, print_table, workdir
from _common import write_results as write_json

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
# Files that name no department: the department is chosen, as a user would.
CHOSEN = {
    "cma_2020-04_months-as-rows.csv": "Competition and Markets Authority",
    "ons_2024-06_semicolon-blank-organisation.xlsx": "UK Statistics Authority",
}


def _workspace(folder: Path) -> Path:
    from importers.department_match import history
    from models.reference import departments
    from models.store import Store

    path = folder / "corpus.sqlite"
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    names: set[str] = set()
    with Store(path) as store:
        for entry in departments():
            if entry.type.lower() in ("ministerial department", "non-ministerial department"):
                store.add_department(entry.name, entry.abbreviation, entry.govuk_id)
                names.add(entry.name)
        for old in set(history().values()):
            if old.name not in names:
                store.add_department(old.name, old.spellings[0] if old.spellings else "")
                names.add(old.name)
    return path


def _one(store: object, path: Path) -> tuple[float, bool, bool, str]:
    """(seconds, recognised, reconciled, what) for one file."""
    from importers.foreign_plan import (
        Choices,
        WorkspaceFacts,
        apply_foreign,
        plan_foreign,
        read_foreign,
    )
    from importers.source_table import ImportFileError
    from models.questionnaire import current_questionnaire

    questionnaire = current_questionnaire()
    start = time.perf_counter()
    try:
        foreign = read_foreign(path, questionnaire)
    except ImportFileError as exc:
        return time.perf_counter() - start, False, False, f"refused: {exc.message}"
    try:
        choices = Choices(cycle=path.name, tech_filter=False, whole_department=True)
        choices.department = CHOSEN.get(path.name, "")
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, choices, questionnaire)  # type: ignore[arg-type]
        recognised = not plan.recognition.generic
        if plan.report.blocked or not plan.importable:
            why = plan.report.blocked or "nothing importable"
            return time.perf_counter() - start, recognised, False, why[:70]
        report = apply_foreign(store, plan, questionnaire)  # type: ignore[arg-type]
        checks = [r.row.check for r in plan.rows if r.row.check is not None]
        agreed = all(ok for ok, _ in checks)
        what = f"{plan.recognition.layout_id}: {report.imported:,} rows"
        if checks:
            what += f", totals {sum(ok for ok, _ in checks)}/{len(checks)}"
        return time.perf_counter() - start, recognised, recognised and agreed, what
    finally:
        foreign.close()


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    args = parser.parse_args()
    from models.store import Store

    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".md")
    workspace = _workspace(workdir(args))
    print(f"bench_corpus: {len(files)} files from {SAMPLES.relative_to(ROOT)}", flush=True)
    seconds: list[float] = []
    recognised = reconciled = 0
    start = time.perf_counter()
    with Store(workspace) as store:
        for path in files:
            took, known, agreed, what = _one(store, path)
            seconds.append(took)
            recognised += known
            reconciled += agreed
            print(f"  {took:6.3f} s  {path.relative_to(SAMPLES)}  ({what})", flush=True)
    total = time.perf_counter() - start
    share_known, share_agreed = recognised / len(files), reconciled / len(files)
    print(f"  total {total:.2f} s; slowest file {max(seconds):.3f} s")
    print(f"  recognised {recognised}/{len(files)} ({share_known:.0%})")
    print(
        f"  reconciled {reconciled}/{len(files)} ({share_agreed:.0%}; a file whose own total "
        "column disagrees with its rows counts as not reconciled)"
    )
    results = [
        Result(
            f"import the corpus ({len(files)} real files)",
            f"{total:.2f} s",
            "",
            "",
            "every file read right or refused",
            recognised == len(files),
            {"recognised": share_known, "reconciled": share_agreed, "seconds": seconds},
        )
    ]
    write_json(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
