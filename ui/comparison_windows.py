"""The comparison windows (cycle dashboard, department view, compare), kept beside the form.

Each opens in its own window on first use and is kept, hidden, when closed, so reopening it
is instant. Every change to the workspace reaches the open windows through WorkspaceEvents:
edits to the audit open in the form a moment later (debounced), so a dashboard beside the form
follows the audit being filled in; any other change (a department or audit added, an import, a
merge, a lifecycle move) at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from models.change_events import WorkspaceChange
from models.cycle_summary import prior_audit

if TYPE_CHECKING:
    from ui.app.context import AppContext

EDIT_DELAY_MS = 400  # typing in a field commits often; recompute once it pauses


class ViewWindow(QMainWindow):
    """A top-level window around one comparison view; Escape or Ctrl+W hides it."""

    def __init__(self, view: QWidget, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.view: Any = view  # a CycleDashboard, DepartmentView or CompareView
        self.setWindowTitle(title)
        self.setCentralWidget(view)
        self.resize(1200, 760)
        for keys in (QKeySequence("Escape"), QKeySequence(QKeySequence.StandardKey.Close)):
            action = self.addAction("Close")
            action.setShortcut(keys)
            action.triggered.connect(self.close)


class ComparisonWindows(QObject):
    """Makes, shows and refreshes the dashboard, department and compare windows."""

    def __init__(self, app: AppContext) -> None:
        super().__init__(app.widget)
        self.app = app
        self.windows: dict[str, ViewWindow] = {}
        self._edited: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(EDIT_DELAY_MS)
        self._timer.timeout.connect(self._flush)
        self._wide: set[str] = set()  # audits changed by other writers, re-read together
        self._wide_timer = QTimer(self)
        self._wide_timer.setSingleShot(True)
        self._wide_timer.setInterval(0)  # once the writer's call has returned
        self._wide_timer.timeout.connect(self._flush_wide)
        app.events.changed.connect(self.workspace_change)

    # ---------------------------------------------------------------- the windows
    def _window(self, key: str) -> ViewWindow:
        existing = self.windows.get(key)
        if existing is not None:
            return existing
        store = self.app.store
        view: Any
        if key == "dashboard":
            from ui.dashboard_view import CycleDashboard

            view = CycleDashboard(store, choose_path=self.app.choose_path)
            view.exported.connect(lambda path: self.app.status(f"Exported to {path}", 8000))
            title = "Cycle dashboard"
        elif key == "department":
            from ui.department_view import DepartmentView

            view = DepartmentView(store)
            title = "Department over time"
        else:
            from ui.compare_view import CompareView

            view = CompareView(store)
            title = "Compare audits"
        if hasattr(view, "auditActivated"):
            view.auditActivated.connect(self._open_audit)
        made = ViewWindow(view, title, self.app.widget)
        self.windows[key] = made
        return made

    def _present(self, made: ViewWindow) -> None:
        made.show()
        made.raise_()
        made.activateWindow()

    def show_dashboard(self) -> ViewWindow:
        made = self._window("dashboard")
        session = self.app.session
        made.view.refresh()  # audits and cycles may have been added since it was last shown
        if session is not None and made.view.cycle() != session.audit.cycle:
            made.view.set_cycle(session.audit.cycle)
        self._present(made)
        return made

    def show_department(self) -> ViewWindow:
        made = self._window("department")
        session = self.app.session
        if session is not None and made.view.department_id != session.audit.department_id:
            made.view.show_department(session.audit.department_id)
        else:
            made.view.refresh()
        self._present(made)
        return made

    def show_compare(self) -> ViewWindow:
        """Compare the open audit with the department's audit before it, when there is one
        (or, for its first audit, with the one after it)."""
        made = self._window("compare")
        session = self.app.session
        if session is not None:
            store, audit = self.app.store, session.audit
            before = prior_audit(store, audit.id)
            if before is not None:
                made.view.compare(before.id, audit.id)
            else:  # the department's first audit: with the one after it, if one follows it
                after = [
                    a
                    for a in store.audits(audit.department_id)
                    if (p := prior_audit(store, a.id)) is not None and p.id == audit.id
                ]
                if len(after) == 1:
                    made.view.compare(audit.id, after[0].id)
        self._present(made)
        return made

    def _open_audit(self, audit_id: str) -> None:
        self.app.open_audit(audit_id)
        self.app.widget.raise_()
        self.app.widget.activateWindow()

    # ---------------------------------------------------------------- keeping up with edits
    def workspace_change(self, change: WorkspaceChange) -> None:
        """Any commit: edits to the open audit follow once typing pauses, the rest at once."""
        if not self.windows:
            return
        session = self.app.session
        open_id = session.audit.id if session is not None else None
        if change.audit_ids and change.audit_ids <= {open_id}:
            for audit_id in change.audit_ids:
                self.audit_edited(audit_id)
        else:
            self._wide.update(change.audit_ids)
            self._wide_timer.start()

    def _flush_wide(self) -> None:
        wide, self._wide = self._wide, set()
        self.workspace_edited(wide)

    def audit_edited(self, audit_id: str) -> None:
        """An audit changed in the form: refresh the open windows once the edits pause."""
        if not self.windows:
            return
        self._edited.add(audit_id)
        self._timer.start()

    def _flush(self) -> None:
        edited, self._edited = self._edited, set()
        for made in self.windows.values():
            changed = getattr(made.view, "audit_changed", None)
            if changed is not None:
                for audit_id in edited:
                    changed(audit_id)

    def workspace_edited(self, audit_ids: Iterable[str]) -> None:
        """Many audits changed at once (an import): re-read the open windows now."""
        self._timer.stop()
        self._edited.update(audit_ids)
        for made in self.windows.values():
            refresh = getattr(made.view, "refresh", None) or getattr(made.view, "reload", None)
            if refresh is not None:
                refresh()  # new audits and departments, not only the touched ones
        self._flush()

    def flush_now(self) -> None:
        """Apply pending edits at once (tests, and before a window is shown)."""
        self._timer.stop()
        self._flush()

    def workspace_changed(self) -> None:
        """Another workspace is open: the windows show the old one, so drop them."""
        self._timer.stop()
        self._wide_timer.stop()
        self._wide.clear()
        self._edited.clear()
        for made in self.windows.values():
            stop = getattr(made.view, "stop", None)
            if stop is not None:
                stop()  # no timer may reach the closed store
            made.close()
            made.deleteLater()
        self.windows.clear()

    def shutdown(self) -> None:
        self.workspace_changed()
