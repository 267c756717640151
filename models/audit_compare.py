"""What changed between two audits of one department: answers, comments and table rows.

The two audits may use different questionnaire versions: questions are matched by their
stable id, wherever they sit in either version. Table rows are matched by the table's
natural key where it has one (NATURAL_KEYS), then by row id, then by identical content;
rows left over are additions and removals.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.content_diff import display_text
from models.json_text import loads
from models.questionnaire import Field, Question, Questionnaire, get_questionnaire
from models.records import Audit
from models.store import Store
from models.values import is_empty

# The columns that name a row in the real world, tried in order for each table. The
# questionnaire format has no key yet; a table missing here is matched by row id and content.
NATURAL_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "senior_roles": (("post_ref",),),
    "workforce_mix": (("profession_family", "staff_type"),),
    "contracts": (("supplier", "service"),),
    "major_programmes": (("gmpp_id",), ("name",)),
}

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
Lookup = Callable[[str, int], Questionnaire]


class CompareError(ValueError):
    """Two audits that cannot be compared; the message is for the user."""


class NothingToCompare(CompareError):
    """A department with fewer than two audits, or the same audit chosen twice."""


class ComparedRow:
    """A table row being compared: its JSON is parsed only when its cells are needed.

    `values` holds the natural-key cells SQLite read out of the JSON, so rows can be paired
    (and identical rows told apart by their text) without parsing thousands of them.
    """

    __slots__ = ("_cells", "id", "text", "values")

    def __init__(
        self,
        id: str | None,
        text: str = "",
        values: dict[str, Any] | None = None,
        *,
        cells: dict[str, Any] | None = None,
    ) -> None:
        self.id = id
        self.text = text
        self.values = values or {}
        self._cells = cells

    @property
    def cells(self) -> dict[str, Any]:
        if self._cells is None:
            self._cells = loads(self.text) if self.text else {}
        return self._cells

    def value(self, column_id: str) -> Any:
        values = self.values
        return values[column_id] if column_id in values else self.cells.get(column_id)


@dataclass(frozen=True)
class AnswerChange:
    """One question whose answer or comment differs, or that only one version asks."""

    kind: str  # changed, added, removed, comment changed/added/removed, only earlier/later
    question_id: str
    section: str  # the section title, in the later audit's questionnaire where it has one
    label: str
    old: str  # as an auditor reads it
    new: str
    note: str = ""  # "moved from Board capability", "only in version 1", ...


@dataclass(frozen=True, slots=True)
class RowPair:
    """A row of the earlier audit and its match in the later one (None where it has none)."""

    status: str  # added, removed, changed, same
    old: int | None  # index into TableComparison.old_rows
    new: int | None
    changed: frozenset[str] = frozenset()  # ids of the columns whose values differ


@dataclass
class TableComparison:
    """One table question's rows in both audits, paired up in display order."""

    question_id: str
    title: str
    row_label: str
    columns: tuple[Field, ...]  # the later version's columns, then any only the earlier has
    compared: frozenset[str]  # the column ids both versions have: only these count as changes
    old_rows: list[ComparedRow]
    new_rows: list[ComparedRow]
    pairs: list[RowPair]
    key: tuple[str, ...] = ()  # the natural key tried first, () when there is none
    only_in: str = ""  # "earlier" or "later" when only one version asks this table
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = dict(Counter(p.status for p in self.pairs))

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def differs(self) -> bool:
        return self.count(SAME) != len(self.pairs)

    def counts_text(self) -> str:
        """ "3 added, 1 removed, 2 changed" (or "no differences") for a tab or a heading."""
        parts = [f"{n} {s}" for s in (ADDED, REMOVED, CHANGED) if (n := self.count(s))]
        return ", ".join(parts) or "no differences"


@dataclass
class AuditComparison:
    """Everything that differs between an earlier and a later audit."""

    old: Audit
    new: Audit
    old_questionnaire: Questionnaire
    new_questionnaire: Questionnaire
    answers: list[AnswerChange] = field(default_factory=list)
    tables: list[TableComparison] = field(default_factory=list)

    def table(self, question_id: str) -> TableComparison:
        for table in self.tables:
            if table.question_id == question_id:
                return table
        raise KeyError(question_id)

    def summary(self) -> str:
        """One line for the top of the view: "12 answers changed, 3 roles added, …"."""
        kinds = [a.kind for a in self.answers]
        parts = [
            _count(kinds.count("changed"), "answer", "changed"),
            _count(kinds.count("added"), "answer", "added"),
            _count(kinds.count("removed"), "answer", "cleared"),
            _count(sum(k.startswith("comment") for k in kinds), "comment", "changed"),
        ]
        for table in self.tables:
            noun = _row_noun(table)
            for status in (ADDED, REMOVED, CHANGED):
                parts.append(_count(table.count(status), noun, status))
        for side, version in (
            ("earlier", self.old_questionnaire.version),
            ("later", self.new_questionnaire.version),
        ):
            n = kinds.count(f"only {side}")
            parts.append(_count(n, "question", f"only in version {version}"))
        said = [p for p in parts if p]
        if not said:
            return "No differences: both audits hold the same answers, comments and rows."
        return ", ".join(said) + "."


def _count(n: int, noun: str, what: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'} {what}" if n else ""


def _row_noun(table: TableComparison) -> str:
    if table.row_label and table.row_label != "row":
        return table.row_label
    return f"{table.question_id.replace('_', ' ')} row"


# --------------------------------------------------------------------------- entry points


@dataclass
class StoredContent:
    """What is compared of one audit: answers, comments, and each table's rows in order."""

    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[ComparedRow]] = field(default_factory=dict)


def comparable_pair(store: Store, department_id: str) -> tuple[Audit, Audit]:
    """The department's previous and latest audits: what the compare view opens on."""
    audits = store.audits(department_id)
    if len(audits) < 2:
        name = store.department(department_id).name
        if not audits:
            raise NothingToCompare(f"{name} has no audits yet: there is nothing to compare.")
        raise NothingToCompare(
            f"{name} has only one audit ({audits[0].cycle}): there is nothing to compare "
            "it with yet."
        )
    return audits[-2], audits[-1]


def compare_audits(
    store: Store, old_id: str, new_id: str, *, questionnaires: Lookup = get_questionnaire
) -> AuditComparison:
    """Every difference between two audits of one department, earlier one first."""
    if old_id == new_id:
        raise NothingToCompare("Choose two different audits to compare.")
    old, new = store.audit(old_id), store.audit(new_id)
    if old.department_id != new.department_id:
        raise CompareError(
            f"{old.cycle} ({old.department_name}) and {new.cycle} ({new.department_name}) "
            "are audits of different departments."
        )
    old_q = questionnaires(old.questionnaire_id, old.questionnaire_version)
    new_q = questionnaires(new.questionnaire_id, new.questionnaire_version)
    tables = list(dict.fromkeys(q.id for form in (new_q, old_q) for q in form.table_questions()))
    return compare_content(
        old,
        new,
        old_q,
        new_q,
        read_for_compare(store, old_id, tables),
        read_for_compare(store, new_id, tables),
    )


def read_for_compare(store: Store, audit_id: str, table_ids: Iterable[str]) -> StoredContent:
    """An audit's answers, comments and rows; rows keep their JSON text until it is needed."""
    tables: dict[str, list[ComparedRow]] = {}
    for table_id in table_ids:
        # Key columns are read from the decoded row (orjson), faster than json_extract in SQL
        cursor = store.conn.execute(
            "SELECT id, cells FROM table_rows WHERE audit_id = ? AND question_id = ?"
            " ORDER BY position",
            [audit_id, table_id],
        )
        tables[table_id] = [ComparedRow(row_id, text) for row_id, text in cursor]
    return StoredContent(store.answers(audit_id), store.comments(audit_id), tables)


def compare_content(
    old: Audit,
    new: Audit,
    old_q: Questionnaire,
    new_q: Questionnaire,
    before: StoredContent,
    after: StoredContent,
) -> AuditComparison:
    """The comparison of two audits' content, each read against its own questionnaire."""
    result = AuditComparison(old, new, old_q, new_q)
    for qid in _question_order(old_q, new_q, before, after):
        q_old = old_q.question(qid) if old_q.has_question(qid) else None
        q_new = new_q.question(qid) if new_q.has_question(qid) else None
        shown = q_new or q_old
        section = _section_title(new_q if q_new else old_q, shown)
        label = shown.label if shown else qid
        note = ""
        if q_old and q_new and q_old.section_id != q_new.section_id:
            note = f"moved from {old_q.section(q_old.section_id).title}"
        if (q_old is None) != (q_new is None) and shown is not None:
            side = "earlier" if q_new is None else "later"
            version = (old_q if q_new is None else new_q).version
            result.answers.append(
                AnswerChange(
                    f"only {side}",
                    qid,
                    section,
                    label,
                    _answer_text(q_old, before, qid),
                    _answer_text(q_new, after, qid),
                    f"only in version {version}",
                )
            )
        elif shown is None or not shown.is_table:  # tables are compared row by row below
            a, b = before.answers.get(qid), after.answers.get(qid)
            if not (is_empty(a) and is_empty(b)) and a != b:
                kind = ADDED if is_empty(a) else REMOVED if is_empty(b) else CHANGED
                result.answers.append(
                    AnswerChange(
                        kind,
                        qid,
                        section,
                        label,
                        display_text(q_old, a),
                        display_text(q_new or q_old, b),
                        note,
                    )
                )
        c_old, c_new = before.comments.get(qid, ""), after.comments.get(qid, "")
        if c_old != c_new:
            kind = "comment " + (ADDED if not c_old else REMOVED if not c_new else CHANGED)
            result.answers.append(AnswerChange(kind, qid, section, label, c_old, c_new, note))
        if shown is not None and shown.is_table:
            result.tables.append(
                compare_table(
                    q_old, q_new, before.tables.get(qid, []), after.tables.get(qid, []), section
                )
            )
    return result


def _question_order(
    old_q: Questionnaire, new_q: Questionnaire, before: StoredContent, after: StoredContent
) -> list[str]:
    """The later version's form order, then questions only the earlier one asks, then stray ids."""
    ids = [q.id for q in new_q.questions()] + [q.id for q in old_q.questions()]
    stored = set(before.answers) | set(after.answers) | set(before.comments) | set(after.comments)
    ordered = list(dict.fromkeys(ids))
    return ordered + sorted(stored - set(ordered))


def _section_title(questionnaire: Questionnaire, question: Question | None) -> str:
    """The question's section; a table's is named too when its section has two tables."""
    if question is None:
        return ""
    section = questionnaire.section(question.section_id)
    if question.is_table and sum(1 for q in section.questions if q.is_table) > 1:
        return f"{section.title}: {question.id.replace('_', ' ').capitalize()}"
    return section.title


def _answer_text(question: Question | None, content: StoredContent, qid: str) -> str:
    if question is None:
        return ""
    if question.is_table:
        n = len(content.tables.get(qid, []))
        return f"{n} {question.row_label}{'' if n == 1 else 's'}" if n else ""
    return display_text(question, content.answers.get(qid))


# --------------------------------------------------------------------------- tables

Matcher = Callable[[ComparedRow], Hashable | None]


def compare_table(
    q_old: Question | None,
    q_new: Question | None,
    old_rows: Sequence[ComparedRow],
    new_rows: Sequence[ComparedRow],
    section: str = "",
) -> TableComparison:
    """Pair a table's rows across two audits and say which cells differ."""
    shown = q_new or q_old
    assert shown is not None
    old_cols = {c.id: c for c in (q_old.columns if q_old else ())}
    new_cols = {c.id: c for c in (q_new.columns if q_new else ())}
    columns = tuple(new_cols.values()) + tuple(c for i, c in old_cols.items() if i not in new_cols)
    compared = frozenset(old_cols) & frozenset(new_cols) if q_old and q_new else frozenset()
    keys = [k for k in NATURAL_KEYS.get(shown.id, ()) if set(k) <= compared]
    matches = (
        match_rows(old_rows, new_rows, [_key_of(k) for k in keys], _content_of(compared))
        if q_old and q_new
        else {}
    )
    pairs = _pairs(old_rows, new_rows, matches, compared)
    only_in = "" if q_old and q_new else ("earlier" if q_new is None else "later")
    return TableComparison(
        shown.id,
        section or shown.label,
        shown.row_label,
        columns,
        compared,
        list(old_rows),
        list(new_rows),
        pairs,
        keys[0] if keys else (),
        only_in,
    )


def match_rows(
    old_rows: Sequence[ComparedRow],
    new_rows: Sequence[ComparedRow],
    keys: Sequence[Matcher],
    content: Matcher,
) -> dict[int, int]:
    """new index -> old index: by natural keys in turn, then row id, then identical content.

    A matcher gives a row's key (None: it cannot say); rows with equal keys pair up in order.
    Content only pairs rows no natural key names: keyed rows with unequal keys differ anyway.
    """
    matches: dict[int, int] = {}
    free_old = list(range(len(old_rows)))
    free_new = list(range(len(new_rows)))
    keyed_old: set[int] = set()
    keyed_new: set[int] = set()
    for stage, matcher in enumerate([*keys, _row_id, content]):
        if stage == len(keys) + 1:  # content
            free_old = [i for i in free_old if i not in keyed_old]
            free_new = [j for j in free_new if j not in keyed_new]
        if not free_old or not free_new:
            break
        waiting: dict[Hashable, deque[int]] = defaultdict(deque)
        for i in free_old:
            key = matcher(old_rows[i])
            if key is not None:
                waiting[key].append(i)
                if stage < len(keys):
                    keyed_old.add(i)
        for j in free_new:
            key = matcher(new_rows[j])
            if key is None:
                continue
            if stage < len(keys):
                keyed_new.add(j)
            queue = waiting.get(key)
            if queue:
                matches[j] = queue.popleft()
        taken = set(matches.values())
        free_old = [i for i in free_old if i not in taken]
        free_new = [j for j in free_new if j not in matches]
    return matches


def _key_of(columns: tuple[str, ...]) -> Matcher:
    def key(row: ComparedRow) -> Hashable | None:
        parts = []
        for column in columns:
            value = row.value(column)
            if is_empty(value):
                return None
            parts.append(value.strip().casefold() if isinstance(value, str) else value)
        return tuple(parts)

    return key


def _row_id(row: ComparedRow) -> Hashable | None:
    return row.id or None


def _content_of(compared: frozenset[str]) -> Matcher:
    columns = sorted(compared)

    def content(row: ComparedRow) -> Hashable | None:
        cells = row.cells
        return tuple(_hashable(cells.get(c)) for c in columns)

    return content


def _hashable(value: Any) -> Hashable:
    if is_empty(value):
        return None
    return tuple(value) if isinstance(value, list) else value


def _pairs(
    old_rows: Sequence[ComparedRow],
    new_rows: Sequence[ComparedRow],
    matches: dict[int, int],
    compared: frozenset[str],
) -> list[RowPair]:
    """Pairs in the later audit's order; a removed row goes just before the row that followed it."""
    matched_old = set(matches.values())
    removed = deque(i for i in range(len(old_rows)) if i not in matched_old)
    pairs: list[RowPair] = []
    append = pairs.append
    for j, row in enumerate(new_rows):
        i = matches.get(j)
        if i is None:
            append(RowPair(ADDED, None, j))
            continue
        while removed and removed[0] < i:
            append(RowPair(REMOVED, removed.popleft(), None))
        old_row = old_rows[i]
        if old_row.text and old_row.text == row.text:  # the same JSON: no need to parse it
            append(RowPair(SAME, i, j))
            continue
        before, after = old_row.cells, row.cells
        differ = [c for c, v in before.items() if after.get(c) != v]
        differ += [c for c in after if c not in before]
        changed = frozenset(c for c in differ if c in compared and _differs(before, after, c))
        append(RowPair(CHANGED if changed else SAME, i, j, changed))
    pairs.extend(RowPair(REMOVED, i, None) for i in removed)
    return pairs


def _differs(before: dict[str, Any], after: dict[str, Any], column: str) -> bool:
    return not (is_empty(before.get(column)) and is_empty(after.get(column)))
