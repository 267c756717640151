"""Merging's vocabulary: the versions, conflicts, takes and plans merging works out, and
conflicts and values described in words for the person choosing (models/merge.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.audit_package import Package, PackageChange, PackagedAudit
from models.package_shape import refused_lines
from models.questionnaire import DefinitionError, Question, get_questionnaire
from models.records import STATUS_LABELS
from models.values import in_words, is_empty

MINE, THEIRS = "mine", "theirs"
DRAFT, SIGNED_OFF = "draft", "signed_off"
NEEDS_ANSWERS = ("submitted", "reviewed")  # statuses that need every required answer
Key = tuple[str, str, str]  # (audit id, kind, item)
Record = tuple[str, str]  # (kind, item)


class MergeError(ValueError):
    """A merge that cannot go ahead as asked; nothing was written."""


class UnresolvedConflictsError(MergeError):
    """Conflicts remain undecided: nothing is written until each has a choice."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(
            f"{len(conflicts)} conflicting change(s) need a choice (keep this workspace's value "
            "or take the package's). Nothing was merged."
        )


@dataclass(frozen=True)
class Version:
    """One side's state of a record, and who last changed it when."""

    value: Any  # decoded; None when absent (cleared, deleted, never there)
    who: str = ""
    at: str = ""
    table: str = ""  # rows: the table question
    position: int | None = None  # rows


@dataclass(frozen=True)
class Conflict:
    """Both sides changed a record to different values since they last shared."""

    audit_id: str
    kind: str
    item: str
    question_id: str
    mine: Version
    theirs: Version

    @property
    def key(self) -> Key:
        return (self.audit_id, self.kind, self.item)


@dataclass(frozen=True)
class Take:
    """A record to write here: the package's value (None removes it), and a row's place."""

    kind: str
    item: str
    question_id: str
    value: Any
    position: int | None = None
    why: str = "fast-forward"  # or "chosen"; "moved" for a row that only changes place


@dataclass
class AuditPlan:
    """What merging does to one audit of the package."""

    incoming: PackagedAudit
    action: str  # add | merge | unchanged | skip
    takes: list[Take] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    combined: int = 0  # changed on both sides to the same value
    ahead: int = 0  # records changed only here: kept
    absorb: list[PackageChange] = field(default_factory=list)
    status: str | None = None  # the status to end with, when it changes
    reason: str = ""  # why an audit is skipped
    note: str = ""  # why the status ends other than the package's (kept as draft)
    department_id: str | None = None  # the department here a new audit goes to, if any
    resign: bool = False  # signed off again there after a rename: the sign-off covers it

    @property
    def audit_id(self) -> str:
        return self.incoming.audit.id

    @property
    def title(self) -> str:
        return self.incoming.title

    @property
    def content_takes(self) -> list[Take]:
        return [t for t in self.takes if t.kind in ("answer", "comment", "row", "evidence")]

    def line(self) -> str:
        """One line saying what happens to this audit."""
        from models.merge_identity import rename_words

        if self.action == "add":
            a = self.incoming
            return (
                f"+ {self.title}: new audit ({len(a.answers)} answer(s), {len(a.rows)} row(s), "
                f"{STATUS_LABELS.get(a.audit.status, a.audit.status).lower()})"
            ) + "".join(f", {w}" for w in rename_words(self))
        if self.action == "skip":
            return f"! {self.title}: not merged: {self.reason}"
        if self.action == "unchanged" and not self.conflicts:
            return f"= {self.title}: nothing new" + (f" ({self.note})" if self.note else "")
        parts = [f"{len(self.content_takes)} change(s) to take", *rename_words(self)]
        if self.status is not None:
            parts.append(f"status to {STATUS_LABELS.get(self.status, self.status).lower()}")
        if self.combined:
            parts.append(f"{self.combined} made on both sides alike")
        if self.ahead:
            parts.append(f"{self.ahead} newer here, kept")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflict(s)")
        if self.note:
            parts.append(self.note)
        return f"~ {self.title}: " + ", ".join(parts)


@dataclass
class MergePlan:
    """A package's effect on this workspace, worked out before anything is written."""

    package: Package
    audits: list[AuditPlan]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for a in self.audits for c in a.conflicts]

    @property
    def skipped(self) -> list[AuditPlan]:
        return [a for a in self.audits if a.action == "skip"]

    def summary(self) -> str:
        m = self.package.manifest
        who = f" by {m.created_by}" if m.created_by else ""
        lines = [
            f"{self.package.name}: {len(self.audits)} audit(s), made{who} on {m.created_at[:16]}",
            *(a.line() for a in self.audits),
        ]
        lines += refused_lines(self.package)
        conflicts = self.conflicts
        if conflicts:
            lines.append(f"{len(conflicts)} conflict(s): both sides changed these differently:")
            plans = {a.audit_id: a for a in self.audits}
            for conflict in conflicts:
                audit = plans[conflict.audit_id].incoming.audit
                key = (audit.questionnaire_id, audit.questionnaire_version)
                where = describe(conflict, key)
                lines.append(f"  {plans[conflict.audit_id].title}: {where}")
                lines.append(f"    mine:   {show(conflict.mine, conflict.theirs, key, conflict)}")
                lines.append(f"    theirs: {show(conflict.theirs, conflict.mine, key, conflict)}")
        return "\n".join(lines)


@dataclass
class MergeReport:
    """What a merge wrote."""

    package: str
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "title: reason"
    notes: list[str] = field(default_factory=list)  # "title kept as draft: why"
    changed_audit_ids: list[str] = field(default_factory=list)
    taken: int = 0
    absorbed: int = 0

    def summary(self) -> str:
        lines = [
            f"Merged {self.package}: {len(self.added)} audit(s) added, {len(self.updated)} updated."
        ]
        lines += [f"  added: {t}" for t in self.added]
        lines += [f"  updated: {t}" for t in self.updated]
        lines += [f"  not merged: {s}" for s in self.skipped]
        lines += [f"  {n}" for n in self.notes]
        if not (self.added or self.updated or self.skipped or self.notes):
            lines.append("  Nothing new: this workspace already had everything in the package.")
        return "\n".join(lines)


# ---------------------------------------------------------------- describing


def _question(conflict: Conflict, key: tuple[str, int] | None) -> Question | None:
    if key is None:
        return None
    try:
        q = get_questionnaire(*key)
    except DefinitionError:
        return None
    return q.question(conflict.question_id) if q.has_question(conflict.question_id) else None


def describe(conflict: Conflict, questionnaire_key: tuple[str, int] | None = None) -> str:
    """Which record a conflict is about, in words (question labels when the key is given)."""
    question = _question(conflict, questionnaire_key)
    label = question.label if question is not None else conflict.question_id
    if conflict.kind == "status":
        return "Status"
    if conflict.kind in ("department", "audit"):  # models/merge_identity.py
        return "Department name" if conflict.kind == "department" else "Auditor"
    if conflict.kind == "comment":
        return f"Comment on: {label}"
    if conflict.kind == "evidence":
        name = next((v["name"] for v in (conflict.theirs.value, conflict.mine.value) if v), "")
        return f"Evidence “{name}” on: {label}"
    if conflict.kind == "row":
        cells = [v for v in (conflict.theirs.value, conflict.mine.value) if isinstance(v, dict)]
        columns = [c.id for c in question.columns] if question is not None else []
        names = columns + sorted({k for c in cells for k in c} - set(columns))
        first = next((c[k] for k in names for c in cells if not is_empty(c.get(k))), None)
        return f"Row “{first}” of {label}" if first is not None else f"A row of {label}"
    return label


def show(
    version: Version,
    other: Version | None = None,
    questionnaire_key: tuple[str, int] | None = None,
    conflict: Conflict | None = None,
    *,
    by: bool = True,
) -> str:
    """A side's value in words (for a row, the cells that differ from `other`), and by
    default who changed it when."""
    value = version.value
    if value is None:
        text = "(removed)" if version.at else "(none)"
    elif isinstance(value, dict):
        question = _question(conflict, questionnaire_key) if conflict is not None else None
        labels = {c.id: c.label for c in question.columns} if question is not None else {}
        against = other.value if other is not None and isinstance(other.value, dict) else None
        keys = [k for k in value if against is None or value.get(k) != against.get(k)]
        if against is not None:
            keys += [k for k in against if k not in value]  # cleared here
        text = "; ".join(f"{labels.get(k, k)}: {_plain(value.get(k))}" for k in keys)
        text = text or "(same cells)"
    else:
        text = _plain(value)
    if not by:
        return text
    who = changed_by(version)
    return f"{text}  [{who}]" if who else text


def changed_by(version: Version) -> str:
    """Who last changed a side's value, and when (UTC)."""
    when = version.at[:16].replace("T", " ")
    return ", ".join(p for p in (version.who, f"{when} UTC" if when else "") if p)


def _plain(value: Any) -> str:
    if isinstance(value, str) and value in STATUS_LABELS:
        return STATUS_LABELS[value]
    return in_words(value)
