"""The app's version, and `baseline --version`: what a support call needs to know first.

The version lives here (pyproject.toml reads it), so a bundle without package metadata
still knows it. Nothing here imports Qt at module level: the CLI imports this module.
What the store is built on (SQLite, sqlite-utils) is asked of the models layer.
"""

from __future__ import annotations

import sys
from importlib import metadata

from models.store_base import STORAGE_LIBRARY

__version__ = "0.1.0"

# (distribution, import name): the libraries whose version changes what the app does.
LIBRARIES = (
    ("PySide6-Essentials", "PySide6"),
    STORAGE_LIBRARY,
    ("openpyxl", "openpyxl"),
    ("reportlab", "reportlab"),
    ("rl_accel", "_rl_accel"),
    ("orjson", "orjson"),
    ("python-calamine", "python_calamine"),
    ("lxml", "lxml"),
    ("PyYAML", "yaml"),
    ("defusedxml", "defusedxml"),
    ("charset-normalizer", "charset_normalizer"),
    ("platformdirs", "platformdirs"),
    ("python-docx", "docx"),
    ("odfpy", "odf"),
)

SPEEDUPS = ("_rl_accel", "orjson", "python_calamine")


def frozen() -> bool:
    """True inside a PyInstaller bundle (sys.frozen is set by its bootloader)."""
    return bool(getattr(sys, "frozen", False))


def library_version(distribution: str, module: str) -> str:
    """A library's version from its metadata, else its __version__, else why it is unknown."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    try:
        imported = __import__(module)
    except ImportError:
        return "not installed"
    found = getattr(imported, "__version__", None) or getattr(imported, "version", None)
    return str(found) if isinstance(found, str) else "installed (version unknown)"


def version_lines() -> list[str]:
    """One line each: the app, Python, Qt, SQLite, then the main libraries."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from models.store_base import sqlite_library_version

    how = "bundle" if frozen() else "source"
    lines = [
        f"Baseline {__version__} ({how}, {sys.platform})",
        f"Python {sys.version.split()[0]}",
        f"Qt {qVersion()} (PySide6 {pyside_version})",
        f"SQLite {sqlite_library_version()}",
    ]
    lines += [f"{dist} {library_version(dist, module)}" for dist, module in LIBRARIES[1:]]
    lines.append("C speed-ups: " + ", ".join(speedups_loaded()))
    return lines


def speedups_loaded() -> list[str]:
    """Which compiled speed-ups import here (a bundle missing one would be slow, not broken)."""
    loaded = []
    for module in SPEEDUPS:
        try:
            __import__(module)
        except ImportError:
            loaded.append(f"{module} MISSING")
        else:
            loaded.append(module)
    return loaded


def version_text() -> str:
    return "\n".join(version_lines())
