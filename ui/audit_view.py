"""An open audit: header, section list with completion, and the section pages."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.records import STATUS_LABELS
from ui.audit_session import AuditSession
from ui.form_view import SectionPage
from ui.signals import disconnect_quietly


class AuditView(QWidget):
    """Section navigation on the left, the current section's form on the right.

    Pages are built when first shown, so opening an audit costs one section, not nine.
    """

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

        self.sections = QListWidget(self)
        self.sections.setObjectName("sectionList")
        self.sections.setAccessibleName("Sections")
        self.sections.setMinimumWidth(230)
        self.sections.setSpacing(1)
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

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.sections, 1)
        left_layout.addWidget(self.summary)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.splitter, 1)

        self.sections.currentRowChanged.connect(self.show_section_at)
        # Recount after a burst of typing settles, not on every keystroke.
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(150)
        self._progress_timer.timeout.connect(self.update_progress)
        self._bound = False
        self.bind(session, section_id=section_id)

    def bind(self, session: AuditSession, *, section_id: str = "") -> None:
        """Show another audit on the same questionnaire, reusing every widget already built."""
        if session.questionnaire.key != self.session.questionnaire.key:
            raise ValueError("an audit view shows audits of one questionnaire version")
        self.unbind()
        self.session = session
        audit, q = session.audit, session.questionnaire
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600'>{html.escape(audit.department_name)}"
            f"</span> &nbsp; <span style='font-size:12pt'>{html.escape(audit.cycle)}</span><br>"
            f"<span style='color:palette(placeholder-text)'>{html.escape(q.title)} (v{q.version})"
            f" · {STATUS_LABELS.get(audit.status, audit.status)}"
            + (f" · auditor: {html.escape(audit.auditor)}" if audit.auditor else "")
            + "</span>"
        )
        session.progressChanged.connect(self._progress_timer.start)
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
        if self._bound:
            disconnect_quietly(self.session.progressChanged, self._progress_timer.start)
            self._bound = False
            for page in self._built.values():
                page.unbind()

    # ---------------------------------------------------------------- navigation
    def page(self, section_id: str) -> SectionPage:
        """The section's page, built on first use."""
        page = self._built.get(section_id)
        if page is not None and section_id in self._stale:
            self._stale.discard(section_id)
            page.bind(self.session)
        if page is None:
            section = self.session.questionnaire.section(section_id)
            page = SectionPage(section, self.session, self.pages)
            placeholder = self._placeholders.pop(section_id)
            index = self.pages.indexOf(placeholder)
            self.pages.insertWidget(index, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[section_id] = page
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
        done_sections = 0
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            section = self.session.questionnaire.sections[row]
            p = progress[section.id]
            maturity = score.section_maturity.get(section.id)
            mark = "✓" if p.complete and p.answered else "•" if p.answered else "○"
            detail = f"{p.answered}/{p.total} answered"
            if p.required_total > p.required_answered:
                detail += f", {p.required_total - p.required_answered} required to go"
            if maturity is not None:
                detail += f" · maturity {maturity:.1f}"
            item.setText(f"{mark}  {section.title}\n     {detail}")
            item.setToolTip(detail)
            done_sections += p.complete
        overall = f"{score.overall:.1f} of 5" if score.overall is not None else "not yet scored"
        self.summary.setText(
            f"{done_sections} of {self.sections.count()} sections complete · "
            f"overall maturity {overall}"
        )
