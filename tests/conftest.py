"""Model fixtures, free of Qt: a real workspace file in tmp_path and the shipped questionnaire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.questionnaire import Questionnaire, current_questionnaire
from models.store import Store


@pytest.fixture
def questionnaire() -> Questionnaire:
    """The newest shipped questionnaire: what new audits use."""
    return current_questionnaire()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new workspace file in tmp_path, closed after the test."""
    workspace = Store(tmp_path / "workspace.sqlite")
    yield workspace
    workspace.close()
