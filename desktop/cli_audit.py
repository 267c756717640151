"""`audit new|list|show|set|move` and `history`: one audit read, edited and moved, headlessly.

Answers are parsed by models/validation.py as the form parses typing; the content is
written by models/audit_content.replace_content (what an import writes with), lifecycle
moves by models/lifecycle.apply, history read by models/audit_history.py.
"""

from __future__ import annotations

import argparse
import copy
import difflib
from pathlib import Path
from typing import Any

from desktop import cli_workspace
from desktop.cli_common import (
    DONE,
    PROBLEMS,
    Refused,
    add_db,
    add_json,
    audit_of,
    audit_summary,
    emit,
    run_guarded,
    workspace,
)

COMMANDS = {"audit", "history"}
MOVES = ("submit", "review", "sign-off", "return", "reopen")


def _which(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    parser.add_argument("--department", required=True, metavar="ID|NAME", help="the department")
    parser.add_argument("--cycle", required=True, metavar="LABEL", help="the audit cycle")


def add_parsers(sub: Any) -> None:
    audit = sub.add_parser("audit", help="start, list, show, edit and move audits")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    cli_workspace.add_audit_parsers(audit_sub)
    show = audit_sub.add_parser(
        "show",
        help="show one audit: answers, comments, tables, figures, data-quality notes",
        description="Show one audit. With --json, the audit JSON format (docs/audit-json.md) "
        "with its figures and open data-quality notes added.",
    )
    _which(show)
    add_json(show, "the audit")
    edit = audit_sub.add_parser(
        "set",
        help="set answers, comments and table rows",
        description="Set answers as QUESTION=VALUE (an empty VALUE clears the answer), comments "
        "with --comment QUESTION=TEXT, and answers, comments and table rows from a JSON file. "
        "Values are read as the form reads typing ('yes', '45%', '£1.2m', 'SCS Pay Band 2'); "
        "a bad value or question id is refused, naming it, and nothing is written. A signed-off "
        "audit is refused until it is reopened. Exit 1 when nothing would change.",
    )
    _which(edit)
    edit.add_argument("values", nargs="*", metavar="QUESTION=VALUE", help="answers to set")
    edit.add_argument(
        "--comment", action="append", default=[], metavar="QUESTION=TEXT", help="set a comment"
    )
    edit.add_argument(
        "--from-json",
        type=Path,
        metavar="FILE",
        help='{"answers": {…}, "comments": {…}, "tables": {…}} (changes what it names), or a '
        "document from export-json / audit show --json (the audit becomes exactly that)",
    )
    add_json(edit, "the changes")
    move = audit_sub.add_parser(
        "move",
        help="submit, review, sign off, return or reopen an audit",
        description="Move an audit through its lifecycle: draft → submit → review → sign-off; "
        "return (to draft) and reopen (a signed-off audit) need --reason. A move the audit's "
        "status does not allow is refused (exit 2).",
    )
    _which(move)
    move.add_argument("action", choices=MOVES, metavar="|".join(MOVES))
    move.add_argument("--reason", default="", metavar="TEXT", help="kept in the history")
    add_json(move)

    history = sub.add_parser(
        "history",
        help="list the recorded changes to an audit, newest first",
        description="Every recorded change to an audit (or one question's answer, comment or "
        "rows): when, who, from, to, and the reason where one was given.",
    )
    _which(history)
    history.add_argument("--question", metavar="ID", help="only changes to this question")
    add_json(history)


def run(args: argparse.Namespace) -> int:
    if args.command == "history":
        return run_guarded("baseline history", _history, args)
    bodies = {
        "new": cli_workspace.audit_new,
        "list": cli_workspace.audit_list,
        "show": _show,
        "set": _set,
        "move": _move,
    }
    return run_guarded(f"baseline audit {args.audit_command}", bodies[args.audit_command], args)


# --------------------------------------------------------------------------- show
def _show(args: argparse.Namespace) -> int:
    from models.audit_json import audit_record, document
    from models.audit_json_derived import data_quality, figures

    with workspace(args, write=False) as store, store.snapshot():  # one state, all of it
        audit = audit_of(store, args.department, args.cycle)
        record = audit_record(store, audit)
        record["figures"] = figures(store, audit)
        record["data_quality"] = data_quality(store, audit)
    if args.json:
        emit(document([record]))
        return DONE
    _print_audit(record)
    return DONE


def _print_audit(record: dict[str, Any]) -> None:
    from models.applicability import not_applying
    from models.content_diff import display_text
    from models.formatting import format_share
    from models.questionnaire import get_questionnaire

    key = record["questionnaire"]
    form = get_questionnaire(key["id"], key["version"])
    print(f"{record['department']['name']}, {record['cycle']}: {record['status']}")
    print(f"  questionnaire {key['id']} v{key['version']}; audit {record['id']}")
    hidden = not_applying(form, record["answers"])  # kept, as the form keeps it, but not current
    for qid, value in record["answers"].items():
        question = form.question(qid) if form.has_question(qid) else None
        why = f" (does not apply: {hidden[qid].removeprefix('No — ')})" if qid in hidden else ""
        print(f"  {qid} = {display_text(question, value)}{why}")
    for qid, text in record["comments"].items():
        print(f"  comment on {qid}: {text}")
    for qid, rows in record["tables"].items():
        print(f"  table {qid}: {len(rows)} row(s)")
    found = record["figures"]
    for key, value in [*found["section_maturity"].items(), ("overall", found["overall_maturity"])]:
        cover = found["section_coverage"].get(key) or found.get(f"{key}_coverage")
        thin = " (provisional: {answered} of {total} answered)".format(**cover) if (
            cover and cover["provisional"] and value is not None) else ""  # fmt: skip
        rated = "not rated" if value is None else f"{value:.2f} of 5"
        print(f"  maturity, {key}: {rated}{thin}")
    done = found["completion_percent"]
    answered = f"{found['questions_answered']} of {found['questions_shown']} questions answered"
    print(f"  completion: {'none asked' if done is None else format_share(done)} ({answered})")
    for note in record["data_quality"]:
        print(f"  data quality: {note['place']}: {note['message']}")


# --------------------------------------------------------------------------- set
def _question(form: Any, qid: str) -> Any:
    """The question, or Refused naming the id and the closest ids the questionnaire has."""
    if form.has_question(qid):
        return form.question(qid)
    ids = [q.id for q in form.questions()]
    close = difflib.get_close_matches(qid, ids, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise Refused(
        f"questionnaire {form.id} version {form.version} has no question {qid!r}.{hint} "
        "Nothing was changed."
    )


def _pair(given: str, what: str) -> tuple[str, str]:
    qid, equals, value = given.partition("=")
    if not equals or not qid.strip():
        raise Refused(f"{given!r}: give {what} as QUESTION=VALUE. Nothing was changed.")
    return qid.strip(), value


def _changed_content(store: Any, audit: Any, form: Any, args: argparse.Namespace) -> Any:
    """The audit's content with every change asked for made, or Refused naming what is wrong."""
    from models.audit_content import read_content
    from models.audit_json import refusal
    from models.validation import InvalidAnswer, comment_problem, parse_text

    place = f"{audit.department_name}, {audit.cycle}"
    current = read_content(store, audit.id)
    content = copy.deepcopy(current)
    if args.from_json is not None:
        content = _from_json(args.from_json, content, form, audit, place)
    for given in args.values:
        qid, text = _pair(given, "an answer")
        question = _question(form, qid)
        if question.is_table:
            raise Refused(
                f"{qid!r} is a table: give its rows with --from-json. Nothing was changed."
            )
        try:
            value = parse_text(question, text)
        except InvalidAnswer as exc:
            raise Refused(
                f"{place}: question {qid!r} ({question.label}): "
                f"{refusal(exc, question)} Nothing was changed."
            ) from None
        if value is None:
            content.answers.pop(qid, None)
        else:
            content.answers[qid] = value
    for given in args.comment:
        qid, text = _pair(given, "a comment")
        _question(form, qid)
        too_long = comment_problem(text)
        if too_long:
            raise Refused(f"{place}: comment on {qid!r}: {too_long} Nothing was changed.")
        if text:
            content.comments[qid] = text
        else:
            content.comments.pop(qid, None)
    return current, content


def _from_json(path: Path, content: Any, form: Any, audit: Any, place: str) -> Any:
    """Apply a --from-json file: a partial object changes what it names; a document is all."""
    from importers.audit_json import ContentReader, JsonFormatError, contents_of, load_json
    from models.values import is_empty

    name = path.name
    doc = load_json(path, what="answers file")

    def fail(where: str, message: str) -> JsonFormatError:
        return JsonFormatError(f"{name}: {where}: {message}")

    if isinstance(doc, dict) and "format" in doc:
        read = contents_of(doc, path)
        chosen = [
            a
            for a in read.audits
            if a.audit.id == audit.id
            or (a.department.name == audit.department_name and a.audit.cycle == audit.cycle)
        ]
        if len(read.audits) == 1 and not chosen:  # another cycle, yes; another department, no
            one = read.audits[0]
            names = {one.department.name.casefold(), one.audit.department_name.casefold()}
            if one.department.id != audit.department_id and (
                audit.department_name.casefold() not in names
            ):
                raise Refused(
                    f"{name} is an audit of {one.department.name}, not of {place}. Nothing "
                    "was changed."
                )
            chosen = read.audits
        if len(chosen) != 1:
            raise Refused(f"{name} holds no single audit for {place}. Nothing was changed.")
        if chosen[0].questionnaire.key != form.key:
            raise Refused(f"{name} is on another questionnaire version. Nothing was changed.")
        _refuse_problems(read.problems)
        return chosen[0].content
    if not isinstance(doc, dict) or set(doc) - {"answers", "comments", "tables"}:
        raise Refused(
            f'{name}: an object with "answers", "comments" and/or "tables" (keyed by question '
            "id), or an audit document, is needed. Nothing was changed."
        )
    reader = ContentReader(form, f"{name}: {place}")
    given = reader.content(doc, name, fail)
    _refuse_problems(reader.problems)
    for qid, raw in doc.get("answers", {}).items():
        if qid in given.answers:
            content.answers[qid] = given.answers[qid]
        elif is_empty(raw):
            content.answers.pop(qid, None)
    for qid, text in doc.get("comments", {}).items():
        if text:
            content.comments[qid] = given.comments[qid]
        else:
            content.comments.pop(qid, None)
    content.tables.update(given.tables)
    return content


def _refuse_problems(problems: list[Any]) -> None:
    if problems:
        listed = "\n  ".join(str(p) for p in problems)
        raise Refused(f"{len(problems)} value(s) refused; nothing was changed:\n  {listed}")


def _set(args: argparse.Namespace) -> int:
    from models.audit_content import replace_content
    from models.content_diff import diff_content
    from models.lifecycle import is_read_only
    from models.questionnaire import get_questionnaire

    if not (args.values or args.comment or args.from_json):
        raise Refused("give QUESTION=VALUE, --comment or --from-json: nothing to set.")
    with workspace(args, write=True) as store:
        audit = audit_of(store, args.department, args.cycle)
        if is_read_only(audit):
            raise Refused(
                f"{audit.department_name}, {audit.cycle} is signed off, so it cannot change "
                "until it is reopened (baseline audit move … reopen --reason TEXT). Nothing "
                "was changed."
            )
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        current, content = _changed_content(store, audit, form, args)
        changes = diff_content(form, current, content)
        if changes:
            replace_content(store, audit.id, content)
    listed = [
        {"kind": c.kind, "question": c.question_id, "where": c.where, "old": c.old, "new": c.new}
        for c in changes
    ]
    if args.json:
        emit({"audit": audit.id, "changes": listed})
    else:
        for c in changes:
            print(f"{c.kind}: {c.where}: {c.old!r} → {c.new!r}")
        print(f"{len(changes)} change(s) to {audit.department_name}, {audit.cycle}.")
    return DONE if changes else PROBLEMS


# --------------------------------------------------------------------------- move
def _move(args: argparse.Namespace) -> int:
    from models.lifecycle import apply
    from models.questionnaire import get_questionnaire

    with workspace(args, write=True) as store:
        audit = audit_of(store, args.department, args.cycle)
        form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        moved = apply(
            store, audit.id, args.action.replace("-", "_"), questionnaire=form, reason=args.reason
        )
    if args.json:
        emit(audit_summary(moved))
    else:
        print(f"{moved.department_name}, {moved.cycle}: {audit.status} → {moved.status}")
    return DONE


# --------------------------------------------------------------------------- history
def _history(args: argparse.Namespace) -> int:
    from models.audit_history import audit_changes

    with workspace(args, write=False) as store:
        audit = audit_of(store, args.department, args.cycle)
        if args.question:
            from models.questionnaire import get_questionnaire

            form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
            _question(form, args.question)
        changes = audit_changes(store, audit.id, args.question)
    listed = [
        {
            "kind": c.kind,
            "item": c.item,
            "question": c.question_id,
            "at": c.at.isoformat(),
            "who": c.who,
            "old": c.old,
            "new": c.new,
            "note": c.note,
            "source": c.source,
        }
        for c in changes
    ]
    if args.json:
        emit(listed)
    else:
        for c in changes:
            why = f" ({c.note})" if c.note else ""
            print(f"{c.at:%Y-%m-%d %H:%M:%S} {c.who}: {c.kind} {c.question_id or c.item}: "
                  f"{c.old!r} → {c.new!r}{why}")  # fmt: skip
    return DONE if changes else PROBLEMS
