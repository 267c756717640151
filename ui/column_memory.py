"""Column widths a user set on a table, remembered in the window's settings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QTableView


class ColumnMemory(QObject):
    """Restores a view's column widths when first shown and saves them after a resize.

    The settings are the window's (`window().settings`), found when the view is shown, so a
    view outside a main window (a test, a dialog) remembers nothing and breaks nothing.
    Widths are kept only for the same number of columns.
    """

    def __init__(self, view: QTableView, key: str) -> None:
        super().__init__(view)
        self.view = view
        self.key = key
        self._restoring = False
        self._save_soon = QTimer(self)
        self._save_soon.setSingleShot(True)
        self._save_soon.setInterval(300)
        self._save_soon.timeout.connect(self.save)
        view.horizontalHeader().sectionResized.connect(self._resized)
        view.installEventFilter(self)
        self._shown = False

    def settings(self) -> QSettings | None:
        found = getattr(self.view.window(), "settings", None)
        return found if isinstance(found, QSettings) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            self.restore()
        return super().eventFilter(watched, event)

    def restore(self) -> None:
        settings, model = self.settings(), self.view.model()
        if settings is None or model is None:
            return
        saved = str(settings.value(self.key, "") or "")
        try:
            widths = [int(w) for w in saved.split(",") if w]
        except ValueError:
            return  # a hand-edited settings file: keep the defaults
        if len(widths) != model.columnCount():
            return
        self._restoring = True
        try:
            for column, width in enumerate(widths):
                self.view.setColumnWidth(column, max(30, min(width, 2000)))
        finally:
            self._restoring = False

    def _resized(self, *_args: object) -> None:
        if not self._restoring and self._shown:
            self._save_soon.start()

    def save(self) -> None:
        settings, model = self.settings(), self.view.model()
        if settings is None or model is None:
            return
        widths = [self.view.columnWidth(c) for c in range(model.columnCount())]
        settings.setValue(self.key, ",".join(str(w) for w in widths))
