"""Importing a 100,000-row x 10-column XLSX into an audit, vs python-calamine reading it.

Target (issue 16): at most 2.5x the time python-calamine alone takes to read the same file
in the same run (issue 4 asked 1.5x).

File: a workforce return written by XlsxWriter: role family, staff type, headcount, FTE,
annual cost (as numbers), organisation, unit, grade, department, notes; one header row.

Floor: python_calamine.CalamineWorkbook.from_path, get_sheet_by_name, and every row
turned into Python values (iter_rows), timed from opening to the last row.

App, timed from the path to the committed import, in the order the wizard and the CLI
run them: read_foreign (guards, checksum, recognising the layout), plan_foreign
(normalising every cell, routing, the report) and apply_foreign (one transaction: a new
audit, 100,000 rows, their provenance, and a history entry per row written already sealed
into the hash chain, set-wise: models/bulk_rows.py),
each into a fresh copy of an empty workspace. The import returns once committed (the log
synced); the copy of its pages from the write-ahead log into the file runs after it on a
thread (models/wal_checkpoint.py): how long that still ran is printed on its own. The
stages are also printed on their own, and a second floor shows what the workspace itself
costs: the same rows inserted with one executemany in one transaction, triggers included,
with no reading or normalising.

    python benchmarks/bench_import_xlsx.py [--reps 3] [--rows 100000] [--profile]
"""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from pathlib import Path

from _common import Result, base_parser, median, ms, print_profile, print_table, workdir
from _common import write_results as write_json

from importers.foreign_plan import (
    Choices,
    WorkspaceFacts,
    apply_foreign,
    plan_foreign,
    read_foreign,
)
from models.json_text import dumps
from models.questionnaire import current_questionnaire
from models.store import Store
from models.wal_checkpoint import wait_for_checkpoint

TARGET_RATIO = 2.5
HEADER = [
    "Role family", "Staff type", "Headcount", "FTE", "Annual cost (£)",
    "Organisation", "Unit", "Grade", "Department", "Notes",
]  # fmt: skip
FAMILIES = ["Data", "IT Operations", "Software Development", "Architecture", "Product and Delivery"]
TYPES = ["Permanent", "Contractor", "Consultant", "Fixed-term", "Interim"]


def write_file(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Workforce")
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        sheet.write_row(
            i,
            0,
            [
                FAMILIES[i % 5], TYPES[i % 5], i % 40, (i % 40) * 0.9, 35_000.0 + i,
                f"Agency {i % 7}", f"Unit {i % 50}", "Grade 7", "DWP", "",
            ],
        )  # fmt: skip
    book.close()


def empty_workspace(folder: Path) -> Path:
    path = folder / "empty.sqlite"
    with Store(path) as store:
        store.add_department("Department for Work and Pensions", "DWP")
    return path


def fresh_copy(template: Path, folder: Path) -> Path:
    target = folder / f"ws-{uuid.uuid4().hex[:8]}.sqlite"
    shutil.copy2(template, target)
    return target


def calamine_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    rows = list(book.get_sheet_by_name("Workforce").iter_rows())
    elapsed = time.perf_counter() - start
    assert len(rows) > 1
    book.close()
    return elapsed


def app_import(path: Path, workspace: Path) -> tuple[float, float, float, int, float]:
    """The three stages' seconds, the rows imported, and the seconds closing the store waited
    for the import's WAL checkpoint, which runs on its own thread after the commit."""
    questionnaire = current_questionnaire()
    with Store(workspace) as store:
        start = time.perf_counter()
        foreign = read_foreign(path, questionnaire)
        read = time.perf_counter()
        plan = plan_foreign(WorkspaceFacts.of(store), foreign, Choices(cycle="2025"), questionnaire)
        planned = time.perf_counter()
        report = apply_foreign(store, plan, questionnaire)
        done = time.perf_counter()
        foreign.close()
        wait_for_checkpoint(store)
        closing = time.perf_counter() - done
    return read - start, planned - read, done - planned, report.imported, closing


def store_floor(workspace: Path, rows: int) -> float:
    """The same number of rows written straight into the workspace: triggers, no reading."""
    cells = dumps(
        {"profession_family": "data", "staff_type": "contractor", "headcount": 7, "fte": 6.3}
    )
    with Store(workspace) as store:
        dept = store.departments()[0]
        audit = store.create_audit(dept.id, "floor", current_questionnaire())
        base = uuid.uuid4().int & ~0xFFFFFFFF  # consecutive ids, as the import gives them
        start = time.perf_counter()
        with store.transaction():  # sealed into the history chain on commit, as imports are
            store.conn.executemany(
                "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
                " VALUES (?, ?, 'workforce_mix', ?, ?, '2025-01-01')",
                ((str(uuid.UUID(int=base + i)), audit.id, i, cells) for i in range(rows)),
            )
        return time.perf_counter() - start


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (100,000)")
    parser.add_argument("--profile", action="store_true", help="also profile one import")
    args = parser.parse_args()
    folder = workdir(args)
    print(f"bench_import_xlsx: {args.rows:,} rows x 10 columns", flush=True)
    path = folder / "workforce.xlsx"
    write_file(path, args.rows)
    template = empty_workspace(folder)
    calamine_read(path)  # warm the page cache and the modules
    floors, totals, stages, stores, checkpoints = [], [], [], [], []
    for _ in range(args.reps):
        floors.append(calamine_read(path))
        read, plan, apply, imported, checkpoint = app_import(path, fresh_copy(template, folder))
        assert imported == args.rows, imported
        checkpoints.append(checkpoint)
        totals.append(read + plan + apply)
        stages.append((read, plan, apply))
        stores.append(store_floor(fresh_copy(template, folder), args.rows))
    floor, total = median(floors), median(totals)
    read, plan, apply = (median([s[i] for s in stages]) for i in range(3))
    print(f"  calamine read (floor): {ms(floor)}")
    print(f"  import: {ms(total)} = read {ms(read)} + plan {ms(plan)} + write {ms(apply)}")
    print(
        f"  after it, not in its time: the WAL checkpoint on its own thread ran on for "
        f"{ms(median(checkpoints))}"
    )
    print(
        f"  the workspace's own cost of {args.rows:,} rows (one executemany): {ms(median(stores))}"
    )
    print(f"  ratio import / calamine: {total / floor:.2f}x (target {TARGET_RATIO}x)")
    print(f"  ratio read+plan / calamine: {(read + plan) / floor:.2f}x")
    if args.profile:
        print_profile(lambda: app_import(path, fresh_copy(template, folder)))
    results = [
        Result(
            f"import {args.rows:,}x10 xlsx",
            ms(total),
            ms(floor),
            f"{total / floor:.2f}x",
            f"{TARGET_RATIO}x calamine",
            total / floor <= TARGET_RATIO,
            {
                "read": read,
                "plan": plan,
                "write": apply,
                "store_floor": median(stores),
                "checkpoint_after": median(checkpoints),
            },
        )
    ]
    write_json(args, results)
    if not args.json:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
