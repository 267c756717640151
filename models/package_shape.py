"""A package's JSON checked field by field: every value of the shape the app wrote, or refused.

A package comes from outside; what its members hold is read into typed records here, and
anything of another shape (a list where text belongs, a null name, nesting far deeper
than a package has) is refused with the member and the field named, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import MISSING, fields
from typing import Any

import orjson

from models.audit_package import (
    CONTENT,
    Package,
    PackageChange,
    PackagedAudit,
    PackagedRow,
    PackageError,
)
from models.incoming import content_problems, listed, screen_content
from models.questionnaire import (
    DefinitionError,
    Questionnaire,
    get_questionnaire,
    questionnaire_key_problem,
)
from models.records import STATUSES, Audit, Department

_CONTROL = re.compile(r"[\x00-\x1f]")
MAX_ID = 200  # ids are UUIDs; anything much longer is not one
IMPORT_TEXT = ("id", "table_id", "file_name", "checksum", "layout", "imported_at")
IMPORT_OPTIONAL = ("sheet", "who")


class ShapeError(ValueError):
    """A field of the wrong shape: where it is and what it should be."""


MAX_VALUES = 10_000_000  # a real package has one value per ~20 bytes: ~200 MB of it


def parse_json(data: bytes, member: str) -> Any:
    """A member's JSON, nesting bounded (orjson refuses past 1,024 levels; the fallback for
    NaN, which validation then refuses with its place, is bounded by the recursion limit),
    and its count of values too, before any is built: each costs ~100 bytes of memory, so
    a few hundred MB of "[]," would otherwise take tens of GB to refuse."""
    values = data.count(b",") + data.count(b"[") + data.count(b"{")  # at least as many
    if values > MAX_VALUES:
        raise ShapeError(
            f"{member} holds about {values:,} values, far more than any set of audits has"
        )
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc).lower() or "recursion" in str(exc).lower():
            raise ShapeError(f"{member} is nested far deeper than a package is") from None
    try:
        return json.loads(data)
    except RecursionError:
        raise ShapeError(f"{member} is nested far deeper than a package is") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ShapeError(f"{member} is not valid JSON ({exc})") from None


def _kind(value: Any) -> str:
    names = {
        dict: "a set of named values",
        list: "a list",
        type(None): "null",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def text(value: Any, where: str, *, empty: bool = True, limit: int | None = None) -> str:
    """`value` when it is text (non-empty unless `empty`, at most `limit` characters)."""
    if not isinstance(value, str):
        raise ShapeError(f"{where} is {_kind(value)} where text is expected")
    if not empty and not value.strip():
        raise ShapeError(f"{where} is empty")
    if limit is not None and len(value) > limit:
        raise ShapeError(f"{where} is {len(value):,} characters long; it cannot be that long")
    if limit is not None and _CONTROL.search(value):
        raise ShapeError(f"{where} holds control characters")
    return value


def whole(value: Any, where: str, *, low: int = 0) -> int:
    """`value` when it is a whole number of at least `low`."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value < 2**53:
        raise ShapeError(f"{where} is {_shown(value)} where a whole number is expected")
    return value


def mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{where} is {_kind(value)} where a set of named values is expected")
    return value


def sequence(value: Any, where: str, length: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(f"{where} is {_kind(value)} where a list is expected")
    if length is not None and len(value) != length:
        raise ShapeError(f"{where} has {len(value)} items where {length} are expected")
    return value


def _shown(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return _kind(value)


def _record(raw: Any, cls: type[Audit] | type[Department], where: str) -> dict[str, Any]:
    """A dataclass record's fields from JSON: known names only, each of its type."""
    raw = mapping(raw, where)
    known = {f.name: f for f in fields(cls)}
    unknown = [k for k in raw if k not in known]
    if unknown:
        raise ShapeError(f"{where} has a field {str(unknown[0])[:40]!r} no package has")
    values: dict[str, Any] = {}
    for name, value in raw.items():
        at = f"{where}.{name}"
        if name == "questionnaire_version":
            values[name] = whole(value, at, low=1)
        elif name == "copied_from" and value is None:
            values[name] = None
        elif name == "id" or name.endswith("_id") or name == "copied_from":
            values[name] = text(value, at, empty=name in ("govuk_id", "copied_from"), limit=MAX_ID)
        else:
            values[name] = text(value, at)
    missing = [
        f.name
        for f in fields(cls)
        if f.name not in values and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise ShapeError(f"{where} has no {missing[0]}")
    return values


def packaged_audit(item: Any, where: str) -> PackagedAudit:
    """One audit of content.json, every field checked; raises ShapeError naming the field."""
    item = mapping(item, where)
    for key in ("audit", "department", "answers", "comments", "rows", "changes"):
        if key not in item:
            raise ShapeError(f"{where} has no {key}")
    audit = Audit(**_record(item["audit"], Audit, f"{where}.audit"))
    department = Department(**_record(item["department"], Department, f"{where}.department"))
    for name, value in (("name", department.name), ("cycle", audit.cycle)):
        if not value.strip():
            raise ShapeError(f"{where} has an empty {name}")
    if audit.status not in STATUSES:
        raise ShapeError(f"{where}.audit.status is {audit.status[:40]!r}, not a status")
    if audit.department_id != department.id:
        raise ShapeError(f"{where}: the audit's department id is not its department's")
    problem = questionnaire_key_problem(audit.questionnaire_id, audit.questionnaire_version)
    if problem is not None:
        raise ShapeError(f"{where}.audit.questionnaire_id: {problem}")
    answers = mapping(item["answers"], f"{where}.answers")
    comments = mapping(item["comments"], f"{where}.comments")
    rows = []
    seen: set[str] = set()
    for n, raw in enumerate(sequence(item["rows"], f"{where}.rows")):
        at = f"{where}.rows[{n}]"
        raw = sequence(raw, at, 4)
        row = PackagedRow(
            text(raw[0], f"{at} id", empty=False, limit=MAX_ID),
            text(raw[1], f"{at} table", empty=False, limit=MAX_ID),
            whole(raw[2], f"{at} position"),
            mapping(raw[3], f"{at} cells"),
        )
        if row.id in seen:
            raise ShapeError(f"{at}: row id {row.id!r} appears twice")
        seen.add(row.id)
        rows.append(row)
    changes = [
        _change(raw, f"{where}.changes[{n}]")
        for n, raw in enumerate(sequence(item["changes"], f"{where}.changes"))
    ]
    imports = [
        _import(raw, f"{where}.imports[{n}]")
        for n, raw in enumerate(sequence(item.get("imports") or [], f"{where}.imports"))
    ]
    provenance = [
        _provenance(raw, f"{where}.provenance[{n}]")
        for n, raw in enumerate(sequence(item.get("provenance") or [], f"{where}.provenance"))
    ]
    packaged = PackagedAudit(
        audit, department, answers, comments, rows, changes, imports, provenance
    )
    from models.package_evidence import parse_evidence

    packaged.evidence = parse_evidence(item.get("evidence"), audit.id, f"{where}.evidence")
    return packaged


def _change(raw: Any, where: str) -> PackageChange:
    raw = sequence(raw, where, 9)
    names = ("origin", "kind", "item", "question", "old", "new", "who", "at", "note")
    values: list[Any] = []
    for name, value in zip(names, raw, strict=True):
        if name in ("old", "new") and value is None:
            values.append(None)
        else:
            limit = MAX_ID if name in ("origin", "kind", "item", "question", "at") else None
            values.append(text(value, f"{where} {name}", empty=name != "origin", limit=limit))
    return PackageChange(*values)


def _import(raw: Any, where: str) -> dict[str, Any]:
    """An import record: the fields the workspace's imports table holds, each of its type."""
    raw = mapping(raw, where)
    record: dict[str, Any] = {}
    for key in IMPORT_TEXT:
        if key not in raw:
            raise ShapeError(f"{where} has no {key}")
        record[key] = text(raw[key], f"{where}.{key}", empty=key != "layout")
    for key in IMPORT_OPTIONAL:
        record[key] = text(raw.get(key, ""), f"{where}.{key}")
    record["rows_imported"] = whole(raw.get("rows_imported"), f"{where}.rows_imported")
    return record


def _provenance(raw: Any, where: str) -> list[Any]:
    """[row id, import id, source row, source fields]: where an imported row came from."""
    raw = sequence(raw, where, 4)
    source = mapping(raw[3], f"{where} source")
    for key, value in source.items():
        scalar = value is None or isinstance(value, str | bool | int | float)
        if not scalar or (isinstance(value, float) and not math.isfinite(value)):
            raise ShapeError(f"{where} source {str(key)[:40]!r} is {_kind(value)}")
    return [
        text(raw[0], f"{where} row id", empty=False, limit=MAX_ID),
        text(raw[1], f"{where} import id", empty=False, limit=MAX_ID),
        whole(raw[2], f"{where} source row"),
        source,
    ]


def parse_content(data: bytes, name: str) -> list[PackagedAudit]:
    """content.json as checked audits: every field of its shape (else PackageError naming
    the field), and only values fit for their question (the rest noted as refused)."""
    try:
        raw = mapping(parse_json(data, CONTENT), CONTENT)
        audits = [
            packaged_audit(item, f"{CONTENT}: audits[{n}]")
            for n, item in enumerate(sequence(raw.get("audits"), f"{CONTENT}: audits"))
        ]
    except ShapeError as exc:
        raise PackageError(
            f"{name} is refused: {exc}. It was not written by Baseline, or it was changed "
            "since. Nothing was imported."
        ) from None
    from models.package_checks import cross_audit_problems

    collisions = cross_audit_problems(audits)  # one audit's ids never another's
    if collisions:
        raise PackageError(
            f"{name} is refused: its audits collide, so merging would write one audit's "
            f"content into another's:\n{listed(collisions)}\nIt was not written by "
            "Baseline, or it was changed since. Nothing was imported."
        )
    for packaged in audits:
        audit = packaged.audit
        try:
            form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        except DefinitionError as exc:
            raise PackageError(f"{name} is refused: {exc}. Nothing was imported.") from None
        screen(form, packaged)
    return audits


def screen(form: Questionnaire, packaged: PackagedAudit) -> None:
    """Take out of an audit what does not fit its questionnaire, noting each refusal."""
    rows = [(r.id, r.table, r.cells) for r in packaged.rows]
    screened = screen_content(form, packaged.answers, packaged.comments, rows)
    kept = {row_id: cells for row_id, _, cells in screened.rows}
    packaged.answers, packaged.comments = screened.answers, screened.comments
    packaged.rows = [
        PackagedRow(r.id, r.table, r.position, kept[r.id]) for r in packaged.rows if r.id in kept
    ]
    where = f"{packaged.title} (audit {packaged.audit.id})"
    packaged.refused = [f"{where}: {p}" for p in screened.refused]
    packaged.refused_answers = screened.refused_answers
    packaged.refused_comments = screened.refused_comments
    packaged.refused_cells = screened.refused_cells
    packaged.refused_rows = screened.refused_rows


def refused_lines(package: Package) -> list[str]:
    """What the package holds that does not fit its questionnaire: left out, listed."""
    refused = package.refused
    if not refused:
        return []
    return [
        f"{len(refused)} value(s) in the package do not fit the questionnaire and are not "
        "taken (this workspace keeps its own):",
        listed(refused),
    ]


def unfit_values(package: Package) -> list[str]:
    """Values no reading screened (a package built in code): the one check every merge makes."""
    found = []
    for item in package.audits:
        audit = item.audit
        try:
            form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        except DefinitionError as exc:
            found.append(f"{item.title}: {exc}")
            continue
        rows = [(r.id, r.table, r.cells) for r in item.rows]
        found += [
            f"{item.title}: {p}" for p in content_problems(form, item.answers, item.comments, rows)
        ]
    return found
