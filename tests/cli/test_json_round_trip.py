"""Random audits through `export-json`, then `import` into another workspace, compare equal."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from models.audit_json import audit_record
from models.questionnaire import Field, Questionnaire, current_questionnaire
from models.store import Store
from models.validation import clean_label, error_for

FORM: Questionnaire = current_questionnaire()
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def value_of(field: Field) -> st.SearchStrategy[Any]:
    """Any value the store may hold for the field (it passes models/validation.py)."""
    kind = field.type
    if kind == "yesno":
        found: st.SearchStrategy[Any] = st.booleans()
    elif kind in ("integer", "maturity"):
        found = st.integers(-10, 10**7)
    elif kind in ("decimal", "currency", "percentage"):
        found = st.floats(-1e9, 1e12, allow_nan=False) | st.integers(0, 10**6)
    elif kind == "date":
        found = st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)
    elif kind == "single_choice":
        found = st.sampled_from(sorted(field.option_values))
    elif kind == "multi_choice":
        found = st.lists(st.sampled_from(sorted(field.option_values)), unique=True, max_size=3)
    else:
        found = TEXT
    return found.filter(  # whitespace-only text is no answer on every door (not a value)
        lambda v: v not in ("", []) and str(v).strip() != "" and error_for(field, v) is None
    )


BLANK = st.sampled_from([None, ""])
LABEL = TEXT.map(clean_label).filter(bool)  # a name as the store keeps it (never only controls)
QUESTIONS = [q for q in FORM.questions() if not q.is_table]
TABLES = FORM.table_questions()


@st.composite
def audits(draw: st.DrawFn) -> dict[str, Any]:
    """A department's audit: some answers and comments, some rows in some tables, a status."""
    asked = draw(st.lists(st.sampled_from(QUESTIONS), unique_by=lambda q: q.id, max_size=8))
    tables = draw(st.lists(st.sampled_from(TABLES), unique_by=lambda q: q.id, max_size=2))
    rows = {}
    for table in tables:
        rows[table.id] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {},
                    # a blank cell (None, "") stays a blank cell: the form may store one
                    optional={c.id: value_of(c) | BLANK for c in table.columns[:6]},
                ),
                max_size=3,
            )
        )
    return {
        "department": draw(LABEL),
        "cycle": draw(LABEL),
        "answers": {q.id: draw(value_of(q)) for q in asked},
        "comments": draw(
            st.dictionaries(st.sampled_from([q.id for q in QUESTIONS]), TEXT.filter(bool))
        ),
        "rows": rows,
        "status": draw(st.sampled_from(["draft", "submitted", "reviewed", "signed_off"])),
    }


def written(path: Path, audit: dict[str, Any]) -> None:
    with Store(path, durable=False) as store:
        dept = store.add_department(audit["department"])
        made = store.create_audit(dept.id, audit["cycle"], FORM, auditor="R. Huws")
        for qid, value in audit["answers"].items():
            store.set_answer(made.id, qid, value)
        for qid, text in audit["comments"].items():
            store.set_comment(made.id, qid, text)
        for table_id, cells in audit["rows"].items():
            store.insert_rows(made.id, table_id, 0, cells)
        if audit["status"] != "draft":
            store.set_status(made.id, audit["status"])


def records(path: Path) -> list[dict[str, Any]]:
    with Store(path) as store:
        return [audit_record(store, a) for a in store.audits()]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(audits())
def test_export_json_then_import_gives_the_same_audit(
    capsys: pytest.CaptureFixture[str], audit: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "a.sqlite", Path(folder) / "b.sqlite"
        doc = Path(folder) / "all.json"
        written(first, audit)
        assert main(["export-json", "--db", str(first), "--out", str(doc)]) == 0
        assert main(["new", "--db", str(second)]) == 0
        assert main(["import", str(doc), "--db", str(second)]) == 0, capsys.readouterr().err
        assert records(second) == records(first)
        with Store(second) as store:
            [back] = store.audits()
            assert back.status == audit["status"]
            if back.status == "signed_off":  # sealed over the same content: the same hash
                with Store(first) as before:
                    assert back.content_hash == before.audits()[0].content_hash
        # Exported again, the document is the same text.
        again = Path(folder) / "again.json"
        assert main(["export-json", "--db", str(second), "--out", str(again)]) == 0
        assert json.loads(again.read_text("utf-8")) == json.loads(doc.read_text("utf-8"))
        assert again.read_bytes() == doc.read_bytes()
