"""Issue 16 speed: audits scored many at once (models/batch_scoring.py, what many_figures
and so the cycle dashboard use) get exactly the figures scoring them one at a time gives
(cycle_summary.score_one), for random audits of both questionnaire versions, odd cells
included: True against 1, blanks, lists, text in number columns, numbers past 64 bits."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.batch_scoring import figures_of
from models.cycle_summary import AuditFigures, many_figures, score_one
from models.demo import _answer
from models.questionnaire import (
    NUMERIC_TYPES,
    Field,
    Questionnaire,
    current_questionnaire,
    get_questionnaire,
)
from models.records import Audit
from models.score_cache import KeptFigures, dump
from models.store import Store
from models.validation import error_for

V2 = current_questionnaire()
V1 = get_questionnaire(V2.id, 1)
_names = itertools.count()

ODD = ["", [], True, False, 0, 1, -0.0, 0.1, 0.7, 2.5, 1e16, 2**70, "1", "vacant", "x", None]
FAVOURED = {"role_type": ["cio", "cdio", "digital_leader"], "vacant_or_interim": ["filled"]}
NUMBERS = [0.1, 0.2, 0.7, 1, 2, 2.5, 3.3, 1e16]


def _sensible(column: Field, rng: random.Random) -> Any:
    """What an auditor would put in the column (the posts the board flags look for, often)."""
    if column.id in FAVOURED and rng.random() < 0.6:
        return rng.choice(FAVOURED[column.id])
    if column.options:
        return rng.choice(sorted(column.option_values))
    if column.type == "yesno":
        return rng.random() < 0.5
    if column.type in NUMERIC_TYPES:
        return rng.choice(NUMBERS)
    return rng.choice(["CIO-01", "Chief Information Officer", "2024-03-31"])


def _cell(column: Field, rng: random.Random) -> Any:
    """Mostly what an auditor would enter; sometimes odd, a list, or absent (ABSENT)."""
    roll = rng.random()
    if roll < 0.75:
        return _sensible(column, rng)
    if roll < 0.85:
        return rng.choice(ODD)
    if roll < 0.9 and column.options:
        return rng.sample(sorted(column.option_values), k=min(2, len(column.options)))
    return ABSENT


ABSENT = object()


def _rows(form: Questionnaire, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Each table: up to 12 rows drawn from a pool of up to 3, so rows alike (six board-member
    CIOs, FTEs that add up differently in another order) are common."""
    rng = random.Random(seed)
    tables = {}
    for table in form.table_questions():
        pool = []
        for _ in range(rng.randint(1, 3)):
            cells = {c.id: _cell(c, rng) for c in table.columns}
            pool.append({k: v for k, v in cells.items() if v is not ABSENT})
        tables[table.id] = [dict(rng.choice(pool)) for _ in range(rng.randint(0, 12))]
    return tables


def _answers(form: Questionnaire, seed: int, share: float) -> dict[str, Any]:
    """Each question answered with probability `share`, valid values only."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    for question in form.questions():
        if question.is_table or rng.random() > share:
            continue
        value = _answer(question, rng, rng.random())
        if value is not None and error_for(question, value) is None:
            answers[question.id] = value
    return answers


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Store(tmp_path_factory.mktemp("batch") / "audits.sqlite", durable=False) as opened:
        yield opened


def _stored(
    store: Store, form: Questionnaire, answers: dict[str, Any], rows: dict[str, list[Any]]
) -> Audit:
    department = store.add_department(f"Department {next(_names)}")
    audit = store.create_audit(department.id, "2013 baseline", form)
    with store.transaction():
        for question_id, value in answers.items():
            store.set_answer(audit.id, question_id, value)
        for table_id, cells in rows.items():
            store.bulk_rows(audit.id, table_id, cells)
    return audit


def _kept(figures: AuditFigures) -> KeptFigures:
    return KeptFigures(
        figures.score, figures.completion, figures.missing_required, figures.answered, figures.shown
    )


def _same(fast: KeptFigures, reference: KeptFigures) -> None:
    assert fast == reference
    assert dump(fast) == dump(reference)  # 0 and 0.0 apart, every float to the last bit


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
    share=st.floats(0, 1),
    newer=st.booleans(),
)
def test_many_audits_at_once_score_as_one_at_a_time(
    store: Store, seeds: list[int], share: float, newer: bool
) -> None:
    form = V2 if newer else V1
    audits = [
        _stored(store, form, _answers(form, seed, share), _rows(form, seed)) for seed in seeds
    ]
    reference = [score_one(store, a, form) for a in audits]
    fast = many_figures(store, audits)  # none kept yet: read and scored as a batch
    for got, expected in zip(fast, reference, strict=True):
        _same(_kept(got), expected)
    kept = many_figures(store, audits)  # and the figures it kept read back the same
    for got, expected in zip(kept, reference, strict=True):
        _same(_kept(got), expected)


def test_true_and_one_are_different_cells(tmp_path: Path) -> None:
    """Rows alike but for True against 1 in a tested column are not one combination."""
    roles = [
        {"post_ref": "A", "job_title": "CIO", "role_type": "cio", "grade": "scs2",
         "employment_type": "permanent", "board_member": 1, "vacant_or_interim": "filled"},
        {"post_ref": "B", "job_title": "CIO", "role_type": "cio", "grade": "scs2",
         "employment_type": "permanent", "board_member": True, "vacant_or_interim": "filled"},
    ]  # fmt: skip
    answers = {"cio_on_board": False}
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, answers, {"senior_roles": roles})
        reference = score_one(store, audit, V2)
        flag = reference.score.indicators["cio_on_board"]
        assert flag.status == "conflicting" and "row 2" in flag.note and "row 1" not in flag.note
        _same(_kept(many_figures(store, [audit])[0]), reference)


def test_a_share_over_hand_worked_rows() -> None:
    """FTE 2 + 1.5 contractors of 2 + 1.5 + 4 counted: 46.67%; blank and text FTE left out."""
    rows = {
        "workforce_mix": [
            {"profession_family": "data", "staff_type": "contractor", "fte": 2},
            {"profession_family": "data", "staff_type": "permanent", "fte": 4.0},
            {"profession_family": "data", "staff_type": "consultant", "fte": 1.5},
            {"profession_family": "data", "staff_type": "contractor"},
            {"profession_family": "data", "staff_type": "contractor", "fte": "3"},
            {"profession_family": "data", "fte": 9.0},
        ]
    }
    share = figures_of(V2, {}, rows).score.indicators["contractor_share_fte"]
    assert (share.value, share.numerator, share.denominator) == (350 / 7.5, 3.5, 7.5)
    assert share.coverage is not None and (share.coverage.answered, share.coverage.total) == (3, 6)


def test_large_audits_are_read_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cycle of large imports is decoded a few audits at a time, to the same figures."""
    import models.batch_scoring

    reads: list[list[str]] = []
    read_many = models.batch_scoring.read_many

    def counted(store: Store, audits: Any, forms: Any) -> Any:
        reads.append([a.id for a in audits])
        return read_many(store, audits, forms)

    monkeypatch.setattr(models.batch_scoring, "ROWS_PER_READ", 20)
    monkeypatch.setattr(models.batch_scoring, "read_many", counted)
    with Store(tmp_path / "audits.sqlite") as store:
        audits = [_stored(store, V2, _answers(V2, seed, 0.5), _rows(V2, seed)) for seed in range(6)]
        totals = store.row_totals([a.id for a in audits])
        reference = [score_one(store, a, V2) for a in audits]
        for got, expected in zip(many_figures(store, audits), reference, strict=True):
            _same(_kept(got), expected)
    assert sum(len(part) for part in reads) == 6 and len(reads) > 1
    assert all(len(part) == 1 or sum(totals[a] for a in part) <= 20 for part in reads)


def test_a_row_that_is_not_an_object_fails_as_one_at_a_time(tmp_path: Path) -> None:
    """Stored cells that are not a JSON object: the batch says what scoring alone says."""
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, {}, {"workforce_mix": [{"staff_type": "contractor"}]})
        store.conn.execute("UPDATE table_rows SET cells = '[1, 2]' WHERE audit_id = ?", [audit.id])
        with pytest.raises(AttributeError) as alone:
            score_one(store, audit, V2)
        with pytest.raises(AttributeError) as batch:
            many_figures(store, [audit])
        assert str(batch.value) == str(alone.value)


def test_audits_without_rows(tmp_path: Path) -> None:
    """Audits with no table rows at all, alone or among others, score as one at a time."""
    with Store(tmp_path / "audits.sqlite") as store:
        empty = _stored(store, V2, {}, {})
        answered = _stored(store, V1, _answers(V1, 7, 1.0), {})
        full = _stored(store, V2, {}, _rows(V2, 3))
        audits = [empty, answered, full]
        reference = [score_one(store, a, V1 if a is answered else V2) for a in audits]
        for got, expected in zip(many_figures(store, audits), reference, strict=True):
            _same(_kept(got), expected)


def test_rows_read_a_table_at_a_time_come_in_position_order(tmp_path: Path) -> None:
    """Tables are read joined (store.table_texts); wherever SQLite visits rows from, they are
    scored in position order: here the index is gone and rows were written last first.
    The FTEs add to 0.0 in table order and to 1.0 the other way round."""
    rows = [
        {"profession_family": "data", "staff_type": "contractor", "fte": fte}
        for fte in (1.0, 1e16, -1e16)
    ]
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, {}, {"workforce_mix": rows})
        with store.transaction():
            store.conn.execute("DROP INDEX table_rows_by_table")
            stored = store.conn.execute(
                "SELECT id, audit_id, question_id, position, cells, updated_at FROM table_rows"
                " WHERE audit_id = ? ORDER BY position DESC",
                [audit.id],
            ).fetchall()
            store.conn.execute("DELETE FROM table_rows WHERE audit_id = ?", [audit.id])
            store.conn.executemany("INSERT INTO table_rows VALUES (?, ?, ?, ?, ?, ?)", stored)
        visited = [p for *_, p in store.table_texts([audit.id])]
        assert visited == ["2,1,0"]  # SQLite gave them last first
        reference = score_one(store, audit, V2)
        assert reference.score.indicators["contractor_share_fte"].denominator == 0.0
        _same(_kept(many_figures(store, [audit])[0]), reference)


@pytest.mark.parametrize("text", ['{"staff_type": "contr\x1eactor"}', "NaN", '{"fte": NaN}'])
def test_odd_stored_text_reads_as_one_at_a_time(tmp_path: Path, text: str) -> None:
    """Text holding the separator the joined read splits on (not JSON), or NaN (which only
    the standard library reads): the batch does what scoring alone does."""
    with Store(tmp_path / "audits.sqlite") as store:
        rows = [{"staff_type": "contractor", "fte": 1}, {"staff_type": "permanent", "fte": 2}]
        audit = _stored(store, V2, {}, {"workforce_mix": rows})
        store.conn.execute(
            "UPDATE table_rows SET cells = ? WHERE audit_id = ? AND position = ?",
            [text, audit.id, 0],
        )
        try:
            reference: Any = score_one(store, audit, V2)
        except Exception as exc:  # whatever scoring alone raises, the batch must raise
            with pytest.raises(type(exc)) as batch:
                many_figures(store, [audit])
            assert str(batch.value) == str(exc)
        else:
            _same(_kept(many_figures(store, [audit])[0]), reference)


@pytest.mark.parametrize("position", [1.5, "b"])
def test_a_position_that_is_not_a_whole_number_reads_as_one_at_a_time(
    tmp_path: Path, position: object
) -> None:
    """Positions written by hand (raw SQL): the joined read gives way to the row-by-row one."""
    rows = [{"staff_type": "contractor", "fte": 1}, {"staff_type": "permanent", "fte": 2}]
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, {}, {"workforce_mix": rows})
        store.conn.execute(
            "UPDATE table_rows SET position = ? WHERE audit_id = ? AND position = 1",
            [position, audit.id],
        )
        _same(_kept(many_figures(store, [audit])[0]), score_one(store, audit, V2))


def test_a_table_too_long_to_join_reads_row_by_row(tmp_path: Path) -> None:
    """SQLite refuses a joined text over its length limit (1e9 bytes; lowered here)."""
    import sqlite3

    rows = [{"profession_family": "data", "staff_type": "contractor", "fte": i} for i in range(200)]
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, {}, {"workforce_mix": rows})
        reference = score_one(store, audit, V2)
        store.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 4000)
        _same(_kept(many_figures(store, [audit])[0]), reference)


def test_cells_that_are_not_utf8_fail_as_one_at_a_time(tmp_path: Path) -> None:
    with Store(tmp_path / "audits.sqlite") as store:
        audit = _stored(store, V2, {}, {"workforce_mix": [{"staff_type": "contractor"}]})
        store.conn.execute(
            "UPDATE table_rows SET cells = X'7B22FF227D' WHERE audit_id = ?", [audit.id]
        )
        with pytest.raises(Exception) as alone:  # whatever scoring alone raises
            score_one(store, audit, V2)
        with pytest.raises(type(alone.value)):
            many_figures(store, [audit])
