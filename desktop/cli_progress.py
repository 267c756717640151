"""A progress bar on standard error while a long command runs, only when that is a terminal.

Scripts that capture standard error, and pipes, get nothing: no carriage returns in logs.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
_EVERY_S = 0.1


def _terminal() -> TextIO | None:
    """The real standard error (not its escaping wrapper) when it is a terminal."""
    stream = getattr(sys.stderr, "inner", sys.stderr)
    try:
        return stream if stream.isatty() else None
    except (AttributeError, ValueError):
        return None


class Bar:
    """Call with (done, total), as exporters' Progress; `close()` clears the line."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.stream = _terminal()
        self._shown_at = 0.0
        self._drawn = False

    @property
    def active(self) -> bool:
        """Whether anything is drawn: pass the bar on only then (counting can cost time)."""
        return self.stream is not None

    def __call__(self, done: int, total: int) -> None:
        if self.stream is None or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._shown_at < _EVERY_S:
            return
        self._shown_at = now
        filled = WIDTH * min(done, total) // total
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.stream is not None and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
