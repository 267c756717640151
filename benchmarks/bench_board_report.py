"""A board report whose appendix holds 20,000 senior role rows, vs one reportlab LongTable.

Target (issue): at least 5x faster than the same content laid out as one reportlab
`LongTable` in the same run.

App: exporters.board_report.write_board_report(store, audit_id, path) on the latest audit
of a demo department with --roles senior role rows (20,000) and a prior audit, timed from
the call until the PDF is in place: reading and scoring, charts, section detail, and every
appendix (the roles appendix is exporters/pdf_tables.RowsTable).

Floor: the same report, gathered the same way, with each appendix table replaced by one
`LongTable` of the same cell texts as `Paragraph`s (so they wrap as the app's do), the same
column widths, a repeated header row and zebra shading: the obvious way to write it.
Timed from gathering the data to the PDF saved.

Each timing runs in this process after one untimed warm-up of the app (fonts registered,
modules imported). Medians of --reps for the app; the floor, much slower, runs --floor-reps
times.

    python benchmarks/bench_board_report.py [--reps 3] [--floor-reps 1] [--roles 20000] [--profile]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from _common import (
    Result,
    base_parser,
    demo_workspace,
    median,
    print_profile,
    print_table,
    workdir,
    write_results,
)

TARGET = 5.0


def app_report(db: Path, out: Path) -> tuple[float, int]:
    from exporters.board_report import write_board_report
    from models.store import Store

    with Store(db) as store:
        audit_id = store.audits()[-1].id
        start = time.perf_counter()
        result = write_board_report(store, audit_id, out)
        return time.perf_counter() - start, result.pages


def floor_report(db: Path, out: Path) -> tuple[float, int]:
    """The same report with every RowsTable laid out as one LongTable of Paragraphs."""
    from reportlab.platypus import LongTable, Paragraph, TableStyle

    from exporters.board_report import gather
    from exporters.board_report_pages import board_story
    from exporters.pdf_document import (
        ACCENT,
        SHADE,
        PageFurniture,
        ReportDocument,
        make_styles,
        safe,
    )
    from exporters.pdf_tables import RowsTable
    from exporters.report_options import ReportOptions
    from models.store import Store

    styles = make_styles()
    cell = styles.cell.clone("bench_cell", fontSize=7.5, leading=7.5 * 1.3)
    head = styles.cell_head.clone("bench_head", fontSize=7.5, leading=7.5 * 1.3)
    with Store(db) as store:
        audit_id = store.audits()[-1].id
        start = time.perf_counter()
        data = gather(store, audit_id, ReportOptions())
        story: list[Any] = []
        for flowable in board_story(data):
            if isinstance(flowable, RowsTable):
                laid = flowable.laid
                rows = [[Paragraph(safe(c.label), head) for c in laid.columns]]
                rows += [[Paragraph(safe(t), cell) for t in row] for row in laid.rows]
                table = LongTable(rows, colWidths=laid.widths, repeatRows=1)
                table.setStyle(
                    TableStyle(
                        [
                            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ]
                        + [("BACKGROUND", (0, r), (-1, r), SHADE) for r in range(2, len(rows), 2)]
                    )
                )
                flowable = table
            story.append(flowable)
        audit = data.figures.audit
        doc = ReportDocument(
            out,
            PageFurniture("OFFICIAL", f"{audit.cycle} · Board report", data.issued),
            title="Floor",
            subject="Floor",
            author="Floor",
        )
        pages = doc.build_story(story)
        return time.perf_counter() - start, pages


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--floor-reps", type=int, default=1)
    parser.add_argument("--roles", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one app run")
    args = parser.parse_args()
    folder = workdir(args)
    db = demo_workspace(folder, departments=1, cycles=2, roles=args.roles, workforce=60)
    out = folder / "board-report.pdf"

    app_report(db, out)  # warm-up: fonts, imports, page cache
    app_times, app_pages = [], 0
    for _ in range(args.reps):
        seconds, app_pages = app_report(db, out)
        app_times.append(seconds)
        print(f"  app:   {seconds:6.2f} s  ({app_pages} pages)", flush=True)
    floor_times, floor_pages = [], 0
    for _ in range(args.floor_reps):
        seconds, floor_pages = floor_report(db, folder / "board-report-floor.pdf")
        floor_times.append(seconds)
        print(f"  floor: {seconds:6.2f} s  ({floor_pages} pages, one LongTable)", flush=True)
    app, floor = median(app_times), median(floor_times)
    speedup = floor / app
    print(
        f"\nBoard report, {args.roles:,} role rows: app {app:.2f} s, "
        f"LongTable floor {floor:.2f} s: {speedup:.1f}x faster (target at least {TARGET:g}x)"
    )
    if args.profile:
        print_profile(lambda: app_report(db, out))
    results = [
        Result(
            f"board report ({args.roles:,} role rows)",
            f"{app:.2f} s",
            f"{floor:.2f} s",
            f"{speedup:.1f}x faster",
            f">= {TARGET:g}x faster",
            speedup >= TARGET,
            {"app_pages": app_pages, "floor_pages": floor_pages},
        )
    ]
    print_table(results)
    write_results(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
