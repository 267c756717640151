"""Undoable edits: every change an auditor makes is a QUndoCommand that commits to the store."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from models.records import Row
from models.store import WorkspaceError

if TYPE_CHECKING:
    from ui.audit_session import AuditSession
    from ui.row_table_model import RowTableModel

_TYPING_ID = 1001
_COMMENT_ID = 1002
_MERGE_WINDOW_S = 3.0


class _QuestionEdit(QUndoCommand):
    """Change one value of one question; a burst of typing in it merges into one step."""

    merge_id = -1

    def __init__(
        self, session: AuditSession, question_id: str, old: Any, new: Any, text: str, merge: bool
    ) -> None:
        super().__init__(text)
        self.session, self.question_id = session, question_id
        self.old, self.new = old, new
        self.merge = merge
        self.stamp = time.monotonic()

    def apply(self, value: Any) -> bool:
        raise NotImplementedError

    def id(self) -> int:
        return self.merge_id if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        same = isinstance(other, _QuestionEdit) and type(other) is type(self)
        if not same or other.question_id != self.question_id:
            return False
        if other.stamp - self.stamp > _MERGE_WINDOW_S:
            return False
        self.new, self.stamp = other.new, other.stamp
        return True

    def redo(self) -> None:
        if not self.apply(self.new):
            self.setObsolete(True)  # the store refused it: nothing to undo

    def undo(self) -> None:
        self.apply(self.old)


class SetAnswerCommand(_QuestionEdit):
    """Change one answer; keystrokes in one field within a few seconds are one step."""

    merge_id = _TYPING_ID

    def __init__(
        self, session: AuditSession, question_id: str, old: Any, new: Any, *, typing: bool
    ) -> None:
        label = session.questionnaire.question(question_id).label
        super().__init__(session, question_id, old, new, f"answer to “{_short(label)}”", typing)

    def apply(self, value: Any) -> bool:
        return self.session.apply_answer(self.question_id, value)


class SetCommentCommand(_QuestionEdit):
    """Change the auditor's comment on a question."""

    merge_id = _COMMENT_ID

    def __init__(self, session: AuditSession, question_id: str, old: str, new: str) -> None:
        super().__init__(session, question_id, old, new, "comment", True)

    def apply(self, value: Any) -> bool:
        return self.session.apply_comment(self.question_id, value)


class _TableCommand(QUndoCommand):
    """Base for table edits: runs the store write, then mirrors it in the item model."""

    def __init__(self, model: RowTableModel, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.session = model.session
        self.store = model.session.store
        self.audit_id = model.session.audit.id
        self.table_id = model.question.id

    def _run(self, action: Any) -> bool:
        try:
            action()
        except WorkspaceError as exc:
            self.session.report_failure(exc)
            return False
        return True


class EditTableCommand(_TableCommand):
    """Set cells and append rows in one commit: a typed cell, a paste, or a fill."""

    def __init__(
        self,
        model: RowTableModel,
        changes: Sequence[tuple[str, str, Any, Any]],
        new_rows: Sequence[Row] = (),
        text: str = "edit",
    ) -> None:
        super().__init__(model, text)
        self.changes = list(changes)  # (row id, column id, old, new)
        self.new_rows = list(new_rows)

    def redo(self) -> None:
        def write() -> None:
            with self.store.transaction("save the table edit"):
                self.store.set_cells(self.audit_id, [(r, c, new) for r, c, _, new in self.changes])
                if self.new_rows:
                    self.store.insert_rows(
                        self.audit_id,
                        self.table_id,
                        self.new_rows[0].position,
                        [r.cells for r in self.new_rows],
                        ids=[r.id for r in self.new_rows],
                    )

        if not self._run(write):
            self.setObsolete(True)
            return
        self.model.apply_cells([(r, c, new) for r, c, _, new in self.changes])
        if self.new_rows:
            self.model.apply_insert(self.new_rows[0].position, _copies(self.new_rows))

    def undo(self) -> None:
        def write() -> None:
            with self.store.transaction("undo the table edit"):
                if self.new_rows:
                    self.store.delete_rows(
                        self.audit_id, self.table_id, [r.id for r in self.new_rows]
                    )
                self.store.set_cells(self.audit_id, [(r, c, old) for r, c, old, _ in self.changes])

        if self._run(write):
            if self.new_rows:
                self.model.apply_remove([r.id for r in self.new_rows])
            self.model.apply_cells([(r, c, old) for r, c, old, _ in self.changes])


class InsertRowsCommand(_TableCommand):
    """Add new or duplicated rows at a position."""

    def __init__(
        self, model: RowTableModel, position: int, cells: Sequence[dict[str, Any]], text: str
    ) -> None:
        super().__init__(model, text)
        self.rows = [Row(_uuid(), position + i, dict(c)) for i, c in enumerate(cells)]
        self.position = position

    def redo(self) -> None:
        ok = self._run(
            lambda: self.store.insert_rows(
                self.audit_id,
                self.table_id,
                self.position,
                [r.cells for r in self.rows],
                ids=[r.id for r in self.rows],
            )
        )
        if not ok:
            self.setObsolete(True)
            return
        self.model.apply_insert(self.position, _copies(self.rows))

    def undo(self) -> None:
        if self._run(
            lambda: self.store.delete_rows(self.audit_id, self.table_id, [r.id for r in self.rows])
        ):
            self.model.apply_remove([r.id for r in self.rows])


class DeleteRowsCommand(_TableCommand):
    """Delete rows; undo puts each back where it was, with the same id."""

    def __init__(self, model: RowTableModel, rows: Sequence[Row]) -> None:
        n = len(rows)
        noun = model.question.row_label
        super().__init__(model, f"delete {n} {noun}{'s' if n != 1 else ''}")
        self.rows = sorted(_copies(rows), key=lambda r: r.position)

    def redo(self) -> None:
        if not self._run(
            lambda: self.store.delete_rows(self.audit_id, self.table_id, [r.id for r in self.rows])
        ):
            self.setObsolete(True)
            return
        self.model.apply_remove([r.id for r in self.rows])

    def undo(self) -> None:
        def write() -> None:
            with self.store.transaction("restore the rows"):
                for r in self.rows:
                    self.store.insert_rows(
                        self.audit_id, self.table_id, r.position, [r.cells], [r.id]
                    )

        if self._run(write):
            for r in self.rows:
                self.model.apply_insert(r.position, _copies([r]))


class MoveRowCommand(_TableCommand):
    """Move one row up or down."""

    def __init__(self, model: RowTableModel, row_id: str, old: int, new: int) -> None:
        super().__init__(model, "move row")
        self.row_id, self.old, self.new = row_id, old, new

    def _move(self, target: int, source: int) -> bool:
        if not self._run(
            lambda: self.store.move_row(self.audit_id, self.table_id, self.row_id, target)
        ):
            return False
        self.model.apply_move(source, target)
        return True

    def redo(self) -> None:
        if not self._move(self.new, self.old):
            self.setObsolete(True)

    def undo(self) -> None:
        self._move(self.old, self.new)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _copies(rows: Sequence[Row]) -> list[Row]:
    return [Row(r.id, r.position, dict(r.cells)) for r in rows]
