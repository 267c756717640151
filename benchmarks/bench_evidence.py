"""Evidence files: attaching, opening an audit that holds them, backing up beside them.

Targets (issue 21), each a ratio printed against a floor measured in the same run:

- attach: attaching a 50 MB PDF (read, SHA-256, write, fsync, rename, one committed row)
  at most 2x copying the same file on the same disk. Floor: shutil.copyfile then fsync
  (a copy that survives a power cut, as the attached file must); the ratio against a
  copy without fsync is printed too.
- open: opening an audit whose workspace holds 200 MB of evidence no slower than the same
  audit with none (within noise). Timed: Store() (with its integrity check), the reads an
  audit session makes (answers, comments, row counts) and each question's evidence list.
- backup: a backup after one small edit in a workspace holding 1 GB of evidence at most
  2x the same backup of the same workspace with none. The first backup (which copies the
  evidence into the backup folder once) is not timed; the ones after each edit are.

Files are generated in a temporary folder (about 2.5 GB at the defaults) and removed.

    python benchmarks/bench_evidence.py [--reps 5] [--backup-mb 1024] [--open-mb 200]
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from _common import Result, base_parser, median, ms, print_table, spread, workdir, write_results

from models.store import Store

MB = 1024 * 1024


def _pdf(path: Path, size: int, salt: int) -> Path:
    """A file of `size` bytes that starts like a PDF; `salt` makes its content unique."""
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n%" + salt.to_bytes(8, "big") + b"\n")
        left = size - fh.tell()
        block = os.urandom(min(left, 4 * MB))
        while left > 0:
            fh.write(block[:left])
            left -= len(block)
    return path


def _fresh(folder: Path, name: str) -> tuple[Store, str]:
    from models.questionnaire import current_questionnaire

    store = Store(folder / name)
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    for n, q in enumerate(q for q in current_questionnaire().questions() if not q.is_table):
        if q.type in ("text", "long_text"):
            store.set_answer(audit.id, q.id, f"Answer {n}")
    return store, audit.id


def bench_attach(folder: Path, reps: int) -> Result:
    from models import evidence

    store, audit_id = _fresh(folder, "attach.sqlite")
    source = _pdf(folder / "board-pack.pdf", 50 * MB, 0)
    app, durable, plain = [], [], []
    for rep in range(reps):
        with source.open("r+b") as fh:  # new content each time: nothing is deduplicated
            fh.seek(10)
            fh.write((rep + 1).to_bytes(8, "big"))
        target = folder / f"copy-{rep}.pdf"
        start = time.perf_counter()
        evidence.attach(store, audit_id, "digital_leader_post", source)
        app.append(time.perf_counter() - start)
        start = time.perf_counter()
        shutil.copyfile(source, target)
        with target.open("rb+") as fh:
            os.fsync(fh.fileno())
        durable.append(time.perf_counter() - start)
        target.unlink()
        start = time.perf_counter()
        shutil.copyfile(source, target)
        plain.append(time.perf_counter() - start)
        target.unlink()
    store.close()
    ratio = median(app) / median(durable)
    return Result(
        "attach a 50 MB PDF",
        f"{ms(median(app))} {spread(app)}",
        f"{ms(median(durable))} (copy + fsync)",
        f"{ratio:.2f}x",
        "<= 2x copying it",
        ratio <= 2,
        {
            "ratio_vs_copy_without_fsync": round(median(app) / median(plain), 2),
            "ratio_of_fastest_runs": round(min(app) / min(durable), 2),
        },
    )


def _open_once(path: Path) -> float:
    from models import evidence
    from models.questionnaire import current_questionnaire
    from models.store import Store

    start = time.perf_counter()
    with Store(path) as store:
        audit = store.audits()[0]
        store.answers(audit.id), store.comments(audit.id), store.row_counts(audit.id)
        for q in current_questionnaire().questions():  # the form's evidence lists
            evidence.listed(store, audit.id, q.id)
        took = time.perf_counter() - start
    return took


def bench_open(folder: Path, reps: int, total_mb: int) -> Result:
    from models import evidence

    with_files, audit_id = _fresh(folder, "open-with.sqlite")
    without, _ = _fresh(folder, "open-without.sqlite")
    questions = ["digital_leader_post", "board_tech_expert_count", "senior_roles"]
    each = 10
    for n in range(max(1, total_mb // each)):
        source = _pdf(folder / f"evidence-{n}.pdf", each * MB, 1000 + n)
        question = questions[n % len(questions)]
        evidence.attach(with_files, audit_id, question, source)
        source.unlink()
    paths = [with_files.path, without.path]
    with_files.close()
    without.close()
    app, floor = [], []
    for _ in range(reps * 3):  # alternating, so the page cache treats both alike
        app.append(_open_once(paths[0]))
        floor.append(_open_once(paths[1]))
    ratio = median(app) / median(floor)
    return Result(
        f"open an audit holding {total_mb} MB of evidence",
        f"{ms(median(app))} {spread(app)}",
        f"{ms(median(floor))} (no evidence)",
        f"{ratio:.2f}x",
        "no slower (within noise)",
        ratio <= 1.15,
        {"ratio_of_fastest_runs": round(min(app) / min(floor), 2)},
    )


def bench_backup(folder: Path, reps: int, total_mb: int) -> Result:
    from models import evidence
    from models.backups import take_backup

    with_files, audit_id = _fresh(folder, "backup-with.sqlite")
    without, other_id = _fresh(folder, "backup-without.sqlite")
    each = 100 if total_mb >= 200 else 10
    for n in range(max(1, total_mb // each)):
        source = _pdf(folder / f"big-{n}.pdf", each * MB, 5000 + n)
        evidence.attach(with_files, audit_id, "digital_leader_post", source)
        source.unlink()
    stores = [(with_files, audit_id, folder / "backups-with"), (without, other_id, folder / "b0")]
    for store, _, target in stores:
        take_backup(store.path, target, "open", source=store.conn)
    app, floor = [], []
    for rep in range(reps):
        for store, audit, target in stores:
            store.set_answer(audit, "board_tech_expert_count", rep + 1)
            start = time.perf_counter()
            take_backup(store.path, target, source=store.conn)
            (app if store is with_files else floor).append(time.perf_counter() - start)
    for store, _, _ in stores:
        store.close()
    ratio = median(app) / median(floor)
    return Result(
        f"backup after one edit, {total_mb} MB of evidence",
        f"{ms(median(app))} {spread(app)}",
        f"{ms(median(floor))} (no evidence)",
        f"{ratio:.2f}x",
        "<= 2x the same backup without",
        ratio <= 2,
        {"ratio_of_fastest_runs": round(min(app) / min(floor), 2)},
    )


def main() -> int:
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions (5)")
    parser.add_argument("--open-mb", type=int, default=200, help="evidence when opening (200)")
    parser.add_argument("--backup-mb", type=int, default=1024, help="evidence to back up (1024)")
    parser.add_argument("--profile", action="store_true", help="accepted for run_all; unused")
    args = parser.parse_args()
    base = workdir(args) / "evidence-bench"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    try:
        results = []
        for name, run in (
            ("attach", lambda f: bench_attach(f, args.reps)),
            ("open", lambda f: bench_open(f, args.reps, args.open_mb)),
            ("backup", lambda f: bench_backup(f, args.reps, args.backup_mb)),
        ):
            folder = base / name
            folder.mkdir()
            print(f"  {name}…", flush=True)
            results.append(run(folder))
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print_table(results)
    if hasattr(os, "getloadavg"):  # a shared machine: the ratios move with its load
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"  load average while measuring: {load} on {os.cpu_count()} cores")
    for r in results:
        for key, value in r.extra.items():
            print(f"  {r.name}: {key} = {value}")
    write_results(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
