"""Undoable edits: every change an auditor makes is a QUndoCommand that commits to the store."""

from __future__ import annotations

import time
import uuid
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


class _StoreCommand(QUndoCommand):
    """A step whose redo and undo are writes the store may refuse (file locked, disk full).

    QUndoStack moves its index whatever redo() or undo() did, so each step remembers
    whether it is applied: after a refused undo the change is still in place, and the
    matching redo has nothing to do (and the other way round). The screen, the file and
    the stack never part company.
    """

    def __init__(self, session: AuditSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.applied = False
        self._pushed = False

    def forward(self) -> bool:
        """Write the change and show it; False if the store refused it."""
        raise NotImplementedError

    def backward(self) -> bool:
        """Write the reverse and show it; False if the store refused it."""
        raise NotImplementedError

    def shows(self) -> str:
        """The question this step changes, shown when undo or redo replays it ('' none)."""
        return ""

    def redo(self) -> None:
        if not self.applied:
            self.applied = self.forward()
            if not self.applied and not self._pushed:
                self.setObsolete(True)  # refused on first push: not a step at all
            elif self.applied and self._pushed:  # a redo, not the edit itself
                self.session.replayed(self.shows(), f"Redone: {self.text()}")
        self._pushed = True

    def undo(self) -> None:
        if self.applied:
            self.applied = not self.backward()
            if not self.applied:
                self.session.replayed(self.shows(), f"Undone: {self.text()}")

    def run(self, action: Any) -> bool:
        try:
            action()
        except WorkspaceError as exc:
            self.session.report_failure(exc)
            return False
        return True


class _QuestionEdit(_StoreCommand):
    """Change one value of one question; a burst of typing in it merges into one step."""

    merge_id = -1

    def __init__(
        self, session: AuditSession, question_id: str, old: Any, new: Any, text: str, merge: bool
    ) -> None:
        super().__init__(session, text)
        self.question_id = question_id
        self.old, self.new = old, new
        self.merge = merge
        self.stamp = time.monotonic()

    def apply(self, value: Any) -> bool:
        raise NotImplementedError

    def shows(self) -> str:
        return self.question_id

    def forward(self) -> bool:
        return self.apply(self.new)

    def backward(self) -> bool:
        return self.apply(self.old)

    def id(self) -> int:
        return self.merge_id if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _QuestionEdit) or type(other) is not type(self):
            return False
        if other.question_id != self.question_id or other.stamp - self.stamp > _MERGE_WINDOW_S:
            return False
        if other.applied:  # a keystroke the store refused changed nothing: absorb it
            self.new, self.stamp = other.new, other.stamp
        return True


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


class _TableCommand(_StoreCommand):
    """Base for table edits: the store write first, then the same change in the item model."""

    def __init__(self, model: RowTableModel, text: str) -> None:
        super().__init__(model.session, text)
        model.ensure_loaded()  # positions and ids below refer to the whole table
        self.model = model
        self.store = model.session.store
        self.audit_id = model.session.audit.id
        self.table_id = model.question.id

    def shows(self) -> str:
        return self.table_id


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

    def forward(self) -> bool:
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

        if not self.run(write):
            return False
        self.model.apply_cells([(r, c, new) for r, c, _, new in self.changes])
        if self.new_rows:
            self.model.apply_insert(self.new_rows[0].position, _copies(self.new_rows))
        return True

    def backward(self) -> bool:
        def write() -> None:
            with self.store.transaction("undo the table edit"):
                if self.new_rows:
                    self.store.delete_rows(
                        self.audit_id, self.table_id, [r.id for r in self.new_rows]
                    )
                self.store.set_cells(self.audit_id, [(r, c, old) for r, c, old, _ in self.changes])

        if not self.run(write):
            return False
        if self.new_rows:
            self.model.apply_remove([r.id for r in self.new_rows])
        self.model.apply_cells([(r, c, old) for r, c, old, _ in self.changes])
        return True


class InsertRowsCommand(_TableCommand):
    """Add new or duplicated rows at a position."""

    def __init__(
        self, model: RowTableModel, position: int, cells: Sequence[dict[str, Any]], text: str
    ) -> None:
        super().__init__(model, text)
        self.rows = [Row(str(uuid.uuid4()), position + i, dict(c)) for i, c in enumerate(cells)]
        self.position = position

    def forward(self) -> bool:
        ids = [r.id for r in self.rows]
        cells = [r.cells for r in self.rows]
        if not self.run(
            lambda: self.store.insert_rows(self.audit_id, self.table_id, self.position, cells, ids)
        ):
            return False
        self.model.apply_insert(self.position, _copies(self.rows))
        return True

    def backward(self) -> bool:
        ids = [r.id for r in self.rows]
        if not self.run(lambda: self.store.delete_rows(self.audit_id, self.table_id, ids)):
            return False
        self.model.apply_remove(ids)
        return True


class DeleteRowsCommand(_TableCommand):
    """Delete rows; undo puts each back where it was, with the same id."""

    def __init__(self, model: RowTableModel, rows: Sequence[Row]) -> None:
        n = len(rows)
        noun = model.question.row_label
        super().__init__(model, f"delete {n} {noun}{'s' if n != 1 else ''}")
        self.rows = sorted(_copies(rows), key=lambda r: r.position)

    def forward(self) -> bool:
        ids = [r.id for r in self.rows]
        if not self.run(lambda: self.store.delete_rows(self.audit_id, self.table_id, ids)):
            return False
        self.model.apply_remove(ids)
        return True

    def backward(self) -> bool:
        def write() -> None:
            with self.store.transaction("restore the rows"):
                for r in self.rows:
                    self.store.insert_rows(
                        self.audit_id, self.table_id, r.position, [r.cells], [r.id]
                    )

        if not self.run(write):
            return False
        for r in self.rows:
            self.model.apply_insert(r.position, _copies([r]))
        return True


class MoveRowCommand(_TableCommand):
    """Move one row up or down."""

    def __init__(self, model: RowTableModel, row_id: str, old: int, new: int) -> None:
        super().__init__(model, "move row")
        self.row_id, self.old, self.new = row_id, old, new

    def _move(self, source: int, target: int) -> bool:
        if not self.run(
            lambda: self.store.move_row(self.audit_id, self.table_id, self.row_id, target)
        ):
            return False
        self.model.apply_move(source, target)
        return True

    def forward(self) -> bool:
        return self._move(self.old, self.new)

    def backward(self) -> bool:
        return self._move(self.new, self.old)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copies(rows: Sequence[Row]) -> list[Row]:
    return [Row(r.id, r.position, dict(r.cells)) for r in rows]
