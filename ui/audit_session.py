"""One open audit: the answers the form shows, the undo stack, and the writes that reach the store.

Signals:
    answerChanged(str): a question's stored answer changed (by an edit, undo or redo).
    commentChanged(str): a question's comment changed.
    rowsChanged(str): rows were added to or removed from a table question.
    progressChanged(): completion or maturity may have changed.
    writeFailed(str): a write was refused by the store; the message says why.
    statusChanged(): the audit moved in its lifecycle (set_audit).
    readOnlyChanged(bool): the audit became read-only (signed off) or editable (reopened).
    unsavedChanged(): a field now holds (or no longer holds) text that is not saved.
    stepReplayed(str, str): undo or redo changed a question (its id, or ''), and in words
        what ("Undone: answer to …"), so the form can show where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from models.completion import stored_complete_row_counts
from models.lifecycle import is_read_only
from models.questionnaire import Questionnaire, get_questionnaire
from models.records import Audit
from models.scoring import (
    SectionProgress,
    SectionScores,
    score_sections,
    section_progress,
)
from models.store import Store, WorkspaceError
from models.validation import comment_problem, visible_questions
from models.values import is_empty

if TYPE_CHECKING:
    from models.data_quality import DataQualityNote
    from ui.row_table_model import RowTableModel


class AuditSession(QObject):
    answerChanged = Signal(str)
    commentChanged = Signal(str)
    rowsChanged = Signal(str)
    progressChanged = Signal()
    writeFailed = Signal(str)
    statusChanged = Signal()
    readOnlyChanged = Signal(bool)
    unsavedChanged = Signal()
    stepReplayed = Signal(str, str)

    def __init__(
        self, store: Store, audit: Audit, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.audit = audit
        self.undo_stack = undo_stack
        self.questionnaire: Questionnaire = get_questionnaire(
            audit.questionnaire_id, audit.questionnaire_version
        )
        self.answers: dict[str, Any] = store.answers(audit.id)
        self.comments: dict[str, str] = store.comments(audit.id)
        self.row_counts: dict[str, int] = store.row_counts(audit.id)
        self._complete_rows: dict[str, int] = {}  # complete rows per table, read when needed
        self._stale_tables: set[str] = {t.id for t in self.questionnaire.table_questions()}
        self._tables: dict[str, RowTableModel] = {}
        self._read_only = self._locked()
        # Fields whose text is not saved because it is not valid: question id -> why.
        self.unsaved: dict[str, str] = {}
        self._table_notes: dict[str, list[DataQualityNote]] = {}  # until the table changes

    # ---------------------------------------------------------------- lifecycle
    def _locked(self) -> bool:
        return is_read_only(self.audit) or self.store.read_only

    @property
    def read_only(self) -> bool:
        """Signed off, or the workspace is open read-only: every view shows, none edits."""
        return self._read_only

    def set_audit(self, audit: Audit) -> None:
        """The audit after a lifecycle move: views follow its status and its lock."""
        self.audit = audit
        locked = self._locked()
        if locked:
            self.undo_stack.clear()  # no step may reach back into a locked audit
        changed = locked != self._read_only
        self._read_only = locked
        self.statusChanged.emit()
        if changed:
            self.readOnlyChanged.emit(locked)

    # ---------------------------------------------------------------- reading
    def visible(self) -> set[str]:
        return visible_questions(self.questionnaire, self.answers)

    def progress(self) -> dict[str, SectionProgress]:
        """Section progress counting complete rows only (a blank row answers nothing)."""
        return section_progress(self.questionnaire, self.answers, self.complete_rows())

    def complete_rows(self) -> dict[str, int]:
        """Rows with every required cell filled, per table; tables edited since are re-read."""
        if self._stale_tables:
            fresh = stored_complete_row_counts(self.store, self.audit.id, self.questionnaire)
            self._complete_rows.update({t: fresh.get(t, 0) for t in self._stale_tables})
            self._stale_tables.clear()
        return dict(self._complete_rows)

    def section_scores(self) -> SectionScores:
        """Maturity per section: answers only, so no table is loaded for it."""
        return score_sections(self.questionnaire, self.answers)

    def data_quality_notes(self) -> list[DataQualityNote]:
        """The open data-quality notes on what is stored now (every edit is stored at once).

        Each table's notes are kept until the table changes (see table_model), so typing an
        answer rechecks the question rules only.
        """
        from models.data_quality import open_notes

        return open_notes(
            self.store, self.audit, self.questionnaire, self.answers, self._table_notes
        )

    def _table_changed(self, table_id: str) -> None:
        self._table_notes.pop(table_id, None)

    def table_model(self, question_id: str) -> RowTableModel:
        """The item model of a table question, loaded on first use."""
        model = self._tables.get(question_id)
        if model is None:
            from ui.row_table_model import FIRST_PAGE, RowTableModel

            question = self.questionnaire.question(question_id)
            first = self.store.rows(self.audit.id, question_id, limit=FIRST_PAGE)
            total = self.row_counts.get(question_id, 0)
            model = RowTableModel(self, question, first, total)
            self._tables[question_id] = model
            # Edits drop the table's data-quality notes (rows added: rows_changed); rows
            # read in the background change nothing. A move renumbers the rows the notes name.
            for signal in (model.dataChanged, model.rowsRemoved, model.rowsMoved, model.modelReset):
                signal.connect(lambda *_args, t=question_id: self._table_changed(t))
            model.rowsMoved.connect(lambda *_args: self.progressChanged.emit())
        return model

    def close(self) -> None:
        """Stop background reads: the workspace may be closed straight after."""
        for model in self._tables.values():
            model.stop_loading()

    # ---------------------------------------------------------------- editing (undoable)
    def set_answer(self, question_id: str, value: Any, *, typing: bool = False) -> None:
        """Record an answer as an undoable edit; `typing` merges a burst of keystrokes."""
        from ui.commands import SetAnswerCommand

        if self._read_only:
            self.answerChanged.emit(question_id)  # the editor shows what is stored again
            return
        old = self.answers.get(question_id)
        if old == value and type(old) is type(value):
            return
        self.undo_stack.push(SetAnswerCommand(self, question_id, old, value, typing=typing))

    def set_comment(self, question_id: str, text: str) -> None:
        from ui.commands import SetCommentCommand

        if self._read_only:
            self.commentChanged.emit(question_id)
            return
        too_long = comment_problem(text)  # the one check every door makes
        if too_long:
            self.writeFailed.emit(f"Comment not saved: {too_long}")
            self.commentChanged.emit(question_id)
            return
        old = self.comments.get(question_id, "")
        if old != text:
            self.undo_stack.push(SetCommentCommand(self, question_id, old, text))

    # ---------------------------------------------------------------- applying (no undo)
    def apply_answer(self, question_id: str, value: Any) -> bool:
        """Write an answer now; False (and writeFailed) when the store refused it."""
        try:
            self.store.set_answer(self.audit.id, question_id, value)
        except WorkspaceError as exc:
            self.writeFailed.emit(str(exc))
            self.answerChanged.emit(question_id)  # let the editor show what is really stored
            return False
        if is_empty(value):
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value
        self.answerChanged.emit(question_id)
        self.progressChanged.emit()
        return True

    def apply_comment(self, question_id: str, text: str) -> bool:
        try:
            self.store.set_comment(self.audit.id, question_id, text)
        except WorkspaceError as exc:
            self.writeFailed.emit(str(exc))
            self.commentChanged.emit(question_id)
            return False
        if text:
            self.comments[question_id] = text
        else:
            self.comments.pop(question_id, None)
        self.commentChanged.emit(question_id)
        return True

    def cells_changed(self, table_id: str) -> None:
        """Cells of a table were edited: whether its rows are complete may have changed."""
        self._stale_tables.add(table_id)
        self.progressChanged.emit()

    def rows_changed(self, table_id: str, count: int) -> None:
        self.row_counts[table_id] = count
        self._stale_tables.add(table_id)
        self._table_changed(table_id)
        self.rowsChanged.emit(table_id)
        self.progressChanged.emit()

    # ---------------------------------------------------------------- unsaved entries
    def set_unsaved(self, question_id: str, reason: str | None) -> None:
        """A field holds text that is not saved (reason), or no longer does (None)."""
        if reason is None:
            if self.unsaved.pop(question_id, None) is not None:
                self.unsavedChanged.emit()
        elif self.unsaved.get(question_id) != reason:
            self.unsaved[question_id] = reason
            self.unsavedChanged.emit()

    def unsaved_summary(self) -> str:
        """'Not saved: <question> — <reason>' for the first unsaved field, or ''."""
        if not self.unsaved:
            return ""
        question_id, reason = next(iter(self.unsaved.items()))
        label = self.questionnaire.question(question_id).label
        more = f" (and {len(self.unsaved) - 1} more)" if len(self.unsaved) > 1 else ""
        return f"Not saved: {label} — {reason}{more}"

    def discard_unsaved(self) -> None:
        """The typed text that was not saved is dropped: each field shows its stored answer."""
        if self.unsaved:
            dropped = list(self.unsaved)
            self.unsaved.clear()
            for question_id in dropped:
                self.answerChanged.emit(question_id)  # the editor shows what is stored
            self.unsavedChanged.emit()

    def replayed(self, question_id: str, text: str) -> None:
        """Undo or redo has just changed `question_id` (ui/commands.py)."""
        self.stepReplayed.emit(question_id, text)

    def report_failure(self, exc: WorkspaceError) -> None:
        self.writeFailed.emit(str(exc))
