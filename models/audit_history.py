"""What an audit held at a past moment, rebuilt from its recorded changes (migrations v4).

Today's answers, comments and rows with every change recorded after that moment undone,
newest first. Changes made before the workspace recorded history cannot be undone, so the
earliest moment that can be rebuilt exactly is when recording began (`recorded_since`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from models.audit_compare import (
    AuditComparison,
    ComparedRow,
    NothingToCompare,
    StoredContent,
    compare_content,
)
from models.json_text import loads
from models.questionnaire import get_questionnaire
from models.store import Store


def stamp(moment: datetime) -> str:
    """A moment as the history triggers write it: UTC, to the millisecond."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a local time, as the user picked it
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def recorded_since(store: Store, audit_id: str) -> datetime | None:
    """When the first recorded change to this audit was made (None: none recorded yet)."""
    row = store.conn.execute(
        "SELECT min(at) FROM history WHERE audit_id = ?", [audit_id]
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return datetime.fromisoformat(row[0]).replace(tzinfo=UTC)


def content_at(
    store: Store, audit_id: str, table_ids: Iterable[str], moment: datetime
) -> StoredContent:
    """The audit's answers, comments and rows as they stood at `moment`."""
    conn = store.conn
    answers = store.answers(audit_id)
    comments = store.comments(audit_id)
    rows: dict[str, tuple[str, int, str]] = {
        row_id: (question_id, position, cells)
        for row_id, question_id, position, cells in conn.execute(
            "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?",
            [audit_id],
        )
    }
    later = conn.execute(
        "SELECT kind, item, question_id, old, old_position FROM history"
        " WHERE audit_id = ? AND at > ? AND kind IN ('answer', 'comment', 'row')"
        " ORDER BY seq DESC",
        [audit_id, stamp(moment)],
    )
    for kind, item, question_id, old, old_position in later:
        if kind == "answer":
            _undo(answers, item, None if old is None else loads(old))
        elif kind == "comment":
            _undo(comments, item, old)
        elif old is None:
            rows.pop(item, None)
        else:
            rows[item] = (question_id, int(old_position or 0), old)
    wanted = set(table_ids)
    tables: dict[str, list[ComparedRow]] = {t: [] for t in wanted}
    for row_id, (question_id, _position, cells) in sorted(rows.items(), key=lambda r: r[1][1]):
        if question_id in wanted:
            tables[question_id].append(ComparedRow(row_id, cells))
    return StoredContent(answers, comments, tables)


def _undo(values: dict[str, Any], key: str, old: Any) -> None:
    if old is None:
        values.pop(key, None)
    else:
        values[key] = old


def compare_with_past(store: Store, audit_id: str, moment: datetime) -> AuditComparison:
    """One audit as it stood at `moment` against the audit now: what changed since."""
    audit = store.audit(audit_id)
    if recorded_since(store, audit_id) is None:
        raise NothingToCompare(
            f"No changes to {audit.department_name}'s {audit.cycle} audit have been recorded "
            "yet: there is nothing to compare."
        )
    form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    tables = [q.id for q in form.table_questions()]
    local = moment.astimezone() if moment.tzinfo else moment
    when = local.strftime("%-d %b %Y %H:%M")
    before = replace(audit, cycle=f"{audit.cycle} on {when}")
    after = replace(audit, cycle=f"{audit.cycle} now")
    now = content_at(store, audit_id, tables, datetime.now(UTC))
    return compare_content(
        before, after, form, form, content_at(store, audit_id, tables, moment), now
    )
