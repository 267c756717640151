"""Random JSON values and shapes merged from a package: nothing invalid stored, no crash.

Each example takes a real package, puts random JSON (NaN and infinity included) at random
places, answers, cells and comments, writes it back with a good checksum and merges it into
a real workspace. Reading may refuse it (PackageError) and merging may refuse it (MergeError,
WorkspaceError); anything else is a bug. Whatever is merged fits its questionnaire.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.audit_package import CONTENT, MANIFEST, PackageError, read_package, write_package
from models.incoming import value_problem
from models.merge import MergeError, apply_merge
from models.questionnaire import current_questionnaire
from models.store import Store, WorkspaceError, copy_workspace

FORM = current_questionnaire()
QUESTIONS = [q.id for q in FORM.questions()]
TABLE = "senior_roles"
COLUMNS = [c.id for c in FORM.question(TABLE).columns]
PARTS = ["audit", "department", "answers", "comments", "rows", "changes", "imports", "provenance"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["yes", "2013-03-31", "scs1", "privacy", "", "NaN", "board"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)
names = st.sampled_from(QUESTIONS) | st.text(max_size=8)
columns = st.sampled_from(COLUMNS) | st.text(max_size=8)
# A place in one audit of content.json, and what to put there.
edits = st.one_of(
    st.tuples(st.just("answer"), names, values),
    st.tuples(st.just("comment"), names, values),
    st.tuples(st.just("cell"), columns, values),
    st.tuples(st.just("row"), st.integers(0, 3), values),
    st.tuples(
        st.just("field"),
        st.sampled_from(PARTS),
        values,
    ),
    st.tuples(
        st.just("audit field"),
        st.sampled_from(["id", "cycle", "status", "questionnaire_version", "department_name"]),
        values,
    ),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    """An empty workspace, one that shares the audit, and the audit's package."""
    folder = tmp_path_factory.mktemp("fuzz")
    with Store(folder / "a.sqlite", durable=False) as a, Store(folder / "b.sqlite") as b:
        dept = a.add_department("Home Office", "HO")
        audit = a.create_audit(dept.id, "2013 baseline", FORM, "Ann").id
        a.set_answer(audit, "digital_leader_post", "CDO")
        a.set_answer(audit, "board_tech_expert_count", 2)
        a.insert_rows(audit, TABLE, 0, [{"job_title": "CIO", "grade": "scs2"}, {"fte": 1.0}])
        write_package(a, folder / "base.zip", [audit])
        apply_merge(b, read_package(folder / "base.zip"))
    Store(folder / "empty.sqlite").close()
    yield folder / "empty.sqlite", folder / "b.sqlite", folder / "base.zip"


def apply_edit(content: dict[str, Any], edit: tuple[str, Any, Any], n: int) -> None:
    """Put `value` at a place, with a change record so the merge takes it as news."""
    kind, where, value = edit
    item = content["audits"][0]
    origin = f"fuzz:{n}"
    if kind == "answer":
        item["answers"][where] = value
        item["changes"].append([origin, "answer", where, where, None, "x", "m", "2030", ""])
    elif kind == "comment":
        item["comments"][where] = value
        item["changes"].append([origin, "comment", where, where, None, "x", "m", "2030", ""])
    elif kind == "cell":
        row = item["rows"][0]
        row[3][where] = value
        item["changes"].append([origin, "row", row[0], TABLE, "{}", "{}x", "m", "2030", ""])
    elif kind == "row" and where < len(item["rows"]):
        item["rows"][where] = value
    elif kind == "field":
        item[where] = value
    elif kind == "audit field":
        item["audit"][where] = value


def write(path: Path, content: Any, source: Path) -> None:
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    data = json.dumps(content).encode()  # NaN and Infinity written as the standard parser does
    manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    manifest["content_bytes"] = len(data)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(CONTENT, data)


def check_stored(store: Store) -> None:
    """Every stored answer, comment and cell fits its question; every number is finite."""
    for audit in store.audits():
        assert audit.questionnaire_id == FORM.id
        for qid, value in store.answers(audit.id).items():
            assert FORM.has_question(qid), qid
            assert value_problem(FORM.question(qid), value) is None, (qid, value)
        for qid, text in store.comments(audit.id).items():
            assert FORM.has_question(qid) and isinstance(text, str)
        for table, _ in store.row_counts(audit.id).items():
            question = FORM.question(table)
            known = {c.id: c for c in question.columns}
            for row in store.rows(audit.id, table):
                for column, value in row.cells.items():
                    assert column in known, column
                    assert value_problem(known[column], value) is None, (column, value)
                    assert not (isinstance(value, float) and not math.isfinite(value))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(edits, min_size=1, max_size=4), existing=st.booleans())
def test_random_json_merged_stores_nothing_invalid(
    template: tuple[Path, Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
    changes: list[tuple[str, Any, Any]],
    existing: bool,
) -> None:
    empty, shared, base = template
    folder = tmp_path_factory.mktemp("case")
    with zipfile.ZipFile(base) as zf:
        content = json.loads(zf.read(CONTENT))
    for n, change in enumerate(changes):
        # An earlier edit may have broken the place this one would change: then it is not made.
        with contextlib.suppress(TypeError, KeyError, IndexError, AttributeError):
            apply_edit(content, change, n)
    package_path = folder / "p.zip"
    write(package_path, content, base)
    workspace = folder / "w.sqlite"
    copy_workspace(shared if existing else empty, workspace)
    try:
        package = read_package(package_path)
    except PackageError as exc:
        assert "Traceback" not in str(exc)
        return
    with Store(workspace) as store:
        with contextlib.suppress(MergeError, WorkspaceError):  # refused: the app's own errors
            apply_merge(store, package, take="theirs")
        check_stored(store)
