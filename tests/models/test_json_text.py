"""Stored JSON decodes to exactly what the standard library gives, NaN included."""

from __future__ import annotations

import json
import math

import pytest

from models.json_text import loads


@pytest.mark.parametrize(
    "value",
    [
        {"post_ref": "DIG-01", "fte": 1.0, "headcount": 3, "board_member": True, "x": None},
        {"framework_owners": ["privacy", "security"], "name": "Ŵyn – £1.2m"},
        [1, 2.5, "3", False],
        "plain text",
        1e308,
    ],
)
def test_decodes_like_json(value: object) -> None:
    text = json.dumps(value)
    decoded = loads(text)
    assert decoded == json.loads(text)
    assert type(decoded) is type(json.loads(text))


def test_text_only_the_standard_library_reads_still_reads() -> None:
    """json writes NaN and Infinity (orjson refuses them): such rows still open."""
    decoded = loads(json.dumps({"fte": float("nan"), "cost": float("inf")}))
    assert math.isnan(decoded["fte"]) and decoded["cost"] == float("inf")


def test_broken_text_is_still_an_error() -> None:
    with pytest.raises(ValueError):
        loads('{"unterminated": ')
