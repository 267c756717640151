"""Audit ▸ Add department, New audit and Copy forward, for any AppContext.

The open views learn of the new department or audit from WorkspaceEvents (the store tells
them after the commit); this module only asks, writes and selects the new audit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from models.store import WorkspaceError
from ui.app import settings as keys

if TYPE_CHECKING:
    from ui.app.context import AppContext
    from ui.dialogs import AuditChoice, DepartmentChoice


def add_department(app: AppContext, choice: DepartmentChoice) -> str:
    return app.store.add_department(choice.name, choice.abbreviation, choice.govuk_id).id


def add_department_dialog(app: AppContext) -> None:
    from models.reference import departments as reference_departments
    from ui.dialogs import DepartmentDialog

    dialog = DepartmentDialog(reference_departments(), app.store.departments(), app.widget)
    if app.run_dialog(dialog):
        try:
            add_department(app, dialog.choice())
        except (WorkspaceError, ValueError) as exc:
            QMessageBox.warning(app.widget, "Could not add the department", str(exc))


def create_audit(app: AppContext, choice: AuditChoice) -> str:
    """Write the new (or copied-forward) audit; the auditor named is remembered as the
    user's name when none is set in preferences."""
    from models.questionnaire import current_questionnaire

    questionnaire = current_questionnaire()
    store = app.store
    if choice.copy_from:
        audit = store.copy_forward(choice.copy_from, choice.cycle, questionnaire, choice.auditor)
    else:
        audit = store.create_audit(
            choice.department_id, choice.cycle, questionnaire, choice.auditor
        )
    if choice.auditor.strip() and not keys.read(app.settings, keys.AUDITOR_NAME).strip():
        keys.write(app.settings, keys.AUDITOR_NAME, choice.auditor.strip())
        store.actor = choice.auditor.strip()  # who the history names from now on
    return audit.id


def new_audit_dialog(app: AppContext, *, copy_forward: bool = False) -> str | None:
    """Ask for a department and cycle (adding a department first if there is none)."""
    from ui.dialogs import NewAuditDialog

    store = app.store
    departments = store.departments()
    if not departments:
        add_department_dialog(app)
        departments = store.departments()
        if not departments:
            return None
    dialog = NewAuditDialog(
        departments,
        store.audits(),
        department_id=app.current_department_id(),
        auditor=keys.read(app.settings, keys.AUDITOR_NAME).strip(),
        copy_forward=copy_forward,
        parent=app.widget,
    )
    if not app.run_dialog(dialog):
        return None
    try:
        return create_audit(app, dialog.choice())
    except (WorkspaceError, ValueError) as exc:
        QMessageBox.warning(app.widget, "Could not create the audit", str(exc))
        return None
