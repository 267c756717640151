"""The Unicode font every PDF embeds, so £, –, accents and Welsh ŵ/ŷ print on any machine."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "BaselineSans"
SANS_BOLD = "BaselineSans-Bold"
SANS_ITALIC = "BaselineSans-Italic"

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
}
_lock = threading.Lock()
_registered = False


def font_dir() -> Path:
    return Path(str(resources.files("resources") / "fonts"))


def register_fonts() -> None:
    """Register the embedded fonts with reportlab once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        folder = font_dir()
        for name, file in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS_ITALIC)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True
