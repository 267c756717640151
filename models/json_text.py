"""Stored JSON read fast: orjson where it can, the standard library where it cannot.

Table rows are JSON text in SQLite; reading a cycle's or a comparison's rows decodes tens
of thousands of them, and orjson does that several times faster than `json`. It refuses
NaN and Infinity, which `json` writes and reads, so such text falls back to `json`.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dumps(value: Any) -> str:
    """Compact JSON as the store writes cells, made by orjson (an import writes 100,000)."""
    return orjson.dumps(value).decode()
