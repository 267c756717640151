"""Fixtures of the workbook tests: a demo workspace written once, copied for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.store import Store
from tests.exporters import demo_copy, demo_template


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace every test copies (never written to itself)."""
    return demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    """Two departments with two cycles each (four audits), rows in every table."""
    with Store(demo_copy(demo_file, tmp_path / "workspace.sqlite")) as store:
        yield store
