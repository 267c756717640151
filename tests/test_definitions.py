"""One definition each, checked by parsing every module: one cancel exception (models.progress),
one way to say yes/no and one empty check (models.values), so no page can say them differently."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.values import in_words, yes_no

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "importers", "exporters", "ui", "desktop")
# The completion hot loop spells is_empty out for speed (its docstring says so).
EMPTY_INLINE_ALLOWED = {"models/batch_scoring.py"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    """(path relative to the repo, parsed module) for every module in the packages."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _constant(node: ast.expr, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value == value


def _compares_to(node: ast.expr, op: type[ast.cmpop], right: ast.expr | None) -> str | None:
    """The compared name's source if `node` is `name <op> right`, else None."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], op)):
        return None
    other = node.comparators[0]
    matches = _constant(other, None) if right is None else ast.dump(other) == ast.dump(right)
    return ast.unparse(node.left) if matches else None


def test_one_cancel_exception() -> None:
    """No module but models/progress.py defines a cancel exception, nor subclasses Cancelled."""
    found = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
            named = "Cancelled" in bases or "Cancelled" in node.name
            if named and name != "models/progress.py":
                found.append(f"{name}:{node.lineno} class {node.name}")
    assert found == []


def test_yes_no_said_only_by_models_values() -> None:
    """`"Yes" if x else "No"` is written once, in models.values.yes_no."""
    found = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.IfExp)
                and _constant(node.body, "Yes")
                and _constant(node.orelse, "No")
                and name != "models/values.py"
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == []


def test_empty_checked_only_by_models_values() -> None:
    """`x is None or x == "" or x == []` is written once, in models.values.is_empty."""
    found = []
    for name, tree in modules():
        if name in EMPTY_INLINE_ALLOWED or name == "models/values.py":
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)):
                continue
            if len(node.values) != 3:
                continue
            names = {
                _compares_to(node.values[0], ast.Is, None),
                _compares_to(node.values[1], ast.Eq, ast.Constant("")),
                _compares_to(node.values[2], ast.Eq, ast.List([], ast.Load())),
            }
            if len(names) == 1 and None not in names:
                found.append(f"{name}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize(("value", "words"), [(True, "Yes"), (False, "No")])
def test_yes_no_and_in_words_agree(value: bool, words: str) -> None:
    assert yes_no(value) == words == in_words(value)
