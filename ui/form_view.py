"""One section of the questionnaire as a form: questions, help, validation, comments, tables."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.data_quality import DataQualityNote
from models.questionnaire import Question, Section
from ui.audit_session import AuditSession
from ui.evidence_panel import EvidencePanel
from ui.question_editors import AnswerEditor, make_editor
from ui.signals import disconnect_quietly
from ui.style import as_comment, as_error, as_link, as_muted
from ui.table_editor import TableEditor

HIGHLIGHT_GROUND = QColor("#fff4d6")  # the missing-answer tint the tables use
HIGHLIGHT_MS = 4000


class QuestionBlock(QFrame):
    """A question's label, help text, input, validation message and auditor's comment."""

    def __init__(
        self, question: Question, session: AuditSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.session = session
        self._bound = False
        self.setObjectName(f"question_{question.id}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(4)

        # Plain text with a bold font: rich text is several times slower to lay out.
        self.title = QLabel(question.label, self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.title.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.title.customContextMenuRequested.connect(self._title_menu)
        title_row = QHBoxLayout()
        title_row.setSpacing(4)
        if question.required:
            star = QLabel("*", self)
            star.setObjectName("required")
            star.setToolTip("Required")
            star.setAccessibleName("Required")
            star.setFont(bold)
            as_error(star)
            title_row.addWidget(star, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.title, 1)
        layout.addLayout(title_row)
        if question.help:
            self.help = QLabel(question.help, self)
            self.help.setWordWrap(True)
            self.help.setTextFormat(Qt.TextFormat.PlainText)
            self.help.setObjectName("help")
            as_muted(self.help)
            layout.addWidget(self.help)

        self.editor: AnswerEditor | None = None
        self.table: TableEditor | None = None
        if question.is_table:
            self.table = TableEditor(session.table_model(question.id), self)
            layout.addWidget(self.table, 1)
        else:
            self.editor = make_editor(question, session, self.show_error)
            self.title.setBuddy(self.editor.focus_target())
            self.editor.describe(question.help)
            layout.addWidget(self.editor)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        as_error(self.error)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        # Open data-quality warnings on this question or table, rows named (AuditView feeds it).
        self.quality = QLabel(self)
        self.quality.setObjectName("dataQuality")
        self.quality.setWordWrap(True)
        self.quality.setTextFormat(Qt.TextFormat.PlainText)
        self.quality.setStyleSheet("#dataQuality { color: #8a5300; }")
        self.quality.hide()
        layout.addWidget(self.quality)

        self.comment = QLineEdit(self)
        self.comment.setObjectName("comment")
        self.comment.setPlaceholderText("Auditor's comment or evidence reference")
        self.comment.setAccessibleName(f"Comment on: {question.label}")
        self.comment.textEdited.connect(self._comment_edited)
        as_comment(self.comment)  # italic on a tinted ground: not mistaken for an answer
        self.comment.hide()
        self.comment_button = QPushButton("Add comment", self)
        self.comment_button.setObjectName("addComment")
        self.comment_button.setAccessibleName(f"Add comment on: {question.label}")
        self.comment_button.setFlat(True)
        as_link(self.comment_button)
        self.comment_button.clicked.connect(self.show_comment)
        layout.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.comment)
        rows = self.table.view if self.table is not None else None
        self.evidence = EvidencePanel(question.id, session, self, rows)  # ui/evidence_panel.py
        layout.addWidget(self.evidence)

        self.bind(session)

    def bind(self, session: AuditSession) -> None:
        """Show and edit this question of another audit (same questionnaire)."""
        self.unbind()
        self.session = session
        if self.evidence.session is not session:
            self.evidence.bind(session)
        if self.table is not None:
            self.table.bind(session.table_model(self.question.id))
        if self.editor is not None:
            self.editor.session = session
        session.answerChanged.connect(self._answer_changed)
        session.commentChanged.connect(self._comment_changed)
        session.readOnlyChanged.connect(self.set_read_only)
        self._bound = True
        self.show_error(None)
        if not session.comments.get(self.question.id):
            self.comment.hide()
            self.comment_button.show()
        self.set_read_only(session.read_only)
        self.refresh()

    def set_read_only(self, read_only: bool) -> None:
        """Signed off (or the workspace open read-only): shown as stored, not editable."""
        if self.editor is not None:
            self.editor.set_read_only(read_only)
        if self.table is not None:
            self.table.set_read_only(read_only)
        self.comment.setReadOnly(read_only)
        self.comment_button.setVisible(not read_only and self.comment.isHidden())

    def unbind(self) -> None:
        if self._bound:
            disconnect_quietly(self.session.answerChanged, self._answer_changed)
            disconnect_quietly(self.session.commentChanged, self._comment_changed)
            disconnect_quietly(self.session.readOnlyChanged, self.set_read_only)
            self._bound = False

    def _title_menu(self, pos: QPoint) -> None:
        from ui.history_dialog import show_history

        menu = QMenu(self)
        menu.addAction(
            "History of this answer…",
            lambda: show_history(self.session, self.question.id, parent=self.window()),
        )
        if not self.session.read_only:
            menu.addAction("Attach evidence…", self.evidence.attach_chosen)
        menu.exec(self.title.mapToGlobal(pos))

    def _comment_edited(self, text: str) -> None:
        self.session.set_comment(self.question.id, text)

    def refresh(self) -> None:
        if self.editor is not None:
            self.editor.set_value(self.session.answers.get(self.question.id))
        self._comment_changed(self.question.id)

    def highlight(self) -> None:
        """A tinted ground and a bar, so "Go to first" shows which question it means."""
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, HIGHLIGHT_GROUND)
        self.setPalette(palette)
        self.setFrameShape(QFrame.Shape.Box)
        QTimer.singleShot(HIGHLIGHT_MS, self.unhighlight)

    def unhighlight(self) -> None:
        self.setAutoFillBackground(False)
        self.setPalette(QPalette())
        self.setFrameShape(QFrame.Shape.NoFrame)

    @property
    def highlighted(self) -> bool:
        return self.autoFillBackground()

    def show_comment(self) -> None:
        self.comment_button.hide()
        self.comment.show()
        self.comment.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def show_quality(self, notes: list[DataQualityNote]) -> None:
        """The data-quality warnings about this question or table ('' hides the line)."""
        mine = [n for n in notes if n.concerns(self.question.id)]
        self.quality.setText("\n".join(f"⚠ Data quality: {n.local_text}" for n in mine))
        self.quality.setVisible(bool(mine))

    def focus_target(self) -> QWidget:
        if self.table is not None:
            return self.table.view
        assert self.editor is not None
        return self.editor.focus_target()

    def _answer_changed(self, question_id: str) -> None:
        if question_id == self.question.id and self.editor is not None:
            # A stored answer (typed, undone or redone) is valid: a message about earlier
            # text no longer applies. Typing that does not parse stores nothing, so it
            # keeps its message.
            self.show_error(None)
            self.editor.set_value(self.session.answers.get(question_id))

    def _comment_changed(self, question_id: str) -> None:
        if question_id == self.question.id:
            text = self.session.comments.get(question_id, "")
            if self.comment.text() != text:
                self.comment.setText(text)
            if text and self.comment.isHidden():
                self.comment_button.hide()
                self.comment.show()


class SectionPage(QScrollArea):
    """A scrollable page with every question of one section; hidden questions follow visible_if."""

    def __init__(
        self, section: Section, session: AuditSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.section = section
        self.session = session
        self._bound = False
        self.setObjectName(f"section_{section.id}")
        self.setAccessibleName(f"Section: {section.title}")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a scroll bar appearing when follow-ups show would reflow every line.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("sectionBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 24)
        title = QLabel(section.title, body)
        title.setTextFormat(Qt.TextFormat.PlainText)
        heading = title.font()
        heading.setPointSizeF(heading.pointSizeF() * 1.5)
        heading.setBold(True)
        title.setFont(heading)
        layout.addWidget(title)
        if section.description:
            intro = QLabel(section.description, body)
            intro.setWordWrap(True)
            intro.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(intro)
        self.blocks: dict[str, QuestionBlock] = {}
        for question in section.questions:
            block = QuestionBlock(question, session, body)
            self.blocks[question.id] = block
            layout.addWidget(block)
        layout.addStretch(1)
        self.setWidget(body)
        self._has_conditions = any(q.visible_if for q in section.questions)
        self._bind_page(session)

    def _bind_page(self, session: AuditSession) -> None:
        self.session = session
        session.answerChanged.connect(self._update_visibility)
        self._bound = True
        self._update_visibility("")

    def bind(self, session: AuditSession) -> None:
        """Show another audit's answers in this page (same questionnaire)."""
        self.unbind()
        for block in self.blocks.values():
            block.bind(session)
        self._bind_page(session)
        self.verticalScrollBar().setValue(0)

    def unbind(self) -> None:
        if self._bound:
            disconnect_quietly(self.session.answerChanged, self._update_visibility)
            self._bound = False
        for block in self.blocks.values():
            block.unbind()

    def _update_visibility(self, _question_id: str) -> None:
        """Show the follow-up questions that now apply, keeping what is under the pointer
        (or, failing that, the focused question) where it was on screen."""
        if not self._has_conditions:
            return
        shown = self.session.visible()
        if all(block.isVisibleTo(self) == (qid in shown) for qid, block in self.blocks.items()):
            return
        anchor = self._anchor()
        before = anchor.mapTo(self.viewport(), QPoint(0, 0)).y() if anchor else 0
        for qid, block in self.blocks.items():
            block.setVisible(qid in shown)
        if anchor is not None:  # once the page is laid out again and its range is known
            QTimer.singleShot(0, lambda: self._keep_in_place(anchor, before))

    def _keep_in_place(self, anchor: QWidget, before: int) -> None:
        if not anchor.isVisible():
            return
        after = anchor.mapTo(self.viewport(), QPoint(0, 0)).y()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + after - before)

    def _anchor(self) -> QWidget | None:
        """The question block under the mouse pointer, else the one holding the focus."""
        under = self.viewport().childAt(self.viewport().mapFromGlobal(QCursor.pos()))
        focus = QApplication.focusWidget()
        for widget in (under, focus):
            while widget is not None and not isinstance(widget, QuestionBlock):
                widget = widget.parentWidget()
            if (
                isinstance(widget, QuestionBlock)
                and widget.isVisible()
                and self.isAncestorOf(widget)
            ):
                return widget
        return None

    def show_quality(self, notes: list[DataQualityNote]) -> None:
        for block in self.blocks.values():
            block.show_quality(notes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A table takes the page's visible height and scrolls itself (not the page)."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_tables)

    def _fit_tables(self) -> None:
        """Each table as tall as the page below its toolbar (the first fits without scrolling)."""
        body = self.widget()
        if body is None:
            return
        for block in self.blocks.values():
            table = block.table
            if table is None or table.full_window or not block.isVisible():
                continue
            top = table.view.mapTo(body, QPoint(0, 0)).y() if body.isAncestorOf(table) else 0
            below = table.message.sizeHint().height() + 40  # message line, margins
            room = self.viewport().height() - below - (top if top < self.viewport().height() else 0)
            table.view.setMinimumHeight(max(240, room))
            table.view.setMaximumHeight(max(240, room))

    def focus_question(self, question_id: str) -> None:
        """Scroll to a question, put the cursor in it, and mark it until it is left."""
        block = self.blocks[question_id]
        self.ensureWidgetVisible(block)
        block.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        block.highlight()
