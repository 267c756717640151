"""Colours for text roles (set through palettes: per-widget style sheets are slow to polish),
and the application's look: one font and a visible focus ring."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionComplex,
    QWidget,
)

ERROR = QColor("#a4262c")  # 7:1 contrast on white
COMMENT_GROUND = QColor("#f6f0dc")  # black text on it: 17:1


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


def as_comment(widget: QWidget) -> None:
    """An auditor's comment: italic on a warm tint, so it never reads as an answer box."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Base, COMMENT_GROUND)
    widget.setPalette(palette)
    font = widget.font()
    font.setItalic(True)
    widget.setFont(font)


def as_normal(widget: QWidget) -> None:
    widget.setPalette(QPalette())


# ---------------------------------------------------------------- application look
FOCUS = QColor("#0b3d91")  # the focus ring: 10:1 on white, 7:1 on the Fusion button grey


class FocusRingStyle(QProxyStyle):
    """Fusion with a focus ring everyone can see (WCAG 2.2: 2 px, at least 3:1 contrast).

    Fusion marks focus with a faint tint, and not at all on flat buttons ("Clear", "Add
    comment"), so a keyboard user cannot tell where Space will land. The ring is drawn
    after the control, with a 1 px white line inside it so it shows on a coloured fill too.
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    @staticmethod
    def ring(painter: QPainter, rect: QRect) -> None:
        """Draw the ring just inside `rect`."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(FOCUS, 2))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(QColor("white"), 1))
        painter.drawRect(rect.adjusted(2, 2, -3, -3))
        painter.restore()

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            self.ring(painter, option.rect)
            return
        super().drawPrimitive(element, option, painter, widget)
        if (
            element == QStyle.PrimitiveElement.PE_FrameLineEdit
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            self.ring(painter, option.rect)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element in _RINGED_CONTROLS and option.state & QStyle.StateFlag.State_HasFocus:
            self.ring(painter, option.rect)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _RINGED_COMPLEX and option.state & QStyle.StateFlag.State_HasFocus:
            self.ring(painter, option.rect)


_RINGED_CONTROLS = (QStyle.ControlElement.CE_PushButton, QStyle.ControlElement.CE_ShapedFrame)
_RINGED_COMPLEX = (QStyle.ComplexControl.CC_ToolButton, QStyle.ComplexControl.CC_ComboBox)


def ui_font(size: float) -> QFont:
    """The one UI font: the reports' embedded Noto Sans, so no later load can swap it.

    Loading Noto Sans (the first chart or report does) makes it fontconfig's best match
    for the default family, so a UI left on the system default changed font mid-session.
    """
    families: list[str] = []
    fonts = resources.files("resources") / "fonts"
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(fonts / name))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    font = QFont(families[0]) if families else QFont()
    font.setPointSizeF(size)
    return font


def prepare_application(app: QApplication) -> None:
    """Look and font for the whole session, set once before any window is built."""
    if isinstance(app.style(), FocusRingStyle):
        return
    app.setStyle(FocusRingStyle())
    app.setFont(ui_font(app.font().pointSizeF()))
