"""The board report of the demo audit as Word (.docx), vs the PDF of the same audit.

Target (issue 21): the Word report takes at most 3x as long as the PDF.

App: exporters.board_report.write_board_report(store, audit_id, "….docx") on the latest
audit of the demo workspace (`python main.py demo`: 6 departments, 2 cycles, the default
rows), timed from the call until the file is in place: reading and scoring, the content
model, the charts drawn as PNG, every table and appendix.

Floor: the same call writing the PDF ("….pdf"): the same gathering and content model, laid
out by reportlab. Both run in this process after one untimed warm-up of each (fonts,
imports); medians of --reps.

    python benchmarks/bench_docx.py [--reps 5] [--roles 12] [--profile]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

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

TARGET = 3.0


def write(db: Path, out: Path) -> float:
    from exporters.board_report import write_board_report
    from models.store import Store

    with Store(db) as store:
        audit_id = store.audits()[-1].id
        start = time.perf_counter()
        write_board_report(store, audit_id, out)
        return time.perf_counter() - start


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--roles", type=int, default=12, help="senior role rows per audit")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one .docx")
    args = parser.parse_args()
    folder = workdir(args)
    db = demo_workspace(folder, departments=6, cycles=2, roles=args.roles, workforce=24)
    docx, pdf = folder / "board-report.docx", folder / "board-report.pdf"

    write(db, docx)  # warm-ups: imports, fonts, the PNG renderer's font cache
    write(db, pdf)
    docx_times, pdf_times = [], []
    for _ in range(args.reps):
        docx_times.append(write(db, docx))
        pdf_times.append(write(db, pdf))
        print(f"  docx: {docx_times[-1]:6.3f} s   pdf: {pdf_times[-1]:6.3f} s", flush=True)
    app, floor = median(docx_times), median(pdf_times)
    ratio = app / floor
    print(
        f"\nBoard report of the demo audit: Word {app:.3f} s, PDF {floor:.3f} s: "
        f"{ratio:.2f}x the PDF (target at most {TARGET:g}x)"
    )
    if args.profile:
        print_profile(lambda: write(db, docx))
    results = [
        Result(
            "board report as Word (demo audit)",
            f"{app:.3f} s",
            f"{floor:.3f} s",
            f"{ratio:.2f}x",
            f"<= {TARGET:g}x the PDF",
            ratio <= TARGET,
            {"docx_bytes": docx.stat().st_size, "pdf_bytes": pdf.stat().st_size},
        )
    ]
    print_table(results)
    write_results(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
