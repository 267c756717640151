"""The choices asked before a report is made: protective marking, redaction, cycle, PDF or Word."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from exporters.report_options import MARKINGS, ReportOptions
from ui.dialogs import cycle_combo

MARKING_HELP = (
    "Printed at the top and bottom of every page. Choose OFFICIAL-SENSITIVE when the report "
    "names individuals or discusses commercial or security weaknesses."
)


def marking_combo(parent: QWidget) -> QComboBox:
    """The protective marking, OFFICIAL first (the default)."""
    combo = QComboBox(parent)
    combo.setAccessibleName("Protective marking")
    combo.addItems(MARKINGS)
    combo.setToolTip(MARKING_HELP)
    return combo


FORMATS = ("PDF (preview, then save)", "Word (.docx, to edit)")


def format_combo(parent: QWidget) -> QComboBox:
    """PDF (the default) or Word: the same report, the Word file built on styles to edit."""
    combo = QComboBox(parent)
    combo.setAccessibleName("Format")
    combo.addItems(FORMATS)
    combo.setToolTip(
        "Word: the same headings, tables and charts, on Word styles, for a secretariat to "
        "put in its template and edit. It is saved straight to a file you choose."
    )
    return combo


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (the default button, so Enter makes the report) and Cancel (Esc)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class BoardReportDialog(QDialog):
    """How one audit's board report is marked, and whether names are replaced by posts."""

    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Board report")
        self.marking = marking_combo(self)
        self.format = format_combo(self)
        self.redact = QCheckBox(
            "Replace post-holders' &names with their posts (for wider circulation)", self
        )
        self.buttons = ok_cancel(self, "Make report")
        intro = QLabel(f"The board report of <b>{_escape(subject)}</b>.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Protective &marking:", self.marking)
        form.addRow("&Format:", self.format)
        form.addRow("", self.redact)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.marking.setFocus()

    def options(self) -> ReportOptions:
        return ReportOptions(self.marking.currentText(), self.redact.isChecked())

    def as_word(self) -> bool:
        return self.format.currentIndex() == 1


class SummaryReportDialog(QDialog):
    """Which cycle the cross-government summary covers, and its marking."""

    def __init__(self, cycles: list[str], default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cross-government summary")
        self.cycle = cycle_combo(self, cycles, default)
        self.marking = marking_combo(self)
        self.format = format_combo(self)
        self.buttons = ok_cancel(self, "Make report")
        intro = QLabel("Each department's audit in one cycle, compared.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Cycle:", self.cycle)
        form.addRow("Protective &marking:", self.marking)
        form.addRow("&Format:", self.format)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.cycle.setFocus()

    def chosen_cycle(self) -> str:
        return self.cycle.currentText()

    def options(self) -> ReportOptions:
        return ReportOptions(self.marking.currentText())

    def as_word(self) -> bool:
        return self.format.currentIndex() == 1


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
