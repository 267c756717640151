"""The layers, checked by parsing every module's imports (including ones inside functions and
under TYPE_CHECKING): models/, importers/ and exporters/ never import Qt, ui/ or desktop/;
ui/ never imports desktop/; importers/ never import exporters/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "models": ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui", "desktop", "importers", "exporters"),
    "importers": ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui", "desktop", "exporters"),
    "exporters": ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui", "desktop"),
    "ui": ("desktop",),
}


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `source`, relative imports made absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


# No known breaches: the own-workbook format both sides use lives in models/workbook_format/.
KNOWN: set[str] = set()


def breaches(layer: str) -> list[str]:
    out = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        for line, module in imported_modules(path.read_text(encoding="utf-8"), package):
            top = module.split(".")[0]
            if top in FORBIDDEN[layer]:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


def unknown(found: list[str]) -> list[str]:
    return [b for b in found if b.replace(b.split(" ")[0], b.split(":")[0], 1) not in KNOWN]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    assert unknown(breaches(layer)) == []


def test_the_known_breaches_are_still_there_or_are_struck_off() -> None:
    found = {
        b.replace(b.split(" ")[0], b.split(":")[0], 1)
        for layer in FORBIDDEN
        for b in breaches(layer)
    }
    assert found >= KNOWN, f"fixed, so strike off KNOWN: {sorted(KNOWN - found)}"


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        ("from PySide6.QtCore import QObject", "models", ["PySide6.QtCore"]),
        ("def f():\n    import desktop.paths\n", "ui", ["desktop.paths"]),
        (
            "if TYPE_CHECKING:\n    from exporters import cells\n",
            "importers",
            ["exporters"],
        ),
        ("from . import layouts", "importers", ["importers"]),
        ("from .events import WorkspaceEvents", "ui.app", ["ui.app.events"]),
    ],
)
def test_imports_are_found_wherever_they_are_written(
    source: str, package: str, expected: list[str]
) -> None:
    assert [module for _line, module in imported_modules(source, package)] == expected
