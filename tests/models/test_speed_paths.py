"""The quicker paths a cold dashboard and an import take give what the plain ones gave."""

from __future__ import annotations

import gc
import threading

from models.cycle_summary import audit_rows
from models.gc_pause import gc_paused
from models.questionnaire import Questionnaire
from models.store import Store


def test_audit_rows_in_one_query_read_as_table_by_table(
    store: Store, questionnaire: Questionnaire
) -> None:
    """After moves and deletes, with a stray table and an empty cells text: as store.rows."""
    dept = store.add_department("Home Office", "HO").id
    audit = store.create_audit(dept, "2025", questionnaire).id
    store.bulk_rows(audit, "workforce_mix", [{"headcount": i} for i in range(6)])
    store.bulk_rows(audit, "senior_roles", [{"job_title": f"Role {i}"} for i in range(4)])
    mix = store.rows(audit, "workforce_mix")
    store.move_row(audit, "workforce_mix", mix[4].id, 0)
    store.delete_rows(audit, "workforce_mix", [mix[1].id])
    store.conn.execute(
        "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
        " VALUES ('stray', ?, 'no_such_table', 0, '{\"a\": 1}', '2025-01-01'),"
        " ('blank', ?, 'contracts', 0, '', '2025-01-01')",
        [audit, audit],
    )
    expected = {
        table.id: [row.cells for row in store.rows(audit, table.id)]
        for table in questionnaire.table_questions()
    }
    got = audit_rows(store, audit, questionnaire)
    assert got == expected
    assert [r["headcount"] for r in got["workforce_mix"]] == [4, 0, 2, 3, 5]
    assert got["contracts"] == [{}] and "no_such_table" not in got


def test_gc_pause_nests_and_restores_what_was_there() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before, left off
    finally:
        gc.enable()


def test_gc_pause_across_threads_ends_with_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with gc_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()
