"""Render resources/icons/baseline.svg into the PNG, ICO and ICNS files the app and bundles use.

Run after editing the SVG (the results are committed, so a build needs no SVG renderer):

    .venv/bin/python packaging/make_icons.py [OUTPUT_FOLDER]

Qt's SVG renderer draws each size from the vector source (small sizes stay sharp);
Pillow, which reportlab already needs, writes the Windows .ico and macOS .icns containers.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "baseline.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # window icon, freedesktop hicolor sizes
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows: the .exe and the taskbar
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # macOS: Finder, Dock, Retina


def render(size: int) -> bytes:
    """The SVG drawn at size x size, as PNG bytes with a transparent background."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; str works
    return bytes(buffer.data().data())


def make_icons(out: Path) -> list[Path]:
    """Write baseline-<size>.png, baseline.ico and baseline.icns into out; return them."""
    from PIL import Image
    from PySide6.QtWidgets import QApplication  # not QGuiApplication: pytest-qt reuses it

    _app = QApplication.instance() or QApplication(["make_icons", "-platform", "offscreen"])
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {size: Image.open(io.BytesIO(render(size))).convert("RGBA") for size in sizes}
    written = []
    for size in PNG_SIZES:
        path = out / f"baseline-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    ico = out / "baseline.ico"
    largest = images[ICO_SIZES[-1]]
    largest.save(
        ico, sizes=[(s, s) for s in ICO_SIZES], append_images=[images[s] for s in ICO_SIZES]
    )
    icns = out / "baseline.icns"
    images[ICNS_SIZES[-1]].save(icns, append_images=[images[s] for s in ICNS_SIZES[:-1]])
    return [*written, ico, icns]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE.parent
    for made in make_icons(target):
        print(made.relative_to(ROOT) if made.is_relative_to(ROOT) else made)
