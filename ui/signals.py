"""Signal plumbing shared by widgets that are rebound from one audit to the next."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import SignalInstance


def disconnect_quietly(signal: SignalInstance, slot: Callable[..., object]) -> None:
    """Disconnect, tolerating a sender Qt has already destroyed or a link already gone."""
    with contextlib.suppress(RuntimeError, TypeError):
        signal.disconnect(slot)
