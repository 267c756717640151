"""Python's cycle collector paused while bulk work builds hundreds of thousands of objects.

Each full collection walks every live object, and reading, planning and writing 100,000
rows sets off dozens of them: a third of an import's time (scoring a cycle's 20,000 rows
likewise). What that work builds holds no reference cycles to collect; freeing works by
reference counting as ever, and the collector is back on when the last pauser ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause collection for the block; nests, and works across threads (counted)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
