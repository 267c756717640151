"""Property: any audit exported to Excel and imported into another workspace comes back equal."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporters.audit_workbook import export_audits
from importers.own_workbook import read_own_workbook
from importers.workbook_import import apply_import, plan_import
from models.audit_content import read_content
from models.questionnaire import Field, Questionnaire, parse_questionnaire
from models.store import Store
from models.validation import COMMENT_LIMIT, LARGEST_NUMBER, LARGEST_POUNDS
from tests.models.helpers import definition

CHOICES = "options: [{value: a, label: Alpha}, {value: b, label: Beta}, {value: c, label: Γάμμα}]"
FORM = parse_questionnaire(
    definition(
        f"""
        - {{id: t, type: text, label: Text}}
        - {{id: lt, type: long_text, label: Long text}}
        - {{id: i, type: integer, label: Integer}}
        - {{id: d, type: decimal, label: Decimal}}
        - {{id: m, type: currency, label: Money}}
        - {{id: p, type: percentage, label: Percent}}
        - {{id: dt, type: date, label: Date}}
        - {{id: yn, type: yesno, label: Yes or no}}
        - {{id: sc, type: single_choice, label: One, {CHOICES}}}
        - {{id: mc, type: multi_choice, label: Several, {CHOICES}}}
        - {{id: mat, type: maturity, label: Maturity, levels: [a, b, c, d, e]}}
        - id: rows
          type: table
          label: Rows
          columns:
            - {{id: name, label: Name, type: text}}
            - {{id: notes, label: Notes, type: long_text}}
            - {{id: n, label: Count, type: integer}}
            - {{id: x, label: Amount, type: currency}}
            - {{id: share, label: Share, type: percentage}}
            - {{id: when, label: When, type: date}}
            - {{id: ok, label: OK, type: yesno}}
            - {{id: kind, label: Kind, type: single_choice, {CHOICES}}}
            - {{id: kinds, label: Kinds, type: multi_choice, {CHOICES}}}
        """
    ),
    source="round-trip.yaml",
)


def forms(questionnaire_id: str, version: int) -> Questionnaire:
    assert (questionnaire_id, version) == FORM.key
    return FORM


# Text an auditor might type, and text that looks like a formula or breaks XML.
TRICKY = [
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-1",
    "@handle",
    "\tindented",
    "\rcarriage",
    "line one\nline two\r\nline three",
    "Ysgrifennydd Parhaol ŵ ŷ Ŵ Ŷ — “quoted” £1,000",
    "emoji 😀🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "_x000D_ literal escape",
    "bell\x07 and nul\x00 inside",
    "  padded  ",
    "ŵ" * 32_767,
]
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        st.characters(blacklist_categories=("Cs",)),  # lone surrogates cannot be stored
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() != ""),
)
# any value validation takes: numbers up to a trillion, amounts up to £10 trillion
numbers = st.floats(-LARGEST_NUMBER, LARGEST_NUMBER, allow_nan=False)
pounds = st.floats(-LARGEST_POUNDS, LARGEST_POUNDS, allow_nan=False)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "text": texts,
    "long_text": texts,
    "integer": st.one_of(
        st.sampled_from([0, -1, LARGEST_NUMBER]), st.integers(-LARGEST_NUMBER, LARGEST_NUMBER)
    ),
    "decimal": st.one_of(st.sampled_from([0.0, -0.5, 1e12]), numbers),
    "currency": st.one_of(st.sampled_from([0, -1200.5, 1e13]), pounds.map(lambda x: round(x, 2))),
    "percentage": st.one_of(st.sampled_from([0, 45, 100, 3.25]), st.floats(0, 100)),
    "date": st.dates(date(1800, 1, 1), date(9999, 12, 31)).map(date.isoformat),
    "yesno": st.booleans(),
    "single_choice": st.sampled_from(["a", "b", "c"]),
    "multi_choice": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True),
    "maturity": st.integers(1, 5),
}


def values_for(fields: tuple[Field, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the fields answered, each with a value of its type."""
    return st.fixed_dictionaries({}, optional={f.id: VALUES[f.type] for f in fields})


QUESTIONS = tuple(q for q in FORM.questions() if not q.is_table)
TABLE = FORM.question("rows")

audits = st.fixed_dictionaries(
    {
        "answers": values_for(QUESTIONS),
        "comments": st.dictionaries(  # a comment is at most COMMENT_LIMIT characters
            st.sampled_from([q.id for q in FORM.questions()]),
            texts.filter(lambda t: len(t) <= COMMENT_LIMIT),
        ),
        "rows": st.lists(values_for(TABLE.columns), max_size=4),
        "status": st.sampled_from(["draft", "submitted", "reviewed", "signed_off"]),
        "auditor": st.sampled_from(["", "Siân Ŵyn", "=cmd|' /C calc'!A0"]),
        "department": st.sampled_from(
            ["Department for Work and Pensions", "Adran Cymru ŵŷ", "@Dept"]
        ),
        "cycle": st.sampled_from(["2013 baseline", "=2014", "2015 review ŵ"]),
    }
)


def dump(store: Store) -> list[Any]:
    """Everything the round trip must keep, per audit."""
    result = []
    for audit in store.audits():
        content = read_content(store, audit.id)
        result.append(
            (
                audit.id,
                audit.department_name,
                store.department(audit.department_id).name,
                audit.cycle,
                audit.status,
                audit.auditor,
                audit.created_at,
                audit.updated_at,
                audit.questionnaire_id,
                audit.questionnaire_version,
                content.answers,
                content.comments,
                {t: [(r.id, r.cells) for r in rows] for t, rows in content.tables.items()},
            )
        )
    return result


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(audits)
def test_export_then_import_gives_back_the_same_audit(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "source.sqlite", durable=False) as source:
            dept = source.add_department(data["department"])
            audit = source.create_audit(dept.id, data["cycle"], FORM, data["auditor"])
            for qid, value in data["answers"].items():
                source.set_answer(audit.id, qid, value)
            for qid, text in data["comments"].items():
                source.set_comment(audit.id, qid, text)
            source.insert_rows(audit.id, "rows", 0, data["rows"])
            source.set_audit_fields(audit.id, status=data["status"])
            expected = dump(source)
            export_audits(source, [audit.id], folder / "audit.xlsx", questionnaires=forms)

        contents = read_own_workbook(folder / "audit.xlsx", questionnaires=forms)
        assert contents.problems == []
        with Store(folder / "target.sqlite", durable=False) as target:
            apply_import(target, plan_import(target, contents))
            assert dump(target) == expected
            # Importing the same workbook again changes nothing.
            again = plan_import(
                target, read_own_workbook(folder / "audit.xlsx", questionnaires=forms)
            )
            assert not again.changes_anything
