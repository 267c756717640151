"""Lifecycle moves asked about with what they do, and the workspace's sign-off rule."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QWidget

from models.records import Audit
from models.store import Store, WorkspaceError
from ui.dialogs import ConfirmMoveDialog

CONSEQUENCES = {
    "submit": (
        "Submit {name} for review? It can then be marked as reviewed or returned to draft; "
        "its answers stay editable until it is signed off."
    ),
    "review": (
        "Mark {name} as reviewed? It can then be signed off (which makes it read-only) "
        "or returned to draft."
    ),
}


def confirm_move(
    key: str,
    audit: Audit,
    run_dialog: Callable[[QDialog], bool],
    parent: QWidget | None = None,
) -> bool:
    """True to go ahead. Moves with a dialog of their own (sign off, return, reopen) pass."""
    text = CONSEQUENCES.get(key)
    if text is None:
        return True
    name = f"{audit.department_name} — {audit.cycle}"
    label = {"submit": "Submit for review", "review": "Mark as reviewed"}[key]
    dialog = ConfirmMoveDialog(f"{label}: {name}", label, text.format(name=name), parent)
    return bool(run_dialog(dialog))


def add_sign_off_rule(window: QWidget, menu: QMenu) -> QAction:
    """Tools ▸ "Whoever submits may not sign off": the workspace's rule, ticked when on."""
    from models.workspace_rules import separate_sign_off, set_separate_sign_off

    action = QAction("Whoever submits may not &sign off", window)
    action.setObjectName("separateSignOff")
    action.setCheckable(True)
    action.setToolTip(
        "A rule for everyone using this workspace: the person who submitted an audit cannot "
        "also sign it off."
    )

    def store() -> Store | None:
        found = getattr(window, "store", None)
        return found if isinstance(found, Store) else None

    def refresh() -> None:
        current = store()
        blocker = action.blockSignals(True)
        action.setChecked(current is not None and separate_sign_off(current))
        action.setEnabled(current is not None and not current.read_only)
        action.blockSignals(blocker)

    def toggled(on: bool) -> None:
        current = store()
        if current is None:
            return
        try:
            set_separate_sign_off(current, on)
        except WorkspaceError as exc:
            QMessageBox.warning(window, "Could not change the rule", str(exc))
        refresh()

    action.toggled.connect(toggled)
    menu.aboutToShow.connect(refresh)
    menu.addAction(action)
    refresh()
    return action
