"""The app seals its own changes into the history chain; changes behind its back stay unsealed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.history_chain import GENESIS, head, link_hash, links, workspace_id
from models.questionnaire import Questionnaire
from models.store import SignedOffError, Store


def _audit(store: Store, questionnaire: Questionnaire) -> str:
    dept = store.add_department("Home Office", "HO")
    return store.create_audit(dept.id, "2013 baseline", questionnaire).id


def _history(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT seq, kind, item, old, new, who, note, origin, hash FROM history"
            " WHERE kind != 'status' OR old IS NOT NULL ORDER BY seq"  # not the creations
        ).fetchall()
    finally:
        conn.close()


def _chain_holds(store: Store) -> bool:
    previous = GENESIS
    for link in links(store.conn):
        previous = link_hash(previous, link.fields)
        if previous != link.hash:
            return False
    return head(store.conn)[1] == previous


def test_each_change_is_sealed_with_who_made_it_and_a_change_id(
    store: Store, questionnaire: Questionnaire
) -> None:
    store.actor = "Priya Okafor"
    audit_id = _audit(store, questionnaire)
    store.set_answer(audit_id, "cio_on_board", True)
    store.set_answer(audit_id, "cio_on_board", False)
    store.set_comment(audit_id, "cio_on_board", "Minutes of March")
    rows = _history(store.path)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("answer", "cio_on_board", None, "true"),
        ("answer", "cio_on_board", "true", "false"),
        ("comment", "cio_on_board", None, "Minutes of March"),
    ]
    ident = workspace_id(store.conn)
    assert ident
    assert [r[5] for r in rows] == ["Priya Okafor"] * 3
    assert [str(r[7]).rsplit(":", 1)[0] for r in rows] == [f"{ident}:{r[0]}" for r in rows]
    assert len({r[7] for r in rows}) == 3
    assert all(r[8] for r in rows)
    assert _chain_holds(store)
    assert head(store.conn)[0] == rows[-1][0]


def test_nested_transactions_seal_once_and_a_rollback_records_nothing(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    with store.transaction():
        store.set_answer(audit_id, "cio_on_board", True)
        store.set_comment(audit_id, "cio_on_board", "checked")
    with pytest.raises(RuntimeError), store.transaction():
        store.set_answer(audit_id, "cio_on_board", False)
        raise RuntimeError("abandoned")
    rows = _history(store.path)
    assert [r[4] for r in rows] == ["true", "checked"]
    assert _chain_holds(store)


def test_a_change_behind_the_apps_back_is_recorded_but_never_sealed(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_answer(audit_id, "cio_on_board", True)
    shell = sqlite3.connect(store.path)
    shell.execute(
        "UPDATE answers SET value = 'false' WHERE audit_id = ? AND question_id = 'cio_on_board'",
        [audit_id],
    )
    shell.commit()
    shell.close()
    store.set_comment(audit_id, "cio_on_board", "later, in the app")  # must not launder it
    rows = _history(store.path)
    outside = [r for r in rows if r[4] == "false"]
    assert len(outside) == 1
    assert outside[0][5:] == ("", "", None, None)  # no who, note, change id or seal
    assert rows[-1][4] == "later, in the app" and rows[-1][8]
    assert _chain_holds(store)


def test_merged_in_changes_carry_a_note_and_no_change_id_of_this_workspace(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    with store.recording(note="merged from Jane.baseline-package", own=False):
        store.set_answer(audit_id, "cio_on_board", True)
    (row,) = _history(store.path)
    assert row[6:8] == ("merged from Jane.baseline-package", None)
    assert row[8]
    assert _chain_holds(store)


def test_signed_off_content_is_refused_even_from_another_connection(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    store.set_answer(audit_id, "cio_on_board", True)
    signed = store.set_status(audit_id, "signed_off", note="board of 4 March")
    assert signed.content_hash == store.content_hash(audit_id)
    with pytest.raises(SignedOffError, match="signed off"):
        store.set_answer(audit_id, "cio_on_board", False)
    shell = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="signed off"):
        shell.execute("DELETE FROM answers WHERE audit_id = ?", [audit_id])
    shell.close()
    assert store.answers(audit_id) == {"cio_on_board": True}
    status = [r for r in _history(store.path) if r[1] == "status"]
    assert [(r[3], r[4], r[6]) for r in status] == [("draft", "signed_off", "board of 4 March")]
    reopened = store.set_status(audit_id, "draft", note="figures corrected")
    assert reopened.content_hash == ""
    store.set_answer(audit_id, "cio_on_board", False)
    assert store.answers(audit_id) == {"cio_on_board": False}


def test_upgrading_a_v4_workspace_starts_the_chain_with_what_it_holds(tmp_path: Path) -> None:
    import sqlite_utils

    from models.migrations import migrate

    path = tmp_path / "v4.sqlite"
    conn = sqlite3.connect(path)
    db = sqlite_utils.Database(conn)
    migrate(db, 0, target=3)  # content typed before history was recorded ...
    conn.execute("INSERT INTO departments VALUES ('d1', 'Home Office', 'HO', '', 'x')")
    conn.execute(
        "INSERT INTO audits (id, department_id, department_name, cycle, questionnaire_id,"
        " questionnaire_version, status, created_at, updated_at) VALUES"
        " ('a1', 'd1', 'Home Office', '2013', 'baseline', 1, 'signed_off', 'x', 'x')"
    )
    conn.execute("INSERT INTO answers VALUES ('a1', 'cio_on_board', 'true', 'x')")
    conn.commit()
    migrate(db, 3, target=4)  # ... and after
    conn.execute("INSERT INTO comments VALUES ('a1', 'cio_on_board', 'checked', 'x')")
    conn.commit()
    conn.close()

    with Store(path) as store:
        rows = _history(path)
        assert sorted((r[1], r[4], r[6]) for r in rows) == [
            ("answer", "true", "recorded when history began"),
            ("comment", "checked", ""),
        ]
        assert all(r[8] and r[7] for r in rows)  # sealed, each with a change id
        assert _chain_holds(store)
        assert store.audit("a1").content_hash == store.content_hash("a1")


def test_recording_inside_a_larger_transaction_seals_each_part_as_written(
    store: Store, questionnaire: Questionnaire
) -> None:
    audit_id = _audit(store, questionnaire)
    with store.transaction():
        store.set_answer(audit_id, "cio_on_board", True)  # this workspace's own
        with store.recording(note="merged from a package", own=False):
            store.set_comment(audit_id, "cio_on_board", "theirs")
        store.set_answer(audit_id, "cio_on_board", False)  # own again
    rows = _history(store.path)
    assert [(r[4], r[6], r[7] is not None) for r in rows] == [
        ("true", "", True),
        ("theirs", "merged from a package", False),
        ("false", "", True),
    ]
    assert _chain_holds(store)


_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(-(2**70), 2**70), _TEXT, st.just("\x00\x1f\u2028")),
        max_size=14,
    )
)
def test_link_hash_is_the_hash_of_compact_json_whatever_the_encoder(fields):
    """Chains sealed before orjson hashed the standard library's bytes: they must still verify."""
    import hashlib
    import json

    expected = json.dumps(["prev", *fields], ensure_ascii=False, separators=(",", ":"))
    assert link_hash("prev", fields) == hashlib.sha256(expected.encode("utf-8")).hexdigest()
