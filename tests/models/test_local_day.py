"""A stored moment is dated by its local day everywhere (review F14: the board report's cover
said 'Signed off 30 June 2026' for 00:30 on 1 July in London, 23:30 UTC)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from exporters.board_report import write_board_report
from models.formatting import format_date, format_datetime
from models.questionnaire import current_questionnaire
from models.store import Store


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_utc_moment_late_in_the_day_is_the_next_local_day(london: None) -> None:
    assert format_date("2026-06-30T23:30:00.000+00:00") == "1 July 2026"
    assert format_date("2026-06-30T23:30:00Z") == "1 July 2026"
    assert format_date("2026-12-31T23:30:00+00:00") == "31 December 2026"  # GMT in winter
    assert format_date("2026-06-30") == "30 June 2026"  # a day is a day, not a moment
    assert format_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert format_date("not a date") == "not a date"


@given(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31), timezones=st.just(UTC)))
def test_the_day_is_the_day_format_datetime_shows(moment: datetime) -> None:
    text = moment.isoformat()
    assert format_datetime(text).startswith(format_date(text) + ", ")


def test_board_report_cover_dates_the_sign_off_by_the_local_day(
    tmp_path: Path, london: None
) -> None:
    db = tmp_path / "ws.sqlite"
    with Store(db) as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", current_questionnaire(), "A. Auditor")
    with sqlite3.connect(db) as raw:  # signed off at 00:30 on 1 July, BST
        raw.execute(
            "UPDATE audits SET status = 'signed_off', updated_at = ? WHERE id = ?",
            ["2026-06-30T23:30:00.000+00:00", audit.id],
        )
    raw.close()
    with Store(db) as store:
        write_board_report(store, audit.id, tmp_path / "r.pdf")
    text = re.sub(r"\s+", " ", PdfReader(tmp_path / "r.pdf").pages[0].extract_text())
    assert "Signed off 1 July 2026" in text
