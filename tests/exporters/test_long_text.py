"""Text longer than an Excel cell holds (32,767 characters) goes out whole and comes back
exactly, through exports and data returns; no cell the app writes exceeds the limit
(issue 17, item 7)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exporters.audit_workbook import export_audits
from exporters.data_return import write_data_return
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.audit_content import read_content
from models.questionnaire import Questionnaire
from models.store import Store
from models.workbook_format.long_text import LIMIT, split, units
from tests.exporters.test_round_trip import FORM, dump, forms

# Astral characters (two UTF-16 units each), an OOXML escape lookalike, controls, lines.
PIECES = ["ŵ", "😀", "_x0041_", "\x01", "\n", "a", "=", "_"]


def longest_cell(path: Path) -> int:
    """The longest text any cell of the workbook holds, as Excel counts it."""
    book = load_workbook(path)
    return max(
        (units(str(v)) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
         for v in row if isinstance(v, str)),
        default=0,
    )  # fmt: skip


def long_text(size: int, seed: int = 0) -> str:
    out = []
    i = seed
    while sum(len(p) for p in out) < size:
        out.append(PIECES[i % len(PIECES)] * (1 + i % 5))
        i += 7
    return "".join(out)[:size]


def round_trip(answers: dict[str, Any], comments: dict[str, str], rows: list[dict[str, Any]]):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "source.sqlite", durable=False) as source:
            dept = source.add_department("Home Office")
            audit = source.create_audit(dept.id, "2013 baseline", FORM, "P. Okafor")
            for qid, value in answers.items():
                source.set_answer(audit.id, qid, value)
            for qid, text in comments.items():
                source.set_comment(audit.id, qid, text)
            source.insert_rows(audit.id, "rows", 0, rows)
            expected = dump(source)
            export_audits(source, [audit.id], folder / "audit.xlsx", questionnaires=forms)
        assert longest_cell(folder / "audit.xlsx") <= LIMIT
        contents = read_own_workbook(folder / "audit.xlsx", questionnaires=forms)
        assert contents.problems == []
        with Store(folder / "target.sqlite", durable=False) as target:
            apply_import(target, plan_import(target, contents))
            assert dump(target) == expected


def test_long_answers_comments_and_cells_come_back_exactly_from_an_export() -> None:
    round_trip(
        {"lt": long_text(100_000), "t": "😀" * 20_000},  # 40,000 UTF-16 units
        {"lt": long_text(70_001, 3), "t": "short"},
        [{"notes": long_text(40_000, 5), "name": "x"}, {"notes": "ok"}],
    )


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(LIMIT - 40, LIMIT + 40),
    st.integers(0, 50),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=6),
)
def test_texts_around_the_limit_round_trip(size: int, seed: int, tail: list[str]) -> None:
    text = (long_text(size, seed) + "".join(tail)).strip() or "x"
    round_trip({"lt": text}, {"t": text}, [{"notes": text}])


def test_split_never_breaks_an_escape_or_a_character() -> None:
    text = ("_x0041_" * 5000) + "😀" * 20_000
    pieces = split(text, 1000)
    assert "".join(pieces) == text
    assert all(units(p) <= 1000 for p in pieces)
    assert all(p.count("_x") == p.count("_x0041_") for p in pieces)


def test_a_data_return_keeps_a_long_comment_whole(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "workspace.sqlite"
    comment = long_text(90_000, 11)
    with Store(path) as store:
        dept = store.add_department("Home Office")
        audit = store.create_audit(dept.id, "2013 baseline", questionnaire)
        store.set_comment(audit.id, "cio_on_board", comment)
        before = read_content(store, audit.id)
        out = write_data_return(store, dept.id, "2013 baseline", tmp_path / "r.xlsx", prefill=True)
        assert longest_cell(out) <= LIMIT
        contents = read_own_workbook(out)
        assert contents.problems == []
        plan = plan_import(store, contents)
        assert [(p.action, p.changes) for p in plan.audits] == [("unchanged", [])]
        apply_import(store, plan)
        assert read_content(store, audit.id) == before
        assert store.comments(audit.id)["cio_on_board"] == comment
