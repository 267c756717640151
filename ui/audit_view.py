"""An open audit: header, section list with completion, and the section pages."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from models.data_quality import DataQualityNote
from models.formatting import format_datetime, format_maturity
from models.lifecycle import REOPEN, RETURN, REVIEW, SIGN_OFF, SUBMIT, moves
from models.records import STATUS_LABELS
from ui.audit_session import AuditSession
from ui.form_view import SectionPage
from ui.signals import disconnect_quietly

MOVE_CONSEQUENCES = {
    "submit": "Send the audit for review: it can then be reviewed, or returned to draft.",
    "review": "Record that the audit has been reviewed: it can then be signed off.",
    "sign_off": "Sign the audit off: it becomes read-only, with its content hash recorded.",
    "return": "Send the audit back to draft for changes (a reason is asked for).",
    "reopen": "Make a signed-off audit editable again (a reason is asked for).",
}


class AuditView(QWidget):
    """Section navigation on the left, the current section's form on the right.

    Pages are built when first shown, so opening an audit costs one section, not nine.

    Signals:
        moveRequested(str): the header's lifecycle button was pressed (a move's key).
    """

    moveRequested = Signal(str)

    def __init__(
        self, session: AuditSession, parent: QWidget | None = None, *, section_id: str = ""
    ) -> None:
        super().__init__(parent)
        self.session = session
        q = session.questionnaire

        self.header = QLabel(self)
        self.header.setObjectName("auditHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(12, 8, 12, 4)
        # One button per lifecycle move, each always meaning the same thing; only the moves
        # the status allows are shown, and none answers for a moment after a move, so the
        # second click of a double-click cannot make the next move.
        self.move_buttons: dict[str, QPushButton] = {}
        for move in (SUBMIT, REVIEW, SIGN_OFF, RETURN, REOPEN):
            button = QPushButton(f"{move.label}…", self)
            button.setObjectName(f"moveButton_{move.key}")
            button.setAccessibleDescription(MOVE_CONSEQUENCES[move.key])
            button.setToolTip(MOVE_CONSEQUENCES[move.key])
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=move.key: self._move_clicked(k))
            button.hide()
            self.move_buttons[move.key] = button
        self._settling = QTimer(self)
        self._settling.setSingleShot(True)
        self._settling.timeout.connect(self._settled)
        self._shown_status = ("", "")  # (audit id, status) the buttons were last set for
        self.banner = QLabel(self)  # why the audit cannot be edited, when it cannot
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(
            "#readOnlyBanner { background: #fff4d6; color: #5c4400; border: 1px solid #e0c36a;"
            " border-radius: 3px; padding: 6px 10px; margin: 0 12px 4px 12px; font-weight: 600; }"
        )
        self.banner.hide()

        self.sections = QListWidget(self)
        self.sections.setObjectName("sectionList")
        self.sections.setAccessibleName("Sections")
        self.sections.setMinimumWidth(230)  # and as wide as its lines: _fit_section_lines
        self.sections.setSpacing(1)
        self._line_height = self.sections.fontMetrics().lineSpacing()
        for section in q.sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.id)
            item.setSizeHint(QSize(200, 40))
            self.sections.addItem(item)
        self.pages = QStackedWidget(self)
        self._built: dict[str, SectionPage] = {}
        self._stale: set[str] = set()  # built pages still showing a previous audit
        self._placeholders: dict[str, QWidget] = {}
        for section in q.sections:
            placeholder = QWidget(self.pages)
            self._placeholders[section.id] = placeholder
            self.pages.addWidget(placeholder)

        self.summary = QLabel(self)
        self.summary.setObjectName("auditSummary")
        self.summary.setContentsMargins(12, 4, 12, 8)
        self.summary.setWordWrap(True)  # "(provisional: 2 of 22 answered)" must not widen the list
        # Every open data-quality warning, rows named; each page marks its own as well.
        self.quality = QLabel(self)
        self.quality.setObjectName("dataQualityPanel")
        self.quality.setWordWrap(True)
        self.quality.setTextFormat(Qt.TextFormat.PlainText)
        self.quality.setStyleSheet(
            "#dataQualityPanel { background: #fff4d6; color: #5c4400; border: 1px solid #e0c36a;"
            " border-radius: 3px; padding: 6px 8px; margin: 0 8px 8px 8px; }"
        )
        self.quality.hide()
        self._notes: list[DataQualityNote] = []

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.sections, 1)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.quality)

        self.section_panel = left
        self.toggle_sections_action = QAction("Show &section list", self)
        self.toggle_sections_action.setObjectName("toggleSectionList")
        self.toggle_sections_action.setCheckable(True)
        self.toggle_sections_action.setChecked(True)
        self.toggle_sections_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.toggle_sections_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.toggle_sections_action.setToolTip("Show or hide the list of sections (F9)")
        self.toggle_sections_action.toggled.connect(self.show_section_list)
        self.addAction(self.toggle_sections_action)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 12, 0)
        top.addWidget(self.header, 1)
        for button in self.move_buttons.values():
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self.sections.currentRowChanged.connect(self.show_section_at)
        # Recount after a burst of typing settles, not on every keystroke.
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(150)
        self._progress_timer.timeout.connect(self.update_progress)
        # The data-quality check reads every row: after the form has painted, never before.
        self._quality_timer = QTimer(self)
        self._quality_timer.setSingleShot(True)
        self._quality_timer.setInterval(200)
        self._quality_timer.timeout.connect(self.update_quality)
        self._bound = False
        self.bind(session, section_id=section_id)

    def bind(self, session: AuditSession, *, section_id: str = "") -> None:
        """Show another audit on the same questionnaire, reusing every widget already built."""
        if session.questionnaire.key != self.session.questionnaire.key:
            raise ValueError("an audit view shows audits of one questionnaire version")
        self.unbind()
        self.session = session
        q = session.questionnaire
        self.show_status()
        session.progressChanged.connect(self._progress_timer.start)
        session.statusChanged.connect(self.show_status)
        session.stepReplayed.connect(self.show_replayed)
        self._bound = True
        self.update_progress()
        ids = [s.id for s in q.sections]
        target = ids.index(section_id) if section_id in ids else max(self.sections.currentRow(), 0)
        # Pages already built follow the new audit when next shown; others are built then.
        self._stale = set(self._built)
        blocker = self.sections.blockSignals(True)
        self.sections.setCurrentRow(target)
        self.sections.blockSignals(blocker)
        self.show_section_at(target)

    def unbind(self) -> None:
        """Let go of the current audit's session (it is about to be closed)."""
        self._progress_timer.stop()
        self._quality_timer.stop()
        if self._bound:
            disconnect_quietly(self.session.progressChanged, self._progress_timer.start)
            disconnect_quietly(self.session.statusChanged, self.show_status)
            disconnect_quietly(self.session.stepReplayed, self.show_replayed)
            self._bound = False
            for page in self._built.values():
                page.unbind()

    def show_status(self) -> None:
        """Header, next lifecycle step and read-only banner for the audit as it is now."""
        audit, q = self.session.audit, self.session.questionnaire
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600'>{html.escape(audit.department_name)}"
            f"</span> &nbsp; <span style='font-size:12pt'>{html.escape(audit.cycle)}</span><br>"
            f"<span style='color:palette(placeholder-text)'>{html.escape(q.title)} (v{q.version})"
            f" · <b>{STATUS_LABELS.get(audit.status, audit.status)}</b>"
            + (f" · auditor: {html.escape(audit.auditor)}" if audit.auditor else "")
            + "</span>"
        )
        store_locked = self.session.store.read_only
        allowed = set() if store_locked else {m.key for m in moves(audit)}
        moved = self._shown_status[0] == audit.id and self._shown_status[1] != audit.status
        self._shown_status = (audit.id, audit.status)
        for key, button in self.move_buttons.items():
            button.setVisible(key in allowed)
        if moved:  # the buttons wait until a double-click's second click has passed
            for button in self.move_buttons.values():
                button.setEnabled(False)
            self._settling.start(2 * QApplication.doubleClickInterval())
        self.banner.setText(self.read_only_text())
        self.banner.setVisible(self.session.read_only)

    def read_only_text(self) -> str:
        """Why the audit cannot be edited ('' when it can)."""
        session = self.session
        if session.store.read_only:
            reason = session.store.read_only_reason or "the workspace is read-only"
            return f"Open read-only: {reason}."
        if not session.read_only:
            return ""
        from models.audit_history import last_signed_off
        from models.content_hash import short

        signed = last_signed_off(session.store, session.audit.id)
        when = format_datetime(signed.at) if signed else "an earlier date"
        who = f" by {signed.who}" if signed and signed.who else ""
        digest = session.audit.content_hash
        fingerprint = f" Content hash {short(digest)}." if digest else ""
        return f"Signed off on {when}{who} — read-only. Audit ▸ Reopen… to change it.{fingerprint}"

    @property
    def next_move(self) -> QPushButton:
        """The first move button shown (the forward step), or the first of all if none is."""
        shown = [b for b in self.move_buttons.values() if not b.isHidden()]
        return shown[0] if shown else self.move_buttons["submit"]

    def _move_clicked(self, key: str) -> None:
        button = self.move_buttons[key]
        if not button.isEnabled() or button.isHidden():
            return
        for other in self.move_buttons.values():
            other.setEnabled(False)  # one move per click, whatever the dialogs do
        try:
            self.moveRequested.emit(key)
        finally:
            if not self._settling.isActive():
                self._settling.start(2 * QApplication.doubleClickInterval())

    def _settled(self) -> None:
        for button in self.move_buttons.values():
            button.setEnabled(True)

    def show_section_list(self, shown: bool) -> None:
        """Hide the section list to give the form (and its tables) the width; F9 again shows it."""
        self.section_panel.setVisible(shown)
        if self.toggle_sections_action.isChecked() != shown:
            self.toggle_sections_action.setChecked(shown)
        if not shown and self.sections.hasFocus():
            self.pages.setFocus()

    # ---------------------------------------------------------------- navigation
    def page(self, section_id: str) -> SectionPage:
        """The section's page, built on first use."""
        page = self._built.get(section_id)
        if page is not None and section_id in self._stale:
            self._stale.discard(section_id)
            page.bind(self.session)
            page.show_quality(self._notes)
        if page is None:
            section = self.session.questionnaire.section(section_id)
            page = SectionPage(section, self.session, self.pages)
            placeholder = self._placeholders.pop(section_id)
            index = self.pages.indexOf(placeholder)
            self.pages.insertWidget(index, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[section_id] = page
            page.show_quality(self._notes)
        return page

    def show_section_at(self, row: int) -> None:
        if row < 0:
            return
        section_id = self.sections.item(row).data(Qt.ItemDataRole.UserRole)
        self.pages.setCurrentWidget(self.page(section_id))

    def show_section(self, section_id: str) -> SectionPage:
        ids = [s.id for s in self.session.questionnaire.sections]
        self.sections.setCurrentRow(ids.index(section_id))
        return self.page(section_id)

    def go_to_question(self, question_id: str) -> None:
        question = self.session.questionnaire.question(question_id)
        self.show_section(question.section_id).focus_question(question_id)

    def go_to_first_missing(self) -> str:
        """Ctrl+M: to the first required answer missing, else the first required cell left
        blank (Submit refuses both); what to tell the auditor."""
        from models.lifecycle import blank_cells_for_submission, missing_for_submission

        s = self.session  # what Submit checks, by the same rule
        missing = missing_for_submission(s.store, s.audit, s.questionnaire)
        blanks = blank_cells_for_submission(s.store, s.audit, s.questionnaire)
        if not missing and not blanks:
            return "Every required question is answered."
        parts = [f"{len(missing)} required answer(s) missing"] if missing else []
        parts += [f"{len(blanks)} required cell(s) blank"] if blanks else []
        if missing:
            self.go_to_question(missing[0].id)
            return f"{' and '.join(parts)}; this is the first."
        first = blanks[0]
        page = self.show_section(s.questionnaire.question(first.table_id).section_id)
        page.focus_question(first.table_id)
        table = page.blocks[first.table_id].table
        if table is not None:
            table.model.ensure_loaded()
            column = [c.id for c in table.model.columns].index(first.column_id)
            index = table.model.index(first.row - 1, column)
            table.view.setCurrentIndex(index)
            table.view.scrollTo(index)
        return f"{' and '.join(parts)}; this is the first: {first.text}."

    def show_replayed(self, question_id: str, text: str) -> None:
        """Undo or redo changed a question: bring it into view and mark it, as Go to first
        does (unless the cursor is in it already), and say what was undone or redone."""
        q = self.session.questionnaire
        known = bool(question_id) and q.has_question(question_id)
        if known:  # "Undone: answer to “…” in Money"
            text += f" in {q.section(q.question(question_id).section_id).title}"
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10000)
        if not known:
            return
        page = self._built.get(q.question(question_id).section_id)
        block = page.blocks.get(question_id) if page is not None else None
        focus = QApplication.focusWidget()
        in_it = block is not None and focus is not None and block.isAncestorOf(focus)
        if in_it and self.pages.currentWidget() is page:
            return  # Ctrl+Z in the field itself: it is in view, with the cursor
        self.go_to_question(question_id)

    def step_section(self, step: int) -> None:
        row = self.sections.currentRow() + step
        if 0 <= row < self.sections.count():
            self.sections.setCurrentRow(row)

    def current_section_id(self) -> str:
        item = self.sections.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    # ---------------------------------------------------------------- progress
    def update_progress(self) -> None:
        progress = self.session.progress()
        score = self.session.section_scores()
        shown = self.session.visible()
        counts, complete = self.session.row_counts, self.session.complete_rows()
        done_sections = 0
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            section = self.session.questionnaire.sections[row]
            p = progress[section.id]
            maturity = score.section_maturity.get(section.id)
            # Rows with a required cell blank stop Submit: the section is not done either.
            incomplete = sum(
                counts.get(q.id, 0) - complete.get(q.id, 0)
                for q in section.questions
                if q.is_table and q.id in shown
            )
            done = p.complete and not incomplete
            mark = "✓" if done and p.answered else "•" if p.answered or incomplete else "○"
            detail = f"{p.answered}/{p.total} answered"
            if p.required_total > p.required_answered:
                detail += f", {p.required_total - p.required_answered} required to go"
            if incomplete:
                detail += f", {incomplete} incomplete row{'s' if incomplete != 1 else ''}"
            lines = [f"{mark}  {section.title}", f"     {detail}"]
            if maturity is not None:
                scored = f"maturity {format_maturity(maturity)}"
                if p.coverage is not None and p.coverage.provisional:
                    scored += f" (provisional: {p.coverage.text})"  # thin evidence, said
                lines.append(f"     {scored}")  # its own line: "(provisional)" is never cut
                detail += f" · {scored}"
            item.setText("\n".join(lines))
            item.setSizeHint(QSize(200, self._line_height * len(lines) + 6))
            item.setToolTip(detail)
            done_sections += done
        self._fit_section_lines()
        overall = (
            f"{format_maturity(score.overall)} of 5"
            if score.overall is not None
            else "not yet scored"
        )
        thin = score.overall_coverage  # one answer of the form is no 5.0 to take as a fact
        if score.overall is not None and thin is not None and thin.provisional:
            overall += f" (provisional: {thin.text})"
        self.summary.setText(
            f"{done_sections} of {self.sections.count()} sections complete · "
            f"overall maturity {overall}"
        )
        self._quality_timer.start()

    def _fit_section_lines(self) -> None:
        """The list as wide as its longest line ("maturity 5.0 (provisional: 2 of 7
        answered)"), so the qualifier is never the part cut off, and no wider."""
        metrics = self.sections.fontMetrics()
        lines = (
            line
            for row in range(self.sections.count())
            for line in self.sections.item(row).text().split("\n")
        )
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        bar = self.sections.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.sections.setMinimumWidth(max(230, widest + 24 + 2 * self.sections.frameWidth() + bar))

    def update_quality(self) -> None:
        """Recheck the data-quality rules: the panel lists every note, each page its own."""
        notes = self.session.data_quality_notes()
        self._notes = notes
        shown = notes[:6]
        lines = [f"⚠ {len(notes)} data-quality warning{'s' if len(notes) != 1 else ''}"]
        lines += [f"• {n.text}" for n in shown]
        if len(notes) > len(shown):
            lines.append(f"… and {len(notes) - len(shown)} more")
        self.quality.setText("\n".join(lines))
        self.quality.setVisible(bool(notes))
        for section_id, page in self._built.items():
            if section_id not in self._stale:
                page.show_quality(notes)
        # A warning sign on each section with open notes, so they are seen from anywhere.
        flagged = {n.section_id for n in notes}
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.sections.setIconSize(QSize(16, 16))
        blank = QPixmap(QSize(16, 16))
        blank.fill(Qt.GlobalColor.transparent)
        for row, section in enumerate(self.session.questionnaire.sections):
            item = self.sections.item(row)
            # Sections without warnings keep the same indent, so the titles stay aligned.
            item.setIcon(
                warning if section.id in flagged else (QIcon(blank) if flagged else QIcon())
            )
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, (
                "has data-quality warnings" if section.id in flagged else ""
            ))  # fmt: skip
