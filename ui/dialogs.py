"""Dialogs: a department, a new audit, confirming a lifecycle move, the auditor's name."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.cycle_dates import latest_cycle
from models.records import Audit, Department
from models.reference import DepartmentEntry
from ui.style import as_error


@dataclass(frozen=True)
class DepartmentChoice:
    name: str
    abbreviation: str
    govuk_id: str


class DepartmentDialog(QDialog):
    """Pick a department from the GOV.UK list (type to search) or type a new name."""

    def __init__(
        self,
        entries: tuple[DepartmentEntry, ...],
        existing: list[Department],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add department")
        self.entries = {e.display: e for e in entries}
        self.existing = {d.name.lower() for d in existing}
        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItem("")
        self.name.addItems(list(self.entries))
        self.name.setAccessibleName("Department name")
        line = self.name.lineEdit()
        if line is not None:  # the editable combo's own field is what takes focus
            line.setAccessibleName("Department name")
            line.setAccessibleDescription("Type to search the GOV.UK organisation list")
        completer = QCompleter(list(self.entries), self.name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.name.setMinimumWidth(460)
        self.abbreviation = QLineEdit(self)
        self.abbreviation.setAccessibleName("Abbreviation")
        self.kind = QLabel(self)
        self.message = QLabel(self)
        as_error(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Department:", self.name)
        form.addRow("&Abbreviation:", self.abbreviation)
        form.addRow("", self.kind)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Start typing to search the GOV.UK organisation list, or type a name that "
                "is not on it (renamed and new departments).",
                self,
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.name.currentTextChanged.connect(self._name_changed)

    def _name_changed(self, text: str) -> None:
        entry = self.entries.get(text)
        if entry:
            self.abbreviation.setText(entry.abbreviation)
            parent = f", part of {entry.parent}" if entry.parent else ""
            self.kind.setText(f"{entry.type}{parent}")
        else:
            self.kind.setText(
                "Not on the GOV.UK list: it will be added as typed." if text.strip() else ""
            )

    def choice(self) -> DepartmentChoice:
        text = self.name.currentText().strip()
        entry = self.entries.get(text)
        if entry:
            return DepartmentChoice(entry.name, self.abbreviation.text().strip(), entry.govuk_id)
        return DepartmentChoice(text, self.abbreviation.text().strip(), "")

    def _accept(self) -> None:
        choice = self.choice()
        if not choice.name:
            self.message.setText("Type or pick a department name.")
            return
        if choice.name.lower() in self.existing:
            self.message.setText(f"{choice.name} is already in this workspace.")
            return
        self.accept()


@dataclass(frozen=True)
class AuditChoice:
    department_id: str
    cycle: str
    auditor: str
    copy_from: str | None


class NewAuditDialog(QDialog):
    """Start an audit for a department and cycle, blank or pre-filled from its latest audit."""

    def __init__(
        self,
        departments: list[Department],
        audits: list[Audit],
        *,
        department_id: str | None = None,
        auditor: str = "",
        copy_forward: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy audit forward" if copy_forward else "New audit")
        self.audits = audits
        self.department = QComboBox(self)
        self.department.setAccessibleName("Department")
        for dept in departments:
            self.department.addItem(dept.display, dept.id)
        if department_id:
            self.department.setCurrentIndex(max(0, self.department.findData(department_id)))
        self.cycle = QLineEdit(self)
        self.cycle.setAccessibleName("Cycle")
        self.cycle.setPlaceholderText("e.g. 2014 baseline")
        self.auditor = QLineEdit(auditor, self)
        self.auditor.setAccessibleName("Auditor")
        self.prefill = QCheckBox(self)
        self.prefill.setChecked(copy_forward)
        self.message = QLabel(self)
        as_error(self.message)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Department:", self.department)
        form.addRow("&Cycle:", self.cycle)
        form.addRow("A&uditor:", self.auditor)
        form.addRow("", self.prefill)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.department.currentIndexChanged.connect(self._department_changed)
        self._department_changed()

    def latest(self) -> Audit | None:
        dept = self.department.currentData()
        own = [a for a in self.audits if a.department_id == dept]
        chosen = latest_cycle([a.cycle for a in own])  # by the year cycles name, as the CLI
        return next((a for a in own if a.cycle == chosen), None)

    def _department_changed(self) -> None:
        latest = self.latest()
        if latest:
            self.prefill.setText(f"Pre-fill from the latest audit ({latest.cycle})")
            self.prefill.setEnabled(True)
            if not self.cycle.text():
                self.cycle.setText(_next_cycle(latest.cycle))
        else:
            self.prefill.setText("Pre-fill from the latest audit (none yet)")
            self.prefill.setChecked(False)
            self.prefill.setEnabled(False)

    def choice(self) -> AuditChoice:
        latest = self.latest()
        return AuditChoice(
            department_id=str(self.department.currentData()),
            cycle=self.cycle.text().strip(),
            auditor=self.auditor.text().strip(),
            copy_from=latest.id if latest and self.prefill.isChecked() else None,
        )

    def _accept(self) -> None:
        choice = self.choice()
        if self.department.currentData() is None:
            self.message.setText("Add a department first.")
            return
        if not choice.cycle:
            self.message.setText("Give the cycle a label, such as '2014 baseline'.")
            return
        if any(
            a.department_id == choice.department_id and a.cycle.lower() == choice.cycle.lower()
            for a in self.audits
        ):
            self.message.setText(f"This department already has an audit for {choice.cycle!r}.")
            return
        self.accept()


def cycle_combo(parent: QWidget, cycles: list[str], default: str) -> QComboBox:
    """A choice of the workspace's cycles, on `default` when it is one of them."""
    combo = QComboBox(parent)
    combo.setAccessibleName("Cycle")
    combo.addItems(cycles)
    combo.setCurrentIndex(max(0, combo.findText(default)))
    return combo


def _next_cycle(cycle: str) -> str:
    """'2013 baseline' → '2014 baseline'; anything without a year is left for the user."""
    import re

    match = re.search(r"(19|20)\d\d", cycle)
    if not match:
        return ""
    year = int(match.group(0))
    return cycle[: match.start()] + str(year + 1) + cycle[match.end() :]


class UnsavedEntryDialog(QDialog):
    """Leaving an audit while a field holds text that is not saved: Keep editing or Discard.

    Accepted means Discard; Keep editing (the default, and Escape) rejects.
    """

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unsaved entry")
        layout = QVBoxLayout(self)
        message = QLabel(f"{summary}\n\nThis text is not valid, so it has not been saved.", self)
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(message)
        self.buttons = QDialogButtonBox(self)
        keep = self.buttons.addButton("Keep editing", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton("Discard", QDialogButtonBox.ButtonRole.AcceptRole)
        keep.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class ConfirmMoveDialog(QDialog):
    """A lifecycle move, asked about with its consequence; Cancel is the default.

    Accepted makes the move. Cancel being the default means Enter (or a second click of a
    double-click landing on the dialog) does not make it.
    """

    def __init__(
        self, title: str, move_label: str, consequence: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = QLabel(consequence, self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(move_label, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.ok_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class AuditorNameDialog(QDialog):
    """First run: the auditor's name, which the history records for every change and move."""

    def __init__(self, suggested: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your name")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Baseline records who made each change, submission and sign-off. Enter your name "
            "as it should appear in the history and on reports (Edit ▸ Preferences changes it).",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.name_edit = QLineEdit(suggested, self)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("e.g. Jane Smith")
        self.name_edit.setMaxLength(120)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._changed)
        layout.addWidget(self.buttons)
        self._changed(self.name_edit.text())

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def _changed(self, _text: str) -> None:
        self.ok_button.setEnabled(bool(self.name()))

    def accept(self) -> None:
        if self.name():  # no name, no OK
            super().accept()
