"""Every control a keyboard can reach has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from desktop.main_window import MainWindow
from models.questionnaire import current_questionnaire
from models.reference import departments as reference_departments
from ui.dialogs import (
    AuditorNameDialog,
    ConfirmMoveDialog,
    DepartmentDialog,
    NewAuditDialog,
    UnsavedEntryDialog,
)
from ui.history_dialog import audit_dialog
from ui.pdf_preview import PdfPreviewDialog


def _pdf(tmp_path) -> object:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "r.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Summary")
    canvas.bookmarkPage("summary", fit="XYZ", left=0, top=744)
    canvas.addOutlineEntry("Summary", "summary", level=0)
    canvas.showPage()
    canvas.save()
    return path


def unnamed(top: QWidget) -> list[str]:
    """The focusable, visible widgets under `top` whose accessible name is empty."""
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_of_every_section_has_a_name(qtbot, window: MainWindow) -> None:
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    store.insert_rows(audit.id, "senior_roles", 0, [{"post_ref": "DIG-01"}])
    window.refresh_navigator()
    window.open_audit(audit.id)
    view = window.audit_view
    assert view is not None
    problems: dict[str, list[str]] = {}
    walked = 0
    for section in current_questionnaire().sections:
        page = view.show_section(section.id)
        qtbot.waitUntil(page.isVisible)
        walked += len(page.findChildren(QWidget))
        if missing := unnamed(window):
            problems[section.id] = missing
    assert walked > 300  # every question's widgets were walked, not an empty shell
    assert problems == {}


def test_every_control_of_the_dialogs_has_a_name(qtbot, window: MainWindow, tmp_path) -> None:
    store = window.store
    dept = store.add_department("Department for Transport", "DfT")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    dialogs = [
        DepartmentDialog(reference_departments(), store.departments(), window),
        NewAuditDialog(store.departments(), store.audits(), parent=window),
        UnsavedEntryDialog("Board: 'x' is not a number", window),
        ConfirmMoveDialog("Mark as reviewed", "Mark as reviewed", "It can then be signed off."),
        AuditorNameDialog("", window),
        audit_dialog(store, store.audit(audit.id), window),
        PdfPreviewDialog(_pdf(tmp_path), "Board report", "r.pdf", choose=lambda _n: None),
    ]
    problems = {}
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        if missing := unnamed(dialog):
            problems[dialog.windowTitle()] = missing
        dialog.close()
    assert problems == {}
