"""Every path the app uses, in one place, with overrides for tests and --db."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Baseline"
APP_AUTHOR = "Baseline"


def data_dir() -> Path:
    """Where workspaces live by default (BASELINE_DATA_DIR overrides, for tests)."""
    override = os.environ.get("BASELINE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    """Where window state and the last workspace are remembered (BASELINE_CONFIG_DIR overrides)."""
    override = os.environ.get("BASELINE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def settings_file() -> Path:
    return config_dir() / "settings.ini"


def default_workspace() -> Path:
    return data_dir() / "workspace.baseline.sqlite"


def demo_workspace() -> Path:
    return data_dir() / "demo.baseline.sqlite"
