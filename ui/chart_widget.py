"""A report chart shown in the app: the PDF's reportlab Drawing, rendered as SVG.

One chart definition serves the PDF and the screen. reportlab lays text out with the
embedded Noto Sans metrics and names it by its reportlab name ('BaselineSans'), which Qt
does not know, so the SVG's font names are mapped to the same font loaded into Qt.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QFontDatabase, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from exporters.chart_inputs import drawing_texts
from exporters.pdf_fonts import SANS, SANS_BOLD, SANS_ITALIC, font_dir

SCREEN_SCALE = 1.5  # a chart's natural size on screen: 8 pt labels become 12 px
_FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf")
_family: str | None = None
_NONE = re.compile(r"\b(fill|stroke): None\b")
_CLIP = re.compile(r"<clipPath.*?</clipPath>", re.DOTALL)


def chart_font_family() -> str:
    """Load the reports' font into Qt once and return its family name ('Noto Sans')."""
    global _family
    if _family is None:
        families: list[str] = []
        for file in _FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(font_dir() / file))
            families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family = families[0] if families else "sans-serif"
    return _family


def drawing_svg(drawing: Drawing) -> str:
    """The drawing as SVG text whose fonts Qt can find (reportlab names mapped to Qt's)."""
    family = chart_font_family()
    styles = {
        SANS: f"font-family: '{family}'",
        SANS_BOLD: f"font-family: '{family}'; font-weight: bold",
        SANS_ITALIC: f"font-family: '{family}'; font-style: italic",
    }
    svg = renderSVG.drawToString(drawing)
    # Qt SVG has no clipPath: it would paint the clip rectangle black over the whole chart
    svg = _CLIP.sub("", svg).replace(' style="clip-path: url(#clip)"', "")
    svg = _NONE.sub(r"\1: none", svg)  # reportlab writes 'fill: None'; Qt reads that as black
    return re.sub(r"font-family: ([\w-]+)", lambda m: styles.get(m.group(1), m.group(0)), svg)


class ChartWidget(QWidget):
    """A reportlab Drawing painted to fit the width, keeping its aspect ratio.

    The accessible name is the chart's title; the accessible description gives its figures
    in words, so a screen reader (and the tests) read the same numbers the chart draws.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab, so it is read out
        self._renderer = QSvgRenderer(self)
        self._natural = QSize(0, 0)
        self.svg = ""
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_drawing(self, drawing: Drawing, description: str = "") -> None:
        """Show this drawing; `description` says its figures (default: its texts in order)."""
        self.svg = drawing_svg(drawing)
        self._renderer.load(QByteArray(self.svg.encode("utf-8")))
        self._natural = QSize(
            round(float(drawing.width) * SCREEN_SCALE), round(float(drawing.height) * SCREEN_SCALE)
        )
        self.setAccessibleDescription(description or " ".join(drawing_texts(drawing)))
        self.setToolTip(self.accessibleDescription())
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if self._natural.isEmpty():
            return 0
        return round(width * self._natural.height() / self._natural.width())

    def sizeHint(self) -> QSize:
        return self._natural if not self._natural.isEmpty() else QSize(200, 40)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.heightForWidth(160))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._renderer.isValid() or self._natural.isEmpty():
            return
        width = float(self.width())
        height = width * self._natural.height() / self._natural.width()
        if height > self.height():  # too short for the width: fit the height instead
            height = float(self.height())
            width = height * self._natural.width() / self._natural.height()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        target = QRectF(0, 0, width, height)
        painter.fillRect(target, Qt.GlobalColor.white)  # drawn for paper, in dark themes too
        self._renderer.render(painter, target)
        if self.hasFocus():
            painter.setPen(self.palette().highlight().color())
            painter.drawRect(QRectF(0.5, 0.5, width - 1, height - 1))
        painter.end()
