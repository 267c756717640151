"""The audit JSON format (docs/audit-json.md): one audit as plain JSON, and back.

Written by `export-json` and `audit show --json`, read by `import` and `audit set
--from-json`. Values are the stored values (a yes/no is true or false, a percentage is
points, a choice is its option value), so a document read back holds exactly what was
written. Text given for a non-text field is read as the form reads typing ("yes", "45%",
"£1.2m", "SCS Pay Band 2"); any other value is checked as the store keeps it. Both go
through models/validation.py, the one validation path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from models.audit_content import read_content
from models.questionnaire import Field, Questionnaire, get_questionnaire
from models.records import Audit
from models.store import Store
from models.validation import InvalidAnswer, parse_text, validate
from models.values import is_empty

FORMAT = "baseline-audits"
FORMAT_VERSION = 1
SCHEMA = "docs/audit-json.schema.json"
DERIVED_KEYS = ("figures", "data_quality")  # written by `audit show`, ignored on reading
_TEXT_TYPES = ("text", "long_text")


def json_value(field: Field, raw: Any) -> Any:
    """The stored value for a JSON value; InvalidAnswer (naming the type wanted) if it fits not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None  # blank text is no answer, as the form, `audit set` and workbooks read it
    if isinstance(raw, str) and field.type not in _TEXT_TYPES:
        return parse_text(field, raw)  # what the form and a paste do with typed text
    if isinstance(raw, dict) or (isinstance(raw, list) and field.type != "multi_choice"):
        raise InvalidAnswer(f"{expected(field)} is wanted, not a JSON {type(raw).__name__}.")
    if is_empty(raw):
        return None
    try:
        validate(field, raw)
    except InvalidAnswer as exc:
        raise InvalidAnswer(refusal(exc, field)) from None
    return raw


def refusal(problem: Exception | str, field: Field) -> str:
    """A refused value and what the field takes, as one sentence for a script's user:
    "'lots' is not a number: a whole number is wanted." (as is when it says so already)."""
    text, wanted = str(problem).strip(), expected(field)
    if wanted.lower() in text.lower():
        return text
    return f"{text.rstrip('. ')}: {wanted} is wanted."


def expected(field: Field) -> str:
    """What a field takes, in words, for a message that refuses a value."""
    kinds = {
        "yesno": "yes or no (true/false)",
        "integer": "a whole number",
        "decimal": "a number",
        "currency": "an amount in pounds",
        "percentage": "a percentage (45 or '45%')",
        "maturity": "a level from 1 to 5",
        "date": "a date (2013-03-31)",
        "text": "text",
        "long_text": "text",
    }
    if field.type in ("single_choice", "multi_choice"):
        values = ", ".join(o.value for o in field.options[:8])
        more = ", …" if len(field.options) > 8 else ""
        many = "one or more of" if field.type == "multi_choice" else "one of"
        return f"{many} {values}{more}"
    return kinds.get(field.type, field.type)


def _form_order(questionnaire: Questionnaire, keys: Iterable[str]) -> list[str]:
    """Question ids in the order the form asks them; ids it lacks after, sorted."""
    wanted = set(keys)
    ordered = [q.id for q in questionnaire.questions() if q.id in wanted]
    return ordered + sorted(wanted - set(ordered))


def audit_record(store: Store, audit: Audit) -> dict[str, Any]:
    """One audit as the format has it: who, which cycle, and everything it holds."""
    department = store.department(audit.department_id)
    form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
    content = read_content(store, audit.id)
    return {
        "id": audit.id,
        "department": {
            "id": department.id,
            "name": department.name,
            "abbreviation": department.abbreviation,
            "govuk_id": department.govuk_id,
            "created_at": department.created_at,
        },
        "department_name": audit.department_name,
        "cycle": audit.cycle,
        "questionnaire": {"id": audit.questionnaire_id, "version": audit.questionnaire_version},
        "status": audit.status,
        "auditor": audit.auditor,
        "created_at": audit.created_at,
        "updated_at": audit.updated_at,
        "copied_from": audit.copied_from,
        "source": audit.source,
        "answers": {q: content.answers[q] for q in _form_order(form, content.answers)},
        "comments": {q: content.comments[q] for q in _form_order(form, content.comments)},
        "tables": {
            table_id: [{"id": row.id, "cells": row.cells} for row in content.tables[table_id]]
            for table_id in _form_order(form, content.tables)
        },
    }


def document(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The whole document: the format's name and version, then the audits."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": SCHEMA,
        "audits": list(records),
    }


def dumps(value: Any) -> str:
    """JSON text as the commands write it: indented, UTF-8 as is, never NaN."""
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
