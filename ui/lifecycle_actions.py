"""The Audit menu's lifecycle moves (submit, review, sign off, return, reopen) and history entries.

Rules live in models/lifecycle.py; this asks what they need (a reason, a confirmation),
shows what stops a submission and jumps to it, then refreshes every view of the audit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.change_events import WorkspaceChange
from models.content_hash import short
from models.records import Audit
from models.store import WorkspaceError
from ui.move_confirm import confirm_move

if TYPE_CHECKING:
    from models.completion import BlankCell
    from models.data_quality import DataQualityNote
    from models.lifecycle import Move
    from models.questionnaire import Question, Questionnaire
    from ui.app.context import AppContext
    from ui.audit_view import AuditView

# The window builds its menus at start-up: the lifecycle rules (and the questionnaire and
# scoring code they use) are imported when an audit is first open, not before.

# Menu order, with "…" where a dialog follows.
MENU_LABELS = {
    "submit": "&Submit for review…",
    "review": "Mark as re&viewed",
    "sign_off": "Sign &off…",
    "return": "Re&turn to draft…",
    "reopen": "&Reopen…",
}


def audit_name(audit: Audit) -> str:
    return f"{audit.department_name} — {audit.cycle}"


def confirm_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (named for the move it makes) and Cancel, wired to accept and reject the dialog."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class MissingAnswersDialog(QDialog):
    """What stops a submission: each unanswered required question, and a jump to it."""

    def __init__(
        self,
        audit: Audit,
        form: Questionnaire,
        missing: list[Question],
        parent: QWidget | None,
        blanks: Sequence[BlankCell] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cannot submit yet")
        self.chosen = missing[0].id if missing else blanks[0].table_id
        n = len(missing)
        cells = f" and {len(blanks)} required cell(s) are blank" if blanks else ""
        intro = QLabel(
            f"{audit_name(audit)} cannot be submitted for review: {n} required "
            f"question{'s are' if n != 1 else ' is'} not answered{cells}. "
            "Double-click one to go to it.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("missingAnswers")
        self.list.setAccessibleName("Required questions not answered")
        self.list.setWordWrap(True)  # whole question texts, not cut ones
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        for question in missing:
            section = form.section(question.section_id).title
            item = QListWidgetItem(f"{section} — {question.label}")
            item.setData(Qt.ItemDataRole.UserRole, question.id)
            item.setToolTip(question.label)
            self.list.addItem(item)
        for blank in blanks:
            item = QListWidgetItem(f"{blank.text} is blank")
            item.setData(Qt.ItemDataRole.UserRole, blank.table_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self._go_to)
        self.list.itemDoubleClicked.connect(self._go_to)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.go_button = QPushButton("&Go to first", self)
        self.buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.go_button.clicked.connect(lambda: self._choose(0))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 360)

    def _choose(self, row: int) -> None:
        self.chosen = str(self.list.item(row).data(Qt.ItemDataRole.UserRole))

    def _go_to(self, item: QListWidgetItem) -> None:
        self._choose(self.list.row(item))
        self.accept()


class ReasonDialog(QDialog):
    """Returning to draft or reopening needs a reason, which the history keeps."""

    def __init__(self, audit: Audit, move: Move, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{move.label}: {audit_name(audit)}")
        what = (
            "Reopening a signed-off audit makes it editable again; its sign-off stands in the "
            "history, and it needs signing off again."
            if move.key == "reopen"
            else "The audit goes back to draft so its answers can be corrected."
        )
        intro = QLabel(f"{what} Why? The reason is kept in the audit's history.", self)
        intro.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText("Reason (required)")
        self.reason_edit.setFixedHeight(90)
        self.buttons = confirm_buttons(self, move.label)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.reason_edit.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason_edit)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._changed()
        self.resize(520, 220)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _changed(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()))

    def accept(self) -> None:
        if self.reason():  # no reason, no move
            super().accept()


class DataQualityDialog(QDialog):
    """Submitting with open data-quality notes: listed as warnings; submitting is allowed."""

    def __init__(self, audit: Audit, notes: list[DataQualityNote], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Submit {audit_name(audit)}")
        n = len(notes)
        intro = QLabel(
            f"{n} data-quality warning{'s' if n != 1 else ''} "
            f"{'are' if n != 1 else 'is'} open. The reviewer will see "
            f"{'them' if n != 1 else 'it'}, and the board report lists open warnings in an "
            "appendix. Submit anyway, or cancel to correct the answers first.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("dataQualityNotes")
        self.list.setWordWrap(True)
        for note in notes:
            self.list.addItem(QListWidgetItem(f"⚠ {note.text}"))
        self.buttons = confirm_buttons(self, "Submit anyway")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 360)


class SignOffDialog(QDialog):
    """Signing off locks the audit and records its content hash: confirm which audit."""

    def __init__(self, audit: Audit, parent: QWidget | None, *, open_notes: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign off")
        warning = (
            f"<br><br>⚠ {open_notes} data-quality warning{'s are' if open_notes != 1 else ' is'}"
            " still open; the board report lists them in an appendix."
            if open_notes
            else ""
        )
        text = QLabel(
            f"<b>Sign off {html.escape(audit_name(audit))}?</b><br><br>A signed-off audit is "
            "read-only: nobody can change its answers, comments or tables until it is "
            "reopened, with a reason. A hash of everything it holds is recorded now and "
            "printed on its board report, so any later change to it can be detected." + warning,
            self,
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        self.text = text
        self.buttons = confirm_buttons(self, "Sign off")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.buttons)
        self.resize(480, 160)


class LifecycleActions(QObject):
    """The Audit menu entries for the open audit's moves and histories, kept up to date."""

    def __init__(self, app: AppContext, menu: QMenu) -> None:
        super().__init__(app.widget)
        self.app = app
        self.moves: dict[str, QAction] = {}
        for key, label in MENU_LABELS.items():
            action = QAction(label, app.widget)
            action.setObjectName(f"move_{key}")
            action.triggered.connect(lambda _checked=False, k=key: self.run_move(k))
            menu.addAction(action)
            self.moves[key] = action
        menu.addSeparator()
        self.history_action = QAction("&History of this answer…", app.widget)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(self.record_history)
        self.audit_history_action = QAction("A&udit history…", app.widget)
        self.audit_history_action.triggered.connect(self.audit_history)
        menu.addAction(self.history_action)
        menu.addAction(self.audit_history_action)
        menu.aboutToShow.connect(self.update)
        app.events.auditOpened.connect(self._view_shown)
        app.events.auditClosed.connect(self.update)
        app.events.changed.connect(self._workspace_change)
        self._connected: set[int] = set()
        self.update()

    # ---------------------------------------------------------------- state
    def update(self) -> None:
        """Enable the moves the open audit's status allows (none in a read-only workspace)."""
        session = self.app.session
        allowed: set[str] = set()
        if session is not None and not self.app.store.read_only:
            from models.lifecycle import moves

            allowed = {m.key for m in moves(session.audit)}
        for key, action in self.moves.items():
            action.setEnabled(key in allowed)
        self.history_action.setEnabled(session is not None)
        self.audit_history_action.setEnabled(session is not None)

    def _workspace_change(self, change: WorkspaceChange) -> None:
        """The open audit moved elsewhere (a merge brought its sign-off): the form's banner
        and these entries follow its status as stored."""
        session = self.app.session
        if session is None or session.audit.id not in change.audit_ids:
            return
        try:
            stored = self.app.store.audit(session.audit.id)
        except KeyError:
            return
        if stored.status != session.audit.status:
            session.set_audit(stored)
            self.update()

    def _view_shown(self, _audit_id: str) -> None:
        view = self.app.audit_view
        if view is not None and id(view) not in self._connected:
            self._connected.add(id(view))
            view.moveRequested.connect(self.run_move)
        self.update()

    # ---------------------------------------------------------------- moves
    def run_move(self, key: str) -> Audit | None:
        """Make a move on the open audit, asking for what it needs; the audit after, or None."""
        from models.lifecycle import (
            MOVES,
            LifecycleError,
            MissingAnswersError,
            apply,
            blank_cells_for_submission,
            missing_for_submission,
        )

        app, session = self.app, self.app.session
        if session is None:
            return None
        app.flush_edits()  # a field being typed in saves first, while still editable
        if not app.may_leave_audit():  # a field's text is not valid, so not saved: ask
            return None
        store = app.store
        audit = store.audit(session.audit.id)
        move = next(m for options in MOVES.values() for m in options if m.key == key)
        if key == "submit":
            missing = missing_for_submission(store, audit, session.questionnaire)
            blanks = blank_cells_for_submission(store, audit, session.questionnaire)
            if missing or blanks:
                self._show_missing(audit, missing, blanks)
                return None
            from models.data_quality import stored_audit_notes

            notes = stored_audit_notes(store, audit.id)
            if notes and not app.run_dialog(DataQualityDialog(audit, notes, app.widget)):
                return None
            if not notes and not confirm_move(key, audit, app.run_dialog, app.widget):
                return None  # the notes dialog above already asked
        if key == "review" and not confirm_move(key, audit, app.run_dialog, app.widget):
            return None
        reason = ""
        if move.needs_reason:
            dialog = ReasonDialog(audit, move, app.widget)
            if not app.run_dialog(dialog):
                return None
            reason = dialog.reason()
        if key == "sign_off":
            from models.data_quality import stored_audit_notes

            open_notes = len(stored_audit_notes(store, audit.id))
            if not app.run_dialog(SignOffDialog(audit, app.widget, open_notes=open_notes)):
                return None
        try:
            moved = apply(store, audit.id, key, questionnaire=session.questionnaire, reason=reason)
        except MissingAnswersError as exc:
            self._show_missing(audit, exc.missing, exc.blanks)
            return None
        except (LifecycleError, WorkspaceError) as exc:
            QMessageBox.warning(app.widget, f"Could not {move.label.lower()}", str(exc))
            return None
        self._moved(moved, move)
        return moved

    def _show_missing(
        self, audit: Audit, missing: list[Question], blanks: Sequence[BlankCell] = ()
    ) -> None:
        app, session = self.app, self.app.session
        assert session is not None
        dialog = MissingAnswersDialog(audit, session.questionnaire, missing, app.widget, blanks)
        if app.run_dialog(dialog):
            app.go_to_question(dialog.chosen)

    def _moved(self, audit: Audit, move: Move) -> None:
        app = self.app
        if app.session is not None and app.session.audit.id == audit.id:
            app.session.set_audit(audit)
        self.update()  # the navigator and open views follow through WorkspaceEvents
        done = {
            "submit": "Submitted for review",
            "review": "Marked as reviewed",
            "sign_off": f"Signed off · content hash {short(audit.content_hash)}",
            "return": "Returned to draft",
            "reopen": "Reopened: the audit can be edited again",
        }[move.key]
        app.status(f"{audit_name(audit)}: {done}.", 10000)

    # ---------------------------------------------------------------- history
    def focused_record(self) -> tuple[str, str | None] | None:
        """(question id, row id or None) of the question or table row that has focus."""
        from ui.form_view import QuestionBlock
        from ui.table_editor import TableEditor

        view: AuditView | None = self.app.audit_view
        widget: QWidget | None = QApplication.focusWidget()
        if view is None or widget is None or not view.isAncestorOf(widget):
            return None
        while widget is not None and widget is not view:
            if isinstance(widget, TableEditor):
                return widget.model.question.id, widget.current_row_id()
            if isinstance(widget, QuestionBlock):
                return widget.question.id, None
            widget = widget.parentWidget()
        return None

    def record_history(self) -> None:
        from ui.history_dialog import record_dialog

        app = self.app
        if app.session is None:
            return
        record = self.focused_record()
        if record is None:
            app.status(
                "Click in an answer or a table row first (or right-click a question's title).",
                8000,
            )
            return
        app.run_dialog(record_dialog(app.session, record[0], record[1], app.widget))

    def audit_history(self) -> None:
        from ui.history_dialog import audit_dialog

        app = self.app
        if app.session is not None:
            audit = app.store.audit(app.session.audit.id)
            app.run_dialog(audit_dialog(app.store, audit, app.widget))
