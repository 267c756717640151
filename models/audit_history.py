"""What an audit held at a past moment, rebuilt from its recorded changes (migrations v4).

Today's answers, comments and rows with every change recorded after that moment undone,
newest first. Changes made before the workspace recorded history cannot be undone, so the
earliest moment that can be rebuilt exactly is when recording began (`recorded_since`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from models.audit_compare import (
    AuditComparison,
    ComparedRow,
    NothingToCompare,
    StoredContent,
    compare_content,
)
from models.content_diff import display_text
from models.json_text import loads
from models.questionnaire import Questionnaire, get_questionnaire
from models.records import STATUS_LABELS
from models.store import Store
from models.values import is_empty


def stamp(moment: datetime) -> str:
    """A moment as the history triggers write it: UTC, to the millisecond."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a local time, as the user picked it
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def recorded_since(store: Store, audit_id: str) -> datetime | None:
    """When the first recorded change to this audit was made (None: none recorded yet)."""
    row = store.conn.execute(
        "SELECT min(at) FROM history WHERE audit_id = ? AND kind != 'status'", [audit_id]
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


# ---------------------------------------------------------------------- one record's changes
HERE, MERGED, ELSEWHERE, OUTSIDE = "here", "merged", "another workspace", "outside the app"


@dataclass(frozen=True)
class Change:
    """One recorded change to an answer, comment, row or status: who, when, from, to, why.

    `old` and `new` are decoded (an answer's value, a row's cells, a comment's text, a
    status name); None means absent (added, cleared, deleted). `source` says where the
    change was made: in this workspace, brought in by a merge, in another workspace (taken
    in from its package), or outside the app (recorded by the triggers but never sealed).
    """

    kind: str
    item: str
    question_id: str
    at: datetime
    who: str
    old: Any
    new: Any
    note: str
    source: str
    origin: str | None = None
    old_position: int | None = None
    new_position: int | None = None

    @property
    def sealed(self) -> bool:
        """Sealed into the history chain by the app (False: made behind its back)."""
        return self.source != OUTSIDE

    @property
    def from_another_workspace(self) -> bool:
        return self.source == ELSEWHERE

    @property
    def moved_only(self) -> bool:
        """A row that only changed place (its own move, or another row added or removed)."""
        return self.kind == "row" and self.old == self.new and self.old is not None


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _decode(kind: str, text: str | None) -> Any:
    if text is None:
        return None
    return loads(text) if kind in ("answer", "row") else text


def _position(value: Any) -> int | None:
    return None if value is None else int(value)


def _changes(store: Store, audit_id: str, where: str, params: list[Any]) -> list[Change]:
    """History and absorbed changes matching `where`, newest first, each origin once."""
    found: list[Change] = []
    seen: set[str] = set()
    history = store.conn.execute(
        "SELECT kind, item, question_id, at, who, old, new, note, origin, hash, old_position,"
        f" new_position FROM history WHERE audit_id = ? AND {where} ORDER BY seq",
        [audit_id, *params],
    )
    for kind, item, qid, at, who, old, new, note, origin, digest, old_pos, new_pos in history:
        if origin is not None:
            if origin in seen:
                continue
            seen.add(origin)
        source = OUTSIDE if digest is None else HERE if origin else MERGED
        found.append(
            Change(
                kind, item, qid, _moment(at), who, _decode(kind, old), _decode(kind, new),
                note, source, origin, _position(old_pos), _position(new_pos),
            )
        )  # fmt: skip
    absorbed = store.conn.execute(
        "SELECT kind, item, question_id, at, who, old, new, note, origin FROM absorbed_changes"
        f" WHERE audit_id = ? AND {where}",
        [audit_id, *params],
    )
    for kind, item, qid, at, who, old, new, note, origin in absorbed:
        if origin in seen:  # one of ours that came back in another workspace's package
            continue
        seen.add(origin)
        found.append(
            Change(
                kind, item, qid, _moment(at), who, _decode(kind, old), _decode(kind, new),
                note, ELSEWHERE, origin,
            )
        )  # fmt: skip
    # Stable: changes made in the same millisecond keep the order they were recorded in.
    found.reverse()
    found.sort(key=lambda c: c.at, reverse=True)
    return found


def changes_to(store: Store, audit_id: str, kind: str, item: str) -> list[Change]:
    """Every recorded change to one answer or comment (item: question id) or table row
    (item: row id), newest first, including those taken in from other workspaces."""
    return _changes(store, audit_id, "kind = ? AND item = ?", [kind, item])


def audit_changes(store: Store, audit_id: str, question_id: str | None = None) -> list[Change]:
    """Every recorded change to an audit, or to one question (its answer, comment, rows),
    newest first: what `baseline history` lists."""
    if question_id is None:
        return _changes(store, audit_id, "1 = 1", [])
    return _changes(store, audit_id, "kind != 'status' AND question_id = ?", [question_id])


def bursts(changes: list[Change], seconds: float = 3.0) -> list[Change]:
    """Changes (newest first) with each burst of typing in one answer or comment made one:
    the form stores every keystroke, the reader wants "from what to what"."""
    merged: list[Change] = []
    edge: datetime | None = None  # the earliest keystroke of the burst being gathered
    for change in changes:  # newest first: each change may extend the burst after it
        later = merged[-1] if merged else None
        if (
            later is not None
            and edge is not None
            and change.kind in ("answer", "comment")
            and (later.kind, later.item, later.who, later.source, later.note)
            == (change.kind, change.item, change.who, change.source, change.note)
            and (edge - change.at).total_seconds() <= seconds
        ):
            merged[-1] = replace(later, old=change.old)
        else:
            merged.append(change)
        edge = change.at
    return [c for c in merged if c.kind not in ("answer", "comment") or c.old != c.new]


def table_changes(store: Store, audit_id: str, table_id: str) -> list[Change]:
    """Every recorded change to any row of one table question, newest first."""
    return _changes(store, audit_id, "kind = 'row' AND question_id = ?", [table_id])


def status_changes(store: Store, audit_id: str) -> list[Change]:
    """The audit's lifecycle, oldest first: each move with who, when and the reason."""
    return _changes(store, audit_id, "kind = 'status'", [])[::-1]


def last_signed_off(store: Store, audit_id: str) -> Change | None:
    """The move that signed the audit off most recently (None: never signed off).

    A merge that brought a sign-off in wrote it again here; the signer is whoever made the
    original, which the package brought along (from another workspace)."""
    moves = [c for c in status_changes(store, audit_id) if c.new == "signed_off"]
    made = [c for c in moves if c.source != MERGED]
    return (made or moves)[-1] if moves else None


def value_text(questionnaire: Questionnaire, change: Change, value: Any) -> str:
    """One side of a change as read on screen: a formatted answer, a row's cells, a status."""
    if value is None:
        return ""
    if change.kind == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if change.kind == "comment":
        return str(value)
    question = (
        questionnaire.question(change.question_id)
        if questionnaire.has_question(change.question_id)
        else None
    )
    if change.kind == "row" and isinstance(value, dict):
        columns = question.columns if question is not None else ()
        parts = [
            f"{c.label}: {display_text(c, value.get(c.id))}"
            for c in columns
            if not is_empty(value.get(c.id))
        ]
        known = {c.id for c in columns}
        parts += [f"{k}: {v}" for k, v in value.items() if k not in known and not is_empty(v)]
        return "; ".join(parts) or "(empty row)"
    return display_text(question, value)
