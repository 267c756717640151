"""Data-quality rules kept with a questionnaire: their typed form and their validation on load.

Like REDCap's data-quality module: each rule names a cross-field or cross-row check
that the answers should pass; models/data_quality.py evaluates them. The format is
documented in resources/questionnaires/README.md ("Data-quality rules").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.questionnaire import NUMERIC_TYPES, DefinitionError, Field, Question, Questionnaire

SEVERITIES = ("warning",)
VALUE_OPS = ("equals", "not_equals", "in", "answered")
ORDER_OPS = ("above", "below", "at_least", "at_most")
AUDIT_OPERANDS = ("cycle_start",)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Operand:
    """What an ordering comparison compares with: a constant, another field, or the audit."""

    kind: str  # "value", "column", "question" or "audit"
    value: Any  # the constant, the column or question id, or the audit operand's name


@dataclass(frozen=True)
class CheckCondition:
    """When a rule raises a note: all/any of comparisons of columns (or questions)."""

    op: str  # all, any; or equals, not_equals, in, answered, above, below, at_least, at_most
    ref: str = ""  # the column id (a table rule) or the question id (a question rule)
    value: Any = None  # the constant, or an Operand for the ordering comparisons
    children: tuple[CheckCondition, ...] = ()

    def refs(self) -> list[str]:
        """Every column or question the condition reads, in file order, once each."""
        if self.op in ("all", "any"):
            seen: dict[str, None] = {}
            for child in self.children:
                seen.update(dict.fromkeys(child.refs()))
            return list(seen)
        out = [self.ref]
        if isinstance(self.value, Operand) and self.value.kind in ("column", "question"):
            out.append(str(self.value.value))
        return out


@dataclass(frozen=True)
class DataQualityRule:
    """One check: a row rule (`table` + `when`), a cross-row rule (`table` + `unique`),
    or a question rule (`when` over questions)."""

    id: str
    message: str
    severity: str
    table: str | None = None
    when: CheckCondition | None = None
    unique: tuple[str, ...] = ()


def parse_data_quality(raw: Any, questionnaire: Questionnaire) -> tuple[DataQualityRule, ...]:
    """The `data_quality:` list of a definition, checked against its questions and columns."""
    return _RuleParser(questionnaire).rules(raw)


class _RuleParser:
    """Checks every rule against the questionnaire it belongs to; errors name the rule."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(self.q.source, where, message)

    def rules(self, raw: Any) -> tuple[DataQualityRule, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.fail("data_quality", "'data_quality' must be a list")
        rules: list[DataQualityRule] = []
        for i, item in enumerate(raw, 1):
            rule = self.rule(item, i)
            if any(r.id == rule.id for r in rules):
                raise self.fail(f"data_quality rule '{rule.id}'", "duplicate rule id")
            rules.append(rule)
        return tuple(rules)

    def rule(self, raw: Any, index: int) -> DataQualityRule:
        if not isinstance(raw, dict):
            raise self.fail(f"data_quality rule #{index}", "expected a mapping")
        rid = raw.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise self.fail(f"data_quality rule #{index}", "'id' must be snake_case")
        where = f"data_quality rule '{rid}'"
        extra = sorted(
            str(k) for k in raw if k not in {"id", "message", "severity", "table", "when", "unique"}
        )
        if extra:
            raise self.fail(where, f"unknown key(s): {', '.join(extra)}")
        message = raw.get("message")
        if not isinstance(message, str) or not message.strip():
            raise self.fail(where, "'message' must be non-empty text")
        severity = raw.get("severity", "warning")
        if severity not in SEVERITIES:
            raise self.fail(where, f"'severity' must be one of {', '.join(SEVERITIES)}")
        table_id = raw.get("table")
        table: Question | None = None
        if table_id is not None:
            table = self.q.question(table_id) if self._has(table_id) else None
            if table is None or not table.is_table:
                raise self.fail(where, f"'table' {table_id!r} is not a table question of this file")
        if ("when" in raw) == ("unique" in raw):
            raise self.fail(where, "a rule needs exactly one of 'when' and 'unique'")
        if "unique" in raw:
            if table is None:
                raise self.fail(where, "'unique' needs 'table'")
            return DataQualityRule(
                rid,
                message.strip(),
                severity,
                table.id,
                unique=self.unique(raw["unique"], table, where),
            )
        when = self.condition(raw["when"], where, table)
        return DataQualityRule(rid, message.strip(), severity, table.id if table else None, when)

    def _has(self, ref: Any) -> bool:
        return isinstance(ref, str) and self.q.has_question(ref)

    def unique(self, raw: Any, table: Question, where: str) -> tuple[str, ...]:
        columns = [raw] if isinstance(raw, str) else raw
        if not isinstance(columns, list) or not columns:
            raise self.fail(where, "'unique' must be a column id or a list of them")
        for cid in columns:
            self.column(table, cid, where)
        return tuple(columns)

    def column(self, table: Question, cid: Any, where: str) -> Field:
        for col in table.columns:
            if col.id == cid:
                return col
        raise self.fail(where, f"{cid!r} is not a column of table {table.id!r}")

    def subject(self, data: Mapping[str, Any], where: str, table: Question | None) -> Field:
        """The column (table rule) or visible non-table question (question rule) compared."""
        if table is not None:
            if "column" not in data:
                raise self.fail(where, f"a comparison in a rule on {table.id!r} needs 'column'")
            return self.column(table, data["column"], where)
        if "question" not in data:
            raise self.fail(where, "a comparison needs 'question' (or give the rule a 'table')")
        ref = data["question"]
        if not self._has(ref):
            raise self.fail(where, f"{ref!r} is not a question of this file")
        question = self.q.question(ref)
        if question.is_table:
            raise self.fail(where, f"{ref!r} is a table; give the rule 'table: {ref}' instead")
        return question

    def condition(self, raw: Any, where: str, table: Question | None) -> CheckCondition:
        if not isinstance(raw, dict):
            raise self.fail(where, "a condition must be a mapping")
        for combinator in ("all", "any"):
            if combinator in raw:
                items = raw[combinator]
                if len(raw) != 1 or not isinstance(items, list) or not items:
                    raise self.fail(
                        where, f"'{combinator}' must be the only key, with a non-empty list"
                    )
                children = tuple(self.condition(c, where, table) for c in items)
                return CheckCondition(combinator, children=children)
        field = self.subject(raw, where, table)
        subject_key = "column" if table is not None else "question"
        ops = [k for k in raw if k != subject_key]
        if len(ops) != 1 or ops[0] not in (*VALUE_OPS, *ORDER_OPS):
            raise self.fail(
                where,
                f"a comparison needs '{subject_key}' and exactly one of "
                f"{', '.join((*VALUE_OPS, *ORDER_OPS))}",
            )
        op = ops[0]
        value = raw[op]
        if op in ORDER_OPS:
            return CheckCondition(op, field.id, self.operand(field, value, where, table))
        self.check_value(field, op, value, where)
        return CheckCondition(op, field.id, value)

    def check_value(self, field: Field, op: str, value: Any, where: str) -> None:
        if op == "answered":
            if not isinstance(value, bool):
                raise self.fail(where, "'answered' must be true or false")
            return
        values = value if op == "in" else [value]
        if op == "in" and (not isinstance(value, list) or not value):
            raise self.fail(where, "'in' must be a non-empty list")
        for v in values:
            if field.type == "yesno":
                ok = isinstance(v, bool)
            elif field.options:
                ok = isinstance(v, str) and v in field.option_values
            elif field.type in NUMERIC_TYPES:
                ok = _is_number(v)
            else:
                ok = isinstance(v, str)
            if not ok:
                raise self.fail(where, f"{v!r} is not a possible answer of {field.id!r}")

    def operand(self, field: Field, raw: Any, where: str, table: Question | None) -> Operand:
        """Numbers compare with numbers, dates with dates (or the audit's cycle start)."""
        kind = _order_kind(field)
        if kind is None:
            raise self.fail(
                where, f"{field.id!r} is {field.type}; only numbers and dates are ordered"
            )
        if isinstance(raw, dict):
            if len(raw) != 1:
                raise self.fail(
                    where, "compare with one of {column: ...}, {question: ...}, {audit: ...}"
                )
            ((key, ref),) = raw.items()
            if key == "audit":
                if ref not in AUDIT_OPERANDS or kind != "date":
                    raise self.fail(
                        where, f"'audit: {ref}' is not a date of the audit (cycle_start)"
                    )
                return Operand("audit", ref)
            other = (
                self.subject({key: ref}, where, table) if key in ("column", "question") else None
            )
            if other is None:
                raise self.fail(
                    where, f"compare with a column, a question or the audit, not {key!r}"
                )
            if _order_kind(other) != kind:
                raise self.fail(
                    where,
                    f"{field.id!r} ({field.type}) cannot be compared with "
                    f"{other.id!r} ({other.type})",
                )
            return Operand(key, other.id)
        if kind == "number" and _is_number(raw):
            return Operand("value", raw)
        if kind == "date" and isinstance(raw, str) and _DATE.match(raw):
            return Operand("value", raw)
        raise self.fail(where, f"{raw!r} cannot be compared with {field.id!r} ({field.type})")


def _order_kind(field: Field) -> str | None:
    if field.type in NUMERIC_TYPES:
        return "number"
    if field.type == "date":
        return "date"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
