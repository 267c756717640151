"""Colours for text roles, set through palettes: per-widget style sheets are slow to polish."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

ERROR = QColor("#a4262c")  # 7:1 contrast on white


def _text_colour(widget: QWidget, colour: QColor) -> None:
    palette = widget.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(role, colour)
    widget.setPalette(palette)


def as_error(widget: QWidget) -> None:
    """Validation messages."""
    _text_colour(widget, ERROR)


def as_muted(widget: QWidget) -> None:
    """Help text: readable, but quieter than the question."""
    _text_colour(widget, widget.palette().color(QPalette.ColorRole.PlaceholderText).darker(125))


def as_link(widget: QWidget) -> None:
    """Small text buttons such as "Add comment"."""
    _text_colour(widget, widget.palette().color(QPalette.ColorRole.Link))


def as_normal(widget: QWidget) -> None:
    widget.setPalette(QPalette())
