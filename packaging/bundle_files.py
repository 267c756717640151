"""What the bundle carries besides code: shared by baseline.spec and the tests that check it."""

from __future__ import annotations

from pathlib import Path

# Every kind of file the app reads from resources/ at run time (build scripts, .py, stay out).
RESOURCE_SUFFIXES = frozenset(
    {".yaml", ".tsv", ".md", ".qss", ".svg", ".png", ".ttf", ".txt", ".json"}
)

# Distributions whose metadata (version for --version, licence files) the bundle carries.
RUNTIME_DISTRIBUTIONS = (
    "PySide6-Essentials",
    "PySide6-Addons",
    "shiboken6",
    "sqlite-utils",
    "click",
    "click-default-group",
    "sqlite-fts4",
    "tabulate",
    "python-dateutil",
    "pluggy",
    "tzdata",
    "PyYAML",
    "platformdirs",
    "openpyxl",
    "et-xmlfile",
    "lxml",
    "reportlab",
    "rl_accel",
    "pillow",
    "orjson",
    "python-calamine",
    "defusedxml",
    "charset-normalizer",
)


def resource_files(root: Path) -> list[tuple[Path, str]]:
    """(file, folder inside the bundle) for each run-time file under root/resources."""
    return [
        (path, path.parent.relative_to(root).as_posix())
        for path in sorted((root / "resources").rglob("*"))
        if path.is_file() and path.suffix in RESOURCE_SUFFIXES and "__pycache__" not in path.parts
    ]
