"""Paste into a table question that cannot destroy: new rows by header, asked overwrites."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication

from models.paste_rows import plan_new_rows
from models.records import Row
from models.table_paste import PastePlan, plan_paste, split_clipboard
from models.values import is_empty
from ui.commands import EditTableCommand
from ui.row_table_model import edit_text

if TYPE_CHECKING:
    from ui.audit_session import AuditSession
    from ui.row_table_model import RowTableModel
    from ui.sheet_view import SheetView


class PasteActions:
    """Ctrl+V and Ctrl+Shift+V for TableEditor (a mixin: it supplies the names below)."""

    model: RowTableModel
    session: AuditSession
    view: SheetView
    confirm: Callable[[str, str], bool]

    if TYPE_CHECKING:

        def show_problem(self, text: str) -> None: ...
        def show_info(self, text: str) -> None: ...
        def _push(self, command: Any) -> bool: ...

    def paste(self) -> None:
        """Ctrl+V: whole rows become new rows; a block fills only a selection of its shape."""
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_new_rows(self) -> None:
        """Ctrl+Shift+V: add the copied rows at the end (by header, else first column first)."""
        self.paste_text(QGuiApplication.clipboard().text(), as_new_rows=True)

    def paste_text(self, text: str, *, as_new_rows: bool = False) -> None:
        """Paste tab-separated text without ever silently overwriting a filled cell.

        Rows copied whole (a header row, or one cell per column) become new rows matched by
        header. Anything else is a block: it goes over existing cells only when the
        selection has its shape, and replacing filled cells is asked about first.
        """
        if self.session.read_only:
            self.show_problem("This audit cannot be changed now: it is read-only.")
            return
        whole = plan_new_rows(self.model.columns, self.model.row_total + 1, text)
        if whole is not None:
            self._apply_paste(whole[0], ignored=whole[1])
            return
        current = self.view.currentIndex()
        if as_new_rows or not current.isValid():
            plan = plan_paste(self.model.columns, self.model.rows, len(self.model.rows), 0, text)
            self._apply_paste(plan)
            return
        target = self._block_target(text)
        if target is None:
            return
        plan = plan_paste(self.model.columns, self.model.rows, target[0], target[1], text)
        filled = [c for c in plan.changes if not is_empty(c[2])]
        if filled:
            n = len(filled)
            row_id, column_id, old, new = filled[0]
            column = next(c for c in self.model.columns if c.id == column_id)
            example = (
                f"Row {self.model.row_index(row_id) + 1}, {column.label}: "
                f"{edit_text(column, old)!r} → {edit_text(column, new)!r}"
            )
            question = (
                f"This paste replaces {n} filled cell{'s' if n != 1 else ''}, "
                f"for example {example}.\n\nReplace {'them' if n != 1 else 'it'}? "
                "(Undo, Ctrl+Z, puts them back.)"
            )
            if not self.confirm("Replace filled cells?", question):
                self.show_info("Nothing pasted: the filled cells were kept.")
                return
        self._apply_paste(plan)

    def _block_target(self, text: str) -> tuple[int, int] | None:
        """Top-left of the selection when it has the clipboard's shape; else say why not."""
        grid = split_clipboard(text)
        if not grid:
            self.show_info("Nothing to paste.")
            return None
        indexes = self.view.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        rectangle = bool(indexes) and (
            len(indexes) == len(rows) * len(columns)
            and rows == list(range(rows[0], rows[0] + len(rows)))
            and columns == list(range(columns[0], columns[0] + len(columns)))
        )
        if not rectangle:  # scattered cells (or none): the current cell is the selection
            current = self.view.currentIndex()
            rows, columns = [current.row()], [current.column()]
        top, left = rows[0], columns[0]
        probe = plan_paste(self.model.columns, [], 0, left, text)
        height = len(grid) - (1 if probe.skipped_header else 0)
        width = max(len(r) for r in grid)
        if (len(rows), len(columns)) == (height, width):
            return top, left
        self.show_problem(
            f"Nothing pasted: the clipboard holds {height} row{'s' if height != 1 else ''} × "
            f"{width} column{'s' if width != 1 else ''}. Select a block of that shape to paste "
            "over it, or use Paste as new rows (Ctrl+Shift+V) to add rows."
        )
        return None

    def _apply_paste(self, plan: PastePlan, ignored: Sequence[str] = ()) -> None:
        if not plan.empty:
            base = len(self.model.rows)
            new_rows = [Row(str(uuid.uuid4()), base + i, c) for i, c in enumerate(plan.new_rows)]
            if not self._push(EditTableCommand(self.model, plan.changes, new_rows, text="paste")):
                return  # refused: the reason is already shown, and nothing was pasted
        summary = []
        if plan.new_rows:
            summary.append(f"added {len(plan.new_rows)} row(s)")
        if plan.changes:
            summary.append(f"changed {len(plan.changes)} cell(s)")
        if plan.skipped_header:
            summary.append("skipped the header row")
        if ignored:
            summary.append("left out columns this table does not have: " + ", ".join(ignored))
        message = "Pasted: " + ", ".join(summary) + "." if summary else "Nothing to paste."
        if plan.problems:
            self.show_problem(
                message
                + " Not pasted (fix and paste again):\n"
                + "\n".join(plan.problems[:12])
                + ("\n…" if len(plan.problems) > 12 else "")
            )
        else:
            self.show_info(message)
