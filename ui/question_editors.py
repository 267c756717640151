"""Input widgets per question type; each writes through the audit session as the auditor types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.questionnaire import Question
from models.validation import InvalidAnswer, format_value, parse_text
from models.values import is_empty
from ui.audit_session import AuditSession
from ui.keyboard import TabClosesPopup

ErrorSink = Callable[[str | None], None]
_PLACEHOLDERS = {
    "integer": "whole number",
    "decimal": "number",
    "currency": "amount, e.g. 1,250,000",
    "percentage": "e.g. 45",
    "date": "dd/mm/yyyy",
}


class WrappingLabel(QLabel):
    """An option's text that wraps, and selects its radio button when clicked."""

    def __init__(self, text: str, button: QRadioButton, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(button)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.button.click()
        super().mousePressEvent(event)


class AnswerEditor(QWidget):
    """Base: shows a stored value, and stores what the auditor enters.

    Text fields hand Ctrl+Z / Ctrl+Shift+Z to the audit's undo stack: their own
    undo would store its result as more typing and break the app's history.
    """

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__()
        self.question = question
        self.session = session
        self.on_error = on_error
        self._loading = False
        self._stored_text: QLabel | None = None  # the answer as text when read-only
        self._read_only = False

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def describe(self, help_text: str) -> None:
        """Give every control of this answer the question's help as its description."""
        for widget in [self, *self.findChildren(QWidget)]:
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus or widget is self.focus_target():
                widget.setAccessibleDescription(help_text or self.question.label)

    def set_read_only(self, read_only: bool) -> None:
        """A locked audit: the answer as plain, selectable text in place of the controls.

        Greyed-out disabled controls were hard to read, and their Clear buttons looked live.
        """
        if self._stored_text is None:
            self._stored_text = QLabel(self)
            self._stored_text.setObjectName("storedAnswer")
            self._stored_text.setWordWrap(True)
            self._stored_text.setTextFormat(Qt.TextFormat.PlainText)
            self._stored_text.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            self._stored_text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self._stored_text.setAccessibleName(f"{self.question.label}: answer")
            layout = self.layout()
            if isinstance(layout, QHBoxLayout | QVBoxLayout):
                layout.insertWidget(0, self._stored_text, 1)  # before any stretch
        self._read_only = read_only
        for child in self.findChildren(QWidget):
            if child is not self._stored_text and child.parent() is self:
                child.setVisible(not read_only)
        self._stored_text.setVisible(read_only)
        self._show_stored_text()

    def _show_stored_text(self) -> None:
        if self._stored_text is not None and self._read_only:
            value = self.session.answers.get(self.question.id)
            text = "Not answered" if is_empty(value) else format_value(self.question, value)
            self._stored_text.setText(text)

    def route_undo_keys(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            for key, action in (
                (QKeySequence.StandardKey.Undo, self.session.undo_stack.undo),
                (QKeySequence.StandardKey.Redo, self.session.undo_stack.redo),
            ):
                if event.matches(key):
                    event.accept()
                    if kind == QEvent.Type.KeyPress:
                        action()
                    return True
        return super().eventFilter(watched, event)

    def commit(self, value: Any, *, typing: bool = False) -> None:
        if not self._loading:
            self.on_error(None)
            self.session.set_answer(self.question.id, value, typing=typing)


class TypedEditor(AnswerEditor):
    """Base of the fields typed into: the store holds only what the field shows.

    Valid typing is saved as it is typed. Text that does not parse is not saved: the
    store goes back to the answer it held when this burst of typing began (so typing
    "2.5" in a whole-number field leaves nothing of it, not 2), the field keeps the text
    outlined as invalid, and the session lists it as unsaved until it is fixed, or
    Escape (or undo) puts the stored answer back. A burst ends when the field is left
    with valid text in it.
    """

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        self.invalid: str | None = None  # why the text in the field is not saved
        self._editing = False  # a burst of typing is under way
        self._baseline: Any = None  # the stored answer when it began
        self._restoring = False

    def text_widget(self) -> QWidget:
        raise NotImplementedError

    def current_text(self) -> str:
        raise NotImplementedError

    def show_stored(self, value: Any) -> None:
        """Put a stored answer in the field (nothing is committed)."""
        raise NotImplementedError

    def typed(self) -> None:
        """The auditor changed the text: store it if it is valid, else keep it unsaved."""
        if self._loading:
            return
        if not self._editing:
            self._editing = True
            self._baseline = self.session.answers.get(self.question.id)
        try:
            value = parse_text(self.question, self.current_text())
        except InvalidAnswer as exc:
            # Nothing of this text is stored: undo what earlier keystrokes of it saved.
            self._restoring = True
            try:
                self.commit(self._baseline, typing=True)
            finally:
                self._restoring = False
            self._mark_invalid(str(exc))
            return
        self._mark_invalid(None)
        self.commit(value, typing=True)

    def burst_over(self) -> bool:
        """The field is left: True when its text is valid (and saved), so the burst ends."""
        if self.invalid is not None:
            return False  # keep the text and its mark until it is fixed or reverted
        self._editing = False
        return True

    def _mark_invalid(self, reason: str | None) -> None:
        self.invalid = reason
        self.on_error(reason)
        widget = self.text_widget()
        widget.setProperty("invalid", reason is not None)
        kind = type(widget).__name__
        widget.setStyleSheet(f"{kind} {{ border: 2px solid #d4351c; }}" if reason else "")
        self.session.set_unsaved(self.question.id, reason)

    def revert(self) -> None:
        """Escape: drop the unsaved text and show the stored answer again."""
        self._editing = False
        self._mark_invalid(None)
        self._loading = True
        self.show_stored(self.session.answers.get(self.question.id))
        self._loading = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            self.invalid is not None
            and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.revert()
            return True
        if kind == QEvent.Type.FocusOut and watched is self.text_widget():
            self.burst_over()
        return super().eventFilter(watched, event)

    def set_value(self, value: Any) -> None:
        if self._restoring:
            return  # the store going back under invalid text: the text stays
        try:
            current = parse_text(self.question, self.current_text())
        except InvalidAnswer:
            current = object()
        if self.invalid is not None:  # undo, redo or another audit: the stored answer wins
            self._editing = False
            self._mark_invalid(None)
        if current == value and type(current) is type(value):
            return  # the field already says this: leave the auditor's typing alone
        self._loading = True
        self.show_stored(value)
        self._loading = False


class LineEditor(TypedEditor):
    """Short text, numbers, money, percentages and dates: validated on every keystroke."""

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answerLine")
        self.edit.setAccessibleName(question.label)
        self.edit.setPlaceholderText(_PLACEHOLDERS.get(question.type, ""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if question.type == "currency":
            layout.addWidget(QLabel("£"))
        layout.addWidget(self.edit, 1 if question.type in ("text",) else 0)
        if question.type == "percentage":
            layout.addWidget(QLabel("%"))
        if question.type != "text":
            self.edit.setMaximumWidth(220)
            layout.addStretch(1)
        self.route_undo_keys(self.edit)
        self.edit.textEdited.connect(lambda _text: self.typed())
        self.edit.editingFinished.connect(self._finished)

    def focus_target(self) -> QWidget:
        return self.edit

    def text_widget(self) -> QWidget:
        return self.edit

    def current_text(self) -> str:
        return self.edit.text()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)  # still selectable, copyable and focusable
        self.edit.setFrame(not read_only)  # read as text, not as a box to type in
        palette = QPalette()
        if read_only:
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        self.edit.setPalette(palette)

    def _finished(self) -> None:
        if not self.burst_over():
            return
        try:
            value = parse_text(self.question, self.edit.text())
        except InvalidAnswer:
            return
        if not is_empty(value) and self.question.type not in ("text",):
            self._show(value)  # tidy "1250000" into "1,250,000.00" once the auditor moves on

    def show_stored(self, value: Any) -> None:
        if is_empty(value):
            self.edit.clear()
        else:
            self._show(value)

    def _show(self, value: Any) -> None:
        text = format_value(self.question, value)
        if self.question.type == "currency":
            text = text.removeprefix("£")
        elif self.question.type == "percentage":
            text = text.removesuffix("%")
        self.edit.setText(text)


class LongTextEditor(TypedEditor):
    """Several lines of text, stored on every keystroke (not beyond its length limit)."""

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("answerText")
        self.edit.setAccessibleName(question.label)
        self.edit.setTabChangesFocus(True)
        self.edit.setUndoRedoEnabled(False)
        self.route_undo_keys(self.edit)
        self.edit.setFixedHeight(96)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self.typed)

    def focus_target(self) -> QWidget:
        return self.edit

    def text_widget(self) -> QWidget:
        return self.edit

    def current_text(self) -> str:
        return self.edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setFrameShape(QFrame.Shape.NoFrame if read_only else QFrame.Shape.StyledPanel)

    def show_stored(self, value: Any) -> None:
        self.edit.setPlainText(value or "")


class ButtonsEditor(AnswerEditor):
    """Yes/no, a short single choice, or a maturity scale: radio buttons, arrow keys move."""

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        if question.type == "yesno":
            choices: list[tuple[Any, str]] = [(True, "Yes"), (False, "No")]
        elif question.type == "maturity":
            choices = [(i + 1, f"{i + 1} — {text}") for i, text in enumerate(question.levels)]
        else:
            choices = [(o.value, o.label) for o in question.options]
        self.values = [v for v, _ in choices]
        self.group = QButtonGroup(self)
        horizontal = question.type == "yesno"
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for i, (_, label) in enumerate(choices):
            if horizontal:
                button = QRadioButton(label, self)
                layout.addWidget(button)
            else:
                # Radio buttons never wrap their text; long descriptors go in a wrapping label.
                button = QRadioButton(self)
                text = WrappingLabel(label, button, self)
                line = QHBoxLayout()
                line.setSpacing(6)
                line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                line.addWidget(text, 1)
                layout.addLayout(line)
            button.setAccessibleName(f"{question.label}: {label}")
            self.group.addButton(button, i)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setObjectName("clearAnswer")
        self.clear_button.setAccessibleName(f"Clear answer: {question.label}")
        self.clear_button.setFlat(True)
        self.clear_button.setToolTip("Remove this answer")
        self.clear_button.clicked.connect(lambda: self.commit(None))
        if horizontal:
            layout.addWidget(self.clear_button)
            layout.addStretch(1)
        else:
            row = QHBoxLayout()
            row.addWidget(self.clear_button)
            row.addStretch(1)
            layout.addLayout(row)
        self.group.idClicked.connect(lambda i: self.commit(self.values[i]))

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or self.group.buttons()[0]

    def set_value(self, value: Any) -> None:
        self._set_controls(value)
        self._show_stored_text()

    def _set_controls(self, value: Any) -> None:
        self._loading = True
        self.group.setExclusive(False)
        for i, button in enumerate(self.group.buttons()):
            stored = self.values[i]
            button.setChecked(
                not is_empty(value) and stored == value and type(stored) is type(value)
            )
        self.group.setExclusive(True)
        self.clear_button.setEnabled(not is_empty(value))
        self._loading = False


class ComboEditor(AnswerEditor):
    """A single choice with many options (or a reference list): a drop-down with type-ahead."""

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(question.label)
        self.combo.addItem("— not answered —", None)
        for option in question.options:
            self.combo.addItem(option.label, option.value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.combo.currentIndexChanged.connect(lambda _i: self.commit(self.combo.currentData()))
        TabClosesPopup(self.combo)

    def focus_target(self) -> QWidget:
        return self.combo

    def set_value(self, value: Any) -> None:
        self._set_controls(value)
        self._show_stored_text()

    def _set_controls(self, value: Any) -> None:
        self._loading = True
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)) if value else 0)
        self._loading = False


class MultiChoiceEditor(AnswerEditor):
    """Several choices: check boxes."""

    def __init__(self, question: Question, session: AuditSession, on_error: ErrorSink) -> None:
        super().__init__(question, session, on_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for option in question.options:
            box = QCheckBox(option.label, self)
            box.setAccessibleName(f"{question.label}: {option.label}")
            box.toggled.connect(lambda checked, v=option.value: self._toggled(v, checked))
            layout.addWidget(box)
            self.boxes.append((option.value, box))

    def focus_target(self) -> QWidget:
        return self.boxes[0][1]

    def _toggled(self, value: str, checked: bool) -> None:
        """Ticking "None of these" (an exclusive option) unticks the rest, and the reverse."""
        if checked and not self._loading:
            alone = self.question.exclusive_values
            loading, self._loading = self._loading, True
            for other, box in self.boxes:
                if other != value and (value in alone or other in alone):
                    box.setChecked(False)
            self._loading = loading
        self.commit([v for v, box in self.boxes if box.isChecked()] or None)

    def set_value(self, value: Any) -> None:
        self._set_controls(value)
        self._show_stored_text()

    def _set_controls(self, value: Any) -> None:
        self._loading = True
        chosen = set(value or [])
        for option_value, box in self.boxes:
            box.setChecked(option_value in chosen)
        self._loading = False


def make_editor(question: Question, session: AuditSession, on_error: ErrorSink) -> AnswerEditor:
    """The right input widget for a (non-table) question."""
    if question.type in ("yesno", "maturity"):
        return ButtonsEditor(question, session, on_error)
    if question.type == "single_choice":
        if len(question.options) <= 6 and not question.reference:
            return ButtonsEditor(question, session, on_error)
        return ComboEditor(question, session, on_error)
    if question.type == "multi_choice":
        return MultiChoiceEditor(question, session, on_error)
    if question.type == "long_text":
        return LongTextEditor(question, session, on_error)
    return LineEditor(question, session, on_error)
