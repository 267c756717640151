"""Questionnaire definitions: the typed model of a YAML file and its validation on load."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.data_quality_rules import DataQualityRule

SCALAR_TYPES = frozenset(
    {
        "yesno",
        "single_choice",
        "multi_choice",
        "integer",
        "decimal",
        "currency",
        "percentage",
        "date",
        "text",
        "long_text",
        "maturity",
    }
)
NUMERIC_TYPES = frozenset({"integer", "decimal", "currency", "percentage"})
CHOICE_TYPES = frozenset({"single_choice", "multi_choice"})
QUESTION_TYPES = SCALAR_TYPES | {"table"}
COLUMN_TYPES = SCALAR_TYPES - {"maturity"}


class DefinitionError(ValueError):
    """A questionnaire file that cannot be used, with the file and the place named."""

    def __init__(self, source: str, where: str, message: str) -> None:
        self.source = source
        self.where = where
        self.message = message
        place = f"{source}: {where}: " if where else f"{source}: "
        super().__init__(place + message)


@dataclass(frozen=True)
class Option:
    """One choice of a choice question or column."""

    value: str
    label: str
    exclusive: bool = False  # "None of these": may not be ticked with any other option


@dataclass(frozen=True)
class Condition:
    """A visibility or row-filter condition: a comparison or an all/any of conditions."""

    op: str  # equals, not_equals, in, answered, all, any
    ref: str = ""  # question id (visible_if) or column id (indicator where)
    value: Any = None
    children: tuple[Condition, ...] = ()

    def refs(self) -> Iterator[str]:
        """Every question or column id this condition reads."""
        if self.op in ("all", "any"):
            for child in self.children:
                yield from child.refs()
        else:
            yield self.ref


@dataclass(frozen=True)
class ScoreBand:
    """Points for a numeric answer in [low, high)."""

    points: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class ScoreRule:
    """How an answer turns into 1-5 maturity points."""

    kind: str  # map, value, bands, per_selected
    mapping: Mapping[Any, float] = field(default_factory=dict)
    bands: tuple[ScoreBand, ...] = ()
    per_selected: float = 0.0
    cap: float = 5.0


@dataclass(frozen=True)
class Field:
    """A typed input: a question or a table column."""

    id: str
    label: str
    type: str
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    reference: str | None = None
    minimum: Any = None
    maximum: Any = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    levels: tuple[str, ...] = ()
    min_selected: int | None = None
    max_selected: int | None = None
    personal_data: bool = False

    def option_label(self, value: Any) -> str:
        """The label shown for a stored option value (the value itself if unknown)."""
        for option in self.options:
            if option.value == value:
                return option.label
        return "" if value is None else str(value)

    @property
    def option_values(self) -> frozenset[str]:
        return frozenset(o.value for o in self.options)

    @property
    def exclusive_values(self) -> frozenset[str]:
        """Options that stand alone ("None of these"): ticking one rules out every other."""
        return frozenset(o.value for o in self.options if o.exclusive)


@dataclass(frozen=True)
class Question(Field):
    """A question on the form; a table question also has columns."""

    section_id: str = ""
    visible_if: Condition | None = None
    score: ScoreRule | None = None
    columns: tuple[Field, ...] = ()
    min_rows: int = 0
    row_label: str = "row"

    @property
    def is_table(self) -> bool:
        return self.type == "table"

    def column(self, column_id: str) -> Field:
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(f"{self.id} has no column {column_id!r}")


@dataclass(frozen=True)
class Section:
    """A page of the form."""

    id: str
    title: str
    description: str
    scored: bool
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Indicator:
    """A derived figure computed from answers and table rows."""

    id: str
    label: str
    kind: str  # share, flag, group, difference
    table: str | None = None
    value_column: str | None = None
    where: Condition | None = None
    group_column: str | None = None
    sources: tuple[tuple[str, str, Condition], ...] = ()  # (kind, question/table id, condition)
    exclude: Condition | None = None  # share rows left out of both sides (vacant posts)
    definition: str = ""  # what is counted, out of what, and what is left out: for report notes
    # A flag's table rows that say it does NOT hold (table id, row condition): with an
    # answer of yes, such a row (and no row that says it holds) makes the flag conflicting.
    against: tuple[tuple[str, Condition], ...] = ()
    # Answers that mean the flag does not hold when its own question is hidden or blank
    # (no Digital Leader nominated: none sits on the board).
    means_no: tuple[Condition, ...] = ()
    better: str = "lower"  # which end of a share is better: "lower" or "higher"
    # A difference: share `of` minus share `minus`, in percentage points (two tables compared).
    of: str | None = None
    minus: str | None = None
    # A share of a table kept by period: only each group's latest period counts ("month",
    # "body": each body's latest month), so months are never added together.
    latest: tuple[str, str] | None = None


NUMBER_COMPARISONS = ("at_least", "above", "below", "at_most")


@dataclass(frozen=True)
class RuleCondition:
    """When a recommendation applies: all/any of comparisons with answers and indicators."""

    op: str  # all, any; or equals, not_equals, in, answered, at_least, above, below, at_most
    kind: str = ""  # a comparison's subject: "question", "indicator" or "section"
    ref: str = ""  # the question or indicator id
    value: Any = None
    children: tuple[RuleCondition, ...] = ()

    def leaves(self) -> Iterator[RuleCondition]:
        """Every comparison in the tree, in file order."""
        if self.op in ("all", "any"):
            for child in self.children:
                yield from child.leaves()
        else:
            yield self


@dataclass(frozen=True)
class RecommendationRule:
    """Advice for the board and the answers that call for it, kept with the questionnaire."""

    id: str
    title: str
    text: str
    priority: int  # 1 (most urgent) to 3
    when: RuleCondition
    owner: str = ""  # the post that answers for it, e.g. "Permanent Secretary"
    timescale: str = ""  # e.g. "Within 3 months"
    measure: str = ""  # how the board will know it has worked
    decision: str = ""  # what the board is asked to decide


@dataclass(frozen=True)
class Questionnaire:
    """One version of one questionnaire."""

    id: str
    version: int
    title: str
    description: str
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    source: str = ""
    recommendations: tuple[RecommendationRule, ...] = ()
    # A rating resting on less than this share of its scoring questions is provisional.
    provisional_below: float = 0.0
    data_quality: tuple[DataQualityRule, ...] = ()  # models/data_quality_rules.py

    def __post_init__(self) -> None:
        index = {q.id: q for s in self.sections for q in s.questions}
        object.__setattr__(self, "_index", index)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        index: dict[str, Question] = self._index  # type: ignore[attr-defined]
        try:
            return index[question_id]
        except KeyError:
            raise KeyError(f"{self.id} v{self.version} has no question {question_id!r}") from None

    def has_question(self, question_id: str) -> bool:
        return question_id in self._index  # type: ignore[attr-defined]

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def table_questions(self) -> list[Question]:
        return [q for q in self.questions() if q.is_table]


# --------------------------------------------------------------------------- loading


def load_questionnaire_file(path: Path | str) -> Questionnaire:
    """Load and validate a definition file; raise DefinitionError naming the file and question."""
    path = Path(path)
    return parse_questionnaire(path.read_text(encoding="utf-8"), source=path.name)


def parse_questionnaire(text: str, source: str = "<definition>") -> Questionnaire:
    """Parse YAML text into a validated Questionnaire."""
    from models.questionnaire_parser import parse_definition

    return parse_definition(text, source)


def _resource_dir() -> Path:
    return Path(str(resources.files("resources") / "questionnaires"))


_CACHE: dict[tuple[str, int], Questionnaire] = {}

# A questionnaire id is an identifier, never a path: it comes from packages and workbooks.
QUESTIONNAIRE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_SHIPPED_FILE = re.compile(r"(?P<id>[a-z0-9][a-z0-9-]{0,63})-v(?P<version>[1-9][0-9]{0,8})\.yaml")


def questionnaire_key_problem(questionnaire_id: object, version: object) -> str | None:
    """Why an id and version from outside cannot name a questionnaire (None when they can)."""
    if not isinstance(questionnaire_id, str) or not QUESTIONNAIRE_ID.fullmatch(questionnaire_id):
        shown = _shown(questionnaire_id)
        return f"{shown} is not a questionnaire id (lower-case letters, digits and hyphens)"
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10**9:
        return f"{_shown(version)} is not a questionnaire version (a whole number from 1)"
    return None


def _shown(value: object) -> str:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return repr(value if not isinstance(value, str) else value[:80])
    return f"a {type(value).__name__}"


def shipped_questionnaires() -> dict[tuple[str, int], Path]:
    """Every definition the app ships, by (id, version): the only ones a key can resolve to."""
    found: dict[tuple[str, int], Path] = {}
    for path in _resource_dir().iterdir():
        match = _SHIPPED_FILE.fullmatch(path.name)
        if match:
            found[(match["id"], int(match["version"]))] = path
    return found


def get_questionnaire(questionnaire_id: str, version: int) -> Questionnaire:
    """The shipped definition with this id and version (cached).

    The id and version are checked as identifiers and looked up among the shipped files,
    never joined into a path, so text from a package or workbook cannot reach other files."""
    problem = questionnaire_key_problem(questionnaire_id, version)
    if problem is not None:
        raise DefinitionError("questionnaire", "", f"refused: {problem}")
    key = (questionnaire_id, version)
    if key not in _CACHE:
        path = shipped_questionnaires().get(key)
        if path is None:
            raise DefinitionError(
                f"{questionnaire_id}-v{version}.yaml",
                "",
                f"questionnaire {questionnaire_id!r} version {version} is not installed",
            )
        _CACHE[key] = load_questionnaire_file(path)
    return _CACHE[key]


def current_questionnaire(questionnaire_id: str = "board-technology-baseline") -> Questionnaire:
    """The newest shipped version of a questionnaire: what new audits use."""
    versions = [v for (qid, v) in shipped_questionnaires() if qid == questionnaire_id]
    if not versions:
        raise DefinitionError(f"{questionnaire_id}-v*.yaml", "", "no version is installed")
    return get_questionnaire(questionnaire_id, max(versions))
