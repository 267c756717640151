"""What verify reports and how it names records: Problem, the check names, and _Names.

Shared by models.verify and models.verify_chain so neither imports the other.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from models.history_chain import Link
from models.json_text import loads
from models.questionnaire import DefinitionError, Questionnaire, get_questionnaire
from models.records import STATUS_LABELS
from models.values import BLANK, clipped, in_words

CHAIN, OUTSIDE, CONTENT, SIGNED_OFF, DATABASE = (
    "chain",
    "outside the app",
    "content",
    "sign-off",
    "database",
)
WORKSPACE = "Whole workspace"  # the "audit" of problems no single audit owns
_LABEL_CHARS = 70
_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One thing found wrong, with the audit and the record it touched."""

    audit_id: str  # "" for the workspace as a whole
    audit: str  # "Home Office — 2013 baseline", or WORKSPACE
    record: str  # "answer to '…' (cio_on_board)", "row 3 of …", "history entry 1234"
    problem: str  # what is wrong, in words
    when: str = ""  # when it happened as recorded (UTC, "2024-05-01T14:03:12.345"), if known
    check: str = ""  # which check found it: CHAIN, OUTSIDE, CONTENT, SIGNED_OFF, DATABASE
    seq: int = 0  # the history entry it concerns, for ordering (0: none)

    @property
    def when_text(self) -> str:
        """The time for people: "2024-05-01 14:03:12 UTC"."""
        return f"{self.when[:19].replace('T', ' ')} UTC" if self.when else ""


# ---------------------------------------------------------------- naming records
class _Names:
    """Audits and records as people know them: department, cycle, question, table row."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.audits: dict[str, tuple[str, tuple[str, int]]] = {
            str(audit_id): (f"{name} — {cycle}", (str(form), int(version)))
            for audit_id, name, cycle, form, version in conn.execute(
                "SELECT a.id, coalesce(d.name, a.department_name), a.cycle, a.questionnaire_id,"
                " a.questionnaire_version FROM audits a LEFT JOIN departments d"
                " ON d.id = a.department_id"
            )
        }
        self._forms: dict[tuple[str, int], Questionnaire | None] = {}

    def audit(self, audit_id: str) -> str:
        if not audit_id:
            return WORKSPACE
        known = self.audits.get(audit_id)
        return known[0] if known else f"audit {audit_id} (no longer in the workspace)"

    def _form(self, audit_id: str) -> Questionnaire | None:
        known = self.audits.get(audit_id)
        if known is None:
            return None
        key = known[1]
        if key not in self._forms:
            try:
                self._forms[key] = get_questionnaire(*key)
            except DefinitionError:
                self._forms[key] = None
        return self._forms[key]

    def question(self, audit_id: str, question_id: str) -> str:
        """The question's label and id, or the id alone when the form lacks it."""
        form = self._form(audit_id)
        if form is None or not form.has_question(question_id):
            return question_id
        return f"'{clipped(form.question(question_id).label, _LABEL_CHARS)}' ({question_id})"

    def table(self, audit_id: str, question_id: str) -> str:
        """A table by its section's title ("Senior technology roles"), else its id."""
        form = self._form(audit_id)
        if form is None or not form.has_question(question_id):
            return question_id
        question = form.question(question_id)
        section = form.section(question.section_id)
        tables = [q for q in section.questions if q.is_table]
        return section.title if len(tables) == 1 else clipped(question.label, _LABEL_CHARS)

    def record(
        self, kind: str, audit_id: str, item: str, question_id: str, position: Any = None
    ) -> str:
        """What a history entry or a stored record is about, in words."""
        if kind == "answer":
            return f"answer to {self.question(audit_id, item)}"
        if kind == "comment":
            return f"comment on {self.question(audit_id, item)}"
        if kind == "row":
            if position is None:
                row = self.conn.execute(
                    "SELECT position FROM table_rows WHERE id = ?", [item]
                ).fetchone()
                position = row[0] if row else None
            where = f"row {int(position) + 1}" if position is not None else "a row"
            return f"{where} of {self.table(audit_id, question_id)} (row id {item})"
        if kind == "status":
            return "status of the audit"
        if kind == "audit":
            return f"{question_id.replace('_', ' ')} of {self.audit(item)}"
        if kind == "department":
            return f"department {item}'s {question_id}"
        if kind == "evidence":
            return f"evidence file {item} on {self.question(audit_id, question_id)}"
        return f"{kind} {item}"

    def entry(self, link: Link) -> str:
        """A sealed entry and what it is about: "history entry 1234 (answer to …)"."""
        _seq, audit_id, kind, item, question_id, _o, _n, old_pos, new_pos = link.fields[:9]
        position = new_pos if new_pos is not None else old_pos
        about = self.record(str(kind), str(audit_id), str(item), str(question_id), position)
        return f"history entry {link.seq} ({about})"


def _shown(kind: str, text: str | None) -> str:
    """A stored value as a person reads it: Yes/No, quoted text, lists joined, blank."""
    if text is None:
        return BLANK
    if kind in ("comment", "audit", "department"):
        return f'"{clipped(text, _VALUE_CHARS)}"'
    if kind == "status":
        return STATUS_LABELS.get(text, text)
    try:
        value = loads(text)
    except ValueError:
        return f"unreadable text {clipped(text, _VALUE_CHARS)!r}"
    return _plain(value)


def _plain(value: Any) -> str:
    return in_words(value, limit=_VALUE_CHARS, quote_text=True)


def _row_change(old: str | None, new: str | None, old_pos: Any, new_pos: Any) -> str:
    """What happened to a table row: added, deleted, moved, which cells changed."""
    if old is None:
        return f"added, holding {_shown('row', new)}"
    if new is None:
        return f"deleted (it held {_shown('row', old)})"
    parts = []
    if old_pos != new_pos and old_pos is not None and new_pos is not None:
        parts.append(f"moved from row {int(old_pos) + 1} to row {int(new_pos) + 1}")
    try:
        before, after = loads(old), loads(new)
    except ValueError:
        before, after = None, None
    if isinstance(before, dict) and isinstance(after, dict):
        for column in sorted(set(before) | set(after)):
            if before.get(column) != after.get(column):
                parts.append(
                    f"{column} from {_plain(before.get(column))} to {_plain(after.get(column))}"
                )
    elif old != new:
        parts.append(f"cells from {_shown('row', old)} to {_shown('row', new)}")
    return "; ".join(parts) or "rewritten with the same cells"
