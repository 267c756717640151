"""Issue 16 speed: the dashboard fills in a cold cycle's figures with few repaints. Rows
replaced `later` reach the view in one dataChanged; the filled table is the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.dashboard import full_row
from models.demo import DemoSize, write_demo
from models.store import Store
from ui import dashboard_view
from ui.dashboard_model import DashboardModel
from ui.dashboard_view import PENDING, CycleDashboard, display_text


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    workspace = Store(tmp_path / "demo.sqlite", durable=False)
    write_demo(workspace, DemoSize(departments=6, cycles=1), seed=5)
    yield workspace
    workspace.close()


def test_rows_replaced_later_are_signalled_once(qtbot, store: Store) -> None:
    widget = CycleDashboard(store)
    qtbot.addWidget(widget)
    model: DashboardModel = widget.model
    widget.stop()  # no filling in behind the test's back
    signals: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last: signals.append((first.row(), last.row())))
    audits = [r.audit for r in model.rows if r.audit is not None]
    for audit in audits[1:4]:
        assert model.replace_row(full_row(store, audit.id), later=True)
    assert signals == []  # not yet told
    model.show_changes()
    assert len(signals) == 1
    first, last = signals[0]
    assert first <= 1 and last >= 3  # one span over the replaced rows
    model.show_changes()
    assert len(signals) == 1  # nothing new to tell


def test_a_cold_cycle_fills_in_and_the_view_is_told_of_every_row(
    qtbot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_view, "SCORE_FIRST_S", 0)  # a cycle too slow to score first
    with store.transaction():
        store.conn.execute("DELETE FROM score_cache")
    widget = CycleDashboard(store)
    qtbot.addWidget(widget)
    told: set[int] = set()
    widget.model.dataChanged.connect(
        lambda first, last: told.update(range(first.row(), last.row() + 1))
    )
    widget.show()
    assert not widget.figures_complete()  # cold: every audit to score
    with qtbot.waitSignal(widget.figuresReady, timeout=10_000):
        pass
    model = widget.model
    cells = [[display_text(r, c) for c in model.columns] for r in model.rows]
    assert not any(PENDING in row for row in cells)
    audited = {i for i, r in enumerate(model.rows) if r.audit is not None}
    assert audited and audited <= told  # sorted and repainted, not only changed underneath


def test_a_small_cold_cycle_is_scored_before_it_is_first_shown(qtbot, store: Store) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM score_cache")
    widget = CycleDashboard(store)
    qtbot.addWidget(widget)
    assert widget.figures_complete()  # no quick rows to repaint a moment later
    model = widget.model
    cells = [[display_text(r, c) for c in model.columns] for r in model.rows]
    assert not any(PENDING in row for row in cells)
    kept = store.conn.execute("SELECT count(*) FROM score_cache").fetchone()[0]
    assert kept == sum(r.audit is not None for r in model.rows) > 0  # and kept for next time
