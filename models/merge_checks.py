"""The checks a merge plan must pass before anything is written: values a door into the store
refuses, signed-off content, required answers, row ids (models/merge_planning.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from models.completion import row_complete
from models.merge_records import (
    DRAFT,
    NEEDS_ANSWERS,
    SIGNED_OFF,
    AuditPlan,
    Record,
    Take,
    Version,
)
from models.questionnaire import DefinitionError, Questionnaire, get_questionnaire
from models.records import STATUS_LABELS
from models.scoring import missing_required
from models.store import Store
from models.validation import exclusive_problem
from models.values import is_empty


def _check_values(plan: AuditPlan) -> None:
    """Merging is a door into the store: a choice that breaks its exclusive option ("None of
    these" ticked with named areas, models.validation.exclusive_problem) is refused, and the
    audit skipped whole with the value named. (Other value checks are not made here yet.)"""
    if plan.action == "skip":
        return
    audit = plan.incoming.audit
    try:
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    except DefinitionError:
        return  # refused when the package is read
    if plan.action == "add":
        answers = list(plan.incoming.answers.items())
        rows = [(r.table, r.cells) for r in plan.incoming.rows]
    else:
        answers = [(t.item, t.value) for t in plan.takes if t.kind == "answer"]
        rows = [(t.question_id, t.value) for t in plan.takes if t.kind == "row" and t.value]
    problems = [
        f"the answer to '{form.question(qid).label}': {problem}"
        for qid, value in answers
        if form.has_question(qid) and (problem := exclusive_problem(form.question(qid), value))
    ]
    for table_id, cells in rows:
        if not form.has_question(table_id) or not isinstance(cells, dict):
            continue
        table = form.question(table_id)
        for column in table.columns:
            problem = exclusive_problem(column, cells.get(column.id))
            if problem:
                problems.append(
                    f"a {table.row_label} of '{table.label}', {column.label}: {problem}"
                )
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        _skip(plan, f"{problems[0]}{more}; nothing of it was merged.")


def _check_signed_off(
    plan: AuditPlan, mine: dict[Record, Version], theirs: dict[Record, Version], resigned: bool
) -> None:
    """A signed-off audit ends with exactly the content its signer saw, or is not merged.

    `resigned`: signed off on both sides, and only the package has moved it since (reopened
    and signed off again there): its content is taken with its sign-off."""
    audit_id = plan.audit_id
    current = mine[("status", audit_id)].value
    status_take = next((t for t in plan.takes if t.kind == "status"), None)
    final = status_take.value if status_take else current
    if final != SIGNED_OFF:
        return
    content = plan.content_takes
    if status_take is None and content and resigned:
        status_take = Take("status", audit_id, "", SIGNED_OFF)
        plan.takes.append(status_take)
    if status_take is None:
        if content or any(c.kind != "status" for c in plan.conflicts):
            _skip(
                plan,
                "it is signed off here and the package changes its content. Reopen it "
                "(Audit ▸ Reopen…) and import the package again to take the changes.",
            )
        return
    # The content merging would leave, answers, comments and each row's cells, table and
    # place, must be the package's: the content its signer saw.
    after = _after(mine, content)
    signed = {record: v for record, v in theirs.items() if record[0] != "status"}
    if after != signed:
        key = (plan.incoming.audit.questionnaire_id, plan.incoming.audit.questionnaire_version)
        _skip(
            plan,
            "it was signed off in the package, but this workspace has changes the sign-off "
            f"did not include ({_differences(after, signed, key)}). Ask for it to be "
            "reopened, or send your changes first.",
        )


def _after(mine: dict[Record, Version], takes: list[Take]) -> dict[Record, Version]:
    """An audit's content records as writing `takes` leaves them (as _merge_audit writes
    them: rows of the tables it touches numbered again)."""
    after = {record: v for record, v in mine.items() if record[0] != "status"}
    tables: set[str] = set()
    for t in takes:
        record = (t.kind, t.item)
        if t.kind == "row":
            tables.add(t.question_id)
            if t.value is None:
                after.pop(record, None)
            else:
                after[record] = Version(t.value, table=t.question_id, position=t.position or 0)
        elif is_empty(t.value):
            after.pop(record, None)
        elif t.kind in ("answer", "comment"):
            after[record] = Version(t.value)
    for table in tables:
        placed = sorted(
            (v.position or 0, item)
            for (kind, item), v in after.items()
            if kind == "row" and v.table == table
        )
        for n, (_, item) in enumerate(placed):
            after[("row", item)] = replace(after[("row", item)], position=n)
    return after


def _differences(
    here: dict[Record, Version], there: dict[Record, Version], key: tuple[str, int]
) -> str:
    """What differs between two versions of an audit's content, in a few words."""
    try:
        questionnaire: Questionnaire | None = get_questionnaire(*key)
    except DefinitionError:
        questionnaire = None

    def label(question_id: str) -> str:
        if questionnaire is not None and questionnaire.has_question(question_id):
            return f"“{questionnaire.question(question_id).label}”"
        return question_id

    found: list[str] = []
    for record in sorted(here.keys() | there.keys()):
        mine, theirs = here.get(record), there.get(record)
        if mine == theirs:
            continue
        kind, item = record
        if kind == "answer":
            found.append(f"the answer to {label(item)}")
        elif kind == "comment":
            found.append(f"the comment on {label(item)}")
        elif kind == "evidence":
            found.append(f"the evidence on {label((mine or theirs or Version(None)).table)}")
        else:
            table = label((mine or theirs or Version(None)).table)
            same_cells = mine is not None and theirs is not None and mine.value == theirs.value
            found.append(f"the order of the rows of {table}" if same_cells else f"a row of {table}")
    found = list(dict.fromkeys(found))
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return "; ".join(found[:3]) + more


def _check_required(plan: AuditPlan, mine: dict[Record, Version], current: str) -> None:
    """A merge never leaves an audit submitted or reviewed with required answers missing:
    the package's move there is not taken (but known, so it is not offered again: someone
    submits once the answers are there), and a status of this workspace's own that the
    merged answers no longer support returns to draft. No answer is changed."""
    final = plan.status or current
    if final not in NEEDS_ANSWERS or not plan.takes:
        return
    audit = plan.incoming.audit
    try:
        questionnaire = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    except DefinitionError:
        return  # a questionnaire this version of the app does not have: nothing to check
    after = _after(mine, plan.content_takes)
    answers = {item: v.value for (kind, item), v in after.items() if kind == "answer"}
    row_counts: dict[str, int] = defaultdict(int)
    for (kind, _), v in after.items():
        if kind == "row" and questionnaire.has_question(v.table):
            table = questionnaire.question(v.table)
            row_counts[v.table] += row_complete(table, v.value or {}) if table.is_table else 1
    missing = missing_required(questionnaire, answers, row_counts)
    if not missing:
        return
    names = "; ".join(q.label for q in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    unanswered = f"{len(missing)} required question(s) unanswered: {names}{more}"
    ending = "kept as draft" if current == DRAFT else "returned to draft"
    if plan.status is not None:
        label = STATUS_LABELS.get(plan.status, plan.status)
        plan.note = f"{ending}: the package's “{label}” would leave {unanswered}"
        plan.takes = [t for t in plan.takes if t.kind != "status"]
    else:
        plan.note = f"{ending}: after merging, {unanswered}"
    plan.status = None if current == DRAFT else DRAFT


def _check_row_ids(plan: AuditPlan, store: Store) -> None:
    """A row id held by another audit here cannot be given to this one."""
    if plan.action == "skip":
        return
    for t in plan.content_takes:
        if t.kind != "row" or t.value is None:
            continue
        owner = store.conn.execute(
            "SELECT audit_id FROM table_rows WHERE id = ?", [t.item]
        ).fetchone()
        if owner is not None and owner[0] != plan.audit_id:
            _skip(plan, f"one of its rows ({t.item}) already belongs to another audit here.")
            return


def _skip(plan: AuditPlan, reason: str) -> None:
    plan.action, plan.reason = "skip", reason
    plan.takes, plan.conflicts, plan.absorb, plan.status = [], [], [], None


def check_evidence_rows(store: Store, plans: list[AuditPlan], package_name: str) -> None:
    """Evidence put on a row another audit owns here is refused when planning, as the merge
    itself refuses it (models/merge._check_evidence), so a dry run and the preview say so;
    a row the package deletes here is left out (the evidence is then on a row deleted since)."""
    from models.incoming import listed
    from models.merge_records import MergeError

    deleted = {t.item for p in plans for t in p.takes if t.kind == "row" and t.value is None}
    problems = []
    for p in plans:
        if p.action == "skip":
            continue
        wanted = {t.item for t in p.takes if t.kind == "evidence" and t.value is not None}
        for e in p.incoming.evidence:
            if (
                e.row_id is None
                or e.row_id in deleted
                or (p.action != "add" and e.id not in wanted)
            ):
                continue
            owner = store.conn.execute(
                "SELECT audit_id FROM table_rows WHERE id = ?", [e.row_id]
            ).fetchone()
            if owner is not None and owner[0] != p.audit_id:
                problems.append(
                    f"{p.title}: the evidence file {e.name!r} is on a row ({e.row_id}) of "
                    "another audit here"
                )
    if problems:
        raise MergeError(
            f"{package_name} is refused: evidence in it is not on a question and row of its "
            f"own audit; nothing was merged:\n{listed(problems)}"
        )
