"""Names replaced for wider circulation: each personal-data cell becomes a short stable label.

"Post C941" when the row has a post reference, and otherwise a few letters of a digest of the
row's id ("Post F247", "SRO 3FCF"): the same row gets the same label in every report,
different rows in one table get different labels, and nothing of the name survives. A
programme's GMPP reference is not used: "SRO CDIO" would read as if it named the SRO.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from models.questionnaire import Question
from models.values import is_empty

_REFERENCE_COLUMNS = ("post_ref",)  # a short reference the row already carries
_LONGEST_REFERENCE = 16  # a longer "reference" is text, not a label
_NOUNS = {"sro": "SRO"}  # column id -> what the label calls the person; otherwise "Post"


def redact_rows(
    table: Question, rows: list[dict[str, Any]], row_ids: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Rows with every personal-data cell replaced by a short label for its row."""
    personal = [c.id for c in table.columns if c.personal_data]
    if not personal:
        return rows
    digests = _digests(row_ids if len(row_ids) == len(rows) else [str(i) for i in range(len(rows))])
    redacted = []
    for index, row in enumerate(rows):
        cells = dict(row)
        for column_id in personal:
            if not is_empty(cells.get(column_id)):
                noun = _NOUNS.get(column_id, "Post")
                cells[column_id] = f"{noun} {_reference(cells) or digests[index]}"
        redacted.append(cells)
    return redacted


def _reference(cells: dict[str, Any]) -> str:
    for column_id in _REFERENCE_COLUMNS:
        value = cells.get(column_id)
        if isinstance(value, str) and 0 < len(value.strip()) <= _LONGEST_REFERENCE:
            return value.strip()
    return ""


def _digests(row_ids: Sequence[str]) -> list[str]:
    """The shortest upper-case hex digest prefixes (4 at least) that tell the rows apart."""
    full = [hashlib.sha256(rid.encode("utf-8")).hexdigest().upper() for rid in row_ids]
    for size in range(4, 17):
        labels = [d[:size] for d in full]
        if len(set(labels)) == len(labels):
            return labels
    return full
