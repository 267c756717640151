"""Validation of questionnaire YAML: every rule in resources/questionnaires/README.md.

Turns the loaded YAML into the dataclasses of models.questionnaire, refusing a broken
definition with a DefinitionError that names the file and the question.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

import yaml

from models.indicator_parser import check_differences, indicator
from models.questionnaire import (
    CHOICE_TYPES,
    COLUMN_TYPES,
    NUMERIC_TYPES,
    QUESTION_TYPES,
    Condition,
    DefinitionError,
    Field,
    Option,
    Question,
    Questionnaire,
    ScoreBand,
    ScoreRule,
    Section,
)
from models.recommendation_parser import parse_recommendations
from models.reference import ReferenceListError, reference_list

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTIONNAIRE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONDITION_OPS = ("equals", "not_equals", "in", "answered")


def parse_definition(text: str, source: str) -> Questionnaire:
    """Parse YAML text into a validated Questionnaire."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise DefinitionError(source, where, f"not valid YAML ({exc})") from None
    # Data-quality rules are parsed on their own (models/data_quality_rules.py), after
    # the questions they name.
    checks = data.pop("data_quality", None) if isinstance(data, dict) else None
    questionnaire = _Parser(source).questionnaire(data)
    if checks is None:
        return questionnaire
    from models.data_quality_rules import parse_data_quality

    rules = parse_data_quality(checks, questionnaire)
    return dataclasses.replace(questionnaire, data_quality=rules)


class _Parser:
    """Turns the loaded YAML into dataclasses, checking every rule in the README."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[str, Question] = {}
        self.sections: dict[str, Section] = {}

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(self.source, where, message)

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, found {type(value).__name__}")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(where, f"'{key}' must be non-empty text")
        return value.strip()

    def identified(self, raw: Any, where: str) -> tuple[dict[str, Any], str]:
        """A mapping with a snake_case 'id' (a section, question, column or indicator)."""
        data = self.mapping(raw, where)
        ident = data.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            raise self.fail(where, "'id' must be snake_case ([a-z][a-z0-9_]*)")
        return data, ident

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(str(k) for k in data if k not in allowed)
        if extra:
            raise self.fail(where, f"unknown key(s): {', '.join(extra)}")

    # ---- top level
    def questionnaire(self, data: Any) -> Questionnaire:
        data = self.mapping(data, "top level")
        self.unknown_keys(
            data,
            {
                "id", "version", "title", "description", "sections", "indicators",
                "recommendations", "provisional_below",
            },
            "top level",
        )  # fmt: skip
        qid = data.get("id")
        if not isinstance(qid, str) or not _QUESTIONNAIRE_ID.match(qid):
            raise self.fail("top level", "'id' must be lowercase letters, digits and '-'")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("top level", "'version' must be a whole number of at least 1")
        title = self.text(data, "title", "top level")
        sections_data = data.get("sections")
        if not isinstance(sections_data, list) or not sections_data:
            raise self.fail("top level", "'sections' must be a non-empty list")
        section_ids: set[str] = set()
        sections = []
        for i, raw in enumerate(sections_data, 1):
            section = self.section(raw, i)
            if section.id in section_ids:
                raise self.fail(f"section '{section.id}'", "duplicate section id")
            section_ids.add(section.id)
            sections.append(section)
        indicators = tuple(
            indicator(self, raw, i) for i, raw in enumerate(data.get("indicators") or [], 1)
        )
        ids = [ind.id for ind in indicators]
        if len(ids) != len(set(ids)):
            raise self.fail("indicators", "duplicate indicator id")
        check_differences(self, indicators)
        self.sections = {s.id: s for s in sections}
        recommendations = parse_recommendations(
            self, data.get("recommendations"), {ind.id: ind for ind in indicators}
        )
        return Questionnaire(
            id=qid,
            version=version,
            title=title,
            description=self.text(data, "description", "top level", required=False),
            sections=tuple(sections),
            indicators=indicators,
            source=self.source,
            recommendations=recommendations,
            provisional_below=self.share_of_one(data.get("provisional_below", 0), "top level"),
        )

    def share_of_one(self, value: Any, where: str) -> float:
        """A threshold written as a share from 0 to 1 (0.5 means half)."""
        if not _is_number(value) or not 0 <= value <= 1:
            raise self.fail(
                where, f"'provisional_below' must be a number from 0 to 1, not {value!r}"
            )
        return float(value)

    def section(self, raw: Any, index: int) -> Section:
        data, sid = self.identified(raw, f"section #{index}")
        where = f"section '{sid}'"
        self.unknown_keys(data, {"id", "title", "description", "scored", "questions"}, where)
        questions_data = data.get("questions")
        if not isinstance(questions_data, list) or not questions_data:
            raise self.fail(where, "'questions' must be a non-empty list")
        questions = tuple(self.question(q, sid, i) for i, q in enumerate(questions_data, 1))
        scored = data.get("scored", True)
        if not isinstance(scored, bool):
            raise self.fail(where, "'scored' must be true or false")
        if scored and not any(q.score for q in questions):
            raise self.fail(where, "a scored section needs at least one question with 'score'")
        return Section(
            id=sid,
            title=self.text(data, "title", where),
            description=self.text(data, "description", where, required=False),
            scored=scored,
            questions=questions,
        )

    # ---- questions and columns
    def question(self, raw: Any, section_id: str, index: int) -> Question:
        data, qid = self.identified(raw, f"section '{section_id}' question #{index}")
        where = f"question '{qid}'"
        if qid in self.seen:
            raise self.fail(where, "duplicate question id")
        base = self.field(
            data,
            where,
            QUESTION_TYPES,
            extra_keys={"visible_if", "score", "columns", "min_rows", "row_label"},
        )
        visible_if = None
        if data.get("visible_if") is not None:
            visible_if = self.condition(data["visible_if"], where, "question")
            for ref in visible_if.refs():
                target = self.seen.get(ref)
                if target is None:
                    raise self.fail(
                        where, f"visible_if refers to {ref!r}, which is not an earlier question"
                    )
                if target.is_table:
                    raise self.fail(where, f"visible_if cannot refer to table question {ref!r}")
            self.check_condition_values(visible_if, where)
        columns: tuple[Field, ...] = ()
        min_rows = 0
        row_label = "row"
        if base.type == "table":
            cols = data.get("columns")
            if not isinstance(cols, list) or not cols:
                raise self.fail(where, "a table question needs a non-empty 'columns' list")
            columns = tuple(self.column(c, qid, i) for i, c in enumerate(cols, 1))
            col_ids = [c.id for c in columns]
            dupes = sorted({c for c in col_ids if col_ids.count(c) > 1})
            if dupes:
                raise self.fail(where, f"duplicate column id(s): {', '.join(dupes)}")
            min_rows = self.int_value(data.get("min_rows", 0), where, "min_rows")
            row_label = self.text(data, "row_label", where, required=False) or "row"
        else:
            for key in ("columns", "min_rows", "row_label"):
                if key in data:
                    raise self.fail(where, f"'{key}' is only for table questions")
        score = self.score(data.get("score"), base, where) if "score" in data else None
        question = Question(
            **{k: getattr(base, k) for k in Field.__dataclass_fields__},
            section_id=section_id,
            visible_if=visible_if,
            score=score,
            columns=columns,
            min_rows=min_rows,
            row_label=row_label,
        )
        self.seen[qid] = question
        return question

    def column(self, raw: Any, table_id: str, index: int) -> Field:
        data, cid = self.identified(raw, f"question '{table_id}' column #{index}")
        return self.field(data, f"question '{table_id}' column '{cid}'", COLUMN_TYPES, set())

    def field(
        self, data: dict[str, Any], where: str, types: frozenset[str], extra_keys: set[str]
    ) -> Field:
        allowed = {
            "id", "label", "type", "help", "required", "options", "reference", "min", "max",
            "max_length", "pattern", "pattern_message", "levels", "min_selected", "max_selected",
            "personal_data",
        } | extra_keys  # fmt: skip
        self.unknown_keys(data, allowed, where)
        ftype = data.get("type")
        if ftype not in types:
            raise self.fail(
                where, f"unknown type {ftype!r}; expected one of {', '.join(sorted(types))}"
            )
        label = self.text(data, "label", where)
        required = data.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(where, "'required' must be true or false")
        options, reference = self.options(data, ftype, where)
        minimum, maximum = self.bounds(data, ftype, where)
        pattern = data.get("pattern")
        if pattern is not None:
            if ftype != "text":
                raise self.fail(where, "'pattern' is only for text")
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                raise self.fail(
                    where, f"'pattern' is not a valid regular expression ({exc})"
                ) from None
        levels: tuple[str, ...] = ()
        if ftype == "maturity":
            raw_levels = data.get("levels")
            if (
                not isinstance(raw_levels, list)
                or len(raw_levels) != 5
                or not all(isinstance(x, str) and x.strip() for x in raw_levels)
            ):
                raise self.fail(
                    where, "a maturity question needs exactly five 'levels' descriptors"
                )
            levels = tuple(x.strip() for x in raw_levels)
        elif "levels" in data:
            raise self.fail(where, "'levels' is only for maturity questions")
        max_length = data.get("max_length")
        if max_length is not None:
            max_length = self.int_value(max_length, where, "max_length")
        return Field(
            id=data["id"],
            label=label,
            type=ftype,
            help=self.text(data, "help", where, required=False),
            required=required,
            options=options,
            reference=reference,
            minimum=minimum,
            maximum=maximum,
            max_length=max_length,
            pattern=pattern,
            pattern_message=data.get("pattern_message"),
            levels=levels,
            min_selected=self.optional_int(data, "min_selected", where),
            max_selected=self.optional_int(data, "max_selected", where),
            personal_data=bool(data.get("personal_data", False)),
        )

    def optional_int(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        return None if value is None else self.int_value(value, where, key)

    def int_value(self, value: Any, where: str, key: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(where, f"'{key}' must be a whole number of at least 0")
        return value

    def options(
        self, data: dict[str, Any], ftype: str, where: str
    ) -> tuple[tuple[Option, ...], str | None]:
        has_options = "options" in data
        reference = data.get("reference")
        if ftype not in CHOICE_TYPES:
            if has_options or reference is not None:
                raise self.fail(where, "'options' and 'reference' are only for choice types")
            return (), None
        if has_options and reference is not None:
            raise self.fail(where, "give either 'options' or 'reference', not both")
        if reference is not None:
            try:
                ref = reference_list(str(reference))
            except ReferenceListError as exc:
                raise self.fail(where, str(exc)) from None
            return tuple(Option(i.value, i.label) for i in ref.items), str(reference)
        raw = data.get("options")
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, "a choice needs a non-empty 'options' list or a 'reference'")
        options = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or "value" not in item or "label" not in item:
                raise self.fail(where, f"option #{i} needs 'value' and 'label'")
            self.unknown_keys(item, {"value", "label", "exclusive"}, f"{where} option #{i}")
            exclusive = item.get("exclusive", False)
            if not isinstance(exclusive, bool):
                raise self.fail(where, f"option #{i} 'exclusive' must be true or false")
            if exclusive and ftype != "multi_choice":
                raise self.fail(where, "'exclusive' options are only for multi_choice")
            value = item["value"]
            if not isinstance(value, str) or not _ID.match(value):
                raise self.fail(
                    where,
                    f"option #{i} value {value!r} must be a quoted snake_case string "
                    "(unquoted yes/no/on/off become booleans in YAML)",
                )
            options.append(Option(value, str(item["label"]), exclusive))
        values = [o.value for o in options]
        if len(values) != len(set(values)):
            raise self.fail(where, "duplicate option values")
        return tuple(options), None

    def bounds(self, data: dict[str, Any], ftype: str, where: str) -> tuple[Any, Any]:
        minimum, maximum = data.get("min"), data.get("max")
        if ftype == "percentage":
            minimum = 0 if minimum is None else minimum
            maximum = 100 if maximum is None else maximum
        if minimum is None and maximum is None:
            return None, None
        if ftype in NUMERIC_TYPES:
            for key, value in (("min", minimum), ("max", maximum)):
                if value is not None and (
                    not isinstance(value, int | float) or isinstance(value, bool)
                ):
                    raise self.fail(where, f"'{key}' must be a number")
        elif ftype == "date":
            minimum = None if minimum is None else str(minimum)
            maximum = None if maximum is None else str(maximum)
            for key, value in (("min", minimum), ("max", maximum)):
                if value is not None and not _DATE.match(value):
                    raise self.fail(where, f"'{key}' must be a date written YYYY-MM-DD")
        else:
            raise self.fail(where, "'min' and 'max' are only for numbers and dates")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise self.fail(where, "'min' is greater than 'max'")
        return minimum, maximum

    # ---- conditions
    def condition(self, raw: Any, where: str, ref_key: str) -> Condition:
        data = self.mapping(raw, where)
        for combinator in ("all", "any"):
            if combinator in data:
                if len(data) != 1 or not isinstance(data[combinator], list) or not data[combinator]:
                    raise self.fail(
                        where, f"'{combinator}' must be the only key, with a non-empty list"
                    )
                children = tuple(self.condition(c, where, ref_key) for c in data[combinator])
                return Condition(combinator, children=children)
        ref = data.get(ref_key)
        if not isinstance(ref, str):
            raise self.fail(where, f"a condition needs '{ref_key}' naming a {ref_key}")
        ops = [op for op in _CONDITION_OPS if op in data]
        if len(ops) != 1 or len(data) != 2:
            raise self.fail(
                where,
                f"a condition needs '{ref_key}' and exactly one of {', '.join(_CONDITION_OPS)}",
            )
        op = ops[0]
        value = data[op]
        if op == "in" and (not isinstance(value, list) or not value):
            raise self.fail(where, "'in' needs a non-empty list")
        if op == "answered" and not isinstance(value, bool):
            raise self.fail(where, "'answered' must be true or false")
        return Condition(op, ref, tuple(value) if op == "in" else value)

    def check_condition_values(
        self, cond: Condition, where: str, table: Question | None = None
    ) -> None:
        """A condition comparing a choice with a value it can never hold is a typo: refuse it."""
        if cond.op in ("all", "any"):
            for child in cond.children:
                self.check_condition_values(child, where, table)
            return
        target: Field
        if table is not None:
            try:
                target = table.column(cond.ref)
            except KeyError:
                raise self.fail(where, f"table {table.id!r} has no column {cond.ref!r}") from None
        else:
            target = self.seen[cond.ref]
        if cond.op == "answered":
            return
        values = cond.value if cond.op == "in" else (cond.value,)
        for value in values:
            if target.type in CHOICE_TYPES and value not in target.option_values:
                raise self.fail(where, f"{value!r} is not an option of {target.id!r}")
            if target.type == "yesno" and not isinstance(value, bool):
                raise self.fail(where, f"{target.id!r} is yes/no; compare it with true or false")

    # ---- scoring
    def score(self, raw: Any, q: Field, where: str) -> ScoreRule:
        if q.type == "table":
            raise self.fail(where, "table questions are not scored directly; use indicators")
        if raw == "value":
            if q.type != "maturity":
                raise self.fail(where, "'score: value' is only for maturity questions")
            return ScoreRule("value")
        if not isinstance(raw, dict) or not raw:
            raise self.fail(where, "'score' must be 'value' or a mapping")
        if q.type in NUMERIC_TYPES:
            bands_raw = raw.get("bands")
            if set(raw) != {"bands"} or not isinstance(bands_raw, list) or not bands_raw:
                raise self.fail(where, "numeric scoring needs 'bands': a non-empty list")
            bands = []
            for i, band in enumerate(bands_raw, 1):
                if not isinstance(band, dict) or "points" not in band:
                    raise self.fail(where, f"score band #{i} needs 'points'")
                for key in ("min", "max"):
                    bound = band.get(key)
                    if bound is not None and (
                        not isinstance(bound, int | float) or isinstance(bound, bool)
                    ):
                        raise self.fail(where, f"score band #{i} '{key}' must be a number")
                bands.append(
                    ScoreBand(self.points(band["points"], where), band.get("min"), band.get("max"))
                )
            return ScoreRule("bands", bands=tuple(bands))
        if q.type == "multi_choice":
            per = raw.get("per_selected")
            if not isinstance(per, int | float) or isinstance(per, bool) or per <= 0:
                raise self.fail(
                    where, "multiple choice scoring needs 'per_selected': a number above 0"
                )
            return ScoreRule(
                "per_selected",
                per_selected=float(raw["per_selected"]),
                cap=self.points(raw.get("max", 5), where),
            )
        if q.type == "yesno":
            if not set(raw) <= {True, False}:
                raise self.fail(
                    where, "yes/no scoring maps true and false (or yes and no) to points"
                )
        elif q.type == "single_choice":
            unknown = sorted(str(k) for k in raw if k not in q.option_values)
            if unknown:
                raise self.fail(where, f"score names unknown option(s): {', '.join(unknown)}")
        else:
            raise self.fail(where, f"{q.type} questions cannot be scored")
        return ScoreRule("map", mapping={k: self.points(v, where) for k, v in raw.items()})

    def points(self, value: Any, where: str) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not 1 <= value <= 5:
            raise self.fail(where, f"points must be a number from 1 to 5, not {value!r}")
        return float(value)


def _is_number(value: Any) -> bool:

    return isinstance(value, int | float) and not isinstance(value, bool)
