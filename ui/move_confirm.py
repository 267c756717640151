"""Asking before a lifecycle move, with what it will do: no move is one click away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from models.records import Audit
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
