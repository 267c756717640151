"""Draft → submitted → reviewed → signed off: which moves are allowed, and their guards.

Every move is recorded in the audit's history (who, when, from, to, and the reason where
one is asked for). A signed-off audit is read-only until reopened with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.completion import (
    BlankCell,
    blank_required_cells,
    stored_complete_row_counts,
    stored_rows,
)
from models.indicator_flags import FlagConflict
from models.questionnaire import Question, Questionnaire
from models.records import STATUS_LABELS, Audit
from models.scoring import missing_required
from models.store import Store

DRAFT, SUBMITTED, REVIEWED, SIGNED_OFF = "draft", "submitted", "reviewed", "signed_off"


@dataclass(frozen=True)
class Move:
    """One step an audit can take from its status: the verb a user sees, and where it leads."""

    key: str
    label: str
    target: str
    needs_reason: bool = False


SUBMIT = Move("submit", "Submit for review", SUBMITTED)
REVIEW = Move("review", "Mark as reviewed", REVIEWED)
SIGN_OFF = Move("sign_off", "Sign off", SIGNED_OFF)
RETURN = Move("return", "Return to draft", DRAFT, needs_reason=True)
REOPEN = Move("reopen", "Reopen", DRAFT, needs_reason=True)

MOVES: dict[str, tuple[Move, ...]] = {
    DRAFT: (SUBMIT,),
    SUBMITTED: (REVIEW, RETURN),
    REVIEWED: (SIGN_OFF, RETURN),
    SIGNED_OFF: (REOPEN,),
}


class LifecycleError(ValueError):
    """A move the audit's status does not allow, or one missing what it needs."""


class MissingAnswersError(LifecycleError):
    """Submitting needs every required question answered and every required cell filled."""

    def __init__(
        self, audit: Audit, missing: list[Question], blanks: Sequence[BlankCell] = ()
    ) -> None:
        self.missing = missing
        self.blanks = list(blanks)
        parts = []
        if missing:
            names = "; ".join(q.label for q in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            parts.append(f"{len(missing)} required question(s) unanswered: {names}{more}")
        if self.blanks:
            cells = "; ".join(b.text for b in self.blanks[:8])
            more = f" and {len(self.blanks) - 8} more" if len(self.blanks) > 8 else ""
            parts.append(f"{len(self.blanks)} required cell(s) blank: {cells}{more}")
        super().__init__(
            f"{audit.department_name} {audit.cycle} cannot be submitted: {'. '.join(parts)}."
        )


def is_read_only(audit: Audit) -> bool:
    """Signed-off audits cannot be edited until reopened."""
    return audit.status == SIGNED_OFF


def moves(audit: Audit) -> tuple[Move, ...]:
    """The moves open to an audit in its current status."""
    return MOVES.get(audit.status, ())


def missing_for_submission(
    store: Store, audit: Audit, questionnaire: Questionnaire
) -> list[Question]:
    """Required questions still unanswered, in form order (a required table needs complete
    rows: a row with a required cell blank does not answer it)."""
    counts = stored_complete_row_counts(store, audit.id, questionnaire)
    return missing_required(questionnaire, store.answers(audit.id), counts)


def blank_cells_for_submission(
    store: Store, audit: Audit, questionnaire: Questionnaire
) -> list[BlankCell]:
    """Required table cells left blank, by table, row and column, for the submit check."""
    rows = stored_rows(store, audit.id, questionnaire)
    return blank_required_cells(questionnaire, store.answers(audit.id), rows)


def conflicts_for_sign_off(
    store: Store, audit: Audit, questionnaire: Questionnaire | None = None
) -> list[FlagConflict]:
    """Flags whose answer and table disagree ("Conflicting — resolve before sign-off")."""
    from models.indicator_flags import flag_conflicts
    from models.questionnaire import DefinitionError, get_questionnaire

    if questionnaire is None:
        try:
            questionnaire = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        except DefinitionError:
            return []
    rows = stored_rows(store, audit.id, questionnaire)
    return flag_conflicts(questionnaire, store.answers(audit.id), rows)


def apply(
    store: Store,
    audit_id: str,
    move: Move | str,
    *,
    questionnaire: Questionnaire | None = None,
    reason: str = "",
) -> Audit:
    """Make `move` (a Move or its key) on the audit; raises LifecycleError if not allowed."""
    audit = store.audit(audit_id)
    allowed = {m.key: m for m in moves(audit)}
    key = move if isinstance(move, str) else move.key
    chosen = allowed.get(key)
    if chosen is None:
        label = STATUS_LABELS.get(audit.status, audit.status)
        options = ", ".join(m.label.lower() for m in allowed.values()) or "nothing"
        raise LifecycleError(
            f"{audit.department_name} {audit.cycle} is {label.lower()}: it can {options}, "
            f"not {key.replace('_', ' ')}."
        )
    reason = reason.strip()
    if chosen.needs_reason and not reason:
        raise LifecycleError(f"{chosen.label} needs a reason, which is kept in the history.")
    if chosen is SIGN_OFF:
        from models.workspace_rules import sign_off_refusal

        refusal = sign_off_refusal(store, audit_id, store.actor)
        if refusal is not None:
            raise LifecycleError(refusal)
        conflicts = conflicts_for_sign_off(store, audit, questionnaire)
        if conflicts:  # the flag says "resolve before sign-off": a signed-off one would print it
            named = "; ".join(f"{c.label}: {c.message.rstrip('. ')}" for c in conflicts[:3])
            more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""
            raise LifecycleError(
                f"{audit.department_name} {audit.cycle} cannot be signed off: an answer and "
                f"its table disagree ({named}{more}). Correct one of them first."
            )
    if chosen is SUBMIT:
        if questionnaire is None:
            raise LifecycleError("Submitting checks the answers against the questionnaire.")
        missing = missing_for_submission(store, audit, questionnaire)
        blanks = blank_cells_for_submission(store, audit, questionnaire)
        if missing or blanks:
            raise MissingAnswersError(audit, missing, blanks)
    return store.set_status(audit_id, chosen.target, note=reason)
