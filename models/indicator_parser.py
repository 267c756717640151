"""Parsing of a questionnaire's indicators: shares, flags, groups and differences.

Called by models.questionnaire_parser once the sections (and so the tables) are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from models.questionnaire import NUMERIC_TYPES, Condition, Field, Indicator, Question
from models.recommendation_rules import share_direction

if TYPE_CHECKING:
    from models.questionnaire_parser import _Parser

_INDICATOR_KINDS = ("share", "flag", "group", "difference")


def indicator(p: _Parser, raw: Any, index: int) -> Indicator:
    data, iid = p.identified(raw, f"indicator #{index}")
    where = f"indicator '{iid}'"
    kind = data.get("kind")
    if kind not in _INDICATOR_KINDS:
        raise p.fail(where, f"'kind' must be one of {', '.join(_INDICATOR_KINDS)}")
    label = p.text(data, "label", where)
    definition = " ".join(p.text(data, "definition", where, required=False).split())
    if kind == "flag":
        p.unknown_keys(data, {"id", "label", "kind", "sources", "definition"}, where)
        return flag(p, data, iid, label, definition, where)
    if kind == "difference":
        p.unknown_keys(data, {"id", "label", "kind", "of", "minus", "definition", "better"}, where)
        of, minus = data.get("of"), data.get("minus")
        if not isinstance(of, str) or not isinstance(minus, str) or of == minus:
            raise p.fail(where, "a difference needs 'of' and 'minus', two share indicators")
        better = share_direction(data, where, p.fail)
        return Indicator(iid, label, kind, definition=definition, better=better, of=of, minus=minus)
    p.unknown_keys(
        data,
        {
            "id",
            "label",
            "kind",
            "table",
            "value_column",
            "where",
            "group_column",
            "definition",
            "exclude",
            "better",
            "latest",
        },
        where,
    )
    table = table_question(p, data.get("table"), where)
    value_column = data.get("value_column")
    if value_column is not None:
        col = table_column(p, table, value_column, where)
        if col.type not in NUMERIC_TYPES:
            raise p.fail(where, f"value_column {value_column!r} is not numeric")
    if kind == "share":
        cond = p.condition(data.get("where"), where, "column")
        p.check_condition_values(cond, where, table)
        exclude = None
        if data.get("exclude") is not None:
            exclude = p.condition(data["exclude"], where, "column")
            p.check_condition_values(exclude, where, table)
        return Indicator(
            iid,
            label,
            kind,
            table.id,
            value_column,
            where=cond,
            definition=definition,
            exclude=exclude,
            better=share_direction(data, where, p.fail),
            latest=latest_period(p, data.get("latest"), table, where),
        )
    group_column = data.get("group_column")
    if not isinstance(group_column, str):
        raise p.fail(where, "a group needs 'group_column'")
    table_column(p, table, group_column, where)
    return Indicator(
        iid,
        label,
        kind,
        table.id,
        value_column,
        group_column=group_column,
        definition=definition,
    )


def latest_period(p: _Parser, raw: Any, table: Question, where: str) -> tuple[str, str] | None:
    """`latest: {period: month, per: body}`: two columns of the share's table, the period one
    text that sorts in time order (such as 2014-03)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"period", "per"}:
        raise p.fail(where, "'latest' needs exactly 'period' and 'per', two column ids")
    period, per = raw["period"], raw["per"]
    if not isinstance(period, str) or not isinstance(per, str) or period == per:
        raise p.fail(where, "'latest' needs 'period' and 'per', two different column ids")
    if table_column(p, table, period, where).type not in ("text", "date"):
        raise p.fail(where, f"'latest' period column {period!r} must be text or a date")
    table_column(p, table, per, where)
    return period, per


def check_differences(p: _Parser, indicators: tuple[Indicator, ...]) -> None:
    """A difference compares two shares defined before it in the file."""
    earlier: dict[str, Indicator] = {}
    for ind in indicators:
        if ind.kind == "difference":
            for ref in (ind.of, ind.minus):
                found = earlier.get(ref or "")
                if found is None or found.kind != "share":
                    raise p.fail(
                        f"indicator '{ind.id}'",
                        f"{ref!r} is not a share indicator defined before it",
                    )
        earlier[ind.id] = ind


def flag(
    p: _Parser, data: Mapping[str, Any], iid: str, label: str, definition: str, where: str
) -> Indicator:
    """A flag's sources: questions whose answer decides it, tables whose rows are evidence.

    A table source may add `against:`, the rows that say the flag does not hold; a
    question source may say `means: false` (it only ever says no, when it holds).
    """
    sources_raw = data.get("sources")
    if not isinstance(sources_raw, list) or not sources_raw:
        raise p.fail(where, "a flag needs a non-empty 'sources' list")
    sources = []
    against: list[tuple[str, Condition]] = []
    means_no: list[Condition] = []
    for src in sources_raw:
        src = dict(p.mapping(src, where))
        if "table" in src:
            p.unknown_keys(src, {"table", "where", "against"}, where)
            table = table_question(p, src["table"], where)
            cond = p.condition(src.get("where"), where, "column")
            p.check_condition_values(cond, where, table)
            sources.append(("table", table.id, cond))
            if src.get("against") is not None:
                contra = p.condition(src["against"], where, "column")
                p.check_condition_values(contra, where, table)
                against.append((table.id, contra))
            continue
        means = src.pop("means", True)
        if means not in (True, False):
            raise p.fail(where, "'means' must be true or false")
        cond = p.condition(src, where, "question")
        for ref in cond.refs():
            if ref not in p.seen or p.seen[ref].is_table:
                raise p.fail(where, f"{ref!r} is not a question of this file")
        p.check_condition_values(cond, where)
        if means:
            sources.append(("question", cond.ref, cond))
        else:
            means_no.append(cond)
    return Indicator(
        iid,
        label,
        "flag",
        sources=tuple(sources),
        definition=definition,
        against=tuple(against),
        means_no=tuple(means_no),
    )


def table_question(p: _Parser, table_id: Any, where: str) -> Question:
    q = p.seen.get(str(table_id))
    if q is None or not q.is_table:
        raise p.fail(where, f"{table_id!r} is not a table question of this file")
    return q


def table_column(p: _Parser, table: Question, column_id: Any, where: str) -> Field:
    try:
        return table.column(str(column_id))
    except KeyError:
        raise p.fail(where, f"table {table.id!r} has no column {column_id!r}") from None
